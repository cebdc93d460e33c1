// The codec list codec_registry.cc serves FFmpeg's lookups from: each product module links
// codec_registry.cc and exactly one list file (pusher_codecs.cc, player_codecs.cc,
// player_hevc_codecs.cc, player_mp3_codecs.cc, player_vp9_codecs.cc, player_flac_ac3_codecs.cc) that defines lw_codecs, null-terminated.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>

extern const AVCodec* const lw_codecs[];
// The bitstream filters a module's decoders run (null-terminated): only the VP9 module defines it (the VP9
// decoder's vp9_superframe_split); elsewhere the weak reference stays null and there are none.
extern const AVBitStreamFilter* const lw_bsfs[] __attribute__((weak));
extern const AVBitStreamFilter ff_vp9_superframe_split_bsf;  // an FFBitStreamFilter, AVBitStreamFilter first

// FFmpeg's codecs are FFCodecs (libavcodec/codec_internal.h, not installed) whose first member is the
// public AVCodec, so a list may name them as AVCodecs.
extern const AVCodec ff_aac_encoder;
extern const AVCodec ff_aac_decoder;
extern const AVCodec ff_h264_decoder;
extern const AVCodec ff_hevc_decoder;
extern const AVCodec ff_opus_decoder;
extern const AVCodec ff_mp3float_decoder;
extern const AVCodec ff_vp9_decoder;
extern const AVCodec ff_flac_decoder;
extern const AVCodec ff_ac3_decoder;
extern const AVCodec ff_eac3_decoder;
}
