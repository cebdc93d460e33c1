// The audio formats FLV carries uncompressed or nearly so, decoded in the core without FFmpeg:
// G.711 A-law and µ-law (ITU-T G.711, FLV SoundFormat 7 and 8: what IP cameras and GB28181/RTSP
// bridges publish) and linear PCM (SoundFormat 0 and 3: unsigned 8-bit or signed 16-bit little-endian,
// interleaved). Output: planar float32 in [-1, 1), as the player's other decoders give it.
//
//   RawAudioDecoder dec;
//   dec.configure(RawAudioFormat::kALaw, 8000, 1);
//   auto pcm = dec.decode(tag_payload);          // every whole frame of the payload
//   if (pcm.ok()) play(pcm->planar, pcm->frames, pcm->channels, pcm->sample_rate);  // until next call
//
// Real bytes (Debian's ffmpeg 5.1, `-f lavfi -i sine=f=1000:r=8000 -c:a pcm_alaw -ar 8000 -ac 1 -f flv`):
// every audio tag is `72 | d5 93 9a 93 d5 13 1a 13 ...` (SoundFormat 7, rate bits 0, 16 bit, mono; then
// 1024 samples): d5 -> +8, 93 -> +2880, 9a -> +4032, 13 -> -2880, 1a -> -4032: the sine's amplitude 1/8
// (4096) sampled eight times a cycle. FLV states no rate for G.711: it is 8 kHz (FFmpeg's flvdec says
// so whatever the rate bits; its muxer writes bits 0, "5.5 kHz").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

enum class RawAudioFormat : uint8_t {
  kALaw,   // G.711 A-law, one byte per sample
  kMuLaw,  // G.711 µ-law, one byte per sample
  kS16Le,  // signed 16-bit little-endian
  kU8,     // unsigned 8-bit (offset 128)
};

// The decoder names the player uses for them (TrackConfig::decoder): "alaw", "mulaw", "pcm_s16le",
// "pcm_u8" (FFmpeg's codec names). False for any other name.
bool raw_audio_format_from_name(std::string_view name, RawAudioFormat* out);
int raw_audio_bytes_per_sample(RawAudioFormat format);

// G.711 expansion to 16-bit linear (ITU-T G.711 tables 1a/1b and 2a/2b: the decision values'
// mid-points, as the reference code and FFmpeg give them).
int16_t alaw_to_linear(uint8_t code);
int16_t mulaw_to_linear(uint8_t code);

struct RawAudioBlock {
  int frames = 0;
  int channels = 0;
  int sample_rate = 0;
  const float* planar = nullptr;  // channels planes of frames floats, owned by the decoder
};

class RawAudioDecoder {
 public:
  // channels 1..8, sample_rate 1..384000.
  Status configure(RawAudioFormat format, int sample_rate, int channels);
  bool configured() const { return channels_ > 0; }

  // Every whole frame (one sample per channel) of `payload`; a trailing partial frame is ignored.
  // kInvalid for a payload shorter than one frame.
  Result<RawAudioBlock> decode(ByteSpan payload);

 private:
  RawAudioFormat format_ = RawAudioFormat::kALaw;
  int rate_ = 0, channels_ = 0;
  std::vector<float> pcm_;
};

}  // namespace lw::codec
