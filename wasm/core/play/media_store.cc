#include "play/media_store.h"

namespace lw::play {

namespace {
void hand_out(const PacketQueue& q, TrackKind kind, MediaPacket* out) {
  const StoredPacket& p = q.front();
  out->kind = kind;
  out->key = p.key;
  out->dts_us = p.dts_us;
  out->pts_us = p.pts_us;
  out->generation = p.generation;
  out->data = q.data(p);  // stays valid until the next push (feed), as documented
}
}  // namespace

void MediaStore::offer_video(const StoredPacket& packet, ByteSpan payload, bool playable) {
  if (!playable || !video_enabled_ || (video_wait_key_ && !packet.key)) {
    stats_.on_dropped();
    return;
  }
  video_wait_key_ = false;
  if (!video_.push(packet, payload)) stats_.on_dropped();
}

void MediaStore::pop_video(MediaPacket* out) {
  hand_out(video_, TrackKind::kVideo, out);
  video_.pop_front();
}

bool MediaStore::pop_audio(MediaPacket* out) {
  if (audio_.empty()) return false;
  hand_out(audio_, TrackKind::kAudio, out);
  out->key = true;
  audio_.pop_front();
  return true;
}

void MediaStore::drop_back_from(TrackKind kind, int64_t time_us) {
  PacketQueue& q = kind == TrackKind::kVideo ? video_ : audio_;
  while (!q.empty() && (kind == TrackKind::kVideo ? q.back().dts_us : q.back().pts_us) >= time_us) {
    q.pop_back();
    if (kind == TrackKind::kVideo) stats_.on_dropped();
  }
}

void MediaStore::drop_video_front() {
  if (video_.empty()) return;
  video_.pop_front();
  stats_.on_dropped();
}

void MediaStore::drop_video(size_t count) {
  for (size_t i = 0; i < count; ++i) drop_video_front();
}

void MediaStore::resume_video_at_key() {
  while (!video_.empty() && !video_.front().key) drop_video_front();
  video_wait_key_ = video_.empty();  // the decoder resumes at the next key frame
}

void MediaStore::set_video_enabled(bool enabled) {
  if (enabled == video_enabled_) return;
  video_enabled_ = enabled;
  if (!enabled) {
    while (!video_.empty()) drop_video_front();
  }
  video_wait_key_ = true;  // resumes at the next key frame
}

void MediaStore::enforce_bounds(int64_t keep_us) {
  // Media older than the cache window plus a margin is of no use to a live player: drop from the
  // front up to a key frame (a paused player or a shell that stopped pulling must not grow memory).
  while (!video_.empty() && (video_.back().dts_us - video_.front().dts_us > keep_us ||
                             video_.bytes() > video_.max_bytes() / 2)) {
    drop_video_front();
    while (!video_.empty() && !video_.front().key) drop_video_front();
  }
  while (!audio_.empty() && (audio_.back().dts_us - audio_.front().dts_us > keep_us ||
                             audio_.bytes() > audio_.max_bytes() / 2)) {
    audio_.pop_front();
  }
}

}  // namespace lw::play
