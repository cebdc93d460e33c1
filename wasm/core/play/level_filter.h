// Buffer-level filter (NetEq's BufferLevelFilter): the delay buffered ahead of the play position
// rises in steps as packets arrive and falls smoothly as it plays, so decisions use a smoothed level.
// An exponential average with a time constant (time passes in), and time-stretching or a skip is
// subtracted at once (NetEq: SetTimeStretchedSamples) so the filter does not lag behind its own work.
#pragma once

#include <cstdint>

namespace lw::play {

class LevelFilter {
 public:
  explicit LevelFilter(int64_t time_constant_us = 500'000) : tau_us_(time_constant_us) {}

  void update(double level_us, int64_t now_us);
  // Media removed (> 0) or added (< 0) by the play-out itself.
  void shift(double removed_us) { filtered_us_ -= removed_us; }
  void reset() { have_ = false; filtered_us_ = 0; }
  void set(double level_us, int64_t now_us) {
    filtered_us_ = level_us;
    last_us_ = now_us;
    have_ = true;
  }
  double level_us() const { return filtered_us_; }

 private:
  int64_t tau_us_;
  double filtered_us_ = 0;
  int64_t last_us_ = 0;
  bool have_ = false;
};

}  // namespace lw::play
