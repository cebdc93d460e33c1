// Regression tests for gateway bugs found while testing lw_gateway_core, each named after what it
// pins: what the browser receives must be UTF-8 (RFC 6455 5.6 text frames, 7.1.6 close reasons; a
// browser fails the whole connection otherwise, so the page sees 1006 instead of the reason), and a
// slow player's queue stays bounded whatever audio/video bodies the server relays.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bridge.h"
#include "bridge_rig.h"
#include "json_writer.h"
#include "request_target.h"
#include "rtmp/rtmp_commands.h"
#include "rtmp_nginx_bytes.h"

namespace lw::gateway {
namespace {

using protocol::CloseCode;
using rtmp_test::FakeServer;
using rtmp_test::hex;
using test::is_utf8;
using test::Rig;
using test::ServerMessages;

// Bodies a server may relay that the FLV tag header parser refuses or that carry no picture: an
// AVCPacketType out of range, a truncated AVC header, an empty ("silence") audio message, a video
// command frame. None of them is a sequence header, so none may escape the drop policy.
TEST(GatewayBridgeRegression, SlowPlayerQueueStaysBoundedWhenTheServerRelaysUnparsableMedia) {
  BridgeLimits l;
  l.play_drop_bytes = 4096;
  Rig r(Endpoint::kPlay, l);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.from_server(rtmp_test::kNginxPlayFirstMedia);
  ClientFrame f;
  ASSERT_TRUE(r.b.next_client_frame(&f, r.now)) << "a write begins and never ends";
  ServerMessages s;
  const std::vector<std::pair<uint8_t, Bytes>> odd = {
      {9, hex("2705000000 aabbccdd")},  // AVCPacketType 5
      {9, hex("17")},                   // FrameType/CodecID only
      {8, Bytes()},                     // empty audio message
      {9, hex("5700")},                 // frame type 5: video info/command frame
  };
  const size_t largest_tag = 11 + 9 + 4;  // tag header, the longest body above, PreviousTagSize
  for (uint32_t ts = 0; ts < 4000; ++ts) {
    const auto& [type, body] = odd[ts % odd.size()];
    r.from_server(s.media(type, ts, body));
    ASSERT_LE(r.b.client_queued(), l.play_drop_bytes + largest_tag) << "after " << ts << " messages";
  }
  EXPECT_GT(r.b.stats().dropped_tags, 3000u);
  EXPECT_FALSE(r.b.close_request());
}

// ...while a sequence header that comes during a drop episode still reaches the player.
TEST(GatewayBridgeRegression, SequenceHeadersStillSurviveADropEpisode) {
  BridgeLimits l;
  l.play_drop_bytes = 2048;
  Rig r(Endpoint::kPlay, l);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.read_client();
  ClientFrame f;
  ServerMessages s;
  Bytes key = hex("1701000000");
  key.resize(300, 0x65);
  r.from_server(s.media(9, 0, key));
  ASSERT_TRUE(r.b.next_client_frame(&f, r.now));
  for (uint32_t ts = 40; ts < 4000; ts += 20) r.from_server(s.media(9, ts, hex("2701000000 00000001 41")));
  ASSERT_GT(r.b.stats().dropped_tags, 0u);
  const size_t queued = r.b.client_queued();
  const Bytes seq = hex("1700000000 014d401effe1000a674d401e965405017b2001000468ee3c80");
  r.from_server(s.media(9, 4000, seq));
  EXPECT_EQ(r.b.client_queued(), queued + 11 + seq.size() + 4) << "the sequence header was kept";
  const Bytes aac_seq = hex("af00 1210");
  r.from_server(s.media(8, 4000, aac_seq));
  EXPECT_EQ(r.b.client_queued(), queued + 11 + seq.size() + 4 + 11 + aac_seq.size() + 4);
}

// nginx-rtmp passes the description through from wherever it came; AMF0 strings are bytes.
TEST(GatewayBridgeRegression, ServerStatusWithInvalidUtf8ReachesThePageAsUtf8) {
  Rig r(Endpoint::kPush);
  r.start(rtmp_test::kNginxCreateStreamReplyTx4);
  ServerMessages s;
  r.from_server(s.command(rtmp::on_status_command(
      {"error", "NetStream.Publish.BadName", "Already publishing \xff\xfe as \xc3(\xed\xa0\x80)"})));
  r.read_client();
  ASSERT_EQ(r.texts.size(), 2u);  // 1001, 3004
  EXPECT_NE(r.texts[1].find("\"code\":3004"), std::string::npos) << r.texts[1];
  EXPECT_TRUE(is_utf8(r.texts[1])) << r.texts[1];
  EXPECT_NE(r.texts[1].find("Already publishing"), std::string::npos);
  ASSERT_TRUE(r.b.close_request());
  EXPECT_EQ(r.b.close_request()->code, CloseCode::kUpstreamFailed);
  EXPECT_TRUE(is_utf8(r.b.close_request()->reason)) << r.b.close_request()->reason;
  EXPECT_NE(r.b.close_request()->reason.find("BadName"), std::string::npos);
}

// A stream name with a %FF in it is a valid request (the server decides), but "connected to ..."
// and "publishing ..." quote it.
TEST(GatewayBridgeRegression, StatusNamingAUrlWithAStrayByteIsUtf8) {
  auto req = parse_stream_request("/push?url=rtmp%3A%2F%2F127.0.0.1%2Fliv%FF%2Fst%FFream");
  ASSERT_TRUE(req.ok()) << req.status().reason();
  Bridge b(Endpoint::kPush, req->rtmp_url, BridgeLimits{}, 1, 0);
  FakeServer server;
  b.on_upstream_connected(0);
  auto flush = [&] {
    for (ByteSpan sp = b.begin_upstream_write(); !sp.empty(); sp = b.begin_upstream_write()) {
      Bytes reply = server.receive(sp);
      b.end_upstream_write(0);
      if (!reply.empty()) b.on_upstream_data(as_span(reply), 0);
    }
  };
  flush();
  for (const char* h : {rtmp_test::kNginxConnectReply, rtmp_test::kNginxCreateStreamReplyTx4, rtmp_test::kNginxPublishStart}) {
    Bytes bytes = hex(h);
    b.on_upstream_data(as_span(bytes), 0);
    flush();
  }
  ClientFrame f;
  int texts = 0;
  while (b.next_client_frame(&f, 0)) {
    std::string t(reinterpret_cast<const char*>(f.data.data()), f.data.size());
    EXPECT_TRUE(is_utf8(t)) << t;
    ++texts;
    b.end_client_write(0);
  }
  EXPECT_EQ(texts, 2) << "1001 and 1002";
}

// The listener closes a refused request with close_reason(parse error); the error quotes the URL.
TEST(GatewayBridgeRegression, CloseReasonIsUtf8EvenWhenTheReasonQuotesStrayBytes) {
  auto req = parse_stream_request("/play?url=ftp%3A%2F%2Fh%2F%FF%C3%28%ED%A0%80");
  ASSERT_FALSE(req.ok());
  const std::string reason = close_reason(req.status().reason());
  EXPECT_TRUE(is_utf8(reason)) << reason;
  EXPECT_NE(reason.find("ftp://h/"), std::string::npos) << reason;
  // Cut at 123 bytes after the repair, still on a character boundary.
  std::string long_reason(120, 'a');
  long_reason += "\xff\xff\xff";
  const std::string cut = close_reason(long_reason);
  EXPECT_LE(cut.size(), 123u);
  EXPECT_TRUE(is_utf8(cut)) << cut.size();
  EXPECT_EQ(cut.substr(0, 120), std::string(120, 'a'));
}

TEST(GatewayJson, StringsAreRepairedToUtf8AndValidUtf8IsKept) {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},  // kept
      {"a\xff" "b", "\"a\xef\xbf\xbd" "b\""},          // a byte that never starts UTF-8
      {"a\xc3", "\"a\xef\xbf\xbd\""},                   // truncated at the end
      {"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""},      // overlong '/'
      {"\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},  // a UTF-16 surrogate (CESU-8)
      {"\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},  // above U+10FFFF
      {"q\"\\\x01\x7f", "\"q\\\"\\\\\\u0001\\u007f\""},  // escapes unchanged
  };
  for (const Case& c : cases) {
    std::string out;
    append_json_string(out, c.in);
    EXPECT_EQ(out, c.out);
    EXPECT_TRUE(is_utf8(out));
  }
}

}  // namespace
}  // namespace lw::gateway
