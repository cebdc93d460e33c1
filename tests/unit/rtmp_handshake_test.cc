#include "rtmp/rtmp_handshake.h"

#include <gtest/gtest.h>

#include <cstring>

#include "rtmp_test_util.h"

namespace lw::rtmp {
namespace {

using rtmp_test::concat;

constexpr size_t kBlock = kHandshakeBlockSize;

Bytes server_reply(const Bytes& c0c1, uint8_t s0 = 3) {
  Bytes s1(kBlock, 0);
  s1[0] = 0x00;
  s1[3] = 0x2A;                                     // time 42
  s1[4] = 0x0D, s1[5] = 0x0E, s1[6] = 0x0A, s1[7] = 0x0D;  // nginx-rtmp's version 13.14.10.13
  SplitMix64(7).fill(s1.data() + 8, kBlock - 8);
  Bytes reply = {s0};
  reply.insert(reply.end(), s1.begin(), s1.end());
  reply.insert(reply.end(), c0c1.begin() + 1, c0c1.end());  // S2 echoes C1
  return reply;
}

TEST(RtmpHandshake, C0C1IsVersion3TimeZeroThenSeededRandom) {
  ClientHandshake hs;
  Bytes out;
  hs.start(0x01020304, 99, out);
  ASSERT_EQ(out.size(), 1 + kBlock);
  EXPECT_EQ(out[0], 0x03);
  EXPECT_EQ(Bytes(out.begin() + 1, out.begin() + 9), rtmp_test::hex("01020304 00000000"))
      << "time, then a zero version: the simple handshake";
  Bytes again;
  ClientHandshake(hs).start(0x01020304, 99, again);
  EXPECT_EQ(out, again) << "the random block comes from the seed only";
  Bytes other;
  ClientHandshake().start(0x01020304, 100, other);
  EXPECT_NE(out, other);
}

TEST(RtmpHandshake, EchoesS1AsC2AndChecksTheS2Echo) {
  ClientHandshake hs;
  Bytes c0c1;
  hs.start(0, 1, c0c1);
  Bytes reply = server_reply(c0c1);
  Bytes tail = rtmp_test::hex("02 000000 000004 05 00000000 004c4b40");
  Bytes in = concat({reply, tail});
  Bytes c2;
  auto used = hs.feed(as_span(in), c2);
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(*used, reply.size()) << "bytes after S2 are left for the chunk reader";
  EXPECT_TRUE(hs.done());
  EXPECT_TRUE(hs.s2_echo_matched());
  EXPECT_EQ(hs.server_version(), 0x0D0E0A0Du);
  EXPECT_EQ(hs.server_time(), 42u);
  EXPECT_EQ(c2, Bytes(reply.begin() + 1, reply.begin() + 1 + kBlock));
}

TEST(RtmpHandshake, AnySplitGivesTheSameResult) {
  ClientHandshake ref;
  Bytes c0c1;
  ref.start(5, 5, c0c1);
  const Bytes reply = server_reply(c0c1);
  for (size_t step : {size_t{1}, size_t{7}, size_t{1536}, size_t{1537}, size_t{3000}}) {
    ClientHandshake hs;
    Bytes ignored, c2;
    hs.start(5, 5, ignored);
    size_t pos = 0;
    while (pos < reply.size()) {
      size_t n = std::min(step, reply.size() - pos);
      auto used = hs.feed(ByteSpan(reply.data() + pos, n), c2);
      ASSERT_TRUE(used.ok());
      ASSERT_EQ(*used, n);
      pos += n;
    }
    EXPECT_TRUE(hs.done()) << step;
    EXPECT_EQ(c2.size(), kBlock) << step;
  }
}

TEST(RtmpHandshake, HttpAnswerInsteadOfS0IsAProtocolError) {
  ClientHandshake hs;
  Bytes out;
  hs.start(0, 0, out);
  const std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
  Bytes c2;
  auto used = hs.feed(ByteSpan(reinterpret_cast<const uint8_t*>(http.data()), http.size()), c2);
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.status().code(), ErrorCode::kProtocol);
  EXPECT_NE(used.status().reason().find("0x48"), std::string::npos) << used.status().reason();
  EXPECT_TRUE(c2.empty());
  EXPECT_EQ(hs.state(), ClientHandshake::State::kFailed);
  EXPECT_FALSE(hs.feed(ByteSpan(), c2).ok()) << "stays failed";
}

TEST(RtmpHandshake, RtmpeVersion6IsRefused) {
  ClientHandshake hs;
  Bytes out, c2;
  hs.start(0, 0, out);
  const Bytes s0 = {0x06};
  EXPECT_EQ(hs.feed(as_span(s0), c2).status().code(), ErrorCode::kProtocol);
}

TEST(RtmpHandshake, S2ThatDoesNotEchoC1IsToleratedLikeFfmpeg) {
  ClientHandshake hs;
  Bytes c0c1, c2;
  hs.start(0, 3, c0c1);
  Bytes reply = server_reply(c0c1);
  reply[1 + kBlock + 100] ^= 0xFF;
  ASSERT_TRUE(hs.feed(as_span(reply), c2).ok());
  EXPECT_TRUE(hs.done());
  EXPECT_FALSE(hs.s2_echo_matched());
}

TEST(RtmpHandshake, FeedBeforeStartIsMisuse) {
  ClientHandshake hs;
  Bytes c2;
  const Bytes b = {3};
  EXPECT_EQ(hs.feed(as_span(b), c2).status().code(), ErrorCode::kMisuse);
}

}  // namespace
}  // namespace lw::rtmp
