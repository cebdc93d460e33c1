#include "codec/hevc_sps.h"

#include <cstdio>

#include "codec/bit_reader.h"

namespace lw::codec {
namespace {

Status truncated(const char* what, const char* field) {
  return Status(ErrorCode::kTruncated, std::string("H.265 ") + what + " ends inside " + field);
}

Status out_of_range(const char* field, uint32_t v) {
  return Status(ErrorCode::kInvalid,
                std::string("H.265 SPS ") + field + " = " + std::to_string(v) + " is out of range");
}

// The 2-byte NAL header (7.3.1.2): forbidden_zero_bit, nal_unit_type(6), nuh_layer_id(6),
// nuh_temporal_id_plus1(3).
Status check_header(ByteSpan nal, uint8_t want_type, const char* what) {
  if (nal.size() < 2) return truncated(what, "the NAL unit header");
  const uint8_t type = (nal[0] >> 1) & 0x3F;
  if ((nal[0] & 0x80) || type != want_type) {
    return Status(ErrorCode::kInvalid, std::string("not an H.265 ") + what + " NAL unit (type " +
                                           std::to_string(type) + ")");
  }
  const uint8_t layer = static_cast<uint8_t>(((nal[0] & 1) << 5) | (nal[1] >> 3));
  if (layer != 0) {
    return Status(ErrorCode::kUnsupported, std::string("H.265 ") + what + " with nuh_layer_id " +
                                               std::to_string(layer) + " (multi-layer)");
  }
  return Status::Ok();
}

// 7.3.3 profile_tier_level(1, max_sub_layers_minus1).
Status parse_ptl(BitReader& br, uint32_t max_sub_layers_minus1, const char* what,
                 HevcProfileTierLevel* ptl) {
  uint32_t v, hi, lo;
  if (!br.bits(2, &v)) return truncated(what, "general_profile_space");
  ptl->profile_space = static_cast<uint8_t>(v);
  if (!br.flag(&ptl->tier)) return truncated(what, "general_tier_flag");
  if (!br.bits(5, &v)) return truncated(what, "general_profile_idc");
  ptl->profile_idc = static_cast<uint8_t>(v);
  if (!br.bits(32, &ptl->compatibility_flags)) return truncated(what, "general_profile_compatibility_flag");
  if (!br.bits(16, &hi) || !br.bits(32, &lo)) return truncated(what, "general constraint flags");
  ptl->constraint_flags = (uint64_t{hi} << 32) | lo;
  if (!br.bits(8, &v)) return truncated(what, "general_level_idc");
  ptl->level_idc = static_cast<uint8_t>(v);
  bool profile_present[8] = {}, level_present[8] = {};
  for (uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    if (!br.flag(&profile_present[i]) || !br.flag(&level_present[i])) {
      return truncated(what, "sub_layer_profile_present_flag");
    }
  }
  if (max_sub_layers_minus1 > 0 && !br.skip(2 * (8 - max_sub_layers_minus1))) {
    return truncated(what, "reserved_zero_2bits");
  }
  for (uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    // sub_layer profile: 2+1+5+32+4+43+1 = 88 bits; sub_layer_level_idc: 8 bits.
    if (profile_present[i] && !br.skip(88)) return truncated(what, "sub_layer profile");
    if (level_present[i] && !br.skip(8)) return truncated(what, "sub_layer_level_idc");
  }
  return Status::Ok();
}

}  // namespace

std::string HevcSps::codec_string(bool hev1) const {
  // E.3: profile space letter (none, A, B, C) + profile_idc; the compatibility flags in reverse bit
  // order, hex; tier L/H + level_idc; the six constraint bytes, hex, trailing zero bytes dropped.
  std::string s = hev1 ? "hev1." : "hvc1.";
  if (ptl.profile_space > 0) s += static_cast<char>('A' + ptl.profile_space - 1);
  s += std::to_string(ptl.profile_idc);
  uint32_t reversed = 0;
  for (int i = 0; i < 32; ++i) reversed |= ((ptl.compatibility_flags >> i) & 1u) << (31 - i);
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%X", reversed);
  s += buf;
  s += ptl.tier ? ".H" : ".L";
  s += std::to_string(ptl.level_idc);
  int last = -1;
  for (int i = 0; i < 6; ++i) {
    if ((ptl.constraint_flags >> (40 - 8 * i)) & 0xFF) last = i;
  }
  for (int i = 0; i <= last; ++i) {
    std::snprintf(buf, sizeof buf, ".%X", static_cast<unsigned>((ptl.constraint_flags >> (40 - 8 * i)) & 0xFF));
    s += buf;
  }
  return s;
}

Result<HevcSps> parse_hevc_sps(ByteSpan nal) {
  LW_RETURN_IF_ERROR(check_header(nal, 33, "SPS"));
  const Bytes rbsp = ebsp_to_rbsp(nal.subspan(2));
  BitReader br(as_span(rbsp));
  HevcSps sps;
  uint32_t v;
  if (!br.bits(4, &v)) return truncated("SPS", "sps_video_parameter_set_id");
  sps.vps_id = static_cast<uint8_t>(v);
  if (!br.bits(3, &v)) return truncated("SPS", "sps_max_sub_layers_minus1");
  if (v > 6) return out_of_range("sps_max_sub_layers_minus1", v);
  sps.max_sub_layers = static_cast<uint8_t>(v + 1);
  if (!br.flag(&sps.temporal_id_nesting)) return truncated("SPS", "sps_temporal_id_nesting_flag");
  LW_RETURN_IF_ERROR(parse_ptl(br, v, "SPS", &sps.ptl));
  if (!br.ue(&sps.sps_id)) return truncated("SPS", "sps_seq_parameter_set_id");
  if (sps.sps_id > 15) return out_of_range("sps_seq_parameter_set_id", sps.sps_id);
  if (!br.ue(&sps.chroma_format_idc)) return truncated("SPS", "chroma_format_idc");
  if (sps.chroma_format_idc > 3) return out_of_range("chroma_format_idc", sps.chroma_format_idc);
  if (sps.chroma_format_idc == 3 && !br.flag(&sps.separate_colour_plane)) {
    return truncated("SPS", "separate_colour_plane_flag");
  }
  if (!br.ue(&sps.pic_width)) return truncated("SPS", "pic_width_in_luma_samples");
  if (!br.ue(&sps.pic_height)) return truncated("SPS", "pic_height_in_luma_samples");
  // Level 6.2 allows 8444 x 4320 at most; 65535 keeps every later product in range.
  if (sps.pic_width == 0 || sps.pic_width > 65535) return out_of_range("pic_width_in_luma_samples", sps.pic_width);
  if (sps.pic_height == 0 || sps.pic_height > 65535) {
    return out_of_range("pic_height_in_luma_samples", sps.pic_height);
  }
  if (!br.flag(&sps.conformance_window)) return truncated("SPS", "conformance_window_flag");
  if (sps.conformance_window) {
    if (!br.ue(&sps.conf_left) || !br.ue(&sps.conf_right) || !br.ue(&sps.conf_top) ||
        !br.ue(&sps.conf_bottom)) {
      return truncated("SPS", "conf_win_offset");
    }
  }
  if (!br.ue(&v)) return truncated("SPS", "bit_depth_luma_minus8");
  if (v > 8) return out_of_range("bit_depth_luma_minus8", v);
  sps.bit_depth_luma = v + 8;
  if (!br.ue(&v)) return truncated("SPS", "bit_depth_chroma_minus8");
  if (v > 8) return out_of_range("bit_depth_chroma_minus8", v);
  sps.bit_depth_chroma = v + 8;

  // 7.4.3.2.1: the window is in units of SubWidthC x SubHeightC (Table 6-1; 1x1 with separate planes).
  const uint32_t chroma_array_type = sps.separate_colour_plane ? 0 : sps.chroma_format_idc;
  const uint64_t sub_w = (chroma_array_type == 1 || chroma_array_type == 2) ? 2 : 1;
  const uint64_t sub_h = chroma_array_type == 1 ? 2 : 1;
  const uint64_t crop_w = sub_w * (uint64_t{sps.conf_left} + sps.conf_right);
  const uint64_t crop_h = sub_h * (uint64_t{sps.conf_top} + sps.conf_bottom);
  if (crop_w >= sps.pic_width || crop_h >= sps.pic_height) {
    return Status(ErrorCode::kInvalid, "H.265 SPS conformance window leaves no picture of " +
                                           std::to_string(sps.pic_width) + "x" +
                                           std::to_string(sps.pic_height));
  }
  sps.width = sps.pic_width - static_cast<uint32_t>(crop_w);
  sps.height = sps.pic_height - static_cast<uint32_t>(crop_h);
  return sps;
}

Result<HevcVps> parse_hevc_vps(ByteSpan nal) {
  LW_RETURN_IF_ERROR(check_header(nal, 32, "VPS"));
  const Bytes rbsp = ebsp_to_rbsp(nal.subspan(2));
  BitReader br(as_span(rbsp));
  HevcVps vps;
  uint32_t v;
  // 7.3.2.1: vps_video_parameter_set_id u(4), vps_base_layer_internal_flag, vps_base_layer_available_flag,
  // vps_max_layers_minus1 u(6), vps_max_sub_layers_minus1 u(3), vps_temporal_id_nesting_flag,
  // vps_reserved_0xffff_16bits, profile_tier_level(1, vps_max_sub_layers_minus1).
  if (!br.bits(4, &v)) return truncated("VPS", "vps_video_parameter_set_id");
  vps.vps_id = static_cast<uint8_t>(v);
  if (!br.skip(2)) return truncated("VPS", "vps_base_layer flags");
  if (!br.bits(6, &v)) return truncated("VPS", "vps_max_layers_minus1");
  vps.max_layers = static_cast<uint8_t>(v + 1);
  if (!br.bits(3, &v)) return truncated("VPS", "vps_max_sub_layers_minus1");
  if (v > 6) return Status(ErrorCode::kInvalid, "H.265 VPS vps_max_sub_layers_minus1 = " + std::to_string(v));
  vps.max_sub_layers = static_cast<uint8_t>(v + 1);
  if (!br.flag(&vps.temporal_id_nesting)) return truncated("VPS", "vps_temporal_id_nesting_flag");
  if (!br.skip(16)) return truncated("VPS", "vps_reserved_0xffff_16bits");
  LW_RETURN_IF_ERROR(parse_ptl(br, v, "VPS", &vps.ptl));
  return vps;
}

}  // namespace lw::codec
