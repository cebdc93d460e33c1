// embind: the encoder benchmark of bench/pusher/run.sh (the pusher's H.264 and audio encoders alone, no
// pipeline), running the same timed loops as the native lw-encoder-speed (bench/pusher/encoder_speed.h).
// The clock is read here, in the binding, never in the core.
//
//   const b = new core.H264SpeedBench();
//   b.frames(n * w * h * 3 / 2).set(yuv);               // a view of wasm memory: fill it at once
//   b.run({width, height, kbps, frames, warmup})        -> {encoder, error, seconds, frames, produced, keys, bytes, digest}
//   b.delete();
//   core.benchAudio({codec: 'aac'|'opus', quality: 'low'|'high', sampleRate, channels, seconds})
//                                                       -> {encoder, error, seconds, audioSeconds, packets, bytes, bitrateKbps}
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "encoder_speed.h"
#include "base/bytes.h"

namespace lw::bindings {
namespace {

using emscripten::val;

template <class T>
T field_or(const val& o, const char* key, T fallback) {
  const val v = o[key];
  return v.isUndefined() || v.isNull() ? fallback : v.as<T>();
}

class H264SpeedBench {
 public:
  // Room for `size` bytes of frames; the returned view dies when wasm memory grows.
  val frames(size_t size) {
    yuv_.resize(size);
    return val(emscripten::typed_memory_view(yuv_.size(), yuv_.data()));
  }

  val run(const val& js) {
    bench::H264SpeedOptions o;
    o.width = field_or<int>(js, "width", o.width);
    o.height = field_or<int>(js, "height", o.height);
    o.kbps = field_or<int>(js, "kbps", o.kbps);
    o.frames = field_or<int>(js, "frames", o.frames);
    o.warmup = field_or<int>(js, "warmup", o.warmup);
    const size_t frame = size_t(o.width) * o.height * 3 / 2;
    val r = val::object();
    if (o.width <= 0 || o.height <= 0 || yuv_.size() < frame || yuv_.size() % frame != 0) {
      r.set("error", std::string("frames(): not whole I420 frames of this size"));
      return r;
    }
    const bench::H264Speed s = bench::time_h264(yuv_.data(), int(yuv_.size() / frame), o);
    r.set("encoder", s.encoder);
    r.set("error", s.error);
    r.set("seconds", s.seconds);
    r.set("frames", double(s.frames));
    r.set("produced", double(s.produced));
    r.set("keys", double(s.keys));
    r.set("bytes", double(s.bytes));
    r.set("digest", bench::hex64(s.digest));
    return r;
  }

 private:
  Bytes yuv_;
};

val bench_audio(const val& js) {
  bench::AudioSpeedOptions o;
  o.codec = field_or<std::string>(js, "codec", "aac") == "opus" ? codecs::AudioCodecKind::kOpus
                                                                : codecs::AudioCodecKind::kAac;
  o.quality = field_or<std::string>(js, "quality", "high") == "low" ? codecs::AudioQuality::kLow
                                                                     : codecs::AudioQuality::kHigh;
  o.sample_rate = field_or<int>(js, "sampleRate", o.sample_rate);
  o.channels = field_or<int>(js, "channels", o.channels);
  o.seconds = field_or<double>(js, "seconds", o.seconds);
  const bench::AudioSpeed s = bench::time_audio(o);
  val r = val::object();
  r.set("encoder", s.encoder);
  r.set("error", s.error);
  r.set("seconds", s.seconds);
  r.set("audioSeconds", s.audio_seconds);
  r.set("packets", double(s.packets));
  r.set("bytes", double(s.bytes));
  r.set("bitrateKbps", s.bitrate_kbps);
  return r;
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_bench) {
  using namespace emscripten;
  class_<lw::bindings::H264SpeedBench>("H264SpeedBench")
      .constructor<>()
      .function("frames", &lw::bindings::H264SpeedBench::frames)
      .function("run", &lw::bindings::H264SpeedBench::run);
  function("benchAudio", &lw::bindings::bench_audio);
}
