// Pins "no heap allocation per tag on the play path" (issue 16): once a steady stream has warmed the
// buffers up, 1,000 tags through the core's RTMP chunk reader and player session, and through the
// gateway's Bridge (RTMP in, FLV frames out to the client), call operator new zero times. What this
// guards: the chunk reader's spare bodies, the session's reused event vector, the Bridge's event and
// frame queue. (Asio's per-operation memory, the other half of the hot path, is measured on the real
// binary: bench/gateway/hotpath.mjs.) The replaced global operator new only counts while a test
// switches counting on; otherwise it forwards to malloc unchanged.
#include <gtest/gtest.h>

#include <cstdlib>
#include <deque>
#include <new>
#include <random>

#include "bridge_rig.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp/rtmp_session.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace {
bool g_counting = false;
size_t g_allocations = 0;
}  // namespace

void* operator new(size_t size) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace lw::gateway {
namespace {

using rtmp_test::hex;

struct CountAllocations {
  CountAllocations() { g_allocations = 0, g_counting = true; }
  ~CountAllocations() { g_counting = false; }
  size_t count() const { return g_allocations; }
};

// A 1 Mbit/s-like stream as nginx-rtmp sends it to a player (chunk size 4096, audio on csid 20 and
// video on csid 21 as bridge_rig's ServerMessages): per 100 ms three video frames (a 24,000-byte key
// frame every 60, else 300..8,000 bytes) and four or five 200-byte AAC frames, cut into reads of
// 700..9,000 bytes (so messages straddle reads and reads hold several messages).
class SteadyStream {
 public:
  SteadyStream() {
    Bytes ignored;
    EXPECT_TRUE(w_.set_chunk_size(4096, ignored).ok());
  }
  // The next `tags` tags' bytes, in reads. Each call repeats the same sizes and cuts (timestamps go
  // on): the second of two equal calls is the steady state the first warmed up for.
  std::vector<Bytes> reads(size_t tags) {
    rng_.seed(16);
    tag_ = call_frame_ = 0;
    Bytes all;
    for (size_t i = 0; i < tags; ++i) append_tag(all);
    std::vector<Bytes> out;
    for (size_t at = 0; at < all.size();) {
      size_t n = std::min<size_t>(all.size() - at, std::uniform_int_distribution<size_t>(700, 9000)(rng_));
      out.emplace_back(all.begin() + ptrdiff_t(at), all.begin() + ptrdiff_t(at + n));
      at += n;
    }
    return out;
  }

 private:
  void append_tag(Bytes& out) {
    const bool video = tag_ % 7 == 0 || tag_ % 7 == 2 || tag_ % 7 == 5;  // 3 of 7: 30 fps beside ~43 AAC/s
    ++tag_;
    Bytes body;
    uint32_t ts;
    if (video) {
      const bool key = call_frame_++ % 60 == 0;
      ts = frame_ * 100 / 3;
      ++frame_;
      body = hex(key ? "1701000000" : "2701000000");
      body.resize(key ? 24000 : std::uniform_int_distribution<size_t>(300, 8000)(rng_), uint8_t(frame_));
    } else {
      ts = audio_ * 64 / 3;
      ++audio_;
      body = hex("af01");
      body.resize(200, uint8_t(audio_));
    }
    EXPECT_TRUE(w_.write(video ? 21 : 20, video ? 9 : 8, ts, 1, as_span(body), out).ok());
  }

  rtmp::ChunkWriter w_;
  std::mt19937 rng_{16};
  uint32_t tag_ = 0, call_frame_ = 0, frame_ = 0, audio_ = 0;
};

// The counter sees what the tests below must not do.
TEST(GatewayHotPathAllocation, CounterSeesAVectorCopyAndADequePush) {
  CountAllocations counter;
  Bytes copy(100, 1);
  std::deque<rtmp::SessionEvent> queue;
  queue.emplace_back();
  EXPECT_GE(counter.count(), 2u);
}

TEST(GatewayHotPathAllocation, PlayerSessionDeliversAThousandTagsWithoutAllocating) {
  rtmp::ClientSession s(rtmp::SessionConfig{.url = "rtmp://127.0.0.1/live/t1", .role = rtmp::Role::kPlay, .random_seed = 7});
  rtmp_test::FakeServer server;
  ASSERT_TRUE(s.start(0).ok());
  rtmp_test::pump(s, server);
  for (const char* reply : {rtmp_test::kNginxConnectReply, rtmp_test::kNginxCreateStreamReplyTx2,
                            rtmp_test::kNginxPlayStart, rtmp_test::kNginxPlayFirstMedia}) {
    (void)server.receive(as_span(s.take_output()));
    ASSERT_TRUE(s.feed(as_span(hex(reply)), 0).ok());
  }
  ASSERT_EQ(s.state(), rtmp::SessionState::kPlaying);
  rtmp::SessionEvent ev;
  while (s.poll_event(&ev)) {
  }
  (void)s.take_output();

  SteadyStream stream;
  size_t media = 0;
  uint64_t body_bytes = 0;
  auto play = [&](const std::vector<Bytes>& reads) {
    for (const Bytes& r : reads) {
      ASSERT_TRUE(s.feed(as_span(r), 0).ok());
      while (s.poll_event(&ev)) {
        if (ev.kind == rtmp::SessionEventKind::kMedia) ++media, body_bytes += ev.media.body.size();
      }
    }
  };
  // Warm-up: the bodies in circulation grow to the messages' sizes and number (a body grows when a
  // bigger message lands in it, and a read with more messages than any before needs one more).
  play(stream.reads(1000));
  ASSERT_EQ(media, 1000u);
  const std::vector<Bytes> reads = stream.reads(1000);
  size_t allocations;
  {
    CountAllocations counter;
    play(reads);
    allocations = counter.count();
  }
  EXPECT_EQ(media, 2000u);
  EXPECT_EQ(s.pending_output(), 0u) << "no acknowledgement due yet (the window is 5,000,000 bytes)";
  EXPECT_EQ(allocations, 0u) << "over 1,000 tags (" << body_bytes << " body bytes in all)";
}

// The bound on what a peer leaves behind: spare bodies never hold more than max_spare_bytes, however
// big the messages were.
TEST(GatewayHotPathAllocation, SpareBodiesStayWithinTheirBound) {
  rtmp::ChunkReader::Limits limits;
  limits.max_spare_bytes = 64 << 10;
  rtmp::ChunkReader reader(limits);
  rtmp::ChunkWriter w;
  Bytes in;
  for (uint32_t i = 0; i < 12; ++i) {
    Bytes body(i % 2 ? 40000 : 1000, uint8_t(i));
    ASSERT_TRUE(w.write(4 + i % 3, 9, i, 1, as_span(body), in).ok());
  }
  std::vector<rtmp::Message> held;
  ByteSpan data = as_span(in);
  while (!data.empty()) {
    auto used = reader.feed(data);
    ASSERT_TRUE(used.ok());
    data = data.subspan(*used);
    rtmp::Message m;
    while (reader.next(&m)) held.push_back(std::move(m));
  }
  ASSERT_EQ(held.size(), 12u);
  for (rtmp::Message& m : held) reader.recycle(std::move(m.body));
  EXPECT_LE(reader.spare_bytes(), size_t(64) << 10);
  EXPECT_GT(reader.spare_bytes(), 0u);
}

// A pool shared by many readers (the gateway keeps one per I/O thread) is bounded the same way, and
// hands out a body that holds the claimed length when it has one.
TEST(GatewayHotPathAllocation, SharedBodyPoolIsBoundedAndPicksABodyThatFits) {
  rtmp::BodyPool pool(rtmp::BodyPool::Limits{.max_bodies = 4, .max_bytes = 100000});
  for (size_t size : {40000, 40000, 40000, 300, 300, 300, 300}) {
    Bytes b;
    b.reserve(size);
    pool.put(std::move(b));
  }
  EXPECT_LE(pool.bodies(), 4u);
  EXPECT_LE(pool.bytes(), 100000u);
  EXPECT_EQ(pool.take(20000).capacity(), 40000u);
  EXPECT_EQ(pool.take(200).capacity(), 300u);
}

// Through the Bridge: RTMP reads in, FLV frames out to a client that reads each frame as it comes
// (the frame is written, then the next one starts), and to one whose write stays in flight across
// reads (tags coalesce into the next frame).
void bridge_case(int reads_per_write) {
  test::Rig r(Endpoint::kPlay);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.from_server(rtmp_test::kNginxPlayFirstMedia);
  r.read_client();
  ASSERT_FALSE(r.b.close_request());

  uint64_t out_bytes = 0;
  bool in_flight = false;
  ClientFrame f;
  int since = 0;
  auto play = [&](const std::vector<Bytes>& reads) {
    for (const Bytes& bytes : reads) {
      r.b.on_upstream_data(as_span(bytes), 0);
      if (++since < reads_per_write) continue;
      since = 0;
      if (in_flight) r.b.end_client_write(0), in_flight = false;
      if (r.b.next_client_frame(&f, 0)) out_bytes += f.data.size(), in_flight = true;
    }
  };
  SteadyStream stream;
  const uint64_t before = r.b.stats().tags_forwarded;
  play(stream.reads(1000));
  const std::vector<Bytes> reads = stream.reads(1000);
  size_t allocations;
  {
    CountAllocations counter;
    play(reads);
    allocations = counter.count();
  }
  ASSERT_FALSE(r.b.close_request());
  EXPECT_EQ(r.b.stats().tags_forwarded - before, 2000u);
  EXPECT_EQ(r.b.stats().dropped_tags, 0u);
  EXPECT_GT(out_bytes, 0u);
  EXPECT_EQ(allocations, 0u) << "over 1,000 tags, a write every " << reads_per_write << " reads";
}

TEST(GatewayHotPathAllocation, BridgeRelaysAThousandTagsWithoutAllocatingClientReadingEachFrame) {
  bridge_case(1);
}

TEST(GatewayHotPathAllocation, BridgeRelaysAThousandTagsWithoutAllocatingWritesSpanningReads) {
  bridge_case(3);
}

}  // namespace
}  // namespace lw::gateway
