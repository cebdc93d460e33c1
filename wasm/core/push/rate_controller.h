// Uplink rate control for the pusher: a pure function of what the worker can see of the link, with time
// passed in. A WebSocket has no flow control of its own, so the backlog is measured in two places: the
// browser's `bufferedAmount` (bytes send() accepted but the socket did not take yet) and the gateway's
// `ack` (gateway/PROTOCOL.md: `received` FLV bytes, `queued` bytes waiting to go upstream, `paused`).
// Backlog = bufferedAmount + gateway queued (+ bytes sent but not yet acknowledged as received, which
// the next ack resolves), expressed in milliseconds at the current total bitrate.
//
// The policy follows OBS's dynamic bitrate (plugins/obs-outputs/rtmp-stream.c): on congestion, drop to
// the throughput actually measured over the last window (less a margin), never below min-bitrate; when
// the backlog has been empty for a while, probe back up in small steps every few seconds toward
// max-bitrate. In order of pressure:
//   backlog > congest_ms (RTC 300 ms, others 700 ms)   -> step down toward measured throughput, again
//                                                         every 500 ms unless the backlog is draining
//   backlog > drop_ms    (RTC 500 ms, others 1500 ms)  -> drop non-reference frames
//   backlog > flush_ms   (RTC 1000 ms, others 3000 ms) -> drop everything until the next key frame
//   at min-bitrate and above congest_ms for 1 s         -> net_busy (SPEC 1101), edge-triggered
//   backlog < clear_ms for probe_interval_ms (RTC 2 s, others 4 s)
//                                                       -> up by 10 % or a quarter of the way to max
#pragma once

#include <cstdint>
#include <deque>

#include "push/video_ladder.h"

namespace lw::push {

struct RateConfig {
  int min_kbps = 200;    // min-bitrate (video)
  int max_kbps = 1000;   // max-bitrate (video)
  int start_kbps = 0;    // 0: start at max (SD/HD/FHD) or at the midpoint (RTC)
  int audio_kbps = 48;   // audio rides on the same link
  PushMode mode = PushMode::kRTC;
};

// One observation, taken by the worker every ~100 ms and whenever an ack arrives. Totals are since the
// current connection opened (reset() on reconnect).
struct LinkSample {
  int64_t now_ms = 0;
  uint64_t sent_bytes = 0;      // bytes handed to WebSocket.send()
  uint64_t buffered_bytes = 0;  // WebSocket.bufferedAmount
  int64_t acked_received = -1;  // last ack's `received` (-1: no ack yet)
  int64_t acked_queued = -1;    // last ack's `queued`
  bool acked_paused = false;    // last ack's `paused`
};

enum class FrameDrop : uint8_t {
  kNone,
  kNonReference,   // skip frames nothing refers to (P frames at the end of a GOP first)
  kUntilKeyFrame,  // skip everything; the next frame encoded is an IDR
};

struct RateDecision {
  int video_kbps = 0;           // the encoder's target from now on
  FrameDrop drop = FrameDrop::kNone;
  bool congested = false;       // backlog above congest_ms now
  bool net_busy = false;        // raise 1101: true on the one update where it starts (edge)
  bool request_key_frame = false;  // after kUntilKeyFrame ends
};

class RateController {
 public:
  explicit RateController(const RateConfig& config);

  RateDecision update(const LinkSample& sample);

  // For netstatus: throughput over the last ~2 s (kbps, what left the browser and the gateway took),
  // the backlog in ms at the current bitrate, and jitter of the backlog (ms, mean absolute change).
  int measured_kbps() const;
  int backlog_ms() const { return backlog_ms_; }
  int jitter_ms() const;
  int video_kbps() const { return video_kbps_; }

  // New connection: totals restart from 0; the bitrate is kept (the link is probably the same).
  void reset(int64_t now_ms);

 private:
  RateConfig config_;
  int video_kbps_ = 0;
  int backlog_ms_ = 0;
  // Implementation state (windows, timers) is the implementer's.
  struct Point {
    int64_t t;
    uint64_t delivered;
    int backlog_ms;
  };
  std::deque<Point> window_;
  int64_t last_decrease_ms_ = -1;
  int backlog_at_decrease_ms_ = 0;
  int64_t clear_since_ms_ = -1;
  int64_t busy_since_ms_ = -1;
  bool busy_raised_ = false;
  bool dropping_until_key_ = false;
};

}  // namespace lw::push
