// Annex B elementary stream (.h264 / .h265, as ffmpeg -f h264|hevc writes it) -> access units of
// length-prefixed NAL units plus the decoder configuration record, for muxing into FLV. Header-only:
// tools/flv_mux_tool.cc and the native media tests (tests/codecs/) share it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "codec/annexb.h"
#include "codec/avc_config.h"
#include "codec/hevc_config.h"

namespace lw::tools {

struct AccessUnit {
  Bytes data;        // length-prefixed (4-byte) NAL units, parameter sets and AUDs left out
  bool key = false;  // IDR (H.264) / IRAP (HEVC)
};

struct ElementaryStream {
  bool hevc = false;
  Bytes config;  // AVCDecoderConfigurationRecord / HEVCDecoderConfigurationRecord
  std::vector<AccessUnit> units;
};

namespace detail {

// H.264 7.4.1.2.3 / H.265 7.4.2.4.4, reduced to what encoders emit: an AUD, a parameter set or an SEI
// after a VCL NAL unit, or a VCL NAL unit that starts a new picture (first_mb_in_slice == 0: the
// ue(v) starts with a 1 bit; HEVC: first_slice_segment_in_pic_flag), begins a new access unit.
inline bool starts_unit(bool hevc, ByteSpan nal) {
  if (hevc) {
    const uint8_t t = codec::hevc_nal_type(nal[0]);
    if (t < 32) return nal.size() > 2 && (nal[2] & 0x80);
    return (t >= 32 && t <= 35) || t == 39;
  }
  const uint8_t t = codec::avc_nal_type(nal[0]);
  if (t == 1 || t == 5) return nal.size() > 1 && (nal[1] & 0x80);
  return t == 6 || t == 7 || t == 8 || t == 9;
}

inline bool is_vcl(bool hevc, ByteSpan nal) {
  return hevc ? codec::hevc_nal_type(nal[0]) < 32 : (codec::avc_nal_type(nal[0]) >= 1 && codec::avc_nal_type(nal[0]) <= 5);
}
inline bool is_key(bool hevc, ByteSpan nal) {
  const uint8_t t = hevc ? codec::hevc_nal_type(nal[0]) : codec::avc_nal_type(nal[0]);
  return hevc ? (t >= 16 && t <= 21) : t == 5;
}
// Parameter sets and AUDs go into the record, not into the frames (as FFmpeg's FLV muxer does).
inline bool out_of_band(bool hevc, ByteSpan nal) {
  const uint8_t t = hevc ? codec::hevc_nal_type(nal[0]) : codec::avc_nal_type(nal[0]);
  return hevc ? (t >= 32 && t <= 35) : (t == 7 || t == 8 || t == 9);
}

}  // namespace detail

// Splits `stream` into access units and builds the configuration record from the first VPS/SPS/PPS.
inline Result<ElementaryStream> parse_elementary_stream(ByteSpan stream, bool hevc) {
  const std::vector<ByteSpan> nals = codec::split_annexb(stream);
  ElementaryStream es;
  es.hevc = hevc;
  std::vector<ByteSpan> vps, sps, pps;
  bool have_vcl = false;
  for (ByteSpan nal : nals) {
    if (nal.size() < (hevc ? 3u : 2u)) continue;
    const uint8_t t = hevc ? codec::hevc_nal_type(nal[0]) : codec::avc_nal_type(nal[0]);
    if (hevc ? t == 32 : false) vps.push_back(nal);
    if (hevc ? t == 33 : t == 7) sps.push_back(nal);
    if (hevc ? t == 34 : t == 8) pps.push_back(nal);
    if (es.units.empty() || (have_vcl && detail::starts_unit(hevc, nal))) {
      es.units.emplace_back();
      have_vcl = false;
    }
    if (detail::is_vcl(hevc, nal)) {
      have_vcl = true;
      if (detail::is_key(hevc, nal)) es.units.back().key = true;
    }
    if (!detail::out_of_band(hevc, nal)) LW_RETURN_IF_ERROR(codec::append_length_prefixed(nal, 4, &es.units.back().data));
  }
  if (!es.units.empty() && es.units.back().data.empty()) es.units.pop_back();
  if (sps.empty() || pps.empty() || (hevc && vps.empty()))
    return Status(ErrorCode::kInvalid, std::string("no parameter sets in the ") + (hevc ? "HEVC" : "H.264") + " stream");
  // Only the first of each: the record describes the stream's start (enough for a single-config file).
  if (hevc) {
    auto config = codec::make_hevc_config(std::span(vps).first(1), std::span(sps).first(1), std::span(pps).first(1));
    if (!config.ok()) return config.status();
    auto bytes = codec::build_hevc_config(*config);
    if (!bytes.ok()) return bytes.status();
    es.config = std::move(bytes).value();
  } else {
    auto config = codec::make_avc_config(std::span(sps).first(1), std::span(pps).first(1));
    if (!config.ok()) return config.status();
    auto bytes = codec::build_avc_config(*config);
    if (!bytes.ok()) return bytes.status();
    es.config = std::move(bytes).value();
  }
  return es;
}

}  // namespace lw::tools
