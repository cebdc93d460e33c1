// H.265 parameter sets, as far as a config record and a player need them (ITU-T H.265 7.3.2.1 VPS head,
// 7.3.2.2 seq_parameter_set_rbsp up to the bit depths, 7.3.3 profile_tier_level).
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

// The "general" part of profile_tier_level() (7.3.3); the sub-layer parts are skipped.
struct HevcProfileTierLevel {
  uint8_t profile_space = 0;  // 2 bits
  bool tier = false;          // general_tier_flag: false Main, true High
  uint8_t profile_idc = 0;    // 5 bits: 1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions
  uint32_t compatibility_flags = 0;  // general_profile_compatibility_flag[0] is bit 31
  uint64_t constraint_flags = 0;     // the 48 bits from general_progressive_source_flag on
  uint8_t level_idc = 0;             // 30 x level, e.g. 93 = level 3.1
  bool operator==(const HevcProfileTierLevel&) const = default;
};

struct HevcSps {
  uint8_t vps_id = 0;
  uint8_t max_sub_layers = 1;  // sps_max_sub_layers_minus1 + 1
  bool temporal_id_nesting = false;
  HevcProfileTierLevel ptl;
  uint32_t sps_id = 0;
  uint32_t chroma_format_idc = 1;
  bool separate_colour_plane = false;
  uint32_t pic_width = 0;   // pic_width_in_luma_samples (coded)
  uint32_t pic_height = 0;
  bool conformance_window = false;
  uint32_t conf_left = 0, conf_right = 0, conf_top = 0, conf_bottom = 0;  // in chroma units as coded
  uint32_t width = 0;   // after the conformance window: what ffprobe calls width
  uint32_t height = 0;
  uint32_t bit_depth_luma = 8;
  uint32_t bit_depth_chroma = 8;

  // ISO/IEC 14496-15 E.3 codec string, e.g. "hvc1.1.6.L93.90" (`hev1` when `hev1` is true).
  std::string codec_string(bool hev1 = false) const;
};

// Parses an SPS NAL unit, 2-byte header included (nal_unit_type 33), emulation prevention in place.
// kInvalid for another NAL type or an out-of-range value, kTruncated when it ends before the bit
// depths, kUnsupported for nuh_layer_id > 0 (multi-layer extensions use another syntax).
Result<HevcSps> parse_hevc_sps(ByteSpan nal);

struct HevcVps {
  uint8_t vps_id = 0;
  uint8_t max_layers = 1;      // vps_max_layers_minus1 + 1
  uint8_t max_sub_layers = 1;  // vps_max_sub_layers_minus1 + 1
  bool temporal_id_nesting = false;
  HevcProfileTierLevel ptl;
};

// Parses the head of a VPS NAL unit (nal_unit_type 32) through its profile_tier_level.
Result<HevcVps> parse_hevc_vps(ByteSpan nal);

}  // namespace lw::codec
