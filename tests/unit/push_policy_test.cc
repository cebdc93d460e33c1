// The pusher's policy tables and controller (wasm/core/push/video_ladder.h, rate_controller.h): the ladder
// row by row, and the rate controller on a simulated link in simulated time (a sender at the
// controller's rate, a browser queue, a link of given capacity, gateway acks every 250 ms).
#include <gtest/gtest.h>

#include <algorithm>

#include "push/rate_controller.h"
#include "push/video_ladder.h"

namespace lw::push {
namespace {

TEST(VideoLadder, EveryRowBothAspectsBothOrientations) {
  struct Row { int kbps, w916, h916, w34, h34; };
  const Row rows[] = {{2000, 720, 1280, 720, 960}, {1500, 720, 1280, 720, 960}, {1000, 540, 960, 540, 720},
                      {800, 540, 960, 540, 720},   {500, 360, 640, 360, 480},   {400, 360, 640, 360, 480},
                      {300, 270, 480, 270, 360},   {200, 270, 480, 270, 360},   {150, 180, 320, 180, 240}};
  for (const Row& r : rows) {
    SCOPED_TRACE(r.kbps);
    EXPECT_EQ(size_for_bitrate(r.kbps, PushMode::kRTC, Aspect::k9x16, Orientation::kVertical), (VideoSize{r.w916, r.h916}));
    EXPECT_EQ(size_for_bitrate(r.kbps, PushMode::kRTC, Aspect::k3x4, Orientation::kVertical), (VideoSize{r.w34, r.h34}));
    EXPECT_EQ(size_for_bitrate(r.kbps, PushMode::kRTC, Aspect::k9x16, Orientation::kHorizontal), (VideoSize{r.h916, r.w916}));
    EXPECT_EQ(size_for_bitrate(r.kbps, PushMode::kRTC, Aspect::k3x4, Orientation::kHorizontal), (VideoSize{r.h34, r.w34}));
  }
}

TEST(VideoLadder, ModesCapTheShortSide) {
  EXPECT_EQ(size_for_bitrate(3000, PushMode::kSD, Aspect::k9x16, Orientation::kVertical), (VideoSize{360, 640}));
  EXPECT_EQ(size_for_bitrate(3000, PushMode::kHD, Aspect::k9x16, Orientation::kVertical), (VideoSize{540, 960}));
  EXPECT_EQ(size_for_bitrate(3000, PushMode::kFHD, Aspect::k9x16, Orientation::kVertical), (VideoSize{720, 1280}));
  EXPECT_EQ(mode_profile(PushMode::kRTC).gop_seconds, 1);
  EXPECT_TRUE(mode_profile(PushMode::kRTC).allow_frame_skip);
  EXPECT_FALSE(mode_profile(PushMode::kHD).allow_frame_skip);
}

TEST(VideoLadder, ParsingFallsBackToTheDefaultsAndSaysSo) {
  bool ok = true;
  EXPECT_EQ(parse_mode("FHD", &ok), PushMode::kFHD);
  EXPECT_TRUE(ok);
  EXPECT_EQ(parse_mode("4K", &ok), PushMode::kRTC);
  EXPECT_FALSE(ok);
  EXPECT_EQ(parse_aspect("16:10", &ok), Aspect::k9x16);
  EXPECT_FALSE(ok);
  EXPECT_EQ(parse_orientation("horizontal", &ok), Orientation::kHorizontal);
  EXPECT_TRUE(ok);
}

TEST(VideoLadder, DownAtOnceUpOnlyPastTheMarginNoFlapping) {
  VideoLadder ladder(PushMode::kRTC, Aspect::k9x16, Orientation::kVertical);
  EXPECT_EQ(ladder.update(900).height, 960);
  EXPECT_EQ(ladder.update(790).height, 640) << "below 800: down at once";
  for (int kbps : {810, 850, 900, 790, 860, 910}) EXPECT_EQ(ladder.update(kbps).height, 640) << kbps;
  EXPECT_EQ(ladder.update(920).height, 960) << "800 * 1.15 = 920";
}

// A simulated uplink in 100 ms ticks: the sender produces the controller's rate (video + audio) into
// the browser's queue; the link drains capacity_kbps from it; what crosses arrives at the gateway,
// which acks every 250 ms.
struct Link {
  RateController rc;
  int capacity_kbps;
  int64_t now = 0;
  uint64_t sent = 0, buffered = 0, received = 0;
  int64_t acked = -1;
  int busy = 0, changes = 0, last_kbps = 0;
  FrameDrop worst = FrameDrop::kNone;
  bool key_requested = false;

  Link(RateConfig c, int capacity) : rc(c), capacity_kbps(capacity) {}

  void run(int ms) {
    for (int t = 0; t < ms; t += 100) {
      now += 100;
      const uint64_t produced = static_cast<uint64_t>(rc.video_kbps() + 48) * 100 / 8;
      sent += produced;
      buffered += produced;
      const uint64_t moved = std::min<uint64_t>(buffered, static_cast<uint64_t>(capacity_kbps) * 100 / 8);
      buffered -= moved;
      received += moved;
      if (now % 300 == 0) acked = static_cast<int64_t>(received);
      const RateDecision d = rc.update({now, sent, buffered, acked, 0, false});
      busy += d.net_busy;
      worst = std::max(worst, d.drop);
      key_requested |= d.request_key_frame;
      if (last_kbps && d.video_kbps != last_kbps) ++changes;
      last_kbps = d.video_kbps;
    }
  }
};

TEST(RateController, HoldsMaxOnAFastLink) {
  Link link({.min_kbps = 200, .max_kbps = 1500, .mode = PushMode::kRTC}, 2000);
  link.run(20000);
  EXPECT_EQ(link.rc.video_kbps(), 1500);
  EXPECT_EQ(link.busy, 0);
  EXPECT_EQ(link.worst, FrameDrop::kNone);
}

TEST(RateController, StepsUnderASlowerLinkThenRaises1101OnceBelowMinThenRecovers) {
  Link link({.min_kbps = 200, .max_kbps = 1200, .mode = PushMode::kRTC}, 5000);
  link.run(5000);
  link.capacity_kbps = 400;
  link.run(4000);
  EXPECT_LE(link.rc.video_kbps() + 48, 400) << "under the link within 4 s";
  link.run(6000);
  EXPECT_LT(link.rc.backlog_ms(), 500) << "the backlog drained";
  EXPECT_EQ(link.busy, 0);
  link.capacity_kbps = 120;
  link.run(10000);
  EXPECT_EQ(link.rc.video_kbps(), 200);
  EXPECT_EQ(link.busy, 1) << "1101 once per episode";
  EXPECT_EQ(link.worst, FrameDrop::kUntilKeyFrame);
  link.capacity_kbps = 100000;
  link.run(20000);
  EXPECT_GE(link.rc.video_kbps(), 1000) << "probed back up";
  EXPECT_TRUE(link.key_requested) << "the drop-until-key-frame episode ended with a key frame request";
  EXPECT_EQ(link.busy, 1);
}

TEST(RateController, RtcReactsFasterThanSd) {
  auto time_to_react = [](PushMode mode) {
    Link link({.min_kbps = 200, .max_kbps = 1000, .mode = mode}, 5000);
    link.run(3000);
    const int before = link.rc.video_kbps();
    link.capacity_kbps = 400;
    int ms = 0;
    while (link.rc.video_kbps() == before && ms < 20000) {
      link.run(100);
      ms += 100;
    }
    return ms;
  };
  EXPECT_LT(time_to_react(PushMode::kRTC), time_to_react(PushMode::kSD));
}

TEST(RateController, HidesNothingInFlightBytesAreSeenThroughTheAcks) {
  // The browser's queue stays empty (kernel buffers take everything) but the gateway receives slowly:
  // only the acks show it.
  RateController rc({.min_kbps = 200, .max_kbps = 1000, .mode = PushMode::kRTC});
  const int start = rc.video_kbps();
  uint64_t sent = 0;
  for (int64_t now = 100; now <= 3000; now += 100) {
    sent += static_cast<uint64_t>(start + 48) * 100 / 8;
    rc.update({now, sent, 0, static_cast<int64_t>(now * 200 / 8), 0, false});  // 200 kbit/s arrive
  }
  EXPECT_LT(rc.video_kbps(), start);
}

TEST(RateController, ResetKeepsTheBitrate) {
  Link link({.min_kbps = 200, .max_kbps = 1200, .mode = PushMode::kRTC}, 400);
  link.run(6000);
  const int kbps = link.rc.video_kbps();
  link.rc.reset(link.now);
  EXPECT_EQ(link.rc.video_kbps(), kbps);
  EXPECT_EQ(link.rc.backlog_ms(), 0);
}

}  // namespace
}  // namespace lw::push
