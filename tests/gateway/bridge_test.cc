// The gateway's per-stream policy (gateway/bridge.h) against a scripted RTMP server whose answers are
// nginx-rtmp's real bytes (tests/unit/rtmp_nginx_bytes.h), with the client side read as a page would:
// JSON text frames and an FLV byte stream. Time is passed in, so every timeout is exact.
#include "bridge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::gateway {
namespace {

using protocol::CloseCode;
using rtmp_test::FakeServer;
using rtmp_test::hex;

constexpr char kUrl[] = "rtmp://127.0.0.1:1935/live/room1?txSecret=abc&txTime=5f";

// Drives one Bridge: its upstream bytes go to a FakeServer; the client's frames are collected.
struct Harness {
  explicit Harness(Endpoint e, BridgeLimits l = {}, int64_t start_ms = 0) : limits(l), now(start_ms), b(e, kUrl, l, 7, start_ms) {}

  // Everything the bridge wants to send upstream reaches the server (writes complete at once).
  void flush_upstream() {
    for (ByteSpan s = b.begin_upstream_write(); !s.empty(); s = b.begin_upstream_write()) {
      Bytes reply = server.receive(s);
      b.end_upstream_write(now);
      if (!reply.empty()) b.on_upstream_data(as_span(reply), now);
    }
  }
  void from_server(const char* reply_hex) {
    Bytes r = hex(reply_hex);
    b.on_upstream_data(as_span(r), now);
    flush_upstream();
  }
  void from_server(const Bytes& r) {
    b.on_upstream_data(as_span(r), now);
    flush_upstream();
  }
  // The client reads everything queued (each write completes at once).
  void read_client() {
    ClientFrame f;
    while (b.next_client_frame(&f, now)) {
      if (f.text) texts.emplace_back(reinterpret_cast<const char*>(f.data.data()), f.data.size());
      else flv.insert(flv.end(), f.data.begin(), f.data.end());
      b.end_client_write(now);
    }
  }
  void connect_play() {
    b.on_upstream_connected(now);
    flush_upstream();
    from_server(rtmp_test::kNginxConnectReply);
    from_server(rtmp_test::kNginxCreateStreamReplyTx2);
    from_server(rtmp_test::kNginxPlayStart);
  }
  void connect_push() {
    b.on_upstream_connected(now);
    flush_upstream();
    from_server(rtmp_test::kNginxConnectReply);
    from_server(rtmp_test::kNginxCreateStreamReplyTx4);
    from_server(rtmp_test::kNginxPublishStart);
  }
  std::vector<int> status_codes() const {
    std::vector<int> out;
    for (const auto& t : texts) {
      if (t.find("\"type\":\"status\"") == std::string::npos) continue;
      out.push_back(std::stoi(t.substr(t.find("\"code\":") + 7)));
    }
    return out;
  }
  std::vector<std::string> texts_of(std::string_view type) const {
    std::vector<std::string> out;
    for (const auto& t : texts) {
      if (t.find("\"type\":\"" + std::string(type) + "\"") != std::string::npos) out.push_back(t);
    }
    return out;
  }

  BridgeLimits limits;
  int64_t now;
  Bridge b;
  FakeServer server;
  std::vector<std::string> texts;
  Bytes flv;
};

// A server's media message on the play stream (chunk size 4096, as nginx announced).
struct MediaSender {
  MediaSender() {
    Bytes ignored;
    EXPECT_TRUE(w.set_chunk_size(4096, ignored).ok());
  }
  Bytes video(uint32_t ts, bool key, size_t size = 400, uint8_t fill = 0x55) {
    Bytes body(size, fill);
    body[0] = key ? 0x17 : 0x27;
    body[1] = 1;  // AVC NALU
    body[2] = body[3] = body[4] = 0;
    return message(9, ts, body);
  }
  Bytes audio(uint32_t ts, size_t size = 100) {
    Bytes body(size, 0x21);
    body[0] = 0xaf;
    body[1] = 1;  // AAC raw
    return message(8, ts, body);
  }
  Bytes message(uint8_t type, uint32_t ts, const Bytes& body) {
    Bytes out;
    EXPECT_TRUE(w.write(type == 9 ? 7 : 6, type, ts, 1, as_span(body), out).ok());
    return out;
  }
  rtmp::ChunkWriter w;
};

std::vector<flv::Tag> demux_tags(const Bytes& data) {
  flv::Demuxer d;
  d.feed(as_span(data));
  std::vector<flv::Tag> tags;
  flv::Event ev;
  while (d.next(&ev)) {
    EXPECT_NE(ev.kind, flv::EventKind::kError) << ev.status.to_string();
    if (ev.kind == flv::EventKind::kAudio || ev.kind == flv::EventKind::kVideo || ev.kind == flv::EventKind::kScript) {
      tags.push_back(ev.tag.to_tag());
    }
  }
  return tags;
}

TEST(GatewayBridge, PlayStatuses2001Then2002AndTheServersTagsAsOneFlvStream) {
  Harness h(Endpoint::kPlay);
  h.connect_play();
  h.from_server(rtmp_test::kNginxPlayFirstMedia);
  MediaSender s;
  h.from_server(s.video(40, true));
  h.from_server(s.audio(46));
  h.read_client();
  EXPECT_EQ(h.status_codes(), (std::vector<int>{2001, 2002}));
  ASSERT_GE(h.flv.size(), 13u);
  EXPECT_EQ(Bytes(h.flv.begin(), h.flv.begin() + 13), hex("464c5601050000000900000000")) << "header, a+v flags";
  auto tags = demux_tags(h.flv);
  // |RtmpSampleAccess, onMetaData, AAC sequence header, AAC frame, AVC sequence header, then ours.
  ASSERT_EQ(tags.size(), 7u);
  EXPECT_EQ(tags[0].type, flv::TagType::kScript);
  EXPECT_EQ(tags[1].type, flv::TagType::kScript);
  EXPECT_EQ(tags[4].body[1], 0x00) << "AVC sequence header";
  EXPECT_EQ(tags[5].type, flv::TagType::kVideo);
  EXPECT_EQ(tags[5].timestamp_ms, 40u);
  EXPECT_EQ(tags[5].body.size(), 400u);
  EXPECT_EQ(tags[6].type, flv::TagType::kAudio);
  EXPECT_EQ(tags[6].timestamp_ms, 46u);
  EXPECT_FALSE(h.b.close_request());
}

TEST(GatewayBridge, PublisherLeaving2006IsSentOnceAndTheStreamStaysOpen) {
  Harness h(Endpoint::kPlay);
  h.connect_play();
  h.from_server(rtmp_test::kNginxPlayEnd);  // StreamEOF and Play.Stop: both mean 2006
  h.read_client();
  EXPECT_EQ(h.status_codes(), (std::vector<int>{2001, 2002, 2006}));
  EXPECT_FALSE(h.b.close_request());
}

TEST(GatewayBridge, SlowPlayerDropsToTheNextKeyFrameThenReportsWhatWasLost) {
  BridgeLimits l;
  l.play_drop_bytes = 4096;
  Harness h(Endpoint::kPlay, l);
  h.connect_play();
  h.from_server(rtmp_test::kNginxPlayFirstMedia);
  h.read_client();
  const size_t before = demux_tags(h.flv).size();
  MediaSender s;
  // The client starts a write and never finishes it: everything after queues.
  ClientFrame f;
  h.from_server(s.video(0, true));
  ASSERT_TRUE(h.b.next_client_frame(&f, h.now));
  uint32_t ts = 40;
  for (int i = 0; i < 40; ++i, ts += 40) h.from_server(s.video(ts, false));
  EXPECT_LE(h.b.client_queued(), l.play_drop_bytes + 400 + 64) << "bounded by the threshold and one tag";
  EXPECT_GT(h.b.stats().dropped_tags, 20u);
  // A sequence header is never dropped, even now.
  h.from_server(s.message(9, ts, hex("1700000000014d401effe1")));
  // The write completes; non-key frames are still dropped, the next key frame resumes.
  h.b.end_client_write(h.now);
  h.read_client();
  const uint64_t dropped = h.b.stats().dropped_tags;
  h.from_server(s.video(ts += 40, false));
  EXPECT_EQ(h.b.stats().dropped_tags, dropped + 1) << "still waiting for a key frame";
  h.from_server(s.video(ts += 40, true));
  h.from_server(s.video(ts += 40, false));
  h.read_client();
  EXPECT_EQ(h.b.stats().dropped_tags, dropped + 1);
  ASSERT_EQ(h.texts_of("drop").size(), 1u);
  EXPECT_NE(h.texts_of("drop")[0].find("\"video\":" + std::to_string(dropped + 1)), std::string::npos)
      << h.texts_of("drop")[0];
  auto tags = demux_tags(h.flv);
  // After what was read before: the first key frame (in the frame that was being written, so it is
  // lost with it here), frames until the threshold, the sequence header, the key frame, one more.
  ASSERT_GE(tags.size(), before + 3);
  EXPECT_EQ(tags[tags.size() - 3].body[1], 0x00) << "the sequence header survived the drop";
  EXPECT_EQ(tags[tags.size() - 2].body[0], 0x17) << "resumed at a key frame";
  EXPECT_EQ(tags.back().timestamp_ms, ts);
}

TEST(GatewayBridge, ClientThatReadsNothingIsResetAfterTheStallTimeout) {
  BridgeLimits l;
  l.write_stall_timeout_ms = 3000;
  Harness h(Endpoint::kPlay, l);
  h.connect_play();
  ClientFrame f;
  ASSERT_TRUE(h.b.next_client_frame(&f, 1000));
  EXPECT_EQ(h.b.next_deadline_ms(), 4000);
  h.b.tick(3999);
  EXPECT_FALSE(h.b.close_request());
  h.b.tick(4000);
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kClientTooSlow);
  EXPECT_TRUE(h.b.close_request()->abort);
}

TEST(GatewayBridge, PushHoldsTagsUntilPublishStartThenSendsThemAsRtmpMessages) {
  Harness h(Endpoint::kPush);
  flv::Muxer m;
  Bytes flv;
  m.write_header(true, true, flv);
  ASSERT_TRUE(m.write_metadata({{"width", amf0::Value::Number(320)}}, flv).ok());
  ASSERT_TRUE(m.write_avc_sequence_header(0, hex("014d401effe1000a674d401e965405017b2001000468ee3c80"), flv).ok());
  ASSERT_TRUE(m.write_avc_frame(0, 0, true, hex("0000000565888040ff"), flv).ok());
  ASSERT_TRUE(m.write_aac_frame(23, hex("2110050020"), flv).ok());
  // Sent in two pieces before the server accepted anything, the second cutting a tag.
  h.b.on_client_binary(ByteSpan(flv.data(), 30), h.now);
  h.b.on_client_binary(ByteSpan(flv.data() + 30, flv.size() - 30), h.now);
  EXPECT_GT(h.b.upstream_queued(), 0u) << "held";
  h.connect_push();
  h.read_client();
  EXPECT_EQ(h.status_codes(), (std::vector<int>{1001, 1002}));
  EXPECT_EQ(h.server.command_names(),
            (std::vector<std::string>{"connect", "releaseStream", "FCPublish", "createStream", "publish"}));
  auto sent = demux_tags(flv);
  std::vector<const rtmp::Message*> media;
  for (const auto& msg : h.server.messages) {
    if (msg.type == 8 || msg.type == 9 || msg.type == 18) media.push_back(&msg);
  }
  ASSERT_EQ(media.size(), 4u);
  EXPECT_EQ(media[1]->body, sent[1].body);
  EXPECT_EQ(media[2]->body, sent[2].body);
  EXPECT_EQ(media[3]->body, sent[3].body);
  EXPECT_EQ(media[3]->timestamp, 23u);
  EXPECT_EQ(h.b.upstream_queued(), 0u);
  // The publish name carries the url's query untouched.
  ASSERT_GE(h.server.commands[4].args.size(), 1u);
  EXPECT_EQ(h.server.commands[4].args[0].string, "room1?txSecret=abc&txTime=5f");
}

TEST(GatewayBridge, SlowUpstreamPausesTheClientPastTheLimitAndAcksSayHowMuchWaits) {
  BridgeLimits l;
  l.max_buffered_bytes = 64 << 10;
  l.push_slow_bytes = 16 << 10;
  l.ack_interval_ms = 250;
  Harness h(Endpoint::kPush, l);
  h.connect_push();
  h.read_client();
  flv::Muxer m;
  Bytes chunk;
  m.write_header(true, true, chunk);
  h.b.on_client_binary(as_span(chunk), h.now);
  // The server's socket is slow: nothing more is written until the loop below is done.
  uint32_t ts = 0;
  while (!h.b.client_read_paused() && ts < 100000) {
    chunk.clear();
    ASSERT_TRUE(m.write_avc_frame(ts, 0, false, Bytes(4000, 0x41), chunk).ok());
    h.b.on_client_binary(as_span(chunk), h.now);
    ts += 33;
  }
  EXPECT_TRUE(h.b.client_read_paused());
  EXPECT_GT(h.b.upstream_queued(), l.max_buffered_bytes);
  h.read_client();
  auto acks = h.texts_of("ack");
  ASSERT_FALSE(acks.empty()) << "crossing push_slow_bytes sends an ack at once";
  EXPECT_NE(acks.back().find("\"queued\":"), std::string::npos);
  // The writes complete: below half the limit, reading resumes.
  h.flush_upstream();
  EXPECT_FALSE(h.b.client_read_paused());
  h.now += 250;
  h.b.tick(h.now);
  h.read_client();
  auto last = h.texts_of("ack").back();
  EXPECT_NE(last.find("\"queued\":0"), std::string::npos) << last;
  EXPECT_NE(last.find("\"paused\":false"), std::string::npos) << last;
}

TEST(GatewayBridge, GarbageInsteadOfFlvCloses4415) {
  Harness h(Endpoint::kPush);
  Bytes junk(5000, 'x');
  h.b.on_client_binary(as_span(junk), h.now);
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kNotFlv);
  EXPECT_NE(h.b.close_request()->reason.find("not an FLV stream"), std::string::npos);
}

TEST(GatewayBridge, EndlessGarbageAfterAValidHeaderCloses4415) {
  // Regression: the demuxer reports skipped bytes only when it finds a tag again, so garbage that
  // never ends was never counted (found by the interop suite).
  BridgeLimits l;
  l.max_garbage_bytes = 4096;
  Harness h(Endpoint::kPush, l);
  Bytes header = hex("464c5601050000000900000000");
  h.b.on_client_binary(as_span(header), h.now);
  Bytes junk(1000, 0xEE);
  for (int i = 0; i < 10 && !h.b.close_request(); ++i) h.b.on_client_binary(as_span(junk), h.now);
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kNotFlv);
}

TEST(GatewayBridge, DuplicatePublisherGets3004ThenClose4502NamingTheCause) {
  Harness h(Endpoint::kPush);
  h.b.on_upstream_connected(h.now);
  h.flush_upstream();
  h.from_server(rtmp_test::kNginxConnectReply);
  h.from_server(rtmp_test::kNginxCreateStreamReplyTx4);
  h.from_server(rtmp_test::kNginxPublishBadName);
  h.read_client();
  EXPECT_EQ(h.status_codes(), (std::vector<int>{1001, 3004}));
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kUpstreamFailed);
  EXPECT_NE(h.b.close_request()->reason.find("BadName"), std::string::npos) << h.b.close_request()->reason;
}

TEST(GatewayBridge, ConnectFailuresAre3001And3002NamingTheUrlsHostAndPort) {
  // Regression: the reason named ":1935" because the session had not parsed the URL yet.
  Harness dns(Endpoint::kPlay);
  dns.b.on_upstream_connect_failed(rtmp::Condition::kDnsFailed, "Host not found", 0);
  dns.read_client();
  EXPECT_EQ(dns.status_codes(), (std::vector<int>{3001}));
  ASSERT_TRUE(dns.b.close_request());
  EXPECT_EQ(dns.b.close_request()->code, CloseCode::kUpstreamFailed);
  EXPECT_NE(dns.b.close_request()->reason.find("127.0.0.1:1935"), std::string::npos) << dns.b.close_request()->reason;

  Harness tcp(Endpoint::kPush);
  tcp.b.on_upstream_connect_failed(rtmp::Condition::kTcpConnectFailed, "Connection refused", 0);
  tcp.read_client();
  EXPECT_EQ(tcp.status_codes(), (std::vector<int>{3002}));
}

TEST(GatewayBridge, UpstreamThatNeverConnectsTimesOutAs3002) {
  BridgeLimits l;
  l.upstream_timeout_ms = 2000;
  Harness h(Endpoint::kPlay, l, 500);
  EXPECT_EQ(h.b.next_deadline_ms(), 2500);
  h.b.tick(2499);
  EXPECT_FALSE(h.b.close_request());
  h.b.tick(2500);
  h.read_client();
  EXPECT_EQ(h.status_codes(), (std::vector<int>{3002}));
}

TEST(GatewayBridge, ServerClosingWhilePlayingIs3005) {
  Harness h(Endpoint::kPlay);
  h.connect_play();
  h.b.on_upstream_closed("eof", h.now);
  h.read_client();
  EXPECT_EQ(h.status_codes(), (std::vector<int>{2001, 2002, 3005}));
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kUpstreamFailed);
}

TEST(GatewayBridge, SilentPusherClosesWithIdleTimeout) {
  BridgeLimits l;
  l.idle_timeout_ms = 5000;
  Harness h(Endpoint::kPush, l);
  h.connect_push();
  h.b.on_client_binary(as_span(hex("464c5601050000000900000000")), 1000);
  h.b.tick(5999);
  EXPECT_FALSE(h.b.close_request());
  h.b.tick(6000);
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kIdleTimeout);
}

TEST(GatewayBridge, BinaryDataOnPlayIs1003) {
  Harness h(Endpoint::kPlay);
  h.b.on_client_binary(as_span(hex("00")), 0);
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kUnsupportedData);
}

TEST(GatewayBridge, PingIsAnsweredAndBadControlTextCloses4422) {
  Harness h(Endpoint::kPlay);
  h.b.on_client_text(R"({"type":"ping",)", 0);
  h.b.on_client_text(R"("id":"abc"})", 0);  // one message in two reads
  h.b.on_client_message_end(0);
  h.read_client();
  ASSERT_EQ(h.texts_of("pong").size(), 1u);
  EXPECT_NE(h.texts_of("pong")[0].find(R"("id":"abc")"), std::string::npos);
  h.b.on_client_text(std::string(600, ' '), 0);
  h.b.on_client_text(std::string(600, ' '), 0);
  h.b.on_client_message_end(0);
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kBadControlMessage);
}

TEST(GatewayBridge, ShutdownUnpublishesPolitelyAndCloses1001) {
  Harness h(Endpoint::kPush);
  h.connect_push();
  h.b.shutdown("draining", h.now);
  h.flush_upstream();
  ASSERT_TRUE(h.b.close_request());
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kGoingAway);
  auto names = h.server.command_names();
  EXPECT_EQ(names[names.size() - 2], "FCUnpublish");
  EXPECT_EQ(names.back(), "deleteStream");
  EXPECT_TRUE(h.b.upstream_finished());
  EXPECT_EQ(h.b.next_deadline_ms(), -1) << "after a close the driver's drain deadline rules";
}

TEST(GatewayBridge, FirstCloseReasonWins) {
  Harness h(Endpoint::kPlay);
  h.b.fail_client(CloseCode::kMessageTooBig, "too big", 0);
  h.b.on_upstream_closed("eof", 0);
  EXPECT_EQ(h.b.close_request()->code, CloseCode::kMessageTooBig);
}

TEST(GatewayCloseReason, CutsAt123BytesOnAUtf8Boundary) {
  std::string s(121, 'a');
  s += "\xc3\xa9\xc3\xa9";  // two 2-byte characters: 121 + 4 = 125 bytes
  std::string r = close_reason(s);
  EXPECT_EQ(r.size(), 123u);
  EXPECT_EQ(r.substr(121), "\xc3\xa9");
  std::string t(122, 'a');
  t += "\xe2\x82\xac";  // a 3-byte character straddling the limit
  EXPECT_EQ(close_reason(t), std::string(122, 'a'));
  EXPECT_EQ(close_reason("short"), "short");
}

}  // namespace
}  // namespace lw::gateway
