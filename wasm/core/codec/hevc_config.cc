#include "codec/hevc_config.h"

#include <algorithm>
#include <string>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace lw::codec {
namespace {

// Out of line, and the text built only on failure: the player's module links this parser, and a
// string made at each call site (or for every array and NAL unit read) costs it code and time.
[[gnu::noinline]] Status truncated(const std::string& what) {
  return Status(ErrorCode::kTruncated, "hvcC ends inside " + what);
}
[[gnu::noinline]] Status truncated(const char* what) { return truncated(std::string(what)); }

// "array 1 numNalus" (nal < 0), "array 1 NAL unit 0 length" (claimed < 0), "array 1 NAL unit 0 (9 bytes claimed)".
[[gnu::noinline]] Status array_truncated(size_t array, const char* field, long nal = -1, int claimed = -1) {
  std::string what = "array " + std::to_string(array);
  if (nal >= 0) what += " NAL unit " + std::to_string(nal);
  if (field) what += field;
  else what += " (" + std::to_string(claimed) + " bytes claimed)";
  return truncated(what);
}

}  // namespace

std::vector<ByteSpan> HevcDecoderConfig::nalus_of_type(uint8_t type) const {
  std::vector<ByteSpan> out;
  for (const HevcNalArray& a : arrays) {
    if (a.nal_unit_type != type) continue;
    for (const Bytes& n : a.nalus) out.push_back(as_span(n));
  }
  return out;
}

Result<HevcDecoderConfig> parse_hevc_config(ByteSpan data) {
  ByteReader r(data);
  HevcDecoderConfig c;
  uint8_t b;
  uint16_t u16;
  uint32_t u32;
  if (!r.u8(&c.configuration_version)) return truncated("configurationVersion");
  if (c.configuration_version != 1) {
    return Status(ErrorCode::kInvalid,
                  "hvcC configurationVersion " + std::to_string(c.configuration_version) + " (want 1)");
  }
  if (!r.u8(&b)) return truncated("general_profile_idc");
  c.ptl.profile_space = b >> 6;
  c.ptl.tier = (b >> 5) & 1;
  c.ptl.profile_idc = b & 0x1F;
  if (!r.u32(&c.ptl.compatibility_flags)) return truncated("general_profile_compatibility_flags");
  if (!r.u16(&u16) || !r.u32(&u32)) return truncated("general_constraint_indicator_flags");
  c.ptl.constraint_flags = (uint64_t{u16} << 32) | u32;
  if (!r.u8(&c.ptl.level_idc)) return truncated("general_level_idc");
  if (!r.u16(&u16)) return truncated("min_spatial_segmentation_idc");
  c.min_spatial_segmentation_idc = u16 & 0x0FFF;
  if (!r.u8(&b)) return truncated("parallelismType");
  c.parallelism_type = b & 0x03;
  if (!r.u8(&b)) return truncated("chroma_format_idc");
  c.chroma_format = b & 0x03;
  if (!r.u8(&b)) return truncated("bit_depth_luma_minus8");
  c.bit_depth_luma_minus8 = b & 0x07;
  if (!r.u8(&b)) return truncated("bit_depth_chroma_minus8");
  c.bit_depth_chroma_minus8 = b & 0x07;
  if (!r.u16(&c.avg_frame_rate)) return truncated("avgFrameRate");
  if (!r.u8(&b)) return truncated("lengthSizeMinusOne");
  c.constant_frame_rate = b >> 6;
  c.num_temporal_layers = (b >> 3) & 0x07;
  c.temporal_id_nested = (b >> 2) & 1;
  c.length_size_minus_one = b & 0x03;
  uint8_t num_arrays;
  if (!r.u8(&num_arrays)) return truncated("numOfArrays");
  for (size_t i = 0; i < num_arrays; ++i) {
    HevcNalArray a;
    if (!r.u8(&b)) return array_truncated(i, " NAL_unit_type");
    a.array_completeness = b >> 7;
    a.nal_unit_type = b & 0x3F;
    uint16_t count;
    if (!r.u16(&count)) return array_truncated(i, " numNalus");
    // No reserve from `count`: each NAL unit is read (and bounds-checked) before it is stored.
    for (size_t j = 0; j < count; ++j) {
      uint16_t len;
      ByteSpan nal;
      if (!r.u16(&len)) return array_truncated(i, " length", static_cast<long>(j));
      if (!r.bytes(len, &nal)) return array_truncated(i, nullptr, static_cast<long>(j), len);
      a.nalus.emplace_back(nal.begin(), nal.end());
    }
    c.arrays.push_back(std::move(a));
  }
  return c;
}

namespace {

// Every field must fit its width in the record; masking would silently write another value (found by
// hevc_config_fuzz: an SPS with bit_depth_chroma_minus8 = 8, legal in H.265, has no 3-bit encoding).
Status check_widths(const HevcDecoderConfig& c) {
  struct Field {
    const char* name;
    uint32_t value, max;
  };
  const Field fields[] = {
      {"general_profile_space", c.ptl.profile_space, 3},
      {"general_profile_idc", c.ptl.profile_idc, 31},
      {"min_spatial_segmentation_idc", c.min_spatial_segmentation_idc, 4095},
      {"parallelismType", c.parallelism_type, 3},
      {"chroma_format_idc", c.chroma_format, 3},
      {"bit_depth_luma_minus8", c.bit_depth_luma_minus8, 7},
      {"bit_depth_chroma_minus8", c.bit_depth_chroma_minus8, 7},
      {"constantFrameRate", c.constant_frame_rate, 3},
      {"numTemporalLayers", c.num_temporal_layers, 7},
      {"lengthSizeMinusOne", c.length_size_minus_one, 3},
  };
  for (const Field& f : fields) {
    if (f.value > f.max) {
      return Status(ErrorCode::kInvalid, std::string("hvcC ") + f.name + " " + std::to_string(f.value) +
                                             " does not fit (max " + std::to_string(f.max) + ")");
    }
  }
  for (const HevcNalArray& a : c.arrays) {
    if (a.nal_unit_type > 63) return Status(ErrorCode::kInvalid, "hvcC NAL_unit_type over 63");
  }
  return Status::Ok();
}

}  // namespace

Result<Bytes> build_hevc_config(const HevcDecoderConfig& c) {
  if (c.arrays.size() > 255) return Status(ErrorCode::kInvalid, "hvcC holds at most 255 arrays");
  LW_RETURN_IF_ERROR(check_widths(c));
  Bytes out;
  ByteWriter w(&out);
  w.u8(c.configuration_version);
  w.u8(static_cast<uint8_t>((c.ptl.profile_space & 3) << 6 | (c.ptl.tier ? 0x20 : 0) |
                            (c.ptl.profile_idc & 0x1F)));
  w.u32(c.ptl.compatibility_flags);
  w.u16(static_cast<uint16_t>(c.ptl.constraint_flags >> 32));
  w.u32(static_cast<uint32_t>(c.ptl.constraint_flags));
  w.u8(c.ptl.level_idc);
  w.u16(static_cast<uint16_t>(0xF000 | (c.min_spatial_segmentation_idc & 0x0FFF)));
  w.u8(0xFC | (c.parallelism_type & 3));
  w.u8(0xFC | (c.chroma_format & 3));
  w.u8(0xF8 | (c.bit_depth_luma_minus8 & 7));
  w.u8(0xF8 | (c.bit_depth_chroma_minus8 & 7));
  w.u16(c.avg_frame_rate);
  w.u8(static_cast<uint8_t>((c.constant_frame_rate & 3) << 6 | (c.num_temporal_layers & 7) << 3 |
                            (c.temporal_id_nested ? 4 : 0) | (c.length_size_minus_one & 3)));
  w.u8(static_cast<uint8_t>(c.arrays.size()));
  for (const HevcNalArray& a : c.arrays) {
    if (a.nalus.size() > 0xFFFF) {
      return Status(ErrorCode::kInvalid, "hvcC array holds at most 65535 NAL units");
    }
    w.u8(static_cast<uint8_t>((a.array_completeness ? 0x80 : 0) | (a.nal_unit_type & 0x3F)));
    w.u16(static_cast<uint16_t>(a.nalus.size()));
    for (const Bytes& nal : a.nalus) {
      if (nal.size() > 0xFFFF) {
        return Status(ErrorCode::kInvalid,
                      "hvcC NAL unit of " + std::to_string(nal.size()) + " bytes exceeds 65535");
      }
      w.u16(static_cast<uint16_t>(nal.size()));
      w.bytes(as_span(nal));
    }
  }
  return out;
}

Result<HevcDecoderConfig> make_hevc_config(std::span<const ByteSpan> vps, std::span<const ByteSpan> sps,
                                           std::span<const ByteSpan> pps, int length_size,
                                           bool array_completeness, std::span<const ByteSpan> sei) {
  if (sps.empty()) return Status(ErrorCode::kInvalid, "hvcC needs at least one SPS");
  if (length_size < 1 || length_size > 4) {
    return Status(ErrorCode::kInvalid, "NAL length size " + std::to_string(length_size));
  }
  auto s = parse_hevc_sps(sps[0]);
  if (!s.ok()) return Status(s.status()).context("hvcC");
  HevcDecoderConfig c;
  c.ptl = s->ptl;
  c.chroma_format = static_cast<uint8_t>(s->chroma_format_idc);
  c.bit_depth_luma_minus8 = static_cast<uint8_t>(s->bit_depth_luma - 8);
  c.bit_depth_chroma_minus8 = static_cast<uint8_t>(s->bit_depth_chroma - 8);
  LW_RETURN_IF_ERROR(check_widths(c));  // e.g. 16-bit video: H.265 allows it, hvcC cannot say it
  c.num_temporal_layers = s->max_sub_layers;
  c.temporal_id_nested = s->temporal_id_nesting;
  c.length_size_minus_one = static_cast<uint8_t>(length_size - 1);
  if (!vps.empty()) {
    auto v = parse_hevc_vps(vps[0]);
    if (!v.ok()) return Status(v.status()).context("hvcC");
    c.num_temporal_layers = std::max(c.num_temporal_layers, v->max_sub_layers);
  }
  auto add = [&](std::span<const ByteSpan> nals, uint8_t type) {
    if (nals.empty()) return;
    HevcNalArray a;
    a.array_completeness = array_completeness;
    a.nal_unit_type = type;
    for (ByteSpan n : nals) a.nalus.emplace_back(n.begin(), n.end());
    c.arrays.push_back(std::move(a));
  };
  add(vps, 32);
  add(sps, 33);
  add(pps, 34);
  add(sei, 39);  // prefix SEI (e.g. x265's encoder-settings SEI), as FFmpeg does with the same flag
  return c;
}

}  // namespace lw::codec
