#include "play/video_schedule.h"

namespace lw::play {

namespace {
// Packets are handed to the decoder this far ahead of the clock (decoder delay, B-frame reorder).
constexpr int64_t kDecodeLeadUs = 150'000;
}  // namespace

bool VideoSchedule::next_packet(int64_t clock_us, bool started, MediaPacket* out) {
  if (!store_.video_enabled()) return false;
  const PacketQueue& q = store_.video();
  while (!q.empty()) {
    const StoredPacket& p = q.front();
    if (!started || clock_us < 0) {
      // Before playback: only the first key frame, so the first picture shows early.
      if (first_key_sent_) return false;
      if (!p.key) {
        store_.drop_video_front();
        continue;
      }
      first_key_sent_ = true;
      first_key_pts_us_ = p.pts_us;
    } else {
      if (p.dts_us > clock_us + kDecodeLeadUs) return false;
      // Too late to be shown and a key frame ahead is due as well: drop up to it (no decoding of
      // frames nobody will see; the key frame restarts the decoder's references).
      if (static_cast<double>(p.pts_us) < static_cast<double>(clock_us) - 2 * input_.video_frame_us()) {
        const size_t k = q.next_key(1);
        if (k < q.size() && q.at(k).dts_us <= clock_us + kDecodeLeadUs) {
          store_.drop_video(k);
          continue;
        }
      }
    }
    if (handed_pts_.size() + 1 >= handed_pts_.capacity()) handed_pts_.pop_front();
    handed_pts_.push_back(p.pts_us);
    store_.pop_video(out);
    return true;
  }
  return false;
}

FrameAction VideoSchedule::frame_action(int64_t pts_us, int64_t clock_us) const {
  if (clock_us < 0) return began_ ? FrameAction::kWait : FrameAction::kShow;
  const double frame_us = input_.video_frame_us();
  const double half = frame_us / 2;
  if (static_cast<double>(pts_us) > static_cast<double>(clock_us) + half) return FrameAction::kWait;
  if (static_cast<double>(pts_us) < static_cast<double>(clock_us) - frame_us) {
    // More than a frame late: drop it when a newer frame that is due now was sent to the decoder.
    for (size_t i = 0; i < handed_pts_.size(); ++i) {
      const int64_t p = handed_pts_[i];
      if (p > pts_us && static_cast<double>(p) <= static_cast<double>(clock_us) + half) return FrameAction::kDrop;
    }
  }
  return FrameAction::kShow;
}

void VideoSchedule::frame_shown(int64_t now_us, int32_t width, int32_t height) {
  stats_.on_shown(now_us);
  if (width > 0 && height > 0) {
    shown_width_ = width;
    shown_height_ = height;
  }
  if (!began_) {
    began_ = true;
    notices_.notify(kPlayBegin, "first picture shown");
  }
}

void VideoSchedule::begin_audio_only() {
  if (began_) return;
  began_ = true;
  notices_.notify(kPlayBegin, "playback began (audio only)");
}

}  // namespace lw::play
