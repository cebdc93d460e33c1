// The pusher's policy rules one by one (wasm/core/push/push_session.h): pacing, drops, key-frame requests,
// the netstatus window, the encoder keep-up verdict, the hidden page's limit.
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "flv/flv_demuxer.h"
#include "push/push_session.h"

namespace lw::push {
namespace {

const Bytes kAvcc = {0x01, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1E, 0x01, 0x00, 0x02, 0x68, 0xCE};
const Bytes kIdr = {0, 0, 0, 2, 0x65, 0x88};
const Bytes kRefP = {0, 0, 0, 2, 0x41, 0x9A};
const Bytes kNonRefP = {0, 0, 0, 2, 0x01, 0x9A};

PushSessionConfig config(double camera_fps, PushMode mode = PushMode::kRTC) {
  PushSessionConfig c;
  c.mode = mode;
  c.camera_fps = camera_fps;
  c.audio = AudioKind::kNone;
  return c;
}

TEST(PushSession, PacingTakesTheModesRateFromAFasterCamera) {
  PushSession s;
  ASSERT_TRUE(s.open(config(60)).ok());
  EXPECT_EQ(s.encode_fps(), 30);
  int taken = 0;
  for (int i = 0; i < 600; ++i) taken += s.take_frame(static_cast<int64_t>(i * 1000.0 / 60));
  // 300 in 10 s: the schedule steps by 33.33 ms (in whole milliseconds it ran at 30.3 a second: 303).
  EXPECT_EQ(taken, 300) << "60 fps camera, 30 fps encoder over 10 s";
}

TEST(PushSession, PacingTakesEveryFrameOfA30fpsCameraAndReanchorsAfterAGap) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  int taken = 0;
  for (int i = 0; i < 300; ++i) taken += s.take_frame(static_cast<int64_t>(i * 1000.0 / 30));
  EXPECT_EQ(taken, 300);
  EXPECT_TRUE(s.take_frame(60'000)) << "after a gap the first frame is due";
  EXPECT_FALSE(s.take_frame(60'010)) << "and one 10 ms later is not";
  EXPECT_TRUE(s.take_frame(60'033));
}

// Capture times with the jitter of WebKit's frame callbacks (+-10 ms around a 30 fps camera) are written
// on the encoder's grid: FLV deltas of 33 or 34 ms (67 for a skipped slot), never more than half an
// interval from when the frame was taken; after a pause the grid starts again at the new frame.
TEST(PushSession, VideoTimesAreWrittenOnTheFrameGrid) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  ASSERT_TRUE(s.begin_connection(0).ok());
  ASSERT_TRUE(s.set_avc_config(as_span(kAvcc)).ok());
  std::vector<int64_t> captured;
  std::srand(7);
  for (int i = 0; i < 300; ++i) {
    if (i % 50 == 25) continue;  // a frame the camera lost
    const int64_t t = 1000 + static_cast<int64_t>(i * 1000.0 / 30) + (std::rand() % 21) - 10;
    captured.push_back(t);
    ASSERT_TRUE(s.write_video(as_span(i == 0 ? kIdr : kRefP), i == 0, t).ok());
  }
  captured.push_back(20'000);  // after a pause of 10 s
  ASSERT_TRUE(s.write_video(as_span(kRefP), false, 20'000).ok());
  ASSERT_TRUE(s.write_video(as_span(kRefP), false, 20'041).ok());
  captured.push_back(20'041);

  flv::Demuxer demux;
  demux.feed(as_span(s.output()));
  std::vector<int64_t> written;
  flv::Event ev;
  while (demux.next(&ev))
    if (ev.kind == flv::EventKind::kVideo && !ev.video.is_sequence_header()) written.push_back(ev.tag.timestamp_ms);
  ASSERT_EQ(written.size(), captured.size());
  for (size_t i = 0; i < written.size(); ++i) EXPECT_LE(std::llabs(written[i] - captured[i]), 17) << i;
  for (size_t i = 1; i + 2 < written.size(); ++i) {
    const int64_t d = written[i] - written[i - 1];
    EXPECT_TRUE(d == 33 || d == 34 || d == 66 || d == 67) << "frame " << i << ": delta " << d;
  }
  EXPECT_EQ(written[written.size() - 2], 20'000) << "a new grid after the pause";
  EXPECT_EQ(written.back(), 20'033);
}

TEST(PushSession, NoVideoTakesNoFrame) {
  PushSession s;
  PushSessionConfig c = config(30);
  c.video = false;
  ASSERT_TRUE(s.open(c).ok());
  EXPECT_FALSE(s.take_frame(0));
}

TEST(PushSession, ANewConnectionWantsAKeyFrameOnce) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  EXPECT_FALSE(s.take_key_frame_request());
  ASSERT_TRUE(s.begin_connection(0).ok());
  EXPECT_TRUE(s.take_key_frame_request());
  EXPECT_FALSE(s.take_key_frame_request());
  s.set_paused(true);
  EXPECT_FALSE(s.take_key_frame_request());
  s.set_paused(false);
  EXPECT_TRUE(s.take_key_frame_request()) << "resume";
  s.set_hidden(true, 0);
  s.set_hidden(false, 1000);
  EXPECT_TRUE(s.take_key_frame_request()) << "shown again";
}

// A link that carries nothing: the rate controller drops non-reference frames, then everything until
// a key frame; the drops are counted in netstatus, and the end of the episode asks for a key frame.
TEST(PushSession, DropsFollowTheLinkAndAreCounted) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  ASSERT_TRUE(s.begin_connection(0).ok());
  ASSERT_TRUE(s.set_avc_config(as_span(kAvcc)).ok());
  ASSERT_TRUE(s.write_video(as_span(kIdr), true, 0).ok());
  uint64_t sent = s.output().size();
  s.clear_output();
  bool dropped_non_ref = false, dropped_all = false;
  int64_t t = 0;
  for (; t < 5000 && !dropped_all; t += 100) {
    sent += 20'000;  // the encoder writes far more than arrives
    s.update_link({t, sent, sent, 0, 0, false});
    const uint64_t before = s.net_status(t).dropped_frames;
    ASSERT_TRUE(s.write_video(as_span(kNonRefP), false, t).ok());
    if (s.net_status(t).dropped_frames > before) dropped_non_ref = true;
    if (!s.take_frame(t + 1)) dropped_all = dropped_all || s.net_status(t).dropped_frames > before;
  }
  EXPECT_TRUE(dropped_non_ref);
  EXPECT_TRUE(dropped_all);
  EXPECT_GT(s.net_status(t).dropped_frames, 0u);
  (void)s.take_key_frame_request();
  // The link drains: the episode ends with a key frame request.
  for (int i = 0; i < 100 && !s.take_key_frame_request(); ++i, t += 100) s.update_link({t, sent, 0, static_cast<int64_t>(sent), 0, false});
  EXPECT_LT(t, 15'000) << "key frame requested once the link drained";
}

TEST(PushSession, ReferenceFramesAreNeverDroppedAsNonReference) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  ASSERT_TRUE(s.begin_connection(0).ok());
  ASSERT_TRUE(s.set_avc_config(as_span(kAvcc)).ok());
  ASSERT_TRUE(s.write_video(as_span(kIdr), true, 0).ok());
  ASSERT_TRUE(s.write_video(as_span(kRefP), false, 33).ok());
  EXPECT_EQ(s.net_status(1000).dropped_frames, 0u);
}

TEST(PushSession, NetstatusWindowCountsSinceTheLastCall) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  ASSERT_TRUE(s.begin_connection(0).ok());
  ASSERT_TRUE(s.set_avc_config(as_span(kAvcc)).ok());
  auto at = [](int i) { return static_cast<int64_t>(i * 1000.0 / 30); };  // a 30 fps camera
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(s.write_video(as_span(i % 30 ? kRefP : kIdr), i % 30 == 0, at(i)).ok());
  PushNetStatus n = s.net_status(1000);
  EXPECT_NEAR(n.video_fps, 30, 0.01);
  EXPECT_EQ(n.video_gop, 1) << "one key frame so far: the RTC mode's interval, not 0";
  EXPECT_EQ(n.video_width, s.target_size().width);
  for (int i = 30; i < 45; ++i) ASSERT_TRUE(s.write_video(as_span(i % 30 ? kRefP : kIdr), i % 30 == 0, at(i)).ok());
  n = s.net_status(2000);
  EXPECT_NEAR(n.video_fps, 15, 0.01);
  EXPECT_NEAR(n.video_gop, 1.0, 0.001) << "key frames at 0 and 1000 ms";
}

// Keep-up: 3 s of pictures slower than 90 % of the interval -> hand over (auto), 1101 once (pinned).
TEST(PushSession, EncoderKeepUpVerdict) {
  for (EncoderChoice choice : {EncoderChoice::kAuto, EncoderChoice::kWasm}) {
    PushSession s;
    ASSERT_TRUE(s.open(config(30)).ok());
    s.set_encoder(choice, false);
    KeepUp last = KeepUp::kFine;
    int64_t when = -1;
    for (int i = 0; i < 300 && when < 0; ++i) {
      const int64_t t = i * 66;  // the slow encoder takes every second camera frame
      last = s.wasm_frame_encoded(t, true, true, 40, t + 40);
      if (last != KeepUp::kFine) when = t;
    }
    EXPECT_EQ(last, choice == EncoderChoice::kAuto ? KeepUp::kSwitch : KeepUp::kSlowPinned);
    EXPECT_GT(when, 3000);
    EXPECT_LT(when, 3300);
    std::vector<PushEvent> ev = s.take_events();
    if (choice == EncoderChoice::kAuto) {
      EXPECT_TRUE(ev.empty()) << "1107 only once the browser's encoder took over";
      s.encoder_switched();
      ev = s.take_events();
      ASSERT_EQ(ev.size(), 1u);
      EXPECT_EQ(ev[0].code, 1107);
      EXPECT_NE(ev[0].message.find("cannot keep up"), std::string::npos);
    } else {
      ASSERT_EQ(ev.size(), 1u);
      EXPECT_EQ(ev[0].code, 1101);
      for (int i = 300; i < 600; ++i) s.wasm_frame_encoded(i * 66, true, true, 40, i * 66 + 40);
      EXPECT_TRUE(s.take_events().empty()) << "once per slow spell";
    }
  }
}

TEST(PushSession, AFastEncoderAndTheWaitingImageNeverCount) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  for (int i = 0; i < 600; ++i) {
    EXPECT_EQ(s.wasm_frame_encoded(i * 33, true, true, 10, i * 33 + 10), KeepUp::kFine);
    EXPECT_EQ(s.wasm_frame_encoded(i * 33 + 1, false, true, 400, i * 33 + 401), KeepUp::kFine);
  }
  s.set_encoder(EncoderChoice::kAuto, true);
  for (int i = 0; i < 600; ++i) EXPECT_EQ(s.wasm_frame_encoded(i * 66, true, true, 40, i * 66), KeepUp::kFine) << "external";
}

TEST(PushSession, APauseIsNotSlowness) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  for (int i = 0; i < 40; ++i) s.wasm_frame_encoded(i * 66, true, true, 40, i * 66 + 40);  // 2.6 s slow
  s.set_paused(true);
  s.set_paused(false);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(s.wasm_frame_encoded(10'000 + i * 66, true, true, 40, 10'000 + i * 66 + 40), KeepUp::kFine);
}

TEST(PushSession, TheWaitingImageKeepsThePushThreeMinutesThen5000) {
  PushSession s;
  ASSERT_TRUE(s.open(config(30)).ok());
  s.set_hidden(true, 1000);
  EXPECT_EQ(s.still_due(1000 + PushSession::kStillLimitMs), StillVerdict::kPush);
  EXPECT_TRUE(s.take_events().empty());
  EXPECT_EQ(s.still_due(1001 + PushSession::kStillLimitMs), StillVerdict::kStop);
  EXPECT_EQ(s.still_due(2000 + PushSession::kStillLimitMs), StillVerdict::kStop);
  const std::vector<PushEvent> ev = s.take_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].code, 5000);
  PushSession shown;
  ASSERT_TRUE(shown.open(config(30)).ok());
  shown.set_hidden(true, 0);
  shown.set_hidden(false, 60'000);
  shown.set_hidden(true, 120'000);
  EXPECT_EQ(shown.still_due(120'000 + PushSession::kStillLimitMs - 1), StillVerdict::kPush) << "counted from the last hide";
}

}  // namespace
}  // namespace lw::push
