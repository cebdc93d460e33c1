// Arrival jitter from (media time, arrival time) per packet, after NetEq's delay manager, made
// drift-tolerant and burst-tolerant:
// - transit = arrival - media time; its baseline is the minimum over the last `baseline_window`
//   (10 s), so a 0.1 % sender/receiver clock drift (1 ms per second) moves the baseline with it;
// - lateness = transit - baseline as known when the packet arrives (causal). A server's GOP burst at
//   the start (a second of media arriving at once) therefore counts as early, not late: each packet of
//   the burst lowers the baseline instead of raising the lateness;
// - jitter = the 95th percentile of lateness over the last `jitter_window` (20 s), so one stall is
//   forgotten after the window and never counts forever;
// - each track (audio, video) has its own baseline: a constant offset between the tracks' transit (a
//   video encoder that takes 40 ms longer than the audio one, a server that interleaves late) is not
//   jitter. Pooled with one baseline, the slower track's packets all counted as late by that offset,
//   and the RTC target (jitter + 60 ms) carried it. The lateness samples of both tracks are pooled.
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

  static constexpr int kTracks = 2;
  // track: 0 (audio, or the only one) or 1 (video); out of range counts as 0.
  void add(int64_t media_us, int64_t arrival_us, int track = 0);
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
  Ring<Sample> minima_[kTracks] = {Ring<Sample>{1024}, Ring<Sample>{1024}};  // per track: monotonic
                                                                             // candidates for the window minimum
  Ring<Sample> lateness_{4096};  // (arrival, lateness)
  std::vector<int64_t> scratch_;
  int64_t last_arrival_us_ = -1;
  int64_t cached_at_us_ = -1;
  int64_t cached_jitter_us_ = 0;
  bool dirty_ = true;
};

}  // namespace lw::play
