// Which track of each kind plays, for Enhanced RTMP v2 Multitrack streams (several renditions or
// languages in one FLV stream, each packet carrying a track id; plain streams are track 0). PlayInput
// asks it for every packet: play it, skip it (another track's), or switch here.
//
// - Default: track 0, or the lowest id present (a lower id that shows up later is switched to).
// - The page's choice (select): video switches at the chosen track's next key frame, the old track
//   playing until then (seamless); audio at the chosen track's next packet.
// - A playing track that stops arriving while another of its kind goes on (kGoneUs of media time) is
//   said (TrackEvent::kGone) and the default among the others takes over, from its next key frame; a
//   chosen track that goes away before its switch point is said too, and the playing one stays.
// Every change of the list or of the playing track is a TrackEvent the shell passes on.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "play/play_session.h"

namespace lw::play {

class TrackSelect {
 public:
  static constexpr int64_t kGoneUs = 1'500'000;

  enum class Verdict : uint8_t { kPlay, kSkip, kSwitch };

  // A packet (or sequence header) of track `id` arrived; `codec` names it ("avc1.64001f", "hevc",
  // "mp4a.40.2", or the unsupported codec's name). New tracks are added to the list.
  void seen(TrackKind kind, int id, const std::string& codec, int64_t raw_us);
  // The track's decoder configuration (its sequence header): kept for a later switch.
  void set_config(TrackKind kind, int id, const TrackConfig& config);
  const TrackConfig* config(TrackKind kind, int id) const;

  // For a coded packet of track `id` at raw media time `raw_us`: kPlay (the playing track), kSkip
  // (another track), kSwitch (the track switched to starts here: `switch_point` says the packet can
  // start it, i.e. a video key frame or any audio packet, and its configuration is known).
  Verdict on_packet(TrackKind kind, int id, int64_t raw_us, bool switch_point);
  // True when `id` is the playing track, or nothing plays yet (the first track seen becomes it).
  bool is_current_or_first(TrackKind kind, int id);

  // The page's choice. kInvalid (with the ids present) for a track not seen on this stream.
  Status select(TrackKind kind, int id);

  // A new connection: media times restart; choices and the list stay.
  void restart();

  std::vector<TrackInfo> tracks() const;
  bool next_event(TrackEvent* out);

 private:
  struct Track {
    std::string codec;
    TrackConfig config;
    bool has_config = false;
    int64_t last_raw_us = 0;
    bool timed = false;  // last_raw_us is of this connection (restart() clears it)
  };
  struct Kind {
    std::map<int, Track> tracks;
    int current = -1;
    int pending = -1;  // switching to it at its next switch point
    int switch_from = -1;  // the gone track a pending switch replaces (for the message)
    bool chosen = false;
  };
  Kind& of(TrackKind kind) { return kind == TrackKind::kVideo ? video_ : audio_; }
  const Kind& of(TrackKind kind) const { return kind == TrackKind::kVideo ? video_ : audio_; }
  void event(TrackEvent::Type type, TrackKind kind, int id, std::string message);
  int default_id(const Kind& k, int except) const;
  bool silent(Kind& k, int id, int64_t raw_us);

  Kind video_, audio_;
  std::deque<TrackEvent> events_;
};

}  // namespace lw::play
