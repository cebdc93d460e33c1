#include "push/video_ladder.h"

#include <array>

namespace lw::push {
namespace {

// The table of video_ladder.h, highest rung first.
constexpr std::array<LadderRung, 5> kRungs = {{{1500, 720}, {800, 540}, {400, 360}, {200, 270}, {0, 180}}};
constexpr double kHysteresis = 1.15;

// Long side for a short side at the aspect, rounded to even: 9:16 -> short * 16 / 9, 3:4 -> * 4 / 3.
int long_side(int short_side, Aspect aspect) {
  const int num = aspect == Aspect::k9x16 ? 16 : 4, den = aspect == Aspect::k9x16 ? 9 : 3;
  const int exact = (short_side * num + den / 2) / den;
  return exact & ~1;
}

VideoSize size_of(int short_side, Aspect aspect, Orientation orientation) {
  const int l = long_side(short_side, aspect);
  return orientation == Orientation::kVertical ? VideoSize{short_side, l} : VideoSize{l, short_side};
}

// The rung for `kbps` (ignoring the mode cap); `scale` raises the thresholds (hysteresis).
int rung_short_side(int kbps, double scale = 1.0) {
  for (const LadderRung& r : kRungs)
    if (kbps >= r.min_kbps * scale) return r.short_side;
  return kRungs.back().short_side;
}

int min_kbps_of(int short_side) {
  for (const LadderRung& r : kRungs)
    if (r.short_side == short_side) return r.min_kbps;
  return 0;
}

}  // namespace

PushMode parse_mode(std::string_view t, bool* ok) {
  if (ok) *ok = true;
  if (t == "SD") return PushMode::kSD;
  if (t == "HD") return PushMode::kHD;
  if (t == "FHD") return PushMode::kFHD;
  if (t != "RTC" && ok) *ok = false;
  return PushMode::kRTC;
}

Aspect parse_aspect(std::string_view t, bool* ok) {
  if (ok) *ok = true;
  if (t == "3:4") return Aspect::k3x4;
  if (t != "9:16" && ok) *ok = false;
  return Aspect::k9x16;
}

Orientation parse_orientation(std::string_view t, bool* ok) {
  if (ok) *ok = true;
  if (t == "horizontal") return Orientation::kHorizontal;
  if (t != "vertical" && ok) *ok = false;
  return Orientation::kVertical;
}

ModeProfile mode_profile(PushMode mode) {
  switch (mode) {
    case PushMode::kSD: return {30, 2, false, 360};
    case PushMode::kHD: return {30, 2, false, 540};
    case PushMode::kFHD: return {30, 2, false, 720};
    case PushMode::kRTC: return {30, 1, true, 720};
  }
  return {30, 1, true, 720};
}

VideoSize size_for_bitrate(int kbps, PushMode mode, Aspect aspect, Orientation orientation) {
  const int cap = mode_profile(mode).max_short_side;
  const int s = rung_short_side(kbps);
  return size_of(s < cap ? s : cap, aspect, orientation);
}

VideoLadder::VideoLadder(PushMode mode, Aspect aspect, Orientation orientation)
    : mode_(mode), aspect_(aspect), orientation_(orientation) {}

VideoSize VideoLadder::update(int kbps) {
  const int cap = mode_profile(mode_).max_short_side;
  int wanted = rung_short_side(kbps);
  if (wanted > cap) wanted = cap;
  if (short_side_ == 0 || wanted < short_side_) {
    short_side_ = wanted;  // first size, or down at once: the link cannot carry the bigger picture
  } else if (wanted > short_side_) {
    // Up only when the bitrate clears the higher rung's threshold by the hysteresis margin.
    int up = rung_short_side(kbps, kHysteresis);
    if (up > cap) up = cap;
    if (up > short_side_ && kbps >= min_kbps_of(up) * kHysteresis) short_side_ = up;
  }
  size_ = size_of(short_side_, aspect_, orientation_);
  return size_;
}

}  // namespace lw::push
