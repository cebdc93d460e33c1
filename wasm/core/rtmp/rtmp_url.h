// rtmp:// URLs: where to connect (host, port), which application to `connect` to (app, tcUrl) and
// which stream to `publish`/`play` (stream name, query included).
//
//   rtmp://h/live/room1?txSecret=abc&txTime=5F
//     host "h", port 1935, app "live", tc_url "rtmp://h/live",
//     stream "room1?txSecret=abc&txTime=5F"      <- the query goes to the server untouched, inside
//                                                   the stream name of publish/play (what FFmpeg and
//                                                   OBS send; Tencent-style CDNs check it there)
//   rtmp://[::1]:1936/live/x   host "::1" (no brackets), port 1936, tc_url "rtmp://[::1]:1936/live"
//
// App vs stream with more path segments follows FFmpeg (libavformat/rtmpproto.c, rtmp_open): the
// first segment is the app; when a second '/' follows, the first TWO segments are the app (an
// application instance, "app/instance") and the rest is the stream name, unless a ':' comes before
// that second '/' (a typed stream name such as "mp4:dir/file.mp4"):
//   rtmp://h/app/inst/stream      app "app/inst", stream "stream"
//   rtmp://h/app/inst/dir/stream  app "app/inst", stream "dir/stream"
//   rtmp://h/vod/mp4:dir/f.mp4    app "vod", stream "mp4:dir/f.mp4"
// The query is split off first (at the first '?'), so a '/' inside the query never moves the split,
// where FFmpeg would be misled. OBS takes the server URL and the stream key as two fields; joining
// them with '/' gives the one-segment-app case above.
//
// tcUrl is "rtmp://host[:port]/app" with the port only when the URL had one (FFmpeg: ff_url_join
// with the port as given); IPv6 hosts are bracketed again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace lw::rtmp {

inline constexpr uint16_t kDefaultPort = 1935;

struct Url {
  std::string host;     // name or address; IPv6 without brackets
  uint16_t port = kDefaultPort;
  bool port_given = false;  // the URL named the port
  std::string app;      // "live", "app/instance"
  std::string stream;   // "room1?txSecret=abc" (may be empty: connect-only URL)
  std::string query;    // "txSecret=abc" (also inside `stream`; kept apart for logs and checks)
  std::string tc_url;   // "rtmp://h/live", the connect command's tcUrl
};

// kInvalid with a reason naming the part for anything that is not rtmp://host[:port]/app[/...];
// "rtmps" is kUnsupported (the core has no TLS; the gateway may add it).
Result<Url> parse_url(std::string_view url);

}  // namespace lw::rtmp
