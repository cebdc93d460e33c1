// Helpers for the FLV tests: demux a byte string to events (in one piece or split into chunks), one
// golden text line per event, a CRC-32 of bodies, and the test vectors made by
// tests/vectors/make_vectors.sh.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "amf/amf0.h"
#include "flv/flv_demuxer.h"
#include "test_vectors.h"

namespace lw::flv::test {

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of `data`.
inline uint32_t crc32(ByteSpan data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t b : data) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline std::string hex32(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// One line per event; stable text for goldens:
//   video ts=56 cts=0 avc frames inter size=1426 payload=1421 crc=1a2b3c4d
inline std::string event_line(const Event& ev) {
  std::ostringstream o;
  switch (ev.kind) {
    case EventKind::kHeader:
      o << "header v=" << int(ev.header.version) << " audio=" << ev.header.has_audio
        << " video=" << ev.header.has_video << " data_offset=" << ev.header.data_offset;
      break;
    case EventKind::kScript:
      o << "script ts=" << ev.tag.timestamp_ms << " name=" << ev.script.name << " size=" << ev.tag.body.size()
        << " crc=" << hex32(crc32(ev.tag.body));
      for (const auto& v : ev.script.values) o << " " << amf0::to_string(v);
      break;
    case EventKind::kAudio:
      o << "audio ts=" << ev.tag.timestamp_ms << " " << audio_codec_name(ev.audio.codec)
        << (ev.audio.enhanced ? "(ex)" : "") << " " << audio_packet_type_name(ev.audio.packet_type)
        << " size=" << ev.tag.body.size() << " payload=" << ev.payload().size() << " crc=" << hex32(crc32(ev.tag.body));
      if (ev.timestamp_discontinuity) o << " discontinuity";
      break;
    case EventKind::kVideo:
      o << "video ts=" << ev.tag.timestamp_ms << " cts=" << ev.video.composition_time_ms << " "
        << video_codec_name(ev.video.codec) << (ev.video.enhanced ? "(ex)" : "") << " "
        << video_packet_type_name(ev.video.packet_type) << " " << (ev.video.key_frame() ? "key" : "inter")
        << " size=" << ev.tag.body.size() << " payload=" << ev.payload().size() << " crc=" << hex32(crc32(ev.tag.body));
      if (ev.timestamp_discontinuity) o << " discontinuity";
      break;
    case EventKind::kWarning:
    case EventKind::kError:
      o << event_kind_name(ev.kind) << " offset=" << ev.offset << " skipped=" << ev.skipped_bytes << " "
        << ev.status.to_string();
      break;
  }
  return o.str();
}

// Drains every event; each keeps a copy of its body (own_body()), since views are valid only until
// the next feed() and the tests compare events collected across feeds.
inline std::vector<Event> drain(Demuxer& d) {
  std::vector<Event> out;
  Event ev;
  while (d.next(&ev)) {
    ev.own_body();
    out.push_back(std::move(ev));
  }
  return out;
}

// Demuxes `data` fed in chunks whose sizes cycle through `chunks` (empty: one feed), then finish().
inline std::vector<Event> demux(ByteSpan data, const std::vector<size_t>& chunks = {},
                                const Demuxer::Options& options = {}) {
  Demuxer d(options);
  std::vector<Event> out;
  size_t pos = 0, k = 0;
  while (pos < data.size()) {
    size_t n = chunks.empty() ? data.size() : chunks[k++ % chunks.size()];
    if (n == 0) n = 1;
    n = std::min(n, data.size() - pos);
    EXPECT_EQ(d.feed(data.subspan(pos, n)), n);
    pos += n;
    for (auto& e : drain(d)) out.push_back(std::move(e));
  }
  d.finish();
  for (auto& e : drain(d)) out.push_back(std::move(e));
  return out;
}

inline std::string lines(const std::vector<Event>& events) {
  std::string s;
  for (const auto& e : events) s += event_line(e) + "\n";
  return s;
}

inline std::vector<std::string> vector_names() {
  return {"h264_aac", "h264_aac_bframes", "aac_only", "h264_only"};
}

// Reads build/vectors/<name>; a missing vector fails the test with the command that makes it.
inline std::optional<Bytes> load_vector(const std::string& name) {
  const std::string path = lw::test::vectors_dir() + "/" + name;
  auto bytes = lw::test::read_file(path);
  if (!bytes) {
    ADD_FAILURE() << "missing test vector " << path
                  << "\n  run: tests/vectors/make_vectors.sh " << lw::test::vectors_dir();
  }
  return bytes;
}

inline size_t count_kind(const std::vector<Event>& events, EventKind kind) {
  size_t n = 0;
  for (const auto& e : events) n += e.kind == kind;
  return n;
}

}  // namespace lw::flv::test
