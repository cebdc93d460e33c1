#include "play/delay_estimator.h"

#include <algorithm>

namespace lw::play {

DelayEstimator::DelayEstimator(const Options& options) : opt_(options) { scratch_.reserve(4096); }

void DelayEstimator::reset() {
  for (Ring<Sample>& m : minima_) m.clear();
  lateness_.clear();
  last_arrival_us_ = -1;
  cached_jitter_us_ = 0;
  dirty_ = true;
}

void DelayEstimator::rebase() {
  for (Ring<Sample>& m : minima_) m.clear();
}

void DelayEstimator::expire(int64_t now_us) {
  for (Ring<Sample>& m : minima_) {
    while (!m.empty() && m.front().time_us < now_us - opt_.baseline_window_us) m.pop_front();
  }
  while (!lateness_.empty() && lateness_.front().time_us < now_us - opt_.jitter_window_us) {
    lateness_.pop_front();
    dirty_ = true;
  }
}

void DelayEstimator::add(int64_t media_us, int64_t arrival_us, int track) {
  const int64_t transit = arrival_us - media_us;
  last_arrival_us_ = arrival_us;
  expire(arrival_us);
  Ring<Sample>& minima = minima_[track > 0 && track < kTracks ? track : 0];
  // Monotonic queue: the front is the minimum of the window.
  while (!minima.empty() && minima.back().value_us >= transit) minima.pop_back();
  if (minima.size() + 1 >= minima.capacity()) minima.pop_front();
  minima.push_back({arrival_us, transit});
  const int64_t late = transit - minima.front().value_us;
  if (lateness_.size() + 1 >= lateness_.capacity()) lateness_.pop_front();
  lateness_.push_back({arrival_us, late});
  dirty_ = true;
}

int64_t DelayEstimator::jitter_us(int64_t now_us) {
  expire(now_us);
  // Recomputed at most every 100 ms: a percentile of a few thousand values is not free.
  if (cached_at_us_ >= 0 && (!dirty_ || now_us - cached_at_us_ < 100'000) && now_us >= cached_at_us_) {
    return cached_jitter_us_;
  }
  scratch_.clear();
  for (size_t i = 0; i < lateness_.size(); ++i) scratch_.push_back(lateness_[i].value_us);
  if (scratch_.empty()) {
    cached_jitter_us_ = 0;
  } else {
    const size_t k = std::min(scratch_.size() - 1, static_cast<size_t>(opt_.percentile * scratch_.size()));
    std::nth_element(scratch_.begin(), scratch_.begin() + k, scratch_.end());
    cached_jitter_us_ = scratch_[k];
  }
  cached_at_us_ = now_us;
  dirty_ = false;
  return cached_jitter_us_;
}

}  // namespace lw::play
