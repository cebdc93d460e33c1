// H.264 encoding with OpenH264 (BSD; TOOLCHAIN.md for the wasm build), configured for live pushing:
// constrained baseline, one slice (one per thread with threads), no B-frames (so DTS = PTS and cts is 0), rate control in bitrate
// mode (peak 1.5x the target), IDR every `gop_frames` and on request only (no scene-change IDRs), and
// optional frame skipping (RTC: skip rather than queue). Output is ready for FLV: the
// AVCDecoderConfigurationRecord (built with codec::make_avc_config from the SPS/PPS of each IDR) and
// each frame's NAL units length-prefixed (4 bytes), SPS/PPS/AUD removed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "image/i420_view.h"

class ISVCEncoder;

namespace lw::codecs {

struct H264EncoderOptions {
  int width = 640, height = 360;  // even sides 16..1920, <= 1920x1088 pixels (else kUnsupported -> -1305)
  double fps = 30;
  int bitrate_kbps = 800;
  int gop_frames = 60;
  bool allow_frame_skip = false;
  // OpenH264 iMultipleThreadIdc, 1..4; above 1, that many slices per picture, encoded in parallel (wasm:
  // only the -pthread module livewasm_pusher_mt has threads; the others take 1).
  int threads = 1;
  int temporal_layers = 2;  // 2: every other picture is non-reference (droppable under congestion)
};

struct EncodedVideo {
  bool produced = false;   // false: the rate control skipped this frame
  bool key = false;        // IDR
  bool config_changed = false;  // avc_config() differs from the previous key frame's
  Bytes nal_units;         // AVCC, 4-byte lengths; reused buffer, valid until the next encode
  int64_t timestamp_ms = 0;
};

class H264Encoder {
 public:
  H264Encoder();
  ~H264Encoder();
  H264Encoder(const H264Encoder&) = delete;
  H264Encoder& operator=(const H264Encoder&) = delete;

  Status open(const H264EncoderOptions& options);
  // Changes the target bitrate without a new IDR (ENCODER_OPTION_BITRATE).
  Status set_bitrate(int kbps);
  // The next encode() produces an IDR.
  void request_key_frame();
  // `picture` must be options.width x height. kInvalid on an encoder error (SPEC -1303).
  Result<const EncodedVideo*> encode(const image::I420View& picture, int64_t timestamp_ms);

  ByteSpan avc_config() const { return {config_.data(), config_.size()}; }
  const H264EncoderOptions& options() const { return options_; }
  std::string name() const;  // "openh264 2.3.1"

 private:
  struct Deleter {
    void operator()(ISVCEncoder* e) const;
  };
  Status update_config(ByteSpan sps, ByteSpan pps);

  std::unique_ptr<ISVCEncoder, Deleter> enc_;
  H264EncoderOptions options_;
  Bytes config_;
  EncodedVideo out_;
  bool force_idr_ = false;
};

}  // namespace lw::codecs
