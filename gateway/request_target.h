// What a WebSocket request asks for: the endpoint from the path and the RTMP URL from the `url`
// query parameter (PROTOCOL.md). Pure parsing, no I/O: the listener and the fuzz target call it.
//
//   parse_request_target("/play?url=rtmp%3A%2F%2F127.0.0.1%2Flive%2Fa%3FtxSecret%3Dx")
//     -> {endpoint: kPlay, rtmp_url: "rtmp://127.0.0.1/live/a?txSecret=x", url: {host, port, ...}}
//
// The RTMP URL's own query is kept byte for byte (it is decoded once, as one query value), so
// txSecret/txTime reach the server untouched. Errors carry a reason fit for a close frame.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "rtmp/rtmp_url.h"

namespace lw::gateway {

enum class Endpoint : uint8_t { kPush, kPlay, kHealth, kMetrics, kUnknown };
std::string_view endpoint_name(Endpoint e);  // "push", "play", "healthz", "metrics", "unknown"

// The path part of a request target ("/play?url=..." -> kPlay); kUnknown for anything else.
Endpoint endpoint_of(std::string_view target);

struct StreamRequest {
  Endpoint endpoint = Endpoint::kUnknown;  // kPush or kPlay
  std::string rtmp_url;                    // decoded `url` parameter
  rtmp::Url url;                           // parsed
};

// Targets longer than this are refused before any decoding (the HTTP parser bounds them too).
inline constexpr size_t kMaxTargetBytes = 4096;

// /push or /play with exactly one usable `url` parameter holding an rtmp:// URL. kInvalid with a
// reason otherwise (unknown path, no/duplicate url, bad percent-encoding, not rtmp://, bad URL).
Result<StreamRequest> parse_stream_request(std::string_view target);

// application/x-www-form-urlencoded value decoding: %XX and '+' -> ' '. kInvalid on a bad escape or
// a NUL byte.
Result<std::string> percent_decode(std::string_view in);

}  // namespace lw::gateway
