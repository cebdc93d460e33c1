// AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1, "avcC"): the H.264 sequence header of FLV
// (AVCPacketType 0) and MP4. Wire layout, e.g. FFmpeg's for 1280x720 High@3.1:
//   01 64 00 1F FF E1 | 00 1A <26-byte SPS> | 01 | 00 06 <6-byte PPS> | FD F8 F8 00
//   version, profile, compatibility, level, 111111 + lengthSizeMinusOne, 111 + numSPS, SPS list,
//   numPPS, PPS list, then (high profiles) 111111 + chroma_format, 11111 + luma depth - 8,
//   11111 + chroma depth - 8, numOfSequenceParameterSetExt.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

struct AvcDecoderConfig {
  uint8_t configuration_version = 1;
  uint8_t profile_indication = 0;     // profile_idc of the SPS
  uint8_t profile_compatibility = 0;  // the SPS's constraint flags byte
  uint8_t level_indication = 0;
  uint8_t length_size_minus_one = 3;  // 0, 1 or 3 per the spec; 2 (3-byte lengths) is parsed too
  std::vector<Bytes> sps;             // NAL units, header byte included
  std::vector<Bytes> pps;
  // The extension 5.3.3.1.2 adds for high profiles. Present on parse when the bytes are there; build
  // writes it when set.
  bool has_ext = false;
  uint8_t chroma_format = 1;
  uint8_t bit_depth_luma_minus8 = 0;
  uint8_t bit_depth_chroma_minus8 = 0;
  std::vector<Bytes> sps_ext;

  int length_size() const { return length_size_minus_one + 1; }
  bool operator==(const AvcDecoderConfig&) const = default;
};

// Parses a record. kTruncated names the list and index that ran short; kInvalid for a version other
// than 1. The high-profile extension is read only if at least its 4 bytes remain after the PPS list
// (FFmpeg and others omit it, and some write it for every profile); trailing bytes beyond what the
// record describes are ignored, as FFmpeg does.
Result<AvcDecoderConfig> parse_avc_config(ByteSpan data);

// Writes a record. kInvalid when it cannot be expressed: more than 31 SPS or 255 PPS, a NAL unit over
// 65535 bytes, length_size_minus_one over 3, extension values wider than their fields. An empty SPS
// list is written (avc3 allows parameter sets in-band only).
Result<Bytes> build_avc_config(const AvcDecoderConfig& config);

// Fills a record from SPS and PPS NAL units (header byte included, e.g. split from the encoder's Annex
// B output): profile, compatibility and level from the first SPS; the extension for every profile
// other than Baseline (66), Main (77) and Extended (88), with chroma format and bit depths from the
// SPS, which is what FFmpeg writes.
Result<AvcDecoderConfig> make_avc_config(std::span<const ByteSpan> sps, std::span<const ByteSpan> pps,
                                         int length_size = 4);

}  // namespace lw::codec
