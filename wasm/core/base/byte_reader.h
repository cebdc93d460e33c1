// A bounds-checked big-endian reader over a byte span. Every read checks its own bounds and returns
// false (leaving the position unchanged) when the span is too short: there is no "check, then read
// unchecked" anywhere in the core. Callers turn a false into a Status with a reason that names the
// field, e.g. `if (!r.u24(&size)) return truncated("tag DataSize")`.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "base/bytes.h"

namespace lw {

class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) : data_(data) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  size_t size() const { return data_.size(); }
  bool empty() const { return remaining() == 0; }
  ByteSpan rest() const { return data_.subspan(pos_); }

  [[nodiscard]] bool u8(uint8_t* out) { return read_be(1, out); }
  [[nodiscard]] bool u16(uint16_t* out) { return read_be(2, out); }
  [[nodiscard]] bool u24(uint32_t* out) { return read_be(3, out); }
  [[nodiscard]] bool u32(uint32_t* out) { return read_be(4, out); }
  [[nodiscard]] bool u64(uint64_t* out) { return read_be(8, out); }
  // Signed 24-bit big-endian, e.g. FLV CompositionTime (SI24).
  [[nodiscard]] bool s24(int32_t* out);
  // Little-endian 32-bit, e.g. the RTMP chunk message header's stream id.
  [[nodiscard]] bool u32le(uint32_t* out);
  // IEEE 754 double, big-endian (AMF0 number).
  [[nodiscard]] bool f64(double* out);

  // A view of the next n bytes; advances past them.
  [[nodiscard]] bool bytes(size_t n, ByteSpan* out);
  // Copies the next n bytes into a string; advances past them.
  [[nodiscard]] bool string(size_t n, std::string* out);
  [[nodiscard]] bool skip(size_t n);

  // Reads without advancing.
  [[nodiscard]] bool peek_u8(uint8_t* out) const;

 private:
  template <class T>
  bool read_be(size_t n, T* out) {
    if (remaining() < n) return false;
    T v = 0;
    for (size_t i = 0; i < n; ++i) v = static_cast<T>((v << 8) | data_[pos_ + i]);
    *out = v;
    pos_ += n;
    return true;
  }

  ByteSpan data_;
  size_t pos_ = 0;
};

}  // namespace lw
