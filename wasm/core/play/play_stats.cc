#include "play/play_stats.h"

#include <algorithm>
#include <iterator>

namespace lw::play {

void RateMeter::advance(int64_t now_us) {
  if (bucket_start_us_ < 0) bucket_start_us_ = now_us;
  if (now_us < bucket_start_us_) return;
  int64_t steps = (now_us - bucket_start_us_) / 100'000;
  if (steps >= 10) {
    std::fill(std::begin(buckets_), std::end(buckets_), 0);
    bucket_start_us_ += steps * 100'000;
    return;
  }
  while (steps-- > 0) {
    current_ = (current_ + 1) % 10;
    buckets_[current_] = 0;
    bucket_start_us_ += 100'000;
  }
}

void RateMeter::add(int64_t now_us, int64_t amount) {
  advance(now_us);
  buckets_[current_] += amount;
}

int64_t RateMeter::per_second(int64_t now_us) {
  advance(now_us);
  int64_t sum = 0;
  for (int64_t b : buckets_) sum += b;
  return sum;
}

void PlayStats::fill(int64_t now_us, NetStats* s) {
  s->video_bitrate_kbps = static_cast<int32_t>(video_bytes_.per_second(now_us) * 8 / 1000);
  s->audio_bitrate_kbps = static_cast<int32_t>(audio_bytes_.per_second(now_us) * 8 / 1000);
  s->net_speed_kbps = static_cast<int32_t>(net_bytes_.per_second(now_us) * 8 / 1000);
  s->video_fps = static_cast<double>(shown_meter_.per_second(now_us));
  s->dropped_frames = dropped_;
  s->shown_frames = shown_;
  s->accelerate_ms = static_cast<int64_t>(accelerate_us_ / 1000);
  s->decelerate_ms = static_cast<int64_t>(decelerate_us_ / 1000);
  s->expand_ms = static_cast<int64_t>(expand_us_ / 1000);
  s->skips = skips_;
}

}  // namespace lw::play
