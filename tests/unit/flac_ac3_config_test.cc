// FLAC STREAMINFO and AC-3 / E-AC-3 syncframe headers, and the track configs Enhanced RTMP 'fLaC',
// 'ac-3' and 'ec-3' make of them, from bytes Debian bookworm's ffmpeg 5.1 wrote:
//   ffmpeg -f lavfi -i sine=frequency=440:sample_rate=48000:duration=1 -ac 2 -c:a flac t.flac
//   ... sample_rate=44100 ... -ac 1 -c:a flac m.flac
//   ... -ac 2 -c:a ac3 -b:a 192k t.ac3; sample_rate=44100 -ac 1 -c:a ac3 -b:a 96k m.ac3;
//   sample_rate=44100 -ac 1 -c:a eac3 -b:a 96k t.eac3; -ac 2 -c:a eac3 s.eac3;
//   -af "pan=5.1|c0=c0|...|c5=c0" -c:a ac3 s51.ac3 (and -c:a eac3 s51.eac3)
#include <gtest/gtest.h>

#include "codec/ac3_header.h"
#include "codec/flac_config.h"
#include "play/track_config.h"
#include "test_vectors.h"

namespace lw {
namespace {

using lw::test::from_hex;

// t.flac's STREAMINFO (after "fLaC" and the block header 00 00 00 22).
constexpr const char* kStreamInfo48k = "1200120000025800051b0bb802f00000bb80a316b305f13b13fe767b3d0d068f95bc";
// m.flac's first 42 bytes: "fLaC", a STREAMINFO block that is not the last one (a Vorbis comment follows).
constexpr const char* kFlacHeader44k =
    "664c614300000022120012000002f10004f30ac440f00000ac449ba95e857124355c11330d327eb66b24";

TEST(FlacConfig, ReadsBareStreamInfo) {
  auto c = codec::parse_flac_config(as_span(from_hex(kStreamInfo48k)));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->sample_rate, 48000);
  EXPECT_EQ(c->channels, 2);
  EXPECT_EQ(c->bits_per_sample, 16);
  EXPECT_EQ(c->min_block_size, 4608);
  EXPECT_EQ(c->max_block_size, 4608);
  // The description: "fLaC", a last-block STREAMINFO header, the 34 bytes.
  EXPECT_EQ(c->description, from_hex(std::string("664c614380000022") + kStreamInfo48k));
}

TEST(FlacConfig, ReadsStreamHeader) {
  auto c = codec::parse_flac_config(as_span(from_hex(kFlacHeader44k)));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->sample_rate, 44100);
  EXPECT_EQ(c->channels, 1);
  EXPECT_EQ(c->bits_per_sample, 16);
  ASSERT_EQ(c->description.size(), 42u);
  EXPECT_EQ(c->description[4], 0x80);  // the last-block bit set: the Vorbis comment is not passed on
}

TEST(FlacConfig, RefusesBrokenRecords) {
  EXPECT_EQ(codec::parse_flac_config(as_span(from_hex("1200120000"))).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(codec::parse_flac_config(as_span(from_hex("664c614304000022"))).status().code(), ErrorCode::kInvalid);
  Bytes zero_rate = from_hex(kStreamInfo48k);
  zero_rate[10] = zero_rate[11] = 0, zero_rate[12] &= 0x0f;
  EXPECT_EQ(codec::parse_flac_config(as_span(zero_rate)).status().code(), ErrorCode::kInvalid);
}

TEST(Ac3Header, ReadsFfmpegSyncframes) {
  struct Case {
    const char* hex;
    bool enhanced;
    int rate, channels;
    bool lfe;
  } cases[] = {
      {"0b77fe95144043e1", false, 48000, 2, false},  // t.ac3
      {"0b771ef84c402f84", false, 44100, 1, false},  // m.ac3
      {"0b77c4b71e40ebf8", false, 48000, 6, true},   // s51.ac3: 3/2 + LFE
      {"0b7700cf7287c000", true, 44100, 1, false},   // t.eac3
      {"0b77017f3487c000", true, 48000, 2, false},   // s.eac3
      {"0b77037f3f87c000", true, 48000, 6, true},    // s51.eac3
  };
  for (const Case& k : cases) {
    auto h = codec::parse_ac3_header(as_span(from_hex(k.hex)));
    ASSERT_TRUE(h.ok()) << k.hex << ": " << h.status().to_string();
    EXPECT_EQ(h->enhanced, k.enhanced) << k.hex;
    EXPECT_EQ(h->sample_rate, k.rate) << k.hex;
    EXPECT_EQ(h->channels, k.channels) << k.hex;
    EXPECT_EQ(h->lfe, k.lfe) << k.hex;
  }
  // Frame sizes: t.ac3 is 192 kbit/s at 48 kHz (768 bytes), m.ac3 96 kbit/s at 44.1 kHz (frmsizecod 12:
  // 208 words, the next frame 209), t.eac3 frmsiz 207 (416 bytes); all 1536 samples.
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b77fe95144043e1")))->frame_bytes, 768u);
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b771ef84c402f84")))->frame_bytes, 416u);
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b7700cf7287c000")))->frame_bytes, 416u);
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b7700cf7287c000")))->samples_per_frame, 1536);
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b77fe95144043e1")))->samples_per_frame, 1536);
}

TEST(Ac3Header, RefusesBrokenHeaders) {
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b77fe9514"))).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b78fe95144043e1"))).status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b77fe95d44043e1"))).status().code(), ErrorCode::kInvalid);  // fscod 3
  EXPECT_EQ(codec::parse_ac3_header(as_span(from_hex("0b77fe95148843e1"))).status().code(), ErrorCode::kInvalid);  // bsid 17
}

TEST(TrackConfigFlacAc3, FlacSequenceStartConfigures) {
  play::TrackConfig c;
  ASSERT_TRUE(play::make_audio_config(flv::AudioCodec::kFlac, as_span(from_hex(kStreamInfo48k)), &c));
  EXPECT_EQ(c.codec, "flac");
  EXPECT_EQ(c.decoder, "flac");
  EXPECT_EQ(c.sample_rate, 48000);
  EXPECT_EQ(c.channels, 2);
  EXPECT_EQ(c.description.size(), 42u);
  EXPECT_TRUE(play::audio_config_in_sequence_header(flv::AudioCodec::kFlac));
  EXPECT_FALSE(play::make_audio_config(flv::AudioCodec::kFlac, as_span(from_hex("1200")), &c));
}

TEST(TrackConfigFlacAc3, Ac3FramesConfigure) {
  // No record: an empty sequence start configures nothing; each frame does.
  EXPECT_FALSE(play::audio_config_in_sequence_header(flv::AudioCodec::kAc3));
  EXPECT_FALSE(play::audio_config_in_sequence_header(flv::AudioCodec::kEac3));
  play::TrackConfig c;
  EXPECT_FALSE(play::make_audio_config(flv::AudioCodec::kAc3, ByteSpan(), &c));
  flv::AudioTagHeader h;
  h.enhanced = true;
  h.codec = flv::AudioCodec::kAc3;
  h.packet_type = flv::AudioPacketType::kCodedFrames;
  ASSERT_TRUE(play::make_audio_config_from_frame(h, as_span(from_hex("0b77fe95144043e1")), &c));
  EXPECT_EQ(c.codec, "ac-3");
  EXPECT_EQ(c.decoder, "ac3");
  EXPECT_EQ(c.sample_rate, 48000);
  EXPECT_EQ(c.channels, 2);
  EXPECT_TRUE(c.description.empty());
  h.codec = flv::AudioCodec::kEac3;
  ASSERT_TRUE(play::make_audio_config_from_frame(h, as_span(from_hex("0b7700cf7287c000")), &c));
  EXPECT_EQ(c.codec, "ec-3");
  EXPECT_EQ(c.decoder, "eac3");
  EXPECT_EQ(c.sample_rate, 44100);
  EXPECT_EQ(c.channels, 1);
  EXPECT_FALSE(play::make_audio_config_from_frame(h, as_span(from_hex("0000")), &c));
}

}  // namespace
}  // namespace lw
