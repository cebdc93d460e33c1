// Audio/video tag headers, legacy and Enhanced RTMP, from literal wire bytes (FLV spec v10 E.4.2/E.4.3;
// veovera enhanced-rtmp v2 "Enhanced Audio"/"Enhanced Video").
#include "flv/flv_tag_header.h"

#include <gtest/gtest.h>

#include "base/byte_writer.h"

namespace lw::flv {
namespace {

Bytes write(const VideoTagHeader& h) {
  Bytes out;
  ByteWriter w(&out);
  EXPECT_TRUE(write_video_tag_header(h, w).ok());
  return out;
}

Bytes write(const AudioTagHeader& h) {
  Bytes out;
  ByteWriter w(&out);
  EXPECT_TRUE(write_audio_tag_header(h, w).ok());
  return out;
}

// Parses `body`, checks that writing the parsed header gives back the header bytes.
VideoTagHeader video(const Bytes& body) {
  auto h = parse_video_tag_header(body);
  EXPECT_TRUE(h.ok()) << h.status().to_string();
  if (!h.ok()) return {};
  const Bytes again = write(*h);
  EXPECT_EQ(again, Bytes(body.begin(), body.begin() + static_cast<long>(h->payload_offset)));
  return *h;
}

AudioTagHeader audio(const Bytes& body) {
  auto h = parse_audio_tag_header(body);
  EXPECT_TRUE(h.ok()) << h.status().to_string();
  if (!h.ok()) return {};
  EXPECT_EQ(write(*h), Bytes(body.begin(), body.begin() + static_cast<long>(h->payload_offset)));
  return *h;
}

TEST(FlvVideoTagHeader, LegacyAvcKeyFrameWithCompositionTime) {
  // 17: key frame | AVC; 01: NALU; 00 00 42: cts 66 ms; then AVCC.
  const auto h = video({0x17, 0x01, 0x00, 0x00, 0x42, 0x00, 0x00, 0x00, 0x01, 0x65});
  EXPECT_FALSE(h.enhanced);
  EXPECT_EQ(h.codec, VideoCodec::kAvc);
  EXPECT_EQ(h.codec_id, 7);
  EXPECT_TRUE(h.key_frame());
  EXPECT_EQ(h.packet_type, VideoPacketType::kCodedFrames);
  EXPECT_EQ(h.composition_time_ms, 66);
  EXPECT_EQ(h.payload_offset, 5u);
}

TEST(FlvVideoTagHeader, NegativeCompositionTimeIsSignExtended) {
  const auto h = video({0x27, 0x01, 0xFF, 0xFF, 0xDF, 0xAA});  // inter frame, cts -33
  EXPECT_EQ(h.composition_time_ms, -33);
  EXPECT_FALSE(h.key_frame());
}

TEST(FlvVideoTagHeader, LegacyHevcId12UsesTheAvcLayout) {
  const auto seq = video({0x1C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x60});
  EXPECT_EQ(seq.codec, VideoCodec::kHevc);
  EXPECT_TRUE(seq.is_sequence_header());
  const auto frame = video({0x2C, 0x01, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x02, 0x02, 0x01});
  EXPECT_EQ(frame.packet_type, VideoPacketType::kCodedFrames);
  EXPECT_EQ(frame.composition_time_ms, 33);
  EXPECT_EQ(frame.payload_offset, 5u);
  const auto end = video({0x1C, 0x02, 0x00, 0x00, 0x00});
  EXPECT_EQ(end.packet_type, VideoPacketType::kSequenceEnd);
}

TEST(FlvVideoTagHeader, UnsupportedLegacyCodecsAreRecognised) {
  EXPECT_EQ(video({0x22, 0xAB}).codec, VideoCodec::kSorensonH263);
  EXPECT_EQ(video({0x14, 0x00, 0xAB}).codec, VideoCodec::kVp6);  // VP6 adjustment byte is payload
  EXPECT_EQ(video({0x15, 0x00}).codec, VideoCodec::kVp6Alpha);
  EXPECT_EQ(video({0x16, 0x00}).codec, VideoCodec::kScreenVideoV2);
  EXPECT_EQ(video({0x1F, 0x00}).codec, VideoCodec::kUnknown);
  EXPECT_EQ(video({0x14, 0x00, 0xAB}).payload_offset, 1u);
  EXPECT_FALSE(is_supported(VideoCodec::kVp6));
  EXPECT_TRUE(is_supported(VideoCodec::kHevc));
}

TEST(FlvAudioTagHeader, TheFourCcAudioThePlayerDecodesIsSupported) {
  for (AudioCodec c : {AudioCodec::kAac, AudioCodec::kOpus, AudioCodec::kMp3, AudioCodec::kFlac, AudioCodec::kAc3,
                       AudioCodec::kEac3, AudioCodec::kG711ALaw, AudioCodec::kLinearPcmLe}) {
    EXPECT_TRUE(is_supported(c)) << audio_codec_name(c);
  }
  for (AudioCodec c : {AudioCodec::kNellymoser, AudioCodec::kSpeex, AudioCodec::kAdpcm, AudioCodec::kUnknown}) {
    EXPECT_FALSE(is_supported(c)) << audio_codec_name(c);
  }
}

TEST(FlvVideoTagHeader, EnhancedHevcSequenceStartAndFrames) {
  // 90: IsExHeader | key | SequenceStart, 'hvc1', then HEVCDecoderConfigurationRecord.
  const auto seq = video({0x90, 'h', 'v', 'c', '1', 0x01, 0x01, 0x60});
  EXPECT_TRUE(seq.enhanced);
  EXPECT_EQ(seq.fourcc, fourcc("hvc1"));
  EXPECT_EQ(seq.codec, VideoCodec::kHevc);
  EXPECT_TRUE(seq.is_sequence_header());
  EXPECT_EQ(seq.payload_offset, 5u);
  // 91: CodedFrames: SI24 composition time follows the FourCC for HEVC.
  const auto coded = video({0x91, 'h', 'v', 'c', '1', 0x00, 0x00, 0x43, 0x00, 0x00, 0x00, 0x02, 0x26, 0x01});
  EXPECT_EQ(coded.composition_time_ms, 67);
  EXPECT_EQ(coded.payload_offset, 8u);
  // A3: inter | CodedFramesX: no composition time on the wire.
  const auto x = video({0xA3, 'h', 'v', 'c', '1', 0x00, 0x00, 0x00, 0x02, 0x02, 0x01});
  EXPECT_EQ(x.packet_type, VideoPacketType::kCodedFramesX);
  EXPECT_EQ(x.composition_time_ms, 0);
  EXPECT_EQ(x.payload_offset, 5u);
  EXPECT_FALSE(x.key_frame());
  const auto end = video({0x92, 'h', 'v', 'c', '1'});
  EXPECT_EQ(end.packet_type, VideoPacketType::kSequenceEnd);
}

TEST(FlvVideoTagHeader, EnhancedAv1AndVp9CodedFramesHaveNoCompositionTime) {
  const auto av1 = video({0x91, 'a', 'v', '0', '1', 0x12, 0x00});
  EXPECT_EQ(av1.codec, VideoCodec::kAv1);
  EXPECT_EQ(av1.payload_offset, 5u);
  const auto vp9 = video({0xA1, 'v', 'p', '0', '9', 0x82});
  EXPECT_EQ(vp9.codec, VideoCodec::kVp9);
  EXPECT_EQ(vp9.payload_offset, 5u);
  const auto avc = video({0x91, 'a', 'v', 'c', '1', 0x00, 0x00, 0x10, 0x65});
  EXPECT_EQ(avc.codec, VideoCodec::kAvc);
  EXPECT_EQ(avc.composition_time_ms, 16);
  const auto unknown = video({0x91, 'x', 'y', 'z', 'w', 0x01});
  EXPECT_EQ(unknown.codec, VideoCodec::kUnknown);
  EXPECT_EQ(fourcc_to_string(unknown.fourcc), "xyzw");
}

TEST(FlvVideoTagHeader, EnhancedMetadataAndMpeg2TsSequenceStart) {
  const auto meta = video({0x94, 'h', 'v', 'c', '1', 0x02, 0x00, 0x09});
  EXPECT_EQ(meta.packet_type, VideoPacketType::kMetadata);
  EXPECT_EQ(meta.payload_offset, 5u);
  const auto ts = video({0x95, 'a', 'v', '0', '1', 0x80});
  EXPECT_EQ(ts.packet_type, VideoPacketType::kMpeg2TsSequenceStart);
}

TEST(FlvVideoTagHeader, ModExTimestampOffsetNanoBeforeTheFourcc) {
  // A7: inter | ModEx; 02: 3 data bytes; 0F 42 40 = 1,000,000 ns; 03: TimestampOffsetNano | CodedFramesX.
  const auto h = video({0xA7, 0x02, 0x0F, 0x42, 0x40, 0x03, 'h', 'v', 'c', '1', 0xAA});
  EXPECT_TRUE(h.has_timestamp_offset_nano);
  EXPECT_EQ(h.timestamp_offset_nano, 1'000'000u);
  EXPECT_EQ(h.packet_type, VideoPacketType::kCodedFramesX);
  EXPECT_EQ(h.payload_offset, 10u);
}

TEST(FlvVideoTagHeader, MultitrackWithOneTrack) {
  // 96: key | Multitrack; 01: OneTrack | CodedFrames; 'hvc1'; track 2; cts 0.
  const auto h = video({0x96, 0x01, 'h', 'v', 'c', '1', 0x02, 0x00, 0x00, 0x00, 0xEE});
  EXPECT_TRUE(h.multitrack);
  EXPECT_EQ(h.multitrack_type, MultitrackType::kOneTrack);
  EXPECT_EQ(h.track_id, 2);
  EXPECT_EQ(h.packet_type, VideoPacketType::kCodedFrames);
  EXPECT_EQ(h.payload_offset, 10u);
}

TEST(FlvVideoTagHeader, ReservedMultitrackTypeIsUnsupportedNotMisread) {
  const Bytes body = {0x96, 0x31, 'h', 'v', 'c', '1', 0x00, 0x00, 0x00, 0x05};
  auto h = parse_video_tag_header(body);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(h.status().reason().find("AvMultitrackType 3 is reserved"), std::string::npos);
}

TEST(FlvVideoTagHeader, CommandFramesCarryOneByteAndNoFourcc) {
  const auto legacy = video({0x57, 0x01});
  EXPECT_TRUE(legacy.is_command());
  EXPECT_EQ(legacy.command, 1);
  EXPECT_EQ(legacy.payload_offset, 2u);
  const auto ex = video({0xD1, 0x00});
  EXPECT_TRUE(ex.is_command());
  EXPECT_EQ(ex.fourcc, 0u);
  EXPECT_EQ(ex.payload_offset, 2u);
}

TEST(FlvVideoTagHeader, TruncatedAndReservedValuesNameTheField) {
  struct Case {
    Bytes body;
    ErrorCode code;
    const char* field;
  };
  const Case cases[] = {
      {{}, ErrorCode::kTruncated, "FrameType"},
      {{0x17}, ErrorCode::kTruncated, "AVCPacketType"},
      {{0x17, 0x01, 0x00}, ErrorCode::kTruncated, "CompositionTime"},
      {{0x17, 0x03, 0x00, 0x00, 0x00}, ErrorCode::kInvalid, "AVCPacketType 3"},
      {{0x91, 'h', 'v'}, ErrorCode::kTruncated, "FourCC"},
      {{0x91, 'h', 'v', 'c', '1', 0x00}, ErrorCode::kTruncated, "CompositionTime"},
      {{0x98, 'h', 'v', 'c', '1'}, ErrorCode::kInvalid, "VideoPacketType 8"},
      {{0x97, 0xFF}, ErrorCode::kTruncated, "ModEx UI16 data size"},
      {{0x97, 0x05, 0x00}, ErrorCode::kTruncated, "ModEx data"},
      {{0x97, 0x00, 0x00, 0x01}, ErrorCode::kInvalid, "TimestampOffsetNano"},
      {{0x96, 0x06, 'h', 'v', 'c', '1', 0x00}, ErrorCode::kInvalid, "nested"},
      {{0x96, 0x01, 'h', 'v', 'c', '1'}, ErrorCode::kTruncated, "trackId"},
      {{0xD1}, ErrorCode::kTruncated, "VideoCommand"},
  };
  for (const auto& c : cases) {
    auto h = parse_video_tag_header(c.body);
    ASSERT_FALSE(h.ok()) << c.field;
    EXPECT_EQ(h.status().code(), c.code) << h.status().to_string();
    EXPECT_NE(h.status().reason().find(c.field), std::string::npos) << h.status().to_string();
  }
}

TEST(FlvVideoTagHeader, HelpersWriteTheExpectedBytes) {
  EXPECT_EQ(write(VideoTagHeader::avc(VideoPacketType::kSequenceStart, true)), (Bytes{0x17, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(write(VideoTagHeader::avc(VideoPacketType::kCodedFrames, false, -1)), (Bytes{0x27, 0x01, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(write(VideoTagHeader::hevc_legacy(VideoPacketType::kCodedFrames, true, 33)),
            (Bytes{0x1C, 0x01, 0x00, 0x00, 0x21}));
  EXPECT_EQ(write(VideoTagHeader::enhanced_codec(VideoCodec::kHevc, VideoPacketType::kCodedFrames, true, 33)),
            (Bytes{0x91, 'h', 'v', 'c', '1', 0x00, 0x00, 0x21}));
  EXPECT_EQ(write(VideoTagHeader::enhanced_codec(VideoCodec::kHevc, VideoPacketType::kCodedFrames, false, 0)),
            (Bytes{0xA3, 'h', 'v', 'c', '1'}));
  EXPECT_EQ(write(VideoTagHeader::enhanced_codec(VideoCodec::kAv1, VideoPacketType::kCodedFrames, false, 0)),
            (Bytes{0xA1, 'a', 'v', '0', '1'}));
  VideoTagHeader bad = VideoTagHeader::avc(VideoPacketType::kCodedFrames, true, 0x800000);
  Bytes out;
  ByteWriter w(&out);
  EXPECT_EQ(write_video_tag_header(bad, w).code(), ErrorCode::kInvalid);
}

TEST(FlvAudioTagHeader, LegacyAac) {
  // AF: AAC, 44 kHz, 16 bit, stereo; 00: AudioSpecificConfig 12 10 (LC, 44.1 kHz, stereo).
  const auto seq = audio({0xAF, 0x00, 0x12, 0x10});
  EXPECT_EQ(seq.codec, AudioCodec::kAac);
  EXPECT_TRUE(seq.is_sequence_header());
  EXPECT_EQ(seq.payload_offset, 2u);
  EXPECT_EQ(seq.legacy_sample_rate_hz(), 44100u);
  EXPECT_EQ(seq.sound_type, 1);
  const auto frame = audio({0xAF, 0x01, 0x21, 0x10});
  EXPECT_EQ(frame.packet_type, AudioPacketType::kCodedFrames);
  EXPECT_EQ(write(AudioTagHeader::aac(AudioPacketType::kCodedFrames)), (Bytes{0xAF, 0x01}));
}

TEST(FlvAudioTagHeader, LegacyMp3AndOthersHaveNoPacketType) {
  const auto mp3 = audio({0x2E, 0xFF, 0xFB});  // MP3, 44 kHz, 16 bit, mono
  EXPECT_EQ(mp3.codec, AudioCodec::kMp3);
  EXPECT_EQ(mp3.payload_offset, 1u);
  EXPECT_EQ(mp3.sound_type, 0);
  EXPECT_EQ(audio({0x72, 0x00}).codec, AudioCodec::kG711ALaw);
  EXPECT_EQ(audio({0xB2, 0x00}).codec, AudioCodec::kSpeex);
  EXPECT_EQ(audio({0xC2, 0x00}).codec, AudioCodec::kUnknown);  // 12 is reserved
}

TEST(FlvAudioTagHeader, EnhancedOpusFlacAc3) {
  const auto head = audio({0x90, 'O', 'p', 'u', 's', 'O', 'p', 'u', 's', 'H', 'e', 'a', 'd'});
  EXPECT_TRUE(head.enhanced);
  EXPECT_EQ(head.codec, AudioCodec::kOpus);
  EXPECT_TRUE(head.is_sequence_header());
  EXPECT_EQ(head.payload_offset, 5u);
  EXPECT_EQ(head.legacy_sample_rate_hz(), 0u);
  EXPECT_EQ(audio({0x91, 'O', 'p', 'u', 's', 0xFC}).packet_type, AudioPacketType::kCodedFrames);
  EXPECT_EQ(audio({0x91, 'f', 'L', 'a', 'C'}).codec, AudioCodec::kFlac);
  EXPECT_EQ(audio({0x91, 'a', 'c', '-', '3'}).codec, AudioCodec::kAc3);
  EXPECT_EQ(audio({0x91, 'e', 'c', '-', '3'}).codec, AudioCodec::kEac3);
  EXPECT_EQ(audio({0x91, 'm', 'p', '4', 'a', 0x21}).codec, AudioCodec::kAac);
  EXPECT_EQ(audio({0x94, 'O', 'p', 'u', 's', 0x01, 0x02}).packet_type, AudioPacketType::kMultichannelConfig);
  EXPECT_EQ(write(AudioTagHeader::enhanced_codec(AudioCodec::kOpus, AudioPacketType::kCodedFrames)),
            (Bytes{0x91, 'O', 'p', 'u', 's'}));
}

TEST(FlvAudioTagHeader, EnhancedModExAndMultitrack) {
  const auto h = audio({0x97, 0x02, 0x00, 0x00, 0x10, 0x05, 0x01, 'O', 'p', 'u', 's', 0x03, 0xFC});
  EXPECT_TRUE(h.has_timestamp_offset_nano);
  EXPECT_EQ(h.timestamp_offset_nano, 16u);
  EXPECT_TRUE(h.multitrack);
  EXPECT_EQ(h.multitrack_type, MultitrackType::kOneTrack);
  EXPECT_EQ(h.track_id, 3);
  EXPECT_EQ(h.packet_type, AudioPacketType::kCodedFrames);
  EXPECT_EQ(h.payload_offset, 12u);
}

TEST(FlvAudioTagHeader, BadValuesNameTheField) {
  EXPECT_NE(parse_audio_tag_header(Bytes{}).status().reason().find("silence"), std::string::npos);
  EXPECT_EQ(parse_audio_tag_header(Bytes{0xAF}).status().code(), ErrorCode::kTruncated);
  EXPECT_NE(parse_audio_tag_header(Bytes{0xAF, 0x02}).status().reason().find("AACPacketType 2"), std::string::npos);
  EXPECT_NE(parse_audio_tag_header(Bytes{0x93, 'O', 'p', 'u', 's'}).status().reason().find("AudioPacketType 3"),
            std::string::npos);
  EXPECT_EQ(parse_audio_tag_header(Bytes{0x91, 'O', 'p'}).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(parse_audio_tag_header(Bytes{0x95, 0x31, 'O', 'p', 'u', 's', 0}).status().code(), ErrorCode::kUnsupported);
}

TEST(FlvScriptData, NameAndValuesRoundTrip) {
  ScriptData s;
  s.name = "onMetaData";
  s.values.push_back(amf0::Value::EcmaArray({{"width", amf0::Value::Number(640)}, {"stereo", amf0::Value::Boolean(true)}}));
  Bytes body;
  ByteWriter w(&body);
  write_script_data(s, w);
  EXPECT_EQ(Bytes(body.begin(), body.begin() + 13), (Bytes{0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'}));
  auto back = parse_script_data(body);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, s);
  EXPECT_EQ(back->values[0].number_or("width", 0), 640);
}

TEST(FlvScriptData, FirstValueMustBeAString) {
  const Bytes body = {0x00, 0x40, 0x59, 0, 0, 0, 0, 0, 0};  // number 100
  auto back = parse_script_data(body);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), ErrorCode::kInvalid);
  EXPECT_FALSE(parse_script_data(Bytes{}).ok());
}

}  // namespace
}  // namespace lw::flv
