// make_video_config for Enhanced RTMP 'av01' and 'vp09' sequence starts (the records FFmpeg 5.1 wrote,
// av1_config_test.cc / vp9_config_test.cc): the WebCodecs codec string and the wasm decoder's name; a
// broken record configures nothing.
#include <gtest/gtest.h>

#include "play/track_config.h"
#include "test_vectors.h"

namespace lw::play {
namespace {

using lw::test::from_hex;

TEST(TrackConfigAv1Vp9, Av1RecordNamesCodecAndSize) {
  TrackConfig c;
  const Bytes av1c = from_hex("81000c000a0b000000043cffbcdaf90040");
  ASSERT_TRUE(make_video_config(flv::VideoCodec::kAv1, as_span(av1c), &c));
  EXPECT_EQ(c.codec, "av01.0.00M.08");
  EXPECT_EQ(c.decoder, "av1");
  // The size stays 0 (track_config.cc: the sequence header is not parsed in the player's module).
  EXPECT_EQ(c.width, 0);
  EXPECT_EQ(c.description, av1c);
}

TEST(TrackConfigAv1Vp9, Vp9RecordNamesCodec) {
  TrackConfig c;
  ASSERT_TRUE(make_video_config(flv::VideoCodec::kVp9, as_span(from_hex("010000000014820202020000")), &c));
  EXPECT_EQ(c.codec, "vp09.00.20.08");
  EXPECT_EQ(c.decoder, "vp9");
}

TEST(TrackConfigAv1Vp9, BrokenRecordsConfigureNothing) {
  TrackConfig c;
  EXPECT_FALSE(make_video_config(flv::VideoCodec::kAv1, as_span(from_hex("0100")), &c));
  EXPECT_FALSE(make_video_config(flv::VideoCodec::kVp9, as_span(from_hex("0100")), &c));
  EXPECT_FALSE(make_video_config(flv::VideoCodec::kVp9, as_span(from_hex("010000000014920202020000")), &c));  // 9-bit
  EXPECT_FALSE(make_video_config(flv::VideoCodec::kVvc, as_span(from_hex("01020304")), &c));
}

}  // namespace
}  // namespace lw::play
