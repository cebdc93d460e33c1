// The pure decision function of the jitter buffer (NetEq's DecisionLogic): from the buffer status to
// the next play-out operation. No state of its own: the hysteresis state (accelerating/decelerating)
// comes in with the input, so every case is a table row in a test.
//
//   live: target = clamp(jitter-based need, min_cache, max_cache); start at target; accelerate
//         (time-stretch faster) above target + margin, back to target; decelerate below target -
//         margin (sender clock slower than ours); skip to a key frame only when far behind
//         (above max(max_cache + 2 s, 2 x max_cache)).
//   RTC:  the cache attributes are ignored: target = jitter p95 + 60 ms (at least 80 ms); start as
//         soon as that is buffered; accelerate from 20 % above it, harder the further behind (up to
//         rate 1.25); skip to a key frame when 800 ms above it.
#pragma once

#include <cstdint>

#include "play/play_session.h"

namespace lw::play {

enum class Operation : uint8_t {
  kNormal,          // play at rate 1
  kBuffering,       // wait for data (start or rebuffering): silence, clock stopped
  kExpand,          // starved after start: silence, clock stopped (short underrun)
  kAccelerate,      // play faster with time-stretching (rate > 1)
  kDecelerate,      // play slower with time-stretching (rate < 1)
  kSkipToKeyFrame,  // far behind: jump to a key frame near the target delay
};
const char* operation_name(Operation op);

struct DecisionInput {
  Mode mode = Mode::kLive;
  int32_t min_cache_ms = 1000;
  int32_t max_cache_ms = 3000;
  bool playing = false;        // playback runs (began, not rebuffering, not paused)
  bool accelerating = false;   // the last operation was kAccelerate (hysteresis)
  bool decelerating = false;   // the last operation was kDecelerate
  bool data_ready = true;      // media is there for the next block at the play position
  bool ended = false;          // no more input will come: play out what is there
  bool key_frame_ahead = false;  // a key frame to skip to is stored ahead of the play position
  bool catch_up = false;       // resume after pause: jump to the live edge if above the window
  double level_ms = 0;         // filtered buffer level
  double raw_level_ms = 0;     // buffer level now
  double jitter_ms = 0;        // arrival jitter (p95 lateness)
  // Media rendered for the output device but not heard yet (the device's queue and latency). Live
  // counts it with the level: min-cache/max-cache mean the delay the listener gets, and without it
  // the delay sat a device queue (80-100 ms) above the window. RTC leaves it out: that queue absorbs
  // the worker's tick jitter, not the network's, so the RTC target must stay above it.
  double output_lead_ms = 0;
};

struct Decision {
  Operation op = Operation::kBuffering;
  double rate = 1.0;      // for kAccelerate/kDecelerate
  double target_ms = 0;   // the delay aimed at
  // The input's catch_up is still to do (no skip yet, still behind): the caller passes it again.
  bool catch_up_pending = false;
};

// The delay the jitter buffer aims for.
double target_delay_ms(Mode mode, int32_t min_cache_ms, int32_t max_cache_ms, double jitter_ms);
// Above this level a skip to a key frame happens (far behind).
double skip_threshold_ms(Mode mode, int32_t max_cache_ms, double target_ms);

Decision decide(const DecisionInput& in);

}  // namespace lw::play
