#include "play/play_session.h"

#include <algorithm>
#include <cmath>
#include <deque>

#include "flv/flv_demuxer.h"
#include "play/play_state.h"

namespace lw::play {

PlaySession::PlaySession(const PlayConfig& config) : impl_(std::make_unique<Impl>(config)) {}
PlaySession::~PlaySession() = default;

void PlaySession::configure(const PlayConfig& config) { impl_->configure(config); }
void PlaySession::feed(ByteSpan flv, int64_t now_us) { impl_->feed(flv, now_us); }
void PlaySession::end_of_input(int64_t now_us) { impl_->end_of_input(now_us); }
void PlaySession::restart_input(int64_t now_us) { impl_->restart_input(now_us); }
void PlaySession::note_source_drop(int64_t now_us, int64_t video_frames) {
  impl_->note_source_drop(now_us, video_frames);
}
bool PlaySession::next_notice(Notice* out) { return impl_->next_notice(out); }
bool PlaySession::next_track_config(TrackConfig* out) { return impl_->next_track_config(out); }
bool PlaySession::next_audio_packet(MediaPacket* out) { return impl_->next_audio_packet(out); }
void PlaySession::push_audio(int64_t pts_us, const float* planar, int32_t frames, int32_t channels,
                             int32_t sample_rate) {
  impl_->push_audio(pts_us, planar, frames, channels, sample_rate);
}
void PlaySession::report_decode_error(TrackKind kind, int64_t now_us, const std::string& reason) {
  impl_->report_decode_error(kind, now_us, reason);
}
DecoderVerdict PlaySession::report_browser_decoder_failure(TrackKind kind, int64_t now_us, bool refused,
                                                           const std::string& reason) {
  return impl_->report_browser_decoder_failure(kind, now_us, refused, reason);
}
void PlaySession::browser_decoder_output(TrackKind kind) {
  (kind == TrackKind::kVideo ? impl_->video_fallback : impl_->audio_fallback).on_output();
}
void PlaySession::report_browser_decoder_unavailable(TrackKind kind, const std::string& codec) {
  if (kind == TrackKind::kVideo) impl_->notify(kSoftwareDecoding, "WebCodecs cannot decode " + codec + "; FFmpeg in wasm is used");
}
void PlaySession::render_audio(int64_t now_us, float* out, int32_t frames) { impl_->render_audio(now_us, out, frames); }
void PlaySession::set_played_frames(int64_t played_frames, int64_t now_us) {
  impl_->set_played_frames(played_frames, now_us);
}
int64_t PlaySession::media_time_us(int64_t now_us) const { return impl_->media_time_us(now_us); }
bool PlaySession::next_video_packet(int64_t now_us, MediaPacket* out) { return impl_->next_video_packet(now_us, out); }
FrameAction PlaySession::frame_action(int64_t pts_us, int64_t now_us) const {
  return impl_->frame_action(pts_us, now_us);
}
void PlaySession::frame_shown(int64_t pts_us, int64_t now_us) { impl_->frame_shown(pts_us, now_us); }
void PlaySession::frame_dropped(int64_t pts_us) { impl_->frame_dropped(pts_us); }
void PlaySession::set_video_enabled(bool enabled, int64_t now_us) { impl_->set_video_enabled(enabled, now_us); }
void PlaySession::pause(int64_t now_us) { impl_->pause(now_us); }
void PlaySession::resume(int64_t now_us) { impl_->resume(now_us); }
NetStats PlaySession::net_stats(int64_t now_us) { return impl_->net_stats(now_us); }
size_t PlaySession::stored_bytes() const { return impl_->stored_bytes(); }
const char* PlaySession::last_operation() const { return operation_name(impl_->last_op); }

}  // namespace lw::play
