#include "base/byte_reader.h"

#include <gtest/gtest.h>

#include "base/byte_writer.h"

namespace lw {
namespace {

TEST(ByteReader, ReadsBigEndianFieldsAndStopsAtTheEnd) {
  const Bytes data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
  ByteReader r(as_span(data));
  uint16_t a;
  uint32_t b;
  ASSERT_TRUE(r.u16(&a));
  EXPECT_EQ(a, 0x0102);
  ASSERT_TRUE(r.u24(&b));
  EXPECT_EQ(b, 0x030405u);
  uint32_t c;
  EXPECT_FALSE(r.u32(&c)) << "only one byte left";
  EXPECT_EQ(r.position(), 5u) << "a failed read leaves the position unchanged";
  uint8_t d;
  ASSERT_TRUE(r.u8(&d));
  EXPECT_EQ(d, 0x06);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.skip(1));
}

TEST(ByteReader, SignExtendsS24CompositionTime) {
  const Bytes data = {0xFF, 0xFF, 0xFE, 0x00, 0x00, 0x21};
  ByteReader r(as_span(data));
  int32_t v;
  ASSERT_TRUE(r.s24(&v));
  EXPECT_EQ(v, -2);
  ASSERT_TRUE(r.s24(&v));
  EXPECT_EQ(v, 33);
}

TEST(ByteReader, HugeLengthIsRefusedNotWrapped) {
  const Bytes data = {1, 2, 3};
  ByteReader r(as_span(data));
  ByteSpan s;
  EXPECT_FALSE(r.bytes(SIZE_MAX, &s));
  EXPECT_FALSE(r.skip(SIZE_MAX));
  EXPECT_EQ(r.position(), 0u);
}

TEST(ByteWriter, RoundTripsThroughTheReader) {
  Bytes out;
  ByteWriter w(&out);
  w.u8(7);
  w.u16(0xBEEF);
  w.u24(0x123456);
  w.u32(0xDEADBEEF);
  w.u32le(0x01020304);
  w.f64(1234.5);
  w.s24(-33);
  ByteReader r(as_span(out));
  uint8_t a;
  uint16_t b;
  uint32_t c, d, e;
  double f;
  int32_t g;
  ASSERT_TRUE(r.u8(&a) && r.u16(&b) && r.u24(&c) && r.u32(&d) && r.u32le(&e) && r.f64(&f) && r.s24(&g));
  EXPECT_EQ(a, 7);
  EXPECT_EQ(b, 0xBEEF);
  EXPECT_EQ(c, 0x123456u);
  EXPECT_EQ(d, 0xDEADBEEFu);
  EXPECT_EQ(e, 0x01020304u);
  EXPECT_EQ(f, 1234.5);
  EXPECT_EQ(g, -33);
  EXPECT_EQ(out[10], 0x04) << "u32le writes the low byte first";
}

TEST(ByteWriter, PatchesALengthItWrote) {
  Bytes out;
  ByteWriter w(&out);
  w.u8(9);
  const size_t at = w.size();
  w.u24(0);
  w.string("abc");
  w.patch_u24(at, 3);
  EXPECT_EQ(out, (Bytes{9, 0, 0, 3, 'a', 'b', 'c'}));
}

}  // namespace
}  // namespace lw
