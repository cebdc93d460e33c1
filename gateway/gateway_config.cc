#include "gateway_config.h"

#include <charconv>
#include <functional>
#include <map>

namespace lw::gateway {
namespace {

Status invalid(std::string reason) { return Status(ErrorCode::kInvalid, std::move(reason)); }

template <class T>
Status parse_number(const std::string& flag, std::string_view text, T min, T max, T* out) {
  T v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) {
    return invalid("--" + flag + ": '" + std::string(text) + "' is not a number in [" + std::to_string(min) +
                   ", " + std::to_string(max) + "]");
  }
  *out = v;
  return Status::Ok();
}

Status parse_listen(std::string_view text, Config* c) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return invalid("--listen: expected ADDRESS:PORT, got '" + std::string(text) + "'");
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  c->listen_address = std::string(host);
  uint32_t port = 0;
  LW_RETURN_IF_ERROR(parse_number<uint32_t>("listen", text.substr(colon + 1), 0, 65535, &port));
  c->listen_port = uint16_t(port);
  return Status::Ok();
}

// One line of the config file: "name value" or "name = value" -> {"--name", "value"}.
Status split_config_line(std::string_view line, std::vector<std::string>* out) {
  size_t hash = line.find('#');
  line = line.substr(0, hash);
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  };
  line = trim(line);
  if (line.empty()) return Status::Ok();
  size_t sep = line.find_first_of(" \t=");
  std::string_view name = line.substr(0, sep);
  std::string_view value = sep == std::string_view::npos ? std::string_view() : trim(line.substr(sep));
  if (!value.empty() && value.front() == '=') value = trim(value.substr(1));
  out->push_back("--" + std::string(name));
  if (!value.empty()) out->push_back(std::string(value));
  return Status::Ok();
}

}  // namespace

std::string usage_text() {
  return R"(livewasm-gateway: WebSocket (FLV) <-> RTMP bridge for livewasm pages. See gateway/README.md.

usage: livewasm-gateway [--config FILE] [flags]
  (a config file holds the same names without "--", one "name value" per line, # comments)

listening
  --listen ADDR:PORT            where to accept WebSockets (default 127.0.0.1:8090; port 0 = any,
                                the chosen port is in the "listening" log line)
  --tls-cert FILE --tls-key FILE   serve wss:// (PEM); then only TLS is accepted
  --threads N                   I/O threads, each with its own listening socket (SO_REUSEPORT) and
                                its own connections (default: one per core the process may use)
security
  --allow-upstream HOST:PORT    RTMP servers streams may reach; repeat; HOST:* for any port
                                (default 127.0.0.1:1935 and localhost:1935). Never an open relay.
  --allow-origin ORIGIN         page origins allowed: http://host:port, http://host:* or *; repeat
                                (default http://127.0.0.1:* and http://localhost:*)
  --require-origin              refuse requests without an Origin header (non-browser clients)
  --client-address-header NAME  behind a load balancer: the client address is the last entry of this
                                header (e.g. X-Forwarded-For) for per-address limits and logs
  --max-connections N           streams in all (default 10000); more get close 1013
  --max-connections-per-ip N    streams per client address (default 64); more get close 4429
  --max-message-bytes N         largest WebSocket message from a client (default 1048576)
  --handshake-timeout-ms N      TCP accept to WebSocket upgrade (default 5000)
streams
  --upstream-timeout-ms N       DNS + TCP connect, and each RTMP phase (default 5000)
  --idle-timeout-ms N           push: no data from the client for this long closes (default 20000)
  --write-stall-timeout-ms N    a client that reads nothing for this long is reset (default 10000)
  --coalesce-audio-ms N         play: hold a frame of audio tags only until the next video tag, a text
                                frame, or the first read N ms after its first tag (fewer writes per tag;
                                audio goes out up to a frame interval later); 0 = off (default)
  --max-buffered-bytes N        push: stop reading the client past this many queued bytes (default 4194304)
  --push-slow-bytes N           push: an ack goes out at once when the queue crosses this (default 262144)
  --ack-interval-ms N           push: ack period (default 250)
  --play-drop-bytes N           play: drop to the next key frame past this many queued bytes (default 1048576)
  --max-client-queue-bytes N    anything waiting for one client past this closes it with 4509 (default 4194304)
  --max-garbage-bytes N         push: bytes skipped while resynchronising before "not FLV" (default 65536)
operation
  --drain-timeout-ms N          on SIGTERM: time streams get to end before the process exits (default 10000)
  --log-level debug|info|warn|error   JSON log lines on stderr (default info)
  --help                        this text
)";
}

Result<Config> parse_config(const std::vector<std::string>& args_in, FileReader read_file) {
  // Expand --config FILE in place, once (a config file cannot include another).
  std::vector<std::string> args;
  for (size_t i = 0; i < args_in.size(); ++i) {
    if (args_in[i] == "--config") {
      if (i + 1 >= args_in.size()) return invalid("--config needs a file");
      auto text = read_file(args_in[++i]);
      if (!text.ok()) return invalid("--config " + args_in[i] + ": " + text.status().reason());
      std::string_view rest = *text;
      while (!rest.empty()) {
        size_t nl = rest.find('\n');
        LW_RETURN_IF_ERROR(split_config_line(rest.substr(0, nl), &args));
        if (args.size() >= 2 && args[args.size() - 2] == "--config") return invalid("config files cannot include --config");
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      }
    } else {
      args.push_back(args_in[i]);
    }
  }

  Config c;
  bool upstreams_given = false, origins_given = false;
  using Setter = std::function<Status(const std::string& flag, const std::string& value)>;
  auto size_flag = [&c](size_t Config::*field, size_t min) {
    return Setter([&c, field, min](const std::string& f, const std::string& v) {
      return parse_number<size_t>(f, v, min, size_t(1) << 40, &(c.*field));
    });
  };
  auto limit_size = [&c](size_t BridgeLimits::*field, size_t min) {
    return Setter([&c, field, min](const std::string& f, const std::string& v) {
      return parse_number<size_t>(f, v, min, size_t(1) << 40, &(c.limits.*field));
    });
  };
  auto limit_ms = [&c](int64_t BridgeLimits::*field, int64_t min) {
    return Setter([&c, field, min](const std::string& f, const std::string& v) {
      return parse_number<int64_t>(f, v, min, int64_t(86'400'000), &(c.limits.*field));
    });
  };
  const std::map<std::string, Setter, std::less<>> with_value = {
      {"listen", [&c](const std::string&, const std::string& v) { return parse_listen(v, &c); }},
      {"tls-cert", [&c](const std::string&, const std::string& v) { c.tls_cert = v; return Status::Ok(); }},
      {"tls-key", [&c](const std::string&, const std::string& v) { c.tls_key = v; return Status::Ok(); }},
      {"client-address-header", [&c](const std::string&, const std::string& v) {
         c.client_address_header = v;
         return Status::Ok();
       }},
      {"threads", [&c](const std::string& f, const std::string& v) { return parse_number<int>(f, v, 1, 256, &c.threads); }},
      {"allow-upstream", [&](const std::string& f, const std::string& v) {
         upstreams_given = true;
         Status st = c.upstreams.add(v);
         return st.ok() ? st : invalid("--" + f + ": " + st.reason());
       }},
      {"allow-origin", [&](const std::string& f, const std::string& v) {
         origins_given = true;
         Status st = c.origins.add(v);
         return st.ok() ? st : invalid("--" + f + ": " + st.reason());
       }},
      {"max-connections", size_flag(&Config::max_connections, 1)},
      {"max-connections-per-ip", size_flag(&Config::max_connections_per_ip, 1)},
      {"max-message-bytes", size_flag(&Config::max_message_bytes, 1024)},
      {"handshake-timeout-ms", [&c](const std::string& f, const std::string& v) {
         return parse_number<int64_t>(f, v, 100, 600'000, &c.handshake_timeout_ms);
       }},
      {"drain-timeout-ms", [&c](const std::string& f, const std::string& v) {
         return parse_number<int64_t>(f, v, 0, 600'000, &c.drain_timeout_ms);
       }},
      {"upstream-timeout-ms", limit_ms(&BridgeLimits::upstream_timeout_ms, 100)},
      {"idle-timeout-ms", limit_ms(&BridgeLimits::idle_timeout_ms, 0)},
      {"write-stall-timeout-ms", limit_ms(&BridgeLimits::write_stall_timeout_ms, 0)},
      {"coalesce-audio-ms", limit_ms(&BridgeLimits::coalesce_audio_ms, 0)},
      {"ack-interval-ms", limit_ms(&BridgeLimits::ack_interval_ms, 10)},
      {"max-buffered-bytes", limit_size(&BridgeLimits::max_buffered_bytes, 4096)},
      {"push-slow-bytes", limit_size(&BridgeLimits::push_slow_bytes, 1)},
      {"play-drop-bytes", limit_size(&BridgeLimits::play_drop_bytes, 1024)},
      {"max-garbage-bytes", limit_size(&BridgeLimits::max_garbage_bytes, 0)},
      {"max-client-queue-bytes", limit_size(&BridgeLimits::max_client_queue_bytes, 64 << 10)},
      {"log-level", [&c](const std::string& f, const std::string& v) {
         if (v == "debug") c.log_level = LogLevel::kDebug;
         else if (v == "info") c.log_level = LogLevel::kInfo;
         else if (v == "warn") c.log_level = LogLevel::kWarn;
         else if (v == "error") c.log_level = LogLevel::kError;
         else return invalid("--log-level: '" + v + "' is not debug, info, warn or error");
         return Status::Ok();
       }},
  };

  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      c.help = true;
      continue;
    }
    if (a == "--require-origin") {
      c.require_origin = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) return invalid("unexpected argument '" + a + "' (see --help)");
    std::string name = a.substr(2), value;
    size_t eq = name.find('=');
    bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto it = with_value.find(name);
    if (it == with_value.end()) return invalid("unknown flag --" + name + " (see --help)");
    if (!inline_value) {
      // A flag is never a value: a config line "client-address-header" with its value forgotten must
      // not swallow the next line's "require-origin".
      if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) return invalid("--" + name + " needs a value");
      value = args[++i];
    }
    LW_RETURN_IF_ERROR(it->second(name, value));
  }
  if (!upstreams_given) {
    (void)c.upstreams.add("127.0.0.1:1935");
    (void)c.upstreams.add("localhost:1935");
  }
  if (!origins_given) {
    (void)c.origins.add("http://127.0.0.1:*");
    (void)c.origins.add("http://localhost:*");
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) return invalid("--tls-cert and --tls-key go together");
  if (c.limits.max_client_queue_bytes < 2 * c.limits.play_drop_bytes) {
    return invalid("--max-client-queue-bytes must be at least twice --play-drop-bytes (a player past the drop "
                   "threshold still receives the tag that crossed it)");
  }
  if (c.limits.push_slow_bytes > c.limits.max_buffered_bytes) {
    return invalid("--push-slow-bytes must not exceed --max-buffered-bytes");
  }
  return c;
}

}  // namespace lw::gateway
