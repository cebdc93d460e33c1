// Everything a client can make the gateway hold is bounded (issue 16): replies to pings it does not
// read (4509), reports past the text bound (skipped), bytes that are never dropped (4509), and what is
// freed on a close; the FrameScanner's refusal of a 64-bit length with its top bit set.
#include <gtest/gtest.h>

#include <string>

#include "bridge_rig.h"
#include "frame_scanner.h"

namespace lw::gateway {
namespace {

using test::Rig;
using test::ServerMessages;

void ping(Rig& r, int id) {
  r.b.on_client_text(R"({"type":"ping","id":)" + std::to_string(id) + "}", r.now);
  r.b.on_client_message_end(r.now);
}

Rig playing() {
  Rig r(Endpoint::kPlay);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  return r;
}

TEST(GatewayBridgeBounds, PingsNotReadCloseWith4509AndFreeTheReplies) {
  Rig r = playing();
  r.read_client();
  // A write is in flight and never completes: the client reads nothing.
  ClientFrame f;
  ping(r, 0);
  ASSERT_TRUE(r.b.next_client_frame(&f, 0));
  int sent = 1;
  while (!r.b.close_request() && sent < 100000) ping(r, sent++);
  ASSERT_TRUE(r.b.close_request()) << "a client asking without reading is closed";
  EXPECT_EQ(r.b.close_request()->code, protocol::CloseCode::kClientBacklog);
  EXPECT_NE(r.b.close_request()->reason.find("did not read"), std::string::npos) << r.b.close_request()->reason;
  EXPECT_LE(sent, int(protocol::kMaxQueuedControlMessages) + 2);
  // Only the frame in flight is left.
  EXPECT_EQ(r.b.client_queued(), f.data.size());
  r.b.end_client_write(0);
  EXPECT_FALSE(r.b.next_client_frame(&f, 0));
  EXPECT_EQ(r.b.client_queued(), 0u);
}

TEST(GatewayBridgeBounds, PingsThatAreReadAreAnsweredForever) {
  Rig r = playing();
  for (int i = 0; i < 10000; ++i) {
    ping(r, i);
    if (i % 10 == 9) r.read_client();
  }
  r.read_client();
  EXPECT_FALSE(r.b.close_request());
  EXPECT_GE(r.texts.size(), 10000u);
}

TEST(GatewayBridgeBounds, UndroppableBytesPastTheQueueLimitClose) {
  BridgeLimits l;
  l.play_drop_bytes = 64 << 10;
  l.max_client_queue_bytes = 256 << 10;
  Rig r(Endpoint::kPlay, l);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  ServerMessages s;
  // AVC sequence headers are never dropped: a server sending only those to a client that reads
  // nothing grows the queue until the hard bound.
  Bytes seq = {0x17, 0x00, 0, 0, 0};
  seq.resize(8000, 0x42);
  for (int i = 0; i < 100 && !r.b.close_request(); ++i) r.from_server(s.media(9, uint32_t(i), seq));
  ASSERT_TRUE(r.b.close_request());
  EXPECT_EQ(r.b.close_request()->code, protocol::CloseCode::kClientBacklog);
  EXPECT_LE(r.b.stats().max_client_queued, l.max_client_queue_bytes + 8100);
}

TEST(GatewayFrameScanner, RefusesALengthWithItsTopBitAtOnce) {
  FrameScanner s;
  // A valid masked text frame "hi", then a binary frame whose 64-bit length has bit 63 set.
  Bytes ok = {0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2};
  EXPECT_TRUE(s.feed(as_span(ok)));
  EXPECT_EQ(s.frames(), 1u);
  Bytes bad = {0x82, 0xff, 0x80};
  EXPECT_FALSE(s.feed(as_span(bad))) << "refused on the length's first byte, before any payload";
  EXPECT_NE(s.reason().find("most significant bit"), std::string::npos);
  EXPECT_FALSE(s.feed(as_span(ok))) << "and stays refused";
}

TEST(GatewayFrameScanner, FollowsFramesAcrossAnySplit) {
  // 16-bit and 64-bit lengths, unmasked too (Beast refuses those; the scanner only keeps its place).
  Bytes stream = {0x82, 0xfe, 0x01, 0x00, 9, 9, 9, 9};
  stream.resize(stream.size() + 256, 0x55);
  Bytes big = {0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 7, 7, 7, 7};
  stream.insert(stream.end(), big.begin(), big.end());
  stream.resize(stream.size() + 65536, 0x66);
  stream.insert(stream.end(), {0x89, 0x00});
  for (size_t step : {size_t(1), size_t(3), size_t(7), size_t(1000), stream.size()}) {
    FrameScanner s;
    for (size_t i = 0; i < stream.size(); i += step) {
      ASSERT_TRUE(s.feed(ByteSpan(stream.data() + i, std::min(step, stream.size() - i))));
    }
    EXPECT_EQ(s.frames(), 3u) << "step " << step;
  }
}

}  // namespace
}  // namespace lw::gateway
