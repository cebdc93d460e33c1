// The gateway's settings: flags, or the same names in a config file (one "name value" per line,
// '#' comments), flags after --config overriding the file. parse_config() is pure (the unit tests and
// `--help` use it); main.cc reads the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "allowlist.h"
#include "base/status.h"
#include "bridge.h"

namespace lw::gateway {

enum class LogLevel : uint8_t { kDebug, kInfo, kWarn, kError };

struct Config {
  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 8090;
  UpstreamAllowlist upstreams;        // default: 127.0.0.1:1935, localhost:1935
  OriginAllowlist origins;            // default: http://127.0.0.1:*, http://localhost:*
  bool require_origin = false;
  // Behind a load balancer: take the client address (for per-address limits and logs) from this
  // request header, e.g. X-Forwarded-For (its last entry, the one the balancer appended). Empty: the
  // socket's peer address. Set it only when clients cannot reach the gateway except through the balancer.
  std::string client_address_header;
  size_t max_connections = 10000;
  size_t max_connections_per_ip = 64;
  size_t max_message_bytes = 1 << 20;
  int64_t handshake_timeout_ms = 5000;  // TCP accept .. WebSocket upgrade done
  int64_t drain_timeout_ms = 10000;
  int threads = 0;  // 0: one per core the process may run on (resolved by main)
  std::string tls_cert, tls_key;      // both set: wss:// only
  LogLevel log_level = LogLevel::kInfo;
  BridgeLimits limits;
  bool help = false;
};

// argv[1..] (without the program name). A `--config FILE` argument is replaced by the file's
// contents, passed in `read_file` (so this stays pure). kInvalid names the offending flag.
using FileReader = Result<std::string> (*)(const std::string& path);
Result<Config> parse_config(const std::vector<std::string>& args, FileReader read_file);

std::string usage_text();

}  // namespace lw::gateway
