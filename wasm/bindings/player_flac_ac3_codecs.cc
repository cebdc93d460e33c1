// The codecs of the rarer audio module (livewasm_player_flac_ac3): FFmpeg's FLAC, AC-3 and E-AC-3
// decoders (the float ones). The player's module (player_codecs.cc) leaves them out: they come only in
// Enhanced RTMP ('fLaC', 'ac-3', 'ec-3'), are rare on live streams, and WebCodecs decodes FLAC in
// Chromium and Firefox; worker/audio_decode_path.js loads this module beside the player's only for such a
// stream it decodes in wasm, and uses its WasmAudioDecoder. One module for the three rather than one
// each: FLAC is ~30 KB of wasm, and AC-3 and E-AC-3 share one decoder (E-AC-3's is AC-3's plus its
// extensions); MP3 keeps its own module (livewasm_player_mp3, legacy FLV's codec, far more common).
#include "bindings/codec_registry.h"

extern "C" const AVCodec* const lw_codecs[] = {&ff_flac_decoder, &ff_ac3_decoder, &ff_eac3_decoder, nullptr};
