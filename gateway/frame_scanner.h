// Watches the client's WebSocket bytes as they arrive, before Beast parses them, for what Beast lets
// through: a 64-bit payload length with its most significant bit set (RFC 6455 5.2 forbids it;
// Beast would wait for 2^63 bytes, so the connection lingered until the idle timeout). Sans-IO, so
// it is unit-tested and fuzzed (tests/fuzz/gateway_frames_fuzz.cc).
//
//   FrameScanner s;
//   if (!s.feed(bytes)) close(1002, s.reason());
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace lw::gateway {

class FrameScanner {
 public:
  // The next bytes the client sent, in order. false once a violation was seen (and from then on).
  bool feed(ByteSpan data);
  bool failed() const { return !reason_.empty(); }
  const std::string& reason() const { return reason_; }
  uint64_t frames() const { return frames_; }  // frame headers read completely

 private:
  uint8_t head_[14] = {};
  size_t have_ = 0;           // bytes of the current header collected
  uint64_t remaining_ = 0;    // payload bytes of the current frame still to come
  uint64_t frames_ = 0;
  std::string reason_;
};

}  // namespace lw::gateway
