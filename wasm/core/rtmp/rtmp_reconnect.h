// E-RTMP v2 "Reconnect Request" (veovera enhanced-rtmp-v2, section "Reconnect Request"): the server
// asks the client to reconnect with a NetConnection onStatus
//
//   onStatus(0, null, {level: 'status', code: 'NetConnection.Connect.ReconnectRequest',
//                      [tcUrl: 'rtmp://other/live'], [description: 'server update']})
//
// and the client, at the next media boundary (a key frame), connects to `tcUrl` (absolute, or a
// reference relative to the current tcUrl; absent: the current one), starts the same stream there and
// leaves the old server. A client announces that it handles the request in connect's `capsEx`
// (CapsExMask.Reconnect = 0x01); the session sends it when SessionConfig::caps_ex asks.
//
// Here, sans-IO: where to reconnect (resolve_reconnect_url) and when (ReconnectGate: how many
// requests a connection may follow, and how long a publisher waits for a key frame before it
// switches anyway). Time comes in as now_ms.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "base/status.h"
#include "rtmp/rtmp_url.h"

namespace lw::rtmp {

inline constexpr std::string_view kReconnectRequestCode = "NetConnection.Connect.ReconnectRequest";
inline constexpr uint32_t kCapsExReconnect = 0x01;  // enum CapsExMask.Reconnect
inline constexpr size_t kMaxReconnectTcUrl = 1024;

// The full rtmp:// URL to reconnect to: the server's tcUrl resolved against `current` (RFC 3986
// style: "rtmp://h[:p]/app", "//h[:p]/app", "/app", "app" relative to the current tcUrl's path;
// empty: the current tcUrl), then the current stream name (its query included). kInvalid or
// kUnsupported with a reason for a tcUrl that is not rtmp://, too long, has control characters, a
// query or fragment (the stream's query is where tokens go), or does not name exactly the app it
// will be connected to (more than two path segments).
Result<std::string> resolve_reconnect_url(const Url& current, std::string_view tc_url);

struct ReconnectLimits {
  int max_requests = 3;          // ReconnectRequests followed within window_ms; one more closes
  int64_t window_ms = 60'000;
  int64_t key_frame_wait_ms = 3'000;  // publisher: switch at the next key frame, or after this
};

// Per client connection (it outlives the RTMP sessions it switches between).
class ReconnectGate {
 public:
  explicit ReconnectGate(ReconnectLimits limits = {}) : limits_(limits) {}

  // A ReconnectRequest arrived. Ok: a switch is pending from now on. kLimitExceeded: more than
  // max_requests in window_ms (a redirect loop); the caller gives up on the stream.
  Status request(int64_t now_ms);
  bool pending() const { return pending_; }
  // Publisher, for each tag while pending: true when the switch happens before this tag (a video
  // key frame, any tag of a stream without video, or key_frame_wait_ms passed).
  bool switch_before_tag(int64_t now_ms, bool video_key_frame, bool stream_has_video) const;
  // Pending and the key frame wait is over (no tag came): switch now.
  bool overdue(int64_t now_ms) const;
  int64_t next_deadline_ms() const { return pending_ ? requested_ms_ + limits_.key_frame_wait_ms : -1; }
  // The switch was made (or abandoned).
  void switched() { pending_ = false; }
  int requests_in_window() const { return int(times_.size()); }
  const ReconnectLimits& limits() const { return limits_; }

 private:
  ReconnectLimits limits_;
  std::deque<int64_t> times_;  // requests within the window, oldest first (at most max_requests)
  bool pending_ = false;
  int64_t requested_ms_ = 0;
};

}  // namespace lw::rtmp
