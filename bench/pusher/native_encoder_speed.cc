// lw-encoder-speed: the native side of bench/pusher/run.sh. The same timed loops as the wasm module's
// benchH264 / benchAudio (encoder_speed.h) over the same frames, printed as one JSON object per line:
//
//   lw-encoder-speed h264 FRAMES.yuv WIDTH HEIGHT KBPS [FRAMES] [WARMUP]
//   lw-encoder-speed audio aac|opus low|high RATE CHANNELS SECONDS
//
// Which OpenH264 it runs is the dynamic linker's choice: Debian's libopenh264.so.7 (with its x86 asm) by
// default, the no-asm build of the same source when run.sh puts it first on LD_LIBRARY_PATH. So the
// wrapper, the settings and the loop are one binary; only the library underneath changes.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "encoder_speed.h"

namespace {

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += (c == '\n') ? ' ' : c;
  }
  return q + "\"";
}

int usage() {
  std::fprintf(stderr,
               "usage: lw-encoder-speed h264 FRAMES.yuv WIDTH HEIGHT KBPS [FRAMES] [WARMUP]\n"
               "       lw-encoder-speed audio aac|opus low|high RATE CHANNELS SECONDS\n");
  return 2;
}

int run_h264(int argc, char** argv) {
  if (argc < 6) return usage();
  lw::bench::H264SpeedOptions o;
  o.width = std::atoi(argv[3]);
  o.height = std::atoi(argv[4]);
  o.kbps = std::atoi(argv[5]);
  if (argc > 6) o.frames = std::atoi(argv[6]);
  if (argc > 7) o.warmup = std::atoi(argv[7]);
  std::ifstream in(argv[2], std::ios::binary);
  std::vector<uint8_t> yuv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t frame = size_t(o.width) * o.height * 3 / 2;
  if (o.width <= 0 || o.height <= 0 || yuv.size() < frame || yuv.size() % frame != 0) {
    std::fprintf(stderr, "%s: not whole %dx%d I420 frames (%zu bytes)\n", argv[2], o.width, o.height, yuv.size());
    return 1;
  }
  const lw::bench::H264Speed r = lw::bench::time_h264(yuv.data(), int(yuv.size() / frame), o);
  std::printf("{\"encoder\":%s,\"error\":%s,\"seconds\":%.6f,\"frames\":%lld,\"produced\":%lld,\"keys\":%lld,"
              "\"bytes\":%lld,\"digest\":\"%s\"}\n",
              quoted(r.encoder).c_str(), quoted(r.error).c_str(), r.seconds, (long long)r.frames,
              (long long)r.produced, (long long)r.keys, (long long)r.bytes, lw::bench::hex64(r.digest).c_str());
  return r.error.empty() ? 0 : 1;
}

int run_audio(int argc, char** argv) {
  if (argc < 7) return usage();
  lw::bench::AudioSpeedOptions o;
  const std::string codec = argv[2], quality = argv[3];
  o.codec = codec == "opus" ? lw::codecs::AudioCodecKind::kOpus : lw::codecs::AudioCodecKind::kAac;
  o.quality = quality == "low" ? lw::codecs::AudioQuality::kLow : lw::codecs::AudioQuality::kHigh;
  o.sample_rate = std::atoi(argv[4]);
  o.channels = std::atoi(argv[5]);
  o.seconds = std::atof(argv[6]);
  const lw::bench::AudioSpeed r = lw::bench::time_audio(o);
  std::printf("{\"encoder\":%s,\"error\":%s,\"seconds\":%.6f,\"audioSeconds\":%.3f,\"packets\":%lld,"
              "\"bytes\":%lld,\"bitrateKbps\":%d}\n",
              quoted(r.encoder).c_str(), quoted(r.error).c_str(), r.seconds, r.audio_seconds,
              (long long)r.packets, (long long)r.bytes, r.bitrate_kbps);
  return r.error.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string what = argv[1];
  if (what == "h264") return run_h264(argc, argv);
  if (what == "audio") return run_audio(argc, argv);
  return usage();
}
