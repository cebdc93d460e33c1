// The codec list codec_registry.cc serves FFmpeg's lookups from: each product module links
// codec_registry.cc and exactly one list file (pusher_codecs.cc, player_codecs.cc,
// player_hevc_codecs.cc, player_mp3_codecs.cc) that defines lw_codecs, null-terminated.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>

extern const AVCodec* const lw_codecs[];

// FFmpeg's codecs are FFCodecs (libavcodec/codec_internal.h, not installed) whose first member is the
// public AVCodec, so a list may name them as AVCodecs.
extern const AVCodec ff_aac_encoder;
extern const AVCodec ff_aac_decoder;
extern const AVCodec ff_h264_decoder;
extern const AVCodec ff_hevc_decoder;
extern const AVCodec ff_opus_decoder;
extern const AVCodec ff_mp3float_decoder;
}
