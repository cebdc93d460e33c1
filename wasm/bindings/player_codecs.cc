// The codecs of the player's module (livewasm_player): the H.264, AAC and Opus decoders, no encoder.
// HEVC is in livewasm_player_hevc (player_hevc_codecs.cc), which the player worker loads only for an
// HEVC stream it decodes in wasm (codec_registry.cc serves FFmpeg's lookups from this list).
#include "bindings/codec_registry.h"

extern "C" const AVCodec* const lw_codecs[] = {&ff_h264_decoder, &ff_aac_decoder, &ff_opus_decoder, nullptr};
