// A video codec the player does not decode, from bytes Debian's ffmpeg wrote (Sorenson H.263, FLV
// CodecID 2; Screen Video, 3; both with AAC): the session says so once (2101, naming the codec), hands
// out no video configuration and no video packet, and plays the sound, which begins the play (2004).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/bytes.h"
#include "flv/flv_tag.h"
#include "play/play_session.h"
#include "play/track_config.h"
#include "test_vectors.h"

namespace lw {
namespace {

class UnsupportedVideo : public testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(UnsupportedVideo, ReportedOnceSoundPlaysOn) {
  const auto flv = test::read_file(test::vectors_dir() + "/" + GetParam().first + ".flv");
  if (!flv) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  play::PlaySession s(play::PlayConfig{});
  s.feed(as_span(*flv), 0);
  s.end_of_input(0);

  std::vector<play::TrackConfig> configs;
  play::TrackConfig c;
  while (s.next_track_config(&c)) configs.push_back(c);
  ASSERT_EQ(configs.size(), 1u);
  EXPECT_EQ(configs[0].kind, play::TrackKind::kAudio) << "the AAC track alone";
  play::MediaPacket p;
  EXPECT_FALSE(s.next_video_packet(0, &p)) << "no video packet for a codec not decoded";

  // The sound, as a decoder would give it (silence is enough: the clock runs on it).
  int audio_packets = 0;
  std::vector<float> pcm(1024 * 2, 0.0f);
  while (s.next_audio_packet(&p)) {
    ++audio_packets;
    s.push_audio(p.pts_us, pcm.data(), 1024, 2, 44100);
  }
  EXPECT_GT(audio_packets, 60);  // 2 s of AAC at 44.1 kHz
  std::vector<float> out(2 * 480);
  for (int64_t now = 0; now < 2'500'000; now += 10'000) {
    s.render_audio(now, out.data(), 480);
    s.set_played_frames((now / 10'000 + 1) * 480, now);
  }

  int reports = 0, began = 0;
  play::Notice n;
  while (s.next_notice(&n)) {
    if (n.code == 2004) ++began;
    if (n.code != 2101) continue;
    ++reports;
    EXPECT_NE(n.message.find(GetParam().second), std::string::npos) << n.message;
    EXPECT_NE(n.message.find("not supported"), std::string::npos) << n.message;
  }
  EXPECT_EQ(reports, 1) << "said once, not per frame";
  EXPECT_EQ(began, 1) << "the sound begins the play";
}

INSTANTIATE_TEST_SUITE_P(Ffmpeg, UnsupportedVideo,
                         testing::Values(std::pair{"h263_aac", "Sorenson H.263 (FLV CodecID 2)"},
                                         std::pair{"flashsv_aac", "Screen Video (FLV CodecID 3)"}),
                         [](const auto& info) { return std::string(info.param.first); });

TEST(UnsupportedVideoName, EnhancedFourCcsAreNamedByTheirCode) {
  flv::VideoTagHeader h;
  h.enhanced = true;
  h.fourcc = flv::fourcc("vp08");
  EXPECT_EQ(play::unsupported_video_name(h), "'vp08' (Enhanced RTMP video FourCC)");
  flv::VideoTagHeader legacy;
  legacy.codec_id = 4;
  legacy.codec = flv::video_codec_from_legacy_id(4);
  EXPECT_EQ(play::unsupported_video_name(legacy), "On2 VP6 (FLV CodecID 4)");
}

}  // namespace
}  // namespace lw
