#include "codecs/pcm_stager.h"

#include <cstdlib>
#include <string>

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace lw::codecs {

Status PcmStager::open(int in_rate, int in_channels, int out_rate, int out_channels, int frame_samples) {
  if (in_rate <= 0 || out_rate <= 0 || in_channels < 1 || in_channels > 2 || out_channels < 1 || out_channels > 2 ||
      frame_samples <= 0)
    return Status(ErrorCode::kInvalid, "PCM stager: rates, 1 or 2 channels and a frame size are needed");
  in_rate_ = in_rate;
  in_channels_ = in_channels;
  out_rate_ = out_rate;
  out_channels_ = out_channels;
  frame_samples_ = frame_samples;
  swr_.reset();
  staged_.clear();
  read_ = 0;
  anchored_ = false;
  anchor_ms_ = samples_ = handed_ = 0;
  if (in_rate == out_rate) return Status::Ok();
  // swresample changes the rate only; the channels are mapped in stage(), because its automatic
  // matrix mixes mono (front centre) into stereo at -3 dB, where a duplicated channel is wanted.
  AVChannelLayout layout;
  av_channel_layout_default(&layout, in_channels);
  SwrContext* raw = nullptr;
  if (int err = swr_alloc_set_opts2(&raw, &layout, AV_SAMPLE_FMT_FLT, out_rate, &layout, AV_SAMPLE_FMT_FLT, in_rate, 0,
                                    nullptr);
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
    // The first block, or a capture gap: re-anchor so that what is still staged keeps its place just
    // before this block. Smaller differences are delivery jitter and are ignored.
    const int64_t staged = samples_ - handed_;
    anchor_ms_ = timestamp_ms - staged * 1000 / out_rate_;
    samples_ = staged;
    handed_ = 0;
    anchored_ = true;
  }
  // Drop what was handed out before growing (less than a frame stays, so this moves little).
  if (read_ > 0) {
    staged_.erase(staged_.begin(), staged_.begin() + static_cast<std::ptrdiff_t>(read_));
    read_ = 0;
  }
  if (!swr_) {
    stage(interleaved, frames);
    return Status::Ok();
  }
  const int room = swr_get_out_samples(swr_.get(), frames);
  if (room < 0) return av_status(room, "swr_get_out_samples");
  converted_.resize(static_cast<size_t>(room) * in_channels_);  // grows to the largest block, then stays
  uint8_t* out[1] = {reinterpret_cast<uint8_t*>(converted_.data())};
  const uint8_t* in[1] = {reinterpret_cast<const uint8_t*>(interleaved)};
  const int got = swr_convert(swr_.get(), out, room, in, frames);
  if (got < 0) return av_status(got, "swr_convert");
  stage(converted_.data(), got);
  return Status::Ok();
}

// Appends `frames` interleaved samples of in_channels_ as out_channels_: mono is duplicated into both
// channels, stereo is averaged into mono.
void PcmStager::stage(const float* pcm, int frames) {
  const size_t n = static_cast<size_t>(frames);
  if (in_channels_ == out_channels_) {
    staged_.insert(staged_.end(), pcm, pcm + n * in_channels_);
  } else if (out_channels_ == 2) {
    const size_t at = staged_.size();
    staged_.resize(at + 2 * n);
    for (size_t i = 0; i < n; ++i) staged_[at + 2 * i] = staged_[at + 2 * i + 1] = pcm[i];
  } else {
    const size_t at = staged_.size();
    staged_.resize(at + n);
    for (size_t i = 0; i < n; ++i) staged_[at + i] = 0.5f * (pcm[2 * i] + pcm[2 * i + 1]);
  }
  samples_ += frames;
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

}  // namespace lw::codecs
