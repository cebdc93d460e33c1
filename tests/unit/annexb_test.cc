#include "codec/annexb.h"

#include <gtest/gtest.h>

#include "codec_vectors.h"

namespace lw::codec {
namespace {

using namespace test_vectors;

Bytes span_bytes(ByteSpan s) { return Bytes(s.begin(), s.end()); }

// What x264 writes at the start of a stream: 4-byte start codes before the parameter sets, 3-byte ones
// before later NAL units; here with the real SPS/PPS of kHigh720 and a short fake slice.
Bytes sample_stream() {
  Bytes s;
  const Bytes sps = from_hex(kHigh720Sps), pps = from_hex(kHigh720Pps);
  append_annexb(as_span(sps), &s);
  append_annexb(as_span(pps), &s);
  const Bytes slice = from_hex("000001 65 88 84 00 10");  // 3-byte start code, IDR slice header bytes
  s.insert(s.end(), slice.begin(), slice.end());
  return s;
}

TEST(AnnexB, SplitsThreeAndFourByteStartCodes) {
  const Bytes s = sample_stream();
  const auto nals = split_annexb(as_span(s));
  ASSERT_EQ(nals.size(), 3u);
  EXPECT_EQ(span_bytes(nals[0]), from_hex(kHigh720Sps));
  EXPECT_EQ(span_bytes(nals[1]), from_hex(kHigh720Pps));
  EXPECT_EQ(span_bytes(nals[2]), from_hex("65 88 84 00 10"));
  EXPECT_EQ(avc_nal_type(nals[0][0]), avc_nal::kSps);
  EXPECT_EQ(avc_nal_type(nals[2][0]), avc_nal::kSliceIdr);
}

TEST(AnnexB, TrailingZerosLeadingGarbageAndEmptyUnitsAreNotNalUnits) {
  const Bytes s = from_hex("FF FF 000001 09 F0 0000 00000001 67 42 000001 000001 68 CE 00 00");
  const auto nals = split_annexb(as_span(s));
  ASSERT_EQ(nals.size(), 3u);
  EXPECT_EQ(span_bytes(nals[0]), from_hex("09 F0"));
  EXPECT_EQ(span_bytes(nals[1]), from_hex("67 42"));
  EXPECT_EQ(span_bytes(nals[2]), from_hex("68 CE"));
  EXPECT_TRUE(split_annexb(as_span(from_hex("00 00 00 00"))).empty());
  EXPECT_TRUE(split_annexb(ByteSpan()).empty());
  EXPECT_TRUE(split_annexb(as_span(from_hex("67 42 00 1F"))).empty()) << "no start code";
}

TEST(AnnexB, EmulationPreventedBytesAreNotStartCodes) {
  // 00 00 03 01 inside a NAL unit is payload, not a start code.
  const auto nals = split_annexb(as_span(from_hex("00000001 65 00 00 03 01 AA")));
  ASSERT_EQ(nals.size(), 1u);
  EXPECT_EQ(nals[0].size(), 6u);
}

TEST(AnnexB, ConvertsToLengthPrefixedAndBack) {
  const Bytes s = sample_stream();
  auto avcc = annexb_to_length_prefixed(as_span(s));
  ASSERT_TRUE(avcc.ok()) << avcc.status().to_string();
  Bytes want = from_hex("0000001A");
  const Bytes sps = from_hex(kHigh720Sps);
  want.insert(want.end(), sps.begin(), sps.end());
  want.insert(want.end(), {0, 0, 0, 6});
  const Bytes pps = from_hex(kHigh720Pps);
  want.insert(want.end(), pps.begin(), pps.end());
  const Bytes slice = from_hex("00000005 65 88 84 00 10");
  want.insert(want.end(), slice.begin(), slice.end());
  EXPECT_EQ(*avcc, want);

  auto back = length_prefixed_to_annexb(as_span(*avcc));
  ASSERT_TRUE(back.ok());
  // Every start code comes back as 4 bytes.
  Bytes want_annexb;
  append_annexb(as_span(sps), &want_annexb);
  append_annexb(as_span(pps), &want_annexb);
  append_annexb(as_span(from_hex("65 88 84 00 10")), &want_annexb);
  EXPECT_EQ(*back, want_annexb);
}

TEST(AnnexB, ShortLengthSizes) {
  const Bytes s = sample_stream();
  for (int size : {1, 2, 3}) {
    auto lp = annexb_to_length_prefixed(as_span(s), size);
    ASSERT_TRUE(lp.ok()) << size;
    EXPECT_EQ(lp->size(), 26u + 6u + 5u + 3u * static_cast<size_t>(size));
    auto nals = split_length_prefixed(as_span(*lp), size);
    ASSERT_TRUE(nals.ok());
    ASSERT_EQ(nals->size(), 3u);
    EXPECT_EQ(span_bytes((*nals)[1]), from_hex(kHigh720Pps));
  }
  // 3-byte lengths: 00 00 02 AA BB.
  const Bytes three_bytes = from_hex("000002 AABB 000001 CC");  // the spans point into it
  auto three = split_length_prefixed(as_span(three_bytes), 3);
  ASSERT_TRUE(three.ok());
  ASSERT_EQ(three->size(), 2u);
  EXPECT_EQ(span_bytes((*three)[1]), from_hex("CC"));
}

TEST(AnnexB, NalUnitTooLargeForTheLengthSizeIsAnError) {
  Bytes big(256, 0x41);
  Bytes out;
  EXPECT_EQ(append_length_prefixed(as_span(big), 1, &out).code(), ErrorCode::kInvalid);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(append_length_prefixed(as_span(big), 2, &out).ok());
  EXPECT_EQ(out.size(), 258u);
  EXPECT_EQ(append_length_prefixed(as_span(big), 0, &out).code(), ErrorCode::kInvalid);
  EXPECT_EQ(append_length_prefixed(as_span(big), 5, &out).code(), ErrorCode::kInvalid);
}

TEST(AnnexB, LengthPrefixedTruncationAndHugeLengths) {
  auto cut = split_length_prefixed(as_span(from_hex("00000005 6588")));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), ErrorCode::kTruncated);
  EXPECT_NE(cut.status().reason().find("NAL unit 0"), std::string::npos);
  auto huge = split_length_prefixed(as_span(from_hex("00000001 09 FFFFFFFF 65")));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().reason().find("NAL unit 1: length 4294967295"), std::string::npos);
  EXPECT_EQ(split_length_prefixed(as_span(from_hex("0000")), 4).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(split_length_prefixed(as_span(from_hex("00")), 0).status().code(), ErrorCode::kInvalid);
  // Zero lengths are skipped, not errors.
  auto zero = split_length_prefixed(as_span(from_hex("00000000 00000001 09")));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->size(), 1u);
}

TEST(AnnexB, HevcNalTypes) {
  EXPECT_EQ(hevc_nal_type(from_hex(kHevc720Vps)[0]), hevc_nal::kVps);
  EXPECT_EQ(hevc_nal_type(from_hex(kHevc720Sps)[0]), hevc_nal::kSps);
  EXPECT_EQ(hevc_nal_type(from_hex(kHevc720Pps)[0]), hevc_nal::kPps);
}

}  // namespace
}  // namespace lw::codec
