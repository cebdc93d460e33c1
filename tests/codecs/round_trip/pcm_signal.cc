#include "round_trip/pcm_signal.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lw::codecs {

std::vector<float> sine(double frequency_hz, int sample_rate, int samples, float amplitude) {
  std::vector<float> out(static_cast<size_t>(std::max(samples, 0)));
  const double step = 2 * std::numbers::pi * frequency_hz / sample_rate;
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(amplitude * std::sin(step * i));
  return out;
}

namespace {

// Correlation terms of decoded[i] against reference[i - delay] over the usable overlap.
struct Sums {
  double dr = 0, dd = 0, rr = 0;
  size_t n = 0;
};

Sums sums_at(const std::vector<float>& d, const std::vector<float>& r, int delay, int margin) {
  Sums s;
  const long begin = static_cast<long>(delay) + margin;
  const long end = std::min<long>(static_cast<long>(d.size()), static_cast<long>(r.size()) + delay) - margin;
  for (long i = begin; i < end; ++i) {
    const double dv = d[i], rv = r[i - delay];
    s.dr += dv * rv;
    s.dd += dv * dv;
    s.rr += rv * rv;
    ++s.n;
  }
  return s;
}

}  // namespace

SignalMatch match_signal(const std::vector<float>& decoded, const std::vector<float>& reference,
                         int max_delay, int margin) {
  SignalMatch best;
  for (int delay = 0; delay <= max_delay; ++delay) {
    const Sums s = sums_at(decoded, reference, delay, margin);
    if (s.n == 0 || s.dd == 0 || s.rr == 0) continue;
    const double corr = s.dr / std::sqrt(s.dd * s.rr);
    if (corr <= best.correlation) continue;
    best.correlation = corr;
    best.delay = delay;
    best.gain = s.dr / s.rr;
    // Residual energy of d - g r with the least-squares g: dd - dr^2 / rr.
    const double residual = std::max(s.dd - s.dr * s.dr / s.rr, 1e-12);
    best.snr_db = 10 * std::log10(best.gain * best.gain * s.rr / residual);
  }
  return best;
}

}  // namespace lw::codecs
