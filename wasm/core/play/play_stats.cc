// PlaySession netstatus (docs/api.md) plus what the jitter buffer knows.
#include <algorithm>
#include <cmath>

#include "play/play_state.h"

namespace lw::play {

NetStats PlaySession::Impl::net_stats(int64_t now_us) {
  NetStats s;
  s.video_bitrate_kbps = static_cast<int32_t>(video_bytes.per_second(now_us) * 8 / 1000);
  s.audio_bitrate_kbps = static_cast<int32_t>(audio_bytes.per_second(now_us) * 8 / 1000);
  s.net_speed_kbps = static_cast<int32_t>(net_bytes.per_second(now_us) * 8 / 1000);
  s.video_fps = static_cast<double>(shown_meter.per_second(now_us));
  s.video_gop_s = gop_s;
  s.net_jitter_ms = static_cast<int32_t>(estimator.jitter_us(now_us) / 1000);
  s.video_width = have_video_cfg ? video_cfg.width : 0;
  s.video_height = have_video_cfg ? video_cfg.height : 0;
  const int64_t heard = media_time_us(now_us);
  s.cache_ms = heard < 0 ? 0 : static_cast<int32_t>(std::max<int64_t>(0, newest_us - heard) / 1000);
  s.target_ms = static_cast<int32_t>(std::lround(target_ms));
  s.dropped_frames = dropped_frames;
  s.shown_frames = shown_frames;
  s.accelerate_ms = static_cast<int64_t>(accelerate_us / 1000);
  s.decelerate_ms = static_cast<int64_t>(decelerate_us / 1000);
  s.expand_ms = static_cast<int64_t>(expand_us / 1000);
  s.skips = skips;
  return s;
}

}  // namespace lw::play
