// PlaySession's play-out: buffer status -> decide() -> the operation, rendered into the output block;
// the output clock records which media time each output frame carries. Audio is the master clock; a
// stream without (decodable) audio plays on the same clock with silent output. It owns the decoded
// sound (the PCM ring and what reads it), the clock, and the warnings about playback (2105, 2104, the
// 2007 after a stall).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "play/decision.h"
#include "play/level_filter.h"
#include "play/media_store.h"
#include "play/notice_queue.h"
#include "play/output_clock.h"
#include "play/pcm_ring.h"
#include "play/pcm_source.h"
#include "play/play_input.h"
#include "play/play_session.h"
#include "play/play_stats.h"
#include "play/resampler.h"
#include "play/time_stretch.h"
#include "play/video_schedule.h"

namespace lw::play {

class Playout {
 public:
  Playout(const PlayConfig& config, PlayInput& input, MediaStore& store, VideoSchedule& video,
          NoticeQueue& notices, PlayStats& stats);

  // The configuration changed (output rate).
  void configure();
  // Decoded sound, planar float.
  void push_pcm(int64_t pts_us, const float* planar, int32_t frames, int32_t channels, int32_t rate);
  void render(int64_t now_us, float* out, int32_t frames);
  void set_played_frames(int64_t played, int64_t now_us) { clock_.set_played(played, now_us); }
  int64_t media_time_us(int64_t now_us) const { return clock_.media_time_us(now_us); }
  void pause();
  void resume();
  // Resumed and not yet rendered since: the decision that takes a resumed stream to its live edge is
  // made at the next render, so a picture decoded before the pause must wait for it (the shell may
  // present between the two, and the clock still says the paused position).
  bool awaiting_decision() const { return resumed_; }
  // Where the last skip to a key frame went (INT64_MIN before any): pictures decoded before it, with an
  // earlier time, are stale (the clock reaches the new position only as the device plays on).
  int64_t skipped_to_us() const { return skipped_to_us_; }
  // Drops that follow a decode error are 2101's, not a stutter: the drop count starts again.
  void forget_drops() { drop_window_start_us_ = -1; }

  bool started() const { return started_; }
  Operation last_operation() const { return last_op_; }
  double target_ms() const { return target_ms_; }
  size_t pcm_bytes() const { return pcm_.bytes(); }

 private:
  bool audio_active() const;
  bool video_active() const;
  double video_end_us() const;
  double start_position_us() const;
  double level_us(double position_us) const;
  bool data_ready(double position_us, int32_t frames) const;
  void render_media(float* out, int32_t frames, double rate);
  void render_silence(float* out, int32_t frames, bool valid);
  void begin_playback(int64_t now_us);
  void audio_only_begin(int64_t now_us);
  void skip_to_key_frame(double target_us);
  void check_warnings(int64_t now_us, double target_ms);
  void check_drops(int64_t now_us);

  const PlayConfig& cfg_;
  PlayInput& input_;
  MediaStore& store_;
  VideoSchedule& video_;
  NoticeQueue& notices_;
  PlayStats& stats_;

  // Decoded sound and what reads it.
  PcmRing pcm_;
  Resampler resampler_;
  TimeStretch stretch_;
  PcmSource source_{pcm_, resampler_};
  std::vector<TimeStretch::Span> spans_;
  bool pcm_pushed_ = false;
  int64_t first_pcm_pts_after_stall_ = -1;

  LevelFilter filter_;
  OutputClock clock_;
  Operation last_op_ = Operation::kBuffering;
  bool started_ = false;   // playback began once
  bool playing_ = false;   // clock runs (not buffering)
  bool paused_ = false;
  bool catch_up_ = false;
  int64_t skipped_to_us_ = INT64_MIN;
  bool resumed_ = false;
  double read_us_ = 0;     // media time of the next output frame to render
  double target_ms_ = 0;
  int64_t jitter_us_ = 0;
  int64_t playing_since_us_ = -1;  // when playback first began
  int64_t underrun_since_us_ = -1;
  bool stall_episode_ = false;     // 2105 + 2007 raised for this underrun
  bool video_stall_episode_ = false;
  bool recv_lag_episode_ = false;
  // Frames dropped for want of time (the machine cannot keep up): counted per second of playback.
  int64_t drop_window_start_us_ = -1;
  int64_t drop_window_shown_ = 0, drop_window_dropped_ = 0, drop_window_skips_ = 0;
  bool drop_episode_ = false;      // 2105 raised for this spell of drops
};

}  // namespace lw::play
