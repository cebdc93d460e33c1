// The reconnect rule of both workers' links (worker/push_link.js for the pusher, worker/play_source.js
// for the player), decided once here. Sans-IO: the workers keep their sockets, fetches and timers and
// tell the policy what happened, with the time; the policy answers what to raise and when to connect again.
//
//   a broken link -> the retry code (pusher 1102, player 2103), up to kRetries reconnects kFirstBackoffMs,
//   then doubling (1 s, 2 s, 4 s) after the break; a connection that carries a stream again (the gateway's
//   1002 / 2002, or media on a direct source) resets the count; the break after the last reconnect -> the
//   stop code (pusher -1307, player -2301) and the link stops. A close no retry can fix (a URL the
//   gateway does not allow, a malformed request) stops at once.
//   The pusher names a failure the gateway did not (a direct server, or a gateway that vanished): 3002
//   before the push began, 3005 after; a gateway's own 3001-3005 status already said it.
#pragma once

namespace lw::push {

enum class LinkRole { kPusher, kPlayer };

// The WebSocket close codes the policy reads, as gateway/protocol.json's "close" names them
// (tests/unit/reconnect_policy_test.cc checks the numbers against the JSON).
namespace close_code {
inline constexpr int kNormal = 1000;
inline constexpr int kUnsupportedData = 1003;
inline constexpr int kPolicyViolation = 1008;
inline constexpr int kMessageTooBig = 1009;
inline constexpr int kBadRequest = 4400;
inline constexpr int kOriginNotAllowed = 4403;
inline constexpr int kUpstreamNotAllowed = 4404;
inline constexpr int kNotFlv = 4415;
inline constexpr int kBadControlMessage = 4422;
}  // namespace close_code

struct ReconnectVerdict {
  bool retry = false;      // true: connect again at retry_at_ms; false: the link stops
  int failure_code = 0;    // a status to raise first (pusher 3002/3005), 0 for none
  int code = 0;            // the retry code (1102 / 2103) or the stop code (-1307 / -2301)
  bool fatal = false;      // stopped by a close no retry can fix
  int attempt = 0;         // the reconnect about to be made, 1..retries (retry only)
  int retries = 0;         // the policy's number of reconnects
  int delay_ms = 0;        // wait before reconnecting (retry only)
  double retry_at_ms = 0;  // now + delay_ms (retry only)
};

class ReconnectPolicy {
 public:
  static constexpr int kRetries = 3;
  static constexpr int kFirstBackoffMs = 1000;

  explicit ReconnectPolicy(LinkRole role) : role_(role) {}

  // A new connection starts (the first or a reconnect).
  void connecting();
  // A gateway status on this connection: 1002 / 2002 (the stream began) resets the count; 3001-3005
  // are remembered, so that the pusher does not name the failure twice.
  void status(int code);
  // The connection carries a stream (a direct source's media, a direct pusher's open socket): resets the count.
  void began();
  // The connection ended at now_ms. close: the WebSocket close code, 0 for a fetch that ended or failed.
  ReconnectVerdict closed(double now_ms, int close);
  // The link cannot even be opened (the WebSocket constructor threw): stop.
  ReconnectVerdict unusable();

  bool fatal_close(int close) const;
  int retry_code() const { return role_ == LinkRole::kPusher ? 1102 : 2103; }
  int stop_code() const { return role_ == LinkRole::kPusher ? -1307 : -2301; }
  int failures() const { return failures_; }
  bool stopped() const { return stopped_; }
  bool has_begun() const { return began_; }

 private:
  ReconnectVerdict stop(bool fatal);

  LinkRole role_;
  int failures_ = 0;
  int last_status_ = 0;
  bool began_ = false;
  bool stopped_ = false;
};

}  // namespace lw::push
