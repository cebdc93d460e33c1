#include "play/pcm_source.h"

#include <algorithm>
#include <cmath>

namespace lw::play {

void PcmSource::read(double start_us, int32_t frames, float* const* planes) {
  const int32_t ic = ring_.channels();
  if (ring_.rate() <= 0 || ic <= 0) {
    for (int32_t c = 0; c < channels_; ++c) std::fill(planes[c], planes[c] + frames, 0.f);
    return;
  }
  const double step = static_cast<double>(ring_.rate()) / rate_;
  const double pos0 = ring_.to_index(start_us);
  const double whole = std::round(pos0);
  if (ring_.rate() == rate_ && std::fabs(pos0 - whole) < 1e-3 && ic == channels_) {
    // Same rate, on the sample grid (the usual case: 48 kHz in and out): the samples themselves.
    const int64_t i0 = static_cast<int64_t>(whole);
    const int64_t lo = ring_.begin_index(), hi = ring_.end_index();
    for (int32_t c = 0; c < channels_; ++c) {
      for (int32_t f = 0; f < frames; ++f) {
        const int64_t i = i0 + f;
        planes[c][f] = i >= lo && i < hi ? ring_.at(c, i) : 0.f;
      }
    }
    return;
  }
  for (int32_t c = 0; c < channels_; ++c) {
    float* out = planes[c];
    if (ic > channels_ && channels_ == 1) {  // down-mix to mono
      for (int32_t f = 0; f < frames; ++f) {
        float v = 0;
        for (int32_t k = 0; k < ic; ++k) v += resampler_.sample(ring_, k, pos0 + f * step);
        out[f] = v / static_cast<float>(ic);
      }
    } else {
      const int32_t src = std::min(c, ic - 1);  // mono (or fewer channels) fills the rest
      for (int32_t f = 0; f < frames; ++f) out[f] = resampler_.sample(ring_, src, pos0 + f * step);
    }
  }
}

}  // namespace lw::play
