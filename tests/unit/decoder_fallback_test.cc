// When the browser's decoder fails (wasm/core/play/decoder_fallback.h): a retry or wasm from now on, and the
// code the page sees, through PlaySession as the worker drives it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "play/decoder_fallback.h"
#include "play/play_session.h"

namespace lw::play {
namespace {

std::vector<Notice> notices(PlaySession& s) {
  std::vector<Notice> out;
  Notice n;
  while (s.next_notice(&n)) out.push_back(n);
  return out;
}

TEST(DecoderFallback, VideoRetriesOnceThenFallsBackWithoutAPictureBetween) {
  DecoderFallback f(true);
  EXPECT_EQ(f.on_failure(false), DecoderVerdict::kRetry);     // a damaged packet: the stream's fault
  EXPECT_EQ(f.on_failure(false), DecoderVerdict::kFallBack);  // again, no picture since: the decoder's
  EXPECT_TRUE(f.fell_back());
  EXPECT_EQ(f.on_failure(false), DecoderVerdict::kFallBack);  // and it stays in wasm
}

TEST(DecoderFallback, APictureForgivesTheFailuresBefore) {
  DecoderFallback f(true);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(f.on_failure(false), DecoderVerdict::kRetry) << i;
    f.on_output();
  }
  EXPECT_FALSE(f.fell_back());
}

TEST(DecoderFallback, ARefusedPacketFallsBackAtOnce) {
  DecoderFallback f(true);
  EXPECT_EQ(f.on_failure(true), DecoderVerdict::kFallBack);
}

TEST(DecoderFallback, AudioFallsBackOnTheFirstFailure) {
  DecoderFallback f(false);
  EXPECT_EQ(f.on_failure(false), DecoderVerdict::kFallBack);
  EXPECT_TRUE(f.fell_back());
}

TEST(DecoderFallback, TheSessionRaises2101Then2106) {
  PlaySession s(PlayConfig{});
  notices(s);
  EXPECT_EQ(s.report_browser_decoder_failure(TrackKind::kVideo, 1000, false, "WebCodecs VideoDecoder: bad"), DecoderVerdict::kRetry);
  std::vector<Notice> n = notices(s);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].code, 2101);
  EXPECT_NE(n[0].message.find("WebCodecs VideoDecoder: bad"), std::string::npos) << n[0].message;

  EXPECT_EQ(s.report_browser_decoder_failure(TrackKind::kVideo, 2000, false, "WebCodecs VideoDecoder: bad again"),
            DecoderVerdict::kFallBack);
  n = notices(s);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].code, 2106);
  EXPECT_NE(n[0].message.find("software decoding (FFmpeg in wasm)"), std::string::npos) << n[0].message;
}

TEST(DecoderFallback, TheSessionForgivesAfterAPicture) {
  PlaySession s(PlayConfig{});
  notices(s);
  EXPECT_EQ(s.report_browser_decoder_failure(TrackKind::kVideo, 1000, false, "x"), DecoderVerdict::kRetry);
  s.browser_decoder_output(TrackKind::kVideo);
  EXPECT_EQ(s.report_browser_decoder_failure(TrackKind::kVideo, 2000, false, "x"), DecoderVerdict::kRetry);
  for (const Notice& n : notices(s)) EXPECT_EQ(n.code, 2101);
}

TEST(DecoderFallback, TheSessionTellsAudioFailuresWith2102AndNo2106) {
  PlaySession s(PlayConfig{});
  notices(s);
  EXPECT_EQ(s.report_browser_decoder_failure(TrackKind::kAudio, 1000, false, "WebCodecs AudioDecoder failed: x"),
            DecoderVerdict::kFallBack);
  std::vector<Notice> n = notices(s);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].code, 2102);
}

TEST(DecoderFallback, AnUnavailableVideoDecoderThePageAskedForIs2106) {
  PlaySession s(PlayConfig{});
  notices(s);
  s.report_browser_decoder_unavailable(TrackKind::kVideo, "hvc1.1.6.L93.B0");
  std::vector<Notice> n = notices(s);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].code, 2106);
  EXPECT_NE(n[0].message.find("hvc1.1.6.L93.B0"), std::string::npos);
  s.report_browser_decoder_unavailable(TrackKind::kAudio, "mp3");
  EXPECT_TRUE(notices(s).empty());
}

}  // namespace
}  // namespace lw::play
