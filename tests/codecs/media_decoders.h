// FFmpeg decoders as the judges of the media tests: what the encoders under test produce is decoded by
// an independent implementation (native libavcodec), then measured.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codecs::test {

struct DecodedAudio {
  int sample_rate = 0;
  std::vector<std::vector<float>> channels;  // planar, one vector per channel
};

// `decoder`: an FFmpeg decoder name ("aac", "opus", "libopus"); `extradata`: the AudioSpecificConfig or
// OpusHead; `packets`: raw frames as the encoder gave them. Flushes the decoder at the end.
Result<DecodedAudio> decode_audio(const std::string& decoder, ByteSpan extradata, const std::vector<Bytes>& packets);

struct DecodedPicture {
  int width = 0, height = 0;
  std::vector<uint8_t> y;  // tightly packed luma
};

// FFmpeg's h264 decoder with `avcc_config` as extradata (so it reads 4-byte length-prefixed NAL
// units); one packet per encoded frame. Returns the pictures in output order, after a flush.
Result<std::vector<DecodedPicture>> decode_h264(ByteSpan avcc_config, const std::vector<Bytes>& frames);

// Frequency by counting upward zero crossings over `samples` (skipping `skip` at the start) and RMS level.
struct ToneMeasure {
  double frequency_hz = 0;
  double rms = 0;
};
ToneMeasure measure_tone(const std::vector<float>& samples, int sample_rate, size_t skip, size_t count);

// Luma PSNR in dB between two tightly packed planes of the same size (99 for identical planes).
double psnr(const uint8_t* a, const uint8_t* b, size_t n);

}  // namespace lw::codecs::test
