// The client's side of a gateway WebSocket, as bytes: the FrameScanner (which sees every byte before
// Beast) and the control channel (text frames -> Bridge) driven by sequences of frames.
// Input: byte 0 picks how the stream is split into reads (and how often the client reads what the
// gateway answers); the rest is the client's byte stream. It must never crash, and:
// - the scanner's verdict and frame count do not depend on how the bytes were split into reads;
// - a refusal is only ever for a 64-bit length with its most significant bit set;
// - the text frames' payloads, given to a play Bridge as control messages while the client reads
//   only now and then, never make it hold more than its text bound: a backlog closes with 4509;
// - a close reason fits a close frame, and the first close is never replaced.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "bridge.h"
#include "frame_scanner.h"

namespace {

// Splits [0, size) into reads whose lengths follow a small generator seeded by `seed`.
template <class F>
void in_reads(const uint8_t* data, size_t size, uint8_t seed, F&& f) {
  size_t pos = 0;
  uint32_t x = seed | 1u;
  while (pos < size) {
    x = x * 1103515245u + 12345u;
    size_t n = 1 + (x >> 16) % (seed & 0x80 ? 7u : 300u);
    n = std::min(n, size - pos);
    f(lw::ByteSpan(data + pos, n));
    pos += n;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lw;
  using namespace lw::gateway;
  if (size < 1) return 0;
  const uint8_t seed = data[0];
  const uint8_t* stream = data + 1;
  const size_t n = size - 1;

  // 1. The scanner, whole and split.
  FrameScanner whole;
  whole.feed(ByteSpan(stream, n));
  FrameScanner split;
  in_reads(stream, n, seed, [&](ByteSpan s) { split.feed(s); });
  if (whole.failed() != split.failed() || whole.frames() != split.frames()) std::abort();
  if (whole.failed() && whole.reason().find("most significant bit") == std::string::npos) std::abort();

  // 2. Frames (masked or not, as a lenient reader would take them) -> the control channel.
  BridgeLimits limits;
  int64_t now = 0;
  Bridge b(Endpoint::kPlay, "rtmp://127.0.0.1:1935/live/fuzz", limits, 7, now);
  std::optional<CloseRequest> first;
  size_t pos = 0;
  size_t message = 0;
  while (pos + 2 <= n) {
    const uint8_t b0 = stream[pos], b1 = stream[pos + 1];
    uint64_t len = b1 & 0x7f;
    size_t off = pos + 2;
    if (len == 126) {
      if (off + 2 > n) break;
      len = (uint64_t(stream[off]) << 8) | stream[off + 1];
      off += 2;
    } else if (len == 127) {
      if (off + 8 > n) break;
      len = 0;
      for (int k = 0; k < 8; ++k) len = (len << 8) | stream[off + k];
      off += 8;
    }
    uint8_t mask[4] = {0, 0, 0, 0};
    if (b1 & 0x80) {
      if (off + 4 > n) break;
      for (int k = 0; k < 4; ++k) mask[k] = stream[off + k];
      off += 4;
    }
    if (len > n - off) break;
    std::string payload(reinterpret_cast<const char*>(stream + off), size_t(len));
    for (size_t k = 0; k < payload.size(); ++k) payload[k] = char(payload[k] ^ mask[k & 3]);
    pos = off + size_t(len);
    const uint8_t opcode = b0 & 0x0f;
    if (opcode == 1 || opcode == 0) {
      b.on_client_text(payload, now);
      if (b0 & 0x80) b.on_client_message_end(now);
    }
    // The client reads now and then: every (seed % 5 + 1)-th message, it takes one frame.
    ++message;
    ClientFrame f;
    if (b.client_writing() && message % (seed % 5 + 1) == 0) b.end_client_write(now);
    if (!b.client_writing()) (void)b.next_client_frame(&f, now);
    now += 3;
    if (b.client_queued() > limits.max_client_text_bytes + 2048) std::abort();
    if (const auto& close = b.close_request()) {
      if (close->reason.size() > 123) std::abort();
      if (!first) first = close;
      if (close->code != first->code || close->reason != first->reason) std::abort();
    }
  }
  return 0;
}
