// Arrival jitter from (media time, arrival time) per packet, after NetEq's delay manager, made
// drift-tolerant and burst-tolerant:
// - transit = arrival - media time; its baseline is the minimum over the last `baseline_window`
//   (10 s), so a 0.1 % sender/receiver clock drift (1 ms per second) moves the baseline with it;
// - lateness = transit - baseline as known when the packet arrives (causal). A server's GOP burst at
//   the start (a second of media arriving at once) therefore counts as early, not late: each packet of
//   the burst lowers the baseline instead of raising the lateness;
// - jitter = the 95th percentile of lateness over the last `jitter_window` (20 s), so one stall is
//   forgotten after the window and never counts forever.
#pragma once

#include <cstdint>
#include <vector>

#include "play/ring.h"

namespace lw::play {

class DelayEstimator {
 public:
  struct Options {
    int64_t baseline_window_us = 10'000'000;
    int64_t jitter_window_us = 20'000'000;
    double percentile = 0.95;
  };
  DelayEstimator() : DelayEstimator(Options{}) {}
  explicit DelayEstimator(const Options& options);

  void add(int64_t media_us, int64_t arrival_us);
  // Forget the baseline (the timeline was re-anchored); the lateness history stays.
  void rebase();
  void reset();
  // p95 lateness, microseconds.
  int64_t jitter_us(int64_t now_us);
  int64_t last_arrival_us() const { return last_arrival_us_; }
  bool has_data() const { return last_arrival_us_ >= 0; }

 private:
  struct Sample {
    int64_t time_us;
    int64_t value_us;
  };
  void expire(int64_t now_us);

  Options opt_;
  Ring<Sample> minima_{1024};    // monotonic (increasing transit) candidates for the window minimum
  Ring<Sample> lateness_{4096};  // (arrival, lateness)
  std::vector<int64_t> scratch_;
  int64_t last_arrival_us_ = -1;
  int64_t cached_at_us_ = -1;
  int64_t cached_jitter_us_ = 0;
  bool dirty_ = true;
};

}  // namespace lw::play
