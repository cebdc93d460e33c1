// A Bridge between a FakeServer that answers with nginx-rtmp's real bytes (rtmp_nginx_bytes.h) and a
// client that reads when the test says so; server messages made with rtmp::ChunkWriter.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "bridge.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp/rtmp_commands.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::gateway::test {

// RFC 3629 section 4: well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
inline bool is_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    const auto c1 = static_cast<unsigned char>(n > 1 ? s[i + 1] : 0);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
      return false;
    }
    i += n;
  }
  return true;
}

// One Bridge between a FakeServer (writes complete at once) and a client that reads when told to.
struct Rig {
  explicit Rig(Endpoint e, BridgeLimits l = {}) : b(e, "rtmp://127.0.0.1/live/r1", l, 3, 0) {}
  void flush_upstream() {
    for (ByteSpan s = b.begin_upstream_write(); !s.empty(); s = b.begin_upstream_write()) {
      Bytes reply = server.receive(s);
      b.end_upstream_write(now);
      if (!reply.empty()) b.on_upstream_data(as_span(reply), now);
    }
  }
  void from_server(const Bytes& r) {
    b.on_upstream_data(as_span(r), now);
    flush_upstream();
  }
  void from_server(const char* reply_hex) { from_server(rtmp_test::hex(reply_hex)); }
  void start(const char* create_stream_reply) {
    b.on_upstream_connected(now);
    flush_upstream();
    from_server(rtmp_test::kNginxConnectReply);
    from_server(create_stream_reply);
  }
  void read_client() {
    ClientFrame f;
    while (b.next_client_frame(&f, now)) {
      if (f.text) texts.emplace_back(reinterpret_cast<const char*>(f.data.data()), f.data.size());
      else flv.insert(flv.end(), f.data.begin(), f.data.end());
      ++frames;
      b.end_client_write(now);
    }
  }
  int64_t now = 0;
  Bridge b;
  rtmp_test::FakeServer server;
  std::vector<std::string> texts;  // text frames read, in order
  Bytes flv;                       // binary frames read, concatenated
  size_t frames = 0;               // frames read
};

// Server messages at the chunk size nginx announced in kNginxConnectReply, on chunk streams nginx's
// recorded bytes do not use (a chunk header may refer to the previous message on its chunk stream).
struct ServerMessages {
  ServerMessages() {
    Bytes announced_elsewhere;
    EXPECT_TRUE(w.set_chunk_size(4096, announced_elsewhere).ok());
  }
  Bytes media(uint8_t type, uint32_t ts, const Bytes& body) {
    Bytes out;
    EXPECT_TRUE(w.write(type == 9 ? 21 : 20, type, ts, 1, as_span(body), out).ok());
    return out;
  }
  Bytes command(const rtmp::Command& c) {
    Bytes out;
    Bytes body = rtmp::encode_command(c);
    EXPECT_TRUE(w.write(22, 20, 0, 1, as_span(body), out).ok());
    return out;
  }
  // Protocol control (stream 0), e.g. Acknowledgement (type 3, 5.4.3).
  Bytes control(uint8_t type, const Bytes& body) {
    Bytes out;
    EXPECT_TRUE(w.write(23, type, 0, 0, as_span(body), out).ok());
    return out;
  }
  rtmp::ChunkWriter w;
};

}  // namespace lw::gateway::test
