// The audio encoders' input stage: interleaved float PCM at the capture's rate and channel count in any
// block size -> interleaved float at the encoder's rate (swresample when the rates differ) and channel
// count (mono duplicated, stereo averaged), staged until a whole codec frame is there, with the
// timestamp of each frame's first sample. The clock is the sample count, anchored on the first block
// and re-anchored only when the caller's timestamps jump by more than 100 ms from it (a capture gap),
// so jitter in message delivery never reaches the stream's timestamps.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "codecs/ffmpeg_util.h"

namespace lw::codecs {

class PcmStager {
 public:
  Status open(int in_rate, int in_channels, int out_rate, int out_channels, int frame_samples);
  // Adds a block of `frames` samples per channel; kInvalid for a null block, more than 10 s at once
  // or a swresample failure.
  Status add(const float* interleaved, int frames, int64_t timestamp_ms);
  // The next whole frame (frame_samples * out_channels floats) if there is one, and its timestamp.
  bool next(const float** frame, int64_t* timestamp_ms);

 private:
  void stage(const float* pcm, int frames);

  int in_rate_ = 0, in_channels_ = 0, out_rate_ = 0, out_channels_ = 0, frame_samples_ = 0;
  SwrPtr swr_;
  std::vector<float> staged_;     // interleaved at the output format
  std::vector<float> converted_;  // swresample's output for one block (input channels)
  size_t read_ = 0;               // floats of staged_ already handed out
  bool anchored_ = false;
  int64_t anchor_ms_ = 0;         // media time of output sample 0 since the anchor
  int64_t samples_ = 0;           // output samples handed out or staged since the anchor
  int64_t handed_ = 0;            // output samples handed out since the anchor
};

}  // namespace lw::codecs
