#include "play/resampler.h"

#include <cmath>

namespace lw::play {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

void Resampler::configure(double cutoff) {
  if (cutoff == cutoff_ && !table_.empty()) return;
  cutoff_ = cutoff;
  table_.assign(static_cast<size_t>(kPhases + 1) * kTaps, 0.f);
  const int half = kTaps / 2;
  for (int p = 0; p <= kPhases; ++p) {
    const double frac = static_cast<double>(p) / kPhases;  // position between source samples
    double sum = 0;
    float* row = &table_[static_cast<size_t>(p) * kTaps];
    for (int k = 0; k < kTaps; ++k) {
      // Tap k is source sample floor(pos) - half + 1 + k; its distance from pos:
      const double x = static_cast<double>(k - half + 1) - frac;
      const double sinc = x == 0 ? 1.0 : std::sin(kPi * cutoff * x) / (kPi * cutoff * x);
      const double w_pos = (x + half) / kTaps;  // 0..1 across the window
      const double window = w_pos <= 0 || w_pos >= 1
                                ? 0.0
                                : 0.42 - 0.5 * std::cos(2 * kPi * w_pos) + 0.08 * std::cos(4 * kPi * w_pos);
      row[k] = static_cast<float>(sinc * window);
      sum += row[k];
    }
    // Unity gain at DC for every phase (no level ripple as the phase moves).
    if (sum != 0) {
      for (int k = 0; k < kTaps; ++k) row[k] = static_cast<float>(row[k] / sum);
    }
  }
}

float Resampler::sample(const PcmRing& ring, int32_t c, double pos) const {
  const double fl = std::floor(pos);
  const int64_t i0 = static_cast<int64_t>(fl) - kTaps / 2 + 1;
  const double phase = (pos - fl) * kPhases;
  const int p = static_cast<int>(phase);
  const float t = static_cast<float>(phase - p);
  const float* a = &table_[static_cast<size_t>(p) * kTaps];
  const float* b = a + kTaps;
  const int64_t lo = ring.begin_index(), hi = ring.end_index();
  float acc = 0;
  if (i0 >= lo && i0 + kTaps <= hi) {
    for (int k = 0; k < kTaps; ++k) acc += ring.at(c, i0 + k) * (a[k] + t * (b[k] - a[k]));
  } else {
    for (int k = 0; k < kTaps; ++k) {
      const int64_t i = i0 + k;
      if (i >= lo && i < hi) acc += ring.at(c, i) * (a[k] + t * (b[k] - a[k]));
    }
  }
  return acc;
}

}  // namespace lw::play
