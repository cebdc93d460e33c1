// FLAC and AC-3 / E-AC-3 elementary streams (`ffmpeg ... -c:a flac -f flac`, `-c:a ac3 -f ac3`,
// `-c:a eac3 -f eac3`) -> frames and the sequence start Enhanced RTMP's 'fLaC' / 'ac-3' / 'ec-3' tracks
// carry, for lw-flv-mux --audio. Header-only, like ivf_frames.h.
//
// FLAC: the "fLaC" header's STREAMINFO becomes the sequence start (the 34 bytes, as FFmpeg's FLV muxer
// writes its extradata); frames are cut at each frame header (sync 0xFFF8/0xFFF9) whose CRC-8 checks
// (RFC 9639 9.1), and each frame's block size gives its samples. AC-3 / E-AC-3: syncframes one after
// another, each its own size (codec/ac3_header.h); an empty sequence start (as FFmpeg writes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "codec/ac3_header.h"
#include "codec/flac_config.h"
#include "flv/flv_tag.h"

namespace lw::tools {

struct AudioFrames {
  flv::AudioCodec codec = flv::AudioCodec::kUnknown;
  Bytes config;  // the sequence start's body (FLAC: STREAMINFO; AC-3 / E-AC-3: empty)
  uint32_t sample_rate = 0, channels = 0;
  std::vector<ByteSpan> frames;       // views of the file
  std::vector<uint64_t> first_sample; // frames.size() + 1 entries: where each frame starts, then the end
};

namespace detail {

inline uint8_t flac_crc8(ByteSpan d) {
  uint8_t crc = 0;
  for (uint8_t b : d) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = static_cast<uint8_t>(crc & 0x80 ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

// The block size of the FLAC frame header at d[0], or 0 when these bytes are not a valid header.
inline uint32_t flac_frame_header(ByteSpan d) {
  if (d.size() < 6 || d[0] != 0xff || (d[1] & 0xfe) != 0xf8) return 0;
  const int bs = d[2] >> 4, sr = d[2] & 15;
  if (bs == 0 || sr == 15 || (d[3] & 1) || (d[3] >> 4) > 10 || ((d[3] >> 1) & 7) == 3) return 0;
  size_t pos = 4;
  // The frame or sample number, UTF-8 coded: the leading ones of its first byte count its bytes.
  int extra = 0;
  for (uint8_t b = d[pos]; b & 0x80; b <<= 1) ++extra;
  if (extra == 1 || extra > 7) return 0;
  pos += extra == 0 ? 1 : extra;
  uint32_t block = bs == 1 ? 192 : bs <= 5 ? 576u << (bs - 2) : bs >= 8 ? 256u << (bs - 8) : 0;
  if (bs == 6 || bs == 7) {
    if (pos + (bs == 6 ? 1 : 2) > d.size()) return 0;
    block = (bs == 6 ? d[pos] : (d[pos] << 8 | d[pos + 1])) + 1u;
    pos += bs == 6 ? 1 : 2;
  }
  pos += sr == 12 ? 1 : (sr == 13 || sr == 14) ? 2 : 0;
  if (pos >= d.size() || flac_crc8(d.subspan(0, pos)) != d[pos]) return 0;
  return block;
}

}  // namespace detail

inline Result<AudioFrames> parse_flac_stream(ByteSpan file) {
  AudioFrames t;
  t.codec = flv::AudioCodec::kFlac;
  auto config = codec::parse_flac_config(file);
  if (!config.ok()) return config.status();
  t.config.assign(config->description.begin() + 8, config->description.end());
  t.sample_rate = static_cast<uint32_t>(config->sample_rate);
  t.channels = static_cast<uint32_t>(config->channels);
  // Skip the metadata blocks: 4-byte headers, the last one flagged.
  size_t pos = 4;
  for (bool last = false; !last;) {
    if (pos + 4 > file.size()) return Status(ErrorCode::kTruncated, "FLAC metadata cut off");
    last = file[pos] & 0x80;
    pos += 4 + (size_t(file[pos + 1]) << 16 | size_t(file[pos + 2]) << 8 | file[pos + 3]);
  }
  std::vector<std::pair<size_t, uint32_t>> starts;  // offset, block size
  for (size_t p = pos; p + 6 <= file.size(); ++p) {
    if (file[p] != 0xff) continue;
    if (const uint32_t block = detail::flac_frame_header(file.subspan(p)); block) {
      // A frame is at least 10 bytes: a sync pattern inside the previous one's first bytes is not a frame.
      if (!starts.empty() && p - starts.back().first < 10) continue;
      starts.push_back({p, block});
    }
  }
  if (starts.empty() || starts[0].first != pos) return Status(ErrorCode::kInvalid, "no FLAC frame after the metadata");
  uint64_t sample = 0;
  for (size_t i = 0; i < starts.size(); ++i) {
    const size_t end = i + 1 < starts.size() ? starts[i + 1].first : file.size();
    t.frames.push_back(file.subspan(starts[i].first, end - starts[i].first));
    t.first_sample.push_back(sample);
    sample += starts[i].second;
  }
  t.first_sample.push_back(sample);
  return t;
}

inline Result<AudioFrames> parse_ac3_stream(ByteSpan file) {
  AudioFrames t;
  uint64_t sample = 0;
  for (size_t pos = 0; pos < file.size();) {
    auto h = codec::parse_ac3_header(file.subspan(pos));
    if (!h.ok()) return Status(h.status().code(), "AC-3 syncframe at byte " + std::to_string(pos) + ": " + h.status().reason());
    if (pos + h->frame_bytes > file.size()) break;  // a cut-off last frame
    if (t.frames.empty()) {
      t.codec = h->enhanced ? flv::AudioCodec::kEac3 : flv::AudioCodec::kAc3;
      t.sample_rate = static_cast<uint32_t>(h->sample_rate);
      t.channels = static_cast<uint32_t>(h->channels);
    }
    t.frames.push_back(file.subspan(pos, h->frame_bytes));
    t.first_sample.push_back(sample);
    sample += static_cast<uint64_t>(h->samples_per_frame);
    pos += h->frame_bytes;
  }
  if (t.frames.empty()) return Status(ErrorCode::kInvalid, "no AC-3 syncframes");
  t.first_sample.push_back(sample);
  return t;
}

}  // namespace lw::tools
