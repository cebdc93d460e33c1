#include "codec/av1_config.h"

#include <cstdio>

#include "base/byte_reader.h"
#include "codec/bit_reader.h"

namespace lw::codec {
namespace {

// One out-of-line place that makes each error Status: the player's module links these parsers, and a
// string built at every early return costs it kilobytes (bench/RESULTS.md, issue 19's size figure).
[[gnu::noinline]] Status error(ErrorCode code, const char* what) { return Status(code, what); }

// leb128() (AV1 4.10.5): at most 8 bytes, value under 2^32 here (sizes).
bool read_leb128(ByteReader& r, uint64_t* out) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    uint8_t b;
    if (!r.u8(&b)) return false;
    value |= uint64_t{b & 0x7Fu} << (7 * i);
    if (!(b & 0x80)) {
      *out = value;
      return true;
    }
  }
  return false;
}

void write_leb128(uint64_t v, Bytes& out) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(static_cast<uint8_t>(b | (v ? 0x80 : 0)));
  } while (v);
}

// Reads `n` bits into any integer field; false past the end.
template <typename T>
bool get(BitReader& br, int n, T* out) {
  uint32_t v;
  if (!br.bits(n, &v)) return false;
  *out = static_cast<T>(v);
  return true;
}

// color_config() (AV1 5.5.2).
bool read_color_config(BitReader& br, Av1SequenceHeader& s) {
  if (!get(br, 1, &s.high_bitdepth)) return false;
  if (s.seq_profile == 2 && s.high_bitdepth && !get(br, 1, &s.twelve_bit)) return false;
  if (s.seq_profile != 1 && !get(br, 1, &s.mono_chrome)) return false;
  if (!get(br, 1, &s.color_description_present)) return false;
  if (s.color_description_present) {
    if (!get(br, 8, &s.color_primaries) || !get(br, 8, &s.transfer_characteristics) ||
        !get(br, 8, &s.matrix_coefficients))
      return false;
  }
  if (s.mono_chrome) {
    s.subsampling_x = s.subsampling_y = true;
    return get(br, 1, &s.color_range);
  }
  if (s.color_primaries == 1 && s.transfer_characteristics == 13 && s.matrix_coefficients == 0) {  // sRGB
    s.color_range = true;
    s.subsampling_x = s.subsampling_y = false;
    return true;
  }
  if (!get(br, 1, &s.color_range)) return false;
  if (s.seq_profile == 0) {
    s.subsampling_x = s.subsampling_y = true;
  } else if (s.seq_profile == 1) {
    s.subsampling_x = s.subsampling_y = false;
  } else if (s.bit_depth() == 12) {
    if (!get(br, 1, &s.subsampling_x)) return false;
    s.subsampling_y = false;
    if (s.subsampling_x && !get(br, 1, &s.subsampling_y)) return false;
  } else {
    s.subsampling_x = true;
    s.subsampling_y = false;
  }
  if (s.subsampling_x && s.subsampling_y && !get(br, 2, &s.chroma_sample_position)) return false;
  return true;
}

}  // namespace

// One OBU at r's position (data: what r reads, for `whole`). Ok, or what is wrong with it.
static Status read_obu(ByteReader& r, ByteSpan data, Obu* out) {
  const size_t start = r.position();
  uint8_t h;
  if (!r.u8(&h)) return error(ErrorCode::kTruncated, "AV1 OBU header ends early");
  if (h & 0x80) return error(ErrorCode::kInvalid, "AV1 OBU with the forbidden bit set");
  Obu o;
  o.type = (h >> 3) & 0x0F;
  o.has_extension = (h >> 2) & 1;
  const bool has_size = (h >> 1) & 1;
  if (o.has_extension) {
    uint8_t e;
    if (!r.u8(&e)) return error(ErrorCode::kTruncated, "AV1 OBU extension header ends early");
    o.temporal_id = e >> 5;
    o.spatial_id = (e >> 3) & 3;
  }
  uint64_t size = r.remaining();
  if (has_size && !read_leb128(r, &size)) return error(ErrorCode::kInvalid, "AV1 OBU size field");
  if (size > r.remaining() || !r.bytes(static_cast<size_t>(size), &o.payload))
    return error(ErrorCode::kTruncated, "AV1 OBU runs past the end of its data");
  o.whole = data.subspan(start, r.position() - start);
  *out = o;
  return Status::Ok();
}

Result<std::vector<Obu>> split_obus(ByteSpan data) {
  std::vector<Obu> out;
  ByteReader r(data);
  while (r.remaining() > 0) {
    Obu o;
    if (Status s = read_obu(r, data, &o); !s.ok()) return s;
    out.push_back(o);
  }
  return out;
}

// sequence_header_obu() (AV1 5.5.1) up to color_config(); false where the bits run out (or, for
// *unsupported, at a seq_profile over 2, or a uvlc() over 32 bits).
static bool read_sequence_header(BitReader& br, Av1SequenceHeader& s, bool* unsupported) {
  if (!get(br, 3, &s.seq_profile) || !get(br, 1, &s.still_picture) || !get(br, 1, &s.reduced_still_picture_header))
    return false;
  if (s.seq_profile > 2) return !(*unsupported = true);
  bool decoder_model_info_present = false, initial_display_delay_present = false;
  uint32_t buffer_delay_length = 0;
  if (s.reduced_still_picture_header) {
    if (!get(br, 5, &s.seq_level_idx_0)) return false;
  } else {
    bool timing_info_present;
    if (!get(br, 1, &timing_info_present)) return false;
    if (timing_info_present) {
      bool equal_picture_interval;
      if (!br.skip(64) || !get(br, 1, &equal_picture_interval)) return false;
      if (equal_picture_interval) {  // uvlc(): leading zeros, a one, that many bits
        int zeros = 0;
        for (bool done = false; !done; ++zeros) {
          if (!get(br, 1, &done)) return false;
          if (done) break;
          if (zeros >= 32) return !(*unsupported = true);
        }
        if (zeros < 32 && !br.skip(zeros)) return false;
      }
      if (!get(br, 1, &decoder_model_info_present)) return false;
      if (decoder_model_info_present) {
        if (!get(br, 5, &buffer_delay_length) || !br.skip(32 + 5 + 5)) return false;
        buffer_delay_length += 1;
      }
    }
    uint32_t op_count;
    if (!get(br, 1, &initial_display_delay_present) || !get(br, 5, &op_count)) return false;
    for (uint32_t i = 0; i <= op_count; ++i) {
      uint8_t level = 0;
      bool tier = false;
      if (!br.skip(12) || !get(br, 5, &level)) return false;
      if (level > 7 && !get(br, 1, &tier)) return false;
      if (i == 0) {
        s.seq_level_idx_0 = level;
        s.seq_tier_0 = tier;
      }
      bool present = false;
      if (decoder_model_info_present) {
        if (!get(br, 1, &present)) return false;
        if (present && !br.skip(2 * buffer_delay_length + 1)) return false;
      }
      if (initial_display_delay_present) {
        if (!get(br, 1, &present)) return false;
        if (present && !br.skip(4)) return false;
      }
    }
  }
  uint32_t w_bits, h_bits;
  if (!get(br, 4, &w_bits) || !get(br, 4, &h_bits)) return false;
  if (!get(br, static_cast<int>(w_bits + 1), &s.max_frame_width) ||
      !get(br, static_cast<int>(h_bits + 1), &s.max_frame_height))
    return false;
  ++s.max_frame_width;
  ++s.max_frame_height;
  if (!s.reduced_still_picture_header) {
    bool frame_id_numbers_present;
    if (!get(br, 1, &frame_id_numbers_present)) return false;
    if (frame_id_numbers_present && !br.skip(7)) return false;
  }
  if (!br.skip(3)) return false;  // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  if (!s.reduced_still_picture_header) {
    bool order_hint = false, choose_sct = false, choose_int_mv = false;
    uint32_t force_sct = 2;
    if (!br.skip(4) || !get(br, 1, &order_hint)) return false;  // interintra, masked, warped, dual filter
    if (order_hint && !br.skip(2)) return false;                // jnt_comp, ref_frame_mvs
    if (!get(br, 1, &choose_sct)) return false;
    if (!choose_sct && !get(br, 1, &force_sct)) return false;
    if (force_sct > 0) {
      if (!get(br, 1, &choose_int_mv)) return false;
      if (!choose_int_mv && !br.skip(1)) return false;
    }
    if (order_hint && !br.skip(3)) return false;
  }
  if (!br.skip(3)) return false;  // enable_superres, enable_cdef, enable_restoration
  return read_color_config(br, s);
}

Result<Av1SequenceHeader> parse_av1_sequence_header(ByteSpan payload) {
  BitReader br(payload);
  Av1SequenceHeader s;
  bool unsupported = false;
  if (read_sequence_header(br, s, &unsupported)) return s;
  return unsupported ? error(ErrorCode::kUnsupported, "AV1 sequence header: seq_profile over 2 or a uvlc() over 32 bits")
                     : error(ErrorCode::kTruncated, "AV1 sequence header ends early");
}

std::string Av1Config::codec_string() const {
  char s[32];
  std::snprintf(s, sizeof s, "av01.%u.%02u%c.%02d", unsigned{seq_profile}, unsigned{seq_level_idx_0},
                seq_tier_0 ? 'H' : 'M', bit_depth());
  return s;
}

Result<Av1SequenceHeader> Av1Config::sequence_header() const {
  const ByteSpan data = as_span(config_obus);
  ByteReader r(data);
  while (r.remaining() > 0) {
    Obu o;
    if (Status s = read_obu(r, data, &o); !s.ok()) return s;
    if (o.type == kObuSequenceHeader) return parse_av1_sequence_header(o.payload);
  }
  return error(ErrorCode::kInvalid, "av1C has no Sequence Header OBU");
}

bool av1_codec_string(ByteSpan d, std::string* out) {
  if (d.size() < 4 || d[0] != 0x81) return false;
  char s[24];
  const int depth = d[2] & 0x40 ? (d[2] & 0x20 ? 12 : 10) : 8;  // high_bitdepth, twelve_bit
  std::snprintf(s, sizeof s, "av01.%u.%02u%c.%02d", unsigned{d[1]} >> 5, d[1] & 0x1Fu, d[2] & 0x80 ? 'H' : 'M', depth);
  *out = s;
  return true;
}

Result<Av1Config> parse_av1_config(ByteSpan data) {
  if (data.size() < 4) return error(ErrorCode::kTruncated, "av1C under 4 bytes");
  if (data[0] != 0x81) return error(ErrorCode::kInvalid, "av1C marker/version byte is not 81");
  Av1Config c;
  c.seq_profile = data[1] >> 5;
  c.seq_level_idx_0 = data[1] & 0x1F;
  c.seq_tier_0 = data[2] >> 7;
  c.high_bitdepth = (data[2] >> 6) & 1;
  c.twelve_bit = (data[2] >> 5) & 1;
  c.monochrome = (data[2] >> 4) & 1;
  c.chroma_subsampling_x = (data[2] >> 3) & 1;
  c.chroma_subsampling_y = (data[2] >> 2) & 1;
  c.chroma_sample_position = data[2] & 3;
  c.initial_presentation_delay_present = (data[3] >> 4) & 1;
  c.initial_presentation_delay_minus_one = c.initial_presentation_delay_present ? data[3] & 0x0F : 0;
  c.config_obus.assign(data.begin() + 4, data.end());
  return c;
}

Result<Bytes> build_av1_config(const Av1Config& c) {
  if (c.seq_profile > 7 || c.seq_level_idx_0 > 31 || c.chroma_sample_position > 3 ||
      c.initial_presentation_delay_minus_one > 15)
    return error(ErrorCode::kInvalid, "av1C field wider than its bits");
  Bytes out = {0x81, static_cast<uint8_t>(c.seq_profile << 5 | c.seq_level_idx_0),
               static_cast<uint8_t>(c.seq_tier_0 << 7 | c.high_bitdepth << 6 | c.twelve_bit << 5 | c.monochrome << 4 |
                                    c.chroma_subsampling_x << 3 | c.chroma_subsampling_y << 2 |
                                    c.chroma_sample_position),
               static_cast<uint8_t>(c.initial_presentation_delay_present
                                        ? 0x10 | c.initial_presentation_delay_minus_one
                                        : 0)};
  out.insert(out.end(), c.config_obus.begin(), c.config_obus.end());
  return out;
}

Result<Av1Config> make_av1_config(const Obu& obu) {
  if (obu.type != kObuSequenceHeader) return error(ErrorCode::kInvalid, "not a Sequence Header OBU");
  auto s = parse_av1_sequence_header(obu.payload);
  if (!s.ok()) return s.status();
  Av1Config c;
  c.seq_profile = s->seq_profile;
  c.seq_level_idx_0 = s->seq_level_idx_0;
  c.seq_tier_0 = s->seq_tier_0;
  c.high_bitdepth = s->high_bitdepth;
  c.twelve_bit = s->twelve_bit;
  c.monochrome = s->mono_chrome;
  c.chroma_subsampling_x = s->subsampling_x;
  c.chroma_subsampling_y = s->subsampling_y;
  c.chroma_sample_position = s->chroma_sample_position;
  // The OBU with its size field: header (and extension) byte(s), LEB128 size, payload.
  const size_t header = obu.has_extension ? 2 : 1;
  c.config_obus.assign(obu.whole.begin(), obu.whole.begin() + header);
  c.config_obus[0] |= 0x02;  // obu_has_size_field
  write_leb128(obu.payload.size(), c.config_obus);
  c.config_obus.insert(c.config_obus.end(), obu.payload.begin(), obu.payload.end());
  return c;
}

bool av1_temporal_unit_is_key(ByteSpan tu, bool reduced_still_picture_header) {
  auto obus = split_obus(tu);
  if (!obus.ok()) return false;
  for (const Obu& o : *obus) {
    if (o.type != kObuFrame && o.type != kObuFrameHeader) continue;
    if (reduced_still_picture_header) return true;
    BitReader br(o.payload);
    uint32_t show_existing, frame_type;
    if (!br.bits(1, &show_existing) || show_existing || !br.bits(2, &frame_type)) return false;
    return frame_type == 0;  // KEY_FRAME
  }
  return false;
}

}  // namespace lw::codec
