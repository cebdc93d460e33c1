// The player's software audio decoder: FFmpeg's aac / opus / mp3 (mp3float) decoders, one raw frame in
// (as FLV carries it: raw AAC without ADTS, one Opus packet, one or more whole MP3 frames), planar
// float32 PCM out in a reused buffer. (G.711 and linear PCM need no FFmpeg: codec/raw_audio.h.)
//
//   FfmpegAudioDecoder dec;
//   dec.configure("aac", audio_specific_config, 44100, 2);   // "opus" with the OpusHead
//   auto pcm = dec.decode(frame, pts_us);     // error value on a corrupt frame; the decoder goes on
//   if (pcm.ok()) play(pcm->planar, pcm->frames, pcm->channels, pcm->sample_rate);  // until next call
//
// Memory: one AVPacket, one AVFrame, a padded input buffer and the PCM buffer are reused.
// The decoders' own output (fltp for both; flt, s16(p), s32(p) handled too) is converted to planar
// float with plain loops: no libswresample in the player.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct AVBufferRef;

namespace lw::codecs {

// Decoded PCM of one packet: `channels` planes of `frames` floats, plane after plane, owned by the
// decoder (valid until its next call). frames may be 0 (a decoder that outputs nothing yet).
struct AudioBlock {
  int64_t pts_us = 0;
  int frames = 0;
  int channels = 0;
  int sample_rate = 0;
  const float* planar = nullptr;
};

class FfmpegAudioDecoder {
 public:
  FfmpegAudioDecoder();
  ~FfmpegAudioDecoder();
  FfmpegAudioDecoder(const FfmpegAudioDecoder&) = delete;
  FfmpegAudioDecoder& operator=(const FfmpegAudioDecoder&) = delete;

  // `decoder`: "aac" (description: AudioSpecificConfig), "opus" (description: OpusHead, or empty for
  // a stereo 48 kHz default) or "mp3" (no description: every frame has its header). sample_rate/channels
  // are hints; the description wins. Same arguments again: a no-op; others: a new decoder.
  Status configure(std::string_view decoder, ByteSpan description, int sample_rate, int channels);
  bool configured() const { return ctx_ != nullptr; }

  // One raw frame. kInvalid (with FFmpeg's reason) for a frame the decoder rejects; the next good
  // frame decodes again.
  Result<AudioBlock> decode(ByteSpan frame, int64_t pts_us);

  const std::string& decoder_name() const { return name_; }
  uint64_t packets_in() const { return packets_in_; }

 private:
  Status append_frame(const AVFrame* f);

  AVCodecContext* ctx_ = nullptr;
  AVPacket* pkt_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVBufferRef* input_ = nullptr;  // padded copy of the packet, reused
  std::vector<float> pcm_;      // planar output, reused
  int frames_ = 0, channels_ = 0, rate_ = 0;
  std::string name_;
  Bytes description_;
  int hint_rate_ = 0, hint_channels_ = 0;
  uint64_t packets_in_ = 0;
};

}  // namespace lw::codecs
