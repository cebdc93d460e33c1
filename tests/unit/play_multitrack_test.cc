// Enhanced RTMP v2 Multitrack in the player core: the default track plays, the list is reported, a
// chosen video track starts at its next key frame (the old one plays until then), audio at its next
// packet, a track that stops arriving is said and replaced. Simulated streams (play_trace.h).
#include <gtest/gtest.h>

#include <algorithm>

#include "play/track_select.h"
#include "play_trace.h"

namespace lw::play::test {
namespace {

TraceConfig two_by_two() {
  TraceConfig c;
  c.video_tracks = 2;
  c.audio_tracks = 2;
  c.gop_frames = 60;
  return c;
}

std::vector<DecodedPacket> of_kind(const std::vector<DecodedPacket>& all, TrackKind kind) {
  std::vector<DecodedPacket> out;
  for (const auto& p : all) {
    if (p.kind == kind) out.push_back(p);
  }
  return out;
}

int count_events(const std::vector<TrackEvent>& events, TrackEvent::Type type) {
  return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const TrackEvent& e) { return e.type == type; }));
}

TEST(PlayMultitrack, TrackZeroPlaysAndEveryTrackIsListed) {
  TraceRun run(two_by_two());
  run.run_until(5'000'000);
  const auto video = of_kind(run.decoded_packets(), TrackKind::kVideo);
  const auto audio = of_kind(run.decoded_packets(), TrackKind::kAudio);
  ASSERT_GT(video.size(), 60u);
  ASSERT_GT(audio.size(), 100u);
  for (const auto& p : video) ASSERT_EQ(p.track, 0) << "pts " << p.pts_us;
  for (const auto& p : audio) ASSERT_EQ(p.track, 0) << "pts " << p.pts_us;
  ASSERT_EQ(run.configs().size(), 2u);  // one video, one audio: the other tracks' are kept, not used
  EXPECT_EQ(run.configs()[0].width, 640);
  EXPECT_EQ(run.configs()[1].channels, 2);
  const auto tracks = run.session().tracks();
  ASSERT_EQ(tracks.size(), 4u);
  EXPECT_EQ(tracks[0].kind, TrackKind::kVideo);
  EXPECT_EQ(tracks[0].id, 0);
  EXPECT_TRUE(tracks[0].selected);
  EXPECT_EQ(tracks[0].width, 640);
  EXPECT_EQ(tracks[0].height, 360);
  EXPECT_EQ(tracks[1].id, 1);
  EXPECT_FALSE(tracks[1].selected);
  EXPECT_EQ(tracks[1].width, 1280);
  EXPECT_EQ(tracks[1].height, 720);
  EXPECT_EQ(tracks[1].codec.rfind("avc1.", 0), 0u) << tracks[1].codec;
  EXPECT_EQ(tracks[3].kind, TrackKind::kAudio);
  EXPECT_EQ(tracks[3].codec, "mp4a.40.2");
  EXPECT_GE(count_events(run.track_events(), TrackEvent::Type::kList), 4);
  EXPECT_EQ(count_events(run.track_events(), TrackEvent::Type::kSwitched), 0);
  EXPECT_GT(run.shown(), 100);
}

TEST(PlayMultitrack, VideoSwitchWaitsForTheNewTracksKeyFrameAndStaysInOrder) {
  TraceConfig c = two_by_two();
  c.track_key_shift = 15;  // track 1's key frames come 0.5 s after track 0's
  TraceRun run(c);
  run.run_until(3'000'000);
  ASSERT_TRUE(run.session().select_track(TrackKind::kVideo, 1).ok());
  const size_t before = of_kind(run.decoded_packets(), TrackKind::kVideo).size();
  run.run_until(8'000'000);
  const auto video = of_kind(run.decoded_packets(), TrackKind::kVideo);
  size_t first1 = video.size();
  for (size_t i = 0; i < video.size(); ++i) {
    if (video[i].track == 1) {
      first1 = i;
      break;
    }
  }
  ASSERT_LT(first1, video.size()) << "never switched";
  EXPECT_GT(first1, before) << "track 0 kept playing until track 1's key frame";
  EXPECT_TRUE(video[first1].key);
  for (size_t i = first1; i < video.size(); ++i) ASSERT_EQ(video[i].track, 1) << "packet " << i;
  for (size_t i = 1; i < video.size(); ++i) ASSERT_GT(video[i].pts_us, video[i - 1].pts_us) << "packet " << i;
  // Seamless: the new track's first picture is the frame after the old track's last.
  EXPECT_NEAR(double(video[first1].pts_us - video[first1 - 1].pts_us), 33'333, 1'000);
  ASSERT_EQ(run.configs().size(), 3u);
  EXPECT_EQ(run.configs()[2].width, 1280);
  EXPECT_EQ(video[first1].generation, run.configs()[2].generation);
  EXPECT_EQ(count_events(run.track_events(), TrackEvent::Type::kSwitched), 1);
  const auto tracks = run.session().tracks();
  EXPECT_TRUE(tracks[1].selected);
  EXPECT_FALSE(tracks[0].selected);
}

TEST(PlayMultitrack, VideoSwitchOnAlignedKeyFramesDropsTheOldTracksTwin) {
  TraceRun run(two_by_two());  // both tracks' key frames in the same ManyTracks tags
  run.run_until(2'500'000);
  ASSERT_TRUE(run.session().select_track(TrackKind::kVideo, 1).ok());
  run.run_until(6'000'000);
  const auto video = of_kind(run.decoded_packets(), TrackKind::kVideo);
  for (size_t i = 1; i < video.size(); ++i) ASSERT_GT(video[i].pts_us, video[i - 1].pts_us) << "packet " << i;
  EXPECT_EQ(video.back().track, 1);
}

TEST(PlayMultitrack, AudioSwitchesAtTheNextPacket) {
  TraceRun run(two_by_two());
  run.run_until(3'000'000);
  const size_t before = of_kind(run.decoded_packets(), TrackKind::kAudio).size();
  ASSERT_TRUE(run.session().select_track(TrackKind::kAudio, 1).ok());
  run.run_until(4'000'000);
  const auto audio = of_kind(run.decoded_packets(), TrackKind::kAudio);
  ASSERT_GT(audio.size(), before + 10);
  // The next packet handed out after the choice is track 1's (at most the ones already stored before).
  size_t first1 = audio.size();
  for (size_t i = before; i < audio.size(); ++i) {
    if (audio[i].track == 1) {
      first1 = i;
      break;
    }
  }
  ASSERT_LT(first1, audio.size());
  EXPECT_LE(first1 - before, 1u);
  for (size_t i = first1; i < audio.size(); ++i) ASSERT_EQ(audio[i].track, 1);
  for (size_t i = 1; i < audio.size(); ++i) ASSERT_GT(audio[i].pts_us, audio[i - 1].pts_us) << "packet " << i;
  ASSERT_EQ(run.configs().size(), 3u);
  EXPECT_EQ(run.configs()[2].kind, TrackKind::kAudio);
  EXPECT_EQ(run.configs()[2].channels, 1);
  // Video stayed on track 0.
  for (const auto& p : of_kind(run.decoded_packets(), TrackKind::kVideo)) ASSERT_EQ(p.track, 0);
}

TEST(PlayMultitrack, ChoosingATrackNotInTheStreamFailsNamingTheTracks) {
  TraceRun run(two_by_two());
  run.run_until(1'000'000);
  const Status s = run.session().select_track(TrackKind::kVideo, 5);
  EXPECT_EQ(s.code(), ErrorCode::kInvalid);
  EXPECT_NE(s.reason().find("no video track 5 in the stream (tracks: 0, 1)"), std::string::npos) << s.reason();
}

TEST(PlayMultitrack, APlayingTrackThatStopsIsSaidAndTheDefaultTakesOver) {
  TraceConfig c = two_by_two();
  c.track_key_shift = 15;
  c.track_stop_us = {-1, 5'000'000};  // video and audio track 1 stop at 5 s
  TraceRun run(c);
  run.run_until(2'000'000);
  ASSERT_TRUE(run.session().select_track(TrackKind::kVideo, 1).ok());
  run.run_until(12'000'000);
  const auto video = of_kind(run.decoded_packets(), TrackKind::kVideo);
  ASSERT_EQ(count_events(run.track_events(), TrackEvent::Type::kGone), 1);
  const auto gone = std::find_if(run.track_events().begin(), run.track_events().end(),
                                 [](const TrackEvent& e) { return e.type == TrackEvent::Type::kGone; });
  EXPECT_EQ(gone->id, 1);
  EXPECT_EQ(gone->kind, TrackKind::kVideo);
  EXPECT_NE(gone->message.find("video track 1 stopped arriving"), std::string::npos) << gone->message;
  EXPECT_EQ(video.back().track, 0);
  for (size_t i = 1; i < video.size(); ++i) ASSERT_GT(video[i].pts_us, video[i - 1].pts_us) << "packet " << i;
  const auto tracks = run.session().tracks();
  ASSERT_EQ(tracks.size(), 3u);  // the gone video track left the list
  EXPECT_TRUE(tracks[0].selected);
  // Pictures went on: track 0 from its first key frame after the 1.5 s that tell the track is gone.
  const auto resumed = std::find_if(video.begin(), video.end(), [](const DecodedPacket& p) { return p.pts_us > 5'000'000 && p.track == 0; });
  ASSERT_NE(resumed, video.end());
  EXPECT_TRUE(resumed->key);
  EXPECT_LE(resumed->pts_us, 6'500'000 + 2'000'000);  // detection + at most one GOP
  EXPECT_GT(run.shown(), 200) << run.shown();  // 242 here: 5 s to 8 s without pictures (detection, key frame)
}

TEST(PlayMultitrack, APlainStreamIsTrackZeroOfEachKind) {
  TraceRun run(TraceConfig{});
  run.run_until(2'000'000);
  const auto tracks = run.session().tracks();
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].id, 0);
  EXPECT_TRUE(tracks[0].selected);
  EXPECT_EQ(tracks[0].width, 640);
  EXPECT_EQ(tracks[1].kind, TrackKind::kAudio);
  EXPECT_TRUE(tracks[1].selected);
}

}  // namespace
}  // namespace lw::play::test

namespace lw::play {
namespace {

// TrackSelect alone: the verdicts packet by packet.
TEST(TrackSelect, AReconnectDoesNotMakeThePlayingTrackLookGone) {
  TrackSelect s;
  s.seen(TrackKind::kVideo, 0, "avc", 0);
  s.seen(TrackKind::kVideo, 1, "avc", 0);
  ASSERT_TRUE(s.select(TrackKind::kVideo, 1).ok());
  EXPECT_EQ(s.on_packet(TrackKind::kVideo, 1, 0, true), TrackSelect::Verdict::kSwitch);
  EXPECT_EQ(s.on_packet(TrackKind::kVideo, 0, 40'000, true), TrackSelect::Verdict::kSkip);
  s.restart();
  // The new connection's timestamps go on 60 s later; track 0 comes first in each tag.
  s.seen(TrackKind::kVideo, 0, "avc", 60'000'000);
  EXPECT_EQ(s.on_packet(TrackKind::kVideo, 0, 60'000'000, true), TrackSelect::Verdict::kSkip);
  s.seen(TrackKind::kVideo, 1, "avc", 60'000'000);
  EXPECT_EQ(s.on_packet(TrackKind::kVideo, 1, 60'000'000, true), TrackSelect::Verdict::kPlay);
  TrackEvent e;
  while (s.next_event(&e)) EXPECT_NE(e.type, TrackEvent::Type::kGone) << e.message;
  // Track 1 silent for longer than kGoneUs after that: gone, back to track 0 at its next switch point.
  s.seen(TrackKind::kVideo, 0, "avc", 61'600'000);
  EXPECT_EQ(s.on_packet(TrackKind::kVideo, 0, 61'600'000, false), TrackSelect::Verdict::kSkip);
  s.seen(TrackKind::kVideo, 0, "avc", 61'640'000);
  EXPECT_EQ(s.on_packet(TrackKind::kVideo, 0, 61'640'000, true), TrackSelect::Verdict::kSwitch);
  bool gone = false;
  while (s.next_event(&e)) gone = gone || (e.type == TrackEvent::Type::kGone && e.id == 1);
  EXPECT_TRUE(gone);
}

TEST(TrackSelect, ALowerIdSeenLaterBecomesTheDefault) {
  TrackSelect s;
  s.seen(TrackKind::kAudio, 2, "aac", 0);
  EXPECT_EQ(s.on_packet(TrackKind::kAudio, 2, 0, true), TrackSelect::Verdict::kPlay);
  s.seen(TrackKind::kAudio, 1, "aac", 23'000);
  EXPECT_EQ(s.on_packet(TrackKind::kAudio, 1, 23'000, true), TrackSelect::Verdict::kSwitch);
  EXPECT_EQ(s.on_packet(TrackKind::kAudio, 2, 23'000, true), TrackSelect::Verdict::kSkip);
  // A page's choice is kept: a lower id appearing later does not override it.
  ASSERT_TRUE(s.select(TrackKind::kAudio, 2).ok());
  EXPECT_EQ(s.on_packet(TrackKind::kAudio, 2, 46'000, true), TrackSelect::Verdict::kSwitch);
  s.seen(TrackKind::kAudio, 0, "aac", 69'000);
  EXPECT_EQ(s.on_packet(TrackKind::kAudio, 0, 69'000, true), TrackSelect::Verdict::kSkip);
  EXPECT_EQ(s.on_packet(TrackKind::kAudio, 2, 69'000, true), TrackSelect::Verdict::kPlay);
}

}  // namespace
}  // namespace lw::play

namespace lw::play {
namespace {

TEST(TrackSelect, AChosenTrackThatGoesAwayBeforeItsKeyFrameIsSaidAndThePlayingOneStays) {
  TrackSelect s;
  s.seen(TrackKind::kVideo, 0, "avc", 0);
  s.seen(TrackKind::kVideo, 1, "avc", 0);
  ASSERT_TRUE(s.select(TrackKind::kVideo, 1).ok());
  EXPECT_EQ(s.on_packet(TrackKind::kVideo, 1, 0, false), TrackSelect::Verdict::kSkip);  // not a key frame
  for (int64_t t = 40'000; t <= 2'000'000; t += 40'000) {
    s.seen(TrackKind::kVideo, 0, "avc", t);
    ASSERT_EQ(s.on_packet(TrackKind::kVideo, 0, t, false), TrackSelect::Verdict::kPlay) << t;
  }
  TrackEvent e, gone;
  while (s.next_event(&e)) {
    if (e.type == TrackEvent::Type::kGone) gone = e;
  }
  EXPECT_EQ(gone.type, TrackEvent::Type::kGone);
  EXPECT_EQ(gone.id, 1);
  EXPECT_NE(gone.message.find("video track 1 (chosen) stopped arriving"), std::string::npos) << gone.message;
  EXPECT_NE(gone.message.find("staying on track 0"), std::string::npos) << gone.message;
  const auto tracks = s.tracks();
  ASSERT_EQ(tracks.size(), 1u);
  EXPECT_TRUE(tracks[0].selected);
  EXPECT_FALSE(tracks[0].pending);
}

}  // namespace
}  // namespace lw::play
