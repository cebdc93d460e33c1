// Every flag of parse_config() in both spellings ("--x v" and "--x=v") and as a config file line, each
// landing in its own field; the bounds of each number flag; control-message nesting at the limit.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "control_message.h"
#include "gateway_config.h"

namespace lw::gateway {
namespace {

Result<std::string> no_files(const std::string&) { return Status(ErrorCode::kInvalid, "no files"); }

std::string g_file_text;
Result<std::string> the_file(const std::string&) { return g_file_text; }

struct FlagCase {
  std::string name, value;
  std::function<bool(const Config&)> took_it;
};

std::vector<FlagCase> every_flag() {
  return {
      {"listen", "[::1]:9001", [](const Config& c) { return c.listen_address == "::1" && c.listen_port == 9001; }},
      {"tls-cert", "c.pem", [](const Config& c) { return c.tls_cert == "c.pem"; }},
      {"tls-key", "k.pem", [](const Config& c) { return c.tls_key == "k.pem"; }},
      {"client-address-header", "X-Forwarded-For",
       [](const Config& c) { return c.client_address_header == "X-Forwarded-For"; }},
      {"threads", "3", [](const Config& c) { return c.threads == 3; }},
      {"allow-upstream", "cdn.example:*",
       [](const Config& c) { return c.upstreams.describe() == "cdn.example:*" && c.upstreams.allows("CDN.example", 1); }},
      {"allow-origin", "https://a.example:8443",
       [](const Config& c) { return c.origins.describe() == "https://a.example:8443"; }},
      {"max-connections", "7", [](const Config& c) { return c.max_connections == 7; }},
      {"max-connections-per-ip", "5", [](const Config& c) { return c.max_connections_per_ip == 5; }},
      {"max-message-bytes", "2048", [](const Config& c) { return c.max_message_bytes == 2048; }},
      {"handshake-timeout-ms", "1500", [](const Config& c) { return c.handshake_timeout_ms == 1500; }},
      {"drain-timeout-ms", "0", [](const Config& c) { return c.drain_timeout_ms == 0; }},
      {"upstream-timeout-ms", "2500", [](const Config& c) { return c.limits.upstream_timeout_ms == 2500; }},
      {"idle-timeout-ms", "0", [](const Config& c) { return c.limits.idle_timeout_ms == 0; }},
      {"write-stall-timeout-ms", "1234", [](const Config& c) { return c.limits.write_stall_timeout_ms == 1234; }},
      {"ack-interval-ms", "10", [](const Config& c) { return c.limits.ack_interval_ms == 10; }},
      {"max-buffered-bytes", "8388608", [](const Config& c) { return c.limits.max_buffered_bytes == 8388608u; }},
      {"push-slow-bytes", "1", [](const Config& c) { return c.limits.push_slow_bytes == 1u; }},
      {"play-drop-bytes", "1024", [](const Config& c) { return c.limits.play_drop_bytes == 1024u; }},
      {"max-garbage-bytes", "0", [](const Config& c) { return c.limits.max_garbage_bytes == 0u; }},
      {"log-level", "warn", [](const Config& c) { return c.log_level == LogLevel::kWarn; }},
  };
}

// tls-cert and tls-key go together: a case naming one gets the other as well.
std::vector<std::string> partner(const std::string& name) {
  if (name == "tls-cert") return {"--tls-key", "k.pem"};
  if (name == "tls-key") return {"--tls-cert", "c.pem"};
  return {};
}

TEST(GatewayConfigFlags, EveryFlagInBothSpellingsAndAsAFileLine) {
  const Config defaults = *parse_config({}, &no_files);
  for (const FlagCase& f : every_flag()) {
    EXPECT_FALSE(f.took_it(defaults)) << f.name << ": the test value must differ from the default";
    std::vector<std::string> spaced = {"--" + f.name, f.value}, joined = {"--" + f.name + "=" + f.value};
    for (auto* args : {&spaced, &joined}) {
      for (const std::string& p : partner(f.name)) args->push_back(p);
      auto c = parse_config(*args, &no_files);
      ASSERT_TRUE(c.ok()) << (*args)[0] << ": " << c.status().reason();
      EXPECT_TRUE(f.took_it(*c)) << (*args)[0];
    }
    for (const char* sep : {" ", " = ", "\t", "="}) {
      g_file_text = "# comment line\n  " + f.name + sep + f.value + "   # trailing comment\r\n";
      std::vector<std::string> args = {"--config", "gw.conf"};
      for (const std::string& p : partner(f.name)) args.push_back(p);
      auto c = parse_config(args, &the_file);
      ASSERT_TRUE(c.ok()) << f.name << " '" << sep << "': " << c.status().reason();
      EXPECT_TRUE(f.took_it(*c)) << f.name << " '" << sep << "'";
    }
  }
}

TEST(GatewayConfigFlags, NumbersOutsideTheirRangeNameTheFlagAndTheRange) {
  struct Bad {
    std::string name, value, quoted;  // the reason quotes the offending text
  };
  const std::vector<Bad> bad = {
      {"threads", "257", "257"},
      {"max-connections", "0", "0"},
      {"max-message-bytes", "1023", "1023"},
      {"handshake-timeout-ms", "99", "99"},
      {"drain-timeout-ms", "600001", "600001"},
      {"upstream-timeout-ms", "99", "99"},
      {"idle-timeout-ms", "-1", "-1"},
      {"ack-interval-ms", "9", "9"},
      {"max-buffered-bytes", "4095", "4095"},
      {"play-drop-bytes", "1099511627777", "1099511627777"},
      {"listen", "127.0.0.1:65536", "65536"},
      {"listen", "127.0.0.1:", ""},
      {"threads", " 2", " 2"},
      {"threads", "2 ", "2 "},
      {"log-level", "verbose", "verbose"},
  };
  for (const Bad& b : bad) {
    auto c = parse_config({"--" + b.name + "=" + b.value}, &no_files);
    ASSERT_FALSE(c.ok()) << b.name << "=" << b.value;
    EXPECT_NE(c.status().reason().find("--" + b.name + ": '" + b.quoted + "'"), std::string::npos) << c.status().reason();
  }
  // The upper bounds themselves are accepted.
  auto edge = parse_config({"--threads=256", "--drain-timeout-ms=600000", "--listen=127.0.0.1:0"}, &no_files);
  ASSERT_TRUE(edge.ok()) << edge.status().reason();
  EXPECT_EQ(edge->threads, 256);
  EXPECT_EQ(edge->listen_port, 0);
}

TEST(GatewayConfigFlags, ConfigFilesCannotIncludeAnother) {
  g_file_text = "threads 2\nconfig other.conf\n";
  auto c = parse_config({"--config", "gw.conf"}, &the_file);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().reason().find("cannot include --config"), std::string::npos) << c.status().reason();
  auto missing = parse_config({"--config"}, &the_file);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().reason().find("--config needs a file"), std::string::npos);
}

// Regression: "client-address-header" without its value took "--require-origin" from the next line as
// the header name, and the gateway started without requiring an Origin, silently.
TEST(GatewayConfigFlags, AFlagMissingItsValueDoesNotSwallowTheNextFlag) {
  g_file_text = "client-address-header\nrequire-origin\n";
  auto c = parse_config({"--config", "gw.conf"}, &the_file);
  ASSERT_FALSE(c.ok()) << "header '" << c->client_address_header << "', require_origin " << c->require_origin;
  EXPECT_NE(c.status().reason().find("--client-address-header needs a value"), std::string::npos) << c.status().reason();
  auto cmd = parse_config({"--tls-cert", "--tls-key", "k.pem"}, &no_files);
  ASSERT_FALSE(cmd.ok());
  EXPECT_NE(cmd.status().reason().find("--tls-cert needs a value"), std::string::npos) << cmd.status().reason();
  // A value that merely contains "--" is still a value.
  auto dashes = parse_config({"--client-address-header", "X--Real-IP"}, &no_files);
  ASSERT_TRUE(dashes.ok()) << dashes.status().reason();
  EXPECT_EQ(dashes->client_address_header, "X--Real-IP");
}

TEST(GatewayConfigFlags, HelpAndRequireOriginTakeNoValue) {
  auto c = parse_config({"--require-origin", "--help", "--threads", "2"}, &no_files);
  ASSERT_TRUE(c.ok()) << c.status().reason();
  EXPECT_TRUE(c->require_origin);
  EXPECT_TRUE(c->help);
  EXPECT_EQ(c->threads, 2);
}

// kMaxJsonDepth counts every level, the message object itself included.
std::string nested_objects(int levels) {
  std::string open = R"({"type":"x")", close = "}";
  for (int i = 1; i < levels; ++i) {
    open += R"(,"a":{"b":0)";
    close += "}";
  }
  return open + close;
}

std::string nested_arrays(int levels) {
  return R"({"type":"x","a":)" + std::string(size_t(levels - 1), '[') + std::string(size_t(levels - 1), ']') + "}";
}

TEST(GatewayControlDepth, NestingUpToTheLimitParsesOneMoreLevelDoesNot) {
  for (auto* make : {&nested_objects, &nested_arrays}) {
    auto at_limit = parse_client_message(make(kMaxJsonDepth));
    EXPECT_TRUE(at_limit.ok()) << make(kMaxJsonDepth) << ": " << at_limit.status().reason();
    auto over = parse_client_message(make(kMaxJsonDepth + 1));
    ASSERT_FALSE(over.ok()) << make(kMaxJsonDepth + 1);
    EXPECT_EQ(over.status().code(), ErrorCode::kLimitExceeded);
  }
}

TEST(GatewayControlSize, ExactlyTheLimitParsesOneByteMoreDoesNot) {
  const std::string head = R"({"type":"ping","id":1,"pad":")";
  std::string text = head + std::string(1024 - head.size() - 2, 'x') + "\"}";
  ASSERT_EQ(text.size(), 1024u);
  EXPECT_TRUE(parse_client_message(text).ok());
  text.insert(head.size(), "x");
  auto over = parse_client_message(text);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace lw::gateway
