#include "rtmp/rtmp_url.h"

#include <cctype>

namespace lw::rtmp {
namespace {

Status invalid(std::string_view what, std::string_view url) {
  return Status(ErrorCode::kInvalid, "RTMP URL " + std::string(what) + ": '" + std::string(url) + "'");
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// "host", "host:port", "[v6]", "[v6]:port" -> host, port.
Status parse_authority(std::string_view auth, std::string_view url, Url* out) {
  std::string_view port_text;
  if (!auth.empty() && auth.front() == '[') {
    size_t close = auth.find(']');
    if (close == std::string_view::npos) return invalid("has an unclosed '[' in the host", url);
    out->host = std::string(auth.substr(1, close - 1));
    std::string_view after = auth.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("has bytes after the IPv6 host", url);
      port_text = after.substr(1);
      out->port_given = true;
    }
  } else {
    size_t colon = auth.find(':');
    if (colon != auth.rfind(':')) return invalid("host has several ':' (IPv6 needs [brackets])", url);
    out->host = std::string(auth.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = auth.substr(colon + 1);
      out->port_given = true;
    }
  }
  if (out->host.empty()) return invalid("has no host", url);
  if (out->port_given) {
    if (port_text.empty() || port_text.size() > 5) return invalid("port is not 1-65535", url);
    uint32_t port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return invalid("port is not a number", url);
      port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    if (port == 0 || port > 65535) return invalid("port is not 1-65535", url);
    out->port = static_cast<uint16_t>(port);
  }
  return Status::Ok();
}

// FFmpeg's split of "app[/instance]/stream" (see the header).
void split_path(std::string_view path, Url* out) {
  size_t first = path.find('/');
  if (first == std::string_view::npos) {
    out->app = std::string(path);
    return;
  }
  std::string_view rest = path.substr(first + 1);
  size_t second = rest.find('/');
  size_t colon = rest.find(':');
  if (second == std::string_view::npos || (colon != std::string_view::npos && colon < second)) {
    out->app = std::string(path.substr(0, first));
    out->stream = std::string(rest);
  } else {
    out->app = std::string(path.substr(0, first + 1 + second));
    out->stream = std::string(rest.substr(second + 1));
  }
}

}  // namespace

Result<Url> parse_url(std::string_view url) {
  constexpr std::string_view kScheme = "rtmp://";
  if (starts_with_ci(url, "rtmps://")) {
    return Status(ErrorCode::kUnsupported, "RTMP URL: rtmps (TLS) is not supported by the core");
  }
  if (!starts_with_ci(url, kScheme)) return invalid("does not start with rtmp://", url);
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return invalid("contains a space or control byte", url);
    }
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  size_t qmark_in_auth = rest.substr(0, slash).find('?');
  if (qmark_in_auth != std::string_view::npos) return invalid("has a query before the app", url);

  Url out;
  LW_RETURN_IF_ERROR(parse_authority(rest.substr(0, slash), url, &out));
  if (slash == std::string_view::npos) return invalid("has no app", url);

  std::string_view path = rest.substr(slash + 1);
  std::string_view query;
  size_t q = path.find('?');
  if (q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  split_path(path, &out);
  if (out.app.empty()) return invalid("has an empty app", url);
  if (q != std::string_view::npos) {
    if (out.stream.empty()) return invalid("has a query but no stream name", url);
    out.query = std::string(query);
    out.stream += '?';
    out.stream += query;
  }

  out.tc_url = "rtmp://";
  bool v6 = out.host.find(':') != std::string::npos;
  out.tc_url += v6 ? "[" + out.host + "]" : out.host;
  if (out.port_given) out.tc_url += ":" + std::to_string(out.port);
  out.tc_url += "/" + out.app;
  return out;
}

}  // namespace lw::rtmp
