// Test signals and a signal comparison for the audio round trips: a sine to encode, and a measure of
// how well a decoded signal matches it. Codecs delay their output (AAC priming, Opus pre-skip,
// resampler filters), so the comparison searches the best delay first.
#pragma once

#include <vector>

namespace lw::codecs {

// `samples` samples of amplitude * sin(2 pi f n / rate).
std::vector<float> sine(double frequency_hz, int sample_rate, int samples, float amplitude = 0.5f);

struct SignalMatch {
  double correlation = 0;  // normalised cross-correlation at the best delay, -1..1
  int delay = 0;           // decoded[i] ~ gain * reference[i - delay]
  double gain = 0;         // least-squares gain at that delay
  double snr_db = 0;       // reference energy over residual energy, after the gain
};

// Compares `decoded` with `reference` delayed by 0..max_delay samples, ignoring `margin` samples at
// either end of the overlap (codec start-up and flush). A zero/empty overlap gives correlation 0.
SignalMatch match_signal(const std::vector<float>& decoded, const std::vector<float>& reference,
                         int max_delay, int margin);

}  // namespace lw::codecs
