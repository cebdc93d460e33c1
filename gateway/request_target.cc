#include "request_target.h"

#include "gateway_protocol.h"

namespace lw::gateway {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status invalid(std::string reason) { return Status(ErrorCode::kInvalid, std::move(reason)); }

}  // namespace

std::string_view endpoint_name(Endpoint e) {
  switch (e) {
    case Endpoint::kPush: return "push";
    case Endpoint::kPlay: return "play";
    case Endpoint::kHealth: return "healthz";
    case Endpoint::kMetrics: return "metrics";
    case Endpoint::kUnknown: break;
  }
  return "unknown";
}

Endpoint endpoint_of(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path == protocol::kPathsPush) return Endpoint::kPush;
  if (path == protocol::kPathsPlay) return Endpoint::kPlay;
  if (path == protocol::kPathsHealth) return Endpoint::kHealth;
  if (path == protocol::kPathsMetrics) return Endpoint::kMetrics;
  return Endpoint::kUnknown;
}

Result<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (in.size() - i < 3) return invalid("truncated %-escape in url parameter");
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return invalid("bad %-escape in url parameter");
      char v = char(hi * 16 + lo);
      if (v == '\0') return invalid("NUL byte in url parameter");
      out += v;
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Result<StreamRequest> parse_stream_request(std::string_view target) {
  if (target.size() > kMaxTargetBytes) return invalid("request target too long");
  StreamRequest req;
  req.endpoint = endpoint_of(target);
  if (req.endpoint != Endpoint::kPush && req.endpoint != Endpoint::kPlay) {
    return invalid("unknown path: use /push?url=... or /play?url=...");
  }
  size_t q = target.find('?');
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  // The fragment never reaches a server, but a hand-made request may carry one.
  query = query.substr(0, query.find('#'));
  bool found = false;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (key != protocol::kQueryUrl) continue;  // other parameters are not ours; ignored
    if (found) return invalid("more than one url parameter");
    found = true;
    if (eq == std::string_view::npos) return invalid("url parameter has no value");
    auto decoded = percent_decode(pair.substr(eq + 1));
    if (!decoded.ok()) return decoded.status();
    req.rtmp_url = std::move(*decoded);
  }
  if (!found || req.rtmp_url.empty()) return invalid("missing url parameter (an rtmp:// URL)");
  auto url = rtmp::parse_url(req.rtmp_url);
  if (!url.ok()) return invalid("bad rtmp url: " + url.status().reason());
  if (url->stream.empty()) return invalid("rtmp url names no stream");
  req.url = std::move(*url);
  return req;
}

}  // namespace lw::gateway
