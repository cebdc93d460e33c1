// RTMP simple handshake, client side (Adobe RTMP spec 1.0, section 5.2).
//
//   client                                   server
//   C0 03 | C1 time(4) zero(4) random(1528) ->
//                                           <- S0 03 | S1 time(4) zero(4) random(1528)
//                                           <- S2 (echo of C1)
//   C2 (echo of S1)                          ->
//
// C1's version field (bytes 4-7) is zero, which tells nginx-rtmp (and FMS-like servers) to answer
// with the old-style handshake: S2 echoes C1 and nobody checks digests. FFmpeg sends a non-zero
// version and the FP9 digest handshake; the simple one is enough for publishing and live playback.
//
// Policy, lenient like FFmpeg:
// - S0 must be 0x03. Anything else is kProtocol: that is how a non-RTMP port shows itself (an HTTP
//   server answers "HTTP/1.1 400" -> S0 0x48 'H'); 0x06 (RTMPE) is not supported either.
// - S1 is echoed whole as C2 (FFmpeg does the same for the simple handshake).
// - S2 should echo C1's random bytes; a mismatch is recorded (s2_echo_matched()) but not fatal,
//   as neither FFmpeg nor librtmp fail on it.
// The random bytes come from a caller-supplied seed (no entropy is read inside the core).
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::rtmp {

inline constexpr uint8_t kRtmpVersion = 3;
inline constexpr size_t kHandshakeBlockSize = 1536;

// Deterministic generator for handshake padding (splitmix64): not cryptographic, and it need not be;
// the simple handshake's random block only has to differ between connections.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next();
  void fill(uint8_t* data, size_t size);

 private:
  uint64_t state_;
};

class ClientHandshake {
 public:
  enum class State : uint8_t { kIdle, kAwaitS0S1, kAwaitS2, kDone, kFailed };

  // Appends C0 + C1 to `out`. `epoch_ms` goes into C1's time field.
  void start(uint32_t epoch_ms, uint64_t random_seed, Bytes& out);

  // Consumes handshake bytes from `data` and returns how many; bytes after S2 are the first chunks
  // and are left for the caller. Appends C2 to `out` once S1 is complete. kProtocol on a bad S0.
  Result<size_t> feed(ByteSpan data, Bytes& out);

  State state() const { return state_; }
  bool done() const { return state_ == State::kDone; }
  bool s2_echo_matched() const { return s2_echo_matched_; }
  uint32_t server_time() const { return server_time_; }
  // S1's version field, e.g. 0x0D0E0A0D (13.14.10.13) from nginx-rtmp. Informational.
  uint32_t server_version() const { return server_version_; }

 private:
  State state_ = State::kIdle;
  std::array<uint8_t, kHandshakeBlockSize> c1_{};
  std::array<uint8_t, 1 + kHandshakeBlockSize> s0s1_{};
  size_t s0s1_have_ = 0;
  std::array<uint8_t, kHandshakeBlockSize> s2_{};
  size_t s2_have_ = 0;
  bool s2_echo_matched_ = false;
  uint32_t server_time_ = 0;
  uint32_t server_version_ = 0;
};

}  // namespace lw::rtmp
