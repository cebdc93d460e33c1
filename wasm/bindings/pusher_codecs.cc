// The codecs of the pusher's module (livewasm_pusher): the AAC encoder and no decoder
// (codec_registry.cc serves FFmpeg's lookups from this list).
#include "bindings/codec_registry.h"

extern "C" const AVCodec* const lw_codecs[] = {&ff_aac_encoder, nullptr};
