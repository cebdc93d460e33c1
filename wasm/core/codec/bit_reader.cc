#include "codec/bit_reader.h"

namespace lw::codec {

bool BitReader::bits(int n, uint32_t* out) {
  if (n < 0 || n > 32 || bits_left() < static_cast<size_t>(n)) return false;
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) {
    const size_t p = pos_ + static_cast<size_t>(i);
    v = (v << 1) | ((data_[p >> 3] >> (7 - (p & 7))) & 1u);
  }
  pos_ += static_cast<size_t>(n);
  *out = v;
  return true;
}

bool BitReader::flag(bool* out) {
  uint32_t v;
  if (!bits(1, &v)) return false;
  *out = v != 0;
  return true;
}

bool BitReader::skip(size_t n) {
  if (bits_left() < n) return false;
  pos_ += n;
  return true;
}

bool BitReader::ue(uint32_t* out) {
  const size_t start = pos_;
  int zeros = 0;
  for (;;) {
    uint32_t b;
    if (!bits(1, &b)) {
      pos_ = start;
      return false;
    }
    if (b) break;
    if (++zeros > 31) {  // codeNum would not fit 32 bits: corrupt, not a real syntax element
      pos_ = start;
      return false;
    }
  }
  uint32_t suffix = 0;
  if (!bits(zeros, &suffix)) {
    pos_ = start;
    return false;
  }
  // 2^zeros - 1 + suffix; zeros == 31 gives at most 2^32 - 2.
  *out = static_cast<uint32_t>((uint64_t{1} << zeros) - 1 + suffix);
  return true;
}

bool BitReader::se(int32_t* out) {
  uint32_t k;
  if (!ue(&k)) return false;
  // 9.1.1: k odd -> (k + 1) / 2, k even -> -(k / 2).
  const int64_t v = (k & 1) ? (int64_t{k} + 1) / 2 : -(int64_t{k} / 2);
  *out = static_cast<int32_t>(v);
  return true;
}

bool BitReader::more_rbsp_data() const {
  // Find the last set bit of the buffer (the stop bit); there is more data if it lies after pos_.
  for (size_t i = data_.size(); i-- > 0;) {
    if (data_[i] == 0) continue;
    int last = 0;
    while (!((data_[i] >> last) & 1)) ++last;
    const size_t stop_bit = i * 8 + static_cast<size_t>(7 - last);
    return pos_ < stop_bit;
  }
  return false;
}

void BitWriter::bits(int n, uint32_t v) {
  for (int i = n - 1; i >= 0; --i) {
    if (used_ == 0) out_->push_back(0);
    if ((v >> i) & 1u) out_->back() |= static_cast<uint8_t>(0x80u >> used_);
    used_ = (used_ + 1) & 7;
  }
}

void BitWriter::ue(uint32_t v) {
  const uint64_t x = uint64_t{v} + 1;
  int len = 0;
  while ((x >> len) > 1) ++len;
  bits(len, 0);
  // len + 1 bits of x; x may need 33 bits when v == 0xFFFFFFFF, split the write.
  if (len + 1 > 32) {
    bits(1, 1);
    bits(32, static_cast<uint32_t>(x));
  } else {
    bits(len + 1, static_cast<uint32_t>(x));
  }
}

void BitWriter::se(int32_t v) {
  const int64_t x = v;
  ue(static_cast<uint32_t>(x > 0 ? 2 * x - 1 : -2 * x));
}

void BitWriter::trailing_bits() {
  bits(1, 1);
  while (used_ != 0) bits(1, 0);
}

Bytes ebsp_to_rbsp(ByteSpan ebsp) {
  Bytes out;
  out.reserve(ebsp.size());
  int zeros = 0;
  for (uint8_t b : ebsp) {
    if (zeros >= 2 && b == 0x03) {
      zeros = 0;  // drop the emulation_prevention_three_byte; the count restarts after it
      continue;
    }
    out.push_back(b);
    zeros = b == 0 ? zeros + 1 : 0;
  }
  return out;
}

Bytes rbsp_to_ebsp(ByteSpan rbsp) {
  Bytes out;
  out.reserve(rbsp.size() + rbsp.size() / 64 + 1);
  int zeros = 0;
  for (uint8_t b : rbsp) {
    if (zeros >= 2 && b <= 0x03) {
      out.push_back(0x03);
      zeros = 0;
    }
    out.push_back(b);
    zeros = b == 0 ? zeros + 1 : 0;
  }
  // A trailing 00 00 would let the next start code's zeros merge: 7.4.1 appends 0x03 after a final 0x00.
  if (!out.empty() && out.back() == 0) out.push_back(0x03);
  return out;
}

}  // namespace lw::codec
