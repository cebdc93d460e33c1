// Decoded audio on one continuous timeline (NetEq keeps decoded audio in its sync buffer; here the
// decoders run ahead in the shell, so decoded PCM is what is buffered). Planar float at the source
// rate, one preallocated ring per channel. Frame index i of the timeline is media time
// anchor_us + i / rate. A packet that starts after the stored end leaves a gap that is filled with
// silence (the timeline is kept, never compressed); one that overlaps the end is trimmed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lw::play {

class PcmRing {
 public:
  // Holds at most `max_seconds` of audio (older frames fall out at the front).
  explicit PcmRing(double max_seconds = 14.0) : max_seconds_(max_seconds) {}

  // Adds one decoded packet. A change of rate or channels restarts the timeline at pts_us.
  // A gap longer than `max_gap_us` restarts it too (it is a discontinuity, not a gap).
  void push(int64_t pts_us, const float* planar, int32_t frames, int32_t channels, int32_t rate,
            int64_t max_gap_us = 10'000'000);
  void clear();

  bool empty() const { return end_ == begin_; }
  int32_t rate() const { return rate_; }
  int32_t channels() const { return channels_; }
  // Media time of the first and after the last stored frame.
  double start_us() const { return to_us(static_cast<double>(begin_)); }
  double end_us() const { return to_us(static_cast<double>(end_)); }
  double to_us(double index) const { return anchor_us_ + index * 1e6 / rate_; }
  double to_index(double us) const { return (us - anchor_us_) * rate_ / 1e6; }
  int64_t begin_index() const { return begin_; }
  int64_t end_index() const { return end_; }
  // Sample of channel c at timeline index i (begin_index() <= i < end_index()).
  float at(int32_t c, int64_t i) const { return data_[c][static_cast<size_t>(i % capacity_)]; }
  // Forgets frames before timeline index i.
  void drop_before(int64_t i);
  // Frames filled with silence so far (gaps).
  int64_t gap_frames() const { return gap_frames_; }
  size_t bytes() const { return static_cast<size_t>(end_ - begin_) * channels_ * sizeof(float); }

 private:
  void reset(int64_t pts_us, int32_t channels, int32_t rate);
  void append(const float* planar, int32_t channels, int64_t skip, int64_t frames);
  void append_silence(int64_t frames);

  double max_seconds_;
  int32_t rate_ = 0;
  int32_t channels_ = 0;
  double anchor_us_ = 0;
  int64_t begin_ = 0, end_ = 0;  // timeline indices stored: [begin_, end_)
  int64_t capacity_ = 0;
  int64_t gap_frames_ = 0;
  std::vector<std::vector<float>> data_;
};

}  // namespace lw::play
