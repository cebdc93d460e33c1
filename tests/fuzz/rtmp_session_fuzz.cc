// Fuzz target for the RTMP client session: after a valid handshake (S0 S1 S2 answered like nginx),
// the fuzzer's bytes play the server. The first byte picks the role and how the rest is cut into
// feeds; between feeds, tick() runs at fuzzer-chosen times. Checks: no crash, and what the session
// queues for the server and holds for the driver stays bounded (a hostile server cannot make it grow
// without limit).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "rtmp/rtmp_handshake.h"
#include "rtmp/rtmp_session.h"

namespace {

using namespace lw;
using namespace lw::rtmp;

void fail(const char* what) {
  std::fprintf(stderr, "rtmp_session_fuzz: %s\n", what);
  std::abort();
}

constexpr size_t kMaxPendingOutput = 1 << 20;
constexpr size_t kMaxEventsPerFeed = 1 << 14;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const Role role = (data[0] & 1) ? Role::kPlay : Role::kPublish;
  const size_t piece = size_t(data[1]) + 1;
  SessionConfig config{.url = "rtmp://127.0.0.1/live/fuzz?k=v", .role = role, .random_seed = 1};
  config.reader_limits.max_message_size = 1 << 16;
  config.reader_limits.max_buffered_bytes = 1 << 17;
  ClientSession s(config);
  int64_t now = 0;
  if (!s.start(now).ok()) fail("start failed on a valid URL");
  // S0 S1 S2: version 3, S1 zeros, S2 = C1 (what nginx answers).
  Bytes c0c1 = s.take_output();
  Bytes reply(1 + 2 * kHandshakeBlockSize, 0);
  reply[0] = 3;
  if (c0c1.size() >= 1 + kHandshakeBlockSize)
    std::copy(c0c1.begin() + 1, c0c1.begin() + 1 + kHandshakeBlockSize, reply.begin() + 1 + kHandshakeBlockSize);
  (void)s.feed(as_span(reply), now);
  (void)s.take_output();

  size_t pos = 2;
  while (pos < size) {
    size_t n = std::min(piece, size - pos);
    now += data[pos] * 10;  // time moves by what the first byte of each piece says
    (void)s.feed(ByteSpan(data + pos, n), now);
    s.tick(now);
    pos += n;
    if (s.pending_output() > kMaxPendingOutput) fail("unbounded output to the server");
    size_t events = 0;
    while (s.poll_event()) {
      if (++events > kMaxEventsPerFeed) fail("unbounded events");
    }
    (void)s.take_output();
  }
  s.on_transport_closed(now);
  while (s.poll_event()) {
  }
  return 0;
}
