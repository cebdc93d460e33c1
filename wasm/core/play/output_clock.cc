#include "play/output_clock.h"

#include <algorithm>
#include <cmath>

namespace lw::play {

namespace {
// Segments kept: a few seconds of 10 ms blocks is far more than any device buffer.
constexpr size_t kMaxSegments = 512;
}  // namespace

void OutputClock::append(int32_t frames, double media_us, double us_per_frame, bool valid) {
  if (frames <= 0) return;
  // Merge with the previous segment when it simply continues it (steady play keeps the ring short).
  if (!segments_.empty()) {
    Segment& last = segments_.back();
    const double expected = last.media_us + last.us_per_frame * static_cast<double>(last.frames);
    if (last.valid == valid && last.us_per_frame == us_per_frame && std::fabs(expected - media_us) < 1.0 &&
        last.frames < 48000) {
      last.frames += frames;
      rendered_ += frames;
      return;
    }
  }
  if (segments_.size() >= kMaxSegments) segments_.pop_front();
  segments_.push_back({rendered_, frames, media_us, us_per_frame, valid});
  rendered_ += frames;
}

void OutputClock::set_played(int64_t played_frames, int64_t now_us) {
  played_ = std::clamp<int64_t>(played_frames, 0, rendered_);
  played_at_us_ = now_us;
  have_played_ = true;
}

double OutputClock::played_position(int64_t now_us) const {
  if (!have_played_) return static_cast<double>(rendered_);
  const double elapsed = std::max<double>(0, static_cast<double>(now_us - played_at_us_));
  // Extrapolate at most 100 ms: a device that stopped reporting has stopped playing.
  const double pos = static_cast<double>(played_) + std::min(elapsed, 100'000.0) * rate_ / 1e6;
  return std::min(pos, static_cast<double>(rendered_));
}

int64_t OutputClock::media_time_us(int64_t now_us) const {
  if (segments_.empty()) return -1;
  const double pos = played_position(now_us);
  // Newest first: the device plays near the end of what was rendered.
  for (size_t i = segments_.size(); i-- > 0;) {
    const Segment& s = segments_[i];
    if (pos >= static_cast<double>(s.start) || i == 0) {
      if (!s.valid) return -1;
      const double into = std::clamp(pos - static_cast<double>(s.start), 0.0, static_cast<double>(s.frames));
      return static_cast<int64_t>(std::llround(s.media_us + into * s.us_per_frame));
    }
  }
  return -1;
}

}  // namespace lw::play
