// Bitrate -> picture size for the pusher (docs/api.md: "the encoder picks the resolution from the
// current bitrate, e.g. about 2 Mbps -> 720p, 300 kbps -> a lower resolution"). A table, not a formula,
// so it can be documented and tested line by line. Sizes are even in both dimensions (I420).
//
//   video kbps      short side   9:16 vertical   3:4 vertical
//   >= 1500             720        720x1280        720x960
//   >=  800             540        540x960         540x720
//   >=  400             360        360x640         360x480
//   >=  200             270        270x480         270x360
//   <   200             180        180x320         180x240
//
// orientation=horizontal swaps width and height (9:16 means 16:9, 3:4 means 4:3). The mode caps the
// short side: SD 360, HD 540, FHD 720, RTC 720. Stepping up needs the bitrate to clear the rung by
// 15 % (hysteresis) so a bitrate that wobbles around a threshold does not re-open the encoder.
#pragma once

#include <cstdint>
#include <string_view>

namespace lw::push {

enum class PushMode : uint8_t { kSD, kHD, kFHD, kRTC };
enum class Aspect : uint8_t { k9x16, k3x4 };
enum class Orientation : uint8_t { kVertical, kHorizontal };

// Parses the attribute values ("SD", "HD", "FHD", "RTC"; "9:16", "3:4"; "vertical", "horizontal").
// Unknown text gives the docs/api.md default (RTC, 9:16, vertical) and `ok` false so callers can warn.
PushMode parse_mode(std::string_view text, bool* ok = nullptr);
Aspect parse_aspect(std::string_view text, bool* ok = nullptr);
Orientation parse_orientation(std::string_view text, bool* ok = nullptr);

struct VideoSize {
  int width = 0;
  int height = 0;
  bool operator==(const VideoSize&) const = default;
};

struct LadderRung {
  int min_kbps;    // this rung is used from this bitrate up
  int short_side;  // pixels
};

// Frame rate and key-frame interval per mode: SD/HD/FHD favour clarity (30 fps, GOP 2 s, no frame
// skipping), RTC favours delay (GOP 1 s, the encoder may skip frames rather than queue them).
struct ModeProfile {
  int max_fps;
  int gop_seconds;
  bool allow_frame_skip;
  int max_short_side;
};
ModeProfile mode_profile(PushMode mode);

// The size for `kbps` with no history (the start of a push).
VideoSize size_for_bitrate(int kbps, PushMode mode, Aspect aspect, Orientation orientation);

// The ladder with hysteresis: update() returns the size to encode at for the current target bitrate.
// Steps down at once (the link cannot carry the bigger picture), up only past the rung's threshold
// * 1.15.
class VideoLadder {
 public:
  VideoLadder(PushMode mode, Aspect aspect, Orientation orientation);
  VideoSize update(int kbps);
  VideoSize current() const { return size_; }
  int short_side() const { return short_side_; }

 private:
  PushMode mode_;
  Aspect aspect_;
  Orientation orientation_;
  int short_side_ = 0;
  VideoSize size_{};
};

}  // namespace lw::push
