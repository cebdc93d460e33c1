#include "codec/vp9_config.h"

#include <cstdio>

#include "codec/bit_reader.h"

namespace lw::codec {
namespace {

// One out-of-line place that makes each error Status (the player's module links parse_vp9_config).
[[gnu::noinline]] Status error(ErrorCode code, const char* what) { return Status(code, what); }

constexpr uint8_t kLevels[] = {10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 52, 60, 61, 62};

bool known_level(uint8_t level) {
  for (uint8_t l : kLevels)
    if (l == level) return true;
  return false;
}

}  // namespace

std::string Vp9Config::codec_string() const {
  char s[32];
  std::snprintf(s, sizeof s, "vp09.%02u.%02u.%02u", unsigned{profile}, unsigned{known_level(level) ? level : 31u},
                unsigned{bit_depth});
  return s;
}

bool read_vp9_config(ByteSpan d, Vp9Config* c) {
  // The full box body starts 01 000000 and is 12 bytes or more; the bare record is 8 bytes and starts
  // with the profile (0-3), so a 1 followed by three zero bytes and room for the rest is the box form.
  if (d.size() >= 12 && d[0] == 1 && d[1] == 0 && d[2] == 0 && d[3] == 0) d = d.subspan(4);
  if (d.size() < 8) return false;
  c->profile = d[0];
  c->level = d[1];
  c->bit_depth = d[2] >> 4;
  c->chroma_subsampling = (d[2] >> 1) & 7;
  c->full_range = d[2] & 1;
  c->colour_primaries = d[3];
  c->transfer_characteristics = d[4];
  c->matrix_coefficients = d[5];
  return c->profile <= 3 && (c->bit_depth == 8 || c->bit_depth == 10 || c->bit_depth == 12) && c->chroma_subsampling <= 3;
}

Result<Vp9Config> parse_vp9_config(ByteSpan d) {
  if (d.size() >= 4 && d[0] > 3 && !(d[0] == 1 && d[1] == 0 && d[2] == 0 && d[3] == 0))
    return error(ErrorCode::kInvalid, "vpcC version is not 1");
  if (d.size() < 8) return error(ErrorCode::kTruncated, "vpcC under 8 bytes");
  Vp9Config c;
  if (!read_vp9_config(d, &c)) return error(ErrorCode::kInvalid, "vpcC profile, bitDepth or chromaSubsampling out of range");
  return c;
}

Result<Bytes> build_vp9_config(const Vp9Config& c) {
  if (c.profile > 3 || (c.bit_depth != 8 && c.bit_depth != 10 && c.bit_depth != 12) || c.chroma_subsampling > 3)
    return error(ErrorCode::kInvalid, "vpcC field out of range");
  return Bytes{1, 0, 0, 0, c.profile, c.level,
               static_cast<uint8_t>(c.bit_depth << 4 | c.chroma_subsampling << 1 | (c.full_range ? 1 : 0)),
               c.colour_primaries, c.transfer_characteristics, c.matrix_coefficients, 0, 0};
}

Result<Vp9FrameHeader> parse_vp9_frame_header(ByteSpan frame) {
  BitReader br(frame);
  Vp9FrameHeader h;
  const auto cut = [] { return error(ErrorCode::kTruncated, "VP9 uncompressed header ends early"); };
  uint32_t marker, lo, hi, v;
  if (!br.bits(2, &marker) || !br.bits(1, &lo) || !br.bits(1, &hi)) return cut();
  if (marker != 2) return error(ErrorCode::kInvalid, "VP9 frame_marker is not 2");
  h.profile = static_cast<uint8_t>(hi << 1 | lo);
  if (h.profile == 3 && !br.skip(1)) return cut();
  if (!br.bits(1, &v)) return cut();
  h.show_existing_frame = v;
  if (h.show_existing_frame) return h;
  if (!br.bits(1, &v)) return cut();
  h.key_frame = v == 0;
  if (!br.bits(1, &v)) return cut();
  h.show_frame = v;
  if (!h.key_frame) return h;
  if (!br.skip(1) || !br.bits(24, &v)) return cut();  // error_resilient_mode, frame_sync_code
  if (v != 0x498342) return error(ErrorCode::kInvalid, "VP9 key frame without its sync code");
  // color_config() (6.2.2)
  if (h.profile >= 2) {
    if (!br.bits(1, &v)) return cut();
    h.bit_depth = v ? 12 : 10;
  }
  if (!br.bits(3, &v)) return cut();
  h.color_space = static_cast<uint8_t>(v);
  if (h.color_space != 7) {  // not CS_RGB
    if (!br.bits(1, &v)) return cut();
    h.color_range = v;
    if (h.profile == 1 || h.profile == 3) {
      uint32_t x, y;
      if (!br.bits(1, &x) || !br.bits(1, &y) || !br.skip(1)) return cut();
      h.subsampling_x = x;
      h.subsampling_y = y;
    }
  } else {
    h.color_range = true;
    h.subsampling_x = h.subsampling_y = false;
    if ((h.profile == 1 || h.profile == 3) && !br.skip(1)) return cut();
  }
  uint32_t w, hgt;
  if (!br.bits(16, &w) || !br.bits(16, &hgt)) return cut();
  h.width = w + 1;
  h.height = hgt + 1;
  return h;
}

Vp9Config make_vp9_config(const Vp9FrameHeader& k, uint8_t level) {
  Vp9Config c;
  c.profile = k.profile;
  c.level = level;
  c.bit_depth = k.bit_depth;
  // 4:2:0 is written as "colocated with luma" (1), as FFmpeg's vpcc.c does when it does not know.
  c.chroma_subsampling = k.subsampling_x && k.subsampling_y ? 1 : k.subsampling_x ? 2 : 3;
  c.full_range = k.color_range;
  // VP9 color_space -> ISO/IEC 23091-2 matrix coefficients: BT.601 6, BT.709 1, SMPTE-170 6, SMPTE-240 7,
  // BT.2020 9, RGB 0; unknown stays 2 (unspecified).
  static constexpr uint8_t kMatrix[8] = {2, 6, 1, 6, 7, 9, 2, 0};
  c.matrix_coefficients = kMatrix[k.color_space & 7];
  return c;
}

uint8_t vp9_level_for(uint32_t width, uint32_t height, double fps) {
  struct Limit {
    uint8_t level;
    double picture_size, sample_rate;
  };
  static constexpr Limit kLimits[] = {
      {10, 36864, 829440},       {11, 73728, 2764800},       {20, 122880, 4608000},
      {21, 245760, 9216000},     {30, 552960, 20736000},     {31, 983040, 36864000},
      {40, 2228224, 83558400},   {41, 2228224, 160432128},   {50, 8912896, 311951360},
      {51, 8912896, 588251136},  {52, 8912896, 1176502272},  {60, 35651584, 1176502272},
      {61, 35651584, 2353004544}, {62, 35651584, 4706009088}};
  const double size = double(width) * height;
  for (const Limit& l : kLimits)
    if (size <= l.picture_size && size * fps <= l.sample_rate) return l.level;
  return 0;
}

}  // namespace lw::codec
