// lw-decode-speed: the player's FfmpegVideoDecoder (wasm/codecs/video_decoder.cc) natively, on an FLV
// file's H.264/HEVC track, for the "Player decoding" benchmark (bench/player/run.sh). The same C++ as the
// wasm rows; the FFmpeg under it is whatever it is linked against: Debian's libavcodec (x86 asm), or the
// same FFmpeg source built here without asm (the like-for-like of the wasm build).
//
//   lw-decode-speed <in.flv> [--seconds 5] [--no-simd]
//
// --no-simd: av_force_cpu_flags(0) (Debian's libavcodec: its SIMD functions off, inline asm still on).
// Decodes the whole track (packets copied into memory first), flushes, and repeats until --seconds have
// passed; prints one JSON line: {"frames":N,"seconds":S,"fps":F,"width":W,"height":H,"cpuFlags":...}.
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/cpu.h>
}

#include "codecs/video_decoder.h"

namespace {

struct Packet {
  lw::Bytes data;
  int64_t pts_us;
  bool key;
};

// Legacy FLV video tags (AVC 7 / HEVC 12): the sequence header and the coded frames.
bool read_flv(const std::string& path, std::string* codec, lw::Bytes* config, std::vector<Packet>* packets) {
  std::ifstream in(path, std::ios::binary);
  const lw::Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (b.size() < 13 || b[0] != 'F') return false;
  for (size_t p = 13; p + 11 <= b.size();) {
    const uint32_t size = (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    const uint32_t ts = ((b[p + 4] << 16) | (b[p + 5] << 8) | b[p + 6]) | (uint32_t(b[p + 7]) << 24);
    if (p + 11 + size > b.size()) break;
    const uint8_t* body = b.data() + p + 11;
    if (b[p] == 9 && size > 5) {
      *codec = (body[0] & 15) == 12 ? "hevc" : "h264";
      int32_t cts = (body[2] << 16) | (body[3] << 8) | body[4];
      if (cts & 0x800000) cts -= 0x1000000;
      if (body[1] == 0) config->assign(body + 5, body + size);
      if (body[1] == 1) packets->push_back({lw::Bytes(body + 5, body + size), (int64_t(ts) + cts) * 1000, (body[0] >> 4) == 1});
    }
    p += 11 + size + 4;
  }
  return !config->empty() && !packets->empty();
}

double now_s() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lw-decode-speed <in.flv> [--seconds 5] [--no-simd]\n");
    return 64;
  }
  double seconds = 5;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--no-simd")) av_force_cpu_flags(0);
  }
  std::string codec;
  lw::Bytes config;
  std::vector<Packet> packets;
  if (!read_flv(argv[1], &codec, &config, &packets)) {
    std::fprintf(stderr, "lw-decode-speed: no video track in %s\n", argv[1]);
    return 66;
  }
  lw::codecs::FfmpegVideoDecoder dec;
  if (lw::Status s = dec.configure(codec, config); !s.ok()) {
    std::fprintf(stderr, "lw-decode-speed: %s\n", s.to_string().c_str());
    return 1;
  }
  lw::codecs::VideoFrameView f;
  long frames = 0, runs = 0;
  int width = 0, height = 0;
  uint32_t sink = 0;  // touch one pixel per frame so that nothing is optimised away
  const double t0 = now_s();
  double t = t0;
  do {
    for (const Packet& p : packets) {
      if (lw::Status s = dec.decode(p.data, p.pts_us, p.key); !s.ok()) {
        std::fprintf(stderr, "lw-decode-speed: %s\n", s.to_string().c_str());
        return 1;
      }
      while (dec.next_frame(&f)) ++frames, sink += f.y[0], width = f.width, height = f.height;
    }
    (void)dec.flush();
    while (dec.next_frame(&f)) ++frames, sink += f.y[0];
    ++runs;
    t = now_s();
  } while (t - t0 < seconds);
  std::printf("{\"codec\":\"%s\",\"frames\":%ld,\"runs\":%ld,\"seconds\":%.3f,\"fps\":%.1f,\"width\":%d,\"height\":%d,"
              "\"cpuFlags\":%d,\"avcodec\":\"%s\",\"sink\":%u}\n",
              codec.c_str(), frames, runs, t - t0, frames / (t - t0), width, height, av_get_cpu_flags(),
              LIBAVCODEC_IDENT, sink);
  return 0;
}
