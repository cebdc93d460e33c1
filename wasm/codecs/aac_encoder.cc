// AAC-LC through FFmpeg's native encoder (LGPL; FFmpeg 5.1 "aac"): planar float in, raw AAC frames (no
// ADTS: FLV carries the AudioSpecificConfig once, in the sequence header) out.
#include <array>

#include "codecs/audio_encoder.h"
#include "codecs/audio_encoder_internal.h"
#include "codecs/ffmpeg_util.h"
#include "codecs/pcm_stager.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace lw::codecs {
namespace {

class AacEncoder final : public AudioEncoder {
 public:
  Status open(const AudioEncoderOptions& o) {
    // 44.1 and 48 kHz are what capture devices give and every player takes; anything else (a 16 kHz
    // headset, a 96 kHz interface) is resampled to 48 kHz rather than sent at an odd rate.
    rate_ = o.input_sample_rate == 44100 || o.input_sample_rate == 48000 ? o.input_sample_rate : 48000;
    const bool high = o.quality == AudioQuality::kHigh;
    channels_ = high ? 2 : 1;
    bitrate_kbps_ = high ? 128 : 48;
    const AVCodec* codec = avcodec_find_encoder_by_name("aac");  // the native one, whatever else exists
    if (!codec) return Status(ErrorCode::kInvalid, "this FFmpeg build has no native AAC encoder");
    ctx_.reset(avcodec_alloc_context3(codec));
    frame_.reset(av_frame_alloc());
    pkt_.reset(av_packet_alloc());
    if (!ctx_ || !frame_ || !pkt_) return Status(ErrorCode::kLimitExceeded, "FFmpeg allocation failed");
    ctx_->sample_fmt = AV_SAMPLE_FMT_FLTP;
    ctx_->sample_rate = rate_;
    av_channel_layout_default(&ctx_->ch_layout, channels_);
    ctx_->bit_rate = int64_t{bitrate_kbps_} * 1000;
    ctx_->profile = FF_PROFILE_AAC_LOW;
    ctx_->time_base = AVRational{1, rate_};
    ctx_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // extradata = AudioSpecificConfig, frames without ADTS
    if (int err = avcodec_open2(ctx_.get(), codec, nullptr); err < 0) return av_status(err, "avcodec_open2 aac");
    if (ctx_->extradata_size < 2 || ctx_->frame_size <= 0)
      return Status(ErrorCode::kInvalid, "FFmpeg aac gave no AudioSpecificConfig or frame size");
    config_.assign(ctx_->extradata, ctx_->extradata + ctx_->extradata_size);
    frame_->format = AV_SAMPLE_FMT_FLTP;
    frame_->nb_samples = ctx_->frame_size;  // 1024
    frame_->sample_rate = rate_;
    if (int err = av_channel_layout_copy(&frame_->ch_layout, &ctx_->ch_layout); err < 0)
      return av_status(err, "av_channel_layout_copy");
    if (int err = av_frame_get_buffer(frame_.get(), 0); err < 0) return av_status(err, "av_frame_get_buffer");
    pending_ = 0;
    sent_ = 0;
    return stager_.open(o.input_sample_rate, o.input_channels, rate_, channels_, ctx_->frame_size);
  }

  Status encode(const float* pcm, int frames, int64_t timestamp_ms, std::vector<EncodedAudio>* out) override {
    EncodedAudioList list(out);
    LW_RETURN_IF_ERROR(stager_.add(pcm, frames, timestamp_ms));
    const float* block = nullptr;
    int64_t ts = 0;
    while (stager_.next(&block, &ts)) {
      if (int err = av_frame_make_writable(frame_.get()); err < 0) return av_status(err, "av_frame_make_writable");
      for (int c = 0; c < channels_; ++c) {  // interleaved -> planar
        float* plane = reinterpret_cast<float*>(frame_->data[c]);
        for (int i = 0; i < frame_->nb_samples; ++i) plane[i] = block[i * channels_ + c];
      }
      frame_->pts = sent_;
      sent_ += frame_->nb_samples;
      if (pending_ == kMaxPending) return Status(ErrorCode::kInvalid, "FFmpeg aac holds back too many frames");
      timestamps_[(first_ + pending_++) % kMaxPending] = ts;
      if (int err = avcodec_send_frame(ctx_.get(), frame_.get()); err < 0) return av_status(err, "avcodec_send_frame aac");
      LW_RETURN_IF_ERROR(drain(&list));
    }
    return Status::Ok();
  }

  ByteSpan config() const override { return {config_.data(), config_.size()}; }
  int sample_rate() const override { return rate_; }
  int channels() const override { return channels_; }
  int bitrate_kbps() const override { return bitrate_kbps_; }
  std::string name() const override { return "ffmpeg aac"; }

 private:
  // The encoder returns one packet per frame, in order, a frame or two late (its look-ahead). Each
  // packet takes the capture time of the frame it encodes; the 1024 priming samples a decoder plays
  // first are not subtracted (FLV has no edit list), so audio plays about 21 ms late, as from ffmpeg.
  Status drain(EncodedAudioList* list) {
    for (;;) {
      const int err = avcodec_receive_packet(ctx_.get(), pkt_.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return av_status(err, "avcodec_receive_packet aac");
      EncodedAudio& a = list->add();
      a.data.assign(pkt_->data, pkt_->data + pkt_->size);
      a.timestamp_ms = pending_ > 0 ? timestamps_[first_] : 0;
      if (pending_ > 0) {
        first_ = (first_ + 1) % kMaxPending;
        --pending_;
      }
      av_packet_unref(pkt_.get());
    }
  }

  static constexpr int kMaxPending = 16;
  CodecContextPtr ctx_;
  FramePtr frame_;
  PacketPtr pkt_;
  PcmStager stager_;
  Bytes config_;
  std::array<int64_t, kMaxPending> timestamps_{};  // capture times of frames sent, not yet returned
  int first_ = 0, pending_ = 0;
  int64_t sent_ = 0;  // samples sent, the frames' pts
  int rate_ = 0, channels_ = 0, bitrate_kbps_ = 0;
};

}  // namespace

Result<std::unique_ptr<AudioEncoder>> open_aac_encoder(const AudioEncoderOptions& options) {
  auto enc = std::make_unique<AacEncoder>();
  LW_RETURN_IF_ERROR(enc->open(options));
  return std::unique_ptr<AudioEncoder>(std::move(enc));
}

}  // namespace lw::codecs
