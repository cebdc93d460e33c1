#include "base/byte_reader.h"

#include <cstring>

namespace lw {

bool ByteReader::s24(int32_t* out) {
  uint32_t v;
  if (!u24(&v)) return false;
  // Sign-extend bit 23.
  *out = static_cast<int32_t>((v ^ 0x800000u)) - 0x800000;
  return true;
}

bool ByteReader::u32le(uint32_t* out) {
  if (remaining() < 4) return false;
  const uint8_t* p = data_.data() + pos_;
  *out = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  pos_ += 4;
  return true;
}

bool ByteReader::f64(double* out) {
  uint64_t bits;
  if (!u64(&bits)) return false;
  // memcpy, not std::bit_cast: Emscripten 3.1.6's libc++ lacks bit_cast.
  std::memcpy(out, &bits, sizeof bits);
  return true;
}

bool ByteReader::bytes(size_t n, ByteSpan* out) {
  if (remaining() < n) return false;
  *out = data_.subspan(pos_, n);
  pos_ += n;
  return true;
}

bool ByteReader::string(size_t n, std::string* out) {
  ByteSpan s;
  if (!bytes(n, &s)) return false;
  out->assign(reinterpret_cast<const char*>(s.data()), s.size());
  return true;
}

bool ByteReader::skip(size_t n) {
  if (remaining() < n) return false;
  pos_ += n;
  return true;
}

bool ByteReader::peek_u8(uint8_t* out) const {
  if (remaining() < 1) return false;
  *out = data_[pos_];
  return true;
}

}  // namespace lw
