// PlaySession's parts, each owning its state and asked by the others (one way: input -> store;
// video -> input, store; play-out -> input, store, video):
//   PlayInput (play_input.h)        FLV in, track configurations, arrival, the internal timeline
//   MediaStore (media_store.h)      the encoded packets until the decoders take them
//   VideoSchedule (video_schedule.h) which packets to decode now, what to do with each picture
//   Playout (playout.h)             decide(), the sound, the clock, the playback warnings
//   PlayStats, NoticeQueue          what every part counts and raises
// This file wires them and keeps the decoder-fallback decision (decoder_fallback.h). Internal to
// wasm/core/play/.
#include "play/play_session.h"

#include <algorithm>
#include <cmath>

#include "play/decoder_fallback.h"
#include "play/media_store.h"
#include "play/notice_queue.h"
#include "play/play_input.h"
#include "play/play_stats.h"
#include "play/playout.h"
#include "play/video_schedule.h"

namespace lw::play {

struct PlaySession::Impl {
  explicit Impl(const PlayConfig& config)
      : cfg(clamped(config)),
        store(stats),
        input(cfg, store, notices, stats),
        video(input, store, notices, stats),
        playout(cfg, input, store, video, notices, stats) {
    playout.configure();
  }

  static PlayConfig clamped(PlayConfig c) {
    c.output_rate = std::clamp(c.output_rate, 8000, 192000);
    c.output_channels = std::clamp(c.output_channels, 1, 8);
    c.min_cache_ms = std::clamp(c.min_cache_ms, 0, 60'000);
    c.max_cache_ms = std::clamp(c.max_cache_ms, c.min_cache_ms, 60'000);
    return c;
  }

  void report_decode_error(TrackKind kind, const std::string& reason) {
    if (kind == TrackKind::kVideo) {
      notices.notify(kVideoDecodeFail, "video decoding failed: " + reason);
      store.resume_video_at_key();
      playout.forget_drops();  // those drops are 2101's, not a stutter
    } else {
      notices.notify(kAudioDecodeFail, "audio decoding failed: " + reason);
    }
  }

  PlayConfig cfg;
  NoticeQueue notices;
  PlayStats stats;
  MediaStore store;
  PlayInput input;
  VideoSchedule video;
  Playout playout;
  DecoderFallback video_fallback{true};  // the browser's decoders
  DecoderFallback audio_fallback{false};
};

PlaySession::PlaySession(const PlayConfig& config) : impl_(std::make_unique<Impl>(config)) {}
PlaySession::~PlaySession() = default;

void PlaySession::configure(const PlayConfig& config) {
  impl_->cfg = Impl::clamped(config);
  impl_->playout.configure();
}
void PlaySession::feed(ByteSpan flv, int64_t now_us) { impl_->input.feed(flv, now_us); }
void PlaySession::end_of_input(int64_t now_us) { impl_->input.end_of_input(now_us); }
void PlaySession::restart_input(int64_t now_us) {
  (void)now_us;
  impl_->input.restart();
}
void PlaySession::note_source_drop(int64_t now_us, int64_t video_frames) {
  (void)now_us;
  if (video_frames > 0) impl_->stats.on_dropped(video_frames);
  impl_->notices.notify(kDiscontinuity, "the source dropped frames" +
                                            (video_frames > 0 ? ": " + std::to_string(video_frames) + " video frames"
                                                              : std::string()));
}
bool PlaySession::next_notice(Notice* out) { return impl_->notices.next(out); }
bool PlaySession::next_track_config(TrackConfig* out) { return impl_->input.next_track_config(out); }
bool PlaySession::next_track_event(TrackEvent* out) { return impl_->input.track_select().next_event(out); }
std::vector<TrackInfo> PlaySession::tracks() const { return impl_->input.track_select().tracks(); }
Status PlaySession::select_track(TrackKind kind, int32_t id) { return impl_->input.track_select().select(kind, id); }
bool PlaySession::next_audio_packet(MediaPacket* out) { return impl_->store.pop_audio(out); }
void PlaySession::push_audio(int64_t pts_us, const float* planar, int32_t frames, int32_t channels,
                             int32_t sample_rate) {
  impl_->playout.push_pcm(pts_us, planar, frames, channels, sample_rate);
}
void PlaySession::report_decode_error(TrackKind kind, int64_t now_us, const std::string& reason) {
  (void)now_us;
  impl_->report_decode_error(kind, reason);
}
DecoderVerdict PlaySession::report_browser_decoder_failure(TrackKind kind, int64_t now_us, bool refused,
                                                           const std::string& reason) {
  (void)now_us;
  const bool video = kind == TrackKind::kVideo;
  const DecoderVerdict v = (video ? impl_->video_fallback : impl_->audio_fallback).on_failure(refused);
  if (video && v == DecoderVerdict::kFallBack) {
    impl_->notices.notify(kSoftwareDecoding, reason + "; software decoding (FFmpeg in wasm) from the next key frame");
  } else {
    impl_->report_decode_error(kind, reason);  // 2101 (video: from the next key frame) / 2102 (audio)
  }
  return v;
}
void PlaySession::browser_decoder_output(TrackKind kind) {
  (kind == TrackKind::kVideo ? impl_->video_fallback : impl_->audio_fallback).on_output();
}
void PlaySession::report_browser_decoder_unavailable(TrackKind kind, const std::string& codec) {
  if (kind == TrackKind::kVideo) {
    impl_->notices.notify(kSoftwareDecoding, "WebCodecs cannot decode " + codec + "; FFmpeg in wasm is used");
  }
}
void PlaySession::render_audio(int64_t now_us, float* out, int32_t frames) {
  impl_->playout.render(now_us, out, frames);
}
void PlaySession::set_played_frames(int64_t played_frames, int64_t now_us) {
  impl_->playout.set_played_frames(played_frames, now_us);
}
int64_t PlaySession::media_time_us(int64_t now_us) const { return impl_->playout.media_time_us(now_us); }
bool PlaySession::next_video_packet(int64_t now_us, MediaPacket* out) {
  return impl_->video.next_packet(impl_->playout.media_time_us(now_us), impl_->playout.started(), out);
}
FrameAction PlaySession::frame_action(int64_t pts_us, int64_t now_us) const {
  if (impl_->playout.awaiting_decision()) return FrameAction::kWait;
  if (pts_us < impl_->playout.skipped_to_us()) return FrameAction::kDrop;  // decoded before a skip
  return impl_->video.frame_action(pts_us, impl_->playout.media_time_us(now_us));
}
void PlaySession::frame_shown(int64_t pts_us, int64_t now_us, int32_t width, int32_t height) {
  (void)pts_us;
  impl_->video.frame_shown(now_us, width, height);
}
void PlaySession::frame_dropped(int64_t pts_us) {
  (void)pts_us;
  impl_->video.frame_dropped();
}
void PlaySession::set_video_enabled(bool enabled, int64_t now_us) {
  (void)now_us;
  impl_->store.set_video_enabled(enabled);
}
void PlaySession::pause(int64_t now_us) {
  (void)now_us;
  impl_->playout.pause();
}
void PlaySession::resume(int64_t now_us) {
  (void)now_us;
  impl_->playout.resume();
}

NetStats PlaySession::net_stats(int64_t now_us) {
  Impl& m = *impl_;
  NetStats s;
  m.stats.fill(now_us, &s);
  s.video_gop_s = m.input.gop_s();
  s.net_jitter_ms = static_cast<int32_t>(m.input.jitter_us(now_us) / 1000);
  // What the viewer sees: the last picture's size; the sequence header's before (or without) one.
  if (m.video.shown_width() > 0) {
    s.video_width = m.video.shown_width();
    s.video_height = m.video.shown_height();
  } else if (m.input.has_video_config()) {
    s.video_width = m.input.video_config().width;
    s.video_height = m.input.video_config().height;
  }
  const int64_t heard = m.playout.media_time_us(now_us);
  s.cache_ms = heard < 0 ? 0 : static_cast<int32_t>(std::max<int64_t>(0, m.input.newest_us() - heard) / 1000);
  s.target_ms = static_cast<int32_t>(std::lround(m.playout.target_ms()));
  return s;
}
size_t PlaySession::stored_bytes() const { return impl_->store.bytes() + impl_->playout.pcm_bytes(); }
const char* PlaySession::last_operation() const { return operation_name(impl_->playout.last_operation()); }

}  // namespace lw::play
