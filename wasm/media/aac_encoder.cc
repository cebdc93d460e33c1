// AAC-LC through FFmpeg's native encoder (LGPL; FFmpeg 5.1 "aac"): planar float in, raw AAC frames (no
// ADTS) out, the AudioSpecificConfig from the encoder's extradata.
#include <algorithm>
#include <array>

#include "media/audio_encoder.h"
#include "media/ffmpeg_util.h"
#include "media/pcm_stager.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace lw::media {
namespace {

// ISO/IEC 14496-3 Table 1.18 rates the encoder keeps; anything else is resampled to 48 kHz.
constexpr std::array<int, 12> kAacRates = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000};

class AacEncoder final : public AudioEncoder {
 public:
  Status open(const AudioEncoderOptions& o) {
    const bool keep = std::find(kAacRates.begin(), kAacRates.end(), o.input_sample_rate) != kAacRates.end();
    rate_ = keep ? o.input_sample_rate : 48000;
    channels_ = o.quality == AudioQuality::kHigh ? 2 : 1;
    bitrate_kbps_ = o.quality == AudioQuality::kHigh ? 128 : 48;
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!codec) return Status(ErrorCode::kInvalid, "this build has no AAC encoder");
    ctx_.reset(avcodec_alloc_context3(codec));
    frame_.reset(av_frame_alloc());
    pkt_.reset(av_packet_alloc());
    if (!ctx_ || !frame_ || !pkt_) return Status(ErrorCode::kLimitExceeded, "ffmpeg allocation");
    ctx_->sample_fmt = AV_SAMPLE_FMT_FLTP;
    ctx_->sample_rate = rate_;
    av_channel_layout_default(&ctx_->ch_layout, channels_);
    ctx_->bit_rate = bitrate_kbps_ * 1000;
    ctx_->time_base = AVRational{1, rate_};
    ctx_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // extradata = AudioSpecificConfig
    if (int err = avcodec_open2(ctx_.get(), codec, nullptr); err < 0) return av_status(err, "avcodec_open2 aac");
    config_.assign(ctx_->extradata, ctx_->extradata + ctx_->extradata_size);
    frame_->format = AV_SAMPLE_FMT_FLTP;
    frame_->nb_samples = ctx_->frame_size;  // 1024
    frame_->sample_rate = rate_;
    if (int err = av_channel_layout_copy(&frame_->ch_layout, &ctx_->ch_layout); err < 0) return av_status(err, "layout");
    if (int err = av_frame_get_buffer(frame_.get(), 0); err < 0) return av_status(err, "av_frame_get_buffer");
    return stager_.open(o.input_sample_rate, o.input_channels, rate_, channels_, ctx_->frame_size);
  }

  Status encode(const float* pcm, int frames, int64_t timestamp_ms, std::vector<EncodedAudio>* out) override {
    out->clear();
    LW_RETURN_IF_ERROR(stager_.add(pcm, frames, timestamp_ms));
    const float* block = nullptr;
    int64_t ts = 0;
    while (stager_.next(&block, &ts)) {
      if (int err = av_frame_make_writable(frame_.get()); err < 0) return av_status(err, "av_frame_make_writable");
      for (int c = 0; c < channels_; ++c) {
        float* plane = reinterpret_cast<float*>(frame_->data[c]);
        for (int i = 0; i < frame_->nb_samples; ++i) plane[i] = block[i * channels_ + c];
      }
      frame_->pts = ts * rate_ / 1000;  // in 1/rate: the encoder hands it back, less its priming delay
      if (int err = avcodec_send_frame(ctx_.get(), frame_.get()); err < 0) return av_status(err, "avcodec_send_frame aac");
      LW_RETURN_IF_ERROR(drain(out));
    }
    return Status::Ok();
  }

  ByteSpan config() const override { return {config_.data(), config_.size()}; }
  int sample_rate() const override { return rate_; }
  int channels() const override { return channels_; }
  int bitrate_kbps() const override { return bitrate_kbps_; }
  std::string name() const override { return "ffmpeg aac"; }

 private:
  Status drain(std::vector<EncodedAudio>* out) {
    for (;;) {
      const int err = avcodec_receive_packet(ctx_.get(), pkt_.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return av_status(err, "avcodec_receive_packet aac");
      EncodedAudio a;
      a.data.assign(pkt_->data, pkt_->data + pkt_->size);
      a.timestamp_ms = std::max<int64_t>(0, pkt_->pts * 1000 / rate_);
      out->push_back(std::move(a));
      av_packet_unref(pkt_.get());
    }
  }

  CodecContextPtr ctx_;
  FramePtr frame_;
  PacketPtr pkt_;
  PcmStager stager_;
  Bytes config_;
  int rate_ = 0, channels_ = 0, bitrate_kbps_ = 0;
};

}  // namespace

Result<std::unique_ptr<AudioEncoder>> open_aac_encoder(const AudioEncoderOptions& options) {
  auto enc = std::make_unique<AacEncoder>();
  LW_RETURN_IF_ERROR(enc->open(options));
  return std::unique_ptr<AudioEncoder>(std::move(enc));
}

}  // namespace lw::media
