#include "codecs/audio_decoder.h"

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/buffer.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
#include <libavutil/samplefmt.h>
}

#include "codecs/video_decoder.h"  // the FFmpeg helpers both decoders share

namespace lw::codecs {
namespace {

// Sample `i` of channel `c` as float, whatever the decoder's sample format.
template <class T>
float sample_at(const AVFrame* f, int c, int i, bool planar, float scale) {
  const int nch = f->ch_layout.nb_channels;
  const T* p = planar ? reinterpret_cast<const T*>(f->extended_data[c])
                      : reinterpret_cast<const T*>(f->extended_data[0]) + c;
  return static_cast<float>(p[planar ? i : i * nch]) * scale;
}

}  // namespace

FfmpegAudioDecoder::FfmpegAudioDecoder() { install_ffmpeg_log_capture(); }

FfmpegAudioDecoder::~FfmpegAudioDecoder() {
  avcodec_free_context(&ctx_);
  av_frame_free(&frame_);
  av_packet_free(&pkt_);
  av_buffer_unref(&input_);
}

Status FfmpegAudioDecoder::configure(std::string_view decoder, ByteSpan description, int sample_rate, int channels) {
  if (decoder != "aac" && decoder != "opus" && decoder != "mp3" && decoder != "flac" && decoder != "ac3" &&
      decoder != "eac3")
    return Status(ErrorCode::kUnsupported, "audio decoder must be 'aac', 'opus', 'mp3', 'flac', 'ac3' or 'eac3', not '" +
                                               std::string(decoder) + "'");
  if (ctx_ && decoder == name_ && sample_rate == hint_rate_ && channels == hint_channels_ &&
      std::equal(description.begin(), description.end(), description_.begin(), description_.end()))
    return Status::Ok();
  if (decoder == "aac" && description.size() < 2)
    return Status(ErrorCode::kInvalid, "AAC needs an AudioSpecificConfig of at least 2 bytes");
  if (channels < 0 || channels > 8) return Status(ErrorCode::kInvalid, "channels must be 0..8");
  if (sample_rate < 0 || sample_rate > 384000) return Status(ErrorCode::kInvalid, "sample rate out of range");
  avcodec_free_context(&ctx_);
  if (decoder == "flac" && description.size() < 34)
    return Status(ErrorCode::kInvalid, "FLAC needs its STREAMINFO (34 bytes, or 'fLaC' and the metadata blocks)");
  const AVCodec* codec = avcodec_find_decoder(decoder == "aac"    ? AV_CODEC_ID_AAC
                                              : decoder == "opus" ? AV_CODEC_ID_OPUS
                                              : decoder == "flac" ? AV_CODEC_ID_FLAC
                                              : decoder == "ac3"  ? AV_CODEC_ID_AC3
                                              : decoder == "eac3" ? AV_CODEC_ID_EAC3
                                                                  : AV_CODEC_ID_MP3);
  if (!codec) return Status(ErrorCode::kUnsupported, "this build has no " + std::string(decoder) + " decoder");
  name_ = std::string(decoder);
  description_.assign(description.begin(), description.end());
  hint_rate_ = sample_rate;
  hint_channels_ = channels;
  ctx_ = avcodec_alloc_context3(codec);
  if (!pkt_) pkt_ = av_packet_alloc();
  if (!frame_) frame_ = av_frame_alloc();
  if (!ctx_ || !pkt_ || !frame_) return Status(ErrorCode::kLimitExceeded, "FFmpeg allocation failed");
  ctx_->sample_rate = sample_rate > 0 ? sample_rate : (decoder == "opus" ? 48000 : 0);
  av_channel_layout_default(&ctx_->ch_layout, channels > 0 ? channels : 2);
  return open_ffmpeg_decoder(&ctx_, codec, description, name_);
}

Status FfmpegAudioDecoder::append_frame(const AVFrame* f) {
  const int nch = f->ch_layout.nb_channels, n = f->nb_samples;
  if (nch <= 0 || n <= 0) return Status::Ok();
  if (frames_ > 0 && nch != channels_)
    return Status(ErrorCode::kInvalid, "channel count changed inside one packet");
  const int total = frames_ + n;
  pcm_.resize(static_cast<size_t>(nch) * total);
  // Planes already written (an earlier frame of the same packet) move to their wider places, last
  // first so that none is overwritten before it moved.
  for (int c = nch - 1; c > 0 && frames_ > 0; --c)
    std::memmove(pcm_.data() + static_cast<size_t>(c) * total, pcm_.data() + static_cast<size_t>(c) * frames_,
                 sizeof(float) * frames_);
  const auto fmt = static_cast<AVSampleFormat>(f->format);
  const bool planar = av_sample_fmt_is_planar(fmt);
  for (int c = 0; c < nch; ++c) {
    float* dst = pcm_.data() + static_cast<size_t>(c) * total + frames_;
    switch (av_get_packed_sample_fmt(fmt)) {
      case AV_SAMPLE_FMT_FLT:
        if (planar) {
          std::memcpy(dst, f->extended_data[c], sizeof(float) * n);
        } else {
          for (int i = 0; i < n; ++i) dst[i] = sample_at<float>(f, c, i, false, 1.0f);
        }
        break;
      case AV_SAMPLE_FMT_S16:
        for (int i = 0; i < n; ++i) dst[i] = sample_at<int16_t>(f, c, i, planar, 1.0f / 32768);
        break;
      case AV_SAMPLE_FMT_S32:
        for (int i = 0; i < n; ++i) dst[i] = sample_at<int32_t>(f, c, i, planar, 1.0f / 2147483648.0f);
        break;
      case AV_SAMPLE_FMT_DBL:
        for (int i = 0; i < n; ++i) dst[i] = sample_at<double>(f, c, i, planar, 1.0f);
        break;
      default: {
        const char* fmt_name = av_get_sample_fmt_name(fmt);
        return Status(ErrorCode::kUnsupported,
                      std::string("decoded sample format ") + (fmt_name ? fmt_name : "?") + " not handled");
      }
    }
  }
  frames_ = total;
  channels_ = nch;
  rate_ = f->sample_rate;
  return Status::Ok();
}

Result<AudioBlock> FfmpegAudioDecoder::decode(ByteSpan frame, int64_t pts_us) {
  if (!ctx_) return Status(ErrorCode::kMisuse, "audio decoder not configured");
  if (frame.empty()) return Status(ErrorCode::kInvalid, "empty audio frame");
  ++packets_in_;
  // A padded, reference-counted copy that FFmpeg references instead of copying again; reused once the
  // decoder has let go of it (always, with one thread).
  const size_t need = frame.size() + AV_INPUT_BUFFER_PADDING_SIZE;
  if (!input_ || static_cast<size_t>(input_->size) < need || !av_buffer_is_writable(input_)) {
    av_buffer_unref(&input_);
    input_ = av_buffer_alloc(std::max(need, static_cast<size_t>(4096)) * 2);
    if (!input_) return Status(ErrorCode::kLimitExceeded, "packet buffer allocation failed");
  }
  std::memcpy(input_->data, frame.data(), frame.size());
  std::memset(input_->data + frame.size(), 0, AV_INPUT_BUFFER_PADDING_SIZE);
  pkt_->buf = av_buffer_ref(input_);
  if (!pkt_->buf) return Status(ErrorCode::kLimitExceeded, "av_buffer_ref failed");
  pkt_->data = input_->data;
  pkt_->size = static_cast<int>(frame.size());
  pkt_->pts = pts_us;
  frames_ = 0;
  take_ffmpeg_log_message();
  int err = avcodec_send_packet(ctx_, pkt_);
  if (err == AVERROR(EAGAIN)) {  // a frame left over from before: drop it and retry
    while (avcodec_receive_frame(ctx_, frame_) >= 0) av_frame_unref(frame_);
    err = avcodec_send_packet(ctx_, pkt_);
  }
  av_packet_unref(pkt_);
  if (err < 0) return ffmpeg_decoder_error(err, "avcodec_send_packet", name_);
  Status status;
  for (;;) {
    err = avcodec_receive_frame(ctx_, frame_);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) break;
    if (err < 0) return ffmpeg_decoder_error(err, "avcodec_receive_frame", name_);
    if (status.ok()) status = append_frame(frame_);
    av_frame_unref(frame_);
  }
  LW_RETURN_IF_ERROR(status);
  AudioBlock b;
  b.pts_us = pts_us;
  b.frames = frames_;
  b.channels = frames_ > 0 ? channels_ : ctx_->ch_layout.nb_channels;
  b.sample_rate = frames_ > 0 ? rate_ : ctx_->sample_rate;
  b.planar = pcm_.data();
  return b;
}

}  // namespace lw::codecs
