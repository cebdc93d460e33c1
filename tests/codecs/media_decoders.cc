#include "media_decoders.h"

#include <cmath>
#include <cstring>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>
}

#include "codecs/ffmpeg_util.h"

namespace lw::codecs::test {
namespace {

Status set_extradata(AVCodecContext* ctx, ByteSpan extradata) {
  if (extradata.empty()) return Status::Ok();
  ctx->extradata = static_cast<uint8_t*>(av_mallocz(extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
  if (!ctx->extradata) return Status(ErrorCode::kLimitExceeded, "av_mallocz");
  std::memcpy(ctx->extradata, extradata.data(), extradata.size());
  ctx->extradata_size = static_cast<int>(extradata.size());
  return Status::Ok();
}

// Sends every packet (then a flush) and hands each decoded frame to `take`.
template <class Take>
Status run_decoder(AVCodecContext* ctx, const std::vector<Bytes>& packets, Take take) {
  PacketPtr pkt(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  auto receive = [&]() -> Status {
    for (;;) {
      const int err = avcodec_receive_frame(ctx, frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return av_status(err, "avcodec_receive_frame");
      take(*frame);
      av_frame_unref(frame.get());
    }
  };
  for (const Bytes& p : packets) {
    if (int err = av_new_packet(pkt.get(), static_cast<int>(p.size())); err < 0) return av_status(err, "av_new_packet");
    std::memcpy(pkt->data, p.data(), p.size());
    const int err = avcodec_send_packet(ctx, pkt.get());
    av_packet_unref(pkt.get());
    if (err < 0) return av_status(err, "avcodec_send_packet");
    LW_RETURN_IF_ERROR(receive());
  }
  if (int err = avcodec_send_packet(ctx, nullptr); err < 0) return av_status(err, "avcodec_send_packet (flush)");
  return receive();
}

}  // namespace

Result<DecodedAudio> decode_audio(const std::string& decoder, ByteSpan extradata, const std::vector<Bytes>& packets) {
  const AVCodec* codec = avcodec_find_decoder_by_name(decoder.c_str());
  if (!codec) return Status(ErrorCode::kUnsupported, "no FFmpeg decoder " + decoder);
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  LW_RETURN_IF_ERROR(set_extradata(ctx.get(), extradata));
  ctx->request_sample_fmt = AV_SAMPLE_FMT_FLTP;
  if (int err = avcodec_open2(ctx.get(), codec, nullptr); err < 0) return av_status(err, "avcodec_open2 " + decoder);
  DecodedAudio out;
  Status format_error = Status::Ok();
  LW_RETURN_IF_ERROR(run_decoder(ctx.get(), packets, [&](const AVFrame& f) {
    const int channels = f.ch_layout.nb_channels;
    out.sample_rate = f.sample_rate;
    if (out.channels.empty()) out.channels.resize(channels);
    for (int c = 0; c < channels && c < static_cast<int>(out.channels.size()); ++c) {
      auto& dst = out.channels[c];
      for (int i = 0; i < f.nb_samples; ++i) {
        switch (f.format) {
          case AV_SAMPLE_FMT_FLTP: dst.push_back(reinterpret_cast<const float*>(f.data[c])[i]); break;
          case AV_SAMPLE_FMT_FLT: dst.push_back(reinterpret_cast<const float*>(f.data[0])[i * channels + c]); break;
          case AV_SAMPLE_FMT_S16: dst.push_back(reinterpret_cast<const int16_t*>(f.data[0])[i * channels + c] / 32768.0f); break;
          default: format_error = Status(ErrorCode::kUnsupported, "decoded sample format " + std::to_string(f.format));
        }
      }
    }
  }));
  LW_RETURN_IF_ERROR(format_error);
  return out;
}

Result<std::vector<DecodedPicture>> decode_h264(ByteSpan avcc_config, const std::vector<Bytes>& frames) {
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  if (!codec) return Status(ErrorCode::kUnsupported, "no FFmpeg h264 decoder");
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  LW_RETURN_IF_ERROR(set_extradata(ctx.get(), avcc_config));
  ctx->thread_count = 1;  // output order = decode order for a baseline stream, without frame-thread delay
  if (int err = avcodec_open2(ctx.get(), codec, nullptr); err < 0) return av_status(err, "avcodec_open2 h264");
  std::vector<DecodedPicture> out;
  LW_RETURN_IF_ERROR(run_decoder(ctx.get(), frames, [&](const AVFrame& f) {
    DecodedPicture p;
    p.width = f.width;
    p.height = f.height;
    p.y.resize(static_cast<size_t>(f.width) * f.height);
    for (int r = 0; r < f.height; ++r)
      std::memcpy(p.y.data() + static_cast<size_t>(r) * f.width, f.data[0] + static_cast<ptrdiff_t>(r) * f.linesize[0],
                  f.width);
    out.push_back(std::move(p));
  }));
  return out;
}

ToneMeasure measure_tone(const std::vector<float>& s, int sample_rate, size_t skip, size_t count) {
  ToneMeasure m;
  if (skip + count > s.size() || count < 2 || sample_rate <= 0) return m;
  // Frequency from the first to the last upward crossing (interpolated), so partial periods at the
  // edges do not bias it.
  double first = -1, last = -1;
  int crossings = 0;
  double energy = 0;
  for (size_t i = skip; i < skip + count; ++i) {
    energy += double(s[i]) * s[i];
    if (i > skip && s[i - 1] < 0 && s[i] >= 0) {
      const double at = double(i - 1) + s[i - 1] / (s[i - 1] - s[i]);
      if (first < 0) first = at;
      last = at;
      ++crossings;
    }
  }
  if (crossings >= 2) m.frequency_hz = (crossings - 1) * sample_rate / (last - first);
  m.rms = std::sqrt(energy / count);
  return m;
}

double psnr(const uint8_t* a, const uint8_t* b, size_t n) {
  double se = 0;
  for (size_t i = 0; i < n; ++i) {
    const double d = double(a[i]) - b[i];
    se += d * d;
  }
  if (se == 0) return 99;
  return 10 * std::log10(255.0 * 255.0 * n / se);
}

}  // namespace lw::codecs::test
