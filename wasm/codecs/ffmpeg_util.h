// Small RAII and error helpers around the FFmpeg C API (libavcodec, libavutil, libswresample 5.1),
// shared by the media round trips. Not core code: wasm/codecs/ links the codec libraries and is built
// only where they are (the wasm module for now).
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
}

#include "base/status.h"

namespace lw::codecs {

struct CodecContextFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct ParserFree {
  void operator()(AVCodecParserContext* p) const { av_parser_close(p); }
};
struct SwrFree {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextFree>;
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
using ParserPtr = std::unique_ptr<AVCodecParserContext, ParserFree>;
using SwrPtr = std::unique_ptr<SwrContext, SwrFree>;

// "avcodec_send_packet (h264): Invalid data found when processing input"
inline Status av_status(int err, const std::string& where) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, text, sizeof(text));
  return Status(ErrorCode::kInvalid, where + ": " + text);
}

}  // namespace lw::codecs
