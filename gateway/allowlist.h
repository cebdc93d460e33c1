// The gateway's two allowlists (PROTOCOL.md, README.md "Security"):
// - upstreams: the RTMP host:port pairs the gateway may connect to, so that it is never an open relay
//   or a port scanner. Entries "host:port" or "host:*"; hosts compare case-insensitively, as written
//   (no resolution: a name is allowed by its name, an address by its address). "[::1]:1935" for IPv6.
// - origins: the page origins (the Origin header browsers send) allowed to open streams. Entries
//   "scheme://host:port", "scheme://host:*" (any port, or none), or "*" (any origin). A request
//   without an Origin header (not a browser) passes unless the gateway requires one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace lw::gateway {

class UpstreamAllowlist {
 public:
  // kInvalid with a reason for an entry that is not host:port or host:*.
  Status add(std::string_view entry);
  bool allows(std::string_view host, uint16_t port) const;
  bool empty() const { return entries_.empty(); }
  std::string describe() const;  // "127.0.0.1:1935, localhost:1935"

 private:
  struct Entry {
    std::string host;  // lower case, no brackets
    int port;          // -1: any
  };
  std::vector<Entry> entries_;
};

class OriginAllowlist {
 public:
  Status add(std::string_view entry);
  // `origin` is the header value; empty when the request had none.
  bool allows(std::string_view origin, bool require_origin) const;
  std::string describe() const;

 private:
  struct Entry {
    bool any = false;
    std::string scheme_host;  // "http://localhost", lower case
    int port = -1;            // -1: any (or none)
  };
  std::vector<Entry> entries_;
};

}  // namespace lw::gateway
