// Band-limited reading of the PCM timeline at fractional positions: a windowed-sinc interpolator
// (Blackman-windowed, 16 taps, 512 polyphase phases with linear interpolation between phases), which
// is both the resampler (decoded rate -> output rate, e.g. 44100 -> 48000) and the reader that
// time-stretching steps through. Quality is that of a polyphase FIR: a 1 kHz tone keeps its frequency
// and level, no zipper noise as the step changes, and block boundaries are invisible because every
// output sample is computed from the continuous timeline.
#pragma once

#include <cstdint>
#include <vector>

#include "play/pcm_ring.h"

namespace lw::play {

class Resampler {
 public:
  static constexpr int kTaps = 16;       // taps per phase (8 either side)
  static constexpr int kPhases = 512;

  Resampler() { configure(1.0); }
  // cutoff: fraction of the source Nyquist to keep (min(1, out_rate / in_rate) minus a guard band).
  void configure(double cutoff);
  double cutoff() const { return cutoff_; }

  // Sample of channel c at fractional timeline index `pos`; frames outside the ring count as silence.
  float sample(const PcmRing& ring, int32_t c, double pos) const;
  // Frames of look-ahead needed after a position.
  static constexpr int lookahead() { return kTaps / 2; }

 private:
  double cutoff_ = 0;
  std::vector<float> table_;  // (kPhases + 1) x kTaps
};

}  // namespace lw::play
