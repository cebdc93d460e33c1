// H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1 seq_parameter_set_data, E.1.1 vui_parameters):
// what a demuxer, a player and a config-record builder need to know about a stream: profile, level,
// chroma format, bit depths, picture order count type, and the displayed size after frame cropping.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

struct AvcSps {
  uint8_t profile_idc = 0;
  uint8_t constraint_flags = 0;  // constraint_set0_flag (bit 7) .. constraint_set5_flag (bit 2), reserved 2 bits
  uint8_t level_idc = 0;
  uint32_t seq_parameter_set_id = 0;
  uint32_t chroma_format_idc = 1;  // 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 unless a high profile says)
  bool separate_colour_plane = false;
  uint32_t bit_depth_luma = 8;
  uint32_t bit_depth_chroma = 8;
  bool seq_scaling_matrix_present = false;
  uint32_t log2_max_frame_num = 4;
  uint32_t pic_order_cnt_type = 0;
  uint32_t max_num_ref_frames = 0;
  bool frame_mbs_only = true;  // false: interlaced coding possible, heights count field MB pairs
  uint32_t pic_width_in_mbs = 0;
  uint32_t pic_height_in_map_units = 0;
  bool frame_cropping = false;
  uint32_t crop_left = 0, crop_right = 0, crop_top = 0, crop_bottom = 0;  // as coded (crop units)

  uint32_t coded_width = 0;   // 16 * PicWidthInMbs
  uint32_t coded_height = 0;  // 16 * FrameHeightInMbs
  uint32_t width = 0;         // after frame cropping: what ffprobe calls width
  uint32_t height = 0;

  // VUI (Annex E), filled when present and readable; a damaged VUI leaves these unset rather than
  // failing the SPS (the size above is what matters).
  bool vui_present = false;
  uint32_t sar_width = 0, sar_height = 0;  // 0/0: unspecified
  bool video_full_range = false;
  uint8_t colour_primaries = 2, transfer_characteristics = 2, matrix_coefficients = 2;  // 2: unspecified
  bool timing_info_present = false;
  uint32_t num_units_in_tick = 0;
  uint32_t time_scale = 0;
  bool fixed_frame_rate = false;

  // True for the profiles whose SPS carries chroma_format_idc, bit depths and scaling lists (7.3.2.1.1).
  static bool has_chroma_info(uint8_t profile_idc);
  // RFC 6381 codec string for MSE / WebCodecs, e.g. "avc1.64001F".
  std::string codec_string() const;
};

// Parses an SPS NAL unit, header byte included (nal_unit_type 7), emulation prevention still in
// place (as it travels in Annex B, AVCC or an avcC record). Errors: kInvalid (not an SPS, a value out of
// its range in 7.4.2.1.1, an impossible size), kTruncated (ends before the frame size is known).
Result<AvcSps> parse_avc_sps(ByteSpan nal);

}  // namespace lw::codec
