// The player core's parts one by one: the decision table, the delay estimator (bursts, drift, stalls),
// the output clock, the packet store, the PCM timeline, the resampler and the time-stretcher (a tone
// keeps its frequency and level; the duration follows the rate; no clicks at block boundaries).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "play/decision.h"
#include "play/delay_estimator.h"
#include "play/output_clock.h"
#include "play/packet_queue.h"
#include "play/pcm_ring.h"
#include "play/pcm_source.h"
#include "play/resampler.h"
#include "play/time_stretch.h"

namespace lw::play {
namespace {

constexpr double kPi = 3.14159265358979323846;

// ---- decision ------------------------------------------------------------------------------------

DecisionInput live_input(double level_ms, bool playing = true) {
  DecisionInput in;
  in.mode = Mode::kLive;
  in.min_cache_ms = 1000;
  in.max_cache_ms = 3000;
  in.playing = playing;
  in.level_ms = in.raw_level_ms = level_ms;
  in.key_frame_ahead = true;
  return in;
}

TEST(PlayDecision, LiveStartsAtMinCache) {
  EXPECT_EQ(decide(live_input(900, false)).op, Operation::kBuffering);
  EXPECT_EQ(decide(live_input(1000, false)).op, Operation::kNormal);
  DecisionInput not_ready = live_input(1500, false);
  not_ready.data_ready = false;
  EXPECT_EQ(decide(not_ready).op, Operation::kBuffering);
}

TEST(PlayDecision, LiveTargetGrowsWithJitterWithinTheWindow) {
  EXPECT_EQ(target_delay_ms(Mode::kLive, 1000, 3000, 0), 1000);
  EXPECT_NEAR(target_delay_ms(Mode::kLive, 1000, 3000, 1500), 1900, 1);
  EXPECT_EQ(target_delay_ms(Mode::kLive, 1000, 3000, 5000), 3000);
}

TEST(PlayDecision, LiveAcceleratesAboveTargetWithHysteresis) {
  EXPECT_EQ(decide(live_input(1100)).op, Operation::kNormal);
  const Decision d = decide(live_input(1300));
  EXPECT_EQ(d.op, Operation::kAccelerate);
  EXPECT_GT(d.rate, 1.0);
  EXPECT_LE(d.rate, 1.1);
  DecisionInput in = live_input(1100);
  in.accelerating = true;  // keeps going down to target + 50 ms
  EXPECT_EQ(decide(in).op, Operation::kAccelerate);
  in.level_ms = 1040;
  EXPECT_EQ(decide(in).op, Operation::kNormal);
}

TEST(PlayDecision, LiveSkipsOnlyWhenFarBehindAndAKeyFrameIsThere) {
  EXPECT_EQ(decide(live_input(5900)).op, Operation::kAccelerate);
  EXPECT_EQ(decide(live_input(6100)).op, Operation::kSkipToKeyFrame);
  DecisionInput no_key = live_input(9000);
  no_key.key_frame_ahead = false;
  EXPECT_EQ(decide(no_key).op, Operation::kAccelerate);
}

TEST(PlayDecision, LiveDeceleratesBelowTarget) {
  EXPECT_EQ(decide(live_input(960)).op, Operation::kNormal);
  const Decision d = decide(live_input(900));
  EXPECT_EQ(d.op, Operation::kDecelerate);
  EXPECT_LT(d.rate, 1.0);
}

TEST(PlayDecision, UnderrunAfterStartExpands) {
  DecisionInput in = live_input(0);
  in.data_ready = false;
  EXPECT_EQ(decide(in).op, Operation::kExpand);
}

TEST(PlayDecision, RtcIgnoresTheCacheAttributes) {
  DecisionInput in = live_input(150, false);
  in.mode = Mode::kRtc;
  in.jitter_ms = 50;
  EXPECT_EQ(decide(in).target_ms, 110);
  EXPECT_EQ(decide(in).op, Operation::kNormal);  // starts at 110 ms, not at min-cache
  in.playing = true;
  in.level_ms = 200;
  EXPECT_EQ(decide(in).op, Operation::kAccelerate);
  in.level_ms = 2200;
  EXPECT_EQ(decide(in).op, Operation::kSkipToKeyFrame);
  EXPECT_EQ(target_delay_ms(Mode::kRtc, 1000, 3000, 0), 80);
}

TEST(PlayDecision, ResumeAfterPauseJumpsToTheLiveEdge) {
  DecisionInput in = live_input(2500);
  in.catch_up = true;
  EXPECT_EQ(decide(in).op, Operation::kSkipToKeyFrame);
}

// ---- delay estimator -----------------------------------------------------------------------------

TEST(PlayDelayEstimator, StartBurstIsNotJitter) {
  DelayEstimator e;
  // Two seconds of media arrive at once at t = 1 s, then real time.
  for (int64_t m = 0; m < 2'000'000; m += 20'000) e.add(m, 1'000'000);
  for (int64_t m = 2'000'000; m < 10'000'000; m += 20'000) e.add(m, m - 1'000'000 + 30'000);
  EXPECT_LT(e.jitter_us(9'000'000), 15'000);  // the burst's newest packet was 10 ms early
}

TEST(PlayDelayEstimator, SpikesShowAsTheP95) {
  DelayEstimator e;
  for (int64_t i = 0; i < 1000; ++i) {
    const int64_t m = i * 20'000;
    e.add(m, m + 30'000 + ((i % 10) == 0 ? 200'000 : 0));  // every 10th packet 200 ms late
  }
  const int64_t j = e.jitter_us(20'000'000);
  EXPECT_GE(j, 150'000);
  EXPECT_LE(j, 210'000);
}

TEST(PlayDelayEstimator, ClockDriftIsFollowed) {
  for (double drift : {0.001, -0.001}) {
    DelayEstimator e;
    for (int64_t m = 0; m < 600'000'000; m += 20'000) e.add(m, static_cast<int64_t>(m * (1 + drift)) + 30'000);
    EXPECT_LT(e.jitter_us(600'000'000), 12'000) << drift;
  }
}

TEST(PlayDelayEstimator, AStallIsForgottenAfterTheWindow) {
  DelayEstimator e;
  int64_t m = 0;
  for (; m < 10'000'000; m += 20'000) e.add(m, m + 30'000);
  for (; m < 13'000'000; m += 20'000) e.add(m, 13'030'000);  // 3 s stall
  for (; m < 40'000'000; m += 20'000) e.add(m, m + 30'000);
  EXPECT_LT(e.jitter_us(40'000'000), 5'000);
}

// ---- output clock --------------------------------------------------------------------------------

TEST(PlayOutputClock, FollowsThePlayedFramesAndExtrapolates) {
  OutputClock c(48000);
  EXPECT_EQ(c.media_time_us(0), -1);
  c.append(480, 0, 0, false);                 // before playback
  c.append(480, 1'000'000, 1e6 / 48000, true);  // 10 ms from media 1 s
  c.append(480, 1'010'000, 1e6 / 48000, true);
  c.set_played(480, 100'000);
  EXPECT_EQ(c.media_time_us(100'000), 1'000'000);
  EXPECT_EQ(c.media_time_us(105'000), 1'005'000);  // extrapolated with the caller's clock
  EXPECT_EQ(c.media_time_us(200'000), 1'020'000);  // never past what was rendered
  c.append(480, 1'020'000, 0, true);              // clock stopped (underrun)
  c.set_played(1440, 200'000);
  EXPECT_EQ(c.media_time_us(210'000), 1'020'000);
}

TEST(PlayOutputClock, BeforePlaybackIsMinusOne) {
  OutputClock c(48000);
  c.append(960, 0, 0, false);
  c.set_played(100, 0);
  EXPECT_EQ(c.media_time_us(0), -1);
}

// ---- packet store --------------------------------------------------------------------------------

TEST(PlayPacketQueue, SteadyStateReusesTheArena) {
  PacketQueue q(1 << 20);
  Bytes data(1000);
  for (int i = 0; i < 5000; ++i) {
    for (auto& b : data) b = static_cast<uint8_t>(i);
    StoredPacket p;
    p.key = i % 30 == 0;
    p.dts_us = i;
    ASSERT_TRUE(q.push(p, as_span(data)));
    if (q.size() > 40) q.pop_front();
    const ByteSpan back = q.data(q.back());
    ASSERT_EQ(back.size(), 1000u);
    ASSERT_EQ(back[999], static_cast<uint8_t>(i));
    ASSERT_EQ(q.data(q.front())[0], static_cast<uint8_t>(q.front().dts_us));
  }
  EXPECT_LE(q.bytes(), 41'000u);
  EXPECT_EQ(q.next_key(0) < q.size(), true);
}

// ---- PCM timeline --------------------------------------------------------------------------------

TEST(PlayPcmRing, GapsAreSilenceAndOverlapsAreTrimmed) {
  PcmRing r;
  std::vector<float> ones(1000, 1.f);
  r.push(0, ones.data(), 1000, 1, 1000 * 10);  // 10 kHz: 100 ms
  r.push(200'000, ones.data(), 1000, 1, 10000);  // 100 ms gap
  EXPECT_EQ(r.end_index(), 3000);
  EXPECT_EQ(r.at(0, 1500), 0.f);
  EXPECT_EQ(r.at(0, 2500), 1.f);
  r.push(250'000, ones.data(), 1000, 1, 10000);  // overlaps by 50 ms
  EXPECT_EQ(r.end_index(), 3500);
  EXPECT_EQ(r.gap_frames(), 1000);
}

// ---- resampler and time-stretching ---------------------------------------------------------------

void fill_tone(PcmRing* r, int rate, double hz, double seconds, double amplitude = 0.5) {
  const int frames = 1024;
  std::vector<float> buf(2 * frames);
  for (int64_t start = 0; start < seconds * rate; start += frames) {
    for (int f = 0; f < frames; ++f) {
      buf[f] = buf[frames + f] = static_cast<float>(amplitude * std::sin(2 * kPi * hz * (start + f) / rate));
    }
    r->push(start * 1'000'000 / rate, buf.data(), frames, 2, rate);
  }
}

// Frequency from zero crossings (interpolated), RMS level.
double frequency(const std::vector<float>& x, int rate) {
  double first = -1, last = -1;
  int n = 0;
  for (size_t i = 1; i < x.size(); ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const double t = (i - 1) + x[i - 1] / (x[i - 1] - x[i]);
      if (first < 0) first = t;
      last = t;
      ++n;
    }
  }
  return n > 1 ? (n - 1) * rate / (last - first) : 0;
}
double rms(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += double(v) * v;
  return std::sqrt(s / x.size());
}
float max_step(const std::vector<float>& x) {
  float m = 0;
  for (size_t i = 1; i < x.size(); ++i) m = std::max(m, std::fabs(x[i] - x[i - 1]));
  return m;
}

TEST(PlayResampler, ToneKeepsFrequencyAndLevelAcrossBlocks) {
  PcmRing ring(14);
  fill_tone(&ring, 44100, 1000, 2.0);
  Resampler rs;
  rs.configure(0.92);
  PcmSource src(ring, rs);
  src.set_output(48000, 2);
  // 1 s in 128-frame blocks, the way a worklet asks.
  std::vector<float> out, block(256);
  float* planes[2] = {block.data(), block.data() + 128};
  for (int b = 0; b < 48000 / 128; ++b) {
    src.read(200'000 + b * 128 * 1e6 / 48000, 128, planes);
    out.insert(out.end(), block.begin(), block.begin() + 128);
  }
  EXPECT_NEAR(frequency(out, 48000), 1000.0, 0.5);
  EXPECT_NEAR(rms(out), 0.5 / std::sqrt(2.0), 0.005);
  // No click at block joins: no sample step larger than the tone's own (2 pi f A / rate).
  EXPECT_LT(max_step(out), 2 * kPi * 1000 * 0.5 / 48000 * 1.05);
}

class StretchTest : public ::testing::TestWithParam<double> {};

TEST_P(StretchTest, ToneKeepsItsPitchAndDurationFollowsTheRate) {
  const double rate = GetParam();
  PcmRing ring(14);
  fill_tone(&ring, 48000, 440, 8.0);
  Resampler rs;
  rs.configure(0.92);
  PcmSource src(ring, rs);
  src.set_output(48000, 2);
  TimeStretch ts;
  ts.configure(48000, 2);
  ts.start(100'000);
  std::vector<float> out, block(2 * 480);
  std::vector<TimeStretch::Span> spans;
  const double begin = ts.next_media_us();
  const int blocks = 300;  // 3 s of output
  for (int b = 0; b < blocks; ++b) {
    ts.render(src, rate, block.data(), 480, 0, 480, &spans);
    if (b > 0) out.insert(out.end(), block.begin(), block.begin() + 480);
  }
  const double consumed = ts.next_media_us() - begin;
  EXPECT_NEAR(consumed / (blocks * 10'000.0), rate, 0.01);
  EXPECT_NEAR(frequency(out, 48000), 440.0, 1.0);
  EXPECT_NEAR(rms(out), 0.5 / std::sqrt(2.0), 0.02);
  // Overlap-add joined in phase: no click larger than the tone's own steepest step (+10 %).
  EXPECT_LT(max_step(out), 2 * kPi * 440 * 0.5 / 48000 * 1.1);
}

INSTANTIATE_TEST_SUITE_P(Rates, StretchTest, ::testing::Values(1.0, 1.05, 1.1, 0.95));

TEST(PlayTimeStretch, RateOneIsTheInput) {
  PcmRing ring(14);
  fill_tone(&ring, 48000, 440, 2.0);
  Resampler rs;
  rs.configure(0.92);
  PcmSource src(ring, rs);
  src.set_output(48000, 1);
  TimeStretch ts;
  ts.configure(48000, 1);
  ts.start(100'000);
  std::vector<float> block(480), ref(480);
  float* planes[1] = {ref.data()};
  for (int b = 0; b < 50; ++b) {
    const double media = ts.next_media_us();
    ts.render(src, 1.0, block.data(), 480, 0, 480, nullptr);
    if (b == 0) continue;  // the first hop fades in
    src.read(media, 480, planes);
    for (int i = 0; i < 480; ++i) ASSERT_NEAR(block[i], ref[i], 1e-5) << b << " " << i;
  }
}

}  // namespace
}  // namespace lw::play
