// Fuzz target for the player core (wasm/core/play/play_session.h). The input is a script: each step takes
// one control byte; its low 4 bits pick a call (feed a fuzzer-sized piece of the rest of the input as
// FLV, render audio, report the played position, pull and push packets, frame timing, pause/resume,
// restart, video on/off, decode errors, configure), the high bits a time step. Times move forward by
// fuzzer-chosen amounts (sometimes backwards: a caller's clock is not trusted). Must never crash, hang
// or let stored media grow past its bounds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "play/play_session.h"

namespace {

using namespace lw;
using namespace lw::play;

struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  bool done() const { return n == 0; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r{data, size};
  PlayConfig c;
  const uint8_t flags = r.byte();
  c.mode = (flags & 1) ? Mode::kRtc : Mode::kLive;
  c.min_cache_ms = (flags & 2) ? 0 : 500;
  c.max_cache_ms = (flags & 4) ? 500 : 2000;
  c.output_channels = (flags & 8) ? 1 : 2;
  c.output_rate = (flags & 16) ? 44100 : 48000;
  PlaySession s(c);
  int64_t now = 0;
  std::vector<float> out(2 * 2048), pcm(8 * 2048, 0.1f);
  int64_t played = 0;
  MediaPacket p;
  Notice n;
  TrackConfig tc;
  TrackEvent te;
  int steps = 0;
  while (!r.done() && steps++ < 4096) {
    const uint8_t op = r.byte();
    now += (op >> 4) * 7'000;
    if ((op >> 4) == 15) now -= 50'000;  // a clock that steps back
    switch (op & 15) {
      case 0:
      case 1:
      case 2: {  // feed up to 4 KiB
        const size_t len = std::min<size_t>(r.n, (size_t(r.byte()) << 4) + 1);
        s.feed(ByteSpan(r.p, len), now);
        r.p += len;
        r.n -= len;
        break;
      }
      case 3: {
        const int32_t frames = 1 + r.byte() * 8;
        s.render_audio(now, out.data(), frames);
        played += frames;
        break;
      }
      case 4:
        s.set_played_frames(played - r.byte() * 10, now);
        (void)s.media_time_us(now);
        break;
      case 5:
        while (s.next_audio_packet(&p)) {
          const int32_t frames = 1 + (p.data.size() % 2048);
          const int32_t channels = 1 + (p.pts_us & 1);
          s.push_audio(p.pts_us + (r.byte() % 3) * 30'000, pcm.data(), frames, channels, (p.pts_us & 2) ? 44100 : 48000);
        }
        break;
      case 6:
        while (s.next_video_packet(now, &p)) {
          const FrameAction a = s.frame_action(p.pts_us, now);
          if (a == FrameAction::kShow) s.frame_shown(p.pts_us, now);
          if (a == FrameAction::kDrop) s.frame_dropped(p.pts_us);
        }
        break;
      case 7:
        (r.byte() & 1) ? s.pause(now) : s.resume(now);
        break;
      case 8:
        s.restart_input(now);
        break;
      case 9:
        s.set_video_enabled(r.byte() & 1, now);
        break;
      case 10:
        s.report_decode_error((r.byte() & 1) ? TrackKind::kAudio : TrackKind::kVideo, now, "fuzz");
        break;
      case 11:
        c.mode = (r.byte() & 1) ? Mode::kRtc : Mode::kLive;
        s.configure(c);
        break;
      case 12:
        s.note_source_drop(now, r.byte());
        break;
      case 13: {  // netstats, the track list, a choice of track (Enhanced RTMP Multitrack)
        (void)s.net_stats(now);
        (void)s.tracks();
        const uint8_t b = r.byte();
        (void)s.select_track((b & 0x80) ? TrackKind::kAudio : TrackKind::kVideo, b & 0x7F);
        break;
      }
      case 14:
        s.end_of_input(now);
        break;
      default:
        while (s.next_notice(&n)) {
        }
        while (s.next_track_config(&tc)) {
        }
        while (s.next_track_event(&te)) {
        }
        break;
    }
    // Bounds: 64 MiB of video, 8 MiB of encoded audio, 14 s of 8-channel PCM at most.
    if (s.stored_bytes() > (72u << 20) + 14u * 384000 * 8 * 4) {
      std::fprintf(stderr, "play_session_fuzz: stored media unbounded\n");
      std::abort();
    }
  }
  return 0;
}
