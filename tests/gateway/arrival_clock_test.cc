// ArrivalClock: when media reached the upstream socket. A read's kernel receive time is an upper
// bound (TCP merges queued segments and keeps the newest one's time), the last read that emptied the
// socket a lower bound; the last message of a read that emptied the socket came at the read's kernel
// time; the media clock (per track) places the others in between.
#include <gtest/gtest.h>

#include <vector>

#include "arrival_clock.h"
#include "bridge.h"
#include "bridge_rig.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::gateway {
namespace {

constexpr int64_t kT0 = 5'000'000;  // µs when ts 0 came
// A live stream: the message with timestamp ts (ms) comes at kT0 + ts ms (+ jitter µs).
int64_t came(uint32_t ts, int64_t jitter_us = 0) { return kT0 + int64_t(ts) * 1000 + jitter_us; }

std::vector<ArrivingMessage> video(std::initializer_list<uint32_t> ts) {
  std::vector<ArrivingMessage> v;
  for (uint32_t t : ts) v.push_back({9, t, 0});
  return v;
}

// A gateway that keeps up: each frame read alone, 200 µs after it came, the socket left empty.
void keep_up(ArrivalClock& c, uint32_t from, uint32_t to, int64_t jitter_us = 0) {
  for (uint32_t ts = from; ts <= to; ts += 33) {
    auto m = video({ts});
    c.on_read({came(ts, jitter_us), true, came(ts, jitter_us + 200)}, m);
    EXPECT_EQ(m[0].arrival_us, came(ts, jitter_us)) << "alone in a read that emptied the socket: its kernel time";
  }
}

TEST(GatewayArrivalClock, UnknownOrFirstReadsAreDatedByTheirKernelTime) {
  ArrivalClock c;
  auto m = video({0, 33});
  c.on_read({0, true, 100}, m);
  EXPECT_EQ(m[0].arrival_us, 0) << "no kernel time: no estimate";
  c.on_read({1234, false, 2000}, m);
  EXPECT_EQ(m[0].arrival_us, 1234);
  EXPECT_EQ(m[1].arrival_us, 1234);
  EXPECT_FALSE(c.has_base(9)) << "a read that did not empty the socket teaches nothing";
}

TEST(GatewayArrivalClock, MergedReadsAfterAStallGiveEachMessageItsOwnArrival) {
  ArrivalClock c;
  keep_up(c, 0, 330);
  ASSERT_TRUE(c.has_base(9));
  EXPECT_EQ(c.base(9), kT0);
  // Busy from 330 ms (last read returned at came(330, 200)) to 930 ms. The kernel merged the queued
  // segments: the first 32 KiB read (frames 363..594) carries the time of frame 693.
  auto first = video({363, 396, 594});
  c.on_read({came(693), false, came(930)}, first);
  EXPECT_EQ(first[0].arrival_us, came(363)) << "not the read's kernel time: that would hide 330 ms of wait";
  EXPECT_EQ(first[2].arrival_us, came(594));
  auto last = video({627, 891, 924});
  c.on_read({came(924), true, came(931)}, last);
  EXPECT_EQ(last[0].arrival_us, came(627));
  EXPECT_EQ(last[2].arrival_us, came(924));
}

TEST(GatewayArrivalClock, NeverBeforeTheLastReadThatEmptiedTheSocketNorAfterTheKernelTime) {
  ArrivalClock c;
  keep_up(c, 0, 330);
  // The publisher paused 100 ms (its frames 363, 396 came late); the gateway read them together.
  auto m = video({363, 396});
  c.on_read({came(496), true, came(496, 100)}, m);
  EXPECT_EQ(m[0].arrival_us, came(363)) << "the clock's place, inside [last drained read, kernel time]";
  EXPECT_EQ(m[1].arrival_us, came(496)) << "the read's last message came at its kernel time";
  auto n = video({429, 462});
  c.on_read({came(500), true, came(500, 100)}, n);
  EXPECT_EQ(n[0].arrival_us, came(496, 100)) << "not before the previous read that emptied the socket returned";
}

TEST(GatewayArrivalClock, AudioAndVideoKeepTheirOwnClocks) {
  ArrivalClock c;
  // The publisher sends each audio message 40 ms after its timestamp, video at once.
  for (uint32_t ts = 0; ts <= 330; ts += 33) {
    std::vector<ArrivingMessage> v{{9, ts, 0}};
    c.on_read({came(ts), true, came(ts, 100)}, v);
    std::vector<ArrivingMessage> a{{8, ts, 0}};
    c.on_read({came(ts, 40'000), true, came(ts, 40'100)}, a);
  }
  EXPECT_EQ(c.base(9), kT0);
  EXPECT_EQ(c.base(8), kT0 + 40'000);
  // Merged after a stall: an audio message is not taken for 40 ms older than it is.
  std::vector<ArrivingMessage> m{{8, 363, 0}, {9, 396, 0}};
  c.on_read({came(800), false, came(900)}, m);
  EXPECT_EQ(m[0].arrival_us, came(363, 40'000));
  EXPECT_EQ(m[1].arrival_us, came(396));
}

TEST(GatewayArrivalClock, AMessageMuchLaterThanItsClockStartsTheClockAgain) {
  ArrivalClock c;
  keep_up(c, 0, 330);
  // The publisher started again: timestamps from 0, coming 10 s later.
  const int64_t t = kT0 + 10'000'000;
  auto m = video({0});
  c.on_read({t, true, t + 100}, m);
  EXPECT_EQ(c.base(9), t);
  auto merged = video({33, 66});
  c.on_read({t + 70'000, false, t + 80'000}, merged);
  EXPECT_EQ(merged[0].arrival_us, t + 33'000);
  // Later by less than kResetUs (a server delay): the clock keeps its minimum.
  auto late = video({99});
  c.on_read({t + 99'000 + 150'000, true, t + 250'000}, late);
  EXPECT_EQ(c.base(9), t);
}

TEST(GatewayArrivalClock, TheBaseForgetsMinimaOlderThanTwoWindows) {
  ArrivalClock c;
  // The publisher's clock runs slow against ours: each message 1 ms later than the last said.
  int64_t drift = 0;
  for (uint32_t ts = 0; ts <= 6000; ts += 100) {
    auto m = video({ts});
    c.on_read({came(ts, drift), true, came(ts, drift + 100)}, m);
    drift += 1000;
  }
  EXPECT_GT(c.base(9), kT0 + 20'000) << "a minimum from 6 s ago would overstate every wait by 60 ms";
  EXPECT_LE(c.base(9), kT0 + 60'000);
}

// The Bridge dates each frame for the client by its oldest media.
TEST(GatewayArrivalClock, ClientFramesCarryTheArrivalOfTheirOldestMedia) {
  test::Rig r(Endpoint::kPlay);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.read_client();
  test::ServerMessages s;
  const Bytes audio = rtmp_test::hex("af01 0102030405060708");
  for (uint32_t ts = 0; ts <= 330; ts += 33) {
    r.b.on_upstream_data(as_span(s.media(8, 1000 + ts, audio)), 0, {came(ts), true, came(ts, 100)});
    ClientFrame f;
    ASSERT_TRUE(r.b.next_client_frame(&f, 0));
    EXPECT_EQ(f.oldest_rx_us, came(ts));
    r.b.end_client_write(0);
  }
  // Stalled: three messages in one merged read, dated by the newest segment's time.
  Bytes merged;
  for (uint32_t ts : {363u, 396u, 429u}) {
    Bytes m = s.media(8, 1000 + ts, audio);
    merged.insert(merged.end(), m.begin(), m.end());
  }
  r.b.on_upstream_data(as_span(merged), 0, {came(900), false, came(950)});
  ClientFrame f;
  ASSERT_TRUE(r.b.next_client_frame(&f, 0));
  EXPECT_FALSE(f.text);
  EXPECT_EQ(f.oldest_rx_us, came(363));
  // Media coming while that frame is written goes into the next one, dated by its own arrival.
  r.b.on_upstream_data(as_span(s.media(8, 1462, audio)), 0, {came(970), true, came(975)});
  r.b.end_client_write(0);
  ASSERT_TRUE(r.b.next_client_frame(&f, 0));
  EXPECT_EQ(f.oldest_rx_us, came(970));
  r.b.end_client_write(0);
  // Reads without a time (a driver that has none) make frames without one.
  r.b.on_upstream_data(as_span(s.media(8, 1500, audio)), 0);
  ASSERT_TRUE(r.b.next_client_frame(&f, 0));
  EXPECT_EQ(f.oldest_rx_us, 0);
}

}  // namespace
}  // namespace lw::gateway
