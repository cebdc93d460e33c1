#include "push/coded_video.h"

#include "codec/av1_config.h"
#include "codec/vp9_config.h"

namespace lw::push {

Result<Bytes> record_from_key_frame(VideoKind kind, ByteSpan frame, int width, int height, double fps) {
  switch (kind) {
    case VideoKind::kAv1: {
      auto obus = codec::split_obus(frame);
      if (!obus.ok()) return obus.status();
      for (const codec::Obu& obu : obus.value()) {
        if (obu.type != codec::kObuSequenceHeader) continue;
        auto config = codec::make_av1_config(obu);
        if (!config.ok()) return config.status();
        return codec::build_av1_config(config.value());
      }
      return Status(ErrorCode::kInvalid, "AV1 key frame without a Sequence Header OBU: no av1C for the stream");
    }
    case VideoKind::kVp9: {
      auto header = codec::parse_vp9_frame_header(frame);
      if (!header.ok()) return header.status();
      if (!header.value().key_frame) return Status(ErrorCode::kInvalid, "VP9 frame is not a key frame: no vpcC for the stream");
      const uint8_t level = codec::vp9_level_for(static_cast<uint32_t>(width), static_cast<uint32_t>(height), fps);
      return codec::build_vp9_config(codec::make_vp9_config(header.value(), level));
    }
    case VideoKind::kH264:
    case VideoKind::kHevc: break;
  }
  return Status(ErrorCode::kUnsupported, std::string(video_kind_name(kind)) + ": the encoder gave no decoder configuration record");
}

ByteSpan flv_payload(VideoKind kind, ByteSpan frame) {
  if (kind != VideoKind::kAv1) return frame;
  // The leading OBUs only: a delimiter starts a temporal unit, so none follows a frame.
  ByteSpan rest = frame;
  while (!rest.empty()) {
    auto obus = codec::split_obus(rest);
    if (!obus.ok() || obus.value().empty() || obus.value().front().type != codec::kObuTemporalDelimiter) break;
    rest = rest.subspan(obus.value().front().whole.size());
  }
  return rest;
}

}  // namespace lw::push
