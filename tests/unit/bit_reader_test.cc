#include "codec/bit_reader.h"

#include <gtest/gtest.h>

#include "codec_vectors.h"

namespace lw::codec {
namespace {

using test_vectors::from_hex;

TEST(BitReader, ReadsFieldsMsbFirstAndStopsAtTheEnd) {
  const Bytes data = {0xA5, 0x0F};  // 1010 0101 0000 1111
  BitReader br(as_span(data));
  uint32_t v;
  ASSERT_TRUE(br.bits(3, &v));
  EXPECT_EQ(v, 5u);
  ASSERT_TRUE(br.bits(9, &v));
  EXPECT_EQ(v, 0b001010000u);
  EXPECT_EQ(br.bits_left(), 4u);
  EXPECT_FALSE(br.bits(5, &v)) << "only 4 bits left";
  EXPECT_EQ(br.bit_position(), 12u) << "a failed read leaves the position unchanged";
  ASSERT_TRUE(br.bits(4, &v));
  EXPECT_EQ(v, 0xFu);
  EXPECT_FALSE(br.skip(1));
  bool f;
  EXPECT_FALSE(br.flag(&f));
}

TEST(BitReader, Reads32BitFields) {
  const Bytes data = {0xDE, 0xAD, 0xBE, 0xEF, 0x80};
  BitReader br(as_span(data));
  uint32_t v;
  ASSERT_TRUE(br.skip(1));
  ASSERT_TRUE(br.bits(32, &v));
  EXPECT_EQ(v, 0xBD5B7DDFu);
  EXPECT_FALSE(br.bits(33, &v));
}

TEST(BitReader, ExpGolombMatchesTable9_2) {
  // H.264 Table 9-2: 1 -> 0, 010 -> 1, 011 -> 2, 00100 -> 3, 00111 -> 6, 0001000 -> 7.
  // Concatenated: 1 010 011 00100 00111 0001000 = 1010 0110 0100 0011 1000 1000
  const Bytes data = {0xA6, 0x43, 0x88};
  BitReader br(as_span(data));
  for (uint32_t want : {0u, 1u, 2u, 3u, 6u, 7u}) {
    uint32_t v;
    ASSERT_TRUE(br.ue(&v));
    EXPECT_EQ(v, want);
  }
  EXPECT_EQ(br.bits_left(), 0u);
}

TEST(BitReader, SignedExpGolombMapping) {
  Bytes data;
  BitWriter bw(&data);
  const int32_t values[] = {0, 1, -1, 2, -2, 1000, -1000, 2147483647, -2147483647};
  for (int32_t v : values) bw.se(v);
  bw.trailing_bits();
  BitReader br(as_span(data));
  for (int32_t want : values) {
    int32_t v;
    ASSERT_TRUE(br.se(&v));
    EXPECT_EQ(v, want);
  }
  EXPECT_FALSE(br.more_rbsp_data());
}

TEST(BitReader, UeRoundTripsItsWholeRange) {
  Bytes data;
  BitWriter bw(&data);
  const uint32_t values[] = {0, 1, 254, 255, 65535, 0x7FFFFFFF, 0xFFFFFFFE};
  for (uint32_t v : values) bw.ue(v);
  BitReader br(as_span(data));
  for (uint32_t want : values) {
    uint32_t v;
    ASSERT_TRUE(br.ue(&v));
    EXPECT_EQ(v, want);
  }
}

TEST(BitReader, UeWithMoreThan31LeadingZerosIsRefused) {
  const Bytes zeros = {0, 0, 0, 0, 0x80, 0, 0, 0, 0};  // 32 zeros then a one
  BitReader br(as_span(zeros));
  uint32_t v;
  EXPECT_FALSE(br.ue(&v));
  EXPECT_EQ(br.bit_position(), 0u);
  const Bytes truncated = {0x00, 0x01};  // 15 zeros, a one, no suffix bits
  BitReader br2(as_span(truncated));
  EXPECT_FALSE(br2.ue(&v));
  EXPECT_EQ(br2.bit_position(), 0u);
}

TEST(BitReader, MoreRbspDataFindsTheStopBit) {
  const Bytes data = {0b10110000, 0x00};  // payload 1 0 1, stop bit, zeros (a trailing zero byte too)
  BitReader br(as_span(data));
  EXPECT_TRUE(br.more_rbsp_data());
  ASSERT_TRUE(br.skip(2));
  EXPECT_TRUE(br.more_rbsp_data()) << "one payload bit left";
  ASSERT_TRUE(br.skip(1));
  EXPECT_FALSE(br.more_rbsp_data()) << "only the stop bit is left";
}

TEST(EmulationPrevention, RemovesThreeAfterTwoZeros) {
  // From kHigh720Sps: `... 01 10 00 00 03 00 10 00 00 03 03 c0 ...`
  EXPECT_EQ(ebsp_to_rbsp(as_span(from_hex("0110 000003 0010 000003 03c0"))),
            from_hex("0110 0000 0010 0000 03c0"));
  // The count restarts after a removed byte: 00 00 03 00 00 03 -> 00 00 00 00.
  EXPECT_EQ(ebsp_to_rbsp(as_span(from_hex("000003000003"))), from_hex("00000000"));
  // 03 not after two zeros stays.
  EXPECT_EQ(ebsp_to_rbsp(as_span(from_hex("000103 0003"))), from_hex("000103 0003"));
}

TEST(EmulationPrevention, InsertionRoundTrips) {
  const Bytes rbsp = from_hex("00 00 00 00 01 00 00 02 00 00 03 00 00 04 00 00");
  const Bytes ebsp = rbsp_to_ebsp(as_span(rbsp));
  EXPECT_EQ(ebsp, from_hex("00 00 03 00 00 03 01 00 00 03 02 00 00 03 03 00 00 04 00 00 03"));
  EXPECT_EQ(ebsp_to_rbsp(as_span(ebsp)), rbsp);
}

}  // namespace
}  // namespace lw::codec
