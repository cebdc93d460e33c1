#include "codec/avc_sps.h"

#include <gtest/gtest.h>

#include "codec/bit_reader.h"
#include "codec_vectors.h"

namespace lw::codec {
namespace {

using namespace test_vectors;

struct Expected {
  const char* name;
  const char* sps_hex;
  uint8_t profile, constraints, level;
  uint32_t chroma, bit_depth, poc_type, max_refs;
  bool frame_mbs_only;
  uint32_t crop_right, crop_bottom;
  uint32_t coded_w, coded_h, width, height;
  uint32_t time_scale;
  const char* codec;
};

// Values from ffprobe (size, profile, level, pix_fmt) and FFmpeg's trace_headers (the SPS fields).
const Expected kStreams[] = {
    {"High 1280x720", kHigh720Sps, 100, 0x00, 31, 1, 8, 0, 4, true, 0, 0, 1280, 720, 1280, 720, 60,
     "avc1.64001F"},
    {"Constrained Baseline 640x360", kBaseline360Sps, 66, 0xC0, 30, 1, 8, 2, 3, true, 0, 4, 640, 368,
     640, 360, 60, "avc1.42C01E"},
    {"Main 1920x1080", kMain1080Sps, 77, 0x40, 40, 1, 8, 0, 4, true, 0, 4, 1920, 1088, 1920, 1080, 60,
     "avc1.4D4028"},
    {"High 642x362", kOdd642Sps, 100, 0x00, 30, 1, 8, 0, 4, true, 7, 3, 656, 368, 642, 362, 60,
     "avc1.64001E"},
    {"High 10 352x288", kHigh10Sps, 110, 0x00, 13, 1, 10, 0, 4, true, 0, 0, 352, 288, 352, 288, 60,
     "avc1.6E000D"},
    {"High 4:4:4 176x144", kHigh444Sps, 244, 0x00, 11, 3, 8, 0, 4, true, 0, 0, 176, 144, 176, 144, 60,
     "avc1.F4000B"},
    {"interlaced 720x576", kInterlaced576Sps, 100, 0x00, 30, 1, 8, 0, 4, false, 0, 0, 720, 576, 720,
     576, 50, "avc1.64001E"},
    {"interlaced 1920x1080", kInterlaced1080Sps, 100, 0x00, 40, 1, 8, 0, 4, false, 0, 2, 1920, 1088,
     1920, 1080, 50, "avc1.640028"},
    {"High 720 with scaling lists", kHigh720ScalingListsSps, 100, 0x00, 31, 1, 8, 0, 4, true, 0, 0,
     1280, 720, 1280, 720, 60, "avc1.64001F"},
    {"High 4:4:4 with 12 scaling lists", kHigh444ScalingListsSps, 244, 0x00, 11, 3, 8, 0, 4, true, 0,
     0, 176, 144, 176, 144, 60, "avc1.F4000B"},
};

TEST(AvcSps, RealStreamsMatchFfprobe) {
  for (const Expected& e : kStreams) {
    SCOPED_TRACE(e.name);
    const Bytes nal = from_hex(e.sps_hex);
    auto sps = parse_avc_sps(as_span(nal));
    ASSERT_TRUE(sps.ok()) << sps.status().to_string();
    EXPECT_EQ(sps->profile_idc, e.profile);
    EXPECT_EQ(sps->constraint_flags, e.constraints);
    EXPECT_EQ(sps->level_idc, e.level);
    EXPECT_EQ(sps->chroma_format_idc, e.chroma);
    EXPECT_EQ(sps->bit_depth_luma, e.bit_depth);
    EXPECT_EQ(sps->bit_depth_chroma, e.bit_depth);
    EXPECT_EQ(sps->pic_order_cnt_type, e.poc_type);
    EXPECT_EQ(sps->max_num_ref_frames, e.max_refs);
    EXPECT_EQ(sps->frame_mbs_only, e.frame_mbs_only);
    EXPECT_EQ(sps->crop_right, e.crop_right);
    EXPECT_EQ(sps->crop_bottom, e.crop_bottom);
    EXPECT_EQ(sps->coded_width, e.coded_w);
    EXPECT_EQ(sps->coded_height, e.coded_h);
    EXPECT_EQ(sps->width, e.width);
    EXPECT_EQ(sps->height, e.height);
    // The VUI comes after the size: right only if every earlier field (and emulation prevention,
    // e.g. `00 00 03 00 10` in kHigh720Sps) was handled.
    EXPECT_TRUE(sps->vui_present);
    EXPECT_EQ(sps->sar_width, 1u);
    EXPECT_EQ(sps->sar_height, 1u);
    EXPECT_TRUE(sps->timing_info_present);
    EXPECT_EQ(sps->num_units_in_tick, 1u);
    EXPECT_EQ(sps->time_scale, e.time_scale);
    EXPECT_FALSE(sps->fixed_frame_rate);
    EXPECT_EQ(sps->codec_string(), e.codec);
  }
}

TEST(AvcSps, ScalingListsAreSkippedForHighProfile) {
  auto plain = parse_avc_sps(as_span(from_hex(kHigh720Sps)));
  auto lists = parse_avc_sps(as_span(from_hex(kHigh720ScalingListsSps)));
  ASSERT_TRUE(plain.ok() && lists.ok());
  EXPECT_FALSE(plain->seq_scaling_matrix_present);
  EXPECT_TRUE(lists->seq_scaling_matrix_present);
  EXPECT_EQ(lists->width, 1280u);
  EXPECT_EQ(lists->time_scale, 60u);
  auto lists444 = parse_avc_sps(as_span(from_hex(kHigh444ScalingListsSps)));
  ASSERT_TRUE(lists444.ok());
  EXPECT_TRUE(lists444->seq_scaling_matrix_present);
  EXPECT_EQ(lists444->width, 176u);
}

TEST(AvcSps, EveryTruncationIsAnErrorOrTheSameSize) {
  for (const Expected& e : kStreams) {
    SCOPED_TRACE(e.name);
    const Bytes nal = from_hex(e.sps_hex);
    for (size_t n = 0; n < nal.size(); ++n) {
      Bytes prefix(nal.begin(), nal.begin() + static_cast<std::ptrdiff_t>(n));
      auto sps = parse_avc_sps(as_span(prefix));
      if (n < 5) EXPECT_FALSE(sps.ok()) << n;
      if (!sps.ok()) {
        EXPECT_TRUE(sps.status().code() == ErrorCode::kTruncated ||
                    sps.status().code() == ErrorCode::kInvalid)
            << sps.status().to_string();
        continue;
      }
      // Cut inside the VUI: the size is known, the VUI is dropped or partial.
      EXPECT_EQ(sps->width, e.width) << n;
      EXPECT_EQ(sps->height, e.height) << n;
    }
  }
}

TEST(AvcSps, NotAnSps) {
  EXPECT_EQ(parse_avc_sps(as_span(from_hex(kHigh720Pps))).status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(parse_avc_sps(ByteSpan()).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(parse_avc_sps(as_span(from_hex("E7 64 00 1F"))).status().code(), ErrorCode::kInvalid)
      << "forbidden_zero_bit set";
}

// A hand-built SPS for syntax the encoders here do not produce.
struct Fields {
  uint8_t profile = 100;
  uint32_t chroma = 1;
  bool separate_planes = false;
  uint32_t bit_depth_minus8 = 0;
  uint32_t poc_type = 0;
  bool frame_mbs_only = true;
  uint32_t width_mbs_minus1 = 19, height_units_minus1 = 14;
  bool crop = false;
  uint32_t crop_lrtb[4] = {0, 0, 0, 0};
};

Bytes make_sps(const Fields& f) {
  Bytes rbsp;
  BitWriter bw(&rbsp);
  bw.bits(8, f.profile);
  bw.bits(8, 0);
  bw.bits(8, 30);
  bw.ue(0);
  if (AvcSps::has_chroma_info(f.profile)) {
    bw.ue(f.chroma);
    if (f.chroma == 3) bw.flag(f.separate_planes);
    bw.ue(f.bit_depth_minus8);
    bw.ue(f.bit_depth_minus8);
    bw.flag(false);
    bw.flag(false);
  }
  bw.ue(0);  // log2_max_frame_num_minus4
  bw.ue(f.poc_type);
  if (f.poc_type == 0) bw.ue(2);
  if (f.poc_type == 1) {
    bw.flag(false);
    bw.se(-3);
    bw.se(7);
    bw.ue(3);
    bw.se(1);
    bw.se(-100);
    bw.se(1000);
  }
  bw.ue(2);  // max_num_ref_frames
  bw.flag(false);
  bw.ue(f.width_mbs_minus1);
  bw.ue(f.height_units_minus1);
  bw.flag(f.frame_mbs_only);
  if (!f.frame_mbs_only) bw.flag(true);
  bw.flag(true);
  bw.flag(f.crop);
  if (f.crop) {
    for (uint32_t c : f.crop_lrtb) bw.ue(c);
  }
  bw.flag(false);  // no VUI
  bw.trailing_bits();
  Bytes nal = {0x67};
  const Bytes ebsp = rbsp_to_ebsp(as_span(rbsp));
  nal.insert(nal.end(), ebsp.begin(), ebsp.end());
  return nal;
}

TEST(AvcSps, PicOrderCntType1CycleIsSkipped) {
  Fields f;
  f.poc_type = 1;
  auto sps = parse_avc_sps(as_span(make_sps(f)));
  ASSERT_TRUE(sps.ok()) << sps.status().to_string();
  EXPECT_EQ(sps->pic_order_cnt_type, 1u);
  EXPECT_EQ(sps->max_num_ref_frames, 2u);
  EXPECT_EQ(sps->width, 320u);
  EXPECT_EQ(sps->height, 240u);
  EXPECT_FALSE(sps->vui_present);
}

TEST(AvcSps, CropUnitsFollowChromaFormatAndFieldCoding) {
  struct Case {
    uint32_t chroma;
    bool separate, frame_mbs_only;
    uint32_t want_w, want_h;  // 320x240 coded (x2 height when field coded), crop 1,1,1,1
  };
  const Case cases[] = {
      {0, false, true, 318, 238},   // monochrome: units 1 x 1
      {1, false, true, 316, 236},   // 4:2:0: 2 x 2
      {2, false, true, 316, 238},   // 4:2:2: 2 x 1
      {3, false, true, 318, 238},   // 4:4:4: 1 x 1
      {3, true, true, 318, 238},    // separate planes: ChromaArrayType 0
      {1, false, false, 316, 472},  // 4:2:0 field coding: 2 x 4, height 480
  };
  for (const Case& c : cases) {
    Fields f;
    f.profile = 244;
    f.chroma = c.chroma;
    f.separate_planes = c.separate;
    f.frame_mbs_only = c.frame_mbs_only;
    f.crop = true;
    for (uint32_t& x : f.crop_lrtb) x = 1;
    auto sps = parse_avc_sps(as_span(make_sps(f)));
    ASSERT_TRUE(sps.ok()) << sps.status().to_string();
    EXPECT_EQ(sps->width, c.want_w) << c.chroma << c.separate << c.frame_mbs_only;
    EXPECT_EQ(sps->height, c.want_h) << c.chroma << c.separate << c.frame_mbs_only;
  }
}

TEST(AvcSps, OutOfRangeValuesAreInvalid) {
  Fields chroma;
  chroma.chroma = 4;
  EXPECT_EQ(parse_avc_sps(as_span(make_sps(chroma))).status().code(), ErrorCode::kInvalid);
  Fields depth;
  depth.bit_depth_minus8 = 7;
  EXPECT_EQ(parse_avc_sps(as_span(make_sps(depth))).status().code(), ErrorCode::kInvalid);
  Fields poc;
  poc.poc_type = 3;
  EXPECT_EQ(parse_avc_sps(as_span(make_sps(poc))).status().code(), ErrorCode::kInvalid);
  Fields huge;
  huge.width_mbs_minus1 = 0xFFFFFFFE;
  auto h = parse_avc_sps(as_span(make_sps(huge)));
  EXPECT_EQ(h.status().code(), ErrorCode::kInvalid);
  EXPECT_NE(h.status().reason().find("pic_width_in_mbs_minus1"), std::string::npos);
  Fields crop;
  crop.crop = true;
  crop.crop_lrtb[0] = 80;  // 2 x 80 = 160 ...
  crop.crop_lrtb[1] = 80;  // ... + 160 = the whole 320
  auto c = parse_avc_sps(as_span(make_sps(crop)));
  EXPECT_EQ(c.status().code(), ErrorCode::kInvalid);
  EXPECT_NE(c.status().reason().find("cropping"), std::string::npos);
  Fields crop_overflow;
  crop_overflow.crop = true;
  crop_overflow.crop_lrtb[2] = 0xFFFFFFFE;
  crop_overflow.crop_lrtb[3] = 0xFFFFFFFE;
  EXPECT_EQ(parse_avc_sps(as_span(make_sps(crop_overflow))).status().code(), ErrorCode::kInvalid);
}

}  // namespace
}  // namespace lw::codec
