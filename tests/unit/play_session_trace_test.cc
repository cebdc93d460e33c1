// The jitter buffer against simulated traces (play_trace.h): delay in the cache window in live mode
// and low in RTC mode, stalls raise 2007/2105 exactly when they should, bursts cause no skips, catch-up
// by time-stretching and by skipping, clock drift over two hours, A/V sync, audio gaps, timestamps that
// restart on a reconnect, bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <deque>

#include "play_trace.h"

namespace lw::play::test {
namespace {

PlayConfig live(int min_ms = 1000, int max_ms = 3000) {
  PlayConfig c;
  c.mode = Mode::kLive;
  c.min_cache_ms = min_ms;
  c.max_cache_ms = max_ms;
  return c;
}

PlayConfig rtc() {
  PlayConfig c;
  c.mode = Mode::kRtc;
  return c;
}

// Delay averaged over one second (the raw figure is a sawtooth of packet arrivals).
struct DelayWatch {
  std::deque<int64_t> window;
  int64_t sum = 0;
  int64_t min_avg = INT64_MAX, max_avg = 0;
  std::vector<int64_t> all;
  void add(const Sample& s, bool record) {
    const int64_t d = s.newest_us - s.media_us;
    window.push_back(d);
    sum += d;
    if (window.size() > 100) {
      sum -= window.front();
      window.pop_front();
    }
    all.push_back(d);
    if (record && window.size() == 100) {
      min_avg = std::min(min_avg, sum / 100);
      max_avg = std::max(max_avg, sum / 100);
    }
  }
  int64_t percentile(double p) {
    std::vector<int64_t> v = all;
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  }
};

TEST(PlayTrace, LiveDelayStaysInsideTheCacheWindowUnderJitter) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.jitter_us = 300'000;
  TraceRun run(c);
  DelayWatch w;
  run.run_until(180'000'000, [&](const Sample& s) { w.add(s, s.now_us > 20'000'000); });
  std::printf("live, 300 ms jitter: 1 s average delay %lld..%lld ms\n", (long long)(w.min_avg / 1000),
              (long long)(w.max_avg / 1000));
  EXPECT_GE(w.min_avg, 1000'000 - 150'000);
  EXPECT_LE(w.max_avg, 3000'000);
  EXPECT_EQ(run.session().net_stats(run.now()).skips, 0);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
}

TEST(PlayTrace, RtcDelayStaysLowUnderJitter) {
  TraceConfig c;
  c.play = rtc();
  c.jitter_us = 100'000;
  TraceRun run(c);
  DelayWatch w;
  run.run_until(120'000'000, [&](const Sample& s) {
    if (s.now_us > 10'000'000) w.add(s, true);
  });
  const NetStats st = run.session().net_stats(run.now());
  std::printf("RTC, 100 ms jitter: delay p50 %lld ms, p95 %lld ms, netJitter %d ms, target %d ms, expand %lld ms\n",
              (long long)(w.percentile(0.5) / 1000), (long long)(w.percentile(0.95) / 1000), st.net_jitter_ms,
              st.target_ms, (long long)st.expand_ms);
  EXPECT_LT(w.percentile(0.5), (st.net_jitter_ms + 150) * 1000LL);
  EXPECT_LT(w.percentile(0.95), 450'000);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
}

TEST(PlayTrace, StallRaisesBufferingAndStutterOnce) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.stalls = {{30'000'000, 3'000'000}};
  TraceRun run(c);
  run.run_until(60'000'000);
  EXPECT_EQ(count_code(run.notices(), 2105), 1);
  EXPECT_EQ(count_code(run.notices(), 2007), 2);  // the start, then the stall
  EXPECT_EQ(count_code(run.notices(), 2104), 1);  // no data for over a second
  for (size_t i = 0; i < run.notices().size(); ++i) {
    if (run.notices()[i].code == 2105) {
      EXPECT_GE(run.notice_times()[i], 30'000'000 + 1000'000 - 300'000);  // the buffer covered the first second
      EXPECT_LE(run.notice_times()[i], 33'000'000);
    }
  }
}

TEST(PlayTrace, NoStallNoStutter) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.jitter_us = 200'000;
  TraceRun run(c);
  run.run_until(60'000'000);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
  EXPECT_EQ(count_code(run.notices(), 2007), 1);
  EXPECT_EQ(count_code(run.notices(), 2003), 1);
  EXPECT_EQ(count_code(run.notices(), 2004), 1);
  // Order at the start: loading, first key frame, first picture.
  ASSERT_GE(run.notices().size(), 3u);
  EXPECT_EQ(run.notices()[0].code, 2007);
  EXPECT_EQ(run.notices()[1].code, 2003);
  EXPECT_EQ(run.notices()[2].code, 2004);
}

TEST(PlayTrace, StartBurstCausesNoSkipAndIsNotJitter) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.burst_us = 2'000'000;
  TraceRun run(c);
  DelayWatch w;
  run.run_until(60'000'000, [&](const Sample& s) { w.add(s, s.now_us > 40'000'000); });
  const NetStats st = run.session().net_stats(run.now());
  EXPECT_EQ(st.skips, 0);
  EXPECT_GT(st.accelerate_ms, 500);
  EXPECT_LT(st.net_jitter_ms, 50);
  EXPECT_LE(w.max_avg, 1000'000 + 400'000);
  EXPECT_EQ(count_code(run.notices(), 2104), 0);
}

// A source that sends from the first key frame at its own pace (an HTTP-FLV server without a GOP cache):
// the first picture shows at once, and playback then goes on from it, frame after frame; it never holds
// that picture while the buffer fills and then jumps over the frames buffered behind it.
TEST(PlayTrace, APacedStartPlaysOnFromTheFirstPictureWithoutAJump) {
  for (const PlayConfig& pc : {live(1000, 3000), rtc()}) {
    TraceConfig c;
    c.play = pc;
    c.gop_frames = 30;
    TraceRun run(c);
    std::vector<int64_t> shown;  // each new picture's pts, in order
    run.run_until(6'000'000, [&](const Sample& s) {
      if (s.shown_pts >= 0 && (shown.empty() || shown.back() != s.shown_pts)) shown.push_back(s.shown_pts);
    });
    const NetStats st = run.session().net_stats(run.now());
    const char* mode = pc.mode == Mode::kLive ? "live" : "rtc";
    EXPECT_EQ(st.dropped_frames, 0) << mode;
    EXPECT_EQ(st.skips, 0) << mode;
    ASSERT_FALSE(shown.empty()) << mode;
    int64_t worst = 0;
    for (size_t i = 1; i < shown.size(); ++i) worst = std::max(worst, shown[i] - shown[i - 1]);
    EXPECT_LE(worst, 1'000'000 / 30 + 1000) << mode << ": the largest step between pictures shown, first " << shown[0];
  }
}

TEST(PlayTrace, ModerateBacklogCatchesUpByAcceleratingNotSkipping) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.burst_us = 5'500'000;
  TraceRun run(c);
  int64_t back_in_window_at = -1;
  run.run_until(90'000'000, [&](const Sample& s) {
    if (back_in_window_at < 0 && s.newest_us - s.media_us < 3'000'000) back_in_window_at = s.now_us;
  });
  const NetStats st = run.session().net_stats(run.now());
  std::printf("5.5 s backlog: back under max-cache after %.1f s, accelerated %lld ms\n", back_in_window_at / 1e6,
              (long long)st.accelerate_ms);
  EXPECT_EQ(st.skips, 0);
  EXPECT_GT(back_in_window_at, 0);
  EXPECT_LT(back_in_window_at, 60'000'000);
}

TEST(PlayTrace, FarBehindSkipsToAKeyFrame) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.burst_us = 12'000'000;
  TraceRun run(c);
  int64_t back_in_window_at = -1;
  run.run_until(20'000'000, [&](const Sample& s) {
    if (back_in_window_at < 0 && s.newest_us - s.media_us < 3'000'000) back_in_window_at = s.now_us;
  });
  const NetStats st = run.session().net_stats(run.now());
  EXPECT_GE(st.skips, 1);
  EXPECT_GT(back_in_window_at, 0);
  EXPECT_LT(back_in_window_at, 3'000'000);
}

TEST(PlayTrace, AudioFollowsVideoWithinOneFrame) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.jitter_us = 200'000;
  c.burst_us = 2'000'000;  // accelerating part of the time
  TraceRun run(c);
  run.run_until(60'000'000);
  EXPECT_GT(run.shown(), 1500);
  EXPECT_LE(run.max_sync_error_us(), 34'000);
}

TEST(PlayTrace, AudioGapIsFilledWithSilenceAndKeepsTheTimeline) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.audio_gap_at_us = 10'000'000;
  c.audio_gap_us = 600'000;
  TraceRun run(c);
  int64_t prev_media = -1, max_step = 0;
  run.run_until(30'000'000, [&](const Sample& s) {
    if (prev_media >= 0) max_step = std::max(max_step, s.media_us - prev_media);
    prev_media = s.media_us;
  });
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
  EXPECT_LE(max_step, 20'000);  // the clock never jumps over the gap (10 ms ticks, up to 1.1x)
  EXPECT_LE(run.max_sync_error_us(), 34'000);
}

TEST(PlayTrace, TimestampsRestartingAfterReconnectReanchor) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.ts_restart_at_us = 20'000'000;
  TraceRun run(c);
  int64_t last_media = 0;
  run.run_until(40'000'000, [&](const Sample& s) { last_media = s.media_us; });
  const NetStats st = run.session().net_stats(run.now());
  EXPECT_GT(last_media, 37'000'000);  // played on through the restart
  EXPECT_LT(st.cache_ms, 3000);
  EXPECT_EQ(st.skips, 0);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
}

TEST(PlayTrace, MemoryStaysBoundedWhilePaused) {
  TraceConfig c;
  c.play = live(1000, 3000);
  TraceRun run(c);
  run.run_until(5'000'000);
  run.session().pause(run.now());
  run.run_until(65'000'000);
  // 12 s of this stream at most: 30 fps x (4000 or 800 bytes) + PCM (14 s x 44.1 kHz x 2 x 4 bytes).
  EXPECT_LT(run.max_stored_bytes(), 12 * 30 * 1500 + 14 * 44100 * 8 + 200'000);
  run.session().resume(run.now());
  DelayWatch w;
  run.run_until(75'000'000, [&](const Sample& s) { w.add(s, s.now_us > 70'000'000); });
  EXPECT_LE(w.max_avg, 3'000'000);  // resumed at the live edge
}

// Resume goes on from the live edge at once: pauses of several lengths, GOPs of 1 and 2 s. The first
// picture shown after resume is within a GOP of the newest media, not a picture decoded before the skip
// (the clock reaches the skip's position only as the device plays on, so such a picture looked on time:
// the browser test player_context saw 68 -> 72 after a 3 s pause; frame_action drops them now). A
// catch-up with no key frame ahead yet stays pending (it used to be dropped after one decision).
TEST(PlayTrace, ResumeShowsTheLiveEdgeAtOnce) {
  for (int gop : {30, 60}) {
    for (int64_t pause_us : {1'500'000, 3'000'000, 6'000'000}) {
      TraceConfig c;
      c.play = rtc();
      c.gop_frames = gop;
      TraceRun run(c);
      int64_t paused_at = -1;
      run.run_until(6'000'000);
      run.session().pause(run.now());
      run.run_until(6'000'000 + pause_us, [&](const Sample& s) { paused_at = s.shown_pts; });
      run.session().resume(run.now());
      // The shell may present before the next render: a picture at the paused clock's time is on time by
      // that clock, and must wait for the decision; after it (a skip to the live edge), it is stale.
      const int64_t next_pts = run.session().media_time_us(run.now());
      ASSERT_GE(next_pts, paused_at);
      EXPECT_EQ(run.session().frame_action(next_pts, run.now()), FrameAction::kWait);
      int64_t first_pts = -1, newest = 0;
      run.run_until(6'000'000 + pause_us + 400'000, [&](const Sample& s) {
        if (first_pts < 0 && s.shown_pts > paused_at) {
          first_pts = s.shown_pts;
          newest = s.newest_us;
        }
      });
      ASSERT_GE(first_pts, 0) << "a picture after resume (gop " << gop << ", pause " << pause_us << ")";
      if (run.session().net_stats(run.now()).skips > 0) {
        EXPECT_EQ(run.session().frame_action(next_pts, run.now()), FrameAction::kDrop) << "decoded before the skip";
      }
      // At most a GOP (and the RTC target) behind the newest media: a skip, not the paused position.
      EXPECT_GE(first_pts, newest - gop * 33'334 - 400'000)
          << "gop " << gop << ", pause " << pause_us << ": resumed at " << first_pts << " with " << newest
          << " received, paused at " << paused_at;
    }
  }
}

TEST(PlayTrace, AudioOnlyPlays) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.video = false;
  TraceRun run(c);
  DelayWatch w;
  run.run_until(30'000'000, [&](const Sample& s) { w.add(s, s.now_us > 5'000'000); });
  EXPECT_GT(w.all.size(), 2500u);
  EXPECT_GE(w.min_avg, 800'000);
  EXPECT_LE(w.max_avg, 1'500'000);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
}

TEST(PlayTrace, VideoOnlyPlaysOnASilentClock) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.audio = false;
  TraceRun run(c);
  DelayWatch w;
  run.run_until(30'000'000, [&](const Sample& s) { w.add(s, s.now_us > 5'000'000); });
  EXPECT_GT(run.shown(), 25 * 28);
  EXPECT_GE(w.min_avg, 800'000);
  EXPECT_LE(w.max_avg, 1'500'000);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
  EXPECT_EQ(count_code(run.notices(), 2004), 1);
}

TEST(PlayTrace, HiddenPageResumesVideoAtTheNextKeyFrame) {
  TraceConfig c;
  c.play = live(1000, 3000);
  TraceRun run(c);
  run.run_until(10'000'000);
  run.session().set_video_enabled(false, run.now());
  run.run_until(20'000'000);
  const int64_t shown_hidden = run.shown();
  run.session().set_video_enabled(true, run.now());
  run.run_until(22'500'000);  // the next key frame comes within a GOP (2 s)
  EXPECT_GT(run.shown(), shown_hidden + 5);
  run.reset_sync();
  run.run_until(30'000'000);
  EXPECT_GT(run.shown(), shown_hidden + 200);
  EXPECT_LE(run.max_sync_error_us(), 34'000);
}

TEST(PlayTrace, DecodeErrorsAreReportedAndPlaybackGoesOn) {
  TraceConfig c;
  c.play = live(1000, 3000);
  TraceRun run(c);
  run.run_until(5'000'000);
  run.session().report_decode_error(TrackKind::kVideo, run.now(), "bad slice");
  run.session().report_decode_error(TrackKind::kAudio, run.now(), "bad frame");
  run.run_until(15'000'000);
  EXPECT_EQ(count_code(run.notices(), 2101), 1);
  EXPECT_EQ(count_code(run.notices(), 2102), 1);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
  EXPECT_GT(run.shown(), 10 * 28);
}

TEST(PlayTrace, SourceDropRaisesDiscontinuityAndCountsTheFrames) {
  TraceConfig c;
  c.play = live(1000, 3000);
  TraceRun run(c);
  run.run_until(3'000'000);
  const int64_t before = run.session().net_stats(run.now()).dropped_frames;
  run.session().note_source_drop(run.now(), 12);
  run.run_until(3'100'000);
  EXPECT_EQ(count_code(run.notices(), 2107), 1);
  EXPECT_GE(run.session().net_stats(run.now()).dropped_frames - before, 12);
}

TEST(PlayTrace, PicturesDroppedForWantOfTimeRaise2105OncePerSpell) {
  // A renderer that can present only every 100 ms under a 30 fps stream: two of three pictures are
  // superseded. 2105 once for the spell, not once a second; none while every picture is shown.
  TraceConfig c;
  c.play = live(1000, 3000);
  c.present_period_us = 100'000;
  TraceRun run(c);
  run.run_until(10'000'000);
  EXPECT_EQ(count_code(run.notices(), 2105), 1);
  EXPECT_GT(run.session().net_stats(run.now()).dropped_frames, 100);

  TraceConfig fine;
  fine.play = live(1000, 3000);
  TraceRun ok(fine);
  ok.run_until(10'000'000);
  EXPECT_EQ(count_code(ok.notices(), 2105), 0);
}

void run_drift(double drift) {
  TraceConfig c;
  c.play = live(1000, 3000);
  c.play.output_rate = 8000;  // a long run: few samples per tick, and equal rates (no resampling)
  c.play.output_channels = 2;
  c.audio_rate = 8000;
  c.drift = drift;
  c.jitter_us = 250'000;
  c.jitter_period_us = 600'000'000;  // ten minutes of jitter, ten calm
  TraceRun run(c);
  DelayWatch w;
  run.run_until(2 * 3600'000'000LL, [&](const Sample& s) { w.add(s, s.now_us > 20'000'000); });
  const NetStats st = run.session().net_stats(run.now());
  std::printf("drift %+.1f %%, 2 h: 1 s average delay %lld..%lld ms, accelerated %lld ms, decelerated %lld ms\n",
              drift * 100, (long long)(w.min_avg / 1000), (long long)(w.max_avg / 1000), (long long)st.accelerate_ms,
              (long long)st.decelerate_ms);
  // Late packets (up to 250 ms in the jittery periods) dip the delay below the target for a moment.
  EXPECT_GE(w.min_avg, 1000'000 - 250'000);
  EXPECT_LE(w.max_avg, 3000'000);
  EXPECT_EQ(st.skips, 0);
  EXPECT_EQ(count_code(run.notices(), 2105), 0);
}

TEST(PlayTrace, TwoHoursOfSenderClockFastStayInTheWindow) { run_drift(0.001); }
TEST(PlayTrace, TwoHoursOfSenderClockSlowStayInTheWindow) { run_drift(-0.001); }

}  // namespace
}  // namespace lw::play::test
