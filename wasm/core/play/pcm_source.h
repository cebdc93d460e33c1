// The PCM timeline as a function of media time at the output rate: the band-limited resampler reads
// the ring at the position of each output frame and maps the source channels onto the output ones
// (mono to every output channel; more to fewer: the extra ones mixed down). What TimeStretch reads.
#pragma once

#include <cstdint>

#include "play/pcm_ring.h"
#include "play/resampler.h"
#include "play/time_stretch.h"

namespace lw::play {

class PcmSource final : public TimeStretch::Source {
 public:
  PcmSource(const PcmRing& ring, const Resampler& resampler) : ring_(ring), resampler_(resampler) {}
  void set_output(int32_t rate, int32_t channels) {
    rate_ = rate;
    channels_ = channels;
  }
  void read(double start_us, int32_t frames, float* const* planes) override;

 private:
  const PcmRing& ring_;
  const Resampler& resampler_;
  int32_t rate_ = 48000, channels_ = 2;
};

}  // namespace lw::play
