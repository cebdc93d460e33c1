// What PlaySession counts for netstatus (docs/api.md): bytes per second by kind, pictures shown and
// dropped, key-frame skips, time stretched. Every part counts into it; only it keeps the counts.
#pragma once

#include <cstddef>
#include <cstdint>

#include "play/play_session.h"

namespace lw::play {

// Amounts per interval, over a sliding second (10 buckets of 100 ms).
class RateMeter {
 public:
  void add(int64_t now_us, int64_t amount);
  // Sum over the last second.
  int64_t per_second(int64_t now_us);

 private:
  void advance(int64_t now_us);
  int64_t buckets_[10] = {};
  int64_t bucket_start_us_ = -1;  // start of the current bucket
  size_t current_ = 0;
};

class PlayStats {
 public:
  void on_net_bytes(int64_t now_us, size_t bytes) { net_bytes_.add(now_us, static_cast<int64_t>(bytes)); }
  void on_video_bytes(int64_t now_us, size_t bytes) { video_bytes_.add(now_us, static_cast<int64_t>(bytes)); }
  void on_audio_bytes(int64_t now_us, size_t bytes) { audio_bytes_.add(now_us, static_cast<int64_t>(bytes)); }
  void on_shown(int64_t now_us) {
    ++shown_;
    shown_meter_.add(now_us, 1);
  }
  // Video frames lost on our side or the source's: never stored, dropped from the store, decoded late.
  void on_dropped(int64_t frames = 1) { dropped_ += frames; }
  void on_skip() { ++skips_; }
  // Play-out time removed (accelerate), added (decelerate) by the stretcher, or played as silence (expand).
  void on_accelerate(double us) { accelerate_us_ += us; }
  void on_decelerate(double us) { decelerate_us_ += us; }
  void on_expand(double us) { expand_us_ += us; }

  int64_t shown() const { return shown_; }
  int64_t dropped() const { return dropped_; }
  int64_t skips() const { return skips_; }

  // The rates and counts of `out` (the rest of NetStats is the other parts').
  void fill(int64_t now_us, NetStats* out);

 private:
  RateMeter net_bytes_, video_bytes_, audio_bytes_, shown_meter_;
  int64_t shown_ = 0, dropped_ = 0, skips_ = 0;
  double accelerate_us_ = 0, decelerate_us_ = 0, expand_us_ = 0;
};

}  // namespace lw::play
