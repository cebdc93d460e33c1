// AAC (FFmpeg's native encoder) and Opus (libopus) behind AudioEncoder, judged by FFmpeg's decoders: a
// 1 kHz sine comes back at 1 kHz and at its level, in the channel count the quality asks for, at 44.1
// and 48 kHz and resampled from odd rates; timestamps follow the sample clock.
#include "codecs/audio_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <vector>

#include "codec/aac_config.h"
#include "media_decoders.h"

namespace lw::codecs {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kAmplitude = 0.5;  // RMS 0.354

struct Encoding {
  std::vector<Bytes> packets;
  std::vector<int64_t> timestamps;
};

// One second (or `seconds`) of a 1 kHz sine in 10 ms blocks, every channel the same, timestamps from
// `t0` in steps of 10 ms plus `jitter(i)`.
template <class Jitter>
Encoding feed(AudioEncoder& enc, int rate, int channels, double seconds, int64_t t0, Jitter jitter) {
  Encoding run;
  const int block = rate / 100;
  const int total = static_cast<int>(rate * seconds);
  std::vector<float> pcm(static_cast<size_t>(block) * channels);
  std::vector<EncodedAudio> out;
  for (int start = 0, i = 0; start + block <= total; start += block, ++i) {
    for (int s = 0; s < block; ++s)
      for (int c = 0; c < channels; ++c)
        pcm[size_t(s) * channels + c] = static_cast<float>(kAmplitude * std::sin(2 * kPi * 1000.0 * (start + s) / rate));
    const Status st = enc.encode(pcm.data(), block, t0 + int64_t(i) * 10 + jitter(i), &out);
    EXPECT_TRUE(st.ok()) << st.reason();
    for (const EncodedAudio& a : out) {
      run.packets.push_back(a.data);
      run.timestamps.push_back(a.timestamp_ms);
    }
  }
  return run;
}
Encoding feed(AudioEncoder& enc, int rate, int channels, double seconds = 1.0) {
  return feed(enc, rate, channels, seconds, 0, [](int) { return 0; });
}

std::unique_ptr<AudioEncoder> open(AudioCodecKind codec, AudioQuality quality, int rate, int channels) {
  AudioEncoderOptions o;
  o.codec = codec;
  o.quality = quality;
  o.input_sample_rate = rate;
  o.input_channels = channels;
  auto r = open_audio_encoder(o);
  EXPECT_TRUE(r.ok()) << r.status().reason();
  return r.ok() ? std::move(r).value() : nullptr;
}

struct Case {
  AudioCodecKind codec;
  AudioQuality quality;
  int input_rate, input_channels;
  int want_rate, want_channels, want_kbps;
  const char* decoder;
  double level_db = 1;  // how far the decoded level may be from the input's
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  return std::string(c.codec == AudioCodecKind::kAac ? "Aac" : "Opus") +
         (c.quality == AudioQuality::kHigh ? "High" : "Low") + std::to_string(c.input_rate) + "Hz" +
         std::to_string(c.input_channels) + "ch";
}

class AudioEncoderCases : public ::testing::TestWithParam<Case> {};

// Encode 1 s, decode it all, skip the first 100 ms (priming, codec start-up) and measure 700 ms of every
// channel: 1 kHz within 0.5 % and the level within 1 dB of the input's (a mono->stereo upmix at -3 dB,
// as swresample's default matrix does, fails this). FFmpeg's AAC encoder (its default twoloop coder)
// at 48 kbit/s mono and 48 kHz plays a pure tone 1.5 dB loud (the ffmpeg command line does the same
// with the same input; at 64 kbit/s or 44.1 kHz it is within 0.1 dB): those cases get 2 dB.
TEST_P(AudioEncoderCases, ASineComesBackAtItsFrequencyAndLevel) {
  const Case& c = GetParam();
  auto enc = open(c.codec, c.quality, c.input_rate, c.input_channels);
  ASSERT_TRUE(enc);
  EXPECT_EQ(enc->sample_rate(), c.want_rate);
  EXPECT_EQ(enc->channels(), c.want_channels);
  EXPECT_EQ(enc->bitrate_kbps(), c.want_kbps);
  const Encoding run = feed(*enc, c.input_rate, c.input_channels);
  ASSERT_GT(run.packets.size(), 10u);
  auto decoded = test::decode_audio(c.decoder, enc->config(), run.packets);
  ASSERT_TRUE(decoded.ok()) << decoded.status().reason();
  ASSERT_EQ(decoded->sample_rate, c.want_rate);
  ASSERT_EQ(static_cast<int>(decoded->channels.size()), c.want_channels);
  const size_t skip = c.want_rate / 10, count = c.want_rate * 7 / 10;
  for (int ch = 0; ch < c.want_channels; ++ch) {
    const test::ToneMeasure m = test::measure_tone(decoded->channels[ch], c.want_rate, skip, count);
    EXPECT_NEAR(m.frequency_hz, 1000.0, 5.0) << "channel " << ch;
    const double db = 20 * std::log10(m.rms / (kAmplitude / std::sqrt(2.0)));
    EXPECT_NEAR(db, 0.0, c.level_db) << "channel " << ch << " level (dB against the input's)";
  }
  // Average bitrate over the second, within 25 % of the quality's (128 kbit/s AAC of a pure tone
  // undershoots the most).
  size_t bytes = 0;
  for (const Bytes& p : run.packets) bytes += p.size();
  const double kbps = bytes * 8.0 / 1000.0;
  EXPECT_GT(kbps, c.want_kbps * 0.4) << "kbit/s over 1 s";
  EXPECT_LT(kbps, c.want_kbps * 1.25) << "kbit/s over 1 s";
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, AudioEncoderCases,
    ::testing::Values(Case{AudioCodecKind::kAac, AudioQuality::kLow, 48000, 1, 48000, 1, 48, "aac", 2},
                      Case{AudioCodecKind::kAac, AudioQuality::kLow, 44100, 1, 44100, 1, 48, "aac"},
                      Case{AudioCodecKind::kAac, AudioQuality::kHigh, 48000, 1, 48000, 2, 128, "aac"},  // mono -> stereo
                      Case{AudioCodecKind::kAac, AudioQuality::kHigh, 44100, 2, 44100, 2, 128, "aac"},
                      Case{AudioCodecKind::kAac, AudioQuality::kLow, 44100, 2, 44100, 1, 48, "aac"},  // stereo -> mono
                      Case{AudioCodecKind::kAac, AudioQuality::kLow, 22050, 1, 48000, 1, 48, "aac", 2},  // resampled
                      Case{AudioCodecKind::kOpus, AudioQuality::kLow, 48000, 1, 48000, 1, 32, "opus"},
                      Case{AudioCodecKind::kOpus, AudioQuality::kLow, 44100, 1, 48000, 1, 32, "opus"},  // resampled
                      Case{AudioCodecKind::kOpus, AudioQuality::kHigh, 48000, 1, 48000, 2, 96, "opus"},  // mono -> stereo
                      Case{AudioCodecKind::kOpus, AudioQuality::kHigh, 44100, 2, 48000, 2, 96, "libopus"}),
    case_name);

TEST(AacEncoder, ConfigIsAnAudioSpecificConfigForTheEncodedStream) {
  for (int rate : {44100, 48000}) {
    auto enc = open(AudioCodecKind::kAac, AudioQuality::kHigh, rate, 1);
    ASSERT_TRUE(enc);
    auto asc = codec::parse_aac_config(enc->config());
    ASSERT_TRUE(asc.ok()) << asc.status().reason();
    EXPECT_EQ(asc->object_type, 2u);  // AAC LC
    EXPECT_EQ(asc->sampling_frequency, static_cast<uint32_t>(rate));
    EXPECT_EQ(asc->channel_configuration, 2);
    EXPECT_EQ(enc->name(), "ffmpeg aac");
  }
}

// RFC 7845 5.1: "OpusHead", version 1, channels, pre-skip = the encoder's look-ahead (312 samples for
// libopus 1.3 at 48 kHz with these applications), input rate, gain 0, mapping family 0.
TEST(OpusEncoder, ConfigIsAnOpusHead) {
  auto enc = open(AudioCodecKind::kOpus, AudioQuality::kHigh, 44100, 2);
  ASSERT_TRUE(enc);
  const ByteSpan h = enc->config();
  ASSERT_EQ(h.size(), 19u);
  EXPECT_EQ(std::string(h.begin(), h.begin() + 8), "OpusHead");
  EXPECT_EQ(h[8], 1);
  EXPECT_EQ(h[9], 2);
  const int pre_skip = h[10] | h[11] << 8;
  EXPECT_GT(pre_skip, 0);
  EXPECT_LT(pre_skip, 48 * 20);
  EXPECT_EQ(h[12] | h[13] << 8 | h[14] << 16 | uint32_t(h[15]) << 24, 44100u);
  EXPECT_EQ(h[16] | h[17] << 8, 0);
  EXPECT_EQ(h[18], 0);
  EXPECT_EQ(enc->name().rfind("libopus ", 0), 0u) << enc->name();
}

// Packet timestamps come from the sample count: AAC frames are 1024 samples (21.33 ms at 48 kHz), Opus
// frames 20 ms, whatever the blocks' own timestamps jitter by (up to 40 ms here).
TEST(AudioEncoder, TimestampsFollowTheSampleClockNotTheCallersJitter) {
  auto jitter = [](int i) { return (i * 37) % 81 - 40; };
  {
    auto enc = open(AudioCodecKind::kOpus, AudioQuality::kLow, 48000, 1);
    const Encoding run = feed(*enc, 48000, 1, 1.0, 5000, jitter);
    ASSERT_GE(run.timestamps.size(), 45u);
    const int64_t t0 = run.timestamps[0];
    EXPECT_NEAR(t0, 5000, 40);
    for (size_t i = 0; i < run.timestamps.size(); ++i) EXPECT_EQ(run.timestamps[i], t0 + int64_t(i) * 20) << i;
  }
  {
    auto enc = open(AudioCodecKind::kAac, AudioQuality::kLow, 48000, 1);
    const Encoding run = feed(*enc, 48000, 1, 1.0, 5000, jitter);
    ASSERT_GE(run.timestamps.size(), 40u);
    const int64_t t0 = run.timestamps[0];
    for (size_t i = 0; i < run.timestamps.size(); ++i)
      EXPECT_EQ(run.timestamps[i], t0 + int64_t(i) * 1024 * 1000 / 48000) << i;
  }
}

// A gap in capture of more than 100 ms (a suspended tab, a device switch) moves the clock to the new
// timestamps; packets before the gap keep theirs.
TEST(AudioEncoder, AGapOfMoreThan100MsReanchorsTheClock) {
  auto enc = open(AudioCodecKind::kOpus, AudioQuality::kLow, 48000, 1);
  const Encoding before = feed(*enc, 48000, 1, 0.5, 0, [](int) { return 0; });
  const Encoding after = feed(*enc, 48000, 1, 0.5, 2000, [](int) { return 0; });
  ASSERT_FALSE(before.timestamps.empty());
  ASSERT_FALSE(after.timestamps.empty());
  EXPECT_EQ(before.timestamps.front(), 0);
  EXPECT_EQ(before.timestamps.back(), 480);
  EXPECT_EQ(after.timestamps.front(), 2000);
  EXPECT_EQ(after.timestamps.back(), 2480);
}

TEST(AudioEncoder, RefusesRatesAndChannelCountsItCannotTake) {
  for (AudioCodecKind codec : {AudioCodecKind::kAac, AudioCodecKind::kOpus}) {
    for (int rate : {0, 1000, 7999, 192001, 400000}) {
      AudioEncoderOptions o;
      o.codec = codec;
      o.input_sample_rate = rate;
      EXPECT_EQ(open_audio_encoder(o).status().code(), ErrorCode::kUnsupported) << rate;
    }
    for (int channels : {0, 3, 8}) {
      AudioEncoderOptions o;
      o.codec = codec;
      o.input_channels = channels;
      EXPECT_EQ(open_audio_encoder(o).status().code(), ErrorCode::kUnsupported) << channels;
    }
  }
}

TEST(AudioEncoder, RefusesANullBlockAndReusesItsOutputList) {
  auto enc = open(AudioCodecKind::kOpus, AudioQuality::kLow, 48000, 1);
  std::vector<EncodedAudio> out;
  EXPECT_EQ(enc->encode(nullptr, 480, 0, &out).code(), ErrorCode::kInvalid);
  std::vector<float> pcm(960, 0.25f);
  ASSERT_TRUE(enc->encode(pcm.data(), 960, 0, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(enc->encode(pcm.data(), 480, 20, &out).ok());
  EXPECT_TRUE(out.empty());  // half a frame: nothing complete, and last call's packet is gone
}

}  // namespace
}  // namespace lw::codecs
