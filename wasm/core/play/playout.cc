#include "play/playout.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lw::play {

Playout::Playout(const PlayConfig& config, PlayInput& input, MediaStore& store, VideoSchedule& video,
                 NoticeQueue& notices, PlayStats& stats)
    : cfg_(config), input_(input), store_(store), video_(video), notices_(notices), stats_(stats),
      clock_(config.output_rate) {}

namespace {
constexpr int64_t kAudioOnlyAfterUs = 1'000'000;  // sound without any video this long: audio-only
constexpr int64_t kStutterUs = 150'000;      // an underrun longer than this is a stall (2105 + 2007)
constexpr int64_t kTrackLagUs = 2'000'000;   // a track this far behind the other counts as absent
constexpr int64_t kUndecodedUs = 1'500'000;  // encoded audio this far ahead of any PCM: not decoded
constexpr int64_t kArrivalGapUs = 1'000'000; // no data this long while playing: 2104
constexpr int64_t kVideoStallUs = 200'000;
}  // namespace

bool Playout::audio_active() const {
  if (!input_.has_audio() || !input_.has_audio_config()) return false;
  if (input_.has_video() && store_.video_enabled() &&
      input_.newest_audio_us() < input_.newest_video_dts_us() - kTrackLagUs) {
    return false;
  }
  // Audio that the shell does not decode (no PCM while packets pile up) must not hold the clock.
  if (!pcm_pushed_) return input_.newest_audio_us() - input_.first_audio_us() < kUndecodedUs;
  return static_cast<double>(input_.newest_audio_us()) - pcm_.end_us() < kUndecodedUs;
}

// Where the video that arrived ends: the newest frame's time plus one interval.
double Playout::video_end_us() const {
  return static_cast<double>(input_.newest_video_dts_us()) + input_.video_frame_us();
}

bool Playout::video_active() const {
  if (!input_.has_video() || !store_.video_enabled() || !input_.has_video_config()) return false;
  return !input_.has_audio() || input_.newest_video_dts_us() >= input_.newest_audio_us() - kTrackLagUs;
}

double Playout::start_position_us() const {
  double pos = -1e18;
  if (video_active()) {
    if (video_.first_key_sent()) {
      // The first picture (already with the decoder, shown early): playback goes on from it. Starting
      // at the next key frame in the queue would hold that picture while the buffer fills and then
      // jump over the frames behind it.
      pos = std::max(pos, static_cast<double>(video_.first_key_pts_us()));
    } else {
      const size_t k = store_.video().next_key(0);
      if (k == store_.video().size()) return 1e18;  // no key frame yet: nothing to start with
      pos = std::max(pos, static_cast<double>(store_.video().at(k).pts_us));
    }
  }
  if (audio_active()) {
    if (pcm_.empty()) return 1e18;
    pos = std::max(pos, pcm_.start_us());
  }
  return pos;
}

double Playout::level_us(double position_us) const {
  if (std::fabs(position_us) >= 1e17) return 0;
  double end = 1e18;
  if (audio_active()) end = std::min(end, pcm_.end_us());
  if (video_active()) end = std::min(end, video_end_us());
  if (end >= 1e17) return 0;
  return end - position_us;
}

bool Playout::data_ready(double position_us, int32_t frames) const {
  const double block_us = frames * 1e6 / cfg_.output_rate;
  if (audio_active()) {
    const double need =
        position_us + block_us * 1.15 + 3e6 / 100 + Resampler::lookahead() * 1e6 / std::max(1, pcm_.rate());
    if (pcm_.empty() || pcm_.end_us() < need) return false;
  }
  if (video_active() && video_end_us() < position_us) return false;
  return audio_active() || video_active();
}

void Playout::render(int64_t now_us, float* out, int32_t frames) {
  if (frames <= 0 || out == nullptr) return;
  // The first 2007 comes with the first bytes (feed), so that it follows 2001 as in the original.
  jitter_us_ = input_.jitter_us(now_us);
  const double position = started_ ? read_us_ : start_position_us();
  const double level = level_us(position);
  filter_.update(level, now_us);

  DecisionInput in;
  in.mode = cfg_.mode;
  in.min_cache_ms = cfg_.min_cache_ms;
  in.max_cache_ms = cfg_.max_cache_ms;
  in.playing = playing_ && !paused_;
  in.accelerating = last_op_ == Operation::kAccelerate;
  in.decelerating = last_op_ == Operation::kDecelerate;
  in.data_ready = data_ready(position, frames);
  in.ended = input_.ended();
  in.catch_up = catch_up_;
  in.level_ms = filter_.level_us() / 1000;
  in.raw_level_ms = level / 1000;
  in.jitter_ms = static_cast<double>(jitter_us_) / 1000;
  if (playing_) {
    const int64_t heard = clock_.media_time_us(now_us);
    if (heard >= 0) in.output_lead_ms = std::max(0.0, read_us_ - static_cast<double>(heard)) / 1000;
  }
  if (started_ && video_active()) {
    // A key frame to skip to: stored ahead of the play position.
    for (size_t i = 0; i < store_.video().size(); ++i) {
      if (store_.video().at(i).key && static_cast<double>(store_.video().at(i).pts_us) > read_us_) {
        in.key_frame_ahead = true;
        break;
      }
    }
  } else if (started_) {
    in.key_frame_ahead = audio_active();  // audio-only: any position is a key frame
  }
  const Decision d = decide(in);
  target_ms_ = d.target_ms;
  catch_up_ = d.catch_up_pending;
  resumed_ = false;
  check_warnings(now_us, d.target_ms);

  if (paused_) {
    render_silence(out, frames, started_);
    return;
  }
  Operation op = d.op;
  switch (op) {
    case Operation::kBuffering:
      render_silence(out, frames, started_);
      break;
    case Operation::kExpand: {
      render_silence(out, frames, true);
      if (underrun_since_us_ < 0) underrun_since_us_ = now_us;
      stats_.on_expand(frames * 1e6 / cfg_.output_rate);
      if (now_us - underrun_since_us_ >= kStutterUs && !input_.ended()) {
        // A stall: playback stops until the buffer holds the target again.
        playing_ = false;
        first_pcm_pts_after_stall_ = -1;
        if (!stall_episode_) {
          stall_episode_ = true;
          notices_.notify(kPlayLag, "playback stuttered: no media for " +
                               std::to_string((now_us - underrun_since_us_) / 1000) + " ms");
          notices_.notify(kLoading, "buffering: waiting for media after a stall");
        }
      }
      break;
    }
    case Operation::kSkipToKeyFrame:
      skip_to_key_frame(d.target_ms * 1000);
      render_media(out, frames, 1.0);
      op = Operation::kNormal;
      break;
    case Operation::kNormal:
      if (!playing_) begin_playback(now_us);
      audio_only_begin(now_us);
      render_media(out, frames, 1.0);
      break;
    case Operation::kAccelerate:
    case Operation::kDecelerate: {
      const double before = read_us_;
      render_media(out, frames, d.rate);
      // What the stretcher really removed or added (its windows sit where the waveform fits).
      const double stretched = (read_us_ - before) - frames * 1e6 / cfg_.output_rate;
      if (d.rate > 1) stats_.on_accelerate(stretched); else stats_.on_decelerate(-stretched);
      filter_.shift(stretched);
      break;
    }
  }
  if (op != Operation::kExpand && op != Operation::kBuffering) underrun_since_us_ = -1;
  last_op_ = op;
}

// An audio-only stream has no picture to show: its sound beginning is its 2004. Audio-only is what the
// FLV header says, or no video at all after a second of sound (a server may send audio before the first
// video key frame, so the first moments alone do not tell).
void Playout::audio_only_begin(int64_t now_us) {
  if (video_.began() || input_.has_video() || playing_since_us_ < 0) return;
  if (input_.header_has_video() && now_us - playing_since_us_ < kAudioOnlyAfterUs) return;
  video_.begin_audio_only();
}

void Playout::begin_playback(int64_t now_us) {
  if (!started_) {
    started_ = true;
    read_us_ = start_position_us();
    // Video before the first key frame cannot be shown: the store never kept it.
  } else if (first_pcm_pts_after_stall_ >= 0 && static_cast<double>(first_pcm_pts_after_stall_) > read_us_ + 1000) {
    // Re-anchor after a stall: media lost in the stall is skipped, not played as silence.
    read_us_ = static_cast<double>(first_pcm_pts_after_stall_);
  }
  const PacketQueue& stored = store_.video();
  if (!audio_active() && video_active() && !stored.empty() && static_cast<double>(stored.front().dts_us) > read_us_ &&
      started_ && last_op_ != Operation::kNormal) {
    read_us_ = std::max(read_us_, static_cast<double>(stored.front().pts_us));
  }
  stretch_.stop();  // a new epoch at the read position (fades in)
  playing_ = true;
  if (playing_since_us_ < 0) playing_since_us_ = now_us;
  audio_only_begin(now_us);
  stall_episode_ = false;
  underrun_since_us_ = -1;
  first_pcm_pts_after_stall_ = -1;
  filter_.set(level_us(read_us_), now_us);
}

void Playout::render_media(float* out, int32_t frames, double rate) {
  const int32_t oc = cfg_.output_channels;
  if (audio_active() && pcm_.rate() > 0) {
    stretch_.configure(cfg_.output_rate, oc);
    source_.set_output(cfg_.output_rate, oc);
    if (!stretch_.started()) {
      // Start on the PCM's sample grid (cheaper reads when the rates match, and exact).
      stretch_.start(pcm_.to_us(std::round(pcm_.to_index(read_us_))));
    }
    spans_.clear();
    stretch_.render(source_, rate, out, frames, 0, frames, &spans_);
    for (const TimeStretch::Span& s : spans_) clock_.append(s.frames, s.media_us, s.us_per_frame, true);
    read_us_ = stretch_.next_media_us();
    pcm_.drop_before(static_cast<int64_t>(pcm_.to_index(read_us_ - stretch_.lookbehind_us())) - Resampler::kTaps);
    return;
  }
  stretch_.stop();
  const double us_per_frame = 1e6 * rate / cfg_.output_rate;
  std::memset(out, 0, static_cast<size_t>(frames) * oc * sizeof(float));
  clock_.append(frames, read_us_, us_per_frame, true);
  read_us_ += us_per_frame * frames;
  if (pcm_.rate() > 0) pcm_.drop_before(static_cast<int64_t>(pcm_.to_index(read_us_)) - Resampler::kTaps);
}

// Silence with the clock standing still; a running stretcher first fades out (no click).
void Playout::render_silence(float* out, int32_t frames, bool valid) {
  std::memset(out, 0, static_cast<size_t>(frames) * cfg_.output_channels * sizeof(float));
  if (stretch_.started()) stretch_.flush(out, frames, 0, frames);
  clock_.append(frames, read_us_, 0, valid);
}

void Playout::skip_to_key_frame(double target_us) {
  // The latest key frame that still leaves the target buffered; else the first one ahead.
  const double end = read_us_ + level_us(read_us_);
  size_t pick = store_.video().size();
  for (size_t i = 0; i < store_.video().size(); ++i) {
    const StoredPacket& p = store_.video().at(i);
    if (!p.key || static_cast<double>(p.pts_us) <= read_us_) continue;
    if (pick == store_.video().size() || end - static_cast<double>(p.pts_us) >= target_us) pick = i;
  }
  double to = end - target_us;
  if (pick < store_.video().size()) {
    to = static_cast<double>(store_.video().at(pick).pts_us);
    for (size_t i = 0; i < pick; ++i) store_.drop_video_front();
  } else if (video_active()) {
    return;
  }
  if (to <= read_us_) return;
  read_us_ = to;
  skipped_to_us_ = static_cast<int64_t>(to);
  stretch_.stop();  // a new epoch at the key frame (fades in)
  if (pcm_.rate() > 0) pcm_.drop_before(static_cast<int64_t>(pcm_.to_index(read_us_)) - Resampler::kTaps);
  stats_.on_skip();
  filter_.shift(filter_.level_us() - level_us(read_us_));
}

void Playout::check_warnings(int64_t now_us, double target) {
  if (!started_ || paused_) return;
  // 2104: arrival unsteady (a gap in arrivals, or jitter above what the buffer can absorb).
  const double limit_ms = std::max(500.0, target);
  const bool gap = input_.has_arrivals() && now_us - input_.last_arrival_us() > kArrivalGapUs && !input_.ended();
  const bool jittery = static_cast<double>(jitter_us_) / 1000 > limit_ms;
  if ((gap || jittery) && !recv_lag_episode_) {
    recv_lag_episode_ = true;
    notices_.notify(kRecvLag, gap ? "incoming stream unsteady: no data for over a second"
                         : "incoming stream unsteady: arrival jitter " + std::to_string(jitter_us_ / 1000) + " ms");
  } else if (!gap && static_cast<double>(jitter_us_) / 1000 < 0.8 * limit_ms &&
             now_us - input_.last_arrival_us() < 200'000) {
    recv_lag_episode_ = false;
  }
  check_drops(now_us);
  // 2105 for video alone: audio plays on but no picture is there to show.
  if (playing_ && audio_active() && video_active()) {
    const bool starved = video_end_us() + kVideoStallUs < read_us_;
    if (starved && !video_stall_episode_ && !stall_episode_) {
      video_stall_episode_ = true;
      notices_.notify(kPlayLag, "playback stuttered: video late");
    } else if (!starved) {
      video_stall_episode_ = false;
    }
  }
}

// 2105 when pictures are dropped for want of time: in a second of playback, at least 5 frames and a fifth
// of those due were dropped (superseded before a refresh, late, no decoder slot). Once per spell: the
// spell ends after a second with under a twentieth dropped. droppedFrames counts them all; this tells
// the page that the picture stutters although the stream is fine (the machine cannot keep up). The
// backlog dropped on purpose while playback (re)starts or jumps to a key frame (late frames, counted
// too), and what a decode error drops to the next key frame (2101), are not a stutter: the count starts
// 2 s after any of them.
void Playout::check_drops(int64_t now_us) {
  constexpr int64_t kWindowUs = 1'000'000;
  constexpr int64_t kSettleUs = 2'000'000;
  if (!playing_ || paused_ || !store_.video_enabled() || !video_active() || stats_.skips() != drop_window_skips_) {
    drop_window_start_us_ = -1;
    drop_window_skips_ = stats_.skips();
    return;
  }
  if (drop_window_start_us_ < 0) drop_window_start_us_ = now_us + kSettleUs;
  if (now_us <= drop_window_start_us_) {  // settling: the window starts from here
    drop_window_shown_ = stats_.shown();
    drop_window_dropped_ = stats_.dropped();
    return;
  }
  if (now_us - drop_window_start_us_ < kWindowUs) return;
  const int64_t dropped = stats_.dropped() - drop_window_dropped_;
  const int64_t due = dropped + (stats_.shown() - drop_window_shown_);
  if (dropped >= 5 && dropped * 5 >= due) {
    if (!drop_episode_) {
      drop_episode_ = true;
      notices_.notify(kPlayLag, "playback stuttered: " + std::to_string(dropped) + " of " + std::to_string(due) +
                           " pictures dropped in the last second (the machine cannot keep up)");
    }
  } else if (dropped * 20 < due) {
    drop_episode_ = false;
  }
  drop_window_start_us_ = now_us;
  drop_window_shown_ = stats_.shown();
  drop_window_dropped_ = stats_.dropped();
}


void Playout::pause() { paused_ = true; }

void Playout::resume() {
  if (!paused_) return;
  paused_ = false;
  resumed_ = true;
  catch_up_ = true;  // a live stream resumes at its live edge, not where it paused
}

void Playout::configure() {
  clock_.set_rate(cfg_.output_rate);
  if (pcm_.rate() > 0) resampler_.configure(std::min(1.0, double(cfg_.output_rate) / pcm_.rate()) * 0.92);
}

void Playout::push_pcm(int64_t pts_us, const float* planar, int32_t frames, int32_t channels, int32_t rate) {
  if (frames <= 0 || channels <= 0 || rate <= 0 || planar == nullptr) return;
  const int32_t old_rate = pcm_.rate();
  pcm_.push(pts_us, planar, frames, channels, rate);
  if (pcm_.rate() != old_rate && pcm_.rate() > 0) {
    resampler_.configure(std::min(1.0, double(cfg_.output_rate) / pcm_.rate()) * 0.92);
  }
  pcm_pushed_ = true;
  if (started_ && !playing_ && first_pcm_pts_after_stall_ < 0) first_pcm_pts_after_stall_ = pts_us;
}

}  // namespace lw::play
