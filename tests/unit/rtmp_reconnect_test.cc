// E-RTMP v2 ReconnectRequest in the core (rtmp/rtmp_reconnect.h): where the client reconnects (the
// server's tcUrl resolved against the current one, the stream name kept), how often it may (a loop
// of redirects ends), when a publisher switches (the next key frame, or after a bounded wait), and the
// session's side: capsEx in connect, one kReconnectRequest event, a clear error for hostile fields.
#include "rtmp/rtmp_reconnect.h"

#include <gtest/gtest.h>

#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp/rtmp_session.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::rtmp {
namespace {

using rtmp_test::drain;
using rtmp_test::FakeServer;
using rtmp_test::hex;
using rtmp_test::pump;

Url url(const char* text) {
  auto u = parse_url(text);
  EXPECT_TRUE(u.ok()) << text;
  return u.ok() ? *u : Url{};
}

std::string resolved(const char* current, const char* tc_url) {
  auto r = resolve_reconnect_url(url(current), tc_url);
  return r.ok() ? *r : "error: " + r.status().to_string();
}

TEST(RtmpReconnect, TcUrlAbsoluteRelativeOrAbsentKeepsTheStreamAndItsQuery) {
  const char* cur = "rtmp://a.example:1936/live/room1?txSecret=abc";
  EXPECT_EQ(resolved(cur, ""), "rtmp://a.example:1936/live/room1?txSecret=abc");
  EXPECT_EQ(resolved(cur, "rtmp://b.example/edge"), "rtmp://b.example/edge/room1?txSecret=abc");
  EXPECT_EQ(resolved(cur, "RTMP://b.example:1940/edge/"), "rtmp://b.example:1940/edge/room1?txSecret=abc");
  EXPECT_EQ(resolved(cur, "//192.0.2.7/realtimeapp"), "rtmp://192.0.2.7/realtimeapp/room1?txSecret=abc");
  EXPECT_EQ(resolved(cur, "/other"), "rtmp://a.example:1936/other/room1?txSecret=abc");
  EXPECT_EQ(resolved(cur, "other"), "rtmp://a.example:1936/other/room1?txSecret=abc");
  EXPECT_EQ(resolved("rtmp://[::1]:1935/app/inst/s", "inst2"), "rtmp://[::1]:1935/app/inst2/s");
  EXPECT_EQ(resolved(cur, "rtmp://b.example/app/inst"), "rtmp://b.example/app/inst/room1?txSecret=abc");
}

TEST(RtmpReconnect, UnusableTcUrlsAreRefusedWithAReason) {
  const char* cur = "rtmp://a.example/live/room1";
  for (const char* bad : {"http://b.example/live", "rtmps://b.example/live", "rtmp://b.example/live?token=1",
                          "rtmp://b.example/live#x", "rtmp://b.example", "rtmp:///live", "rtmp://b.example/a/b/c",
                          "rtmp://b.example:0/live", "rtmp://b.exa mple/live", "rtmp://b.example/li\nve",
                          "javascript:alert(1)"}) {
    auto r = resolve_reconnect_url(url(cur), bad);
    EXPECT_FALSE(r.ok()) << bad << " -> " << (r.ok() ? *r : "");
    if (!r.ok()) EXPECT_NE(r.status().reason().find("tcUrl"), std::string::npos) << r.status().to_string();
  }
  EXPECT_FALSE(resolve_reconnect_url(url(cur), std::string(2000, 'a')).ok());
}

TEST(RtmpReconnect, AtMostThreeRequestsPerMinuteThenALoopIsRefused) {
  ReconnectGate g;  // 3 per 60 s
  EXPECT_TRUE(g.request(0).ok());
  g.switched();
  EXPECT_TRUE(g.request(1000).ok());
  g.switched();
  EXPECT_TRUE(g.request(2000).ok());
  g.switched();
  Status fourth = g.request(3000);
  EXPECT_EQ(fourth.code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(fourth.reason().find("too many ReconnectRequests"), std::string::npos);
  EXPECT_FALSE(g.pending());
  // A minute after the first, one more is allowed again (a server updated now and then is no loop).
  EXPECT_TRUE(g.request(60'000).ok());
}

TEST(RtmpReconnect, PublisherSwitchesAtTheNextKeyFrameOrAfterTheWait) {
  ReconnectGate g(ReconnectLimits{.key_frame_wait_ms = 3000});
  EXPECT_FALSE(g.switch_before_tag(0, true, true)) << "nothing pending";
  EXPECT_EQ(g.next_deadline_ms(), -1);
  ASSERT_TRUE(g.request(10'000).ok());
  EXPECT_EQ(g.next_deadline_ms(), 13'000);
  EXPECT_FALSE(g.switch_before_tag(10'500, false, true)) << "an inter frame: keep sending to the old server";
  EXPECT_TRUE(g.switch_before_tag(10'600, true, true)) << "the key frame goes to the new server";
  EXPECT_TRUE(g.switch_before_tag(10'600, false, false)) << "audio only: any tag is a boundary";
  EXPECT_FALSE(g.overdue(12'999));
  EXPECT_TRUE(g.overdue(13'000));
  EXPECT_TRUE(g.switch_before_tag(13'000, false, true));
  g.switched();
  EXPECT_FALSE(g.pending());
  EXPECT_EQ(g.next_deadline_ms(), -1);
}

// A server's command on a writer that announced nginx's chunk size (kNginxConnectReply sets 4096).
Bytes server_command(const Command& c, uint32_t stream_id = 0) {
  ChunkWriter w;
  Bytes ignored, out;
  EXPECT_TRUE(w.set_chunk_size(4096, ignored).ok());
  Bytes body = encode_command(c);
  EXPECT_TRUE(w.write(24, 20, 0, stream_id, as_span(body), out).ok());
  return out;
}

Command reconnect_request(std::vector<amf0::Property> extra) {
  std::vector<amf0::Property> props = {{"level", amf0::Value::String("status")},
                                       {"code", amf0::Value::String(std::string(kReconnectRequestCode))},
                                       {"description", amf0::Value::String("server update")}};
  for (auto& p : extra) props.push_back(std::move(p));
  return Command{"onStatus", 0, amf0::Value::Null(), {amf0::Value::Object(std::move(props))}};
}

struct Playing {
  ClientSession s;
  FakeServer server;
  explicit Playing(uint32_t caps_ex = kCapsExReconnect)
      : s(SessionConfig{.url = "rtmp://127.0.0.1/live/room1?k=v", .role = Role::kPlay, .random_seed = 3,
                        .caps_ex = caps_ex}) {
    EXPECT_TRUE(s.start(0).ok());
    pump(s, server);
    for (const char* reply : {rtmp_test::kNginxConnectReply, rtmp_test::kNginxCreateStreamReplyTx2,
                              rtmp_test::kNginxPlayStart}) {
      (void)server.receive(as_span(s.take_output()));
      Bytes r = hex(reply);
      EXPECT_TRUE(s.feed(as_span(r), 0).ok());
    }
    EXPECT_EQ(s.state(), SessionState::kPlaying);
    drain(s);
  }
  std::vector<SessionEvent> feed(const Command& c) {
    Bytes b = server_command(c);
    (void)s.feed(as_span(b), 100);
    return drain(s);
  }
};

TEST(RtmpReconnect, ConnectAnnouncesCapsExReconnectOnlyWhenAsked) {
  Playing with;
  ASSERT_FALSE(with.server.commands.empty());
  const amf0::Value* caps = with.server.commands[0].object.find("capsEx");
  ASSERT_TRUE(caps && caps->is_number());
  EXPECT_EQ(caps->number, 1.0);
  Playing without(0);
  EXPECT_EQ(without.server.commands[0].object.find("capsEx"), nullptr);
}

// E-RTMP: connect says which codecs the page takes (v1 fourCcList, v2 info maps: CanDecode for a
// player, CanEncode for a publisher), only when the driver gives them.
TEST(RtmpConnect, AnnouncesTheEnhancedCodecsItIsGiven) {
  ConnectParams p;
  p.app = "live";
  p.tc_url = "rtmp://127.0.0.1/live";
  p.publisher = false;
  p.video_fourccs = {"hvc1", "av01"};
  p.audio_fourccs = {"Opus"};
  p.fourcc_info = kFourCcCanDecode;
  const Command c = connect_command(p);
  const amf0::Value* list = c.object.find("fourCcList");
  ASSERT_TRUE(list && list->type == amf0::Marker::kStrictArray);
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_EQ(list->elements[0].string, "hvc1");
  EXPECT_EQ(list->elements[1].string, "av01");
  const amf0::Value* video = c.object.find("videoFourCcInfoMap");
  ASSERT_TRUE(video && video->find("av01"));
  EXPECT_EQ(video->find("av01")->number, 1.0);
  const amf0::Value* audio = c.object.find("audioFourCcInfoMap");
  ASSERT_TRUE(audio && audio->find("Opus"));
  EXPECT_EQ(audio->find("Opus")->number, 1.0);
  // The encoded command decodes to the same properties (what a server reads).
  const Bytes wire = encode_command(c);
  const auto back = parse_command(as_span(wire));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value().object, c.object);

  ConnectParams bare = p;
  bare.video_fourccs.clear();
  bare.audio_fourccs.clear();
  const Command plain = connect_command(bare);
  EXPECT_EQ(plain.object.find("fourCcList"), nullptr);
  EXPECT_EQ(plain.object.find("videoFourCcInfoMap"), nullptr);
  EXPECT_EQ(plain.object.find("audioFourCcInfoMap"), nullptr);
}

TEST(RtmpReconnect, SessionConnectCarriesTheConfiguredFourCcs) {
  ClientSession s(SessionConfig{.url = "rtmp://127.0.0.1/live/room1", .role = Role::kPublish, .random_seed = 3,
                                .video_fourccs = {"av01"}, .audio_fourccs = {"mp4a"}});
  FakeServer server;
  ASSERT_TRUE(s.start(0).ok());
  pump(s, server);
  (void)server.receive(as_span(s.take_output()));
  ASSERT_FALSE(server.commands.empty());
  const amf0::Value* video = server.commands[0].object.find("videoFourCcInfoMap");
  ASSERT_TRUE(video && video->find("av01"));
  EXPECT_EQ(video->find("av01")->number, 2.0);  // a publisher: CanEncode
}

TEST(RtmpReconnect, SessionRaisesOneReconnectEventWithTheResolvedUrlAndKeepsPlaying) {
  Playing p;
  auto evs = p.feed(reconnect_request({{"tcUrl", amf0::Value::String("rtmp://127.0.0.2:1940/edge")}}));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].kind, SessionEventKind::kReconnectRequest);
  EXPECT_EQ(evs[0].reconnect_url, "rtmp://127.0.0.2:1940/edge/room1?k=v");
  EXPECT_EQ(evs[0].status.description, "server update");
  EXPECT_EQ(p.s.state(), SessionState::kPlaying);
  // No tcUrl: the same server; a second request on the same session is only a status.
  evs = p.feed(reconnect_request({}));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].kind, SessionEventKind::kStatus);
  Playing q;
  evs = q.feed(reconnect_request({}));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].reconnect_url, "rtmp://127.0.0.1/live/room1?k=v");
}

TEST(RtmpReconnect, WithoutTheCapabilityTheRequestIsAPlainStatus) {
  Playing p(0);
  auto evs = p.feed(reconnect_request({}));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].kind, SessionEventKind::kStatus);
  EXPECT_EQ(p.s.state(), SessionState::kPlaying);
}

TEST(RtmpReconnect, HostileTcUrlFailsTheSessionWithAClearError) {
  std::vector<amf0::Value> hostile = {amf0::Value::Number(7), amf0::Value::Object({}),
                                      amf0::Value::String("http://evil/x"), amf0::Value::String(std::string(5000, 'x')),
                                      amf0::Value::Boolean(true)};
  for (auto& v : hostile) {
    Playing p;
    auto evs = p.feed(reconnect_request({{"tcUrl", v}}));
    ASSERT_EQ(evs.size(), 1u);
    EXPECT_EQ(evs[0].kind, SessionEventKind::kError);
    EXPECT_EQ(evs[0].state_code, 3004);
    EXPECT_NE(evs[0].error.reason().find("ReconnectRequest tcUrl"), std::string::npos) << evs[0].error.to_string();
    EXPECT_EQ(p.s.state(), SessionState::kFailed);
  }
  // level 'error' with the reconnect code is no reconnect request: an error status, as any other.
  Playing e;
  Command c = reconnect_request({});
  c.args[0] = amf0::Value::Object({{"level", amf0::Value::String("error")},
                                   {"code", amf0::Value::String(std::string(kReconnectRequestCode))}});
  auto evs = e.feed(c);
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().kind, SessionEventKind::kError);
}

}  // namespace
}  // namespace lw::rtmp
