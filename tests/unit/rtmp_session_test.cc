// The client session against a scripted server whose answers are nginx-rtmp's real bytes
// (rtmp_nginx_bytes.h): the commands it writes, the events and state codes it raises, in order, and
// every failure mapped to its docs/api.md code.
#include "rtmp/rtmp_session.h"

#include <gtest/gtest.h>

#include <set>

#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::rtmp {
namespace {

using rtmp_test::drain;
using rtmp_test::FakeServer;
using rtmp_test::hex;
using rtmp_test::pump;

constexpr char kPushUrl[] = "rtmp://127.0.0.1/live/room1?txSecret=abc&txTime=5F";

std::vector<int32_t> codes(const std::vector<SessionEvent>& events) {
  std::vector<int32_t> out;
  for (const auto& e : events)
    if (e.state_code) out.push_back(e.state_code);
  return out;
}

// Sends what the session queued to the server; feeds the server's scripted answer back.
Status exchange(ClientSession& s, FakeServer& server, const char* reply_hex, int64_t now_ms = 0) {
  Bytes out = s.take_output();
  (void)server.receive(as_span(out));
  Bytes reply = hex(reply_hex);
  return s.feed(as_span(reply), now_ms);
}

// Server-side bytes of one command, chunked as a server would send it.
Bytes server_command(const Command& c, uint32_t stream_id = 0, uint32_t csid = 3) {
  ChunkWriter w;
  Bytes out;
  Bytes body = encode_command(c);
  EXPECT_TRUE(w.write(csid, 20, 0, stream_id, as_span(body), out).ok());
  return out;
}

struct Connected {
  ClientSession session;
  FakeServer server;
  explicit Connected(Role role, const char* url = kPushUrl)
      : session(SessionConfig{.url = url, .role = role, .random_seed = 7}) {
    EXPECT_TRUE(session.start(0).ok());
    pump(session, server);
    EXPECT_EQ(session.state(), SessionState::kConnecting);
  }
};

TEST(RtmpSession, PublisherSendsTheFfmpegSequenceAndRaises1001Then1002) {
  Connected c(Role::kPublish);
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxPublishStart).ok());
  (void)c.server.receive(as_span(c.session.take_output()));
  ASSERT_TRUE(c.server.error.ok()) << c.server.error.to_string();

  EXPECT_EQ(codes(drain(c.session)), (std::vector<int32_t>{1001, 1002}));
  EXPECT_EQ(c.session.state(), SessionState::kPublishing);
  EXPECT_EQ(c.server.command_names(),
            (std::vector<std::string>{"connect", "releaseStream", "FCPublish", "createStream", "publish"}));
  const Command& connect = c.server.commands[0];
  EXPECT_EQ(connect.object.string_or("app", ""), "live");
  EXPECT_EQ(connect.object.string_or("tcUrl", ""), "rtmp://127.0.0.1/live");
  const Command& publish = c.server.commands[4];
  ASSERT_GE(publish.args.size(), 2u);
  EXPECT_EQ(publish.args[0].string, "room1?txSecret=abc&txTime=5F") << "the query passes untouched";
  EXPECT_EQ(publish.args[1].string, "live");
  EXPECT_EQ(c.server.c2(), c.server.s1()) << "C2 echoes S1";
}

TEST(RtmpSession, PublishedMediaArrivesAsTheSameTagBodies) {
  Connected c(Role::kPublish);
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxPublishStart).ok());
  const Bytes video = hex("17 00 000000 0000000a 6588840021ffffff");
  const Bytes audio = hex("af 01 211048");
  ASSERT_TRUE(c.session.send_media(9, 40, as_span(video)).ok());
  ASSERT_TRUE(c.session.send_media(8, 5000000, as_span(audio)).ok());
  (void)c.server.receive(as_span(c.session.take_output()));
  const Message* v = c.server.last_of_type(9);
  const Message* a = c.server.last_of_type(8);
  ASSERT_TRUE(v && a);
  EXPECT_EQ(v->body, video);
  EXPECT_EQ(v->timestamp, 40u);
  EXPECT_EQ(v->stream_id, c.session.stream_id());
  EXPECT_EQ(a->body, audio);
  EXPECT_EQ(a->timestamp, 5000000u);
}

TEST(RtmpSession, SecondPublisherOfANameGets3004FromNginxBadName) {
  Connected c(Role::kPublish);
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
  Status st = exchange(c.session, c.server, rtmp_test::kNginxPublishBadName);
  EXPECT_EQ(st.code(), ErrorCode::kRefused) << st.to_string();
  auto events = drain(c.session);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, SessionEventKind::kError);
  EXPECT_EQ(events.back().state_code, 3004);
  EXPECT_EQ(events.back().status.code, "NetStream.Publish.BadName");
  EXPECT_EQ(c.session.state(), SessionState::kFailed);
}

TEST(RtmpSession, ConnectRejectedIs3003) {
  Connected c(Role::kPublish);
  (void)c.server.receive(as_span(c.session.take_output()));
  Bytes reply = server_command(error_command(
      1, StatusInfo{"error", "NetConnection.Connect.Rejected", "[ AccessManager.Reject ] : bad auth"}));
  Status st = c.session.feed(as_span(reply), 10);
  EXPECT_FALSE(st.ok());
  auto events = drain(c.session);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().state_code, 3003);
}

TEST(RtmpSession, HttpAnswerInsteadOfS0Is3003) {
  ClientSession s(SessionConfig{.url = kPushUrl, .role = Role::kPlay});
  ASSERT_TRUE(s.start(0).ok());
  (void)s.take_output();
  const std::string http = "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n";
  Status st = s.feed(ByteSpan(reinterpret_cast<const uint8_t*>(http.data()), http.size()), 1);
  EXPECT_FALSE(st.ok());
  auto events = drain(s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, SessionEventKind::kError);
  EXPECT_EQ(events[0].state_code, 3003);
}

TEST(RtmpSession, ServerClosingWhilePublishingIs3005) {
  Connected c(Role::kPublish);
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxPublishStart).ok());
  drain(c.session);
  c.session.on_transport_closed(100);
  auto events = drain(c.session);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].state_code, 3005);
}

TEST(RtmpSession, EachPhaseDeadlineRaisesItsCode) {
  {  // no S0/S1/S2: handshake
    ClientSession s(SessionConfig{.url = kPushUrl, .role = Role::kPublish, .handshake_timeout_ms = 3000});
    ASSERT_TRUE(s.start(1000).ok());
    EXPECT_EQ(s.next_deadline_ms(), 4000);
    s.tick(3999);
    EXPECT_TRUE(drain(s).empty()) << "not before the deadline";
    s.tick(4000);
    auto events = drain(s);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].state_code, 3003);
    EXPECT_EQ(events[0].error.code(), ErrorCode::kTimeout);
  }
  {  // handshake done, no _result for connect
    Connected c(Role::kPlay);
    c.session.tick(60000);
    auto events = drain(c.session);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].state_code, 3003);
  }
  {  // connected, createStream/publish never answered
    Connected c(Role::kPublish);
    ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
    drain(c.session);
    c.session.tick(60000);
    auto events = drain(c.session);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].state_code, 3004);
  }
}

TEST(RtmpSession, PlayerRaises2001And2002DeliversMediaAnd2006AtTheEnd) {
  Connected c(Role::kPlay, "rtmp://127.0.0.1/live/t1");
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx2).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxPlayStart).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxPlayFirstMedia).ok());
  auto events = drain(c.session);
  EXPECT_EQ(codes(events), (std::vector<int32_t>{2001, 2002}));
  std::vector<const SessionEvent*> media;
  for (const auto& e : events)
    if (e.kind == SessionEventKind::kMedia) media.push_back(&e);
  // onMetaData, AAC sequence header (af 00 ...), first AAC frame, AVC sequence header (17 00 ...).
  ASSERT_GE(media.size(), 3u);
  int audio = 0, video = 0;
  for (const auto* m : media) {
    if (m->media.type == 8) ++audio;
    if (m->media.type == 9) {
      ++video;
      EXPECT_EQ(m->media.body[0], 0x17);
      EXPECT_EQ(m->media.body[1], 0x00) << "AVC sequence header";
    }
  }
  EXPECT_EQ(audio, 2);
  EXPECT_EQ(video, 1);
  EXPECT_EQ(c.server.command_names(), (std::vector<std::string>{"connect", "createStream", "play"}));
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxPlayEnd).ok());
  EXPECT_EQ(codes(drain(c.session)).back(), 2006);
}

TEST(RtmpSession, AnswersPingRequestWithPingResponse) {
  Connected c(Role::kPlay);
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  (void)c.server.receive(as_span(c.session.take_output()));
  // User Control PingRequest (event 6) with timestamp 0x00abcdef on csid 2, type 4, stream 0.
  const Bytes ping = hex("02 000000 000006 04 00000000 0006 00abcdef");
  ASSERT_TRUE(c.session.feed(as_span(ping), 5).ok());
  (void)c.server.receive(as_span(c.session.take_output()));
  const Message* pong = c.server.last_of_type(4);
  ASSERT_NE(pong, nullptr);
  EXPECT_EQ(pong->body, hex("0007 00abcdef"));
}

TEST(RtmpSession, AcknowledgesWhenBytesReceivedCrossTheServersWindow) {
  Connected c(Role::kPlay);
  // Window Ack Size 100 from the server, then more than 100 bytes.
  const Bytes window = hex("02 000000 000004 05 00000000 00000064");
  ASSERT_TRUE(c.session.feed(as_span(window), 1).ok());
  ASSERT_TRUE(exchange(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  (void)c.server.receive(as_span(c.session.take_output()));
  const Message* ack = c.server.last_of_type(3);
  ASSERT_NE(ack, nullptr) << "no Acknowledgement after " << c.session.stats().bytes_received << " bytes";
  EXPECT_GE(c.session.stats().acks_sent, 1u);
}

TEST(RtmpSession, SendMediaBeforePublishingIsMisuse) {
  Connected c(Role::kPublish);
  const Bytes body = hex("af 01 00");
  EXPECT_EQ(c.session.send_media(8, 0, as_span(body)).code(), ErrorCode::kMisuse);
  ClientSession player(SessionConfig{.url = kPushUrl, .role = Role::kPlay});
  EXPECT_EQ(player.send_media(8, 0, as_span(body)).code(), ErrorCode::kMisuse);
}

TEST(RtmpSession, UnusableUrlIsAnErrorBeforeAnythingIsSent) {
  ClientSession s(SessionConfig{.url = "http://example.com/live/x", .role = Role::kPublish});
  EXPECT_FALSE(s.start(0).ok());
  EXPECT_TRUE(s.take_output().empty());
}

TEST(RtmpStateCodes, TheTableCoversEverySpecCodeTheSessionRaises) {
  std::set<int32_t> push, play;
  for (const StateCodeRule& r : state_code_table()) {
    if (r.roles & kRolePublish) push.insert(r.code);
    if (r.roles & kRolePlay) play.insert(r.code);
  }
  for (int32_t code : {1001, 1002, 3001, 3002, 3003, 3004, 3005}) EXPECT_TRUE(push.count(code)) << code;
  for (int32_t code : {2001, 2002, 2006, 3001, 3002, 3003}) EXPECT_TRUE(play.count(code)) << code;
  EXPECT_EQ(state_code(Role::kPublish, Condition::kStreamRefused), 3004);
  EXPECT_EQ(state_code(Role::kPlay, Condition::kPlayEnded), 2006);
  EXPECT_EQ(state_code(Role::kPublish, Condition::kPlayEnded), 0) << "a publisher has no 2006";
  EXPECT_EQ(state_code_name(Role::kPublish, 1002), "PUSH_EVT_PUSH_BEGIN");
}

}  // namespace
}  // namespace lw::rtmp
