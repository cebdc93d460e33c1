#include "push/rate_controller.h"

#include <algorithm>
#include <cstdlib>

namespace lw::push {
namespace {

struct Thresholds {
  int congest_ms, drop_ms, flush_ms, clear_ms, probe_interval_ms;
};

// RTC lives with a backlog of a few hundred ms at most; SD/HD/FHD trade delay for smoothness and
// react later. OBS's dynamic bitrate reacts when its send buffer passes about 700 ms and raises the
// rate again only after a quiet period; the RTC numbers are that scaled to a sub-second budget.
Thresholds thresholds(PushMode mode) {
  if (mode == PushMode::kRTC) return {300, 500, 1000, 100, 2000};
  return {700, 1500, 3000, 200, 4000};
}

constexpr int64_t kWindowMs = 2000;         // throughput window
constexpr int64_t kDecreaseSpacingMs = 500; // let a step down take effect before the next
constexpr int64_t kBusyHoldMs = 1000;       // at min-bitrate and congested this long -> 1101
constexpr double kDecreaseFactor = 0.85;
constexpr double kMeasuredMargin = 0.9;
constexpr double kProbeStep = 1.10;
constexpr int kAckAllowanceMs = 400;        // gateway acks come every 250 ms; bytes younger than this are in flight

}  // namespace

RateController::RateController(const RateConfig& config) : config_(config) {
  config_.min_kbps = std::max(1, config_.min_kbps);
  config_.max_kbps = std::max(config_.min_kbps, config_.max_kbps);
  int start = config_.start_kbps;
  if (start <= 0) start = config_.mode == PushMode::kRTC ? (config_.min_kbps + config_.max_kbps) / 2 : config_.max_kbps;
  video_kbps_ = std::clamp(start, config_.min_kbps, config_.max_kbps);
}

void RateController::reset(int64_t now_ms) {
  window_.clear();
  backlog_ms_ = 0;
  last_decrease_ms_ = -1;
  clear_since_ms_ = now_ms;
  busy_since_ms_ = -1;
  dropping_until_key_ = false;
}

int RateController::measured_kbps() const {
  if (window_.size() < 2) return 0;
  const Point& a = window_.front();
  const Point& b = window_.back();
  if (b.t <= a.t) return 0;
  return static_cast<int>((b.delivered - a.delivered) * 8 / static_cast<uint64_t>(b.t - a.t));
}

int RateController::jitter_ms() const {
  if (window_.size() < 2) return 0;
  int64_t sum = 0;
  for (size_t i = 1; i < window_.size(); ++i) sum += std::llabs(window_[i].backlog_ms - window_[i - 1].backlog_ms);
  return static_cast<int>(sum / static_cast<int64_t>(window_.size() - 1));
}

RateDecision RateController::update(const LinkSample& s) {
  const Thresholds th = thresholds(config_.mode);
  // Backlog: what the browser still holds (bufferedAmount), what the gateway holds (ack `queued`), and
  // what left the browser but has not reached the gateway beyond one ack interval's worth (it sits in
  // kernel socket buffers or a proxy on the way: on loopback those alone hold megabytes, so without
  // this term a slow link would go unseen until they fill). Delivered = what the gateway received.
  const int total_kbps = std::max(1, video_kbps_ + config_.audio_kbps);
  const uint64_t left = s.sent_bytes >= s.buffered_bytes ? s.sent_bytes - s.buffered_bytes : 0;
  const bool acked = s.acked_received >= 0;
  const uint64_t delivered = acked ? std::min<uint64_t>(left, static_cast<uint64_t>(s.acked_received)) : left;
  const uint64_t allowance = static_cast<uint64_t>(total_kbps) * kAckAllowanceMs / 8;
  const uint64_t in_flight = left - delivered;
  const uint64_t backlog_bytes = s.buffered_bytes + static_cast<uint64_t>(std::max<int64_t>(0, s.acked_queued)) +
                                 (in_flight > allowance ? in_flight - allowance : 0);
  backlog_ms_ = static_cast<int>(std::min<uint64_t>(backlog_bytes * 8 / static_cast<uint64_t>(total_kbps), 600000));
  if (s.acked_paused) backlog_ms_ = std::max(backlog_ms_, th.drop_ms + 1);  // the gateway stopped reading us

  window_.push_back({s.now_ms, delivered, backlog_ms_});
  while (window_.size() > 2 && window_.front().t < s.now_ms - kWindowMs) window_.pop_front();

  RateDecision d;
  d.congested = backlog_ms_ > th.congest_ms;

  // Step down toward what the link measurably carries (less a margin), never below min-bitrate.
  // A backlog that is already shrinking since the last step is draining: stepping down again would
  // overshoot below what the link carries (and end at min-bitrate with a spurious 1101).
  const bool draining = last_decrease_ms_ >= 0 && backlog_ms_ < backlog_at_decrease_ms_;
  if (d.congested && !draining && (last_decrease_ms_ < 0 || s.now_ms - last_decrease_ms_ >= kDecreaseSpacingMs)) {
    int target = static_cast<int>(video_kbps_ * kDecreaseFactor);
    const int measured_video = measured_kbps() - config_.audio_kbps;
    if (window_.size() > 2 && measured_video > 0)
      target = std::min(target, static_cast<int>(measured_video * kMeasuredMargin));
    video_kbps_ = std::clamp(target, config_.min_kbps, config_.max_kbps);
    last_decrease_ms_ = s.now_ms;
    backlog_at_decrease_ms_ = backlog_ms_;
  }
  if (!d.congested) last_decrease_ms_ = -1;

  // Frame drops by pressure; dropping everything lasts until the backlog is half drained, then the
  // encoder restarts with a key frame.
  if (backlog_ms_ > th.flush_ms) dropping_until_key_ = true;
  if (dropping_until_key_ && backlog_ms_ < th.congest_ms / 2) {
    dropping_until_key_ = false;
    d.request_key_frame = true;
  }
  d.drop = dropping_until_key_ ? FrameDrop::kUntilKeyFrame
           : backlog_ms_ > th.drop_ms ? FrameDrop::kNonReference
                                      : FrameDrop::kNone;

  // 1101 once per episode: at the floor and still congested for a while.
  // (Draining does not count here: at min-bitrate a backlog that drains only because frames are being
  // dropped is exactly an uplink too slow for the stream.)
  if (d.congested && video_kbps_ <= config_.min_kbps) {
    if (busy_since_ms_ < 0) busy_since_ms_ = s.now_ms;
    if (!busy_raised_ && s.now_ms - busy_since_ms_ >= kBusyHoldMs) {
      d.net_busy = true;
      busy_raised_ = true;
    }
  } else {
    busy_since_ms_ = -1;
  }

  // Probe up after a quiet period, one step at a time.
  if (backlog_ms_ < th.clear_ms) {
    if (clear_since_ms_ < 0) clear_since_ms_ = s.now_ms;
    if (s.now_ms - clear_since_ms_ >= th.probe_interval_ms) {
      busy_raised_ = false;
      if (video_kbps_ < config_.max_kbps) {
        // 10 % or a quarter of the way to max-bitrate, whichever is more: from the floor back to the
        // top in about six quiet intervals, while a link that only partly recovered is found by the
        // next congestion rather than by creeping.
        const int up = std::max({video_kbps_ + 20, static_cast<int>(video_kbps_ * kProbeStep),
                                 video_kbps_ + (config_.max_kbps - video_kbps_) / 4});
        video_kbps_ = std::min(up, config_.max_kbps);
      }
      clear_since_ms_ = s.now_ms;
    }
  } else {
    clear_since_ms_ = -1;
  }
  d.video_kbps = video_kbps_;
  return d;
}

}  // namespace lw::push
