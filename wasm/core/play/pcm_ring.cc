#include "play/pcm_ring.h"

#include <algorithm>
#include <cmath>

namespace lw::play {

void PcmRing::reset(int64_t pts_us, int32_t channels, int32_t rate) {
  const int64_t capacity = static_cast<int64_t>(std::ceil(max_seconds_ * rate));
  if (rate != rate_ || channels != channels_ || capacity != capacity_) {
    data_.assign(static_cast<size_t>(channels), std::vector<float>(static_cast<size_t>(capacity), 0.f));
  }
  rate_ = rate;
  channels_ = channels;
  capacity_ = capacity;
  anchor_us_ = static_cast<double>(pts_us);
  begin_ = end_ = 0;
}

void PcmRing::clear() { begin_ = end_ = 0; }

void PcmRing::push(int64_t pts_us, const float* planar, int32_t frames, int32_t channels, int32_t rate,
                   int64_t max_gap_us) {
  if (frames <= 0 || channels <= 0 || channels > 8 || rate < 1000 || rate > 384000 || planar == nullptr) return;
  if (rate != rate_ || channels != channels_ || end_ == 0) reset(pts_us, channels, rate);
  int64_t index = static_cast<int64_t>(std::llround(to_index(static_cast<double>(pts_us))));
  const double gap_us = to_us(static_cast<double>(index)) - end_us();
  if (gap_us > static_cast<double>(max_gap_us) || gap_us < -2e6) {
    reset(pts_us, channels, rate);
    index = 0;
  }
  // Within a millisecond counts as contiguous (timestamps are whole milliseconds in FLV).
  const int64_t tolerance = rate_ / 1000 + 1;
  if (index > end_ + tolerance) {
    append_silence(index - end_);
  } else if (index >= end_ - tolerance) {
    index = end_;  // contiguous
  }
  const int64_t skip = std::max<int64_t>(0, end_ - index);
  if (skip < frames) append(planar, channels, skip, frames);
}

void PcmRing::append(const float* planar, int32_t channels, int64_t skip, int64_t frames) {
  for (int64_t f = skip; f < frames; ++f) {
    const size_t slot = static_cast<size_t>(end_ % capacity_);
    for (int32_t c = 0; c < channels; ++c) data_[c][slot] = planar[c * frames + f];
    ++end_;
  }
  if (end_ - begin_ > capacity_) begin_ = end_ - capacity_;
}

void PcmRing::append_silence(int64_t frames) {
  if (frames >= capacity_) {  // nothing stored survives it: jump
    end_ += frames;
    begin_ = end_;
    gap_frames_ += frames;
    return;
  }
  for (int64_t f = 0; f < frames; ++f) {
    const size_t slot = static_cast<size_t>(end_ % capacity_);
    for (int32_t c = 0; c < channels_; ++c) data_[c][slot] = 0.f;
    ++end_;
  }
  gap_frames_ += frames;
  if (end_ - begin_ > capacity_) begin_ = end_ - capacity_;
}

void PcmRing::drop_before(int64_t i) {
  begin_ = std::clamp<int64_t>(i, begin_, end_);
}

}  // namespace lw::play
