#include "codec/avc_config.h"

#include <gtest/gtest.h>

#include "codec_vectors.h"

namespace lw::codec {
namespace {

using namespace test_vectors;

struct Stream {
  const char* name;
  const char* sps;
  const char* pps;
  const char* avcc;  // what FFmpeg wrote into the MP4 for the same stream
};

const Stream kStreams[] = {
    {"High 720", kHigh720Sps, kHigh720Pps, kHigh720Avcc},
    {"Baseline 360", kBaseline360Sps, kBaseline360Pps, kBaseline360Avcc},
    {"Main 1080", kMain1080Sps, kMain1080Pps, kMain1080Avcc},
    {"High 642x362", kOdd642Sps, kOdd642Pps, kOdd642Avcc},
    {"High 10", kHigh10Sps, kHigh10Pps, kHigh10Avcc},
    {"High 4:4:4", kHigh444Sps, kHigh444Pps, kHigh444Avcc},
    {"interlaced 576", kInterlaced576Sps, kInterlaced576Pps, kInterlaced576Avcc},
    {"interlaced 1080", kInterlaced1080Sps, kInterlaced1080Pps, kInterlaced1080Avcc},
};

TEST(AvcConfig, BuildsWhatFfmpegWritesFromTheSameParameterSets) {
  for (const Stream& s : kStreams) {
    SCOPED_TRACE(s.name);
    const Bytes sps = from_hex(s.sps), pps = from_hex(s.pps);
    const ByteSpan sps_list[] = {as_span(sps)};
    const ByteSpan pps_list[] = {as_span(pps)};
    auto config = make_avc_config(sps_list, pps_list);
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    auto bytes = build_avc_config(*config);
    ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
    EXPECT_EQ(*bytes, from_hex(s.avcc));
  }
}

TEST(AvcConfig, ParsesFfmpegRecords) {
  for (const Stream& s : kStreams) {
    SCOPED_TRACE(s.name);
    auto c = parse_avc_config(as_span(from_hex(s.avcc)));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    ASSERT_EQ(c->sps.size(), 1u);
    ASSERT_EQ(c->pps.size(), 1u);
    EXPECT_EQ(c->sps[0], from_hex(s.sps));
    EXPECT_EQ(c->pps[0], from_hex(s.pps));
    EXPECT_EQ(c->length_size(), 4);
    EXPECT_EQ(c->profile_indication, from_hex(s.sps)[1]);
    auto again = build_avc_config(*c);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, from_hex(s.avcc)) << "parse then build is byte-identical";
  }
  auto high10 = parse_avc_config(as_span(from_hex(kHigh10Avcc)));
  ASSERT_TRUE(high10.ok());
  EXPECT_TRUE(high10->has_ext);
  EXPECT_EQ(high10->chroma_format, 1);
  EXPECT_EQ(high10->bit_depth_luma_minus8, 2);
  EXPECT_EQ(high10->bit_depth_chroma_minus8, 2);
  auto high444 = parse_avc_config(as_span(from_hex(kHigh444Avcc)));
  ASSERT_TRUE(high444.ok());
  EXPECT_EQ(high444->chroma_format, 3);
  auto main = parse_avc_config(as_span(from_hex(kMain1080Avcc)));
  ASSERT_TRUE(main.ok());
  EXPECT_FALSE(main->has_ext) << "FFmpeg writes no extension for Main";
}

TEST(AvcConfig, HighProfileRecordWithoutTheExtensionIsAccepted) {
  // Many muxers omit the extension even for High: cut FFmpeg's record after the PPS list.
  Bytes avcc = from_hex(kHigh720Avcc);
  avcc.resize(avcc.size() - 4);
  auto c = parse_avc_config(as_span(avcc));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_FALSE(c->has_ext);
  EXPECT_EQ(c->pps.size(), 1u);
}

TEST(AvcConfig, EveryTruncationBeforeTheEndOfThePpsListIsAnError) {
  for (const Stream& s : kStreams) {
    SCOPED_TRACE(s.name);
    const Bytes avcc = from_hex(s.avcc);
    const size_t pps_end = 6 + 2 + from_hex(s.sps).size() + 1 + 2 + from_hex(s.pps).size();
    for (size_t n = 0; n < pps_end; ++n) {
      auto c = parse_avc_config(ByteSpan(avcc.data(), n));
      ASSERT_FALSE(c.ok()) << n;
      EXPECT_EQ(c.status().code(), ErrorCode::kTruncated) << n;
    }
  }
  auto c = parse_avc_config(as_span(from_hex("01 64 00 1F FF E1 00 1A 67 64")));
  EXPECT_NE(c.status().reason().find("SPS 0 (26 bytes claimed)"), std::string::npos)
      << c.status().reason();
}

TEST(AvcConfig, ThreeByteNalLengthsAndSeveralParameterSets) {
  const Bytes sps = from_hex(kHigh720Sps), pps = from_hex(kHigh720Pps), pps2 = from_hex("68 CE 3C 80");
  const ByteSpan sps_list[] = {as_span(sps)};
  const ByteSpan pps_list[] = {as_span(pps), as_span(pps2)};
  auto c = make_avc_config(sps_list, pps_list, 3);
  ASSERT_TRUE(c.ok());
  auto bytes = build_avc_config(*c);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[4], 0xFE) << "111111 + lengthSizeMinusOne 2";
  auto back = parse_avc_config(as_span(*bytes));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->length_size(), 3);
  EXPECT_EQ(back->pps.size(), 2u);
  EXPECT_EQ(*back, *c);
}

TEST(AvcConfig, RejectsWhatCannotBeExpressed) {
  EXPECT_EQ(parse_avc_config(as_span(from_hex("00 64 00 1F FF E0 00"))).status().code(),
            ErrorCode::kInvalid);
  AvcDecoderConfig wide;
  wide.sps.push_back(from_hex(kHigh720Sps));
  wide.has_ext = true;
  wide.bit_depth_luma_minus8 = 8;
  EXPECT_EQ(build_avc_config(wide).status().code(), ErrorCode::kInvalid);
  AvcDecoderConfig many;
  many.sps.assign(32, from_hex(kHigh720Sps));
  EXPECT_EQ(build_avc_config(many).status().code(), ErrorCode::kInvalid);
  AvcDecoderConfig big;
  big.sps.push_back(Bytes(70000, 0x67));
  EXPECT_EQ(build_avc_config(big).status().code(), ErrorCode::kInvalid);
  const Bytes pps = from_hex(kHigh720Pps);
  const ByteSpan pps_as_sps[] = {as_span(pps)};
  EXPECT_EQ(make_avc_config(pps_as_sps, {}).status().code(), ErrorCode::kInvalid)
      << "the first SPS must parse";
}

TEST(AvcConfig, HugeCountsWithNoBytesAreTruncatedNotAllocated) {
  // 31 SPS claimed, none present; 255 PPS claimed after one empty SPS.
  EXPECT_EQ(parse_avc_config(as_span(from_hex("01 64 00 1F FF FF"))).status().code(),
            ErrorCode::kTruncated);
  EXPECT_EQ(parse_avc_config(as_span(from_hex("01 64 00 1F FF E1 0000 FF 0005"))).status().code(),
            ErrorCode::kTruncated);
}

// avc_config_fuzz finding (crash-85f43c61): a record with numOfSequenceParameterSets 0 parsed but did
// not build again. avc3 records may carry no parameter sets; build writes them, make_ insists on one.
TEST(AvcConfig, FuzzRecordWithoutSpsRoundTrips) {
  const Bytes wire = from_hex("01 64 00 1F FC E0 01 0004 68CE3C80");
  auto c = parse_avc_config(as_span(wire));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_TRUE(c->sps.empty());
  auto built = build_avc_config(*c);
  ASSERT_TRUE(built.ok()) << built.status().to_string();
  EXPECT_EQ(*built, wire);
  EXPECT_EQ(make_avc_config({}, {}).status().code(), ErrorCode::kInvalid);
}

}  // namespace
}  // namespace lw::codec
