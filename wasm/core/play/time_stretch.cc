#include "play/time_stretch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lw::play {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

void TimeStretch::configure(int32_t output_rate, int32_t channels) {
  if (output_rate == rate_ && channels == channels_ && !window_.empty()) return;
  rate_ = output_rate;
  channels_ = channels;
  hop_ = std::max(16, output_rate / 100);
  tol_ = hop_ / 2;
  us_ = 1e6 / output_rate;
  window_.resize(static_cast<size_t>(2 * hop_));
  for (int32_t i = 0; i < 2 * hop_; ++i) window_[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * kPi * i / (2 * hop_)));
  acc_.assign(channels, std::vector<float>(hop_, 0.f));
  frame_.assign(channels, std::vector<float>(2 * hop_, 0.f));
  fifo_.assign(channels, std::vector<float>(hop_, 0.f));
  scratch_.assign(channels, std::vector<float>(2 * tol_ + 2 * hop_, 0.f));
  planes_.resize(channels);
  mono_t_.resize(hop_);
  mono_c_.resize(2 * tol_ + hop_);
  started_ = false;
}

void TimeStretch::start(double media_us) {
  started_ = true;
  first_hop_ = true;
  prev_start_us_ = media_us - hop_ * us_;
  ideal_us_ = prev_start_us_;
  origin_us_ = media_us;
  fifo_pos_ = fifo_len_ = 0;
  for (auto& a : acc_) std::fill(a.begin(), a.end(), 0.f);
}

double TimeStretch::next_media_us() const {
  if (fifo_pos_ < fifo_len_) return fifo_media_us_ + fifo_pos_ * fifo_us_per_frame_;
  return prev_start_us_ + hop_ * us_;
}

int32_t TimeStretch::best_offset(Source& src, double natural_us, double ideal_us) {
  // Template: what would naturally follow the previous window. Candidates: around the ideal position.
  for (int32_t c = 0; c < channels_; ++c) planes_[c] = scratch_[c].data();
  src.read(natural_us, hop_, planes_.data());
  for (int32_t k = 0; k < hop_; ++k) {
    float v = 0;
    for (int32_t c = 0; c < channels_; ++c) v += scratch_[c][k];
    mono_t_[k] = v;
  }
  const int32_t span = 2 * tol_ + hop_;
  src.read(ideal_us - tol_ * us_, span, planes_.data());
  for (int32_t k = 0; k < span; ++k) {
    float v = 0;
    for (int32_t c = 0; c < channels_; ++c) v += scratch_[c][k];
    mono_c_[k] = v;
  }
  auto score = [&](int32_t off, int32_t step) {
    double xy = 0, yy = 1e-9;
    const float* y = &mono_c_[off + tol_];
    for (int32_t k = 0; k < hop_; k += step) {
      xy += static_cast<double>(mono_t_[k]) * y[k];
      yy += static_cast<double>(y[k]) * y[k];
    }
    return xy / std::sqrt(yy);
  };
  int32_t best = 0;
  double best_score = -1e300;
  for (int32_t off = -tol_; off <= tol_; off += 4) {
    const double s = score(off, 4);
    if (s > best_score) best_score = s, best = off;
  }
  const int32_t coarse = best;
  best_score = -1e300;
  for (int32_t off = std::max(-tol_, coarse - 3); off <= std::min(tol_, coarse + 3); ++off) {
    const double s = score(off, 1);
    if (s > best_score) best_score = s, best = off;
  }
  return best;
}

void TimeStretch::run_hop(Source& src, double rate) {
  // The analysis positions follow the ideal line (advancing rate x Hs per hop); each window may sit
  // up to Hs / 2 off it, so the offsets never accumulate and the media advances at `rate` on average.
  const double natural = prev_start_us_ + hop_ * us_;
  ideal_us_ += hop_ * us_ * rate;
  double start = natural;
  if (first_hop_) {
    ideal_us_ = natural;
  } else if (std::fabs(rate - 1.0) < 1e-9) {
    // At rate 1 the natural continuation is perfect; the ideal line keeps its distance, so short runs
    // of stretched hops between normal ones still add up (it is never resynchronised to `natural`).
  } else {
    // Candidates on the output sample grid of this epoch: with equal input and output rates they
    // fall on input samples (the resampler's fast path), and nothing is lost by it.
    const double center = origin_us_ + std::round((ideal_us_ - origin_us_) / us_) * us_;
    start = center + best_offset(src, natural, center) * us_;
  }
  first_hop_ = false;
  for (int32_t c = 0; c < channels_; ++c) planes_[c] = frame_[c].data();
  src.read(start, 2 * hop_, planes_.data());
  for (int32_t c = 0; c < channels_; ++c) {
    float* f = frame_[c].data();
    float* a = acc_[c].data();
    float* o = fifo_[c].data();
    for (int32_t k = 0; k < hop_; ++k) {
      o[k] = a[k] + f[k] * window_[k];
      a[k] = f[hop_ + k] * window_[hop_ + k];
    }
  }
  // The hop's output carries media from `start` on (at rate 1 exactly; within a window otherwise).
  fifo_media_us_ = start;
  fifo_us_per_frame_ = us_ * rate;
  fifo_pos_ = 0;
  fifo_len_ = hop_;
  prev_start_us_ = start;
}

void TimeStretch::render(Source& src, double rate, float* out, int32_t stride, int32_t at, int32_t frames,
                         std::vector<Span>* spans) {
  int32_t done = 0;
  while (done < frames) {
    if (fifo_pos_ >= fifo_len_) run_hop(src, rate);
    const int32_t n = std::min(frames - done, fifo_len_ - fifo_pos_);
    for (int32_t c = 0; c < channels_; ++c) {
      std::memcpy(out + static_cast<size_t>(c) * stride + at + done, fifo_[c].data() + fifo_pos_, n * sizeof(float));
    }
    if (spans) spans->push_back({at + done, n, fifo_media_us_ + fifo_pos_ * fifo_us_per_frame_, fifo_us_per_frame_});
    fifo_pos_ += n;
    done += n;
  }
}

int32_t TimeStretch::flush(float* out, int32_t stride, int32_t at, int32_t frames) {
  // What is left of the last hop, then the decaying half window: a 10 ms fade-out.
  int32_t done = 0;
  const int32_t left = fifo_len_ - fifo_pos_;
  const int32_t n1 = std::min(frames, std::max(0, left));
  for (int32_t c = 0; c < channels_; ++c) {
    if (n1 > 0) std::memcpy(out + static_cast<size_t>(c) * stride + at, fifo_[c].data() + fifo_pos_, n1 * sizeof(float));
  }
  done = n1;
  const int32_t n2 = std::min(frames - done, hop_);
  for (int32_t c = 0; c < channels_; ++c) {
    if (n2 > 0) std::memcpy(out + static_cast<size_t>(c) * stride + at + done, acc_[c].data(), n2 * sizeof(float));
  }
  done += n2;
  started_ = false;
  fifo_pos_ = fifo_len_ = 0;
  return done;
}

}  // namespace lw::play
