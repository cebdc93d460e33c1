#include "codec/hevc_config.h"

#include <gtest/gtest.h>

#include "codec/annexb.h"
#include "codec/hevc_sps.h"
#include "codec_vectors.h"

namespace lw::codec {
namespace {

using namespace test_vectors;

struct Stream {
  const char* name;
  const char *vps, *sps, *pps, *hvcc;
  uint8_t profile, level;
  uint32_t compat;
  uint32_t bit_depth, pic_w, pic_h, width, height;
  const char* codec;
};

// Sizes and profiles as ffprobe reports them (coded_width/height = pic_width/height).
const Stream kStreams[] = {
    {"Main 1280x720", kHevc720Vps, kHevc720Sps, kHevc720Pps, kHevc720Hvcc, 1, 93, 0x60000000, 8, 1280,
     720, 1280, 720, "hvc1.1.6.L93.90"},
    {"Main 642x362", kHevc642Vps, kHevc642Sps, kHevc642Pps, kHevc642Hvcc, 1, 63, 0x60000000, 8, 648,
     368, 642, 362, "hvc1.1.6.L63.90"},
    {"Main 10 320x240", kHevcMain10Vps, kHevcMain10Sps, kHevcMain10Pps, kHevcMain10Hvcc, 2, 60,
     0x20000000, 10, 320, 240, 320, 240, "hvc1.2.4.L60.90"},
};

TEST(HevcSps, RealStreamsMatchFfprobe) {
  for (const Stream& s : kStreams) {
    SCOPED_TRACE(s.name);
    auto sps = parse_hevc_sps(as_span(from_hex(s.sps)));
    ASSERT_TRUE(sps.ok()) << sps.status().to_string();
    EXPECT_EQ(sps->ptl.profile_space, 0);
    EXPECT_FALSE(sps->ptl.tier);
    EXPECT_EQ(sps->ptl.profile_idc, s.profile);
    EXPECT_EQ(sps->ptl.compatibility_flags, s.compat);
    EXPECT_EQ(sps->ptl.constraint_flags, 0x900000000000u) << "progressive_source + frame_only";
    EXPECT_EQ(sps->ptl.level_idc, s.level);
    EXPECT_EQ(sps->chroma_format_idc, 1u);
    EXPECT_EQ(sps->bit_depth_luma, s.bit_depth);
    EXPECT_EQ(sps->bit_depth_chroma, s.bit_depth);
    EXPECT_EQ(sps->pic_width, s.pic_w);
    EXPECT_EQ(sps->pic_height, s.pic_h);
    EXPECT_EQ(sps->width, s.width);
    EXPECT_EQ(sps->height, s.height);
    EXPECT_EQ(sps->max_sub_layers, 1);
    EXPECT_EQ(sps->codec_string(), s.codec);
    auto vps = parse_hevc_vps(as_span(from_hex(s.vps)));
    ASSERT_TRUE(vps.ok()) << vps.status().to_string();
    EXPECT_EQ(vps->ptl, sps->ptl);
  }
}

TEST(HevcSps, ConformanceWindowIsInChromaUnits) {
  auto sps = parse_hevc_sps(as_span(from_hex(kHevc642Sps)));
  ASSERT_TRUE(sps.ok());
  EXPECT_TRUE(sps->conformance_window);
  EXPECT_EQ(sps->conf_right, 3u);   // 3 x SubWidthC 2 = 6: 648 -> 642
  EXPECT_EQ(sps->conf_bottom, 3u);  // 368 -> 362
}

TEST(HevcSps, EveryTruncationIsAnError) {
  for (const Stream& s : kStreams) {
    SCOPED_TRACE(s.name);
    const Bytes nal = from_hex(s.sps);
    // The bit depths end well before the last 8 bytes in these SPSs (the VUI and more follow).
    for (size_t n = 0; n + 8 < nal.size(); ++n) {
      auto sps = parse_hevc_sps(ByteSpan(nal.data(), n));
      if (sps.ok()) {
        EXPECT_EQ(sps->width, s.width) << n;  // cut after the fields we read
        continue;
      }
      EXPECT_EQ(sps.status().code(), ErrorCode::kTruncated) << n << " " << sps.status().to_string();
    }
    for (size_t n = 0; n < 20; ++n) EXPECT_FALSE(parse_hevc_sps(ByteSpan(nal.data(), n)).ok()) << n;
  }
}

TEST(HevcSps, WrongNalTypeAndLayers) {
  EXPECT_EQ(parse_hevc_sps(as_span(from_hex(kHevc720Pps))).status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(parse_hevc_vps(as_span(from_hex(kHevc720Sps))).status().code(), ErrorCode::kInvalid);
  Bytes layered = from_hex(kHevc720Sps);
  layered[1] |= 0x08;  // nuh_layer_id 1
  EXPECT_EQ(parse_hevc_sps(as_span(layered)).status().code(), ErrorCode::kUnsupported);
}

TEST(HevcConfig, BuildsWhatFfmpegWritesFromTheSameParameterSets) {
  for (const Stream& s : kStreams) {
    SCOPED_TRACE(s.name);
    const Bytes vps = from_hex(s.vps), sps = from_hex(s.sps), pps = from_hex(s.pps);
    const ByteSpan v[] = {as_span(vps)}, sp[] = {as_span(sps)}, p[] = {as_span(pps)};
    // FFmpeg's MP4 muxer marks the arrays complete for `hvc1`.
    auto c = make_hevc_config(v, sp, p, 4, /*array_completeness=*/true);
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    auto bytes = build_hevc_config(*c);
    ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
    EXPECT_EQ(*bytes, from_hex(s.hvcc));
  }
}

TEST(HevcConfig, ParsesFfmpegRecordsAndRebuildsThemByteForByte) {
  for (const Stream& s : kStreams) {
    SCOPED_TRACE(s.name);
    const Bytes hvcc = from_hex(s.hvcc);
    auto c = parse_hevc_config(as_span(hvcc));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    EXPECT_EQ(c->ptl.profile_idc, s.profile);
    EXPECT_EQ(c->ptl.level_idc, s.level);
    EXPECT_EQ(c->bit_depth_luma_minus8, s.bit_depth - 8);
    EXPECT_EQ(c->length_size(), 4);
    EXPECT_EQ(c->num_temporal_layers, 1);
    EXPECT_TRUE(c->temporal_id_nested);
    ASSERT_EQ(c->arrays.size(), 3u);
    EXPECT_TRUE(c->arrays[0].array_completeness);
    ASSERT_EQ(c->nalus_of_type(hevc_nal::kVps).size(), 1u);
    const auto sps_list = c->nalus_of_type(hevc_nal::kSps);
    ASSERT_EQ(sps_list.size(), 1u);
    EXPECT_EQ(Bytes(sps_list[0].begin(), sps_list[0].end()), from_hex(s.sps));
    EXPECT_EQ(c->nalus_of_type(hevc_nal::kPps).size(), 1u);
    auto again = build_hevc_config(*c);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, hvcc);
  }
}

TEST(HevcConfig, FlvStyleRecordHasIncompleteArrays) {
  const Bytes vps = from_hex(kHevc720Vps), sps = from_hex(kHevc720Sps), pps = from_hex(kHevc720Pps);
  const ByteSpan v[] = {as_span(vps)}, sp[] = {as_span(sps)}, p[] = {as_span(pps)};
  auto c = make_hevc_config(v, sp, p);
  ASSERT_TRUE(c.ok());
  auto bytes = build_hevc_config(*c);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[23], 0x20) << "array_completeness 0, NAL type 32";
  auto back = parse_hevc_config(as_span(*bytes));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *c);
}

TEST(HevcConfig, EveryTruncationIsAnError) {
  const Bytes hvcc = from_hex(kHevc720Hvcc);
  for (size_t n = 0; n < hvcc.size(); ++n) {
    auto c = parse_hevc_config(ByteSpan(hvcc.data(), n));
    ASSERT_FALSE(c.ok()) << n;
    EXPECT_EQ(c.status().code(), ErrorCode::kTruncated) << n;
  }
  auto c = parse_hevc_config(ByteSpan(hvcc.data(), 30));
  EXPECT_NE(c.status().reason().find("array 0 NAL unit 0"), std::string::npos) << c.status().reason();
}

TEST(HevcConfig, HostileCountsAndVersions) {
  Bytes head = from_hex(kHevc720Hvcc);
  head.resize(23);
  head[22] = 0xFF;  // 255 arrays claimed, none there
  EXPECT_EQ(parse_hevc_config(as_span(head)).status().code(), ErrorCode::kTruncated);
  head[22] = 1;
  head.insert(head.end(), {0xA0, 0xFF, 0xFF});  // one array claiming 65535 NAL units
  EXPECT_EQ(parse_hevc_config(as_span(head)).status().code(), ErrorCode::kTruncated);
  Bytes v0 = from_hex(kHevc720Hvcc);
  v0[0] = 0;
  EXPECT_EQ(parse_hevc_config(as_span(v0)).status().code(), ErrorCode::kInvalid);
  HevcDecoderConfig big;
  big.arrays.push_back({false, 33, {Bytes(70000, 0x42)}});
  EXPECT_EQ(build_hevc_config(big).status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(make_hevc_config({}, {}, {}).status().code(), ErrorCode::kInvalid);
}

// hevc_config_fuzz finding (crash-57b08bd7): an SPS with bit_depth_chroma_minus8 = 8 (16-bit, legal in
// H.265) went into a record whose field has 3 bits: the builder masked it to 0 and the record said
// 8-bit. Now both make_ and build_ refuse values wider than their fields.
TEST(HevcConfig, FuzzSixteenBitDepthDoesNotFitTheRecord) {
  // kHevcMain10Sps with bit_depth_luma_minus8 = 2 and bit_depth_chroma_minus8 = 8, as the fuzzer
  // made it.
  const Bytes sps = from_hex(
      "42010102200000030090000003000003003ca00a080f1312959a4933bc05a020000003002000000302c1");
  auto parsed = parse_hevc_sps(as_span(sps));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->bit_depth_luma, 10u);
  EXPECT_EQ(parsed->bit_depth_chroma, 16u);
  const ByteSpan sp[] = {as_span(sps)};
  auto made = make_hevc_config({}, sp, {});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), ErrorCode::kInvalid);
  EXPECT_NE(made.status().reason().find("bit_depth_chroma_minus8 8"), std::string::npos)
      << made.status().reason();
  HevcDecoderConfig wide;
  wide.num_temporal_layers = 8;
  EXPECT_EQ(build_hevc_config(wide).status().code(), ErrorCode::kInvalid);
}

}  // namespace
}  // namespace lw::codec
