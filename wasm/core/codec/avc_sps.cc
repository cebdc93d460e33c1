#include "codec/avc_sps.h"

#include <cstdio>

#include "codec/bit_reader.h"

namespace lw::codec {
namespace {

Status truncated(const char* field) {
  return Status(ErrorCode::kTruncated, std::string("H.264 SPS ends inside ") + field);
}

Status out_of_range(const char* field, uint32_t v) {
  return Status(ErrorCode::kInvalid,
                std::string("H.264 SPS ") + field + " = " + std::to_string(v) + " is out of range");
}

// Reads ue(v) into *out and checks it against the range 7.4.2.1.1 allows.
#define LW_UE(field, out, max)                              \
  do {                                                      \
    if (!br.ue(out)) return truncated(field);               \
    if (*(out) > (max)) return out_of_range(field, *(out)); \
  } while (0)

// 7.3.2.1.1.1 scaling_list(): only skipped, but the number of delta_scale elements depends on their
// values (a nextScale of 0 ends the list early), so each one must be read.
Status skip_scaling_list(BitReader& br, int size) {
  int32_t last = 8, next = 8;
  for (int j = 0; j < size; ++j) {
    if (next != 0) {
      int32_t delta;
      if (!br.se(&delta)) return truncated("scaling_list delta_scale");
      if (delta < -128 || delta > 127) {
        return Status(ErrorCode::kInvalid,
                      "H.264 SPS scaling_list delta_scale = " + std::to_string(delta) + " is out of range");
      }
      next = (last + delta + 256) % 256;
    }
    last = next == 0 ? last : next;
  }
  return Status::Ok();
}

// Table E-1, aspect_ratio_idc 1..16.
constexpr uint8_t kSar[17][2] = {{0, 0},   {1, 1},   {12, 11}, {10, 11}, {16, 11}, {40, 33},
                                 {24, 11}, {20, 11}, {32, 11}, {80, 33}, {18, 11}, {15, 11},
                                 {64, 33}, {160, 99}, {4, 3},  {3, 2},   {2, 1}};

// E.1.1, up to and including timing info (the rest, HRD and bitstream restrictions, is not needed).
bool parse_vui(BitReader& br, AvcSps* sps) {
  bool flag;
  uint32_t v;
  if (!br.flag(&flag)) return false;  // aspect_ratio_info_present_flag
  if (flag) {
    if (!br.bits(8, &v)) return false;
    if (v == 255) {  // Extended_SAR
      uint32_t w, h;
      if (!br.bits(16, &w) || !br.bits(16, &h)) return false;
      sps->sar_width = w;
      sps->sar_height = h;
    } else if (v <= 16) {
      sps->sar_width = kSar[v][0];
      sps->sar_height = kSar[v][1];
    }
  }
  if (!br.flag(&flag)) return false;  // overscan_info_present_flag
  if (flag && !br.skip(1)) return false;
  if (!br.flag(&flag)) return false;  // video_signal_type_present_flag
  if (flag) {
    bool full, colour;
    if (!br.skip(3) || !br.flag(&full) || !br.flag(&colour)) return false;
    sps->video_full_range = full;
    if (colour) {
      uint32_t p, t, m;
      if (!br.bits(8, &p) || !br.bits(8, &t) || !br.bits(8, &m)) return false;
      sps->colour_primaries = static_cast<uint8_t>(p);
      sps->transfer_characteristics = static_cast<uint8_t>(t);
      sps->matrix_coefficients = static_cast<uint8_t>(m);
    }
  }
  if (!br.flag(&flag)) return false;  // chroma_loc_info_present_flag
  if (flag && (!br.ue(&v) || !br.ue(&v))) return false;
  if (!br.flag(&flag)) return false;  // timing_info_present_flag
  if (flag) {
    uint32_t units, scale;
    bool fixed;
    if (!br.bits(32, &units) || !br.bits(32, &scale) || !br.flag(&fixed)) return false;
    sps->timing_info_present = true;
    sps->num_units_in_tick = units;
    sps->time_scale = scale;
    sps->fixed_frame_rate = fixed;
  }
  return true;
}

}  // namespace

bool AvcSps::has_chroma_info(uint8_t p) {
  switch (p) {
    case 100: case 110: case 122: case 244: case 44: case 83: case 86: case 118: case 128:
    case 138: case 139: case 134: case 135:
      return true;
    default:
      return false;
  }
}

std::string AvcSps::codec_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "avc1.%02X%02X%02X", profile_idc, constraint_flags, level_idc);
  return buf;
}

Result<AvcSps> parse_avc_sps(ByteSpan nal) {
  if (nal.empty()) return Status(ErrorCode::kTruncated, "H.264 SPS is empty");
  if ((nal[0] & 0x80) != 0 || (nal[0] & 0x1F) != 7) {
    return Status(ErrorCode::kInvalid, "not an H.264 SPS NAL unit (header byte " +
                                           std::to_string(nal[0]) + ")");
  }
  const Bytes rbsp = ebsp_to_rbsp(nal.subspan(1));
  BitReader br(as_span(rbsp));
  AvcSps sps;
  uint32_t v;
  if (!br.bits(8, &v)) return truncated("profile_idc");
  sps.profile_idc = static_cast<uint8_t>(v);
  if (!br.bits(8, &v)) return truncated("constraint flags");
  sps.constraint_flags = static_cast<uint8_t>(v);
  if (!br.bits(8, &v)) return truncated("level_idc");
  sps.level_idc = static_cast<uint8_t>(v);
  LW_UE("seq_parameter_set_id", &sps.seq_parameter_set_id, 31u);

  if (AvcSps::has_chroma_info(sps.profile_idc)) {
    LW_UE("chroma_format_idc", &sps.chroma_format_idc, 3u);
    if (sps.chroma_format_idc == 3 && !br.flag(&sps.separate_colour_plane)) {
      return truncated("separate_colour_plane_flag");
    }
    LW_UE("bit_depth_luma_minus8", &v, 6u);
    sps.bit_depth_luma = v + 8;
    LW_UE("bit_depth_chroma_minus8", &v, 6u);
    sps.bit_depth_chroma = v + 8;
    if (!br.skip(1)) return truncated("qpprime_y_zero_transform_bypass_flag");
    if (!br.flag(&sps.seq_scaling_matrix_present)) return truncated("seq_scaling_matrix_present_flag");
    if (sps.seq_scaling_matrix_present) {
      const int lists = sps.chroma_format_idc != 3 ? 8 : 12;
      for (int i = 0; i < lists; ++i) {
        bool present;
        if (!br.flag(&present)) return truncated("seq_scaling_list_present_flag");
        if (present) LW_RETURN_IF_ERROR(skip_scaling_list(br, i < 6 ? 16 : 64));
      }
    }
  }

  LW_UE("log2_max_frame_num_minus4", &v, 12u);
  sps.log2_max_frame_num = v + 4;
  LW_UE("pic_order_cnt_type", &sps.pic_order_cnt_type, 2u);
  if (sps.pic_order_cnt_type == 0) {
    LW_UE("log2_max_pic_order_cnt_lsb_minus4", &v, 12u);
  } else if (sps.pic_order_cnt_type == 1) {
    int32_t s;
    if (!br.skip(1)) return truncated("delta_pic_order_always_zero_flag");
    if (!br.se(&s)) return truncated("offset_for_non_ref_pic");
    if (!br.se(&s)) return truncated("offset_for_top_to_bottom_field");
    uint32_t cycle;
    LW_UE("num_ref_frames_in_pic_order_cnt_cycle", &cycle, 255u);
    for (uint32_t i = 0; i < cycle; ++i) {
      if (!br.se(&s)) return truncated("offset_for_ref_frame");
    }
  }
  LW_UE("max_num_ref_frames", &sps.max_num_ref_frames, 16u);
  if (!br.skip(1)) return truncated("gaps_in_frame_num_value_allowed_flag");
  uint32_t w_mbs, h_units;
  // 16384 MBs (262,144 samples) is far beyond any level; the bound keeps the arithmetic in range.
  LW_UE("pic_width_in_mbs_minus1", &w_mbs, 16383u);
  LW_UE("pic_height_in_map_units_minus1", &h_units, 16383u);
  sps.pic_width_in_mbs = w_mbs + 1;
  sps.pic_height_in_map_units = h_units + 1;
  if (!br.flag(&sps.frame_mbs_only)) return truncated("frame_mbs_only_flag");
  if (!sps.frame_mbs_only && !br.skip(1)) return truncated("mb_adaptive_frame_field_flag");
  if (!br.skip(1)) return truncated("direct_8x8_inference_flag");
  if (!br.flag(&sps.frame_cropping)) return truncated("frame_cropping_flag");
  if (sps.frame_cropping) {
    if (!br.ue(&sps.crop_left) || !br.ue(&sps.crop_right) || !br.ue(&sps.crop_top) ||
        !br.ue(&sps.crop_bottom)) {
      return truncated("frame_crop_offset");
    }
  }

  // 7.4.2.1.1: FrameHeightInMbs = (2 - frame_mbs_only_flag) * PicHeightInMapUnits, and the crop
  // rectangle in CropUnitX/CropUnitY (equations 7-19..7-22).
  const uint32_t frame_height_mbs = (sps.frame_mbs_only ? 1 : 2) * sps.pic_height_in_map_units;
  sps.coded_width = 16 * sps.pic_width_in_mbs;
  sps.coded_height = 16 * frame_height_mbs;
  const uint32_t chroma_array_type = sps.separate_colour_plane ? 0 : sps.chroma_format_idc;
  uint32_t sub_w = 1, sub_h = 1;
  if (chroma_array_type == 1) sub_w = sub_h = 2;
  if (chroma_array_type == 2) sub_w = 2;
  const uint64_t unit_x = chroma_array_type == 0 ? 1 : sub_w;
  const uint64_t unit_y = (chroma_array_type == 0 ? 1 : sub_h) * (sps.frame_mbs_only ? 1 : 2);
  const uint64_t crop_w = unit_x * (uint64_t{sps.crop_left} + sps.crop_right);
  const uint64_t crop_h = unit_y * (uint64_t{sps.crop_top} + sps.crop_bottom);
  if (crop_w >= sps.coded_width || crop_h >= sps.coded_height) {
    return Status(ErrorCode::kInvalid, "H.264 SPS frame cropping (" + std::to_string(crop_w) + "x" +
                                           std::to_string(crop_h) + ") leaves no picture of " +
                                           std::to_string(sps.coded_width) + "x" +
                                           std::to_string(sps.coded_height));
  }
  sps.width = sps.coded_width - static_cast<uint32_t>(crop_w);
  sps.height = sps.coded_height - static_cast<uint32_t>(crop_h);

  bool vui = false;
  if (br.flag(&vui) && vui) {
    AvcSps with_vui = sps;
    if (parse_vui(br, &with_vui)) {
      with_vui.vui_present = true;
      sps = with_vui;
    }
  }
  return sps;
}

#undef LW_UE

}  // namespace lw::codec
