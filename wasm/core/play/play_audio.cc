// PlaySession play-out: buffer status -> decide() -> the operation, rendered into the output block;
// the output clock records which media time each output frame carries. Audio is the master clock; a
// stream without (decodable) audio plays on the same clock with silent output.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "play/play_state.h"

namespace lw::play {

namespace {
constexpr int64_t kAudioOnlyAfterUs = 1'000'000;  // sound without any video this long: audio-only
constexpr int64_t kStutterUs = 150'000;      // an underrun longer than this is a stall (2105 + 2007)
constexpr int64_t kTrackLagUs = 2'000'000;   // a track this far behind the other counts as absent
constexpr int64_t kUndecodedUs = 1'500'000;  // encoded audio this far ahead of any PCM: not decoded
constexpr int64_t kArrivalGapUs = 1'000'000; // no data this long while playing: 2104
constexpr int64_t kVideoStallUs = 200'000;
}  // namespace

bool PlaySession::Impl::audio_active() const {
  if (!have_audio || !have_audio_cfg) return false;
  if (have_video && video_enabled && newest_audio_us < newest_video_dts_us - kTrackLagUs) return false;
  // Audio that the shell does not decode (no PCM while packets pile up) must not hold the clock.
  if (!pcm_pushed) return newest_audio_us - first_audio_us < kUndecodedUs;
  return static_cast<double>(newest_audio_us) - pcm.end_us() < kUndecodedUs;
}

bool PlaySession::Impl::video_active() const {
  if (!have_video || !video_enabled || !have_video_cfg) return false;
  return !have_audio || newest_video_dts_us >= newest_audio_us - kTrackLagUs;
}

double PlaySession::Impl::start_position_us() const {
  double pos = -1e18;
  if (video_active()) {
    if (first_key_sent) {
      // The first picture (already with the decoder, shown early): playback goes on from it. Starting
      // at the next key frame in the queue would hold that picture while the buffer fills and then
      // jump over the frames behind it.
      pos = std::max(pos, static_cast<double>(first_key_pts_us));
    } else {
      const size_t k = video_q.next_key(0);
      if (k == video_q.size()) return 1e18;  // no key frame yet: nothing to start with
      pos = std::max(pos, static_cast<double>(video_q.at(k).pts_us));
    }
  }
  if (audio_active()) {
    if (pcm.empty()) return 1e18;
    pos = std::max(pos, pcm.start_us());
  }
  return pos;
}

double PlaySession::Impl::level_us(double position_us) const {
  if (std::fabs(position_us) >= 1e17) return 0;
  double end = 1e18;
  if (audio_active()) end = std::min(end, pcm.end_us());
  if (video_active()) end = std::min(end, static_cast<double>(newest_video_dts_us) + video_frame_us);
  if (end >= 1e17) return 0;
  return end - position_us;
}

bool PlaySession::Impl::data_ready(double position_us, int32_t frames) const {
  const double block_us = frames * 1e6 / cfg.output_rate;
  if (audio_active()) {
    const double need = position_us + block_us * 1.15 + 3e6 / 100 + Resampler::lookahead() * 1e6 / std::max(1, pcm.rate());
    if (pcm.empty() || pcm.end_us() < need) return false;
  }
  if (video_active() && static_cast<double>(newest_video_dts_us) + video_frame_us < position_us) return false;
  return audio_active() || video_active();
}

void PlaySession::Impl::render_audio(int64_t now_us, float* out, int32_t frames) {
  if (frames <= 0 || out == nullptr) return;
  // The first 2007 comes with the first bytes (feed), so that it follows 2001 as in the original.
  jitter_us = estimator.jitter_us(now_us);
  const double position = started ? read_us : start_position_us();
  const double level = level_us(position);
  filter.update(level, now_us);

  DecisionInput in;
  in.mode = cfg.mode;
  in.min_cache_ms = cfg.min_cache_ms;
  in.max_cache_ms = cfg.max_cache_ms;
  in.playing = playing && !paused;
  in.accelerating = last_op == Operation::kAccelerate;
  in.decelerating = last_op == Operation::kDecelerate;
  in.data_ready = data_ready(position, frames);
  in.ended = ended;
  in.catch_up = catch_up;
  in.level_ms = filter.level_us() / 1000;
  in.raw_level_ms = level / 1000;
  in.jitter_ms = static_cast<double>(jitter_us) / 1000;
  if (playing) {
    const int64_t heard = media_time_us(now_us);
    if (heard >= 0) in.output_lead_ms = std::max(0.0, read_us - static_cast<double>(heard)) / 1000;
  }
  if (started && video_active()) {
    // A key frame to skip to: stored ahead of the play position.
    for (size_t i = 0; i < video_q.size(); ++i) {
      if (video_q.at(i).key && static_cast<double>(video_q.at(i).pts_us) > read_us) {
        in.key_frame_ahead = true;
        break;
      }
    }
  } else if (started) {
    in.key_frame_ahead = audio_active();  // audio-only: any position is a key frame
  }
  const Decision d = decide(in);
  target_ms = d.target_ms;
  catch_up = false;
  check_warnings(now_us, d.target_ms);

  if (paused) {
    render_silence(out, frames, started);
    return;
  }
  Operation op = d.op;
  switch (op) {
    case Operation::kBuffering:
      render_silence(out, frames, started);
      break;
    case Operation::kExpand: {
      render_silence(out, frames, true);
      if (underrun_since_us < 0) underrun_since_us = now_us;
      expand_us += frames * 1e6 / cfg.output_rate;
      if (now_us - underrun_since_us >= kStutterUs && !ended) {
        // A stall: playback stops until the buffer holds the target again.
        playing = false;
        first_pcm_pts_after_stall = -1;
        if (!stall_episode) {
          stall_episode = true;
          notify(kPlayLag, "playback stuttered: no media for " +
                               std::to_string((now_us - underrun_since_us) / 1000) + " ms");
          raise_loading("buffering: waiting for media after a stall");
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
      if (!playing) begin_playback(now_us);
      audio_only_begin(now_us);
      render_media(out, frames, 1.0);
      break;
    case Operation::kAccelerate:
    case Operation::kDecelerate: {
      const double before = read_us;
      render_media(out, frames, d.rate);
      // What the stretcher really removed or added (its windows sit where the waveform fits).
      const double stretched = (read_us - before) - frames * 1e6 / cfg.output_rate;
      if (d.rate > 1) accelerate_us += stretched; else decelerate_us -= stretched;
      filter.shift(stretched);
      break;
    }
  }
  if (op != Operation::kExpand && op != Operation::kBuffering) underrun_since_us = -1;
  last_op = op;
}

// An audio-only stream has no picture to show: its sound beginning is its 2004. Audio-only is what the
// FLV header says, or no video at all after a second of sound (a server may send audio before the first
// video key frame, so the first moments alone do not tell).
void PlaySession::Impl::audio_only_begin(int64_t now_us) {
  if (first_shown || have_video || playing_since_us < 0) return;
  if (header_has_video && now_us - playing_since_us < kAudioOnlyAfterUs) return;
  first_shown = true;
  notify(kPlayBegin, "playback began (audio only)");
}

void PlaySession::Impl::begin_playback(int64_t now_us) {
  if (!started) {
    started = true;
    read_us = start_position_us();
    // Video before the first key frame cannot be shown: it was never stored (video_wait_key).
  } else if (first_pcm_pts_after_stall >= 0 && static_cast<double>(first_pcm_pts_after_stall) > read_us + 1000) {
    // Re-anchor after a stall: media lost in the stall is skipped, not played as silence.
    read_us = static_cast<double>(first_pcm_pts_after_stall);
  }
  if (!audio_active() && video_active() && !video_q.empty() && static_cast<double>(video_q.front().dts_us) > read_us &&
      started && last_op != Operation::kNormal) {
    read_us = std::max(read_us, static_cast<double>(video_q.front().pts_us));
  }
  stretch.stop();  // a new epoch at read_us (fades in)
  playing = true;
  if (playing_since_us < 0) playing_since_us = now_us;
  audio_only_begin(now_us);
  stall_episode = false;
  underrun_since_us = -1;
  first_pcm_pts_after_stall = -1;
  filter.set(level_us(read_us), now_us);
}

void PlaySession::Impl::render_media(float* out, int32_t frames, double rate) {
  const int32_t oc = cfg.output_channels;
  if (audio_active() && pcm.rate() > 0) {
    stretch.configure(cfg.output_rate, oc);
    source.set_output(cfg.output_rate, oc);
    if (!stretch.started()) {
      // Start on the PCM's sample grid (cheaper reads when the rates match, and exact).
      stretch.start(pcm.to_us(std::round(pcm.to_index(read_us))));
    }
    spans.clear();
    stretch.render(source, rate, out, frames, 0, frames, &spans);
    for (const TimeStretch::Span& s : spans) clock.append(s.frames, s.media_us, s.us_per_frame, true);
    read_us = stretch.next_media_us();
    pcm.drop_before(static_cast<int64_t>(pcm.to_index(read_us - stretch.lookbehind_us())) - Resampler::kTaps);
    return;
  }
  stretch.stop();
  const double us_per_frame = 1e6 * rate / cfg.output_rate;
  std::memset(out, 0, static_cast<size_t>(frames) * oc * sizeof(float));
  clock.append(frames, read_us, us_per_frame, true);
  read_us += us_per_frame * frames;
  if (pcm.rate() > 0) pcm.drop_before(static_cast<int64_t>(pcm.to_index(read_us)) - Resampler::kTaps);
}

// Silence with the clock standing still; a running stretcher first fades out (no click).
void PlaySession::Impl::render_silence(float* out, int32_t frames, bool valid) {
  std::memset(out, 0, static_cast<size_t>(frames) * cfg.output_channels * sizeof(float));
  if (stretch.started()) stretch.flush(out, frames, 0, frames);
  clock.append(frames, read_us, 0, valid);
}

void PlaySession::Impl::skip_to_key_frame(double target_us) {
  // The latest key frame that still leaves the target buffered; else the first one ahead.
  const double end = read_us + level_us(read_us);
  size_t pick = video_q.size();
  for (size_t i = 0; i < video_q.size(); ++i) {
    const StoredPacket& p = video_q.at(i);
    if (!p.key || static_cast<double>(p.pts_us) <= read_us) continue;
    if (pick == video_q.size() || end - static_cast<double>(p.pts_us) >= target_us) pick = i;
  }
  double to = end - target_us;
  if (pick < video_q.size()) {
    to = static_cast<double>(video_q.at(pick).pts_us);
    for (size_t i = 0; i < pick; ++i) drop_video_front();
  } else if (video_active()) {
    return;
  }
  if (to <= read_us) return;
  read_us = to;
  stretch.stop();  // a new epoch at the key frame (fades in)
  if (pcm.rate() > 0) pcm.drop_before(static_cast<int64_t>(pcm.to_index(read_us)) - Resampler::kTaps);
  ++skips;
  filter.shift(filter.level_us() - level_us(read_us));
}

void PlaySession::Impl::check_warnings(int64_t now_us, double target) {
  if (!started || paused) return;
  // 2104: arrival unsteady (a gap in arrivals, or jitter above what the buffer can absorb).
  const double limit_ms = std::max(500.0, target);
  const bool gap = estimator.has_data() && now_us - estimator.last_arrival_us() > kArrivalGapUs && !ended;
  const bool jittery = static_cast<double>(jitter_us) / 1000 > limit_ms;
  if ((gap || jittery) && !recv_lag_episode) {
    recv_lag_episode = true;
    notify(kRecvLag, gap ? "incoming stream unsteady: no data for over a second"
                         : "incoming stream unsteady: arrival jitter " + std::to_string(jitter_us / 1000) + " ms");
  } else if (!gap && static_cast<double>(jitter_us) / 1000 < 0.8 * limit_ms &&
             now_us - estimator.last_arrival_us() < 200'000) {
    recv_lag_episode = false;
  }
  check_drops(now_us);
  // 2105 for video alone: audio plays on but no picture is there to show.
  if (playing && audio_active() && video_active()) {
    const bool starved = static_cast<double>(newest_video_dts_us) + video_frame_us + kVideoStallUs < read_us;
    if (starved && !video_stall_episode && !stall_episode) {
      video_stall_episode = true;
      notify(kPlayLag, "playback stuttered: video late");
    } else if (!starved) {
      video_stall_episode = false;
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
void PlaySession::Impl::check_drops(int64_t now_us) {
  constexpr int64_t kWindowUs = 1'000'000;
  constexpr int64_t kSettleUs = 2'000'000;
  if (!playing || paused || !video_enabled || !video_active() || skips != drop_window_skips) {
    drop_window_start_us = -1;
    drop_window_skips = skips;
    return;
  }
  if (drop_window_start_us < 0) drop_window_start_us = now_us + kSettleUs;
  if (now_us <= drop_window_start_us) {  // settling: the window starts from here
    drop_window_shown = shown_frames;
    drop_window_dropped = dropped_frames;
    return;
  }
  if (now_us - drop_window_start_us < kWindowUs) return;
  const int64_t dropped = dropped_frames - drop_window_dropped;
  const int64_t due = dropped + (shown_frames - drop_window_shown);
  if (dropped >= 5 && dropped * 5 >= due) {
    if (!drop_episode) {
      drop_episode = true;
      notify(kPlayLag, "playback stuttered: " + std::to_string(dropped) + " of " + std::to_string(due) +
                           " pictures dropped in the last second (the machine cannot keep up)");
    }
  } else if (dropped * 20 < due) {
    drop_episode = false;
  }
  drop_window_start_us = now_us;
  drop_window_shown = shown_frames;
  drop_window_dropped = dropped_frames;
}

void PlaySession::Impl::pause(int64_t now_us) {
  (void)now_us;
  paused = true;
}

void PlaySession::Impl::resume(int64_t now_us) {
  (void)now_us;
  if (!paused) return;
  paused = false;
  catch_up = true;  // a live stream resumes at its live edge, not where it paused
}

}  // namespace lw::play
