// Audio encoders for the pusher, behind one interface: AAC-LC through FFmpeg's native encoder (LGPL,
// the default, what every RTMP server takes) and Opus through libopus (Enhanced RTMP 'Opus'). Input is
// interleaved float PCM at the capture rate in any block size; the encoder buffers to its frame size
// (AAC 1024 samples, Opus 20 ms) and resamples (swresample) when the capture rate is not the stream's
// (Opus: always 48 kHz; AAC: keeps 44.1/48 kHz, else 48 kHz). Channels follow the quality, not the
// capture: mono input is duplicated into stereo, stereo averaged into mono.
//
// audio-quality (docs/api.md): low = speech, high = music:
//   AAC  low:  mono,   48 kbit/s (at the capture rate, 44.1 or 48 kHz)
//   AAC  high: stereo, 128 kbit/s (mono input is duplicated)
//   Opus low:  mono,   32 kbit/s, application VOIP
//   Opus high: stereo, 96 kbit/s, application AUDIO
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codecs {

enum class AudioCodecKind : uint8_t { kAac, kOpus };
enum class AudioQuality : uint8_t { kLow, kHigh };

struct AudioEncoderOptions {
  AudioCodecKind codec = AudioCodecKind::kAac;
  AudioQuality quality = AudioQuality::kLow;
  int input_sample_rate = 48000;  // 8000..192000 (else kUnsupported -> SPEC -1306)
  int input_channels = 1;         // 1 or 2
};

struct EncodedAudio {
  Bytes data;                // one raw AAC frame (no ADTS) or one Opus packet
  int64_t timestamp_ms = 0;  // of the first sample in the frame
};

class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;
  // `timestamp_ms` is the capture time of samples[0]; later calls continue from where the last ended
  // (the encoder keeps its own sample clock and re-anchors only when the gap exceeds 100 ms).
  // Appends the frames that became complete to `out` (cleared first; buffers reused).
  virtual Status encode(const float* interleaved, int frames, int64_t timestamp_ms,
                        std::vector<EncodedAudio>* out) = 0;
  // AudioSpecificConfig (AAC) or OpusHead (Opus, RFC 7845 5.1).
  virtual ByteSpan config() const = 0;
  virtual int sample_rate() const = 0;  // of the encoded stream
  virtual int channels() const = 0;
  virtual int bitrate_kbps() const = 0;
  virtual std::string name() const = 0;  // "ffmpeg aac", "libopus 1.3.1"
};

// kUnsupported for a rate or channel count it cannot take; kInvalid when the library fails to open.
Result<std::unique_ptr<AudioEncoder>> open_audio_encoder(const AudioEncoderOptions& options);

}  // namespace lw::codecs
