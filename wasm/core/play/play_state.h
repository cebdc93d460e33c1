// PlaySession's state, shared by its parts: play_input.cc (demux, timeline, packet store),
// play_audio.cc (decision, render, clock), play_video.cc (decode scheduling, frame timing),
// play_stats.cc (netstatus). Internal to wasm/core/play/.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "flv/flv_demuxer.h"
#include "play/decision.h"
#include "play/delay_estimator.h"
#include "play/level_filter.h"
#include "play/output_clock.h"
#include "play/packet_queue.h"
#include "play/pcm_ring.h"
#include "play/play_session.h"
#include "play/pcm_source.h"
#include "play/resampler.h"
#include "play/time_stretch.h"
#include "play/ring.h"


namespace lw::play {

// Notice codes (docs/api.md).
inline constexpr int32_t kFirstKeyFrame = 2003;
inline constexpr int32_t kPlayBegin = 2004;
inline constexpr int32_t kLoading = 2007;
inline constexpr int32_t kVideoDecodeFail = 2101;
inline constexpr int32_t kAudioDecodeFail = 2102;
inline constexpr int32_t kRecvLag = 2104;
inline constexpr int32_t kPlayLag = 2105;
inline constexpr int32_t kSoftwareDecoding = 2106;
inline constexpr int32_t kDiscontinuity = 2107;

// Bytes per interval, over a sliding second (10 buckets of 100 ms).
class RateMeter {
 public:
  void add(int64_t now_us, int64_t amount);
  // Sum over the last second.
  int64_t per_second(int64_t now_us);

 private:
  void advance(int64_t now_us);
  int64_t buckets_[10] = {};
  int64_t bucket_start_us_ = -1;  // start of the current bucket
  size_t current_ = 0;
};

struct PlaySession::Impl {
  explicit Impl(const PlayConfig& config);

  void configure(const PlayConfig& config);
  // input (play_input.cc)
  void feed(ByteSpan flv, int64_t now_us);
  void drain(int64_t now_us);
  void on_video(const flv::Event& ev, int64_t now_us);
  void on_audio(const flv::Event& ev, int64_t now_us);
  int64_t map_time(int64_t raw_ms, bool video, bool flagged);
  void enforce_bounds();
  void end_of_input(int64_t now_us);
  void restart_input(int64_t now_us);
  void note_source_drop(int64_t now_us, int64_t video_frames);
  void check_drops(int64_t now_us);
  bool next_notice(Notice* out);
  bool next_track_config(TrackConfig* out);
  bool next_audio_packet(MediaPacket* out);
  void push_audio(int64_t pts_us, const float* planar, int32_t frames, int32_t channels, int32_t rate);
  void report_decode_error(TrackKind kind, int64_t now_us, const std::string& reason);
  DecoderVerdict report_browser_decoder_failure(TrackKind kind, int64_t now_us, bool refused, const std::string& reason);
  void notify(int32_t code, std::string message);
  void raise_loading(const char* why);

  // audio and clock (play_audio.cc)
  bool audio_active() const;
  bool video_active() const;
  double start_position_us() const;
  double level_us(double position_us) const;
  bool data_ready(double position_us, int32_t frames) const;
  void render_audio(int64_t now_us, float* out, int32_t frames);
  void render_media(float* out, int32_t frames, double rate);
  void render_silence(float* out, int32_t frames, bool valid);
  void begin_playback(int64_t now_us);
  void skip_to_key_frame(double target_us);
  void check_warnings(int64_t now_us, double target_ms);
  void set_played_frames(int64_t played, int64_t now_us) { clock.set_played(played, now_us); }
  int64_t media_time_us(int64_t now_us) const { return clock.media_time_us(now_us); }
  void pause(int64_t now_us);
  void resume(int64_t now_us);

  // video (play_video.cc)
  bool next_video_packet(int64_t now_us, MediaPacket* out);
  FrameAction frame_action(int64_t pts_us, int64_t now_us) const;
  void frame_shown(int64_t pts_us, int64_t now_us);
  void frame_dropped(int64_t pts_us);
  void set_video_enabled(bool enabled, int64_t now_us);
  void drop_video_front();

  // stats (play_stats.cc)
  NetStats net_stats(int64_t now_us);
  size_t stored_bytes() const { return video_q.bytes() + audio_q.bytes() + pcm.bytes(); }

  PlayConfig cfg;
  flv::Demuxer demux;
  std::deque<Notice> notices;
  std::deque<TrackConfig> configs;

  // Packet store.
  PacketQueue video_q{64u << 20};
  PacketQueue audio_q{8u << 20};
  PcmRing pcm;
  Resampler resampler;
  TimeStretch stretch;
  PcmSource source{pcm, resampler};
  std::vector<TimeStretch::Span> spans;


  // Tracks.
  TrackConfig video_cfg, audio_cfg;
  bool have_video_cfg = false, have_audio_cfg = false;
  uint32_t video_gen = 0, audio_gen = 0;
  flv::VideoCodec video_codec = flv::VideoCodec::kUnknown;
  flv::AudioCodec audio_codec = flv::AudioCodec::kUnknown;
  std::string unsupported_audio;  // the audio codec last reported as not played (2102, once per codec)

  // Timeline: internal time = raw FLV time + offset; re-anchored on jumps and reconnects so it
  // stays continuous.
  int64_t offset_us = 0;
  bool restart_pending = false;
  bool have_raw_audio = false, have_raw_video = false;
  int64_t last_raw_audio_us = 0, last_raw_video_us = 0;
  bool have_audio = false, have_video = false;  // packets received
  int64_t newest_audio_us = 0;      // pts of the newest audio packet
  int64_t first_audio_us = 0;
  int64_t newest_video_dts_us = 0;
  int64_t newest_us = 0;            // newest media time received (either track)
  int64_t first_pcm_pts_after_stall = -1;
  int64_t audio_frame_us = 23'220;  // duration of one audio packet (from the spacing)
  double video_frame_us = 33'333;   // frame interval (from the dts spacing)
  int64_t last_key_dts_us = -1;
  double gop_s = 0;
  bool pcm_pushed = false;

  // Play-out state.
  DelayEstimator estimator;
  LevelFilter filter;
  OutputClock clock;
  Operation last_op = Operation::kBuffering;
  bool started = false;       // playback began once
  bool playing = false;       // clock runs (not buffering)
  bool paused = false;
  bool ended = false;
  bool catch_up = false;
  double read_us = 0;         // media time of the next output frame to render
  int64_t underrun_since_us = -1;
  bool stall_episode = false;      // 2105 + 2007 raised for this underrun
  bool video_stall_episode = false;
  bool recv_lag_episode = false;
  // Frames dropped for want of time (the machine cannot keep up): counted per second of playback.
  int64_t drop_window_start_us = -1;
  int64_t drop_window_shown = 0, drop_window_dropped = 0, drop_window_skips = 0;
  bool drop_episode = false;       // 2105 raised for this spell of drops
  bool loading_raised = false;
  double target_ms = 0;
  int64_t jitter_us = 0;

  // Video scheduling.
  bool video_enabled = true;
  bool video_wait_key = true;
  DecoderFallback video_fallback{true};   // the browser's decoders (decoder_fallback.h)
  DecoderFallback audio_fallback{false};
  bool first_key_sent = false;  // before playback: the first key frame was handed out
  int64_t first_key_pts_us = 0;  // ... and its time: where playback starts (it is no longer in video_q)
  bool first_key_seen = false;  // 2003 raised (per connection)
  bool first_shown = false;
  bool header_has_video = true;   // the FLV header's flag (true until a header says otherwise)
  int64_t playing_since_us = -1;  // when playback first began
  void audio_only_begin(int64_t now_us);
  Ring<int64_t> handed_pts{128};

  // Stats.
  RateMeter net_bytes, video_bytes, audio_bytes, shown_meter;
  int64_t shown_frames = 0, dropped_frames = 0, skips = 0;
  double accelerate_us = 0, decelerate_us = 0, expand_us = 0;
};

}  // namespace lw::play
