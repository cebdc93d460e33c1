#include "round_trip/audio_round_trip.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>
#include <opus/opus.h>
}

#include "codecs/ffmpeg_util.h"

namespace lw::codecs {
namespace {

// Codec delays to search (AAC priming is 1024 samples, Opus pre-skip 312 at 48 kHz) plus slack.
constexpr int kMaxDelay = 4096;

Status check_options(const AudioRoundTripOptions& o) {
  if (o.channels < 1 || o.channels > 2) return Status(ErrorCode::kInvalid, "channels must be 1 or 2");
  if (o.sample_rate < 8000 || o.sample_rate > 96000)
    return Status(ErrorCode::kInvalid, "sample_rate must be 8000..96000");
  if (o.seconds <= 0 || o.seconds > 30) return Status(ErrorCode::kInvalid, "seconds must be in (0, 30]");
  if (o.bitrate < 6000 || o.bitrate > 512000)
    return Status(ErrorCode::kInvalid, "bitrate must be 6000..512000");
  return Status::Ok();
}

// Opens an FFmpeg decoder with `extradata` (copied, padded as FFmpeg requires).
Result<CodecContextPtr> open_decoder(AVCodecID id, const uint8_t* extradata, size_t size,
                                     int sample_rate, int channels) {
  const AVCodec* codec = avcodec_find_decoder(id);
  if (!codec) return Status(ErrorCode::kUnsupported, std::string("no decoder for ") + avcodec_get_name(id));
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) return Status(ErrorCode::kLimitExceeded, "avcodec_alloc_context3");
  if (size > 0) {
    ctx->extradata = static_cast<uint8_t*>(av_mallocz(size + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!ctx->extradata) return Status(ErrorCode::kLimitExceeded, "extradata");
    std::memcpy(ctx->extradata, extradata, size);
    ctx->extradata_size = static_cast<int>(size);
  }
  ctx->sample_rate = sample_rate;
  av_channel_layout_default(&ctx->ch_layout, channels);
  if (int err = avcodec_open2(ctx.get(), codec, nullptr); err < 0)
    return av_status(err, std::string("avcodec_open2 ") + codec->name);
  return ctx;
}

// Sends one packet (nullptr: flush) and appends channel 0 of every decoded frame to `out`.
Status decode_audio(AVCodecContext* ctx, const uint8_t* data, size_t size, AVFrame* frame,
                    std::vector<float>* out) {
  PacketPtr pkt(av_packet_alloc());
  if (!pkt) return Status(ErrorCode::kLimitExceeded, "av_packet_alloc");
  if (data) {
    if (int err = av_new_packet(pkt.get(), static_cast<int>(size)); err < 0) return av_status(err, "av_new_packet");
    std::memcpy(pkt->data, data, size);
  }
  if (int err = avcodec_send_packet(ctx, data ? pkt.get() : nullptr); err < 0 && err != AVERROR_EOF)
    return av_status(err, std::string("avcodec_send_packet ") + ctx->codec->name);
  for (;;) {
    int err = avcodec_receive_frame(ctx, frame);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
    if (err < 0) return av_status(err, std::string("avcodec_receive_frame ") + ctx->codec->name);
    if (frame->format != AV_SAMPLE_FMT_FLTP && frame->format != AV_SAMPLE_FMT_FLT)
      return Status(ErrorCode::kUnsupported, "decoder output is not float");
    const float* ch0 = reinterpret_cast<const float*>(frame->extended_data[0]);
    const int stride = frame->format == AV_SAMPLE_FMT_FLT ? frame->ch_layout.nb_channels : 1;
    for (int i = 0; i < frame->nb_samples; ++i) out->push_back(ch0[i * stride]);
    av_frame_unref(frame);
  }
}

}  // namespace

Result<AudioRoundTripResult> aac_round_trip(const AudioRoundTripOptions& o) {
  LW_RETURN_IF_ERROR(check_options(o));
  AudioRoundTripResult r;
  r.encoder = "ffmpeg aac";
  r.decoder = "ffmpeg aac";
  const std::vector<float> pcm = sine(o.frequency_hz, o.sample_rate, static_cast<int>(o.seconds * o.sample_rate));
  r.input_samples = static_cast<int>(pcm.size());

  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) return Status(ErrorCode::kUnsupported, "no AAC encoder");
  CodecContextPtr enc(avcodec_alloc_context3(codec));
  enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
  enc->sample_rate = o.sample_rate;
  enc->bit_rate = o.bitrate;
  av_channel_layout_default(&enc->ch_layout, o.channels);
  enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // AudioSpecificConfig in extradata, as FLV carries it
  if (int err = avcodec_open2(enc.get(), codec, nullptr); err < 0) return av_status(err, "avcodec_open2 aac");

  auto dec = open_decoder(AV_CODEC_ID_AAC, enc->extradata, enc->extradata_size, o.sample_rate, o.channels);
  if (!dec.ok()) return dec.status();
  FramePtr in(av_frame_alloc()), out_frame(av_frame_alloc());
  PacketPtr pkt(av_packet_alloc());
  std::vector<float> decoded;

  // Encodes one frame (nullptr: flush) and decodes every packet it yields.
  auto encode = [&](AVFrame* frame) -> Status {
    if (int err = avcodec_send_frame(enc.get(), frame); err < 0) return av_status(err, "avcodec_send_frame aac");
    for (;;) {
      int err = avcodec_receive_packet(enc.get(), pkt.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return av_status(err, "avcodec_receive_packet aac");
      ++r.packets;
      r.encoded_bytes += pkt->size;
      Status s = decode_audio(dec->get(), pkt->data, pkt->size, out_frame.get(), &decoded);
      av_packet_unref(pkt.get());
      LW_RETURN_IF_ERROR(s);
    }
  };

  const int frame_size = enc->frame_size;  // 1024 for AAC-LC
  for (size_t pos = 0; pos < pcm.size(); pos += frame_size) {
    const int n = static_cast<int>(std::min<size_t>(frame_size, pcm.size() - pos));
    in->nb_samples = n;
    in->format = AV_SAMPLE_FMT_FLTP;
    in->sample_rate = o.sample_rate;
    av_channel_layout_copy(&in->ch_layout, &enc->ch_layout);
    if (int err = av_frame_get_buffer(in.get(), 0); err < 0) return av_status(err, "av_frame_get_buffer");
    for (int c = 0; c < o.channels; ++c)
      std::memcpy(in->extended_data[c], pcm.data() + pos, n * sizeof(float));
    in->pts = static_cast<int64_t>(pos);
    Status s = encode(in.get());
    av_frame_unref(in.get());
    LW_RETURN_IF_ERROR(s);
  }
  LW_RETURN_IF_ERROR(encode(nullptr));
  LW_RETURN_IF_ERROR(decode_audio(dec->get(), nullptr, 0, out_frame.get(), &decoded));

  r.decoded_samples = static_cast<int>(decoded.size());
  r.decoded_rate = (*dec)->sample_rate;
  r.decoded_channels = (*dec)->ch_layout.nb_channels;
  r.match = match_signal(decoded, pcm, kMaxDelay, 2048);
  return r;
}

Result<AudioRoundTripResult> opus_round_trip(const AudioRoundTripOptions& o) {
  LW_RETURN_IF_ERROR(check_options(o));
  AudioRoundTripResult r;
  r.encoder = opus_get_version_string();
  r.decoder = "ffmpeg opus";
  const std::vector<float> pcm = sine(o.frequency_hz, o.sample_rate, static_cast<int>(o.seconds * o.sample_rate));
  r.input_samples = static_cast<int>(pcm.size());

  int err = 0;
  std::unique_ptr<OpusEncoder, void (*)(OpusEncoder*)> enc(
      opus_encoder_create(o.sample_rate, o.channels, OPUS_APPLICATION_AUDIO, &err), opus_encoder_destroy);
  if (err != OPUS_OK || !enc) return Status(ErrorCode::kInvalid, std::string("opus_encoder_create: ") + opus_strerror(err));
  opus_encoder_ctl(enc.get(), OPUS_SET_BITRATE(o.bitrate));
  opus_int32 lookahead = 0;
  opus_encoder_ctl(enc.get(), OPUS_GET_LOOKAHEAD(&lookahead));
  const opus_int32 pre_skip = lookahead * (48000 / o.sample_rate);  // OpusHead counts at 48 kHz

  // OpusHead (RFC 7845 section 5.1): what FLV (Enhanced RTMP) and Ogg carry as the sequence header.
  //   4f 70 75 73 48 65 61 64 | 01 | 01 | 38 01 | 80 bb 00 00 | 00 00 | 00
  //   "OpusHead"               ver  ch   pre-skip  input rate    gain    mapping family 0
  const uint32_t rate = static_cast<uint32_t>(o.sample_rate);
  const uint8_t head[19] = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, static_cast<uint8_t>(o.channels),
                            static_cast<uint8_t>(pre_skip & 0xff), static_cast<uint8_t>(pre_skip >> 8),
                            static_cast<uint8_t>(rate), static_cast<uint8_t>(rate >> 8),
                            static_cast<uint8_t>(rate >> 16), static_cast<uint8_t>(rate >> 24), 0, 0, 0};
  // FFmpeg's Opus decoder always decodes at 48 kHz.
  auto dec = open_decoder(AV_CODEC_ID_OPUS, head, sizeof(head), 48000, o.channels);
  if (!dec.ok()) return dec.status();
  FramePtr out_frame(av_frame_alloc());
  std::vector<float> decoded;

  const int frame_size = o.sample_rate / 50;  // 20 ms
  std::vector<float> interleaved(static_cast<size_t>(frame_size) * o.channels);
  std::vector<uint8_t> packet(4000);  // RFC 6716 recommends 4000 bytes as the maximum packet
  for (size_t pos = 0; pos < pcm.size(); pos += frame_size) {
    std::fill(interleaved.begin(), interleaved.end(), 0.0f);  // the last frame is zero-padded
    const size_t n = std::min<size_t>(frame_size, pcm.size() - pos);
    for (size_t i = 0; i < n; ++i)
      for (int c = 0; c < o.channels; ++c) interleaved[i * o.channels + c] = pcm[pos + i];
    const int bytes = opus_encode_float(enc.get(), interleaved.data(), frame_size, packet.data(),
                                        static_cast<opus_int32>(packet.size()));
    if (bytes < 0) return Status(ErrorCode::kInvalid, std::string("opus_encode_float: ") + opus_strerror(bytes));
    ++r.packets;
    r.encoded_bytes += bytes;
    LW_RETURN_IF_ERROR(decode_audio(dec->get(), packet.data(), bytes, out_frame.get(), &decoded));
  }
  LW_RETURN_IF_ERROR(decode_audio(dec->get(), nullptr, 0, out_frame.get(), &decoded));

  r.decoded_samples = static_cast<int>(decoded.size());
  r.decoded_rate = (*dec)->sample_rate;
  r.decoded_channels = (*dec)->ch_layout.nb_channels;
  // Compare at the decoder's rate (48 kHz): regenerate the sine there.
  const std::vector<float> reference =
      r.decoded_rate == o.sample_rate ? pcm
                                      : sine(o.frequency_hz, r.decoded_rate, static_cast<int>(o.seconds * r.decoded_rate));
  r.match = match_signal(decoded, reference, kMaxDelay, 2048);
  return r;
}

Result<ResampleResult> resample_sine(const ResampleOptions& o) {
  if (o.in_rate < 8000 || o.in_rate > 192000 || o.out_rate < 8000 || o.out_rate > 192000)
    return Status(ErrorCode::kInvalid, "rates must be 8000..192000");
  if (o.seconds <= 0 || o.seconds > 30) return Status(ErrorCode::kInvalid, "seconds must be in (0, 30]");
  ResampleResult r;
  const std::vector<float> in = sine(o.frequency_hz, o.in_rate, static_cast<int>(o.seconds * o.in_rate));
  r.input_samples = static_cast<int>(in.size());
  r.expected_samples = static_cast<int>(std::lround(static_cast<double>(in.size()) * o.out_rate / o.in_rate));

  SwrContext* raw = nullptr;
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;  // FFmpeg 5.1 takes it non-const
  if (int err = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, o.out_rate, &mono, AV_SAMPLE_FMT_FLT,
                                    o.in_rate, 0, nullptr);
      err < 0)
    return av_status(err, "swr_alloc_set_opts2");
  SwrPtr swr(raw);
  if (int err = swr_init(swr.get()); err < 0) return av_status(err, "swr_init");

  std::vector<float> out(static_cast<size_t>(swr_get_out_samples(swr.get(), r.input_samples)) + 256);
  uint8_t* out_planes[1] = {reinterpret_cast<uint8_t*>(out.data())};
  const uint8_t* in_planes[1] = {reinterpret_cast<const uint8_t*>(in.data())};
  const int got = swr_convert(swr.get(), out_planes, static_cast<int>(out.size()), in_planes, r.input_samples);
  if (got < 0) return av_status(got, "swr_convert");
  out_planes[0] = reinterpret_cast<uint8_t*>(out.data() + got);
  const int flushed = swr_convert(swr.get(), out_planes, static_cast<int>(out.size()) - got, nullptr, 0);
  if (flushed < 0) return av_status(flushed, "swr_convert (flush)");
  out.resize(static_cast<size_t>(got + flushed));
  r.output_samples = got + flushed;

  const std::vector<float> reference = sine(o.frequency_hz, o.out_rate, r.expected_samples);
  r.match = match_signal(out, reference, 256, 256);
  return r;
}

}  // namespace lw::codecs
