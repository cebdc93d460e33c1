// The legacy FLV audio formats of issue 19 on bytes Debian's ffmpeg writes (tests/vectors/make_vectors.sh):
// G.711 A-law/µ-law and linear PCM decoded by the core (codec/raw_audio.h) sample for sample as ffmpeg
// decodes the same FLV, then through the PlaySession's resampler to a 48 kHz output where the 1 kHz tone
// is still 1 kHz; MP3's rate and channels from its own header (FFmpeg's muxer writes 48 kHz as "44 kHz");
// Nellymoser, Speex and ADPCM reported once (2102, naming the codec) and never passed on as audio.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "codec/mp3_header.h"
#include "codec/raw_audio.h"
#include "flv/flv_demuxer.h"
#include "play/play_session.h"
#include "play/track_config.h"
#include "test_vectors.h"

namespace lw {
namespace {

std::optional<Bytes> vector_file(const std::string& name) { return test::read_file(test::vectors_dir() + "/" + name); }

// Every audio tag's header and payload.
struct AudioTag {
  flv::AudioTagHeader header;
  Bytes payload;
};
std::vector<AudioTag> audio_tags(const Bytes& file) {
  flv::Demuxer demux;
  demux.feed(as_span(file));
  demux.finish();
  std::vector<AudioTag> out;
  flv::Event ev;
  while (demux.next(&ev)) {
    if (ev.kind != flv::EventKind::kAudio) continue;
    const ByteSpan p = ev.payload();
    out.push_back({ev.audio, Bytes(p.begin(), p.end())});
  }
  return out;
}

// Zero crossings (upward) per second of `x` at `rate`: the tone's frequency.
double frequency(const std::vector<float>& x, int rate) {
  int up = 0;
  size_t first = 0, last = 0;
  for (size_t i = 1; i < x.size(); ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      if (up++ == 0) first = i;
      last = i;
    }
  }
  return up < 2 ? 0 : (up - 1) * double(rate) / double(last - first);
}

TEST(G711, ExpandsAsTheStandardSays) {
  // ITU-T G.711 table 1/2 values (and FFmpeg's): A-law 0xd5 is +8 (the smallest positive step), 0x55
  // is -8, 0x80 / 0x00 the extremes; µ-law 0xff and 0x7f are the two zeros, 0x80 / 0x00 the extremes.
  EXPECT_EQ(codec::alaw_to_linear(0xd5), 8);
  EXPECT_EQ(codec::alaw_to_linear(0x55), -8);
  EXPECT_EQ(codec::alaw_to_linear(0xaa), 32256);
  EXPECT_EQ(codec::alaw_to_linear(0x2a), -32256);
  EXPECT_EQ(codec::alaw_to_linear(0x93), 2880);
  EXPECT_EQ(codec::mulaw_to_linear(0xff), 0);
  EXPECT_EQ(codec::mulaw_to_linear(0x7f), 0);
  EXPECT_EQ(codec::mulaw_to_linear(0x80), 32124);
  EXPECT_EQ(codec::mulaw_to_linear(0x00), -32124);
  // Monotonic over each sign's codes, as a companding curve must be.
  for (int i = 1; i < 128; ++i) {
    EXPECT_LT(codec::mulaw_to_linear(static_cast<uint8_t>(0x80 | i)), codec::mulaw_to_linear(static_cast<uint8_t>(0x80 | (i - 1))));
  }
}

struct RawCase {
  const char* name;
  const char* decoder;
  const char* codec;
  int rate;
};

class RawAudioFile : public testing::TestWithParam<RawCase> {};

// The core decodes every sample as ffmpeg does (its .s16 is ffmpeg's decoding of the same FLV).
TEST_P(RawAudioFile, DecodesAsFfmpegDoes) {
  const RawCase& k = GetParam();
  const auto flv = vector_file(std::string(k.name) + ".flv");
  const auto ref = vector_file(std::string(k.name) + ".s16");
  if (!flv || !ref) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  const auto tags = audio_tags(*flv);
  ASSERT_GT(tags.size(), 3u);
  play::TrackConfig c;
  ASSERT_TRUE(play::make_audio_config_from_frame(tags[0].header, as_span(tags[0].payload), &c));
  EXPECT_EQ(c.decoder, k.decoder);
  EXPECT_EQ(c.codec, k.codec);
  EXPECT_EQ(c.sample_rate, k.rate);
  EXPECT_EQ(c.channels, 1);
  EXPECT_TRUE(c.description.empty());
  EXPECT_FALSE(play::audio_config_in_sequence_header(tags[0].header.codec));
  codec::RawAudioFormat format;
  ASSERT_TRUE(codec::raw_audio_format_from_name(c.decoder, &format));
  codec::RawAudioDecoder dec;
  ASSERT_TRUE(dec.configure(format, c.sample_rate, c.channels).ok());
  std::vector<float> all;
  for (const auto& t : tags) {
    auto b = dec.decode(as_span(t.payload));
    ASSERT_TRUE(b.ok()) << b.status().to_string();
    EXPECT_EQ(b->channels, 1);
    EXPECT_EQ(b->sample_rate, k.rate);
    all.insert(all.end(), b->planar, b->planar + b->frames);
  }
  ASSERT_EQ(all.size() * 2, ref->size());
  int differing = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    const auto want = static_cast<int16_t>((*ref)[2 * i] | (*ref)[2 * i + 1] << 8);
    if (std::lround(all[i] * 32768.0f) != want) ++differing;
  }
  EXPECT_EQ(differing, 0) << "samples that differ from ffmpeg's decoding, of " << all.size();
  EXPECT_NEAR(frequency(all, k.rate), 1000.0, 5.0);
}

INSTANTIATE_TEST_SUITE_P(Ffmpeg, RawAudioFile,
                         testing::Values(RawCase{"alaw_8k", "alaw", "alaw", 8000}, RawCase{"mulaw_8k", "mulaw", "ulaw", 8000},
                                         RawCase{"pcm_s16le_22k", "pcm_s16le", "pcm-s16", 22050},
                                         RawCase{"pcm_u8_22k", "pcm_u8", "pcm-u8", 22050}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RawAudio, PartialFramesAndStereo) {
  codec::RawAudioDecoder dec;
  EXPECT_EQ(dec.decode(ByteSpan()).status().code(), ErrorCode::kMisuse);
  ASSERT_TRUE(dec.configure(codec::RawAudioFormat::kS16Le, 44100, 2).ok());
  // Two stereo frames (L R L R, little-endian) and a stray byte, which is ignored.
  const Bytes b = {0x00, 0x40, 0x00, 0xc0, 0xff, 0x7f, 0x00, 0x80, 0x12};
  auto r = dec.decode(as_span(b));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->frames, 2);
  EXPECT_FLOAT_EQ(r->planar[0], 0.5f);       // L0
  EXPECT_FLOAT_EQ(r->planar[1], 32767 / 32768.0f);  // L1
  EXPECT_FLOAT_EQ(r->planar[2], -0.5f);      // R0
  EXPECT_FLOAT_EQ(r->planar[3], -1.0f);      // R1
  EXPECT_EQ(dec.decode(as_span(Bytes{0x01, 0x02, 0x03})).status().code(), ErrorCode::kInvalid);
  EXPECT_FALSE(dec.configure(codec::RawAudioFormat::kU8, 44100, 9).ok());
}

// SoundFormat 0 ("platform endian") with 16-bit samples is read little-endian, as FFmpeg's flvdec on
// every little-endian host; 8-bit samples are unsigned.
TEST(LegacyAudioConfig, LinearPcmPlatformEndianIsLittleEndian) {
  flv::AudioTagHeader h;
  h.sound_format = 0;
  h.codec = flv::AudioCodec::kLinearPcm;
  h.sound_rate = 3;
  h.sound_size = 1;
  h.sound_type = 1;
  play::TrackConfig c;
  ASSERT_TRUE(play::make_audio_config_from_frame(h, ByteSpan(), &c));
  EXPECT_EQ(c.decoder, "pcm_s16le");
  EXPECT_EQ(c.codec, "pcm-s16");
  EXPECT_EQ(c.sample_rate, 44100);
  EXPECT_EQ(c.channels, 2);
  h.sound_size = 0;
  ASSERT_TRUE(play::make_audio_config_from_frame(h, ByteSpan(), &c));
  EXPECT_EQ(c.decoder, "pcm_u8");
}

TEST(LegacyAudioConfig, Mp3RateAndChannelsFromTheFrameHeader) {
  const auto flv = vector_file("mp3_48k.flv");
  if (!flv) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  const auto tags = audio_tags(*flv);
  ASSERT_GT(tags.size(), 3u);
  // FFmpeg's muxer: 0x2f = MP3, "44 kHz", 16 bit, stereo; the frames say 48 kHz.
  EXPECT_EQ(tags[0].header.codec, flv::AudioCodec::kMp3);
  EXPECT_EQ(tags[0].header.legacy_sample_rate_hz(), 44100u);
  auto mpeg = codec::parse_mp3_header(as_span(tags[0].payload));
  ASSERT_TRUE(mpeg.ok()) << mpeg.status().to_string();
  EXPECT_EQ(mpeg->version, 1);
  EXPECT_EQ(mpeg->layer, 3);
  EXPECT_EQ(mpeg->sample_rate, 48000);
  EXPECT_EQ(mpeg->samples_per_frame, 1152);
  play::TrackConfig c;
  ASSERT_TRUE(play::make_audio_config_from_frame(tags[0].header, as_span(tags[0].payload), &c));
  EXPECT_EQ(c.decoder, "mp3");
  EXPECT_EQ(c.codec, "mp3");
  EXPECT_EQ(c.sample_rate, 48000);
  EXPECT_EQ(c.channels, 2);
  // MPEG-2.5 at 8 kHz, mono (what SoundFormat 14 carries): ff e3 = sync, version 00, layer III.
  auto low = codec::parse_mp3_header(as_span(Bytes{0xff, 0xe3, 0x48, 0xc4}));
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(low->version, 25);
  EXPECT_EQ(low->sample_rate, 8000);
  EXPECT_EQ(low->channels, 1);
  EXPECT_EQ(low->samples_per_frame, 576);
  // SoundFormat 14 ("MP3 8 kHz"; ffmpeg's FLV muxer refuses 8 kHz MP3, so a literal header): 0xe2 = 14,
  // rate bits 0, 16 bit, mono.
  flv::AudioTagHeader h8;
  h8.sound_format = 14;
  h8.codec = flv::AudioCodec::kMp3_8k;
  h8.sound_size = 1;
  ASSERT_TRUE(play::make_audio_config_from_frame(h8, as_span(Bytes{0xff, 0xe3, 0x48, 0xc4}), &c));
  EXPECT_EQ(c.decoder, "mp3");
  EXPECT_EQ(c.sample_rate, 8000);
  EXPECT_EQ(c.channels, 1);
  ASSERT_TRUE(play::make_audio_config_from_frame(h8, ByteSpan(), &c));  // no frame header: 8 kHz as FLV says
  EXPECT_EQ(c.sample_rate, 8000);
  EXPECT_FALSE(codec::parse_mp3_header(as_span(Bytes{0xff, 0xeb, 0x90, 0x64})).ok());  // reserved version
  EXPECT_FALSE(codec::parse_mp3_header(as_span(Bytes{0x00, 0xfb, 0x90, 0x64})).ok());  // no sync
}

// What the session does with a whole file: its configs, packets and notices.
struct Played {
  std::vector<play::TrackConfig> configs;
  std::vector<play::Notice> notices;
  std::vector<float> out;  // the left output channel, from the first non-silent sample
  int packets = 0;
};

Played play(const Bytes& flv) {
  play::PlaySession s(play::PlayConfig{});
  Played r;
  s.feed(as_span(flv), 0);
  s.end_of_input(0);
  play::TrackConfig c;
  while (s.next_track_config(&c)) r.configs.push_back(c);
  codec::RawAudioDecoder dec;
  codec::RawAudioFormat format;
  if (r.configs.size() == 1 && codec::raw_audio_format_from_name(r.configs[0].decoder, &format)) {
    EXPECT_TRUE(dec.configure(format, r.configs[0].sample_rate, r.configs[0].channels).ok());
  }
  play::MediaPacket p;
  while (s.next_audio_packet(&p)) {
    ++r.packets;
    if (!dec.configured()) continue;
    auto b = dec.decode(p.data);
    EXPECT_TRUE(b.ok());
    if (b.ok()) s.push_audio(p.pts_us, b->planar, b->frames, b->channels, b->sample_rate);
  }
  std::vector<float> buf(2 * 480);
  for (int64_t now = 0; now < 4'000'000; now += 10'000) {
    s.render_audio(now, buf.data(), 480);
    for (int i = 0; i < 480; ++i) {
      if (r.out.empty() && buf[i] == 0.0f) continue;
      r.out.push_back(buf[i]);
    }
  }
  play::Notice n;
  while (s.next_notice(&n)) r.notices.push_back(n);
  return r;
}

// 8 kHz G.711 goes through the session's resampler like AAC: the 48 kHz output carries the 1 kHz tone.
TEST(LegacyAudioSession, G711PlaysThroughTheResampler) {
  const auto flv = vector_file("alaw_8k.flv");
  if (!flv) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  const Played r = play(*flv);
  ASSERT_EQ(r.configs.size(), 1u) << "one configuration for a stream whose format never changes";
  EXPECT_EQ(r.configs[0].kind, play::TrackKind::kAudio);
  EXPECT_EQ(r.configs[0].codec, "alaw");
  EXPECT_EQ(r.packets, 8);  // 8000 samples in tags of 1024
  for (const auto& n : r.notices) EXPECT_NE(n.code, 2102) << n.message;
  ASSERT_GT(r.out.size(), 24000u) << "at least half a second of sound came out";
  std::vector<float> middle(r.out.begin() + 4800, r.out.begin() + 24000);
  EXPECT_NEAR(frequency(middle, 48000), 1000.0, 10.0);
  float peak = 0;
  for (float v : middle) peak = std::max(peak, std::fabs(v));
  EXPECT_NEAR(peak, 0.125f, 0.02f) << "the sine's amplitude (1/8) survives the resampler";
}

class UnsupportedAudio : public testing::TestWithParam<std::pair<const char*, const char*>> {};

// Reported once with 2102 naming the codec; no configuration and no packet: never decoded as another.
TEST_P(UnsupportedAudio, ReportedOnceNeverMisread) {
  const auto flv = vector_file(std::string(GetParam().first) + ".flv");
  if (!flv) GTEST_SKIP() << "no vectors (tests/vectors/make_vectors.sh)";
  const Played r = play(*flv);
  EXPECT_TRUE(r.configs.empty());
  EXPECT_EQ(r.packets, 0);
  int reports = 0;
  for (const auto& n : r.notices) {
    if (n.code != 2102) continue;
    ++reports;
    EXPECT_NE(n.message.find(GetParam().second), std::string::npos) << n.message;
    EXPECT_NE(n.message.find("not supported"), std::string::npos) << n.message;
  }
  EXPECT_EQ(reports, 1);
}

INSTANTIATE_TEST_SUITE_P(Ffmpeg, UnsupportedAudio,
                         testing::Values(std::pair{"nellymoser_8k", "Nellymoser 8 kHz (FLV SoundFormat 5)"},
                                         std::pair{"speex_16k", "Speex (FLV SoundFormat 11)"},
                                         std::pair{"adpcm_22k", "ADPCM (FLV SoundFormat 1)"}),
                         [](const auto& info) { return std::string(info.param.first); });

}  // namespace
}  // namespace lw
