// The timed loops of the pusher encoder benchmark (bench/pusher/run.sh), header-only so that the wasm
// module (wasm/bindings/bench_bindings.cc) and the native program (native_encoder_speed.cc) run the very
// same code over the same input: only the compiler target and the OpenH264 / FFmpeg / libopus builds
// underneath differ. A benchmark may read a clock; the core may not, so the clock lives here.
//
//   H.264: `distinct` I420 frames (tightly packed, made by ffmpeg, identical for every contender) are
//          encoded in a loop with codecs::H264Encoder at the pusher's settings (constrained baseline,
//          bitrate rate control, 2 temporal layers, IDR every 60, no frame skipping), one thread.
//   Audio: `seconds` of a deterministic signal (two tones + noise) through codecs::open_audio_encoder in
//          10 ms blocks, as the worker hands microphone PCM over.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "codecs/audio_encoder.h"
#include "codecs/h264_encoder.h"

namespace lw::bench {

struct H264SpeedOptions {
  int width = 640, height = 360;
  int kbps = 1000;
  int frames = 120;  // timed encodes
  int warmup = 10;   // untimed encodes first (the first IDR, caches)
};

struct H264Speed {
  std::string encoder;
  std::string error;  // empty when it ran
  double seconds = 0;  // wall time of the timed encodes
  int64_t frames = 0, produced = 0, keys = 0, bytes = 0;
  // FNV-1a 64 of every access unit's bytes, warm-up included: equal digests = identical bitstreams
  // (the wasm, wasm SIMD, native C and native asm builds of OpenH264 are compared by it in run.mjs).
  uint64_t digest = 0xcbf29ce484222325ull;
};

inline std::string hex64(uint64_t v) {
  static const char* k = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[size_t(i)] = k[v & 15];
  return s;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// `yuv` holds `distinct` frames of o.width x o.height I420, tightly packed.
inline H264Speed time_h264(uint8_t* yuv, int distinct, const H264SpeedOptions& o) {
  H264Speed r;
  codecs::H264EncoderOptions eo;
  eo.width = o.width;
  eo.height = o.height;
  eo.fps = 30;
  eo.bitrate_kbps = o.kbps;
  eo.gop_frames = 60;
  codecs::H264Encoder enc;
  if (Status st = enc.open(eo); !st.ok()) {
    r.error = st.to_string();
    return r;
  }
  r.encoder = enc.name();
  const size_t luma = size_t(o.width) * o.height, frame_size = luma * 3 / 2;
  auto encode_one = [&](int64_t n) -> bool {
    uint8_t* f = yuv + frame_size * size_t(n % distinct);
    image::I420View v{f, f + luma, f + luma * 5 / 4, o.width, o.width / 2, o.width, o.height};
    auto e = enc.encode(v, n * 1000 / 30);
    if (!e.ok()) {
      r.error = e.status().to_string();
      return false;
    }
    if (e.value()->produced) {
      ++r.produced;
      r.keys += e.value()->key;
      r.bytes += int64_t(e.value()->nal_units.size());
      for (uint8_t b : e.value()->nal_units) r.digest = (r.digest ^ b) * 0x100000001b3ull;
    }
    return true;
  };
  for (int64_t n = 0; n < o.warmup; ++n)
    if (!encode_one(n)) return r;
  r.produced = r.keys = r.bytes = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t n = o.warmup; n < o.warmup + o.frames; ++n) {
    if (!encode_one(n)) return r;
    ++r.frames;
  }
  r.seconds = seconds_since(t0);
  return r;
}

struct AudioSpeedOptions {
  codecs::AudioCodecKind codec = codecs::AudioCodecKind::kAac;
  codecs::AudioQuality quality = codecs::AudioQuality::kHigh;
  int sample_rate = 48000;
  int channels = 2;
  double seconds = 20;
};

struct AudioSpeed {
  std::string encoder;
  std::string error;
  double seconds = 0;        // wall time
  double audio_seconds = 0;  // encoded
  int64_t packets = 0, bytes = 0;
  int bitrate_kbps = 0;
};

// A deterministic test signal: 440 Hz and 3 kHz tones plus low white noise (an LCG), per channel.
inline std::vector<float> test_signal(int rate, int channels, int frames) {
  std::vector<float> pcm(size_t(frames) * channels);
  uint32_t seed = 2024;
  const double kTwoPi = 6.283185307179586;
  for (int i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c) {
      seed = seed * 1664525u + 1013904223u;
      const double noise = (double(seed >> 8) / double(1 << 24) - 0.5) * 0.05;
      const double t = double(i) / rate;
      pcm[size_t(i) * channels + c] =
          float(0.4 * std::sin(kTwoPi * (440 + 110 * c) * t) + 0.2 * std::sin(kTwoPi * 3000 * t) + noise);
    }
  return pcm;
}

inline AudioSpeed time_audio(const AudioSpeedOptions& o) {
  AudioSpeed r;
  codecs::AudioEncoderOptions ao;
  ao.codec = o.codec;
  ao.quality = o.quality;
  ao.input_sample_rate = o.sample_rate;
  ao.input_channels = o.channels;
  auto opened = codecs::open_audio_encoder(ao);
  if (!opened.ok()) {
    r.error = opened.status().to_string();
    return r;
  }
  std::unique_ptr<codecs::AudioEncoder> enc = std::move(opened.value());
  r.encoder = enc->name();
  r.bitrate_kbps = enc->bitrate_kbps();
  const int block = o.sample_rate / 100;  // 10 ms
  const int blocks = int(o.seconds * 100);
  const std::vector<float> pcm = test_signal(o.sample_rate, o.channels, block * 100);  // 1 s, looped
  std::vector<codecs::EncodedAudio> out;
  const auto t0 = std::chrono::steady_clock::now();
  for (int b = 0; b < blocks; ++b) {
    const float* p = pcm.data() + size_t(b % 100) * block * o.channels;
    if (Status st = enc->encode(p, block, int64_t(b) * 10, &out); !st.ok()) {
      r.error = st.to_string();
      return r;
    }
    r.packets += int64_t(out.size());
    for (const auto& a : out) r.bytes += int64_t(a.data.size());
  }
  r.seconds = seconds_since(t0);
  r.audio_seconds = double(blocks) / 100;
  return r;
}

}  // namespace lw::bench
