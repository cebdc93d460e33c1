// Video proofs that the wasm builds of libyuv, OpenH264 and FFmpeg really work: synthetic RGBA
// frames -> libyuv (RGBA to I420) -> OpenH264 encoder -> H.264 decoder (FFmpeg's or OpenH264's) ->
// PSNR against the I420 that went in. And a plain decoder run over an Annex B elementary stream
// (H.264 or HEVC), split into access units by FFmpeg's parser.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codecs {

struct VideoRoundTripOptions {
  int width = 320;       // even, 16..1920
  int height = 240;      // even, 16..1088
  int frames = 30;       // 1..600
  int bitrate = 500000;  // bits per second
  double fps = 30;
  int intra_period = 30; // frames between IDRs
  std::string decoder = "ffmpeg";  // "ffmpeg" or "openh264"
};

struct VideoRoundTripResult {
  std::string encoder;       // "openh264 2.3.1"
  std::string decoder;       // "ffmpeg h264" or "openh264 2.3.1"
  int encoded_frames = 0;    // frames the encoder produced bits for
  int idr_frames = 0;
  int encoded_bytes = 0;     // Annex B, all frames
  int decoded_frames = 0;
  int decoded_width = 0;
  int decoded_height = 0;
  double psnr_y_avg = 0;     // dB, average over frames of the luma PSNR
  double psnr_y_min = 0;     // dB, worst frame
  double psnr_avg = 0;       // dB, average over frames of the PSNR over Y, U and V together
};

Result<VideoRoundTripResult> h264_round_trip(const VideoRoundTripOptions& options);

struct DecodeResult {
  std::string decoder;   // "ffmpeg h264", "ffmpeg hevc"
  int packets = 0;       // access units the parser found
  int frames = 0;        // pictures the decoder returned
  int width = 0;
  int height = 0;
  uint32_t checksum = 0; // FNV-1a over the visible luma of every frame, in output order
};

// Decodes a whole Annex B elementary stream. `codec`: "h264" or "hevc".
Result<DecodeResult> decode_annexb(const std::string& codec, ByteSpan stream);

}  // namespace lw::codecs
