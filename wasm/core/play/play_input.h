// PlaySession's input: FLV bytes -> demuxer -> track configurations, the packet store, the arrival
// measurement and the continuous internal timeline (internal time = raw FLV time + an offset,
// re-anchored on jumps and reconnects so that it stays continuous). What arrived, the other parts ask
// it.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "base/bytes.h"
#include "flv/flv_demuxer.h"
#include "play/delay_estimator.h"
#include "play/media_store.h"
#include "play/notice_queue.h"
#include "play/play_session.h"
#include "play/play_stats.h"
#include "play/track_select.h"

namespace lw::play {

class PlayInput {
 public:
  PlayInput(const PlayConfig& config, MediaStore& store, NoticeQueue& notices, PlayStats& stats);

  void feed(ByteSpan flv, int64_t now_us);
  void end_of_input(int64_t now_us);
  // A new connection: a new demuxer; its timestamps are mapped onto ours (map_time).
  void restart();
  bool next_track_config(TrackConfig* out);
  // Multitrack: which track of each kind plays (only its packets and configurations go on).
  TrackSelect& track_select() { return select_; }
  const TrackSelect& track_select() const { return select_; }

  // Tracks: media received, and a configuration to decode it.
  bool has_audio() const { return have_audio_; }
  bool has_video() const { return have_video_; }
  bool has_audio_config() const { return have_audio_cfg_; }
  bool has_video_config() const { return have_video_cfg_; }
  const TrackConfig& video_config() const { return video_cfg_; }
  // The FLV header's video flag (true until a header says otherwise).
  bool header_has_video() const { return header_has_video_; }
  // The input ended (end_of_input) and nothing more comes on this connection.
  bool ended() const { return ended_; }

  // Internal media times of what arrived.
  int64_t first_audio_us() const { return first_audio_us_; }
  int64_t newest_audio_us() const { return newest_audio_us_; }
  int64_t newest_video_dts_us() const { return newest_video_dts_us_; }
  int64_t newest_us() const { return newest_us_; }  // either track
  double video_frame_us() const { return video_frame_us_; }  // frame interval (from the dts spacing)
  double gop_s() const { return gop_s_; }

  // Arrival: jitter over the recent window, the last arrival.
  int64_t jitter_us(int64_t now_us) { return estimator_.jitter_us(now_us); }
  bool has_arrivals() const { return estimator_.has_data(); }
  int64_t last_arrival_us() const { return estimator_.last_arrival_us(); }

 private:
  void drain(int64_t now_us);
  void on_video(const flv::Event& ev, int64_t now_us);
  void on_audio(const flv::Event& ev, int64_t now_us);
  int64_t map_time(int64_t raw_ms, bool video, bool flagged);
  void raise_loading(const char* why);
  void refuse_video(const flv::VideoTagHeader& header);
  void use_video_config(const TrackConfig& config, flv::VideoCodec codec);
  void use_audio_config(const TrackConfig& config, flv::AudioCodec codec);

  const PlayConfig& cfg_;
  MediaStore& store_;
  NoticeQueue& notices_;
  PlayStats& stats_;
  flv::Demuxer demux_;
  std::deque<TrackConfig> configs_;
  DelayEstimator estimator_;
  TrackSelect select_;

  // Tracks.
  TrackConfig video_cfg_, audio_cfg_;
  bool have_video_cfg_ = false, have_audio_cfg_ = false;
  uint32_t video_gen_ = 0, audio_gen_ = 0;
  flv::VideoCodec video_codec_ = flv::VideoCodec::kUnknown;
  flv::AudioCodec audio_codec_ = flv::AudioCodec::kUnknown;
  std::string unsupported_audio_;  // the audio codec last reported as not played (2102, once per codec)
  std::string unsupported_video_;  // the same for video (2101)
  bool header_has_video_ = true;
  bool first_key_seen_ = false;  // 2003 raised (per connection)
  bool loading_raised_ = false;  // the first 2007
  bool ended_ = false;

  // Timeline.
  int64_t offset_us_ = 0;
  bool restart_pending_ = false;
  bool have_raw_audio_ = false, have_raw_video_ = false;
  int64_t last_raw_audio_us_ = 0, last_raw_video_us_ = 0;
  bool have_audio_ = false, have_video_ = false;  // packets received
  int64_t newest_audio_us_ = 0;
  int64_t first_audio_us_ = 0;
  int64_t newest_video_dts_us_ = 0;
  int64_t newest_us_ = 0;
  int64_t audio_frame_us_ = 23'220;  // duration of one audio packet (from the spacing)
  double video_frame_us_ = 33'333;
  int64_t last_key_dts_us_ = -1;
  double gop_s_ = 0;
};

}  // namespace lw::play
