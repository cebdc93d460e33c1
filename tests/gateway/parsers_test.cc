// The gateway's request, allowlist, control-message and flag parsing: hostile input gets an error
// with a reason a person can act on, never a crash; what parses means what PROTOCOL.md says.
#include <gtest/gtest.h>

#include <map>

#include "allowlist.h"
#include "control_message.h"
#include "gateway_config.h"
#include "json_writer.h"
#include "request_target.h"

namespace lw::gateway {
namespace {

TEST(GatewayRequest, PlayWithAPercentEncodedUrlKeepsItsQueryByteForByte) {
  auto r = parse_stream_request("/play?url=rtmp%3A%2F%2F127.0.0.1%3A1935%2Flive%2Fa%3FtxSecret%3Dx%2By%26txTime%3D5F");
  ASSERT_TRUE(r.ok()) << r.status().reason();
  EXPECT_EQ(r->endpoint, Endpoint::kPlay);
  EXPECT_EQ(r->rtmp_url, "rtmp://127.0.0.1:1935/live/a?txSecret=x+y&txTime=5F");
  EXPECT_EQ(r->url.host, "127.0.0.1");
  EXPECT_EQ(r->url.port, 1935);
  EXPECT_EQ(r->url.stream, "a?txSecret=x+y&txTime=5F");
}

TEST(GatewayRequest, PushIgnoresOtherParametersAndDecodesPlusAsSpace) {
  auto r = parse_stream_request("/push?v=1&url=rtmp://h/live/b%2Bc&x");
  ASSERT_TRUE(r.ok()) << r.status().reason();
  EXPECT_EQ(r->endpoint, Endpoint::kPush);
  EXPECT_EQ(r->url.stream, "b+c");
  EXPECT_EQ(r->url.port, 1935);
  // A bare '+' is a space in a query value (URLSearchParams writes one so), and RTMP URLs have none.
  auto space = parse_stream_request("/push?url=rtmp://h/live/b+c");
  ASSERT_FALSE(space.ok());
  EXPECT_NE(space.status().reason().find("space"), std::string::npos) << space.status().reason();
}

TEST(GatewayRequest, RefusalsSayWhatIsWrong) {
  const std::map<std::string, std::string> cases = {
      {"/other?url=rtmp://h/live/a", "unknown path"},
      {"/play", "missing url"},
      {"/play?url=", "missing url"},
      {"/play?url", "no value"},
      {"/play?url=rtmp://h/live/a&url=rtmp://h/live/b", "more than one"},
      {"/play?url=rtmp%3", "truncated"},
      {"/play?url=rtmp%zz", "bad %-escape"},
      {"/play?url=rtmp://h/live/a%00", "NUL"},
      {"/play?url=http://h/live/a", "bad rtmp url"},
      {"/play?url=rtmp://h/live", "no stream"},
      {"/play?url=" + std::string(5000, 'a'), "too long"},
  };
  for (const auto& [target, why] : cases) {
    auto r = parse_stream_request(target);
    ASSERT_FALSE(r.ok()) << target;
    EXPECT_NE(r.status().reason().find(why), std::string::npos) << target << " -> " << r.status().reason();
  }
}

TEST(GatewayRequest, EndpointOfPlainPaths) {
  EXPECT_EQ(endpoint_of("/healthz"), Endpoint::kHealth);
  EXPECT_EQ(endpoint_of("/metrics?x"), Endpoint::kMetrics);
  EXPECT_EQ(endpoint_of("/"), Endpoint::kUnknown);
  EXPECT_EQ(endpoint_of("/play/"), Endpoint::kUnknown);
}

TEST(GatewayAllowlist, UpstreamsByHostAndPortAsWritten) {
  UpstreamAllowlist l;
  ASSERT_TRUE(l.add("127.0.0.1:1935").ok());
  ASSERT_TRUE(l.add("Media.Example.com:*").ok());
  ASSERT_TRUE(l.add("[::1]:1936").ok());
  EXPECT_TRUE(l.allows("127.0.0.1", 1935));
  EXPECT_FALSE(l.allows("127.0.0.1", 1936));
  EXPECT_FALSE(l.allows("localhost", 1935)) << "names are not resolved";
  EXPECT_TRUE(l.allows("media.example.COM", 80));
  EXPECT_TRUE(l.allows("::1", 1936));
  EXPECT_FALSE(l.allows("::1", 1935));
  EXPECT_EQ(l.describe(), "127.0.0.1:1935, media.example.com:*, [::1]:1936");
  for (const char* bad : {"nohost", ":1935", "h:0", "h:65536", "h:x", "::1:1935", "[::1]"}) {
    EXPECT_FALSE(l.add(bad).ok()) << bad;
  }
}

TEST(GatewayAllowlist, OriginsExactAnyPortAnyAndMissing) {
  OriginAllowlist l;
  ASSERT_TRUE(l.add("https://www.example.com").ok());
  ASSERT_TRUE(l.add("http://localhost:*").ok());
  ASSERT_TRUE(l.add("http://127.0.0.1:8080").ok());
  EXPECT_TRUE(l.allows("https://www.example.com", false));
  EXPECT_FALSE(l.allows("https://www.example.com:8443", false));
  EXPECT_FALSE(l.allows("http://www.example.com", false)) << "scheme matters";
  EXPECT_TRUE(l.allows("http://LOCALHOST:5173", false));
  EXPECT_TRUE(l.allows("http://localhost", false));
  EXPECT_TRUE(l.allows("http://127.0.0.1:8080", false));
  EXPECT_FALSE(l.allows("http://127.0.0.1:8081", false));
  EXPECT_FALSE(l.allows("http://evil.example", false));
  EXPECT_FALSE(l.allows("null", false)) << "file: pages and sandboxed frames";
  EXPECT_TRUE(l.allows("", false)) << "no Origin: not a browser";
  EXPECT_FALSE(l.allows("", true));
  OriginAllowlist any;
  ASSERT_TRUE(any.add("*").ok());
  EXPECT_TRUE(any.allows("null", false));
  EXPECT_FALSE(l.add("example.com").ok());
  EXPECT_FALSE(l.add("http://example.com/path").ok());
}

TEST(GatewayControl, PingIdsAreEchoedAsWritten) {
  auto n = parse_client_message(R"( {"type":"ping","id":42,"extra":[1,{"a":null}]} )");
  ASSERT_TRUE(n.ok()) << n.status().reason();
  EXPECT_EQ(pong_message(n->id_json, 7), R"({"type":"pong","id":42,"queued":7})");
  // Regression guard: a lone surrogate escape must not be decoded into invalid UTF-8 in our reply.
  auto s = parse_client_message(R"({"id":"a\ud800\"b","type":"ping"})");
  ASSERT_TRUE(s.ok()) << s.status().reason();
  EXPECT_EQ(s->id_json, R"("a\ud800\"b")");
  auto u = parse_client_message(R"({"type":"future-thing"})");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->type, "future-thing");
}

TEST(GatewayControl, MalformedMessagesSayWhy) {
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "[";
  const std::map<std::string, std::string> cases = {
      {"", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {R"({"type":"ping","id":1} x)", "bytes after"},
      {R"({"id":1})", "no type"},
      {R"({"type":1})", "type is not a string"},
      {R"({"type":"ping"})", "ping without an id"},
      {R"({"type":"ping","id":{}})", "id is not"},
      {R"({"type":"ping","id":01})", "expected , or }"},
      {R"({"type":"ping","id":1.})", "bad number fraction"},
      {R"({"type":"p\x"})", "bad escape"},
      {R"({"type":"ping","id":"a)", "unterminated"},
      {R"({"type":"a","x":)" + deep, "nested too deeply"},
      {R"({"type":"a","pad":")" + std::string(1100, 'x') + "\"}", "over 1024 bytes"},
  };
  for (const auto& [text, why] : cases) {
    auto r = parse_client_message(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().reason().find(why), std::string::npos) << text.substr(0, 60) << " -> " << r.status().reason();
  }
}

TEST(GatewayControl, GatewayMessagesAreJsonWithEscapes) {
  EXPECT_EQ(status_message(3004, "PUSH_WARNING_SERVER_DISCONNECT", "said \"no\"\n\x01"),
            R"({"type":"status","code":3004,"name":"PUSH_WARNING_SERVER_DISCONNECT","message":"said \"no\"\n\u0001"})");
  AckInfo a{.received = 10, .sent = 9, .queued = 1, .acked = 5, .paused = true};
  EXPECT_EQ(ack_message(a), R"({"type":"ack","received":10,"sent":9,"queued":1,"acked":5,"paused":true})");
  EXPECT_EQ(drop_message(1, 2, 3, 4), R"({"type":"drop","audio":1,"video":2,"bytes":3,"queued":4})");
}

Result<std::string> files(const std::string& path) {
  if (path == "gw.conf") {
    return std::string("# the gateway\nlisten 0.0.0.0:9000\nallow-upstream = rtmp.example.com:1935\n\n"
                       "max-connections-per-ip 8  # per address\nrequire-origin\n");
  }
  return Status(ErrorCode::kInvalid, "cannot open");
}

TEST(GatewayConfig, DefaultsAllowOnlyTheLocalServerAndLocalPages) {
  auto c = parse_config({}, &files);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_address, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8090);
  EXPECT_EQ(c->upstreams.describe(), "127.0.0.1:1935, localhost:1935");
  EXPECT_EQ(c->origins.describe(), "http://127.0.0.1:*, http://localhost:*");
  EXPECT_FALSE(c->require_origin);
}

TEST(GatewayConfig, FlagsConfigFileAndOverrides) {
  auto c = parse_config({"--config", "gw.conf", "--max-connections-per-ip=16", "--play-drop-bytes", "2048",
                         "--threads", "2", "--log-level", "debug"},
                        &files);
  ASSERT_TRUE(c.ok()) << c.status().reason();
  EXPECT_EQ(c->listen_address, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9000);
  EXPECT_EQ(c->upstreams.describe(), "rtmp.example.com:1935") << "given upstreams replace the default";
  EXPECT_EQ(c->max_connections_per_ip, 16u) << "flags after --config override it";
  EXPECT_TRUE(c->require_origin);
  EXPECT_EQ(c->limits.play_drop_bytes, 2048u);
  EXPECT_EQ(c->threads, 2);
  EXPECT_EQ(c->log_level, LogLevel::kDebug);
}

TEST(GatewayConfig, ErrorsNameTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--nope", "1"}, "unknown flag --nope"},
      {{"--threads"}, "--threads needs a value"},
      {{"--threads", "0"}, "--threads"},
      {{"--max-message-bytes", "12x"}, "--max-message-bytes"},
      {{"--listen", "nocolon"}, "--listen"},
      {{"--allow-upstream", "h"}, "--allow-upstream"},
      {{"--tls-cert", "c.pem"}, "go together"},
      {{"--push-slow-bytes", "9999999", "--max-buffered-bytes", "4096"}, "must not exceed"},
      {{"--config", "missing.conf"}, "missing.conf"},
      {{"stray"}, "unexpected argument"},
  };
  for (const auto& [args, why] : cases) {
    auto c = parse_config(args, &files);
    ASSERT_FALSE(c.ok()) << args[0];
    EXPECT_NE(c.status().reason().find(why), std::string::npos) << args[0] << " -> " << c.status().reason();
  }
  EXPECT_NE(usage_text().find("--allow-upstream"), std::string::npos);
}

}  // namespace
}  // namespace lw::gateway
