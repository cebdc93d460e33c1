#include "codec/raw_audio.h"

#include <string>

namespace lw::codec {
namespace {

// ITU-T G.711 expansion (the reference decoder's arithmetic, which FFmpeg's pcm_tablegen.h also uses).
constexpr int16_t expand_alaw(uint8_t code) {
  const int v = code ^ 0x55;  // even bits are inverted on the wire
  const int segment = (v & 0x70) >> 4;
  int t = v & 0x0f;
  t = segment ? (t * 2 + 1 + 32) << (segment + 2) : (t * 2 + 1) << 3;
  return static_cast<int16_t>((v & 0x80) ? t : -t);
}

constexpr int16_t expand_mulaw(uint8_t code) {
  constexpr int kBias = 0x84;
  const int v = static_cast<uint8_t>(~code);
  const int t = (((v & 0x0f) << 3) + kBias) << ((v & 0x70) >> 4);
  return static_cast<int16_t>((v & 0x80) ? kBias - t : t - kBias);
}

constexpr float kScale = 1.0f / 32768.0f;

}  // namespace

bool raw_audio_format_from_name(std::string_view name, RawAudioFormat* out) {
  if (name == "alaw") *out = RawAudioFormat::kALaw;
  else if (name == "mulaw") *out = RawAudioFormat::kMuLaw;
  else if (name == "pcm_s16le") *out = RawAudioFormat::kS16Le;
  else if (name == "pcm_u8") *out = RawAudioFormat::kU8;
  else return false;
  return true;
}

int raw_audio_bytes_per_sample(RawAudioFormat format) { return format == RawAudioFormat::kS16Le ? 2 : 1; }

int16_t alaw_to_linear(uint8_t code) { return expand_alaw(code); }
int16_t mulaw_to_linear(uint8_t code) { return expand_mulaw(code); }

Status RawAudioDecoder::configure(RawAudioFormat format, int sample_rate, int channels) {
  if (channels < 1 || channels > 8) return Status(ErrorCode::kInvalid, "channels must be 1..8");
  if (sample_rate < 1 || sample_rate > 384000) return Status(ErrorCode::kInvalid, "sample rate out of range");
  format_ = format;
  rate_ = sample_rate;
  channels_ = channels;
  return Status::Ok();
}

Result<RawAudioBlock> RawAudioDecoder::decode(ByteSpan payload) {
  if (!configured()) return Status(ErrorCode::kMisuse, "raw audio decoder not configured");
  const size_t frame_bytes = static_cast<size_t>(raw_audio_bytes_per_sample(format_)) * channels_;
  const size_t frames = payload.size() / frame_bytes;
  if (frames == 0) {
    return Status(ErrorCode::kInvalid,
                  "audio packet of " + std::to_string(payload.size()) + " bytes holds no whole frame");
  }
  pcm_.resize(frames * channels_);
  const uint8_t* in = payload.data();
  for (size_t i = 0; i < frames; ++i) {
    for (int c = 0; c < channels_; ++c) {
      float v = 0;
      switch (format_) {
        // No 256-entry tables: the arithmetic is a few operations a sample (8000 a second), and
        // two float tables would be 2 KB of the player's module.
        case RawAudioFormat::kALaw: v = expand_alaw(*in++) * kScale; break;
        case RawAudioFormat::kMuLaw: v = expand_mulaw(*in++) * kScale; break;
        case RawAudioFormat::kU8: v = static_cast<float>(int(*in++) - 128) / 128.0f; break;
        case RawAudioFormat::kS16Le:
          v = static_cast<float>(static_cast<int16_t>(in[0] | in[1] << 8)) * kScale;
          in += 2;
          break;
      }
      pcm_[static_cast<size_t>(c) * frames + i] = v;
    }
  }
  RawAudioBlock b;
  b.frames = static_cast<int>(frames);
  b.channels = channels_;
  b.sample_rate = rate_;
  b.planar = pcm_.data();
  return b;
}

}  // namespace lw::codec
