// IVF (libvpx's container: `ffmpeg ... -c:v libaom-av1|libvpx-vp9 -f ivf`) -> the frames of an AV1 or VP9
// stream and the decoder configuration record Enhanced RTMP's sequence start carries, for muxing into
// FLV ('av01' / 'vp09'). Header-only, like annexb_access_units.h.
//
//   32-byte file header: "DKIF", version u16le, header size u16le, FourCC ("AV01" / "VP90"), width u16le,
//   height u16le, rate u32le, scale u32le, frame count u32le, unused u32le
//   then per frame: size u32le, pts u64le, `size` bytes (AV1: one temporal unit; VP9: a frame or superframe)
//
// AV1 temporal units lose their temporal delimiter and padding OBUs (AV1-ISOBMFF 2.4: they SHOULD be
// removed from samples; FFmpeg's own FLV and MP4 muxers remove them); the av1C is made from the first
// Sequence Header OBU. VP9's vpcC is made from the first key frame's uncompressed header, its level from
// the picture size and `fps` (as FFmpeg's vpcc.c).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/byte_reader.h"
#include "base/bytes.h"
#include "base/status.h"
#include "codec/av1_config.h"
#include "codec/vp9_config.h"

namespace lw::tools {

struct IvfFrame {
  Bytes data;
  bool key = false;
};

struct IvfStream {
  bool av1 = false;  // else VP9
  Bytes config;      // av1C / vpcC (version 1 + flags + record)
  uint32_t width = 0, height = 0;
  std::vector<IvfFrame> frames;
};

inline Result<IvfStream> parse_ivf(ByteSpan file, double fps) {
  if (file.size() < 32 || std::string(file.begin(), file.begin() + 4) != "DKIF")
    return Status(ErrorCode::kInvalid, "not an IVF file (no 32-byte DKIF header)");
  const size_t header_size = size_t{file[6]} | size_t{file[7]} << 8;
  if (header_size < 32 || header_size > file.size()) return Status(ErrorCode::kInvalid, "IVF header size");
  const ByteSpan fourcc = file.subspan(8, 4);
  const std::string code(fourcc.begin(), fourcc.end());
  IvfStream s;
  if (code == "AV01") s.av1 = true;
  else if (code != "VP90") return Status(ErrorCode::kUnsupported, "IVF FourCC " + code + " (want AV01 or VP90)");
  ByteReader f(file.subspan(header_size));
  bool reduced = false;
  while (f.remaining() >= 12) {
    uint32_t size;
    ByteSpan data;
    if (!f.u32le(&size) || !f.skip(8)) break;
    if (!f.bytes(size, &data)) break;  // a cut-off last frame
    IvfFrame fr;
    if (s.av1) {
      auto obus = codec::split_obus(data);
      if (!obus.ok()) return Status(obus.status().code(), "AV1 frame " + std::to_string(s.frames.size()) + ": " + obus.status().reason());
      for (const codec::Obu& o : *obus) {
        if (o.type == codec::kObuTemporalDelimiter || o.type == codec::kObuPadding) continue;
        if (o.type == codec::kObuSequenceHeader && s.config.empty()) {
          auto c = codec::make_av1_config(o);
          if (!c.ok()) return c.status();
          auto seq = c->sequence_header();
          if (!seq.ok()) return seq.status();
          reduced = seq->reduced_still_picture_header;
          s.width = seq->max_frame_width;
          s.height = seq->max_frame_height;
          auto bytes = codec::build_av1_config(*c);
          if (!bytes.ok()) return bytes.status();
          s.config = std::move(bytes).value();
        }
        fr.data.insert(fr.data.end(), o.whole.begin(), o.whole.end());
      }
      fr.key = codec::av1_temporal_unit_is_key(as_span(fr.data), reduced);
    } else {
      auto h = codec::parse_vp9_frame_header(data);
      if (!h.ok()) return Status(h.status().code(), "VP9 frame " + std::to_string(s.frames.size()) + ": " + h.status().reason());
      fr.key = h->key_frame;
      if (fr.key && s.config.empty()) {
        s.width = h->width;
        s.height = h->height;
        auto bytes = codec::build_vp9_config(codec::make_vp9_config(*h, codec::vp9_level_for(h->width, h->height, fps)));
        if (!bytes.ok()) return bytes.status();
        s.config = std::move(bytes).value();
      }
      fr.data.assign(data.begin(), data.end());
    }
    s.frames.push_back(std::move(fr));
  }
  if (s.config.empty()) return Status(ErrorCode::kInvalid, s.av1 ? "no AV1 sequence header" : "no VP9 key frame");
  return s;
}

}  // namespace lw::tools
