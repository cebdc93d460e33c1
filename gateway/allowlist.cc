#include "allowlist.h"

#include <charconv>

namespace lw::gateway {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

// "80" -> 80, "*" -> -1 (any); -2 on error.
int parse_port(std::string_view s) {
  if (s == "*") return -1;
  int port = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (ec != std::errc() || p != s.data() + s.size() || port < 1 || port > 65535) return -2;
  return port;
}

// Splits "host:port" / "[v6]:port" into host (brackets removed) and the port text.
bool split_host_port(std::string_view in, std::string_view* host, std::string_view* port) {
  if (!in.empty() && in.front() == '[') {
    size_t close = in.find(']');
    if (close == std::string_view::npos || close + 1 >= in.size() || in[close + 1] != ':') return false;
    *host = in.substr(1, close - 1);
    *port = in.substr(close + 2);
  } else {
    size_t colon = in.rfind(':');
    if (colon == std::string_view::npos) return false;
    *host = in.substr(0, colon);
    *port = in.substr(colon + 1);
    if (host->find(':') != std::string_view::npos) return false;  // IPv6 needs brackets
  }
  return !host->empty();
}

}  // namespace

Status UpstreamAllowlist::add(std::string_view entry) {
  std::string_view host, port_text;
  if (!split_host_port(entry, &host, &port_text)) {
    return Status(ErrorCode::kInvalid, "upstream allowlist entry '" + std::string(entry) +
                                           "' is not host:port or host:*");
  }
  int port = parse_port(port_text);
  if (port == -2) {
    return Status(ErrorCode::kInvalid, "bad port in upstream allowlist entry '" + std::string(entry) + "'");
  }
  entries_.push_back({lower(host), port});
  return Status::Ok();
}

bool UpstreamAllowlist::allows(std::string_view host, uint16_t port) const {
  std::string h = lower(host);
  for (const Entry& e : entries_) {
    if (e.host == h && (e.port == -1 || e.port == port)) return true;
  }
  return false;
}

std::string UpstreamAllowlist::describe() const {
  std::string out;
  for (const Entry& e : entries_) {
    if (!out.empty()) out += ", ";
    bool v6 = e.host.find(':') != std::string::npos;
    out += v6 ? "[" + e.host + "]" : e.host;
    out += ':';
    out += e.port == -1 ? std::string("*") : std::to_string(e.port);
  }
  return out;
}

Status OriginAllowlist::add(std::string_view entry) {
  if (entry == "*") {
    Entry any;
    any.any = true;
    entries_.push_back(std::move(any));
    return Status::Ok();
  }
  size_t scheme_end = entry.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return Status(ErrorCode::kInvalid, "origin allowlist entry '" + std::string(entry) +
                                           "' is not scheme://host[:port], scheme://host:* or *");
  }
  std::string_view rest = entry.substr(scheme_end + 3);
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return Status(ErrorCode::kInvalid, "origin allowlist entry '" + std::string(entry) + "' has a path");
  }
  Entry e;
  std::string_view host, port_text;
  if (split_host_port(rest, &host, &port_text)) {
    e.port = parse_port(port_text);
    if (e.port == -2) {
      return Status(ErrorCode::kInvalid, "bad port in origin allowlist entry '" + std::string(entry) + "'");
    }
    e.scheme_host = lower(entry.substr(0, scheme_end + 3)) + lower(rest.substr(0, rest.rfind(':')));
  } else {
    e.port = 0;  // no port written: matches an origin without a port only
    e.scheme_host = lower(entry);
  }
  entries_.push_back(std::move(e));
  return Status::Ok();
}

bool OriginAllowlist::allows(std::string_view origin, bool require_origin) const {
  if (origin.empty()) return !require_origin;
  std::string o = lower(origin);
  // Split "scheme://host[:port]" of the request's origin.
  size_t scheme_end = o.find("://");
  if (scheme_end == std::string::npos) {
    for (const Entry& e : entries_) {
      if (e.any) return true;  // "null" origins (file:, sandboxed frames) pass only a "*" list
    }
    return false;
  }
  std::string_view rest = std::string_view(o).substr(scheme_end + 3);
  std::string scheme_host = o;
  int port = 0;
  size_t colon = rest.rfind(':');
  size_t bracket = rest.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    int p = parse_port(rest.substr(colon + 1));
    if (p < 1) return false;
    port = p;
    scheme_host = o.substr(0, scheme_end + 3 + colon);
  }
  for (const Entry& e : entries_) {
    if (e.any) return true;
    if (e.scheme_host == scheme_host && (e.port == -1 || e.port == port)) return true;
  }
  return false;
}

std::string OriginAllowlist::describe() const {
  std::string out;
  for (const Entry& e : entries_) {
    if (!out.empty()) out += ", ";
    if (e.any) {
      out += "*";
    } else {
      out += e.scheme_host;
      if (e.port == -1) out += ":*";
      else if (e.port > 0) out += ":" + std::to_string(e.port);
    }
  }
  return out;
}

}  // namespace lw::gateway
