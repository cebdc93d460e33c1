// Fuzz target for the RTMP client session: after a valid handshake (S0 S1 S2 answered like nginx),
// the fuzzer's bytes play the server.
//
// Input: byte 0 = flags, byte 1 = piece size - 1, then the server's bytes.
//   flags bit 0  role: 0 publisher, 1 player
//   flags bit 1  first replay nginx's recorded answers (rtmp_nginx_bytes.h) up to Publish.Start /
//                Play.Start, so the fuzzer starts from the publishing / playing state
//   flags bit 2  publisher: send_media() after each piece (the writer runs while input arrives)
//   flags bit 3  close() after the last piece
//   flags bit 4  announce capsEx Reconnect (E-RTMP v2): onStatus ReconnectRequest becomes an event
// The rest is cut into pieces; the first byte of each piece also advances the clock (x10 ms), and
// tick() runs after each feed.
// Checks: no crash or sanitizer report; what the session queues for the server stays bounded and is
// always a well-formed chunk stream (a ChunkReader reads it without error); events per feed are
// bounded; at most one kError event, and nothing after it; at most one kReconnectRequest, whose URL
// parses as an rtmp:// URL with the session's stream name.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "../unit/rtmp_nginx_bytes.h"
#include "rtmp/rtmp_chunk_reader.h"
#include "rtmp/rtmp_handshake.h"
#include "rtmp/rtmp_reconnect.h"
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

Bytes unhex(std::string_view text) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  Bytes out;
  for (size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  return out;
}

// Reads everything the session sends after C2; it must always parse.
struct OutputCheck {
  ChunkReader reader;
  void take(ClientSession& s) {
    if (s.pending_output() > kMaxPendingOutput) fail("unbounded output to the server");
    Bytes out = s.take_output();
    ByteSpan data = as_span(out);
    while (!data.empty()) {
      auto used = reader.feed(data);
      if (!used.ok()) fail("the session wrote a broken chunk stream");
      data = data.subspan(*used);
      Message m;
      while (reader.next(&m)) {
      }
    }
  }
};

struct EventCheck {
  bool failed = false;
  int reconnects = 0;
  void drain(ClientSession& s) {
    size_t n = 0;
    while (auto ev = s.poll_event()) {
      if (++n > kMaxEventsPerFeed) fail("unbounded events");
      if (failed) fail("an event after the error event");
      if (ev->kind == SessionEventKind::kError) failed = true;
      if (ev->kind == SessionEventKind::kReconnectRequest) {
        if (++reconnects > 1) fail("a second ReconnectRequest event on one session");
        auto u = parse_url(ev->reconnect_url);
        if (!u.ok() || u->stream != s.url().stream) fail("a ReconnectRequest URL that does not parse or loses the stream");
      }
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const Role role = (flags & 1) ? Role::kPlay : Role::kPublish;
  const size_t piece = size_t(data[1]) + 1;
  SessionConfig config{.url = "rtmp://127.0.0.1/live/fuzz?k=v", .role = role, .random_seed = 1};
  config.reader_limits.max_message_size = 1 << 16;
  config.reader_limits.max_buffered_bytes = 1 << 17;
  config.idle_timeout_ms = role == Role::kPlay ? 3000 : 0;
  if (flags & 16) config.caps_ex = kCapsExReconnect;
  ClientSession s(config);
  int64_t now = 0;
  if (!s.start(now).ok()) fail("start failed on a valid URL");
  // S0 S1 S2: version 3, S1 zeros, S2 = C1 (what nginx answers).
  Bytes c0c1 = s.take_output();
  if (c0c1.size() != 1 + kHandshakeBlockSize) fail("C0 C1 size");
  Bytes reply(1 + 2 * kHandshakeBlockSize, 0);
  reply[0] = 3;
  std::copy(c0c1.begin() + 1, c0c1.end(), reply.begin() + 1 + kHandshakeBlockSize);
  if (!s.feed(as_span(reply), now).ok()) fail("valid handshake refused");
  Bytes c2 = s.take_output();
  if (c2.size() < kHandshakeBlockSize) fail("no C2");
  OutputCheck output;
  {
    ByteSpan after_c2 = ByteSpan(c2).subspan(kHandshakeBlockSize);
    while (!after_c2.empty()) {
      auto used = output.reader.feed(after_c2);
      if (!used.ok()) fail("broken chunk stream after C2");
      after_c2 = after_c2.subspan(*used);
      Message m;
      while (output.reader.next(&m)) {
      }
    }
  }
  EventCheck events;

  if (flags & 2) {
    const char* script[] = {rtmp_test::kNginxConnectReply,
                            role == Role::kPublish ? rtmp_test::kNginxCreateStreamReplyTx4
                                                   : rtmp_test::kNginxCreateStreamReplyTx2,
                            role == Role::kPublish ? rtmp_test::kNginxPublishStart
                                                   : rtmp_test::kNginxPlayStart};
    for (const char* h : script) {
      Bytes b = unhex(h);
      (void)s.feed(as_span(b), now);
      output.take(s);
      events.drain(s);
    }
    const SessionState want = role == Role::kPublish ? SessionState::kPublishing : SessionState::kPlaying;
    if (s.state() != want) fail("the nginx script did not reach the stream state");
  }

  const uint8_t media[] = {0x17, 0x01, 0x00, 0x00, 0x00, 0x65, 0x88, 0x84};
  uint32_t media_ts = 0;
  size_t pos = 2;
  while (pos < size) {
    size_t n = std::min(piece, size - pos);
    now += data[pos] * 10;
    (void)s.feed(ByteSpan(data + pos, n), now);
    s.tick(now);
    if ((flags & 4) && s.state() == SessionState::kPublishing) {
      media_ts += data[pos];
      if (!s.send_media(9, media_ts, ByteSpan(media, sizeof(media))).ok()) fail("send_media refused");
    }
    pos += n;
    output.take(s);
    events.drain(s);
  }
  if (flags & 8) (void)s.close(now);
  s.on_transport_closed(now);
  output.take(s);
  events.drain(s);
  return 0;
}
