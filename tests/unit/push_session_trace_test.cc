// The pusher's policy (wasm/core/push/push_session.h) over simulated minutes (tests/unit/push_trace.h): what
// the page would see (codes, netstatus) and what a player would get (the FLV), for a camera at 30 fps
// with an encoder that slows down, a link that throttles and recovers, a hidden page, a link that dies.
#include <gtest/gtest.h>

#include <cstdio>

#include "push_trace.h"

namespace lw::push::test {
namespace {

using Codes = std::vector<int>;

void expect_in_order(const PushTraceResult& r) {
  for (size_t i = 1; i < r.video_ts.size(); ++i) {
    ASSERT_GT(r.video_ts[i], r.video_ts[i - 1]) << "video frame " << i << " out of order";
  }
  for (size_t i = 1; i < r.audio_ts.size(); ++i) {
    ASSERT_GE(r.audio_ts[i], r.audio_ts[i - 1]) << "audio frame " << i << " out of order";
  }
  EXPECT_EQ(r.first_video_not_key, 0) << "every connection's video starts on a key frame";
}

// 0-20 s OpenH264 at 8 ms a picture; from 20 s it takes 45 ms (slower than the camera): 1107 once and
// the browser's encoder takes over. 40 s the link drops to 120 kbit/s (below min-bitrate + audio):
// bitrate down to the minimum, 1101 once; 70 s it recovers: bitrate back up. 100 s the page is hidden
// with a waiting image: 5000 after 3 minutes, and the push stops.
TEST(PushSessionTrace, SlowEncoderThrottledLinkHiddenPage) {
  PushTraceConfig c;
  c.session.min_kbps = 200;
  c.session.max_kbps = 1000;
  c.wasm_cost_ms = [](int64_t t) { return t < 20'000 ? 8.0 : 45.0; };
  c.capacity_kbps = [](int64_t t) { return t >= 40'000 && t < 70'000 ? 120 : 5000; };
  c.hide_at_ms = 100'000;
  const PushTraceResult r = run_push_trace(c, 400'000);

  EXPECT_EQ(r.codes(), (Codes{1107, 1101, 5000}));
  for (const TraceEvent& e : r.events) std::printf("  %lld ms %d %s\n", static_cast<long long>(e.t_ms), e.code, e.message.c_str());
  for (int64_t t : {10'000, 22'000, 35'000, 39'000, 45'000, 60'000, 75'000, 99'000, 150'000}) {
    const PushNetStatus& n = r.net_at(t);
    std::printf("  %lld ms: %.1f fps, target %d kbit/s, %dx%d, dropped %llu, backlog %d ms\n", static_cast<long long>(t),
                n.video_fps, n.target_kbps, n.video_width, n.video_height, static_cast<unsigned long long>(n.dropped_frames),
                n.backlog_ms);
  }
  EXPECT_GT(r.first(1107), 23'000) << "slow for more than 3 s first";
  EXPECT_LT(r.first(1107), 26'000);
  EXPECT_GT(r.first(1101), 40'000);
  EXPECT_LT(r.first(1101), 50'000);
  EXPECT_GT(r.first(5000), 100'000 + PushSession::kStillLimitMs);
  EXPECT_LT(r.first(5000), 100'000 + PushSession::kStillLimitMs + 1000);
  EXPECT_EQ(r.stopped_at_ms, r.first(5000));

  EXPECT_GE(r.net_at(10'000).video_fps, 27) << "the camera's 30 fps while wasm keeps up";
  EXPECT_LE(r.net_at(22'000).video_fps, 20) << "the slow encoder loses frames";
  EXPECT_GE(r.net_at(35'000).video_fps, 27) << "the browser's encoder keeps up";
  const int before = r.net_at(39'000).target_kbps;
  EXPECT_GE(before, 800);
  EXPECT_EQ(r.net_at(60'000).target_kbps, 200) << "down to min-bitrate";
  EXPECT_GT(r.net_at(60'000).dropped_frames + r.net_at(50'000).dropped_frames, 0u) << "frames dropped while the link is saturated";
  EXPECT_GE(r.net_at(99'000).target_kbps, 800) << "probed back up after the link recovered";
  EXPECT_LE(r.net_at(150'000).video_fps, 2.5) << "hidden: the waiting image at 2 fps";
  EXPECT_GT(r.net_at(150'000).video_fps, 1.5);
  expect_in_order(r);
}

// videoEncoder pinned to wasm: the encoder stays, 1101 once per slow spell, never 1107.
TEST(PushSessionTrace, PinnedWasmSaysSlowOncePerSpellAndStays) {
  PushTraceConfig c;
  c.choice = EncoderChoice::kWasm;
  c.wasm_cost_ms = [](int64_t t) { return (t >= 10'000 && t < 20'000) || t >= 40'000 ? 45.0 : 8.0; };
  const PushTraceResult r = run_push_trace(c, 60'000);
  EXPECT_EQ(r.codes(), (Codes{1101, 1101}));
  EXPECT_GT(r.events.at(0).t_ms, 13'000);
  EXPECT_GT(r.events.at(1).t_ms, 43'000);
  EXPECT_NE(r.events.at(0).message.find("pinned to wasm"), std::string::npos);
  EXPECT_LE(r.net_at(50'000).video_fps, 20) << "frames are skipped";
  expect_in_order(r);
}

// The socket breaks at 10 s and every reconnect fails: 3005 (the push had begun), then 1102 and 3002
// three times at 1, 2, 4 s, then -1307. A break that heals in time: the push goes on, on a key frame.
TEST(PushSessionTrace, ALinkThatDiesForGoodAndOneThatHeals) {
  PushTraceConfig dies;
  dies.link_down = [](int64_t t) { return t >= 10'000; };
  const PushTraceResult r = run_push_trace(dies, 30'000);
  EXPECT_EQ(r.codes(), (Codes{3005, 1102, 3002, 1102, 3002, 1102, 3002, -1307}));
  EXPECT_EQ(r.stopped_at_ms, 10'000 + 1000 + 2000 + 4000);
  expect_in_order(r);

  PushTraceConfig heals;
  heals.link_down = [](int64_t t) { return t >= 10'000 && t < 12'500; };
  const PushTraceResult h = run_push_trace(heals, 30'000);
  EXPECT_EQ(h.codes(), (Codes{3005, 1102, 3002, 1102}));
  EXPECT_EQ(h.connections, 2);
  EXPECT_GE(h.net_at(25'000).video_fps, 27);
  expect_in_order(h);
}

}  // namespace
}  // namespace lw::push::test
