#include "base/byte_writer.h"

#include <cstring>

namespace lw {

void ByteWriter::u32le(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void ByteWriter::f64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);  // not std::bit_cast: Emscripten 3.1.6's libc++ lacks it
  u64(bits);
}

void ByteWriter::patch_u24(size_t at, uint32_t v) {
  if (at + 3 > out_->size()) return;  // misuse: only bytes this writer wrote can be patched
  (*out_)[at] = static_cast<uint8_t>(v >> 16);
  (*out_)[at + 1] = static_cast<uint8_t>(v >> 8);
  (*out_)[at + 2] = static_cast<uint8_t>(v);
}

void ByteWriter::patch_u32(size_t at, uint32_t v) {
  if (at + 4 > out_->size()) return;
  for (int i = 0; i < 4; ++i) (*out_)[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

}  // namespace lw
