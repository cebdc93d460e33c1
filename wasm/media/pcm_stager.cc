#include "media/pcm_stager.h"

#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace lw::media {

Status PcmStager::open(int in_rate, int in_channels, int out_rate, int out_channels, int frame_samples) {
  in_rate_ = in_rate;
  in_channels_ = in_channels;
  out_rate_ = out_rate;
  out_channels_ = out_channels;
  frame_samples_ = frame_samples;
  if (in_rate == out_rate && in_channels == out_channels) return Status::Ok();
  AVChannelLayout in_layout, out_layout;
  av_channel_layout_default(&in_layout, in_channels);
  av_channel_layout_default(&out_layout, out_channels);
  SwrContext* raw = nullptr;
  if (int err = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, out_rate, &in_layout, AV_SAMPLE_FMT_FLT,
                                    in_rate, 0, nullptr);
      err < 0)
    return av_status(err, "swr_alloc_set_opts2");
  swr_.reset(raw);
  if (int err = swr_init(swr_.get()); err < 0) return av_status(err, "swr_init");
  return Status::Ok();
}

Status PcmStager::add(const float* interleaved, int frames, int64_t timestamp_ms) {
  if (frames <= 0) return Status::Ok();
  if (!interleaved) return Status(ErrorCode::kInvalid, "null PCM block");
  if (frames > in_rate_ * 10)
    return Status(ErrorCode::kInvalid, "PCM block of " + std::to_string(frames) + " samples (10 s at most at once)");
  const int64_t expected = anchor_ms_ + samples_ * 1000 / out_rate_;
  if (!anchored_ || std::llabs(timestamp_ms - expected) > 100) {
    // A capture gap (or the first block): re-anchor so that what is still staged keeps its place
    // just before this block.
    const int64_t staged = samples_ - handed_;
    anchor_ms_ = timestamp_ms - staged * 1000 / out_rate_;
    samples_ = staged;
    handed_ = 0;
    anchored_ = true;
  }
  // Compact what was handed out before growing.
  if (read_ > 0) {
    staged_.erase(staged_.begin(), staged_.begin() + static_cast<std::ptrdiff_t>(read_));
    read_ = 0;
  }
  if (!swr_) {
    staged_.insert(staged_.end(), interleaved, interleaved + static_cast<size_t>(frames) * in_channels_);
    samples_ += frames;
    return Status::Ok();
  }
  const int room = swr_get_out_samples(swr_.get(), frames);
  if (room < 0) return av_status(room, "swr_get_out_samples");
  converted_.resize(static_cast<size_t>(room) * out_channels_);
  uint8_t* out[1] = {reinterpret_cast<uint8_t*>(converted_.data())};
  const uint8_t* in[1] = {reinterpret_cast<const uint8_t*>(interleaved)};
  const int got = swr_convert(swr_.get(), out, room, in, frames);
  if (got < 0) return av_status(got, "swr_convert");
  staged_.insert(staged_.end(), converted_.begin(), converted_.begin() + static_cast<std::ptrdiff_t>(got) * out_channels_);
  samples_ += got;
  return Status::Ok();
}

bool PcmStager::next(const float** frame, int64_t* timestamp_ms) {
  const size_t need = static_cast<size_t>(frame_samples_) * out_channels_;
  if (staged_.size() - read_ < need) return false;
  *frame = staged_.data() + read_;
  *timestamp_ms = anchor_ms_ + handed_ * 1000 / out_rate_;
  read_ += need;
  handed_ += frame_samples_;
  return true;
}

}  // namespace lw::media
