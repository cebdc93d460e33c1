// The codecs of the HEVC module (livewasm_player_hevc): the HEVC decoder alone. The player's module
// (player_codecs.cc) leaves HEVC out; worker/video_decode_path.js loads this module beside it only for an
// HEVC stream it decodes in wasm, and uses its WasmVideoDecoder (codec_registry.cc serves FFmpeg's
// lookups from this list).
#include "bindings/codec_registry.h"

extern "C" const AVCodec* const lw_codecs[] = {&ff_hevc_decoder, nullptr};
