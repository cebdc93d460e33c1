// E-RTMP v2 ReconnectRequest through the Bridge, against small RTMP servers made of our own core
// (rtmp_test::FakeServer: the core's handshake and ChunkReader; replies: nginx-rtmp's recorded bytes
// and ChunkWriter messages). The server asks, the Bridge tells the page, leaves the old server politely,
// has the driver connect to the new one (which must pass the same allowlist), starts the same stream
// there, and the page's WebSocket stays open: a player gets a new FLV stream, a pusher's frames are
// held and sent from the next key frame with the metadata and sequence headers again. A redirect loop
// ends with 3004 + 4502; a server off the allowlist with 4404.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "bridge.h"
#include "bridge_rig.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "rtmp/rtmp_commands.h"
#include "rtmp/rtmp_reconnect.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::gateway {
namespace {

using rtmp_test::hex;
using test::ServerMessages;

rtmp::Command reconnect_request(const std::string& tc_url) {
  std::vector<amf0::Property> props = {{"level", amf0::Value::String("status")},
                                       {"code", amf0::Value::String(std::string(rtmp::kReconnectRequestCode))},
                                       {"description", amf0::Value::String("server update")}};
  if (!tc_url.empty()) props.push_back({"tcUrl", amf0::Value::String(tc_url)});
  return rtmp::Command{"onStatus", 0, amf0::Value::Null(), {amf0::Value::Object(std::move(props))}};
}

std::vector<std::string> of_type(const std::vector<std::string>& texts, const std::string& type) {
  std::vector<std::string> out;
  for (const auto& t : texts) {
    if (t.find("\"type\":\"" + type + "\"") != std::string::npos) out.push_back(t);
  }
  return out;
}

std::vector<int> status_codes(const std::vector<std::string>& texts) {
  std::vector<int> out;
  for (const auto& t : of_type(texts, "status")) out.push_back(std::stoi(t.substr(t.find("\"code\":") + 7)));
  return out;
}

// A Bridge and the servers it has been sent to: servers[0] first, one more per switch (the driver's
// part: wait for the switch, open the next server, say connected).
struct Rig {
  explicit Rig(Endpoint e, BridgeLimits l = {}) : b(e, "rtmp://127.0.0.1/live/r1?k=v", l, 3, 0) {
    EXPECT_TRUE(allow.add("127.0.0.1:1935").ok());
    EXPECT_TRUE(allow.add("127.0.0.1:1936").ok());
    b.set_upstream_allowlist(&allow);
    servers.push_back(std::make_unique<rtmp_test::FakeServer>());
    messages.push_back(std::make_unique<ServerMessages>());
  }
  rtmp_test::FakeServer& server() { return *servers.back(); }
  ServerMessages& msgs() { return *messages.back(); }
  void flush_upstream() {
    for (ByteSpan s = b.begin_upstream_write(); !s.empty(); s = b.begin_upstream_write()) {
      Bytes reply = server().receive(s);
      b.end_upstream_write(now);
      if (!reply.empty()) b.on_upstream_data(as_span(reply), now);
    }
  }
  void from_server(const Bytes& bytes) {
    b.on_upstream_data(as_span(bytes), now);
    flush_upstream();
  }
  void from_server(const char* reply_hex) { from_server(hex(reply_hex)); }
  void start() {
    b.on_upstream_connected(now);
    flush_upstream();
    from_server(rtmp_test::kNginxConnectReply);
    if (b.endpoint() == Endpoint::kPlay) {
      from_server(rtmp_test::kNginxCreateStreamReplyTx2);
      from_server(rtmp_test::kNginxPlayStart);
    } else {
      from_server(rtmp_test::kNginxCreateStreamReplyTx4);
      from_server(rtmp_test::kNginxPublishStart);
    }
  }
  // The driver: everything for the old server was written; connect to the target.
  UpstreamTarget switch_server() {
    flush_upstream();
    EXPECT_TRUE(b.upstream_switch().has_value());
    UpstreamTarget t = b.on_upstream_switching(now);
    servers.push_back(std::make_unique<rtmp_test::FakeServer>());
    messages.push_back(std::make_unique<ServerMessages>());
    start();
    return t;
  }
  void read_client() {
    ClientFrame f;
    while (b.next_client_frame(&f, now)) {
      if (f.text) texts.emplace_back(reinterpret_cast<const char*>(f.data.data()), f.data.size());
      else flv.insert(flv.end(), f.data.begin(), f.data.end());
      b.end_client_write(now);
    }
  }
  std::vector<std::string> media_names(size_t server) {
    std::vector<std::string> out;
    for (const auto& m : servers[server]->messages) {
      if (m.type == 9) {
        auto h = flv::parse_video_tag_header(as_span(m.body));
        out.push_back(h.ok() && h->is_sequence_header() ? "avc-config" : h.ok() && h->key_frame() ? "key" : "inter");
        out.back() += "@" + std::to_string(m.timestamp);
      } else if (m.type == 8) {
        out.push_back(m.body.size() > 1 && m.body[1] == 0 ? "aac-config" : "aac");
      } else if (m.type == 18) {
        out.push_back("meta");
      }
    }
    return out;
  }
  int64_t now = 0;
  UpstreamAllowlist allow;
  Bridge b;
  std::vector<std::unique_ptr<rtmp_test::FakeServer>> servers;
  std::vector<std::unique_ptr<ServerMessages>> messages;
  std::vector<std::string> texts;
  Bytes flv;
};

Bytes avc_body(bool key, uint8_t fill) {
  Bytes b = hex(key ? "1701000000" : "2701000000");
  b.resize(200, fill);
  return b;
}

struct FlvTags {
  std::vector<std::pair<int, uint32_t>> tags;  // type, timestamp
  int headers = 0;
};
FlvTags read_flv(const Bytes& data) {
  FlvTags out;
  // A new FLV header in the middle of the bytes starts a new demuxer (what the player does on the
  // reconnect message).
  size_t at = 0;
  std::vector<size_t> starts;
  for (size_t i = 0; i + 3 <= data.size(); ++i) {
    if (data[i] == 'F' && data[i + 1] == 'L' && data[i + 2] == 'V' && i + 9 <= data.size() && data[i + 3] == 1 &&
        data[i + 8] == 9) {
      starts.push_back(i);
    }
  }
  starts.push_back(data.size());
  for (size_t k = 0; k + 1 < starts.size(); ++k) {
    at = starts[k];
    flv::Demuxer d;
    d.feed(ByteSpan(data.data() + at, starts[k + 1] - at));
    d.finish();
    ++out.headers;
    flv::Event ev;
    while (d.next(&ev)) {
      if (ev.kind == flv::EventKind::kAudio || ev.kind == flv::EventKind::kVideo || ev.kind == flv::EventKind::kScript) {
        out.tags.push_back({int(ev.tag.type), ev.tag.timestamp_ms});
      }
    }
  }
  return out;
}

TEST(GatewayReconnectRequest, PlayerSwitchesToTheNewServerAndThePageGetsANewFlvStreamOnTheSameSocket) {
  Rig r(Endpoint::kPlay);
  r.start();
  ASSERT_EQ(r.server().commands.size(), 3u);
  const amf0::Value* caps = r.server().commands[0].object.find("capsEx");
  ASSERT_TRUE(caps && caps->is_number()) << "connect announces CapsExMask.Reconnect";
  EXPECT_EQ(caps->number, double(rtmp::kCapsExReconnect));
  r.from_server(r.msgs().media(9, 1000, avc_body(true, 1)));
  r.from_server(r.msgs().media(9, 1040, avc_body(false, 2)));
  r.from_server(r.msgs().command(reconnect_request("rtmp://127.0.0.1:1936/edge")));
  r.from_server(r.msgs().media(9, 1080, avc_body(false, 3)));  // the old server goes on: ignored now

  ASSERT_TRUE(r.b.upstream_switch().has_value());
  EXPECT_EQ(r.b.upstream_switch()->port, 1936);
  UpstreamTarget t = r.switch_server();
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.url, "rtmp://127.0.0.1:1936/edge");
  auto old_names = r.servers[0]->command_names();
  EXPECT_EQ(old_names.back(), "deleteStream") << "the old server gets its polite end";

  // The new server: connect with the new tcUrl, play of the same stream name (query kept).
  const auto& cmds = r.server().commands;
  ASSERT_GE(cmds.size(), 3u);
  EXPECT_EQ(cmds[0].object.string_or("tcUrl", ""), "rtmp://127.0.0.1:1936/edge");
  EXPECT_EQ(cmds[0].object.string_or("app", ""), "edge");
  EXPECT_EQ(cmds[2].name, "play");
  EXPECT_EQ(cmds[2].args[0].string, "r1?k=v");
  r.from_server(r.msgs().media(9, 0, avc_body(true, 4)));
  r.from_server(r.msgs().media(9, 40, avc_body(false, 5)));
  r.read_client();

  EXPECT_FALSE(r.b.close_request()) << r.b.close_request()->reason;
  EXPECT_EQ(status_codes(r.texts), (std::vector<int>{2001, 2002, 2001, 2002}));
  auto rec = of_type(r.texts, "reconnect");
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_NE(rec[0].find("\"tcUrl\":\"rtmp://127.0.0.1:1936/edge\""), std::string::npos) << rec[0];
  EXPECT_NE(rec[0].find("server update"), std::string::npos) << rec[0];
  // The reconnect text comes between the old server's statuses and the new one's.
  EXPECT_NE(r.texts[2].find("reconnect"), std::string::npos);
  FlvTags flv = read_flv(r.flv);
  EXPECT_EQ(flv.headers, 2) << "a new FLV header after the switch";
  std::vector<uint32_t> video_ts;
  for (auto& [type, ts] : flv.tags) if (type == 9) video_ts.push_back(ts);
  EXPECT_EQ(video_ts, (std::vector<uint32_t>{1000, 1040, 0, 40})) << "nothing of the old server after the request";
  EXPECT_EQ(r.b.stats().reconnects, 1u);
}

TEST(GatewayReconnectRequest, PusherSendsToTheOldServerUpToTheKeyFrameThenRestartsThereWithConfigs) {
  Rig r(Endpoint::kPush);
  r.start();
  flv::Muxer m;
  Bytes flv;
  m.write_header(true, true, flv);
  ASSERT_TRUE(m.write_metadata({{"width", amf0::Value::Number(640)}}, flv).ok());
  ASSERT_TRUE(m.write_avc_sequence_header(0, hex("014d401effe1000a674d401e965405017b2001000468ee3c80"), flv).ok());
  ASSERT_TRUE(m.write_aac_sequence_header(0, hex("1210"), flv).ok());
  ASSERT_TRUE(m.write_avc_frame(0, 0, true, Bytes(300, 0x65), flv).ok());
  ASSERT_TRUE(m.write_avc_frame(40, 0, false, Bytes(100, 0x41), flv).ok());
  r.b.on_client_binary(as_span(flv), r.now);
  r.flush_upstream();
  r.from_server(r.msgs().command(reconnect_request("")));  // no tcUrl: the same server again
  EXPECT_FALSE(r.b.upstream_switch()) << "a pusher waits for the next key frame";
  Bytes more;
  ASSERT_TRUE(m.write_avc_frame(80, 0, false, Bytes(100, 0x41), more).ok());
  ASSERT_TRUE(m.write_aac_frame(85, hex("21100500"), more).ok());
  r.b.on_client_binary(as_span(more), r.now);
  r.flush_upstream();
  EXPECT_FALSE(r.b.upstream_switch());
  more.clear();
  ASSERT_TRUE(m.write_avc_frame(120, 0, true, Bytes(300, 0x65), more).ok());
  ASSERT_TRUE(m.write_avc_frame(160, 0, false, Bytes(100, 0x41), more).ok());
  r.b.on_client_binary(as_span(more), r.now);
  ASSERT_TRUE(r.b.upstream_switch().has_value());
  EXPECT_EQ(r.b.upstream_switch()->port, 1935);
  EXPECT_GT(r.b.upstream_queued(), 400u) << "the key frame and what follows wait, counted in the push buffer";
  r.switch_server();
  r.read_client();

  EXPECT_EQ(r.media_names(0), (std::vector<std::string>{"meta", "avc-config@0", "aac-config", "key@0", "inter@40",
                                                        "inter@80", "aac"}));
  EXPECT_EQ(r.servers[0]->command_names().back(), "deleteStream");
  EXPECT_EQ(r.media_names(1), (std::vector<std::string>{"meta", "avc-config@120", "aac-config", "key@120",
                                                        "inter@160"}));
  EXPECT_EQ(r.server().commands[4].name, "publish");
  EXPECT_EQ(r.server().commands[4].args[0].string, "r1?k=v");
  EXPECT_FALSE(r.b.close_request());
  EXPECT_EQ(status_codes(r.texts), (std::vector<int>{1001, 1002, 1001, 1002}));
  EXPECT_EQ(of_type(r.texts, "reconnect").size(), 1u);
}

TEST(GatewayReconnectRequest, PusherWithoutAKeyFrameSwitchesAfterTheWaitAndDropsInterFrames) {
  BridgeLimits l;
  l.reconnect.key_frame_wait_ms = 2000;
  l.idle_timeout_ms = 0;
  Rig r(Endpoint::kPush, l);
  r.start();
  flv::Muxer m;
  Bytes flv;
  m.write_header(true, true, flv);
  ASSERT_TRUE(m.write_avc_sequence_header(0, hex("014d401effe1000a674d401e965405017b2001000468ee3c80"), flv).ok());
  ASSERT_TRUE(m.write_avc_frame(0, 0, true, Bytes(300, 0x65), flv).ok());
  r.b.on_client_binary(as_span(flv), r.now);
  r.flush_upstream();
  r.from_server(r.msgs().command(reconnect_request("rtmp://127.0.0.1:1936/live")));
  EXPECT_LE(r.b.next_deadline_ms(), 2000) << "the wait is a deadline of the Bridge";
  r.now = 1999;
  r.b.tick(r.now);
  EXPECT_FALSE(r.b.upstream_switch());
  r.now = 2000;
  r.b.tick(r.now);
  ASSERT_TRUE(r.b.upstream_switch().has_value());
  r.switch_server();
  Bytes more;
  ASSERT_TRUE(m.write_avc_frame(2040, 0, false, Bytes(100, 0x41), more).ok());
  ASSERT_TRUE(m.write_avc_frame(2080, 0, true, Bytes(300, 0x65), more).ok());
  r.b.on_client_binary(as_span(more), r.now);
  r.flush_upstream();
  EXPECT_EQ(r.media_names(1), (std::vector<std::string>{"avc-config@0", "key@2080"}))
      << "the inter frame without its key frame is dropped";
  EXPECT_EQ(r.b.stats().reconnect_dropped_tags, 1u);
  EXPECT_FALSE(r.b.close_request());
}

TEST(GatewayReconnectRequest, TheServersDescriptionReachesThePageCutAndAsUtf8) {
  Rig r(Endpoint::kPlay);
  r.start();
  rtmp::Command c = reconnect_request("");
  std::string words(3000, 'w');
  words[10] = char(0xff);  // not UTF-8
  c.args[0] = amf0::Value::Object({{"level", amf0::Value::String("status")},
                                   {"code", amf0::Value::String(std::string(rtmp::kReconnectRequestCode))},
                                   {"description", amf0::Value::String(words)}});
  r.from_server(r.msgs().command(c));
  r.read_client();
  auto rec = of_type(r.texts, "reconnect");
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_LT(rec[0].size(), 300u) << "the server's words are cut";
  EXPECT_TRUE(test::is_utf8(rec[0]));
  EXPECT_NE(rec[0].find("\xef\xbf\xbd"), std::string::npos) << "U+FFFD for the stray byte";
}

TEST(GatewayReconnectRequest, NewServerOffTheAllowlistClosesWith4404AndAReason) {
  for (const char* tc : {"rtmp://10.1.2.3/live", "rtmp://127.0.0.1:1937/live", "//evil.example/live"}) {
    Rig r(Endpoint::kPlay);
    r.start();
    r.from_server(r.msgs().command(reconnect_request(tc)));
    r.read_client();
    EXPECT_FALSE(r.b.upstream_switch()) << tc;
    ASSERT_TRUE(r.b.close_request()) << tc;
    EXPECT_EQ(r.b.close_request()->code, protocol::CloseCode::kUpstreamNotAllowed);
    EXPECT_NE(r.b.close_request()->reason.find("is not allowed"), std::string::npos) << r.b.close_request()->reason;
    EXPECT_NE(r.b.close_request()->reason.find("ReconnectRequest"), std::string::npos);
    EXPECT_TRUE(of_type(r.texts, "reconnect").empty());
  }
  // Without an allowlist (a Bridge made outside the server) only the same server is followed.
  test::Rig bare(Endpoint::kPlay);
  bare.start(rtmp_test::kNginxCreateStreamReplyTx2);
  ServerMessages sm;
  bare.from_server(sm.command(reconnect_request("rtmp://127.0.0.1:1936/live")));
  ASSERT_TRUE(bare.b.close_request());
  EXPECT_EQ(bare.b.close_request()->code, protocol::CloseCode::kUpstreamNotAllowed);
}

TEST(GatewayReconnectRequest, ARedirectLoopEndsWith3004And4502AfterThreeSwitches) {
  Rig r(Endpoint::kPlay);
  r.start();
  for (int i = 0; i < 3; ++i) {
    r.now += 1000;
    r.from_server(r.msgs().command(reconnect_request(i % 2 ? "rtmp://127.0.0.1:1935/live" : "rtmp://127.0.0.1:1936/live")));
    ASSERT_TRUE(r.b.upstream_switch().has_value()) << i;
    r.switch_server();
  }
  r.now += 1000;
  r.from_server(r.msgs().command(reconnect_request("")));
  r.read_client();
  EXPECT_FALSE(r.b.upstream_switch());
  ASSERT_TRUE(r.b.close_request());
  EXPECT_EQ(r.b.close_request()->code, protocol::CloseCode::kUpstreamFailed);
  EXPECT_NE(r.b.close_request()->reason.find("too many ReconnectRequests"), std::string::npos);
  EXPECT_EQ(status_codes(r.texts).back(), 3004);
  EXPECT_EQ(of_type(r.texts, "reconnect").size(), 3u);
  EXPECT_EQ(r.b.stats().reconnects, 3u);
}

TEST(GatewayReconnectRequest, ANewServerThatNeverAnswersIsBoundedByTheUpstreamTimeout) {
  BridgeLimits l;
  l.upstream_timeout_ms = 5000;
  Rig r(Endpoint::kPlay, l);
  r.start();
  r.now = 100;
  r.from_server(r.msgs().command(reconnect_request("")));
  r.flush_upstream();
  (void)r.b.on_upstream_switching(r.now);
  EXPECT_EQ(r.b.next_deadline_ms(), 5100);
  r.now = 5100;
  r.b.tick(r.now);
  r.read_client();
  ASSERT_TRUE(r.b.close_request());
  EXPECT_EQ(r.b.close_request()->code, protocol::CloseCode::kUpstreamFailed);
  EXPECT_EQ(status_codes(r.texts).back(), 3002);
}

}  // namespace
}  // namespace lw::gateway
