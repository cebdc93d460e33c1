#include "play/decision.h"

#include <algorithm>

namespace lw::play {

namespace {
constexpr double kRtcSafetyMs = 60;  // RTC target above jitter p95: a couple of audio packets
constexpr double kRtcFloorMs = 80;
constexpr double kLiveJitterMarginMs = 100;

constexpr double kRtcSkipAboveMs = 800;  // RTC: jump to a key frame this far above the target

// How far above the target acceleration starts and where it stops (hysteresis). RTC starts early:
// every millisecond above the target is delay the user sees; live keeps a small band above the
// target (its delay should sit near min-cache, not a quarter above it).
double accelerate_on_ms(Mode mode, double target) {
  return mode == Mode::kRtc ? std::max(40.0, 0.2 * target) : std::clamp(0.12 * target, 120.0, 400.0);
}
double decelerate_on_ms(Mode mode, double target) {
  return mode == Mode::kRtc ? std::max(40.0, 0.35 * target) : std::clamp(0.05 * target, 50.0, 300.0);
}

// The play-out rate while accelerating. Live: gentle near the window, up to 1.1 when far behind
// (music and speech stay natural up to about 10 %). RTC: low delay comes first (NetEq's accelerate
// removes whole pitch periods, up to half a block): 1.06 near the target, then 1.12, then 1.25, so
// that a start-up GOP burst (a server's cache of a second) is gone in a few seconds, not in twenty.
double accelerate_rate(Mode mode, double excess, double acc_on) {
  if (mode == Mode::kRtc) return excess > 400 ? 1.25 : (excess > 150 ? 1.12 : 1.06);
  return excess > 1000 ? 1.1 : (excess > acc_on * 2 ? 1.08 : 1.05);
}
}  // namespace

const char* operation_name(Operation op) {
  switch (op) {
    case Operation::kNormal: return "normal";
    case Operation::kBuffering: return "buffering";
    case Operation::kExpand: return "expand";
    case Operation::kAccelerate: return "accelerate";
    case Operation::kDecelerate: return "decelerate";
    case Operation::kSkipToKeyFrame: return "skip";
  }
  return "?";
}

double target_delay_ms(Mode mode, int32_t min_cache_ms, int32_t max_cache_ms, double jitter_ms) {
  if (mode == Mode::kRtc) return std::max(kRtcFloorMs, jitter_ms + kRtcSafetyMs);
  const double lo = std::max(0, min_cache_ms);
  const double hi = std::max<double>(lo, max_cache_ms);
  return std::clamp(jitter_ms * 1.2 + kLiveJitterMarginMs, lo, hi);
}

double skip_threshold_ms(Mode mode, int32_t max_cache_ms, double target_ms) {
  if (mode == Mode::kRtc) return target_ms + kRtcSkipAboveMs;
  const double hi = std::max<double>(target_ms, max_cache_ms);
  return std::max(hi + 2000, 2 * hi);
}

Decision decide(const DecisionInput& input) {
  DecisionInput in = input;
  if (in.mode == Mode::kLive && in.output_lead_ms > 0) {
    in.level_ms += in.output_lead_ms;
    in.raw_level_ms += in.output_lead_ms;
  }
  Decision d;
  d.target_ms = target_delay_ms(in.mode, in.min_cache_ms, in.max_cache_ms, in.jitter_ms);
  if (!in.playing) {
    // Start (or restart after rebuffering) once the target is buffered, or whatever is left at the end.
    const bool enough = in.raw_level_ms >= d.target_ms || (in.ended && in.raw_level_ms > 0);
    d.op = enough && in.data_ready ? Operation::kNormal : Operation::kBuffering;
    d.catch_up_pending = in.catch_up;
    return d;
  }
  // Catching up (resumed after a pause): to the key frame ahead as soon as there is one, before anything
  // else (the paused position may have no data left); until then the catch-up stays pending.
  const bool behind = in.raw_level_ms > d.target_ms + accelerate_on_ms(in.mode, d.target_ms);
  if (in.catch_up && behind) {
    if (in.key_frame_ahead) {
      d.op = Operation::kSkipToKeyFrame;
      return d;
    }
    d.catch_up_pending = true;
  }
  if (!in.data_ready) {
    d.op = Operation::kExpand;
    return d;
  }
  const double skip_at = skip_threshold_ms(in.mode, in.max_cache_ms, d.target_ms);
  if (in.key_frame_ahead && in.level_ms > skip_at) {
    d.op = Operation::kSkipToKeyFrame;
    return d;
  }
  const double excess = in.level_ms - d.target_ms;
  const double acc_on = accelerate_on_ms(in.mode, d.target_ms);
  const double acc_off = in.mode == Mode::kRtc ? 10.0 : 50.0;
  if (!in.ended && (excess > acc_on || (in.accelerating && excess > acc_off))) {
    d.op = Operation::kAccelerate;
    d.rate = accelerate_rate(in.mode, excess, acc_on);
    return d;
  }
  const double dec_on = decelerate_on_ms(in.mode, d.target_ms);
  if (!in.ended && (-excess > dec_on || (in.decelerating && -excess > acc_off))) {
    d.op = Operation::kDecelerate;
    d.rate = 0.95;
    return d;
  }
  d.op = Operation::kNormal;
  return d;
}

}  // namespace lw::play
