// PlaySession on the real FLV vectors (tests/vectors/make_vectors.sh): codec strings and sizes from the
// sequence headers, B-frame composition times (pts = dts + cts), decode order kept, any input split.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "play/play_session.h"
#include "test_vectors.h"

namespace lw::play {
namespace {

struct Pulled {
  std::vector<TrackConfig> configs;
  std::vector<MediaPacket> video;  // data views dropped: only the times matter here
  int audio = 0;
};

Pulled play_file(const Bytes& flv, size_t chunk) {
  PlaySession s(PlayConfig{});
  Pulled out;
  for (size_t off = 0; off < flv.size(); off += chunk) {
    s.feed(ByteSpan(flv.data() + off, std::min(chunk, flv.size() - off)), 0);
  }
  s.end_of_input(0);
  TrackConfig c;
  while (s.next_track_config(&c)) out.configs.push_back(c);
  MediaPacket p;
  std::vector<float> pcm(2048, 0.f);
  while (s.next_audio_packet(&p)) {
    ++out.audio;
    s.push_audio(p.pts_us, pcm.data(), 1024, 2, 44100);
  }
  std::vector<float> buf(960);
  for (int64_t now = 0; now < 20'000'000; now += 10'000) {
    s.render_audio(now, buf.data(), 480);
    while (s.next_video_packet(now, &p)) {
      p.data = {};
      out.video.push_back(p);
    }
  }
  return out;
}

TEST(PlaySessionFile, H264AacConfigsAndPackets) {
  const auto flv = lw::test::read_file(lw::test::vectors_dir() + "/h264_aac.flv");
  if (!flv) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  const Pulled a = play_file(*flv, 1 << 20);
  ASSERT_EQ(a.configs.size(), 2u);
  const auto video = std::find_if(a.configs.begin(), a.configs.end(), [](auto& c) { return c.kind == TrackKind::kVideo; });
  const auto audio = std::find_if(a.configs.begin(), a.configs.end(), [](auto& c) { return c.kind == TrackKind::kAudio; });
  ASSERT_NE(video, a.configs.end());
  ASSERT_NE(audio, a.configs.end());
  EXPECT_EQ(video->codec.substr(0, 5), "avc1.");
  EXPECT_EQ(video->decoder, "h264");
  EXPECT_EQ(video->width, 320);
  EXPECT_EQ(video->height, 240);
  EXPECT_EQ(audio->codec, "mp4a.40.2");
  EXPECT_EQ(audio->sample_rate, 44100);
  EXPECT_EQ(audio->channels, 2);
  EXPECT_GT(a.audio, 30);
  ASSERT_GT(a.video.size(), 20u);
  EXPECT_TRUE(a.video.front().key);
  // The same packets for a 7-byte split.
  const Pulled b = play_file(*flv, 7);
  ASSERT_EQ(b.video.size(), a.video.size());
  for (size_t i = 0; i < a.video.size(); ++i) EXPECT_EQ(b.video[i].dts_us, a.video[i].dts_us);
}

TEST(PlaySessionFile, BFramesCarryCompositionTimes) {
  const auto flv = lw::test::read_file(lw::test::vectors_dir() + "/h264_aac_bframes.flv");
  if (!flv) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  const Pulled a = play_file(*flv, 4096);
  ASSERT_GT(a.video.size(), 20u);
  int reordered = 0;
  for (size_t i = 0; i < a.video.size(); ++i) {
    EXPECT_GE(a.video[i].pts_us, a.video[i].dts_us);
    if (i > 0) {
      EXPECT_GT(a.video[i].dts_us, a.video[i - 1].dts_us);  // decode order
      if (a.video[i].pts_us < a.video[i - 1].pts_us) ++reordered;
    }
  }
  EXPECT_GT(reordered, 0);  // B-frames: presentation order differs from decode order
}

}  // namespace
}  // namespace lw::play

namespace lw::play {
namespace {

// netstatus's videoWidth/videoHeight: the sequence header's size until a picture is shown with its size,
// then the shown picture's (AV1 and VP9 records name no size; a picture always has one).
TEST(PlaySessionFile, NetstatusSizeIsThePictureShown) {
  const auto flv = lw::test::read_file(lw::test::vectors_dir() + "/h264_aac.flv");
  if (!flv) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  PlaySession s(PlayConfig{});
  s.feed(as_span(*flv), 0);
  NetStats n = s.net_stats(0);
  EXPECT_EQ(n.video_width, 320);  // from the avcC's SPS
  EXPECT_EQ(n.video_height, 240);
  s.frame_shown(0, 10'000);  // a shell that does not know the size: still the header's
  n = s.net_stats(10'000);
  EXPECT_EQ(n.video_width, 320);
  s.frame_shown(33'333, 43'333, 640, 360);
  n = s.net_stats(43'333);
  EXPECT_EQ(n.video_width, 640);
  EXPECT_EQ(n.video_height, 360);
}

}  // namespace
}  // namespace lw::play
