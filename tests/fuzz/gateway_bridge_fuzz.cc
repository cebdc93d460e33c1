// The gateway's per-stream policy (Bridge) driven by a fuzzer-chosen sequence of events: client
// binary and text, upstream bytes, connects, closes, ticks and write completions, in any order. It
// must never crash, and:
// - a close reason fits a close frame (<= 123 bytes), and the first close request is never replaced;
// - push: reading the client is paused whenever more than max_buffered_bytes wait for the server;
// - every client frame handed out is non-empty and status text frames are JSON objects.
// Connecting (op 6) while the Bridge asks for a server switch (E-RTMP ReconnectRequest) does the
// driver's part first (on_upstream_switching).
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "bridge.h"
#include "control_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lw;
  using namespace lw::gateway;
  if (size < 2) return 0;
  const Endpoint endpoint = data[0] & 1 ? Endpoint::kPlay : Endpoint::kPush;
  BridgeLimits limits;
  limits.max_buffered_bytes = 4096;
  limits.push_slow_bytes = 1024;
  limits.play_drop_bytes = 1024;
  limits.max_garbage_bytes = 256;
  limits.idle_timeout_ms = 5000;
  limits.write_stall_timeout_ms = 3000;
  limits.upstream_timeout_ms = 2000;
  int64_t now = 0;
  Bridge b(endpoint, "rtmp://127.0.0.1:1935/live/fuzz?txSecret=x", limits, 7, now);

  std::optional<CloseRequest> first_close;
  bool upstream_writing = false;
  size_t pos = 1;
  auto take = [&](size_t n) {
    n = std::min(n, size - pos);
    ByteSpan s(data + pos, n);
    pos += n;
    return s;
  };
  while (pos < size) {
    const uint8_t op = data[pos++];
    const size_t len = pos < size ? data[pos++] * 4u : 0;
    switch (op % 11) {
      case 0: b.on_client_binary(take(len), now); break;
      case 1: {
        ByteSpan t = take(len);
        b.on_client_text(std::string_view(reinterpret_cast<const char*>(t.data()), t.size()), now);
        b.on_client_message_end(now);
        break;
      }
      case 2: b.on_upstream_data(take(len), now); break;
      case 3: now += int64_t(len) * 10; b.tick(now); break;
      case 4:
        if (upstream_writing) {
          b.end_upstream_write(now);
          upstream_writing = false;
        } else {
          upstream_writing = !b.begin_upstream_write().empty();
        }
        break;
      case 5: {
        ClientFrame f;
        if (b.client_writing()) {
          b.end_client_write(now);
        } else if (b.next_client_frame(&f, now)) {
          if (f.data.empty()) std::abort();
          if (f.text && f.data[0] != '{') std::abort();
        }
        break;
      }
      case 6:
        // The driver's part of a ReconnectRequest switch: once no write is in flight, a new connection.
        if (b.upstream_switch() && !upstream_writing) (void)b.on_upstream_switching(now);
        b.on_upstream_connected(now);
        break;
      case 7: b.on_upstream_closed("fuzz", now); break;
      case 8: b.on_client_closed("fuzz", now); break;
      case 9: b.shutdown("fuzz", now); break;
      case 10:
        b.on_upstream_connect_failed(len & 4 ? rtmp::Condition::kDnsFailed : rtmp::Condition::kTcpConnectFailed,
                                     "fuzz", now);
        break;
    }
    const auto& close = b.close_request();
    if (close) {
      if (close->reason.size() > 123) std::abort();
      if (!first_close) first_close = close;
      if (close->code != first_close->code || close->reason != first_close->reason) std::abort();
    }
    if (endpoint == Endpoint::kPush && !close && b.upstream_queued() > limits.max_buffered_bytes &&
        !b.client_read_paused()) {
      std::abort();
    }
    (void)b.next_deadline_ms();
    (void)b.take_notes();
  }
  return 0;
}
