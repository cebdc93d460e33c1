#include "play/level_filter.h"

#include <algorithm>

namespace lw::play {

void LevelFilter::update(double level_us, int64_t now_us) {
  if (!have_ || now_us < last_us_) {
    set(level_us, now_us);
    return;
  }
  const double dt = static_cast<double>(now_us - last_us_);
  last_us_ = now_us;
  // First-order low-pass: alpha = dt / (tau + dt), exact enough for ticks much shorter than tau.
  const double alpha = std::clamp(dt / (static_cast<double>(tau_us_) + dt), 0.0, 1.0);
  filtered_us_ += alpha * (level_us - filtered_us_);
}

}  // namespace lw::play
