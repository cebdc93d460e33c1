// Audio proofs that the wasm builds of FFmpeg and libopus really work: a sine goes through an
// encoder and back through a decoder (or through the resampler), and the result is compared with
// the sine (pcm_signal.h). A broken codec shows as a low correlation, not as a crash.
#pragma once

#include <string>

#include "base/status.h"
#include "round_trip/pcm_signal.h"

namespace lw::codecs {

struct AudioRoundTripOptions {
  int sample_rate = 48000;  // Opus: 8000, 12000, 16000, 24000 or 48000
  int channels = 1;         // 1 or 2; every channel carries the same sine
  int bitrate = 64000;      // bits per second
  double frequency_hz = 1000;
  double seconds = 1.0;
};

struct AudioRoundTripResult {
  std::string encoder;  // "ffmpeg aac", "libopus"
  std::string decoder;  // "ffmpeg aac", "ffmpeg opus"
  int input_samples = 0;    // per channel
  int packets = 0;          // encoded packets
  int encoded_bytes = 0;
  int decoded_samples = 0;  // per channel
  int decoded_rate = 0;
  int decoded_channels = 0;
  SignalMatch match;        // channel 0 against the input sine
};

// FFmpeg's native AAC-LC encoder -> FFmpeg's AAC decoder (AudioSpecificConfig as extradata).
Result<AudioRoundTripResult> aac_round_trip(const AudioRoundTripOptions& options);
// libopus (20 ms frames) -> FFmpeg's Opus decoder (OpusHead as extradata).
Result<AudioRoundTripResult> opus_round_trip(const AudioRoundTripOptions& options);

struct ResampleOptions {
  int in_rate = 48000;
  int out_rate = 44100;
  double frequency_hz = 1000;
  double seconds = 1.0;
};

struct ResampleResult {
  int input_samples = 0;
  int output_samples = 0;    // including what the flush returned
  int expected_samples = 0;  // input_samples * out_rate / in_rate, rounded
  SignalMatch match;         // against the same sine generated at out_rate
};

// libswresample, mono float: a sine at in_rate -> out_rate.
Result<ResampleResult> resample_sine(const ResampleOptions& options);

}  // namespace lw::codecs
