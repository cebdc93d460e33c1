// The pusher's FLV writer (wasm/core/push/push_muxer.h) read back through the core's demuxer: what a
// connection starts with, the wait for a key frame, reconnects, monotonic timestamps, resolution
// changes, audio-only and Opus.
#include "push/push_muxer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flv_test_util.h"

namespace lw::push {
namespace {

using flv::EventKind;

const Bytes kAvcc1 = {0x01, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1E, 0x01, 0x00, 0x02, 0x68, 0xCE};
const Bytes kAvcc2 = {0x01, 0x42, 0xC0, 0x1F, 0xFF, 0xE1, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F, 0x01, 0x00, 0x02, 0x68, 0xCE};
const Bytes kAsc = {0x11, 0x90};  // AAC LC, 48 kHz, mono
const Bytes kNal = {0x00, 0x00, 0x00, 0x02, 0x65, 0x88};

// "kind:timestamp:detail" per event, detail = seq / key / frame for video, seq / frame for audio.
std::vector<std::string> summary(const Bytes& out) {
  std::vector<std::string> s;
  for (const flv::Event& e : flv::test::demux(as_span(out))) {
    switch (e.kind) {
      case EventKind::kHeader: s.push_back(std::string("header:") + (e.header.has_video ? "v" : "") + (e.header.has_audio ? "a" : "")); break;
      case EventKind::kScript: s.push_back("script:" + e.script.name); break;
      case EventKind::kVideo:
        s.push_back("video:" + std::to_string(e.tag.timestamp_ms) + ":" +
                    (e.video.is_sequence_header() ? "seq" : e.video.key_frame() ? "key" : "frame"));
        break;
      case EventKind::kAudio:
        s.push_back("audio:" + std::to_string(e.tag.timestamp_ms) + ":" + (e.audio.is_sequence_header() ? "seq" : "frame") +
                    (e.audio.enhanced ? ":enhanced" : ""));
        break;
      default: s.push_back("problem:" + e.status.to_string()); break;
    }
  }
  return s;
}

// The last n entries (what one step wrote, after the connection's start).
std::vector<std::string> tail(const std::vector<std::string>& all, size_t n) {
  return {all.end() - static_cast<std::ptrdiff_t>(std::min(n, all.size())), all.end()};
}

TEST(PushMuxer, AConnectionStartsWithHeaderMetadataAndSequenceHeadersThenWaitsForAKeyFrame) {
  PushMuxer mux({});
  Bytes out;
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());
  ASSERT_TRUE(mux.set_audio_config(as_span(kAsc), 48000, 1, out).ok());
  EXPECT_TRUE(out.empty()) << "nothing is written before a connection";
  ASSERT_TRUE(mux.begin_connection(out).ok());
  EXPECT_FALSE(mux.write_video(0, 0, false, as_span(kNal), out).value()) << "a P frame cannot start the stream";
  EXPECT_TRUE(mux.write_video(33, 0, true, as_span(kNal), out).value());
  EXPECT_TRUE(mux.write_video(66, 0, false, as_span(kNal), out).value());
  EXPECT_TRUE(mux.write_audio(40, as_span(kNal), out).value());
  EXPECT_EQ(summary(out), (std::vector<std::string>{"header:va", "script:onMetaData", "video:0:seq", "audio:0:seq",
                                                     "video:33:key", "video:66:frame", "audio:40:frame"}));
  EXPECT_EQ(mux.stats().dropped_video, 1u);
  EXPECT_EQ(mux.stats().video_frames, 2u);
}

TEST(PushMuxer, AReconnectResendsEverythingAndTimestampsGoOn) {
  PushMuxer mux({});
  Bytes first, second;
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, first).ok());
  ASSERT_TRUE(mux.set_audio_config(as_span(kAsc), 48000, 1, first).ok());
  ASSERT_TRUE(mux.begin_connection(first).ok());
  ASSERT_TRUE(mux.write_video(1000, 0, true, as_span(kNal), first).value());
  ASSERT_TRUE(mux.write_audio(1010, as_span(kNal), first).value());
  ASSERT_TRUE(mux.begin_connection(second).ok());
  EXPECT_FALSE(mux.write_video(1100, 0, false, as_span(kNal), second).value());
  EXPECT_TRUE(mux.write_video(1133, 0, true, as_span(kNal), second).value());
  EXPECT_EQ(summary(second), (std::vector<std::string>{"header:va", "script:onMetaData", "video:1000:seq",
                                                        "audio:1010:seq", "video:1133:key"}));
  EXPECT_EQ(mux.stats().connections, 2u);
}

TEST(PushMuxer, ALateFrameIsClampedNeverWrittenEarlier) {
  PushMuxer mux({});
  Bytes out;
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());
  ASSERT_TRUE(mux.set_audio_config(as_span(kAsc), 48000, 1, out).ok());
  ASSERT_TRUE(mux.begin_connection(out).ok());
  ASSERT_TRUE(mux.write_video(500, 0, true, as_span(kNal), out).value());
  ASSERT_TRUE(mux.write_video(480, 0, false, as_span(kNal), out).value());
  ASSERT_TRUE(mux.write_audio(300, as_span(kNal), out).value());
  ASSERT_TRUE(mux.write_audio(290, as_span(kNal), out).value());
  EXPECT_EQ(tail(summary(out), 4), (std::vector<std::string>{"video:500:key", "video:500:frame", "audio:300:frame", "audio:300:frame"}));
}

TEST(PushMuxer, ANewResolutionWritesASequenceHeaderAndNeedsAKeyFrame) {
  PushMuxer mux({});
  Bytes out;
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());
  ASSERT_TRUE(mux.set_audio_config(as_span(kAsc), 48000, 1, out).ok());
  ASSERT_TRUE(mux.begin_connection(out).ok());
  ASSERT_TRUE(mux.write_video(0, 0, true, as_span(kNal), out).value());
  const size_t before = out.size();
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());
  EXPECT_EQ(out.size(), before) << "the same record writes nothing";
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc2), 270, 480, 30, out).ok());
  EXPECT_FALSE(mux.write_video(33, 0, false, as_span(kNal), out).value());
  EXPECT_TRUE(mux.write_video(66, 0, true, as_span(kNal), out).value());
  EXPECT_EQ(tail(summary(out), 4), (std::vector<std::string>{"video:0:key", "script:onMetaData", "video:0:seq", "video:66:key"}));
}

// The onMetaData tags in `out`, as the core's demuxer reads them.
std::vector<std::string> metadata_tags(const Bytes& out) {
  std::vector<std::string> m;
  for (const flv::Event& e : flv::test::demux(as_span(out))) {
    if (e.kind == EventKind::kScript && e.script.name == "onMetaData" && !e.script.values.empty()) {
      m.push_back(amf0::to_string(e.script.values[0]));
    }
  }
  return m;
}

TEST(PushMuxer, MetadataCarriesWhatFfmpegAndObsWrite) {
  PushMuxer mux({.encoder_name = "livewasm test", .video_kbps = 1000, .audio_kbps = 64});
  Bytes out;
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());
  ASSERT_TRUE(mux.set_audio_config(as_span(kAsc), 48000, 1, out).ok());
  ASSERT_TRUE(mux.begin_connection(out).ok());
  EXPECT_EQ(metadata_tags(out), (std::vector<std::string>{
      "ecma{width: 360, height: 640, framerate: 30, videodatarate: 1000, videocodecid: 7, audiodatarate: 64, "
      "audiosamplerate: 48000, audiosamplesize: 16, stereo: false, audiocodecid: 10, encoder: 'livewasm test'}"}));
}

TEST(PushMuxer, AConnectionOpenedBeforeTheFirstPictureGetsItsMetadataWithTheSequenceHeader) {
  // The pusher connects while the encoder has not made its first key frame: the metadata then cannot
  // say the size or the frame rate (players would assume 23.976 fps), so it waits for them.
  PushMuxer mux({});
  Bytes out;
  ASSERT_TRUE(mux.set_audio_config(as_span(kAsc), 48000, 1, out).ok());
  ASSERT_TRUE(mux.begin_connection(out).ok());
  EXPECT_EQ(summary(out), (std::vector<std::string>{"header:va", "audio:0:seq"}));
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());
  ASSERT_TRUE(mux.write_video(0, 0, true, as_span(kNal), out).value());
  EXPECT_EQ(summary(out), (std::vector<std::string>{"header:va", "audio:0:seq", "script:onMetaData", "video:0:seq", "video:0:key"}));
  const auto meta = metadata_tags(out);
  ASSERT_EQ(meta.size(), 1u);
  EXPECT_NE(meta[0].find("width: 360, height: 640, framerate: 30"), std::string::npos) << meta[0];
}

TEST(PushMuxer, ANewResolutionRewritesTheMetadataOnce) {
  PushMuxer mux({});
  Bytes out;
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());
  ASSERT_TRUE(mux.set_audio_config(as_span(kAsc), 48000, 1, out).ok());
  ASSERT_TRUE(mux.begin_connection(out).ok());
  ASSERT_TRUE(mux.write_video(0, 0, true, as_span(kNal), out).value());
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).ok());  // every key frame says it again
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc2), 270, 480, 30, out).ok());
  ASSERT_TRUE(mux.write_video(33, 0, true, as_span(kNal), out).value());
  ASSERT_TRUE(mux.set_avc_config(as_span(kAvcc2), 270, 480, 30, out).ok());
  EXPECT_EQ(tail(summary(out), 4), (std::vector<std::string>{"video:0:key", "script:onMetaData", "video:0:seq", "video:33:key"}));
  const auto meta = metadata_tags(out);
  ASSERT_EQ(meta.size(), 2u);
  EXPECT_NE(meta[1].find("width: 270, height: 480"), std::string::npos) << meta[1];
}

TEST(PushMuxer, AudioOnlyAndOpus) {
  PushMuxer mux({.has_video = false, .audio = AudioKind::kOpus});
  Bytes out;
  const Bytes head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0};
  EXPECT_EQ(mux.set_avc_config(as_span(kAvcc1), 360, 640, 30, out).code(), ErrorCode::kMisuse);
  ASSERT_TRUE(mux.set_audio_config(as_span(head), 48000, 1, out).ok());
  ASSERT_TRUE(mux.begin_connection(out).ok());
  EXPECT_FALSE(mux.write_video(0, 0, true, as_span(kNal), out).value());
  ASSERT_TRUE(mux.write_audio(20, as_span(kNal), out).value());
  EXPECT_EQ(summary(out), (std::vector<std::string>{"header:a", "script:onMetaData", "audio:0:seq:enhanced",
                                                     "audio:20:frame:enhanced"}));
  PushMuxer silent({.has_video = true, .audio = AudioKind::kNone});
  EXPECT_EQ(silent.set_audio_config(as_span(kAsc), 48000, 1, out).code(), ErrorCode::kMisuse);
}

}  // namespace
}  // namespace lw::push
