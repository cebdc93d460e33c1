// PlaySession video: which encoded packets to decode now (dts order, a decoder lead ahead of the
// clock), and what to do with each decoded frame (wait, show, drop) against the audio clock.
#include <algorithm>

#include "play/play_state.h"

namespace lw::play {

namespace {
// Packets are handed to the decoder this far ahead of the clock (decoder delay, B-frame reorder).
constexpr int64_t kDecodeLeadUs = 150'000;
}  // namespace

void PlaySession::Impl::drop_video_front() {
  if (video_q.empty()) return;
  video_q.pop_front();
  ++dropped_frames;
}

bool PlaySession::Impl::next_video_packet(int64_t now_us, MediaPacket* out) {
  if (!video_enabled) return false;
  const int64_t clock_us = media_time_us(now_us);
  while (!video_q.empty()) {
    const StoredPacket& p = video_q.front();
    if (!started || clock_us < 0) {
      // Before playback: only the first key frame, so the first picture shows early.
      if (first_key_sent) return false;
      if (!p.key) {
        drop_video_front();
        continue;
      }
      first_key_sent = true;
      first_key_pts_us = p.pts_us;
    } else {
      if (p.dts_us > clock_us + kDecodeLeadUs) return false;
      // Too late to be shown and a key frame ahead is due as well: drop up to it (no decoding of
      // frames nobody will see; the key frame restarts the decoder's references).
      if (static_cast<double>(p.pts_us) < static_cast<double>(clock_us) - 2 * video_frame_us) {
        const size_t k = video_q.next_key(1);
        if (k < video_q.size() && video_q.at(k).dts_us <= clock_us + kDecodeLeadUs) {
          for (size_t i = 0; i < k; ++i) drop_video_front();
          continue;
        }
      }
    }
    out->kind = TrackKind::kVideo;
    out->key = p.key;
    out->dts_us = p.dts_us;
    out->pts_us = p.pts_us;
    out->generation = p.generation;
    out->data = video_q.data(p);  // valid until the next push (feed)
    if (handed_pts.size() + 1 >= handed_pts.capacity()) handed_pts.pop_front();
    handed_pts.push_back(p.pts_us);
    video_q.pop_front();
    return true;
  }
  return false;
}

FrameAction PlaySession::Impl::frame_action(int64_t pts_us, int64_t now_us) const {
  const int64_t clock_us = media_time_us(now_us);
  if (clock_us < 0) return first_shown ? FrameAction::kWait : FrameAction::kShow;
  const double half = video_frame_us / 2;
  if (static_cast<double>(pts_us) > static_cast<double>(clock_us) + half) return FrameAction::kWait;
  if (static_cast<double>(pts_us) < static_cast<double>(clock_us) - video_frame_us) {
    // More than a frame late: drop it when a newer frame that is due now was sent to the decoder.
    for (size_t i = 0; i < handed_pts.size(); ++i) {
      const int64_t p = handed_pts[i];
      if (p > pts_us && static_cast<double>(p) <= static_cast<double>(clock_us) + half) return FrameAction::kDrop;
    }
  }
  return FrameAction::kShow;
}

void PlaySession::Impl::frame_shown(int64_t pts_us, int64_t now_us) {
  (void)pts_us;
  ++shown_frames;
  shown_meter.add(now_us, 1);
  if (!first_shown) {
    first_shown = true;
    notify(kPlayBegin, "first picture shown");
  }
}

void PlaySession::Impl::frame_dropped(int64_t pts_us) {
  (void)pts_us;
  ++dropped_frames;
}

void PlaySession::Impl::set_video_enabled(bool enabled, int64_t now_us) {
  (void)now_us;
  if (enabled == video_enabled) return;
  video_enabled = enabled;
  if (!enabled) {
    while (!video_q.empty()) drop_video_front();
  }
  video_wait_key = true;  // resumes at the next key frame
}

}  // namespace lw::play
