// Appends big-endian fields to a growable buffer. Writers only append; `patch_u24`/`patch_u32`
// rewrite a length inside bytes this writer produced itself (e.g. an FLV tag's DataSize once its body
// is known), never bytes already handed to the output.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"

namespace lw {

class ByteWriter {
 public:
  explicit ByteWriter(Bytes* out) : out_(out) {}

  size_t size() const { return out_->size(); }

  void u8(uint8_t v) { out_->push_back(v); }
  void u16(uint16_t v) { be(v, 2); }
  void u24(uint32_t v) { be(v, 3); }
  void u32(uint32_t v) { be(v, 4); }
  void u64(uint64_t v) { be(v, 8); }
  void s24(int32_t v) { be(static_cast<uint32_t>(v) & 0xFFFFFFu, 3); }
  void u32le(uint32_t v);
  void f64(double v);
  void bytes(ByteSpan b) { out_->insert(out_->end(), b.begin(), b.end()); }
  void string(std::string_view s) { out_->insert(out_->end(), s.begin(), s.end()); }

  void patch_u24(size_t at, uint32_t v);
  void patch_u32(size_t at, uint32_t v);

 private:
  void be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  Bytes* out_;
};

}  // namespace lw
