// vpcC and the VP9 uncompressed header, from bytes Debian bookworm's ffmpeg 5.1 wrote (libvpx-vp9 1.12):
//   ffmpeg -f lavfi -i testsrc2=size=320x240:rate=25:duration=1 -c:v libvpx-vp9 -deadline realtime
//          -cpu-used 8 -g 25 -lag-in-frames 0 -pix_fmt yuv420p vp9_320.mp4   (and -f ivf vp9_320.ivf)
//   ... -pix_fmt yuv444p vp9_444.mp4
// ffprobe: Profile 0 / Profile 1, 320x240.
#include "codec/vp9_config.h"

#include <gtest/gtest.h>

#include "test_vectors.h"

namespace lw::codec {
namespace {

using lw::test::from_hex;

constexpr const char* kVpcc320 = "010000000014820202020000";
constexpr const char* kVpcc444 = "010000000114860202020000";
// The first bytes of vp9_320.ivf's first two frames (key, inter).
constexpr const char* kKeyFrameHead = "824983420013f00ef60638241c184a000d405fcd";
constexpr const char* kInterFrameHead = "86004092f121400000a47f91e46eb3e5f14ab3a8";

TEST(Vp9Config, ParsesFfmpegMp4Records) {
  auto c = parse_vp9_config(as_span(from_hex(kVpcc320)));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->profile, 0);
  EXPECT_EQ(c->level, 20);
  EXPECT_EQ(c->bit_depth, 8);
  EXPECT_EQ(c->chroma_subsampling, 1);
  EXPECT_FALSE(c->full_range);
  EXPECT_EQ(c->codec_string(), "vp09.00.20.08");
  auto c444 = parse_vp9_config(as_span(from_hex(kVpcc444)));
  ASSERT_TRUE(c444.ok());
  EXPECT_EQ(c444->profile, 1);
  EXPECT_EQ(c444->chroma_subsampling, 3);
  EXPECT_EQ(c444->codec_string(), "vp09.01.20.08");
  // The bare 8-byte record (no version and flags) reads the same.
  auto bare = parse_vp9_config(as_span(from_hex("0014820202020000")));
  ASSERT_TRUE(bare.ok()) << bare.status().to_string();
  EXPECT_EQ(*bare, *c);
  auto built = build_vp9_config(*c);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(*built, from_hex(kVpcc320));
}

TEST(Vp9Config, KeyFrameHeaderMakesTheRecordFfmpegWrote) {
  auto k = parse_vp9_frame_header(as_span(from_hex(kKeyFrameHead)));
  ASSERT_TRUE(k.ok()) << k.status().to_string();
  EXPECT_TRUE(k->key_frame);
  EXPECT_TRUE(k->show_frame);
  EXPECT_EQ(k->profile, 0);
  EXPECT_EQ(k->bit_depth, 8);
  EXPECT_EQ(k->width, 320u);
  EXPECT_EQ(k->height, 240u);
  auto built = build_vp9_config(make_vp9_config(*k, 20));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(*built, from_hex(kVpcc320));

  auto inter = parse_vp9_frame_header(as_span(from_hex(kInterFrameHead)));
  ASSERT_TRUE(inter.ok()) << inter.status().to_string();
  EXPECT_FALSE(inter->key_frame);
}

TEST(Vp9Config, LevelFromSizeAndRateAsFfmpeg) {
  EXPECT_EQ(vp9_level_for(320, 240, 25), 20);  // what FFmpeg wrote for vp9_320.mp4
  EXPECT_EQ(vp9_level_for(1280, 720, 30), 31);
  EXPECT_EQ(vp9_level_for(1920, 1080, 60), 41);
  EXPECT_EQ(vp9_level_for(16384, 16384, 30), 0);
}

TEST(Vp9Config, UnknownLevelStillMakesAValidString) {
  Vp9Config c;
  c.level = 0;
  EXPECT_EQ(c.codec_string(), "vp09.00.31.08");
}

TEST(Vp9Config, RefusesWhatIsNotARecord) {
  EXPECT_EQ(parse_vp9_config(as_span(from_hex("01000000"))).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(parse_vp9_config(as_span(from_hex("020000000014820202020000"))).status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(parse_vp9_config(as_span(from_hex("010000000014920202020000"))).status().code(),
            ErrorCode::kInvalid);  // bitDepth 9
  EXPECT_EQ(parse_vp9_frame_header(as_span(from_hex("c2"))).status().code(), ErrorCode::kInvalid);  // marker 3
  const Bytes key = from_hex(kKeyFrameHead);
  for (size_t n = 0; n < 9; ++n) EXPECT_FALSE(parse_vp9_frame_header(ByteSpan(key).first(n)).ok()) << n;
}

}  // namespace
}  // namespace lw::codec
