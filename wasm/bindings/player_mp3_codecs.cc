// The codecs of the MP3 module (livewasm_player_mp3): FFmpeg's MP3 decoder (mp3float) alone. The
// player's module (player_codecs.cc) leaves it out: MP3 streams are rare and WebCodecs decodes MP3
// where the browser has it (Chromium), so worker/audio_decode_path.js loads this module beside the
// player's only for an MP3 stream it decodes in wasm, and uses its WasmAudioDecoder (codec_registry.cc
// serves FFmpeg's lookups from this list).
#include "bindings/codec_registry.h"

extern "C" const AVCodec* const lw_codecs[] = {&ff_mp3float_decoder, nullptr};
