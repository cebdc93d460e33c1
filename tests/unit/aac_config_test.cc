#include "codec/aac_config.h"

#include <gtest/gtest.h>

#include "codec_vectors.h"

namespace lw::codec {
namespace {

using namespace test_vectors;

Result<AacConfig> parse_hex(const char* hex) {
  const Bytes b = from_hex(hex);
  return parse_aac_config(as_span(b));
}

void ExpectRebuildsTo(const AacConfig& c, const char* hex) {
  auto bytes = build_aac_config(c);
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  EXPECT_EQ(*bytes, from_hex(hex));
}

TEST(AacConfig, FfmpegEncoderConfigsWithBackwardCompatibleNoSbr) {
  struct Case {
    const char* hex;
    uint8_t index;
    uint32_t rate;
    uint8_t channel_config;
    uint32_t channels;
  };
  const Case cases[] = {{kAacLc44100Stereo, 4, 44100, 2, 2},
                        {kAacLc8000Mono, 11, 8000, 1, 1},
                        {kAacLc48000Surround, 3, 48000, 6, 6}};
  for (const Case& k : cases) {
    SCOPED_TRACE(k.hex);
    auto c = parse_hex(k.hex);
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    EXPECT_EQ(c->object_type, aac_object::kLc);
    EXPECT_EQ(c->sampling_frequency_index, k.index);
    EXPECT_EQ(c->sampling_frequency, k.rate);
    EXPECT_EQ(c->channel_configuration, k.channel_config);
    EXPECT_EQ(c->channels(), k.channels);
    EXPECT_EQ(c->sbr_signalling, AacSbrSignalling::kBackwardCompatible);
    EXPECT_FALSE(c->sbr_present) << "FFmpeg says 'no SBR' explicitly";
    EXPECT_EQ(c->output_sample_rate(), k.rate);
    EXPECT_EQ(c->codec_string(), "mp4a.40.2");
    ExpectRebuildsTo(*c, k.hex);
  }
}

TEST(AacConfig, BuildsThePlainTwoByteConfig) {
  AacConfig c;  // LC 44100 stereo, no signalling
  ExpectRebuildsTo(c, "1210");
  c.sampling_frequency_index = aac_sampling_frequency_index(48000);
  c.sampling_frequency = 48000;
  c.channel_configuration = 1;
  ExpectRebuildsTo(c, "1188");
  auto back = parse_hex("1188");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, c);
}

TEST(AacConfig, ExplicitHierarchicalSbrAndPs) {
  auto v1 = parse_hex(kHeAacV1Explicit);
  ASSERT_TRUE(v1.ok()) << v1.status().to_string();
  EXPECT_EQ(v1->sbr_signalling, AacSbrSignalling::kExplicit);
  EXPECT_TRUE(v1->sbr_present);
  EXPECT_FALSE(v1->ps_present);
  EXPECT_EQ(v1->object_type, aac_object::kLc) << "the core";
  EXPECT_EQ(v1->sampling_frequency, 22050u);
  EXPECT_EQ(v1->extension_sampling_frequency, 44100u);
  EXPECT_EQ(v1->output_sample_rate(), 44100u);  // what ffprobe reports
  EXPECT_EQ(v1->channels(), 2u);
  EXPECT_EQ(v1->codec_string(), "mp4a.40.5");
  ExpectRebuildsTo(*v1, kHeAacV1Explicit);

  auto v2 = parse_hex(kHeAacV2Explicit);
  ASSERT_TRUE(v2.ok()) << v2.status().to_string();
  EXPECT_TRUE(v2->ps_present);
  EXPECT_EQ(v2->channel_configuration, 1);
  EXPECT_EQ(v2->channels(), 2u) << "PS: mono core, stereo out (ffprobe: 2 channels)";
  EXPECT_EQ(v2->output_sample_rate(), 44100u);
  EXPECT_EQ(v2->codec_string(), "mp4a.40.29");
  ExpectRebuildsTo(*v2, kHeAacV2Explicit);
}

TEST(AacConfig, BackwardCompatibleSbrWithPs) {
  auto c = parse_hex(kBackwardCompatibleSbrPs);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->sbr_signalling, AacSbrSignalling::kBackwardCompatible);
  EXPECT_TRUE(c->sbr_present);
  EXPECT_TRUE(c->ps_signalled);
  EXPECT_TRUE(c->ps_present);
  EXPECT_EQ(c->sampling_frequency, 24000u);
  EXPECT_EQ(c->output_sample_rate(), 48000u);
  EXPECT_EQ(c->channels(), 2u);
  ExpectRebuildsTo(*c, kBackwardCompatibleSbrPs);
}

TEST(AacConfig, ExplicitFrequencyAndEscapedObjectType) {
  auto c = parse_hex(kExplicitFrequency44056);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->sampling_frequency_index, 15);
  EXPECT_EQ(c->sampling_frequency, 44056u);
  EXPECT_EQ(c->channel_configuration, 2);
  ExpectRebuildsTo(*c, kExplicitFrequency44056);

  auto usac = parse_hex(kEscapeObjectType42);
  ASSERT_FALSE(usac.ok());
  EXPECT_EQ(usac.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(usac.status().reason().find("audioObjectType 42"), std::string::npos)
      << "31 + 6 bits escape read as 32 + 10";
}

TEST(AacConfig, ErrorResilientAndLtpFields) {
  // ER AAC LC (17), 48 kHz stereo, extensionFlag with the three resilience flags, epConfig 1.
  AacConfig c;
  c.object_type = aac_object::kErLc;
  c.sampling_frequency_index = 3;
  c.sampling_frequency = 48000;
  c.extension_flag = true;
  c.er_resilience_flags = 5;
  c.extension_flag3 = false;
  c.ep_config = 1;
  auto bytes = build_aac_config(c);
  ASSERT_TRUE(bytes.ok());
  auto back = parse_aac_config(as_span(*bytes));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
  // AAC LTP with a core coder delay and the 960-sample frame length.
  AacConfig ltp;
  ltp.object_type = aac_object::kLtp;
  ltp.frame_length_flag = true;
  ltp.depends_on_core_coder = true;
  ltp.core_coder_delay = 0x2ABC;
  auto ltp_bytes = build_aac_config(ltp);
  ASSERT_TRUE(ltp_bytes.ok());
  auto ltp_back = parse_aac_config(as_span(*ltp_bytes));
  ASSERT_TRUE(ltp_back.ok());
  EXPECT_EQ(*ltp_back, ltp);
}

TEST(AacConfig, ProgramConfigElementStopsTheParse) {
  auto c = parse_hex("1200");  // LC 44100, channelConfiguration 0: a PCE would follow
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_TRUE(c->has_pce);
  EXPECT_EQ(c->channels(), 0u);
  EXPECT_EQ(build_aac_config(*c).status().code(), ErrorCode::kInvalid);
}

TEST(AacConfig, TruncationsAndInvalidValues) {
  for (const char* hex : {kAacLc44100Stereo, kHeAacV1Explicit, kExplicitFrequency44056}) {
    const Bytes b = from_hex(hex);
    for (size_t n = 0; n < 2; ++n) {
      auto c = parse_aac_config(ByteSpan(b.data(), n));
      ASSERT_FALSE(c.ok()) << hex << " " << n;
      EXPECT_EQ(c.status().code(), ErrorCode::kTruncated);
    }
  }
  // The explicit frequency needs 24 bits after the index.
  EXPECT_EQ(parse_hex("1780").status().code(), ErrorCode::kTruncated);
  auto null_object = parse_hex("0210");
  EXPECT_EQ(null_object.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(parse_hex("16 90").status().code(), ErrorCode::kInvalid) << "index 13 is reserved";
  EXPECT_EQ(parse_hex("17 80 00 00 01 00").status().code(), ErrorCode::kInvalid) << "explicit 0 Hz";
  EXPECT_EQ(parse_hex("2B 92 14 00").status().code(), ErrorCode::kInvalid) << "SBR core is SBR";
  // A truncated backward-compatible extension is ignored, as decoders do.
  auto cut = parse_hex("121056");
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->sbr_signalling, AacSbrSignalling::kNone);
}

TEST(AacConfig, SamplingFrequencyTable) {
  EXPECT_EQ(aac_sampling_frequency(0), 96000u);
  EXPECT_EQ(aac_sampling_frequency(12), 7350u);
  EXPECT_EQ(aac_sampling_frequency(13), 0u);
  EXPECT_EQ(aac_sampling_frequency_index(44100), 4);
  EXPECT_EQ(aac_sampling_frequency_index(44056), 15);
}

TEST(Adts, ParsesFfmpegHeader) {
  const Bytes h = from_hex(kAdtsLc48000Mono);
  auto adts = parse_adts_header(as_span(h));
  ASSERT_TRUE(adts.ok()) << adts.status().to_string();
  EXPECT_FALSE(adts->mpeg2);
  EXPECT_TRUE(adts->protection_absent);
  EXPECT_EQ(adts->profile, 1);
  EXPECT_EQ(adts->sampling_frequency_index, 3);
  EXPECT_EQ(adts->channel_configuration, 1);
  EXPECT_EQ(adts->frame_length, 288);
  EXPECT_EQ(adts->buffer_fullness, 0x7FF);
  EXPECT_EQ(adts->raw_data_blocks, 0);
  const AacConfig c = adts_to_aac_config(*adts);
  EXPECT_EQ(c.object_type, aac_object::kLc);
  EXPECT_EQ(c.sampling_frequency, 48000u);
  ExpectRebuildsTo(c, "1188");
  Bytes rebuilt;
  ASSERT_TRUE(append_adts_header(c, 288 - 7, &rebuilt).ok());
  EXPECT_EQ(rebuilt, h);
}

TEST(Adts, RejectsBadHeaders) {
  EXPECT_EQ(parse_adts_header(as_span(from_hex("fff14c40241f"))).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(parse_adts_header(as_span(from_hex("fff04c40241ffc"))).status().code(), ErrorCode::kTruncated)
      << "CRC present: 9 bytes";
  EXPECT_EQ(parse_adts_header(as_span(from_hex("ffe14c40241ffc"))).status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(parse_adts_header(as_span(from_hex("fff34c40241ffc"))).status().code(), ErrorCode::kInvalid)
      << "layer 1";
  EXPECT_EQ(parse_adts_header(as_span(from_hex("fff1 4c40 00 1ffc"))).status().code(), ErrorCode::kInvalid)
      << "frame_length 0";
  AacConfig c;
  Bytes out;
  EXPECT_EQ(append_adts_header(c, 9000, &out).code(), ErrorCode::kInvalid);
  c.object_type = aac_object::kErLc;
  EXPECT_EQ(append_adts_header(c, 100, &out).code(), ErrorCode::kInvalid);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace lw::codec
