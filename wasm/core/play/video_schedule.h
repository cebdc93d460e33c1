// PlaySession's video scheduling: which stored packets go to the decoder now (dts order, a decoder
// lead ahead of the clock; before playback only the first key frame, so that the first picture shows
// early), and what to do with each decoded picture (wait, show, drop) against the clock. It raises
// 2004 once, for the first picture or (audio_only_begin) for sound without pictures.
#pragma once

#include <cstdint>

#include "play/media_store.h"
#include "play/notice_queue.h"
#include "play/play_input.h"
#include "play/play_session.h"
#include "play/play_stats.h"
#include "play/ring.h"

namespace lw::play {

class VideoSchedule {
 public:
  VideoSchedule(const PlayInput& input, MediaStore& store, NoticeQueue& notices, PlayStats& stats)
      : input_(input), store_(store), notices_(notices), stats_(stats) {}

  // clock_us: the media time heard now (-1 before playback); started: playback began.
  bool next_packet(int64_t clock_us, bool started, MediaPacket* out);
  FrameAction frame_action(int64_t pts_us, int64_t clock_us) const;
  void frame_shown(int64_t now_us, int32_t width, int32_t height);
  void frame_dropped() { stats_.on_dropped(); }

  // The first key frame went to the decoder before playback, and its time: where playback starts.
  bool first_key_sent() const { return first_key_sent_; }
  int64_t first_key_pts_us() const { return first_key_pts_us_; }
  // 2004 raised: for the first picture, or by begin_audio_only.
  bool began() const { return began_; }
  // The size of the last picture shown whose size the shell gave (0 x 0 before).
  int32_t shown_width() const { return shown_width_; }
  int32_t shown_height() const { return shown_height_; }
  void begin_audio_only();

 private:
  const PlayInput& input_;
  MediaStore& store_;
  NoticeQueue& notices_;
  PlayStats& stats_;
  bool first_key_sent_ = false;
  int64_t first_key_pts_us_ = 0;
  bool began_ = false;
  int32_t shown_width_ = 0, shown_height_ = 0;
  Ring<int64_t> handed_pts_{128};  // pictures sent to the decoder (frame_action's "a newer one is due")
};

}  // namespace lw::play
