// HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1, "hvcC"): the HEVC sequence header of FLV
// (legacy codec id 12 and Enhanced RTMP `hvc1`) and MP4. A 23-byte head, then arrays of NAL units:
//   01 | 01 60000000 900000000000 5D | F000 | FC | FD | F8 | F8 | 0000 | 0F | 03
//   version, profile space/tier/profile, compatibility flags, constraint flags, level,
//   1111 + min_spatial_segmentation_idc(12), 111111 + parallelismType(2), 111111 + chroma_format(2),
//   11111 + luma depth - 8, 11111 + chroma depth - 8, avgFrameRate(16),
//   constantFrameRate(2) numTemporalLayers(3) temporalIdNested(1) lengthSizeMinusOne(2), numOfArrays
//   then per array: array_completeness(1) 0 NAL_unit_type(6), numNalus(16), (u16 length + NAL)*
// (FFmpeg 5.1's record for x265's 1280x720 Main@3.1; the arrays are VPS, SPS, PPS.)
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "codec/hevc_sps.h"

namespace lw::codec {

struct HevcNalArray {
  bool array_completeness = false;
  uint8_t nal_unit_type = 0;
  std::vector<Bytes> nalus;  // header bytes included
  bool operator==(const HevcNalArray&) const = default;
};

struct HevcDecoderConfig {
  uint8_t configuration_version = 1;
  HevcProfileTierLevel ptl;
  uint16_t min_spatial_segmentation_idc = 0;  // 12 bits; 0: not signalled
  uint8_t parallelism_type = 0;               // 0: unknown / mixed
  uint8_t chroma_format = 1;
  uint8_t bit_depth_luma_minus8 = 0;
  uint8_t bit_depth_chroma_minus8 = 0;
  uint16_t avg_frame_rate = 0;  // frames per 256 s; 0: unspecified
  uint8_t constant_frame_rate = 0;
  uint8_t num_temporal_layers = 1;
  bool temporal_id_nested = false;
  uint8_t length_size_minus_one = 3;
  std::vector<HevcNalArray> arrays;

  int length_size() const { return length_size_minus_one + 1; }
  // All NAL units of one type across the arrays (VPS 32, SPS 33, PPS 34, SEI 39/40).
  std::vector<ByteSpan> nalus_of_type(uint8_t nal_unit_type) const;
  bool operator==(const HevcDecoderConfig&) const = default;
};

// Parses a record; kTruncated names the field or the array/NAL index that ran short, kInvalid for a
// configurationVersion other than 1. Bytes after the last array are ignored.
Result<HevcDecoderConfig> parse_hevc_config(ByteSpan data);

// Writes a record; kInvalid for more than 255 arrays, more than 65535 NAL units in one array, a NAL
// unit over 65535 bytes, or a value wider than its field (e.g. bit_depth_luma_minus8 over 7).
Result<Bytes> build_hevc_config(const HevcDecoderConfig& config);

// Fills a record from parameter-set NAL units (2-byte header included): profile/tier/level, chroma
// format and bit depths from the first SPS; numTemporalLayers the larger of the VPS's and SPS's
// max_sub_layers, temporalIdNested from the SPS; arrays in the order VPS, SPS, PPS, SEI (as FFmpeg
// writes them), each with `array_completeness` (FFmpeg writes 1 in MP4 `hvc1`, 0 in FLV).
// min_spatial_segmentation_idc and parallelismType are left 0 ("unknown"), avgFrameRate 0.
// kInvalid when the SPS does not parse or has a bit depth over 15 (H.265 allows 16; hvcC has 3 bits).
Result<HevcDecoderConfig> make_hevc_config(std::span<const ByteSpan> vps, std::span<const ByteSpan> sps,
                                           std::span<const ByteSpan> pps, int length_size = 4,
                                           bool array_completeness = false,
                                           std::span<const ByteSpan> sei = {});

}  // namespace lw::codec
