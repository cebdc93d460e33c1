// FfmpegAudioDecoder (wasm/codecs/audio_decoder.h), natively: AAC from the FLV vector (ffmpeg's AAC,
// 44.1 kHz stereo) and from our encoder at 44.1/48 kHz mono/stereo, Opus from the Ogg vector (libopus):
// the 1 kHz tone comes out at 1 kHz and at its level as planar float, one plane per channel (a 2 kHz
// right channel stays on the right); corrupt frames are error values and the decoder goes on.
#include "codecs/audio_decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

#include "flv/flv_demuxer.h"
#include "codecs/audio_encoder.h"
#include "media_decoders.h"
#include "test_vectors.h"
#include "ogg_packets.h"

namespace lw::codecs {
namespace {

using lw::test::ogg_packets;

constexpr double kPi = 3.14159265358979323846;

using lw::test::vectors_dir;  // tests/unit/test_vectors.h: LW_TEST_VECTORS or <root>/build/vectors

// A missing vector fails the test with the command that makes it (the tests index what they read).
Bytes read_vector(const std::string& name) {
  std::ifstream in(vectors_dir() + "/" + name, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "missing test vector " << vectors_dir() << "/" << name
                  << "\n  run: tests/vectors/make_vectors.sh " << vectors_dir();
    return {};
  }
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Track {
  Bytes config;
  std::vector<Bytes> frames;
};

Track demux_audio(const Bytes& flv) {
  Track t;
  flv::Demuxer demux;
  demux.feed(as_span(flv));
  demux.finish();
  flv::Event ev;
  while (demux.next(&ev)) {
    if (ev.kind != flv::EventKind::kAudio) continue;
    const ByteSpan p = ev.payload();
    if (ev.audio.is_sequence_header()) {
      t.config.assign(p.begin(), p.end());
    } else if (!p.empty()) {
      t.frames.emplace_back(p.begin(), p.end());
    }
  }
  return t;
}

struct Decoded {
  int rate = 0, channels = 0;
  std::vector<std::vector<float>> planes;
  std::vector<int64_t> pts;
};

Decoded decode_all(FfmpegAudioDecoder& dec, const std::vector<Bytes>& frames, int64_t step_us) {
  Decoded d;
  for (size_t i = 0; i < frames.size(); ++i) {
    auto r = dec.decode(as_span(frames[i]), static_cast<int64_t>(i) * step_us);
    EXPECT_TRUE(r.ok()) << i << ": " << r.status().to_string();
    if (!r.ok() || r->frames == 0) continue;
    d.rate = r->sample_rate;
    d.channels = r->channels;
    d.planes.resize(r->channels);
    for (int c = 0; c < r->channels; ++c)
      d.planes[c].insert(d.planes[c].end(), r->planar + static_cast<size_t>(c) * r->frames,
                         r->planar + static_cast<size_t>(c + 1) * r->frames);
    d.pts.push_back(r->pts_us);
  }
  return d;
}

TEST(FfmpegAudioDecoder, AacFromTheFlvVectorIsA1kHzToneInBothChannels) {
  const Track t = demux_audio(read_vector("h264_aac.flv"));
  ASSERT_GT(t.frames.size(), 80u) << "vectors in " << vectors_dir();
  FfmpegAudioDecoder dec;
  ASSERT_TRUE(dec.configure("aac", as_span(t.config), 44100, 2).ok());
  const Decoded d = decode_all(dec, t.frames, 23220);
  EXPECT_EQ(d.rate, 44100);
  ASSERT_EQ(d.channels, 2);
  EXPECT_EQ(d.pts.size(), t.frames.size());
  EXPECT_EQ(d.pts[5], 5 * 23220);
  for (int c = 0; c < 2; ++c) {
    ASSERT_GE(d.planes[c].size(), 44100u);
    const auto tone = test::measure_tone(d.planes[c], 44100, 4096, 44100 / 2);
    EXPECT_NEAR(tone.frequency_hz, 1000, 5) << "channel " << c;
    EXPECT_GT(tone.rms, 0.05) << "channel " << c;
  }
}

struct AacCase {
  int rate;
  int channels;  // 1: low quality (mono); 2: high quality (stereo)
};

class AacDecoderCases : public ::testing::TestWithParam<AacCase> {};

INSTANTIATE_TEST_SUITE_P(RatesAndChannels, AacDecoderCases,
                         ::testing::Values(AacCase{44100, 1}, AacCase{44100, 2}, AacCase{48000, 1}, AacCase{48000, 2}),
                         [](const auto& info) {
                           return std::to_string(info.param.rate) + "Hz" + std::to_string(info.param.channels) + "ch";
                         });

// Our AAC encoder (FFmpeg's) makes the stream: left 1 kHz, right 2 kHz, so that swapped or mixed
// planes show.
TEST_P(AacDecoderCases, ToneComesOutAtItsFrequencyInItsChannel) {
  const AacCase c = GetParam();
  AudioEncoderOptions o;
  o.codec = AudioCodecKind::kAac;
  o.quality = c.channels == 2 ? AudioQuality::kHigh : AudioQuality::kLow;
  o.input_sample_rate = c.rate;
  o.input_channels = c.channels;
  auto enc = open_audio_encoder(o);
  ASSERT_TRUE(enc.ok()) << enc.status().to_string();
  ASSERT_EQ((*enc)->channels(), c.channels);
  std::vector<Bytes> frames;
  std::vector<EncodedAudio> out;
  const int block = c.rate / 100;
  std::vector<float> pcm(static_cast<size_t>(block) * c.channels);
  for (int start = 0, i = 0; start < c.rate; start += block, ++i) {
    for (int s = 0; s < block; ++s)
      for (int ch = 0; ch < c.channels; ++ch)
        pcm[size_t(s) * c.channels + ch] = static_cast<float>(0.5 * std::sin(2 * kPi * (1000.0 * (ch + 1)) * (start + s) / c.rate));
    ASSERT_TRUE((*enc)->encode(pcm.data(), block, i * 10, &out).ok());
    for (const EncodedAudio& a : out) frames.push_back(a.data);
  }
  FfmpegAudioDecoder dec;
  const ByteSpan config = (*enc)->config();
  ASSERT_TRUE(dec.configure("aac", config, c.rate, c.channels).ok());
  const Decoded d = decode_all(dec, frames, 1024 * 1000000LL / c.rate);
  EXPECT_EQ(d.rate, c.rate);
  ASSERT_EQ(d.channels, c.channels);
  for (int ch = 0; ch < c.channels; ++ch) {
    const auto tone = test::measure_tone(d.planes[ch], c.rate, 4096, c.rate / 2);
    EXPECT_NEAR(tone.frequency_hz, 1000.0 * (ch + 1), 10) << "channel " << ch;
    // Within 2 dB of the input's level (FFmpeg's encoder at 48 kHz mono is about 1.6 dB hot).
    EXPECT_NEAR(20 * std::log10(tone.rms / 0.354), 0, 2) << "channel " << ch;
  }
}

TEST(FfmpegAudioDecoder, OpusFromTheOggVectorIsA1kHzToneAt48kHz) {
  const auto packets = ogg_packets(read_vector("opus.ogg"));
  ASSERT_GT(packets.size(), 40u) << "vectors in " << vectors_dir();
  ASSERT_EQ(std::string(packets[0].begin(), packets[0].begin() + 8), "OpusHead");
  const Bytes& head = packets[0];
  const std::vector<Bytes> frames(packets.begin() + 2, packets.end());  // after OpusHead and OpusTags
  FfmpegAudioDecoder dec;
  ASSERT_TRUE(dec.configure("opus", as_span(head), 48000, head[9]).ok());
  const Decoded d = decode_all(dec, frames, 20000);
  EXPECT_EQ(d.rate, 48000);
  ASSERT_EQ(d.channels, head[9]);
  ASSERT_GE(d.planes[0].size(), 40000u);
  const auto tone = test::measure_tone(d.planes[0], 48000, 4800, 24000);
  EXPECT_NEAR(tone.frequency_hz, 1000, 5);
  EXPECT_GT(tone.rms, 0.05);
}

TEST(FfmpegAudioDecoder, CorruptAacFramesAreErrorsAndDecodingGoesOn) {
  const Track t = demux_audio(read_vector("h264_aac.flv"));
  FfmpegAudioDecoder dec;
  ASSERT_TRUE(dec.configure("aac", as_span(t.config), 44100, 2).ok());
  for (size_t i = 0; i < 10; ++i) ASSERT_TRUE(dec.decode(as_span(t.frames[i]), 0).ok());
  int errors = 0;
  // Truncated frames, then random bytes (fixed seed): each must be refused.
  for (size_t i = 10; i < 20; ++i) {
    const Bytes cut(t.frames[i].begin(), t.frames[i].begin() + static_cast<long>(t.frames[i].size() / 3));
    errors += !dec.decode(as_span(cut), 0).ok();
  }
  std::mt19937 rng(6);
  for (int k = 0; k < 10; ++k) {
    Bytes noise(200 + k * 20);
    for (auto& b : noise) b = static_cast<uint8_t>(rng());
    errors += !dec.decode(as_span(noise), 0).ok();
  }
  EXPECT_GE(errors, 18) << "of 20 corrupt frames";
  EXPECT_FALSE(dec.decode({}, 0).ok());
  std::vector<Bytes> rest(t.frames.begin() + 20, t.frames.end());
  const Decoded d = decode_all(dec, rest, 23220);
  ASSERT_EQ(d.channels, 2);
  const auto tone = test::measure_tone(d.planes[0], 44100, 4096, 22050);
  EXPECT_NEAR(tone.frequency_hz, 1000, 5);
}

TEST(FfmpegAudioDecoder, CorruptOpusPacketsDoNotStopTheDecoder) {
  const auto packets = ogg_packets(read_vector("opus.ogg"));
  ASSERT_GT(packets.size(), 40u) << "vectors in " << vectors_dir();
  FfmpegAudioDecoder dec;
  ASSERT_TRUE(dec.configure("opus", as_span(packets[0]), 48000, packets[0][9]).ok());
  // Opus frames carry no checksum, so random bytes often decode to noise: no error expected for each,
  // only that nothing breaks and the stream after them still decodes to the tone.
  std::mt19937 rng(6);
  for (int k = 0; k < 20; ++k) {
    Bytes noise(1 + k * 7);
    for (auto& b : noise) b = static_cast<uint8_t>(rng());
    (void)dec.decode(as_span(noise), 0);
  }
  EXPECT_FALSE(dec.decode({}, 0).ok());
  const Bytes bad_code = {0x03};  // code 3 without its frame count byte: malformed (RFC 6716 3.2.5)
  EXPECT_FALSE(dec.decode(as_span(bad_code), 0).ok());
  const std::vector<Bytes> frames(packets.begin() + 2, packets.end());
  const Decoded d = decode_all(dec, frames, 20000);
  const auto tone = test::measure_tone(d.planes[0], 48000, 4800, 24000);
  EXPECT_NEAR(tone.frequency_hz, 1000, 5);
}

TEST(FfmpegAudioDecoder, BadConfigurationsAreRefused) {
  FfmpegAudioDecoder dec;
  EXPECT_EQ(dec.configure("vorbis", {}, 44100, 2).code(), ErrorCode::kUnsupported);
  EXPECT_FALSE(dec.configure("aac", {}, 44100, 2).ok());
  const Bytes bad_asc = {0xF8, 0x00};  // audioObjectType escape with no extension bits
  EXPECT_FALSE(dec.configure("aac", as_span(bad_asc), 44100, 2).ok());
  EXPECT_EQ(dec.decode(as_span(bad_asc), 0).status().code(), ErrorCode::kMisuse);
}

}  // namespace
}  // namespace lw::codecs
