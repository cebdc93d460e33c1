// H.264 encoding speed of the pusher's encoder (codecs::H264Encoder) over Debian's native OpenH264
// (with its x86 assembly), one thread, the pusher's settings (constrained baseline, bitrate rate
// control, 2 temporal layers, IDR every 60 frames): the ceiling the wasm build (plain C, TOOLCHAIN.md)
// is compared with. One item = one 30 fps frame encoded; the input is 30 distinct synthetic frames
// (a scrolling gradient, a moving block and light noise) encoded in a loop.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "codecs/h264_encoder.h"

namespace {

std::vector<std::vector<uint8_t>> make_frames(int w, int h, int count) {
  std::vector<std::vector<uint8_t>> frames;
  uint32_t seed = 12345;
  for (int f = 0; f < count; ++f) {
    std::vector<uint8_t> d(size_t(w) * h * 3 / 2);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        int v = 40 + ((x + y + 4 * f) % 160);
        if (x >= (8 * f) % w && x < (8 * f) % w + w / 8 && y >= h / 3 && y < h / 3 + h / 4) v = 220;
        seed = seed * 1664525u + 1013904223u;
        d[size_t(y) * w + x] = static_cast<uint8_t>(v + (seed >> 29));  // 0..7 of noise
      }
    uint8_t* u = d.data() + size_t(w) * h;
    for (int y = 0; y < h / 2; ++y)
      for (int x = 0; x < w / 2; ++x) {
        u[size_t(y) * (w / 2) + x] = static_cast<uint8_t>(96 + 64 * x / (w / 2));
        u[size_t(w / 2) * (h / 2) + size_t(y) * (w / 2) + x] = static_cast<uint8_t>(160 - 64 * y / (h / 2));
      }
    frames.push_back(std::move(d));
  }
  return frames;
}

void BM_OpenH264Encode(benchmark::State& state) {
  const int w = static_cast<int>(state.range(0)), h = static_cast<int>(state.range(1));
  lw::codecs::H264EncoderOptions o;
  o.width = w;
  o.height = h;
  o.fps = 30;
  o.bitrate_kbps = static_cast<int>(state.range(2));
  o.gop_frames = 60;
  lw::codecs::H264Encoder enc;
  if (auto st = enc.open(o); !st.ok()) {
    state.SkipWithError(st.reason().c_str());
    return;
  }
  auto frames = make_frames(w, h, 30);
  int64_t n = 0, bytes = 0;
  for (auto _ : state) {
    std::vector<uint8_t>& d = frames[n % 30];
    lw::image::I420View v{d.data(), d.data() + size_t(w) * h, d.data() + size_t(w) * h * 5 / 4, w, w / 2, w, h};
    auto r = enc.encode(v, n * 1000 / 30);
    if (!r.ok()) {
      state.SkipWithError(r.status().reason().c_str());
      break;
    }
    bytes += static_cast<int64_t>(r.value()->nal_units.size());
    ++n;
  }
  state.SetItemsProcessed(n);
  state.counters["kbit/s"] = n ? benchmark::Counter(bytes * 8.0 * 30 / 1000 / n) : benchmark::Counter(0);
  state.SetLabel(enc.name());
}
BENCHMARK(BM_OpenH264Encode)
    ->Args({640, 360, 800})
    ->Args({960, 540, 1200})
    ->Args({1280, 720, 2000})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
