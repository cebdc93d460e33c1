// Pitch-preserving time-stretching by WSOLA (waveform-similarity overlap-add; Verhelst & Roelands
// 1993), the way NetEq's accelerate and preemptive expand change the play-out rate without changing
// the pitch. Output is built in hops of Hs = 10 ms from Hann windows of 2 Hs at 50 % overlap (they
// sum to one). Each hop's window is taken from the input near the ideal position prev + rate * Hs,
// shifted by up to Hs / 2 to where it best continues the waveform the previous window left off
// (normalised cross-correlation, coarse on every 4th sample, then refined), so the overlap-add joins
// pitch periods in phase: no clicks, no pitch change, the duration shrinks (rate > 1) or grows
// (rate < 1) by the rate. At rate 1 the windows sit exactly end to end and the output is the input.
//
// The input is a function of media time (Source::read: the resampled PCM timeline), so the stretcher
// reads what it needs, behind and ahead, without a FIFO of its own.
#pragma once

#include <cstdint>
#include <vector>

namespace lw::play {

class TimeStretch {
 public:
  // Output-rate samples of every output channel from media time start_us, one per 1e6 / rate us.
  class Source {
   public:
    virtual ~Source() = default;
    virtual void read(double start_us, int32_t frames, float* const* planes) = 0;
  };
  // One stretch of output frames and the media time it carries (for the output clock).
  struct Span {
    int32_t offset = 0, frames = 0;
    double media_us = 0;
    double us_per_frame = 0;
  };

  void configure(int32_t output_rate, int32_t channels);
  // A new epoch at media time media_us (start, skip, resume after a stall): the first hop fades in.
  void start(double media_us);
  bool started() const { return started_; }
  void stop() { started_ = false; }
  int32_t hop() const { return hop_; }
  // Media time of the next frame render() would output.
  double next_media_us() const;
  // Media time span the stretcher reads around next_media_us(): behind (template) and ahead.
  double lookbehind_us() const { return 2.0 * hop_ * us_; }
  double lookahead_us() const { return 3.0 * hop_ * us_; }

  // Writes `frames` frames (planar, plane stride `stride`, from frame `at`) at playback rate `rate`;
  // appends the media time each part carries to `spans`.
  void render(Source& src, double rate, float* out, int32_t stride, int32_t at, int32_t frames,
              std::vector<Span>* spans);
  // The fade-out tail of the last window (Hs frames), for an underrun; the epoch ends.
  int32_t flush(float* out, int32_t stride, int32_t at, int32_t frames);

 private:
  void run_hop(Source& src, double rate);
  int32_t best_offset(Source& src, double natural_us, double ideal_us);

  int32_t rate_ = 48000, channels_ = 2, hop_ = 480, tol_ = 240;
  double us_ = 1e6 / 48000;
  bool started_ = false;
  bool first_hop_ = true;
  double prev_start_us_ = 0;
  double ideal_us_ = 0;
  double origin_us_ = 0;  // where the epoch began: the sample grid
  std::vector<float> window_;            // 2 hop Hann
  std::vector<std::vector<float>> acc_;  // per channel: second half of the last window (hop frames)
  std::vector<std::vector<float>> frame_;
  std::vector<std::vector<float>> fifo_; // finished output of the last hop
  std::vector<float*> planes_;
  std::vector<float> mono_t_, mono_c_;
  std::vector<std::vector<float>> scratch_;
  int32_t fifo_pos_ = 0, fifo_len_ = 0;
  double fifo_media_us_ = 0, fifo_us_per_frame_ = 0;
};

}  // namespace lw::play
