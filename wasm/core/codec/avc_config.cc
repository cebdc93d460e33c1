#include "codec/avc_config.h"

#include <string>

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "codec/avc_sps.h"

namespace lw::codec {
namespace {

// Out of line, and the text built only on failure: the player's module links this parser, and a
// string made at each call site (or for every NAL unit read) costs it code and time.
[[gnu::noinline]] Status truncated(const char* what) {
  return Status(ErrorCode::kTruncated, std::string("avcC ends inside ") + what);
}

// "SPS 0 length" (claimed < 0) or "SPS 0 (26 bytes claimed)".
[[gnu::noinline]] Status list_truncated(const char* name, size_t i, int claimed) {
  std::string what = std::string(name) + " " + std::to_string(i);
  what += claimed < 0 ? std::string(" length") : " (" + std::to_string(claimed) + " bytes claimed)";
  return truncated(what.c_str());
}

// count x (u16 length, bytes)
Status read_nal_list(ByteReader& r, size_t count, const char* name, std::vector<Bytes>* out) {
  for (size_t i = 0; i < count; ++i) {
    uint16_t len;
    ByteSpan nal;
    if (!r.u16(&len)) return list_truncated(name, i, -1);
    if (!r.bytes(len, &nal)) return list_truncated(name, i, len);
    out->emplace_back(nal.begin(), nal.end());
  }
  return Status::Ok();
}

Status write_nal_list(const std::vector<Bytes>& nals, const char* name, ByteWriter& w) {
  for (const Bytes& nal : nals) {
    if (nal.size() > 0xFFFF) {
      return Status(ErrorCode::kInvalid, std::string("avcC ") + name + " of " +
                                             std::to_string(nal.size()) + " bytes exceeds 65535");
    }
    w.u16(static_cast<uint16_t>(nal.size()));
    w.bytes(as_span(nal));
  }
  return Status::Ok();
}

}  // namespace

Result<AvcDecoderConfig> parse_avc_config(ByteSpan data) {
  ByteReader r(data);
  AvcDecoderConfig c;
  uint8_t b;
  if (!r.u8(&c.configuration_version)) return truncated("configurationVersion");
  if (c.configuration_version != 1) {
    return Status(ErrorCode::kInvalid,
                  "avcC configurationVersion " + std::to_string(c.configuration_version) + " (want 1)");
  }
  if (!r.u8(&c.profile_indication)) return truncated("AVCProfileIndication");
  if (!r.u8(&c.profile_compatibility)) return truncated("profile_compatibility");
  if (!r.u8(&c.level_indication)) return truncated("AVCLevelIndication");
  if (!r.u8(&b)) return truncated("lengthSizeMinusOne");
  c.length_size_minus_one = b & 0x03;
  if (!r.u8(&b)) return truncated("numOfSequenceParameterSets");
  LW_RETURN_IF_ERROR(read_nal_list(r, b & 0x1F, "SPS", &c.sps));
  if (!r.u8(&b)) return truncated("numOfPictureParameterSets");
  LW_RETURN_IF_ERROR(read_nal_list(r, b, "PPS", &c.pps));
  if (r.remaining() >= 4) {
    uint8_t chroma = 0, luma = 0, chroma_depth = 0, count = 0;
    if (!r.u8(&chroma) || !r.u8(&luma) || !r.u8(&chroma_depth) || !r.u8(&count)) {
      return truncated("the high-profile extension");  // not reached: 4 bytes remain
    }
    c.has_ext = true;
    c.chroma_format = chroma & 0x03;
    c.bit_depth_luma_minus8 = luma & 0x07;
    c.bit_depth_chroma_minus8 = chroma_depth & 0x07;
    LW_RETURN_IF_ERROR(read_nal_list(r, count, "SPS extension", &c.sps_ext));
  }
  return c;
}

Result<Bytes> build_avc_config(const AvcDecoderConfig& c) {
  // No SPS is legal (avc3 sample entries carry parameter sets in-band; found by avc_config_fuzz):
  // only make_avc_config insists on one.
  if (c.sps.size() > 31) return Status(ErrorCode::kInvalid, "avcC holds at most 31 SPS");
  if (c.pps.size() > 255) return Status(ErrorCode::kInvalid, "avcC holds at most 255 PPS");
  if (c.sps_ext.size() > 255) return Status(ErrorCode::kInvalid, "avcC holds at most 255 SPS extensions");
  if (c.length_size_minus_one > 3) return Status(ErrorCode::kInvalid, "avcC lengthSizeMinusOne over 3");
  if (c.has_ext && (c.chroma_format > 3 || c.bit_depth_luma_minus8 > 7 || c.bit_depth_chroma_minus8 > 7)) {
    return Status(ErrorCode::kInvalid, "avcC chroma_format or bit depth does not fit its field");
  }
  Bytes out;
  ByteWriter w(&out);
  w.u8(c.configuration_version);
  w.u8(c.profile_indication);
  w.u8(c.profile_compatibility);
  w.u8(c.level_indication);
  w.u8(0xFC | c.length_size_minus_one);
  w.u8(static_cast<uint8_t>(0xE0 | c.sps.size()));
  LW_RETURN_IF_ERROR(write_nal_list(c.sps, "SPS", w));
  w.u8(static_cast<uint8_t>(c.pps.size()));
  LW_RETURN_IF_ERROR(write_nal_list(c.pps, "PPS", w));
  if (c.has_ext) {
    w.u8(0xFC | (c.chroma_format & 0x03));
    w.u8(0xF8 | (c.bit_depth_luma_minus8 & 0x07));
    w.u8(0xF8 | (c.bit_depth_chroma_minus8 & 0x07));
    w.u8(static_cast<uint8_t>(c.sps_ext.size()));
    LW_RETURN_IF_ERROR(write_nal_list(c.sps_ext, "SPS extension", w));
  }
  return out;
}

Result<AvcDecoderConfig> make_avc_config(std::span<const ByteSpan> sps, std::span<const ByteSpan> pps,
                                         int length_size) {
  if (sps.empty()) return Status(ErrorCode::kInvalid, "avcC needs at least one SPS");
  if (length_size < 1 || length_size > 4) {
    return Status(ErrorCode::kInvalid, "NAL length size " + std::to_string(length_size));
  }
  auto parsed = parse_avc_sps(sps[0]);
  if (!parsed.ok()) return Status(parsed.status()).context("avcC");
  AvcDecoderConfig c;
  c.profile_indication = parsed->profile_idc;
  c.profile_compatibility = parsed->constraint_flags;
  c.level_indication = parsed->level_idc;
  c.length_size_minus_one = static_cast<uint8_t>(length_size - 1);
  for (ByteSpan s : sps) c.sps.emplace_back(s.begin(), s.end());
  for (ByteSpan p : pps) c.pps.emplace_back(p.begin(), p.end());
  const uint8_t profile = parsed->profile_idc;
  if (profile != 66 && profile != 77 && profile != 88) {
    c.has_ext = true;
    c.chroma_format = static_cast<uint8_t>(parsed->chroma_format_idc);
    c.bit_depth_luma_minus8 = static_cast<uint8_t>(parsed->bit_depth_luma - 8);
    c.bit_depth_chroma_minus8 = static_cast<uint8_t>(parsed->bit_depth_chroma - 8);
  }
  if (c.sps.size() > 31 || c.pps.size() > 255) {
    return Status(ErrorCode::kInvalid, "avcC holds at most 31 SPS and 255 PPS");
  }
  return c;
}

}  // namespace lw::codec
