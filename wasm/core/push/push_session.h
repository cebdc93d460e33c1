// The pusher's policy in one sans-IO object, beside PlaySession (wasm/core/play/play_session.h): what the
// pusher decides, with time passed in and codes out. The codec glue (wasm/codecs/pusher_engine.h) and the
// worker (worker/pusher_worker.js, video_encoder_ladder.js) ask it and do what it says; they decide nothing.
//
// It owns:
//   - the rate controller (push/rate_controller.h) and the ladder (push/video_ladder.h): the encoder's
//     bitrate and picture size from link samples; 1101 when the link cannot carry even min-bitrate;
//   - frame pacing (take_frame): the encoder runs at min(camera, mode's max) frames a second; a frame is
//     due when at most a quarter interval early, and the schedule re-anchors after a gap;
//   - drops: everything until a key frame, or non-reference frames (write_video), as the rate controller
//     says, and the encoder's own skips; all counted for netstatus;
//   - key-frame requests (a new connection, the end of a drop-until-key-frame, resume, a shown page);
//   - the FLV muxer (push/push_muxer.h) and its output buffer, which the worker sends and clears;
//   - the netstatus window;
//   - the encoder keep-up verdict: OpenH264 in wasm slower than the camera for kSlowHoldMs -> hand over
//     to the browser's encoder (1107 once it did), or, with videoEncoder pinned to wasm, 1101 once per
//     slow spell;
//   - the hidden page: a waiting image keeps the push alive kStillLimitMs, then 5000 and the push stops.
//
// Codes (docs/api.md) come out of take_events() in the order raised; the glue raises its codec failures
// (-1303..-1306) through raise() so that one list carries them all.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "push/push_muxer.h"
#include "push/rate_controller.h"
#include "push/video_ladder.h"

namespace lw::push {

struct PushSessionConfig {
  PushMode mode = PushMode::kRTC;
  Aspect aspect = Aspect::k9x16;
  Orientation orientation = Orientation::kVertical;
  int min_kbps = 200;
  int max_kbps = 1000;
  bool video = true;            // enable-camera
  VideoKind video_codec = VideoKind::kH264;  // video-codec: anything but H.264 is Enhanced RTMP
  AudioKind audio = AudioKind::kAac;
  bool audio_high = false;      // audio-quality high
  double camera_fps = 30;       // what the camera delivers; the encoder runs at min(this, mode max)
};

// A state code for the page (docs/api.md).
struct PushEvent {
  int code = 0;
  std::string message;
};

// Netstatus (docs/api.md), measured over the window since the previous call.
struct PushNetStatus {
  int video_bitrate = 0;   // kbps of video payload written
  int audio_bitrate = 0;   // kbps of audio payload written
  double video_fps = 0;    // frames written per second
  double video_gop = 0;    // seconds between the last two key frames (the mode's interval before two)
  int net_speed = 0;       // kbps the link carried (rate controller's measurement)
  int net_jitter = 0;      // ms, backlog variation
  int video_width = 0, video_height = 0;
  int target_kbps = 0;     // the encoder's target now
  int backlog_ms = 0;
  uint64_t dropped_frames = 0;  // by the rate control (skips, non-reference drops, waits for a key frame)
};

// The videoEncoder attribute: auto moves to the browser's encoder when wasm cannot keep up.
enum class EncoderChoice : uint8_t { kAuto, kWasm, kWebCodecs };

enum class KeepUp : uint8_t {
  kFine,
  kSlowPinned,  // videoEncoder is pinned to wasm: 1101 raised (once a spell), the encoder stays
  kSwitch,      // hand over to the browser's software encoder; say encoder_switched() when it did
};

enum class StillVerdict : uint8_t { kPush, kStop };

class PushSession {
 public:
  static constexpr int kSlowHoldMs = 3000;              // wasm slower than the camera this long
  static constexpr int64_t kStillLimitMs = 3 * 60 * 1000;  // the waiting image keeps the push 3 minutes

  PushSession();
  ~PushSession();

  // Sets the picture size for the start bitrate and makes the muxer.
  Status open(const PushSessionConfig& config);
  const PushSessionConfig& config() const { return config_; }
  int audio_kbps() const;

  // A picture is at `timestamp_ms` (media clock): whether it goes to the encoder (due, not dropped).
  bool take_frame(int64_t timestamp_ms);
  // The encoder skipped a picture of its own (RTC frame skipping).
  void encoder_skipped() { ++dropped_; }
  // The encoder's decoder config (avcC, or the video codec's record) for the picture size target_size().
  Status set_avc_config(ByteSpan avc_config);
  VideoKind video_codec() const { return config_.video_codec; }
  // video-codec asked for a codec the browser cannot encode, or whose encoder failed before its first
  // frame: the push is H.264 from now on. Only before the first record (nothing on the wire named the
  // codec yet: kMisuse after, a stream never changes codec). The caller tells the page (error event 10005).
  Status fall_back_to_h264();
  // A browser encoder's frame in the session's codec: `config` its record when it gave one (H.264 and HEVC
  // must; AV1 and VP9 records are made from key frames when it does not: push/coded_video.h), then
  // write_video with the FLV payload.
  Status write_encoded_video(ByteSpan frame, bool key, int64_t timestamp_ms, ByteSpan config);
  Status set_audio_config(ByteSpan config, int sample_rate, int channels);
  // An encoded access unit (length-prefixed NAL units; AV1 OBUs, a VP9 frame); an H.264 one is dropped
  // when the rate controller drops non-reference frames (other codecs' frames are not: only a wait for
  // a key frame drops them). Its capture time is written on the encoder's frame grid (grid_time).
  Status write_video(ByteSpan avcc, bool key, int64_t timestamp_ms);
  Status write_audio(int64_t timestamp_ms, ByteSpan frame);

  // A new connection: FLV header, metadata and sequence headers; the rate controller's totals restart.
  Status begin_connection(int64_t now_ms);
  // A link observation; true when the encoder's bitrate changed (video_kbps()). A new size (target_size())
  // needs a new encoder.
  bool update_link(const LinkSample& sample);

  void request_key_frame() { key_requested_ = true; }
  // Whether the next picture must be a key frame; clears the request.
  bool take_key_frame_request();

  // The encoder in use and the attribute that chose it.
  void set_encoder(EncoderChoice choice, bool external);
  // OpenH264 in wasm took `spent_ms` for the picture at `timestamp_ms` (camera: a camera frame, not the
  // waiting image; written: it went to the encoder).
  KeepUp wasm_frame_encoded(int64_t timestamp_ms, bool camera, bool written, double spent_ms, int64_t now_ms);
  // The browser's encoder took over after kSwitch: 1107.
  void encoder_switched();

  // Pause and a hidden page stop the camera: the keep-up measure forgets the gap; resuming wants a key frame.
  void set_paused(bool paused);
  void set_hidden(bool hidden, int64_t now_ms);
  // The waiting image is due (hidden): push it, or stop with 5000 past kStillLimitMs.
  StillVerdict still_due(int64_t now_ms);

  void raise(int code, std::string message);
  std::vector<PushEvent> take_events();
  PushNetStatus net_status(int64_t now_ms);

  Bytes& output() { return out_; }
  void clear_output() { out_.clear(); }

  VideoSize target_size() const { return size_; }
  int video_kbps() const { return rate_ ? rate_->video_kbps() : 0; }
  int gop_frames() const;
  double encode_fps() const;
  bool allow_frame_skip() const;

 private:
  bool frame_due(int64_t timestamp_ms);
  void forget_pace();
  // The time a frame captured at `timestamp_ms` is written with: the nearest slot of a grid of the
  // encoder's interval (1000 / encode_fps ms, rounded to the millisecond slot by slot), anchored at the
  // first frame and again after a gap, a step back or a new frame rate; strictly after the last one.
  // Capture times carry the camera's and the browser's jitter (WebKit's frame callbacks: +-10 ms), and a
  // player or ffprobe reading such a stream cannot tell its frame rate (r_frame_rate 1000/1); on the
  // grid the stream is 30 fps as a camera's own encoder writes it. At most half an interval moves.
  int64_t grid_time(int64_t timestamp_ms);

  PushSessionConfig config_;
  std::unique_ptr<PushMuxer> mux_;
  std::unique_ptr<RateController> rate_;
  std::unique_ptr<VideoLadder> ladder_;
  VideoSize size_{};
  FrameDrop drop_ = FrameDrop::kNone;
  bool key_requested_ = false;
  double next_frame_ms_ = -1;  // when the next frame is due (not rounded: 30 fps is 33.33 ms)
  double grid_anchor_ms_ = -1, grid_interval_ms_ = 0;
  int64_t last_video_ms_ = -1;  // as written
  Bytes out_;
  std::vector<PushEvent> events_;
  // Netstatus window.
  int64_t status_since_ms_ = -1;
  uint64_t status_video_bytes_ = 0, status_audio_bytes_ = 0, status_video_frames_ = 0;
  int64_t last_key_ms_ = -1;
  double gop_seconds_ = 0;
  uint64_t dropped_ = 0;
  // Encoder keep-up.
  EncoderChoice choice_ = EncoderChoice::kAuto;
  bool external_ = false;
  double encode_ms_ = 0;            // moving average of the wasm encode time per picture
  int64_t slow_since_ms_ = -1;
  bool warned_slow_ = false;
  std::deque<int64_t> arrivals_;    // capture times of camera frames, the last 3 s
  std::string switch_reason_;
  bool record_from_frames_ = false;  // the encoder gave no record: AV1 / VP9 make it from key frames
  // Hidden page.
  bool hidden_ = false;
  int64_t hidden_since_ms_ = -1;
  bool still_stopped_ = false;
};

}  // namespace lw::push
