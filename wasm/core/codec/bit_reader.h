// Bit-level reading for codec headers: MSB-first fixed-width fields, unsigned and signed Exp-Golomb
// (H.264 9.1 / H.265 9.2, ue(v) and se(v)), all bounds-checked like lw::ByteReader: a read past the end
// returns false and leaves the position unchanged. Also the emulation-prevention removal that turns a
// NAL unit's payload (EBSP) into its RBSP (H.264 7.4.1 / H.265 7.4.2: `00 00 03 xx` -> `00 00 xx`).
#pragma once

#include <cstdint>

#include "base/bytes.h"

namespace lw::codec {

class BitReader {
 public:
  explicit BitReader(ByteSpan data) : data_(data) {}

  size_t bit_position() const { return pos_; }
  size_t bits_left() const { return data_.size() * 8 - pos_; }

  // Up to 32 bits, most significant first.
  [[nodiscard]] bool bits(int n, uint32_t* out);
  [[nodiscard]] bool flag(bool* out);
  [[nodiscard]] bool skip(size_t n);
  // ue(v): values up to 2^32 - 2 (31 leading zeros); longer prefixes are refused as corrupt.
  [[nodiscard]] bool ue(uint32_t* out);
  // se(v): the signed mapping of ue(v) (9.1.1): 1, -1, 2, -2, ...
  [[nodiscard]] bool se(int32_t* out);
  // H.264 7.2 more_rbsp_data(): is there anything before the rbsp_stop_one_bit and its zero padding?
  bool more_rbsp_data() const;

 private:
  ByteSpan data_;
  size_t pos_ = 0;  // in bits
};

// MSB-first bit writer for building headers in tests and config records.
class BitWriter {
 public:
  explicit BitWriter(Bytes* out) : out_(out) {}
  void bits(int n, uint32_t v);
  void flag(bool v) { bits(1, v ? 1 : 0); }
  void ue(uint32_t v);
  void se(int32_t v);
  // rbsp_trailing_bits(): a one bit, then zeros to the byte boundary.
  void trailing_bits();
  bool byte_aligned() const { return used_ == 0; }

 private:
  Bytes* out_;
  int used_ = 0;  // bits used in the last byte
};

// Removes emulation-prevention bytes: every 0x03 that follows two zero bytes is dropped (the byte after
// it is kept as is). `00 00 03` at the very end (cabac_zero_words) loses its 0x03 too.
Bytes ebsp_to_rbsp(ByteSpan ebsp);

// Inserts them: after two zeros, a byte <= 0x03 is preceded by 0x03 (7.4.1), so no start code can appear.
Bytes rbsp_to_ebsp(ByteSpan rbsp);

}  // namespace lw::codec
