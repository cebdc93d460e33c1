#include "rtmp/rtmp_handshake.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace lw::rtmp {

uint64_t SplitMix64::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void SplitMix64::fill(uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; i += 8) {
    uint64_t v = next();
    size_t n = std::min<size_t>(8, size - i);
    for (size_t k = 0; k < n; ++k) data[i + k] = static_cast<uint8_t>(v >> (8 * k));
  }
}

void ClientHandshake::start(uint32_t epoch_ms, uint64_t random_seed, Bytes& out) {
  // C1: time (4 bytes), zero (4 bytes, "version" 0 = simple handshake), random (1528 bytes).
  c1_.fill(0);
  for (int i = 0; i < 4; ++i) c1_[i] = static_cast<uint8_t>(epoch_ms >> (24 - 8 * i));
  SplitMix64 rng(random_seed);
  rng.fill(c1_.data() + 8, kHandshakeBlockSize - 8);
  ByteWriter w(&out);
  w.u8(kRtmpVersion);
  w.bytes(ByteSpan(c1_.data(), c1_.size()));
  state_ = State::kAwaitS0S1;
  s0s1_have_ = 0;
  s2_have_ = 0;
}

Result<size_t> ClientHandshake::feed(ByteSpan data, Bytes& out) {
  size_t used = 0;
  if (state_ == State::kIdle) return Status(ErrorCode::kMisuse, "handshake fed before start()");
  if (state_ == State::kFailed) return Status(ErrorCode::kProtocol, "handshake already failed");
  if (state_ == State::kAwaitS0S1 && !data.empty()) {
    if (s0s1_have_ == 0 && data[0] != kRtmpVersion) {
      state_ = State::kFailed;
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", data[0]);
      return Status(ErrorCode::kProtocol,
                    std::string("handshake S0 version ") + hex + " is not 0x03 (not an RTMP server?)");
    }
    size_t n = std::min(data.size(), s0s1_.size() - s0s1_have_);
    std::memcpy(s0s1_.data() + s0s1_have_, data.data(), n);
    s0s1_have_ += n;
    used += n;
    if (s0s1_have_ == s0s1_.size()) {
      ByteReader r(ByteSpan(s0s1_.data() + 1, kHandshakeBlockSize));
      if (!r.u32(&server_time_) || !r.u32(&server_version_)) {
        return Status(ErrorCode::kProtocol, "handshake S1 header");  // cannot happen: 1536 bytes
      }
      // C2 echoes S1 whole (FFmpeg's simple handshake does the same).
      ByteWriter(&out).bytes(ByteSpan(s0s1_.data() + 1, kHandshakeBlockSize));
      state_ = State::kAwaitS2;
    }
  }
  if (state_ == State::kAwaitS2 && used < data.size()) {
    size_t n = std::min(data.size() - used, s2_.size() - s2_have_);
    std::memcpy(s2_.data() + s2_have_, data.data() + used, n);
    s2_have_ += n;
    used += n;
    if (s2_have_ == s2_.size()) {
      // S2 should echo C1's random part (bytes 8..1535); recorded, not enforced.
      s2_echo_matched_ = std::memcmp(s2_.data() + 8, c1_.data() + 8, kHandshakeBlockSize - 8) == 0;
      state_ = State::kDone;
    }
  }
  return used;
}

}  // namespace lw::rtmp
