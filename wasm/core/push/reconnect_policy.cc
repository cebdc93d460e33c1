#include "push/reconnect_policy.h"

namespace lw::push {

void ReconnectPolicy::connecting() {
  began_ = false;
  last_status_ = 0;
}

void ReconnectPolicy::status(int code) {
  last_status_ = code;
  if (code == (role_ == LinkRole::kPusher ? 1002 : 2002)) began();
}

void ReconnectPolicy::began() {
  began_ = true;
  failures_ = 0;
}

bool ReconnectPolicy::fatal_close(int close) const {
  switch (close) {
    case close_code::kBadRequest:
    case close_code::kOriginNotAllowed:
    case close_code::kUpstreamNotAllowed:
    case close_code::kBadControlMessage:
    case close_code::kUnsupportedData:
    case close_code::kPolicyViolation:
      return true;
    // What the gateway sends when the pusher's bytes are not FLV or a message exceeds its bound: the
    // same bytes would be refused again. The player sends no media, so these never concern it.
    case close_code::kNotFlv:
    case close_code::kMessageTooBig:
      return role_ == LinkRole::kPusher;
    default:
      return false;
  }
}

ReconnectVerdict ReconnectPolicy::stop(bool fatal) {
  stopped_ = true;
  ReconnectVerdict v;
  v.code = stop_code();
  v.fatal = fatal;
  v.retries = kRetries;
  return v;
}

ReconnectVerdict ReconnectPolicy::unusable() { return stop(true); }

ReconnectVerdict ReconnectPolicy::closed(double now_ms, int close) {
  if (stopped_) return stop(false);
  if (close != 0 && fatal_close(close)) return stop(true);
  int failure_code = 0;
  if (role_ == LinkRole::kPusher && !(last_status_ >= 3001 && last_status_ <= 3005)) {
    failure_code = began_ ? 3005 : 3002;
  }
  ReconnectVerdict v;
  if (failures_ >= kRetries) {
    v = stop(false);
  } else {
    failures_ += 1;
    v.retry = true;
    v.code = retry_code();
    v.attempt = failures_;
    v.retries = kRetries;
    v.delay_ms = kFirstBackoffMs << (failures_ - 1);
    v.retry_at_ms = now_ms + v.delay_ms;
  }
  v.failure_code = failure_code;
  // The next connection starts afresh: what this one said no longer names a failure.
  last_status_ = 0;
  began_ = false;
  return v;
}

}  // namespace lw::push
