// Which media time each output frame carries, and so which media time the device plays now (audio is
// the master clock). render_audio() appends one segment per block: (first output frame, media time
// of that frame, media microseconds per output frame: 1e6 * rate / output_rate, 0 while the clock
// stands still). set_played() says which output frame the device plays; between such reports (the
// worklet sends one every 10-20 ms) the position is extrapolated with the caller's clock, never past
// what was rendered.
#pragma once

#include <cstdint>

#include "play/ring.h"

namespace lw::play {

class OutputClock {
 public:
  explicit OutputClock(int32_t output_rate = 48000) : rate_(output_rate) {}

  void set_rate(int32_t output_rate) { rate_ = output_rate; }
  // A block of `frames` output frames starting at media time `media_us`; us_per_frame 0: stopped.
  // `valid` false: playback has not begun (media time -1).
  void append(int32_t frames, double media_us, double us_per_frame, bool valid);
  void set_played(int64_t played_frames, int64_t now_us);
  // Media time heard now, or -1 before playback began.
  int64_t media_time_us(int64_t now_us) const;
  int64_t rendered_frames() const { return rendered_; }
  // The output frame the device plays now (extrapolated).
  double played_position(int64_t now_us) const;
  void reset_played() { have_played_ = false; }

 private:
  struct Segment {
    int64_t start = 0;  // output frame index
    int64_t frames = 0;
    double media_us = 0;
    double us_per_frame = 0;
    bool valid = false;
  };
  int32_t rate_;
  int64_t rendered_ = 0;
  int64_t played_ = 0;
  int64_t played_at_us_ = 0;
  bool have_played_ = false;
  Ring<Segment> segments_{256};
};

}  // namespace lw::play
