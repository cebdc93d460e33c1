// The client session against a scripted fake server, beyond the happy paths of rtmp_session_test.cc:
// exact message sequences (chunk streams, message streams, arguments), event order, every refusal and
// deadline mapped to its docs/api.md state code, split-invariance of the whole exchange, and the control
// messages (Ping, Acknowledgement, Set Peer Bandwidth). Server answers are nginx-rtmp's recorded bytes
// (rtmp_nginx_bytes.h) or commands built here with the server-side builders.
#include <gtest/gtest.h>

#include <set>

#include "base/byte_writer.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp/rtmp_session.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::rtmp {
namespace {

using rtmp_test::concat;
using rtmp_test::drain;
using rtmp_test::FakeServer;
using rtmp_test::hex;
using rtmp_test::pump;

constexpr char kPushUrl[] = "rtmp://127.0.0.1/live/room1?txSecret=abc&txTime=5F";
constexpr char kStreamName[] = "room1?txSecret=abc&txTime=5F";
constexpr char kPlayUrl[] = "rtmp://127.0.0.1/live/t1";

std::vector<int32_t> codes(const std::vector<SessionEvent>& events) {
  std::vector<int32_t> out;
  for (const auto& e : events)
    if (e.state_code) out.push_back(e.state_code);
  return out;
}

std::vector<SessionEventKind> kinds(const std::vector<SessionEvent>& events) {
  std::vector<SessionEventKind> out;
  for (const auto& e : events) out.push_back(e.kind);
  return out;
}

// Server bytes of one command, chunked at the size the server announced (nginx: 4096 after connect).
Bytes server_command(const Command& c, uint32_t stream_id = 0, uint32_t csid = 3,
                     uint32_t chunk_size = kDefaultChunkSize) {
  ChunkWriter w;
  Bytes ignored, out;
  if (chunk_size != kDefaultChunkSize) EXPECT_TRUE(w.set_chunk_size(chunk_size, ignored).ok());
  Bytes body = encode_command(c);
  EXPECT_TRUE(w.write(csid, 20, 0, stream_id, as_span(body), out).ok());
  return out;
}

Bytes on_status(const char* level, const char* code, const char* description = "") {
  return server_command(on_status_command(StatusInfo{level, code, description}), 1, 5, 4096);
}

// The session's output goes to the fake server; `reply` goes back to the session.
Status answer(ClientSession& s, FakeServer& server, const Bytes& reply, int64_t now_ms = 0) {
  Bytes out = s.take_output();
  (void)server.receive(as_span(out));
  return s.feed(as_span(reply), now_ms);
}
Status answer(ClientSession& s, FakeServer& server, const char* reply_hex, int64_t now_ms = 0) {
  return answer(s, server, hex(reply_hex), now_ms);
}
void flush(ClientSession& s, FakeServer& server) { (void)server.receive(as_span(s.take_output())); }

struct Session {
  ClientSession session;
  FakeServer server;
  explicit Session(Role role, const char* url, SessionConfig extra = {})
      : session([&] {
          extra.url = url;
          extra.role = role;
          extra.random_seed = 11;
          return extra;
        }()) {
    EXPECT_TRUE(session.start(0).ok());
    pump(session, server);
    EXPECT_EQ(session.state(), SessionState::kConnecting);
  }
  // Runs the nginx script up to the stream start.
  void to_publishing() {
    ASSERT_TRUE(answer(session, server, rtmp_test::kNginxConnectReply).ok());
    ASSERT_TRUE(answer(session, server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
    ASSERT_TRUE(answer(session, server, rtmp_test::kNginxPublishStart).ok());
    ASSERT_EQ(session.state(), SessionState::kPublishing);
  }
  void to_playing() {
    ASSERT_TRUE(answer(session, server, rtmp_test::kNginxConnectReply).ok());
    ASSERT_TRUE(answer(session, server, rtmp_test::kNginxCreateStreamReplyTx2).ok());
    ASSERT_TRUE(answer(session, server, rtmp_test::kNginxPlayStart).ok());
    ASSERT_EQ(session.state(), SessionState::kPlaying);
  }
  // The one kError event, checked to be the last and only one.
  SessionEvent error_event() {
    auto events = drain(session);
    int errors = 0;
    for (const auto& e : events) errors += e.kind == SessionEventKind::kError;
    EXPECT_EQ(errors, 1);
    EXPECT_FALSE(events.empty());
    if (events.empty()) return {};
    EXPECT_EQ(events.back().kind, SessionEventKind::kError);
    EXPECT_EQ(session.state(), SessionState::kFailed);
    return events.back();
  }
};

// ---- Publisher ----------------------------------------------------------------------------------

TEST(RtmpSessionScript, PublisherMessagesGoOnFfmpegsChunkAndMessageStreams) {
  Session c(Role::kPublish, kPushUrl);
  c.to_publishing();
  flush(c.session, c.server);
  ASSERT_TRUE(c.server.error.ok()) << c.server.error.to_string();
  // First message after C2: Set Chunk Size 4096 on csid 2 (02 000000 000004 01 00000000 00001000).
  ASSERT_FALSE(c.server.messages.empty());
  EXPECT_EQ(c.server.messages[0].type, 1);
  EXPECT_EQ(c.server.messages[0].chunk_stream_id, 2u);
  EXPECT_EQ(c.server.messages[0].body, hex("00001000"));

  ASSERT_EQ(c.server.commands.size(), 5u);
  const Command& connect = c.server.commands[0];
  EXPECT_EQ(connect.transaction_id, 1);
  EXPECT_EQ(connect.object.string_or("app", ""), "live");
  EXPECT_EQ(connect.object.string_or("tcUrl", ""), "rtmp://127.0.0.1/live");
  EXPECT_EQ(connect.object.string_or("type", ""), "nonprivate");
  EXPECT_EQ(connect.object.string_or("flashVer", ""), "FMLE/3.0 (compatible; livewasm)");
  // releaseStream and FCPublish carry the stream name with its query, untouched.
  for (int i : {1, 2}) {
    ASSERT_EQ(c.server.commands[i].args.size(), 1u) << c.server.commands[i].name;
    EXPECT_EQ(c.server.commands[i].args[0].string, kStreamName) << c.server.commands[i].name;
    EXPECT_EQ(c.server.commands[i].transaction_id, i + 1);
  }
  EXPECT_EQ(c.server.commands[3].transaction_id, 4) << "createStream";
  EXPECT_EQ(c.server.commands[4].transaction_id, 5) << "publish";

  // publish goes on message stream 1 (from createStream's _result) and chunk stream 8; the
  // NetConnection commands on message stream 0, chunk stream 3.
  std::vector<const Message*> commands;
  for (const auto& m : c.server.messages)
    if (m.type == 20) commands.push_back(&m);
  ASSERT_EQ(commands.size(), 5u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(commands[i]->stream_id, 0u) << i;
    EXPECT_EQ(commands[i]->chunk_stream_id, 3u) << i;
  }
  EXPECT_EQ(commands[4]->stream_id, 1u);
  EXPECT_EQ(commands[4]->chunk_stream_id, 8u);
  EXPECT_EQ(c.session.stream_id(), 1u);
}

TEST(RtmpSessionScript, PublisherEventsAndStatesInOrder) {
  Session c(Role::kPublish, kPushUrl);
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  EXPECT_EQ(c.session.state(), SessionState::kCreatingStream);
  auto e1 = drain(c.session);
  ASSERT_EQ(e1.size(), 1u);
  EXPECT_EQ(e1[0].kind, SessionEventKind::kConnected);
  EXPECT_EQ(e1[0].state_code, 1001);
  EXPECT_EQ(e1[0].status.code, "NetConnection.Connect.Success");
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
  EXPECT_EQ(c.session.state(), SessionState::kStarting);
  EXPECT_TRUE(drain(c.session).empty());
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxPublishStart).ok());
  auto e2 = drain(c.session);
  EXPECT_EQ(kinds(e2), (std::vector<SessionEventKind>{SessionEventKind::kStatus,
                                                      SessionEventKind::kStreamStarted}));
  EXPECT_EQ(codes(e2), (std::vector<int32_t>{1002}));
  EXPECT_EQ(c.session.next_deadline_ms(), -1) << "no deadline while publishing";
}

TEST(RtmpSessionScript, WholeNginxExchangeGivesTheSameResultInAnySplit) {
  // The server's bytes (S0 S1 S2 and every answer) fed at once, 1 byte at a time, and in 7-byte
  // pieces: the session must write the same bytes and raise the same events.
  auto run = [](size_t piece) {
    ClientSession s(SessionConfig{.url = kPushUrl, .role = Role::kPublish, .random_seed = 3});
    FakeServer server;
    EXPECT_TRUE(s.start(0).ok());
    Bytes c0c1 = s.take_output();
    const Bytes script = concat({server.receive(as_span(c0c1)), hex(rtmp_test::kNginxConnectReply),
                                 hex(rtmp_test::kNginxCreateStreamReplyTx4),
                                 hex(rtmp_test::kNginxPublishStart)});
    for (size_t pos = 0; pos < script.size(); pos += piece) {
      size_t n = std::min(piece, script.size() - pos);
      EXPECT_TRUE(s.feed(ByteSpan(script.data() + pos, n), 0).ok());
    }
    std::pair<Bytes, std::vector<int32_t>> out{s.take_output(), codes(drain(s))};
    EXPECT_EQ(s.state(), SessionState::kPublishing);
    return out;
  };
  auto whole = run(1 << 20);
  EXPECT_EQ(whole.second, (std::vector<int32_t>{1001, 1002}));
  EXPECT_EQ(run(1), whole);
  EXPECT_EQ(run(7), whole);
}

TEST(RtmpSessionScript, ReleaseStreamAndFcPublishErrorsAreIgnored) {
  // Servers without FMLE support answer _error to releaseStream (tx 2) and FCPublish (tx 3);
  // FFmpeg goes on, and so does the session.
  Session c(Role::kPublish, kPushUrl);
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  const StatusInfo nope{"error", "NetConnection.Call.Failed", "Method not found"};
  ASSERT_TRUE(answer(c.session, c.server,
                     concat({server_command(error_command(2, nope), 0, 3, 4096),
                             server_command(error_command(3, nope), 0, 3, 4096)}))
                  .ok());
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxPublishStart).ok());
  EXPECT_EQ(codes(drain(c.session)), (std::vector<int32_t>{1001, 1002}));
}

TEST(RtmpSessionScript, PublishOrCreateStreamErrorIs3004) {
  {
    Session c(Role::kPublish, kPushUrl);
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
    Status st = answer(c.session, c.server,
                       server_command(error_command(4, {"error", "NetStream.Failed", ""}), 0, 3, 4096));
    EXPECT_EQ(st.code(), ErrorCode::kRefused) << st.to_string();
    auto ev = c.error_event();
    EXPECT_EQ(ev.state_code, 3004);
    EXPECT_EQ(ev.condition, Condition::kStreamRefused);
  }
  {
    Session c(Role::kPublish, kPushUrl);
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
    Status st = answer(c.session, c.server,
                       server_command(error_command(5, {"error", "NetStream.Publish.Denied", "no"}),
                                      1, 5, 4096));
    EXPECT_FALSE(st.ok());
    auto ev = c.error_event();
    EXPECT_EQ(ev.state_code, 3004);
    EXPECT_EQ(ev.status.code, "NetStream.Publish.Denied");
  }
  {  // createStream _result without a usable stream id
    Session c(Role::kPublish, kPushUrl);
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
    Status st = answer(c.session, c.server,
                       server_command(result_command(4, amf0::Value::Null(), {amf0::Value::Number(0.5)}),
                                      0, 3, 4096));
    EXPECT_EQ(st.code(), ErrorCode::kProtocol) << st.to_string();
    EXPECT_EQ(c.error_event().state_code, 3004);
  }
}

// ---- Connect refusals and handshake failures: 3003 -----------------------------------------------

TEST(RtmpSessionScript, EveryKindOfConnectRefusalIs3003) {
  struct Case {
    const char* what;
    Bytes reply;
  };
  const Case cases[] = {
      {"_error with an info object",
       server_command(error_command(1, {"error", "NetConnection.Connect.Rejected", "auth"}))},
      {"_error with nothing but null", server_command(Command{"_error", 1, amf0::Value::Null(), {}})},
      {"_result whose info says error",
       server_command(result_command(1, amf0::Value::Null(),
                                     {status_object({"error", "NetConnection.Connect.Failed", ""})}))},
      {"onStatus Connect.Rejected",
       server_command(on_status_command({"error", "NetConnection.Connect.Rejected", "bad app"}))},
      {"onStatus Connect.InvalidApp at status level",
       server_command(on_status_command({"status", "NetConnection.Connect.InvalidApp", ""}))},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.what);
    Session c(Role::kPublish, kPushUrl);
    Status st = answer(c.session, c.server, k.reply, 10);
    EXPECT_FALSE(st.ok());
    auto ev = c.error_event();
    EXPECT_EQ(ev.state_code, 3003);
    EXPECT_EQ(ev.condition, Condition::kConnectRejected);
    EXPECT_FALSE(ev.error.reason().empty());
  }
  {  // the player too
    Session c(Role::kPlay, kPlayUrl);
    (void)answer(c.session, c.server,
                 server_command(error_command(1, {"error", "NetConnection.Connect.Rejected", ""})));
    EXPECT_EQ(c.error_event().state_code, 3003);
  }
}

TEST(RtmpSessionScript, NginxClosingAfterTheHandshakeIs3003) {
  // nginx-rtmp closes the connection right after the handshake for an unknown app.
  for (Role role : {Role::kPublish, Role::kPlay}) {
    Session c(role, "rtmp://127.0.0.1/nosuchapp/x");
    flush(c.session, c.server);
    c.session.on_transport_closed(20);
    auto ev = c.error_event();
    EXPECT_EQ(ev.state_code, 3003);
    EXPECT_EQ(ev.error.code(), ErrorCode::kClosed);
  }
}

TEST(RtmpSessionScript, BadS0OrAnEarlyCloseInTheHandshakeIs3003) {
  for (uint8_t s0 : {uint8_t{0x06}, uint8_t{0x00}, uint8_t{0x16} /* a TLS ServerHello */}) {
    ClientSession s(SessionConfig{.url = kPushUrl, .role = Role::kPublish});
    ASSERT_TRUE(s.start(0).ok());
    (void)s.take_output();
    const Bytes reply = concat({Bytes{s0}, Bytes(1536, 0)});
    Status st = s.feed(as_span(reply), 1);
    EXPECT_EQ(st.code(), ErrorCode::kProtocol) << int(s0) << " " << st.to_string();
    auto events = drain(s);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].state_code, 3003);
    EXPECT_TRUE(s.take_output().empty()) << "no C2 after a bad S0";
  }
  {  // S0 and half of S1, then EOF
    ClientSession s(SessionConfig{.url = kPushUrl, .role = Role::kPlay});
    ASSERT_TRUE(s.start(0).ok());
    const Bytes half = concat({Bytes{3}, Bytes(700, 0)});
    ASSERT_TRUE(s.feed(as_span(half), 1).ok());
    s.on_transport_closed(2);
    auto events = drain(s);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].state_code, 3003);
  }
}

// ---- Player ----------------------------------------------------------------------------------------

TEST(RtmpSessionScript, PlayerMediaEventsCarryExactlyTheBytesTheServerSent) {
  Session c(Role::kPlay, kPlayUrl);
  c.to_playing();
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxPlayFirstMedia).ok());
  // The reference: every audio/video/data message of the same server bytes, read independently.
  const Bytes all = concat({hex(rtmp_test::kNginxConnectReply), hex(rtmp_test::kNginxCreateStreamReplyTx2),
                            hex(rtmp_test::kNginxPlayStart), hex(rtmp_test::kNginxPlayFirstMedia)});
  Status error;
  std::vector<Message> want;
  for (auto& m : rtmp_test::read_messages(as_span(all), {}, &error))
    if (m.type == 8 || m.type == 9 || m.type == 18) want.push_back(std::move(m));
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_EQ(want.size(), 5u) << "|RtmpSampleAccess, onMetaData, AAC header, AAC frame, AVC header";

  std::vector<Message> got;
  std::vector<int32_t> order;
  for (auto& e : drain(c.session)) {
    if (e.state_code) order.push_back(e.state_code);
    if (e.kind == SessionEventKind::kMedia) got.push_back(std::move(e.media));
  }
  EXPECT_EQ(order, (std::vector<int32_t>{2001, 2002}));
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].type, want[i].type) << i;
    EXPECT_EQ(got[i].timestamp, want[i].timestamp) << i;
    EXPECT_EQ(got[i].body, want[i].body) << i;
  }
  EXPECT_EQ(got[3].body.size(), 260u) << "the AAC frame spans more than 128 bytes";
  EXPECT_EQ(c.session.stats().media_received, 5u);
}

TEST(RtmpSessionScript, PlayerSendsPlayOnStream1BufferLengthAndOneWindowAckSize) {
  Session c(Role::kPlay, kPlayUrl);
  c.to_playing();
  flush(c.session, c.server);
  ASSERT_EQ(c.server.command_names(), (std::vector<std::string>{"connect", "createStream", "play"}));
  const Command& play = c.server.commands[2];
  ASSERT_GE(play.args.size(), 2u);
  EXPECT_EQ(play.args[0].string, "t1");
  EXPECT_EQ(play.args[1].number, -2) << "live if there is one, else recorded";
  EXPECT_EQ(c.server.commands[0].object.string_or("flashVer", ""), "LNX 9,0,124,2");
  int window_acks = 0;
  bool buffer_length = false;
  for (const auto& m : c.server.messages) {
    if (m.type == 5) {
      ++window_acks;
      EXPECT_EQ(m.body, hex("004c4b40")) << "5000000";
    }
    // User Control SetBufferLength (event 3), stream 1, 1000 ms: 0003 00000001 000003e8.
    if (m.type == 4 && m.body == hex("0003 00000001 000003e8")) buffer_length = true;
    if (m.type == 20 && m.body.size() > 7 && m.body[3] == 'p') {
      EXPECT_EQ(m.stream_id, 1u);
      EXPECT_EQ(m.chunk_stream_id, 8u);
    }
  }
  EXPECT_EQ(window_acks, 1) << "Set Peer Bandwidth 5000000 already announced the same window";
  EXPECT_TRUE(buffer_length);
}

TEST(RtmpSessionScript, PlayEndIsOne2006ForStreamEofAndPlayStopTogetherOrAlone) {
  const Bytes eof = hex("02 000000 000006 04 00000000 0001 00000001");
  const Bytes begin = hex("02 000000 000006 04 00000000 0000 00000001");
  const Bytes stop = on_status("status", "NetStream.Play.Stop", "Stop live");
  {  // nginx: StreamEOF then Play.Stop -> exactly one 2006, on the first
    Session c(Role::kPlay, kPlayUrl);
    c.to_playing();
    drain(c.session);
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxPlayEnd).ok());
    auto events = drain(c.session);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, SessionEventKind::kUserControl);
    EXPECT_EQ(events[0].state_code, 2006);
    EXPECT_EQ(events[1].kind, SessionEventKind::kStatus);
    EXPECT_EQ(events[1].state_code, 0);
    EXPECT_EQ(c.session.state(), SessionState::kPlaying) << "the connection stays up";
    // The publisher comes back: StreamBegin, then it leaves again -> a second 2006.
    ASSERT_TRUE(c.session.feed(as_span(concat({begin, eof})), 5).ok());
    EXPECT_EQ(codes(drain(c.session)), (std::vector<int32_t>{2006}));
  }
  {  // Play.Stop alone
    Session c(Role::kPlay, kPlayUrl);
    c.to_playing();
    drain(c.session);
    ASSERT_TRUE(answer(c.session, c.server, stop).ok());
    auto events = drain(c.session);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, SessionEventKind::kStatus);
    EXPECT_EQ(events[0].state_code, 2006);
    EXPECT_EQ(events[0].status.code, "NetStream.Play.Stop");
  }
  {  // StreamEOF alone
    Session c(Role::kPlay, kPlayUrl);
    c.to_playing();
    drain(c.session);
    ASSERT_TRUE(c.session.feed(as_span(eof), 5).ok());
    EXPECT_EQ(codes(drain(c.session)), (std::vector<int32_t>{2006}));
  }
}

TEST(RtmpSessionScript, PlayStreamNotFoundIs3004) {
  Session c(Role::kPlay, kPlayUrl);
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx2).ok());
  EXPECT_FALSE(answer(c.session, c.server, on_status("error", "NetStream.Play.StreamNotFound")).ok());
  auto ev = c.error_event();
  EXPECT_EQ(ev.state_code, 3004);
  EXPECT_EQ(ev.status.code, "NetStream.Play.StreamNotFound");
}

// ---- The connection breaking: 3005 / 3004 -----------------------------------------------------------

TEST(RtmpSessionScript, ServerClosingMidStreamIs3005InBothRoles) {
  {
    Session c(Role::kPlay, kPlayUrl);
    c.to_playing();
    drain(c.session);
    c.session.on_transport_closed(50);
    auto ev = c.error_event();
    EXPECT_EQ(ev.state_code, 3005);
    EXPECT_EQ(ev.condition, Condition::kConnectionBroken);
    c.session.on_transport_closed(60);
    EXPECT_TRUE(drain(c.session).empty()) << "one error event, not one per notification";
  }
  {  // while the publisher waits for createStream's answer: the stream was refused
    Session c(Role::kPublish, kPushUrl);
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
    drain(c.session);
    c.session.on_transport_closed(50);
    EXPECT_EQ(c.error_event().state_code, 3004);
  }
}

TEST(RtmpSessionScript, BrokenChunkStreamWhilePublishingIs3005AndFeedKeepsFailing) {
  Session c(Role::kPublish, kPushUrl);
  c.to_publishing();
  drain(c.session);
  const Bytes garbage = hex("c9 00 00 00");  // fmt 3 on chunk stream 9, never started
  Status st = c.session.feed(as_span(garbage), 100);
  EXPECT_EQ(st.code(), ErrorCode::kProtocol) << st.to_string();
  EXPECT_EQ(c.error_event().state_code, 3005);
  const Bytes fine = hex(rtmp_test::kNginxUnpublishSuccess);
  EXPECT_EQ(c.session.feed(as_span(fine), 101).to_string(), st.to_string());
  c.session.tick(1'000'000);
  EXPECT_TRUE(drain(c.session).empty());
  const Bytes body = hex("af 01 00");
  EXPECT_EQ(c.session.send_media(8, 0, as_span(body)).code(), ErrorCode::kMisuse);
}

TEST(RtmpSessionScript, ServerCloseCommandWhilePublishingIs3004) {
  Session c(Role::kPublish, kPushUrl);
  c.to_publishing();
  drain(c.session);
  EXPECT_FALSE(answer(c.session, c.server,
                      server_command(Command{"close", 0, amf0::Value::Null(), {}}, 0, 3, 4096))
                   .ok());
  EXPECT_EQ(c.error_event().state_code, 3004);
}

// ---- Deadlines ---------------------------------------------------------------------------------------

TEST(RtmpSessionScript, EachDeadlineIsArmedPerPhaseAndMapsToItsCode) {
  SessionConfig cfg;
  cfg.handshake_timeout_ms = 100;
  cfg.connect_timeout_ms = 200;
  cfg.stream_timeout_ms = 300;
  {  // player: connect _result never comes; the deadline counts from S2 (fed at 0)
    Session c(Role::kPlay, kPlayUrl, cfg);
    EXPECT_EQ(c.session.next_deadline_ms(), 200);
    c.session.tick(199);
    EXPECT_TRUE(drain(c.session).empty());
    c.session.tick(200);
    auto ev = c.error_event();
    EXPECT_EQ(ev.state_code, 3003);
    EXPECT_EQ(ev.error.code(), ErrorCode::kTimeout);
    EXPECT_EQ(c.session.next_deadline_ms(), -1);
  }
  {  // player: connected at 1000, play never answered
    Session c(Role::kPlay, kPlayUrl, cfg);
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply, 1000).ok());
    EXPECT_EQ(c.session.next_deadline_ms(), 1300);
    ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx2, 1100).ok());
    EXPECT_EQ(c.session.next_deadline_ms(), 1300) << "one deadline for createStream + play";
    drain(c.session);
    c.session.tick(1300);
    auto ev = c.error_event();
    EXPECT_EQ(ev.state_code, 3004);
    EXPECT_EQ(ev.error.code(), ErrorCode::kTimeout);
  }
  {  // publisher: the deadline is disarmed once publishing
    Session c(Role::kPublish, kPushUrl, cfg);
    c.to_publishing();
    drain(c.session);
    c.session.tick(1'000'000);
    EXPECT_TRUE(drain(c.session).empty());
    EXPECT_EQ(c.session.state(), SessionState::kPublishing);
  }
}

TEST(RtmpSessionScript, PlayerIdleTimeoutIs3005) {
  SessionConfig cfg;
  cfg.idle_timeout_ms = 500;
  Session c(Role::kPlay, kPlayUrl, cfg);
  c.to_playing();
  drain(c.session);
  EXPECT_EQ(c.session.next_deadline_ms(), 500);
  const Bytes ping = hex("02 000000 000006 04 00000000 0006 00000001");
  ASSERT_TRUE(c.session.feed(as_span(ping), 400).ok());
  EXPECT_EQ(c.session.next_deadline_ms(), 900) << "bytes push the idle deadline";
  c.session.tick(899);
  EXPECT_TRUE(drain(c.session).empty());
  c.session.tick(900);
  EXPECT_EQ(c.error_event().state_code, 3005);
}

// ---- Control messages -------------------------------------------------------------------------------

TEST(RtmpSessionScript, AcknowledgementSaysTheBytesReceivedEachTimeTheWindowIsCrossed) {
  Session c(Role::kPlay, kPlayUrl);
  flush(c.session, c.server);
  // Window Ack Size 100: the 3073 handshake bytes + this message are already past it -> one ack.
  const Bytes window = hex("02 000000 000004 05 00000000 00000064");
  ASSERT_TRUE(answer(c.session, c.server, window).ok());
  flush(c.session, c.server);
  const uint64_t first = c.session.stats().bytes_received;
  ASSERT_EQ(c.session.stats().acks_sent, 1u);
  const Message* ack = c.server.last_of_type(3);
  ASSERT_NE(ack, nullptr);
  Bytes want;
  ByteWriter w(&want);
  w.u32(static_cast<uint32_t>(first));
  EXPECT_EQ(ack->body, want);
  // 16-byte messages (the server's own Acknowledgement, harmless): 6 are 96 bytes, under the window.
  const Bytes filler = hex("02 000000 000004 03 00000000 00000000");
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(c.session.feed(as_span(filler), 1).ok());
  EXPECT_EQ(c.session.stats().acks_sent, 1u);
  ASSERT_TRUE(c.session.feed(as_span(filler), 1).ok());  // 112 bytes since the last ack
  EXPECT_EQ(c.session.stats().acks_sent, 2u);
  flush(c.session, c.server);
  want.clear();
  w.u32(static_cast<uint32_t>(first + 112));
  EXPECT_EQ(c.server.last_of_type(3)->body, want);
}

TEST(RtmpSessionScript, SetPeerBandwidthIsAnsweredWithWindowAckSizeOnlyWhenItChanges) {
  Session c(Role::kPublish, kPushUrl);
  flush(c.session, c.server);
  const Bytes bw = hex("02 000000 000005 06 00000000 002625a0 02");  // 2500000, dynamic
  ASSERT_TRUE(answer(c.session, c.server, bw).ok());
  ASSERT_TRUE(answer(c.session, c.server, bw).ok());
  flush(c.session, c.server);
  int answers = 0;
  for (const auto& m : c.server.messages) {
    if (m.type == 5) {
      ++answers;
      EXPECT_EQ(m.body, hex("002625a0"));
      EXPECT_EQ(m.chunk_stream_id, 2u);
    }
  }
  EXPECT_EQ(answers, 1);
  EXPECT_EQ(c.session.stats().peer_bandwidth, 2500000u);
}

TEST(RtmpSessionScript, PingRequestDuringPublishingIsAnsweredOnChunkStream2) {
  Session c(Role::kPublish, kPushUrl);
  c.to_publishing();
  flush(c.session, c.server);
  drain(c.session);
  const Bytes ping = hex("02 000000 000006 04 00000000 0006 12345678");
  ASSERT_TRUE(c.session.feed(as_span(ping), 5).ok());
  flush(c.session, c.server);
  const Message* pong = c.server.last_of_type(4);
  ASSERT_NE(pong, nullptr);
  EXPECT_EQ(pong->body, hex("0007 12345678"));
  EXPECT_EQ(pong->chunk_stream_id, 2u);
  EXPECT_EQ(pong->stream_id, 0u);
  EXPECT_TRUE(drain(c.session).empty()) << "a ping is not an event";
}

// ---- API misuse and close ------------------------------------------------------------------------------

TEST(RtmpSessionScript, SendMediaIsMisuseOutsidePublishingOrForOtherTypes) {
  const Bytes body = hex("17 01 000000 00");
  Session c(Role::kPublish, kPushUrl);
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxConnectReply).ok());
  EXPECT_EQ(c.session.send_media(9, 0, as_span(body)).code(), ErrorCode::kMisuse) << "creating stream";
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxCreateStreamReplyTx4).ok());
  EXPECT_EQ(c.session.send_media(9, 0, as_span(body)).code(), ErrorCode::kMisuse) << "publish sent";
  ASSERT_TRUE(answer(c.session, c.server, rtmp_test::kNginxPublishStart).ok());
  EXPECT_EQ(c.session.send_media(20, 0, as_span(body)).code(), ErrorCode::kMisuse) << "a command";
  EXPECT_TRUE(c.session.send_media(9, 0, as_span(body)).ok());
  ASSERT_TRUE(c.session.close(10).ok());
  EXPECT_EQ(c.session.send_media(9, 40, as_span(body)).code(), ErrorCode::kMisuse) << "closed";
  Session p(Role::kPlay, kPlayUrl);
  p.to_playing();
  EXPECT_EQ(p.session.send_media(9, 0, as_span(body)).code(), ErrorCode::kMisuse) << "player";
}

TEST(RtmpSessionScript, MetadataGetsTheSetDataFramePrefixOnChunkStream5) {
  Session c(Role::kPublish, kPushUrl);
  c.to_publishing();
  flush(c.session, c.server);
  ASSERT_TRUE(c.session.send_metadata({{"width", amf0::Value::Number(640)}}).ok());
  flush(c.session, c.server);
  const Message* m = c.server.last_of_type(18);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->chunk_stream_id, 5u);
  EXPECT_EQ(m->stream_id, 1u);
  EXPECT_EQ(data_message_name(as_span(m->body)), "@setDataFrame");
  EXPECT_EQ(data_message_name(strip_set_data_frame(as_span(m->body))), "onMetaData");
}

TEST(RtmpSessionScript, CloseSendsFcUnpublishAndDeleteStreamThenIgnoresInput) {
  Session c(Role::kPublish, kPushUrl);
  c.to_publishing();
  drain(c.session);
  ASSERT_TRUE(c.session.close(100).ok());
  flush(c.session, c.server);
  auto names = c.server.command_names();
  ASSERT_GE(names.size(), 2u);
  EXPECT_EQ(names[names.size() - 2], "FCUnpublish");
  EXPECT_EQ(names.back(), "deleteStream");
  EXPECT_EQ(c.server.commands[names.size() - 2].args[0].string, kStreamName);
  EXPECT_EQ(c.server.commands.back().args[0].number, 1);
  auto events = drain(c.session);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, SessionEventKind::kClosed);
  EXPECT_EQ(c.session.state(), SessionState::kClosed);
  const Bytes late = hex(rtmp_test::kNginxUnpublishSuccess);
  EXPECT_TRUE(c.session.feed(as_span(late), 101).ok());
  c.session.on_transport_closed(102);
  EXPECT_TRUE(drain(c.session).empty()) << "closing politely is not an error";
}

// ---- The state-code table against docs/api.md -------------------------------------------------------------

TEST(RtmpStateCodeTable, EveryCodeSpecListsHasItsSpecNameAndNoOtherCodesExist) {
  // docs/api.md (pusher) and 2 (player), the codes the RTMP layer is responsible for.
  const std::pair<int32_t, const char*> push[] = {
      {1001, "PUSH_EVT_CONNECT_SUCC"},        {1002, "PUSH_EVT_PUSH_BEGIN"},
      {3001, "PUSH_WARNING_DNS_FAIL"},        {3002, "PUSH_WARNING_SEVER_CONN_FAIL"},
      {3003, "PUSH_WARNING_SHAKE_FAIL"},      {3004, "PUSH_WARNING_SERVER_DISCONNECT"},
      {3005, "PUSH_WARNING_SERVER_DISCONNECT"}};
  const std::pair<int32_t, const char*> play[] = {
      {2001, "PLAY_EVT_CONNECT_SUCC"},   {2002, "PLAY_EVT_RTMP_STREAM_BEGIN"},
      {2006, "PLAY_EVT_PLAY_END"},       {3001, "PLAY_WARNING_DNS_FAIL"},
      {3002, "PLAY_WARNING_SEVER_CONN_FAIL"}, {3003, "PLAY_WARNING_SHAKE_FAIL"}};
  for (auto [code, name] : push) EXPECT_EQ(state_code_name(Role::kPublish, code), name) << code;
  for (auto [code, name] : play) EXPECT_EQ(state_code_name(Role::kPlay, code), name) << code;
  for (int32_t code : {2001, 2002, 2006}) EXPECT_EQ(state_code_name(Role::kPublish, code), "") << code;
  for (int32_t code : {1001, 1002}) EXPECT_EQ(state_code_name(Role::kPlay, code), "") << code;

  const std::set<int32_t> known = {1001, 1002, 2001, 2002, 2006, 3001, 3002, 3003, 3004, 3005};
  for (const StateCodeRule& r : state_code_table()) {
    EXPECT_TRUE(known.count(r.code)) << r.code;
    EXPECT_NE(r.roles, 0) << r.code;
  }
  // Every condition but kNone has a code in both roles, except kPlayEnded for the pusher.
  for (int c = 1; c <= static_cast<int>(Condition::kConnectionBroken); ++c) {
    const Condition cond = static_cast<Condition>(c);
    EXPECT_NE(state_code(Role::kPlay, cond), 0) << condition_name(cond);
    if (cond != Condition::kPlayEnded)
      EXPECT_NE(state_code(Role::kPublish, cond), 0) << condition_name(cond);
  }
  EXPECT_EQ(state_code(Role::kPublish, Condition::kDnsFailed), 3001);
  EXPECT_EQ(state_code(Role::kPlay, Condition::kTcpConnectFailed), 3002);
  EXPECT_EQ(state_code(Role::kPlay, Condition::kHandshakeFailed), 3003);
  EXPECT_EQ(state_code(Role::kPublish, Condition::kConnectionBroken), 3005);
  EXPECT_EQ(condition_for_status("NetStream.Publish.BadName"), Condition::kStreamRefused);
  EXPECT_EQ(condition_for_status("NetConnection.Connect.Rejected"), Condition::kConnectRejected);
  EXPECT_EQ(condition_for_status("NetStream.Play.Stop"), Condition::kPlayEnded);
  EXPECT_EQ(condition_for_status("NetStream.Something.New"), Condition::kNone);
}

}  // namespace
}  // namespace lw::rtmp

namespace lw::rtmp {
namespace {

// Regression (found while writing these tests): an onStatus NetStream.Publish.Start / Play.Start that
// arrived before the stream was requested (still connecting) moved the session to kPublishing /
// kPlaying and disarmed the deadline, so a server that then went silent was never timed out; the
// later connect _result moved the state back to kCreatingStream. A start status only counts once
// publish/play was sent.
TEST(RtmpSessionScript, PrematureStreamStartStatusDoesNotDisarmTheConnectDeadline) {
  for (Role role : {Role::kPublish, Role::kPlay}) {
    SCOPED_TRACE(role == Role::kPublish ? "publisher" : "player");
    SessionConfig cfg;
    cfg.connect_timeout_ms = 200;
    Session c(role, role == Role::kPublish ? kPushUrl : kPlayUrl, cfg);
    const char* code = role == Role::kPublish ? "NetStream.Publish.Start" : "NetStream.Play.Start";
    ASSERT_TRUE(answer(c.session, c.server, server_command(on_status_command({"status", code, ""}), 1, 5)).ok());
    EXPECT_EQ(c.session.state(), SessionState::kConnecting);
    EXPECT_EQ(c.session.next_deadline_ms(), 200);
    const Bytes body = hex("af 01 00");
    EXPECT_EQ(c.session.send_media(8, 0, as_span(body)).code(), ErrorCode::kMisuse);
    c.session.tick(200);
    EXPECT_EQ(c.error_event().state_code, 3003);
  }
}

TEST(RtmpSessionScript, SecondPlayStartRaisesNoSecond2002) {
  Session c(Role::kPlay, kPlayUrl);
  c.to_playing();
  ASSERT_TRUE(answer(c.session, c.server, on_status("status", "NetStream.Play.Start", "again")).ok());
  EXPECT_EQ(codes(drain(c.session)), (std::vector<int32_t>{2001, 2002}));
}

}  // namespace
}  // namespace lw::rtmp
