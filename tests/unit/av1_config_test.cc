// av1C and the AV1 OBU framing, from bytes Debian bookworm's ffmpeg 5.1 wrote (libaom-av1 3.6):
//   ffmpeg -f lavfi -i testsrc2=size=320x240:rate=25:duration=1 -c:v libaom-av1 -cpu-used 8 -usage realtime
//          -g 25 -lag-in-frames 0 -pix_fmt yuv420p av1_320.mp4      (and -f ivf av1_320.ivf)
//   ... size=642x362 ... -pix_fmt yuv420p10le av1_10bit.mp4
// ffprobe: Main profile, level 0 (2.0) / 1 (2.1), yuv420p / yuv420p10le.
#include "codec/av1_config.h"

#include <gtest/gtest.h>

#include "test_vectors.h"

namespace lw::codec {
namespace {

using lw::test::from_hex;

// The av1C box bodies of the two MP4 files (configOBUs: the Sequence Header OBU with its size field).
constexpr const char* kAv1c320 = "81000c000a0b000000043cffbcdaf90040";
constexpr const char* kAv1c10bit = "81014c000a0b0000000cc5036936be5010";
// The first 20 bytes of av1_320.ivf's first two temporal units: temporal delimiter (12 00), then the
// key frame's Sequence Header OBU and OBU_FRAME (32 fd2f: 6141 bytes, cut here), and an inter frame.
constexpr const char* kKeyUnitHead = "12000a0b000000043cffbcdaf9004032fd2f1000";
constexpr const char* kInterUnitHead = "120032fe0a30038080fdf83a400059659628104a";

TEST(Av1Config, ParsesFfmpegMp4Records) {
  auto c = parse_av1_config(as_span(from_hex(kAv1c320)));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->seq_profile, 0);
  EXPECT_EQ(c->seq_level_idx_0, 0);
  EXPECT_FALSE(c->seq_tier_0);
  EXPECT_EQ(c->bit_depth(), 8);
  EXPECT_TRUE(c->chroma_subsampling_x && c->chroma_subsampling_y);
  EXPECT_EQ(c->codec_string(), "av01.0.00M.08");
  auto s = c->sequence_header();
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->max_frame_width, 320u);
  EXPECT_EQ(s->max_frame_height, 240u);
  EXPECT_EQ(s->bit_depth(), 8);

  auto ten = parse_av1_config(as_span(from_hex(kAv1c10bit)));
  ASSERT_TRUE(ten.ok()) << ten.status().to_string();
  EXPECT_EQ(ten->codec_string(), "av01.0.01M.10");
  // The player's shortcut says the same from the bytes, and refuses what parse_av1_config refuses.
  std::string name;
  ASSERT_TRUE(av1_codec_string(as_span(from_hex(kAv1c10bit)), &name));
  EXPECT_EQ(name, "av01.0.01M.10");
  ASSERT_TRUE(av1_codec_string(as_span(from_hex(kAv1c320)), &name));
  EXPECT_EQ(name, "av01.0.00M.08");
  EXPECT_FALSE(av1_codec_string(as_span(from_hex("01000c00")), &name));
  EXPECT_FALSE(av1_codec_string(as_span(from_hex("8100")), &name));
  EXPECT_EQ(av1_codec_string(as_span(from_hex("81e98c00")), &name) && name == "av01.7.09H.08", true);
  auto s10 = ten->sequence_header();
  ASSERT_TRUE(s10.ok()) << s10.status().to_string();
  EXPECT_EQ(s10->max_frame_width, 642u);
  EXPECT_EQ(s10->max_frame_height, 362u);
  EXPECT_EQ(s10->bit_depth(), 10);
}

TEST(Av1Config, MadeFromTheSequenceHeaderAsFfmpegWritesIt) {
  // The key temporal unit's Sequence Header OBU -> the record FFmpeg's MP4 muxer wrote, byte for byte.
  const Bytes tu = from_hex(kKeyUnitHead);
  auto obus = split_obus(ByteSpan(tu).first(2 + 13));  // TD + sequence header
  ASSERT_TRUE(obus.ok()) << obus.status().to_string();
  ASSERT_EQ(obus->size(), 2u);
  EXPECT_EQ((*obus)[0].type, kObuTemporalDelimiter);
  EXPECT_EQ((*obus)[1].type, kObuSequenceHeader);
  auto made = make_av1_config((*obus)[1]);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  auto bytes = build_av1_config(*made);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, from_hex(kAv1c320));
  auto back = parse_av1_config(as_span(*bytes));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *made);
}

TEST(Av1Config, TellsKeyTemporalUnits) {
  // The OBU_FRAME sizes claim more than these heads hold: the key test reads the frame header's first
  // bits only, so give it whole OBUs by cutting the size claim down (a 3-byte OBU_FRAME payload).
  Bytes key = from_hex("12000a0b000000043cffbcdaf90040" "3203" "100000");
  Bytes inter = from_hex("1200" "3203" "300380");
  EXPECT_TRUE(av1_temporal_unit_is_key(as_span(key)));
  EXPECT_FALSE(av1_temporal_unit_is_key(as_span(inter)));
  EXPECT_FALSE(av1_temporal_unit_is_key(as_span(from_hex("1200"))));  // no frame at all
  // Cut-off units are not key frames (the OBU size runs past the end).
  EXPECT_FALSE(av1_temporal_unit_is_key(as_span(from_hex(kKeyUnitHead))));
  EXPECT_FALSE(split_obus(as_span(from_hex(kInterUnitHead))).ok());
}

TEST(Av1Config, RefusesWhatIsNotARecord) {
  EXPECT_EQ(parse_av1_config(as_span(from_hex("8100"))).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(parse_av1_config(as_span(from_hex("01000c00"))).status().code(), ErrorCode::kInvalid);
  // A record with no configOBUs parses (the binding allows it) but names no sequence header.
  auto bare = parse_av1_config(as_span(from_hex("81000c00")));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->codec_string(), "av01.0.00M.08");
  EXPECT_FALSE(bare->sequence_header().ok());
  // A sequence header cut anywhere is kTruncated, never a read past the end.
  const Bytes seq = from_hex("000000043cffbcdaf90040");
  for (size_t n = 0; n + 2 < seq.size(); ++n) {
    auto s = parse_av1_sequence_header(ByteSpan(seq).first(n));
    EXPECT_FALSE(s.ok()) << n;
  }
  EXPECT_EQ(split_obus(as_span(from_hex("8a00"))).status().code(), ErrorCode::kInvalid);  // forbidden bit
}

}  // namespace
}  // namespace lw::codec
