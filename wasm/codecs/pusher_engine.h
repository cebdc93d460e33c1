// The pusher's codec glue, what the pusher worker drives (worker/pusher_worker.js): camera frames ->
// crop/scale to the size the session asks for (libyuv) -> beauty/whiteness -> H.264 (OpenH264);
// microphone PCM -> AAC (FFmpeg) or Opus (libopus). Every decision (pacing, drops, bitrate and size,
// key frames, netstatus, the encoder keep-up verdict, the hidden page's limit, the FLV it becomes) is the
// PushSession's (wasm/core/push/push_session.h), which the engine owns and feeds; the session knows no codec.
// Time is passed in (`now_ms`, the worker's clock, and media timestamps); output is one byte buffer the
// worker sends on the WebSocket and then clears.
//
// An external video encoder (the browser's WebCodecs VideoEncoder) can take the place of OpenH264:
// prepare_video() stops after the filters and exposes the I420, and push_encoded_video() takes what
// the browser produced. The session is the same for both paths.
//
// Every failure is a Status and, where docs/api.md has one, a state code in `take_events()`:
//   -1303 video encoder failed to open or errors, -1304 audio encoder, -1305 a picture size the
//   pipeline cannot take, -1306 a sample rate it cannot take; the session's codes (1101, 1107, 5000).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "image/beauty_filter.h"
#include "image/whiteness_filter.h"
#include "codecs/audio_encoder.h"
#include "codecs/frame_converter.h"
#include "codecs/h264_encoder.h"
#include "push/push_session.h"

namespace lw::codecs {

struct PusherConfig {
  push::PushMode mode = push::PushMode::kRTC;
  push::Aspect aspect = push::Aspect::k9x16;
  push::Orientation orientation = push::Orientation::kVertical;
  int min_kbps = 200;
  int max_kbps = 1000;
  bool video = true;   // enable-camera
  bool audio = true;
  AudioCodecKind audio_codec = AudioCodecKind::kAac;
  AudioQuality audio_quality = AudioQuality::kLow;
  int audio_sample_rate = 48000;
  int audio_channels = 1;
  double camera_fps = 30;       // what the camera delivers; the encoder runs at min(this, mode max)
  bool external_video_encoder = false;
  // video-codec: H.264 (OpenH264 or the browser's encoder); HEVC, AV1, VP9 only from the browser's
  // encoder (push_encoded_video), muxed as Enhanced RTMP.
  push::VideoKind video_codec = push::VideoKind::kH264;
  // OpenH264's threads (H264EncoderOptions::threads, 1..4: one slice per thread); only a -pthread build
  // (livewasm_pusher_mt) runs more than 1.
  int encoder_threads = 1;
};

using PusherEvent = push::PushEvent;
using PusherNetStatus = push::PushNetStatus;

class PusherEngine {
 public:
  PusherEngine();
  ~PusherEngine();

  // Opens the audio encoder and sets the picture size for the start bitrate. A failure is also
  // reported as an event (-1304/-1306); the video encoder opens lazily on the first frame.
  Status open(const PusherConfig& config);

  // A buffer of `size` bytes inside the engine (wasm memory) for the next camera frame, so the worker
  // can VideoFrame.copyTo() straight into it. Valid until the next call.
  uint8_t* frame_buffer(size_t size);
  // The frame in frame_buffer(): convert, filter, encode, mux. `timestamp_ms` is the capture time on
  // the media clock. Returns whether the frame was written to the output.
  Result<bool> push_video(const SourceFrame& frame, int64_t timestamp_ms);

  // Encodes the last picture again (pause: the stream goes on with a frozen picture and the gateway
  // does not see an idle push). False before the first picture.
  Result<bool> push_repeat(int64_t timestamp_ms);

  // External encoder path: convert and filter only; the picture is then in picture().
  Result<bool> prepare_video(const SourceFrame& frame, int64_t timestamp_ms);
  image::I420View picture() { return converter_.picture(); }
  ByteSpan picture_bytes() const { return converter_.bytes(); }
  // `avcc` length-prefixed NAL units from the browser's encoder (AV1 OBUs, a VP9 frame with another
  // video codec); `avc_config` its decoder config (avcC, hvcC, ...) when it changed (empty otherwise:
  // AV1 and VP9 records are then made from key frames, push/coded_video.h).
  Result<bool> push_encoded_video(ByteSpan avcc, bool key, int64_t timestamp_ms, ByteSpan avc_config);

  // A buffer for `samples` interleaved float samples (channels as configured).
  float* audio_buffer(size_t samples);
  // Encodes the PCM in audio_buffer(): `frames` sample frames captured at `timestamp_ms`.
  Status push_audio(int frames, int64_t timestamp_ms);

  // The codec pushed ("h264", "hevc", "av1", "vp9"); fall_back_to_h264 before the first record when the
  // browser cannot encode video-codec's codec or its encoder failed at once (PushSession::fall_back_to_h264).
  std::string video_codec_name() const { return push::video_kind_name(session_.video_codec()); }
  Status fall_back_to_h264() { return session_.fall_back_to_h264(); }

  // A new connection (PushSession::begin_connection).
  Status begin_connection(int64_t now_ms) { return session_.begin_connection(now_ms); }
  // A link observation (see push/rate_controller.h); a new bitrate goes to the encoder at once, a new
  // size on the next picture.
  void update_link(const push::LinkSample& sample);

  // The last picture that went to the encoder (after the filters) as RGBA, for snapshot(). Empty
  // before the first frame.
  Status snapshot_rgba(Bytes* rgba, int* width, int* height);

  void set_beauty(int level) { beauty_ = level; }
  void set_whiteness(int level) { whiteness_ = level; }
  void request_key_frame() { session_.request_key_frame(); }
  // External encoder path: whether the next frame must be a key frame (a new connection, the end of a
  // drop-until-key-frame); clears the request.
  bool take_key_frame_request() { return session_.take_key_frame_request(); }

  // Pending FLV bytes for the socket.
  ByteSpan output() { return as_span(session_.output()); }
  void clear_output() { session_.clear_output(); }

  // Events raised since the last call (cleared by the call).
  std::vector<PusherEvent> take_events() { return session_.take_events(); }
  PusherNetStatus net_status(int64_t now_ms) { return session_.net_status(now_ms); }

  // The size the session asks for now (the external encoder opens at this size).
  push::VideoSize target_size() const { return session_.target_size(); }
  int target_kbps() const { return session_.video_kbps(); }
  int gop_frames() const { return session_.gop_frames(); }
  double encode_fps() const { return session_.encode_fps(); }
  std::string video_encoder_name() const;
  std::string audio_encoder_name() const;
  const PusherConfig& config() const { return config_; }
  push::PushSession& session() { return session_; }

 private:
  Status open_video_encoder();
  Result<bool> encode_picture(int64_t timestamp_ms);

  PusherConfig config_;
  push::PushSession session_;
  FrameConverter converter_;
  image::BeautyFilter beauty_filter_;
  image::WhitenessFilter whiteness_filter_;
  std::unique_ptr<H264Encoder> video_;
  std::unique_ptr<AudioEncoder> audio_;
  bool video_failed_ = false;
  int beauty_ = 0, whiteness_ = 0;
  Bytes frame_in_;
  std::vector<float> audio_in_;
  std::vector<EncodedAudio> audio_out_;
};

}  // namespace lw::codecs
