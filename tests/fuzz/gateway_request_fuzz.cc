// Gateway request parsing: the request target (/push?url=...), the allowlists and the flag parser on
// arbitrary bytes must return a value or an error with a reason, never crash. A parsed request must
// hold an rtmp URL that parses again to the same host, port and stream, and the allowlist answers
// must not depend on the case of the host.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "allowlist.h"
#include "gateway_config.h"
#include "request_target.h"

namespace {

lw::Result<std::string> no_file(const std::string&) { return lw::Status(lw::ErrorCode::kInvalid, "no files here"); }

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lw::gateway;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // Byte 0 picks the part; the rest is its input.
  if (in.empty()) return 0;
  const char which = in[0];
  in.remove_prefix(1);

  if (which % 3 == 0) {
    auto req = parse_stream_request(in);
    if (req.ok()) {
      if (req->endpoint != Endpoint::kPush && req->endpoint != Endpoint::kPlay) std::abort();
      auto again = lw::rtmp::parse_url(req->rtmp_url);
      if (!again.ok() || again->host != req->url.host || again->port != req->url.port ||
          again->stream != req->url.stream || req->url.stream.empty()) {
        std::abort();
      }
      UpstreamAllowlist list;
      if (!list.add(req->url.host.find(':') != std::string::npos ? "[" + req->url.host + "]:*" : req->url.host + ":*").ok()) {
        return 0;  // a host the allowlist syntax cannot name (e.g. with a ']')
      }
      if (!list.allows(upper(req->url.host), req->url.port)) std::abort();
    } else if (req.status().reason().empty()) {
      std::abort();
    }
  } else if (which % 3 == 1) {
    // "entry\norigin": an origin entry and a request origin.
    size_t nl = in.find('\n');
    std::string_view entry = in.substr(0, nl);
    std::string_view origin = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    OriginAllowlist origins;
    UpstreamAllowlist upstreams;
    if (origins.add(entry).ok()) {
      bool a = origins.allows(origin, false);
      bool b = origins.allows(upper(std::string(origin)), false);
      if (a != b) std::abort();
      if (!origins.allows("", false) || origins.allows("", true)) std::abort();
      (void)origins.describe();
    }
    if (upstreams.add(entry).ok()) (void)upstreams.describe();
  } else {
    // NUL-separated arguments.
    std::vector<std::string> args;
    size_t start = 0;
    while (start <= in.size() && args.size() < 64) {
      size_t end = in.find('\0', start);
      if (end == std::string_view::npos) end = in.size();
      args.emplace_back(in.substr(start, end - start));
      start = end + 1;
    }
    auto c = parse_config(args, &no_file);
    if (!c.ok() && c.status().reason().empty()) std::abort();
  }
  return 0;
}
