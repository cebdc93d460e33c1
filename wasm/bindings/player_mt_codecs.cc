// The codecs of the player's threads module (livewasm_player_mt): the H.264 and HEVC decoders, which
// worker/video_decode_path.js runs with FFmpeg's frame threads on a cross-origin isolated page, in place of
// the player's own H.264 decoder and of livewasm_player_hevc's (codec_registry.cc serves FFmpeg's lookups
// from this list).
#include "bindings/codec_registry.h"

extern "C" const AVCodec* const lw_codecs[] = {&ff_h264_decoder, &ff_hevc_decoder, nullptr};
