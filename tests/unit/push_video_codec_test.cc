// video-codec (issue 19): the pusher's session and muxer with a browser encoder's AV1, VP9 and HEVC
// output, read back through the core's demuxer: Enhanced RTMP tags ('av01', 'vp09', 'hvc1'), the record
// the sequence start carries (the encoder's, or made from the key frame when the encoder gives none, as
// Chromium's AV1 and VP9 encoders do), AV1 temporal delimiters left out, onMetaData's FourCC
// videocodecid, the fallback to H.264 before the push begins and not after.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flv_test_util.h"
#include "codec/vp9_config.h"
#include "push/coded_video.h"
#include "push/push_session.h"
#include "test_vectors.h"

namespace lw::push {
namespace {

using flv::EventKind;
using lw::test::from_hex;

// AV1: the 320x240 stream of tests/unit/av1_config_test.cc (libaom via Debian's ffmpeg 5.1): Temporal
// Delimiter, Sequence Header OBU, then a 3-byte OBU_FRAME standing for the picture; its av1C as FFmpeg's
// MP4 muxer wrote it.
constexpr const char* kAv1KeyUnit = "1200" "0a0b000000043cffbcdaf90040" "3203100000";
constexpr const char* kAv1InterUnit = "1200" "3203300380";
constexpr const char* kAv1c320 = "81000c000a0b000000043cffbcdaf90040";
// VP9: the first bytes of a libvpx key frame, 320x240 profile 0 (tests/unit/vp9_config_test.cc).
constexpr const char* kVp9Key = "824983420013f00ef60638241c184a000d405fcd";

struct Written {
  std::vector<std::string> video;  // "seq" / "key" / "frame" with the FourCC
  std::vector<Bytes> payloads;
  double videocodecid = -1;
};

Written read_back(const Bytes& out) {
  Written w;
  for (const flv::Event& e : flv::test::demux(as_span(out))) {
    if (e.kind == EventKind::kScript && e.script.name == "onMetaData" && !e.script.values.empty()) {
      w.videocodecid = e.script.values[0].number_or("videocodecid", -1);
    }
    if (e.kind != EventKind::kVideo) continue;
    const std::string kind = e.video.is_sequence_header() ? "seq" : e.video.key_frame() ? "key" : "frame";
    w.video.push_back(kind + ":" + (e.video.enhanced ? flv::fourcc_to_string(e.video.fourcc) : "legacy" + std::to_string(e.video.codec_id)));
    const ByteSpan p = e.payload();
    w.payloads.emplace_back(p.begin(), p.end());
  }
  return w;
}

void open_session(PushSession& s, VideoKind kind) {
  PushSessionConfig c;
  c.video_codec = kind;
  c.audio = AudioKind::kNone;
  ASSERT_TRUE(s.open(c).ok());
}

TEST(PushVideoCodec, Av1FromAnEncoderWithoutARecordIsEnhancedRtmpWithTheAv1cOfItsKeyFrame) {
  PushSession s;
  open_session(s, VideoKind::kAv1);
  ASSERT_TRUE(s.begin_connection(0).ok());
  const Bytes key = from_hex(kAv1KeyUnit), inter = from_hex(kAv1InterUnit);
  ASSERT_TRUE(s.write_encoded_video(as_span(key), true, 0, {}).ok());
  ASSERT_TRUE(s.write_encoded_video(as_span(inter), false, 33, {}).ok());
  const Written w = read_back(s.output());
  EXPECT_EQ(w.video, (std::vector<std::string>{"seq:av01", "key:av01", "frame:av01"}));
  ASSERT_EQ(w.payloads.size(), 3u);
  EXPECT_EQ(w.payloads[0], from_hex(kAv1c320)) << "av1C made from the Sequence Header OBU";
  EXPECT_EQ(w.payloads[1], from_hex("0a0b000000043cffbcdaf90040" "3203100000")) << "no temporal delimiter";
  EXPECT_EQ(w.payloads[2], from_hex("3203300380"));
  EXPECT_EQ(w.videocodecid, double(flv::fourcc("av01")));
}

TEST(PushVideoCodec, TheEncodersOwnRecordWinsAndARecordIsNotWrittenTwice) {
  PushSession s;
  open_session(s, VideoKind::kAv1);
  ASSERT_TRUE(s.begin_connection(0).ok());
  const Bytes key = from_hex(kAv1KeyUnit), av1c = from_hex(kAv1c320);
  ASSERT_TRUE(s.write_encoded_video(as_span(key), true, 0, as_span(av1c)).ok());
  ASSERT_TRUE(s.write_encoded_video(as_span(key), true, 1000, {}).ok());
  const Written w = read_back(s.output());
  EXPECT_EQ(w.video, (std::vector<std::string>{"seq:av01", "key:av01", "key:av01"}));
}

TEST(PushVideoCodec, AnAv1KeyFrameWithoutASequenceHeaderIsAnError) {
  PushSession s;
  open_session(s, VideoKind::kAv1);
  ASSERT_TRUE(s.begin_connection(0).ok());
  const Bytes inter = from_hex("1200" "3203100000");
  const Status st = s.write_encoded_video(as_span(inter), true, 0, {});
  EXPECT_EQ(st.code(), ErrorCode::kInvalid) << st.to_string();
}

TEST(PushVideoCodec, Vp9RecordComesFromTheKeyFramesHeader) {
  PushSession s;
  open_session(s, VideoKind::kVp9);
  ASSERT_TRUE(s.begin_connection(0).ok());
  const Bytes key = from_hex(kVp9Key);
  ASSERT_TRUE(s.write_encoded_video(as_span(key), true, 0, {}).ok());
  const Written w = read_back(s.output());
  EXPECT_EQ(w.video, (std::vector<std::string>{"seq:vp09", "key:vp09"}));
  ASSERT_EQ(w.payloads.size(), 2u);
  auto vpcc = codec::parse_vp9_config(as_span(w.payloads[0]));
  ASSERT_TRUE(vpcc.ok()) << vpcc.status().to_string();
  EXPECT_EQ(vpcc->profile, 0);
  EXPECT_EQ(vpcc->bit_depth, 8);
  EXPECT_EQ(w.payloads[1], key);
}

TEST(PushVideoCodec, HevcTakesTheEncodersHvccAndNeedsIt) {
  PushSession s;
  open_session(s, VideoKind::kHevc);
  ASSERT_TRUE(s.begin_connection(0).ok());
  const Bytes frame = {0x00, 0x00, 0x00, 0x03, 0x26, 0x01, 0xAF};
  EXPECT_EQ(s.write_encoded_video(as_span(frame), true, 0, {}).code(), ErrorCode::kOk)
      << "no record yet: the frame waits (nothing written)";
  const Bytes hvcc = {0x01, 0x01, 0x60, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5D, 0xF0, 0x00, 0xFC,
                      0xFD, 0xF8, 0xF8, 0x00, 0x00, 0x0F, 0x00};
  ASSERT_TRUE(s.write_encoded_video(as_span(frame), true, 33, as_span(hvcc)).ok());
  const Written w = read_back(s.output());
  EXPECT_EQ(w.video, (std::vector<std::string>{"seq:hvc1", "key:hvc1"}));
  EXPECT_EQ(w.payloads[0], hvcc);
  EXPECT_EQ(w.videocodecid, double(flv::fourcc("hvc1")));
  EXPECT_EQ(record_from_key_frame(VideoKind::kHevc, as_span(frame), 640, 360, 30).status().code(), ErrorCode::kUnsupported);
}

TEST(PushVideoCodec, FallsBackToLegacyH264BeforeTheFirstRecordNotAfter) {
  PushSession s;
  open_session(s, VideoKind::kAv1);
  ASSERT_TRUE(s.fall_back_to_h264().ok());
  EXPECT_EQ(s.video_codec(), VideoKind::kH264);
  ASSERT_TRUE(s.begin_connection(0).ok());
  const Bytes avcc = {0x01, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1E, 0x01, 0x00, 0x02, 0x68, 0xCE};
  const Bytes nal = {0x00, 0x00, 0x00, 0x02, 0x65, 0x88};
  ASSERT_TRUE(s.write_encoded_video(as_span(nal), true, 0, as_span(avcc)).ok());
  const Written w = read_back(s.output());
  EXPECT_EQ(w.video, (std::vector<std::string>{"seq:legacy7", "key:legacy7"}));
  EXPECT_EQ(w.videocodecid, 7);

  // Connected but no frame yet (an encoder that failed on its first picture): the stream can still be H.264.
  PushSession connected;
  open_session(connected, VideoKind::kHevc);
  ASSERT_TRUE(connected.begin_connection(0).ok());
  ASSERT_TRUE(connected.fall_back_to_h264().ok());
  ASSERT_TRUE(connected.write_encoded_video(as_span(nal), true, 0, as_span(avcc)).ok());
  EXPECT_EQ(read_back(connected.output()).video, (std::vector<std::string>{"seq:legacy7", "key:legacy7"}));

  PushSession late;
  open_session(late, VideoKind::kAv1);
  ASSERT_TRUE(late.begin_connection(0).ok());
  const Bytes key = from_hex(kAv1KeyUnit);
  ASSERT_TRUE(late.write_encoded_video(as_span(key), true, 0, {}).ok());
  EXPECT_EQ(late.fall_back_to_h264().code(), ErrorCode::kMisuse) << "a stream never changes codec mid-way";
  EXPECT_EQ(late.video_codec(), VideoKind::kAv1);
}

TEST(PushVideoCodec, AReconnectRepeatsTheEnhancedSequenceStart) {
  PushSession s;
  open_session(s, VideoKind::kAv1);
  ASSERT_TRUE(s.begin_connection(0).ok());
  const Bytes key = from_hex(kAv1KeyUnit);
  ASSERT_TRUE(s.write_encoded_video(as_span(key), true, 0, {}).ok());
  s.clear_output();
  ASSERT_TRUE(s.begin_connection(500).ok());
  ASSERT_TRUE(s.write_encoded_video(as_span(key), true, 1000, {}).ok());
  const Written w = read_back(s.output());
  EXPECT_EQ(w.video, (std::vector<std::string>{"seq:av01", "key:av01"}));
  EXPECT_EQ(w.payloads[0], from_hex(kAv1c320));
}

TEST(PushVideoCodec, AttributeNames) {
  VideoKind k = VideoKind::kH264;
  for (const char* name : {"h264", "hevc", "av1", "vp9"}) {
    ASSERT_TRUE(parse_video_kind(name, &k)) << name;
    EXPECT_STREQ(video_kind_name(k), name);
  }
  EXPECT_FALSE(parse_video_kind("vp8", &k));
  EXPECT_FALSE(parse_video_kind("AV1", &k)) << "the page lower-cases; the core takes the canonical names";
}

}  // namespace
}  // namespace lw::push
