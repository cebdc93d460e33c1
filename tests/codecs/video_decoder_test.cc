// FfmpegVideoDecoder (wasm/codecs/video_decoder.h), natively: the FLV vectors (H.264 baseline and High
// with B-frames) and the HEVC elementary stream muxed by tools/annexb_access_units.h decode to every
// frame, in presentation order, at the right size, bit-identical to FFmpeg's own parser-driven decode;
// corrupt packets are error values and the decoder goes on; a new description reconfigures.
#include "codecs/video_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>

#include "../../tools/annexb_access_units.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "round_trip/video_round_trip.h"
#include "media_decoders.h"
#include "test_vectors.h"

namespace lw::codecs {
namespace {

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

struct Packet {
  Bytes data;
  int64_t pts_us = 0;
  bool key = false;
};

struct VideoTrack {
  std::string decoder;  // "h264" / "hevc"
  Bytes config;
  std::vector<Packet> packets;  // decode order
};

VideoTrack demux_video(const Bytes& flv) {
  VideoTrack t;
  flv::Demuxer demux;
  demux.feed(as_span(flv));
  demux.finish();
  flv::Event ev;
  while (demux.next(&ev)) {
    if (ev.kind != flv::EventKind::kVideo) continue;
    t.decoder = ev.video.codec == flv::VideoCodec::kHevc ? "hevc" : "h264";
    const ByteSpan p = ev.payload();
    if (ev.video.is_sequence_header()) {
      t.config.assign(p.begin(), p.end());
    } else if (!p.empty()) {
      t.packets.push_back({Bytes(p.begin(), p.end()), ev.pts_ms() * 1000, ev.video.key_frame()});
    }
  }
  return t;
}

struct Picture {
  int64_t pts_us;
  int width, height;
  std::vector<uint8_t> y;  // tightly packed luma
  std::vector<uint8_t> u;  // tightly packed first chroma plane (4:2:0)
};

Picture copy_picture(const VideoFrameView& f) {
  Picture p{f.pts_us, f.width, f.height, {}, {}};
  p.y.resize(static_cast<size_t>(f.width) * f.height);
  for (int r = 0; r < f.height; ++r) std::copy_n(f.y + static_cast<size_t>(r) * f.stride_y, f.width, p.y.data() + r * f.width);
  const int cw = (f.width + 1) / 2, ch = (f.height + 1) / 2;
  p.u.resize(static_cast<size_t>(cw) * ch);
  for (int r = 0; r < ch; ++r) std::copy_n(f.u + static_cast<size_t>(r) * f.stride_u, cw, p.u.data() + r * cw);
  return p;
}

// Decodes every packet, then flushes; fails the test on any error.
std::vector<Picture> decode_all(FfmpegVideoDecoder& dec, const VideoTrack& t) {
  std::vector<Picture> out;
  VideoFrameView f;
  for (const Packet& p : t.packets) {
    const Status s = dec.decode(as_span(p.data), p.pts_us, p.key);
    EXPECT_TRUE(s.ok()) << s.to_string();
    while (dec.next_frame(&f)) out.push_back(copy_picture(f));
  }
  EXPECT_TRUE(dec.flush().ok());
  while (dec.next_frame(&f)) out.push_back(copy_picture(f));
  return out;
}

std::vector<int64_t> sorted_pts(const VideoTrack& t) {
  std::vector<int64_t> pts;
  for (const Packet& p : t.packets) pts.push_back(p.pts_us);
  std::sort(pts.begin(), pts.end());
  return pts;
}

TEST(FfmpegVideoDecoder, BaselineFlvDecodesEveryFrameInOrderAtItsSize) {
  const VideoTrack t = demux_video(read_vector("h264_aac.flv"));
  ASSERT_EQ(t.packets.size(), 60u) << "vectors in " << vectors_dir() << " (tests/vectors/make_vectors.sh)";
  FfmpegVideoDecoder dec;
  ASSERT_TRUE(dec.configure(t.decoder, as_span(t.config)).ok());
  const auto pics = decode_all(dec, t);
  ASSERT_EQ(pics.size(), t.packets.size());
  const auto want = sorted_pts(t);
  for (size_t i = 0; i < pics.size(); ++i) {
    EXPECT_EQ(pics[i].pts_us, want[i]) << i;
    EXPECT_EQ(pics[i].width, 320);
    EXPECT_EQ(pics[i].height, 240);
  }
  EXPECT_EQ(dec.frames_out(), 60u);
  EXPECT_EQ(dec.frame_errors(), 0u);
}

// The B-frame stream comes out in pts order, all frames after the flush, and each picture matches the
// baseline stream's picture at the same place (same source, testsrc2 moves every frame: a reordering
// mistake would pair different pictures and fall far below 30 dB).
TEST(FfmpegVideoDecoder, BFramesComeOutInPresentationOrderAndMatchTheSameSource) {
  const VideoTrack b = demux_video(read_vector("h264_aac_bframes.flv"));
  const VideoTrack base = demux_video(read_vector("h264_aac.flv"));
  ASSERT_EQ(b.packets.size(), 60u);
  bool reordered = false;
  for (size_t i = 1; i < b.packets.size(); ++i) reordered |= b.packets[i].pts_us < b.packets[i - 1].pts_us;
  ASSERT_TRUE(reordered) << "the vector has no B-frames";

  FfmpegVideoDecoder dec, ref;
  ASSERT_TRUE(dec.configure("h264", as_span(b.config)).ok());
  ASSERT_TRUE(ref.configure("h264", as_span(base.config)).ok());
  const auto pics = decode_all(dec, b);
  const auto ref_pics = decode_all(ref, base);
  ASSERT_EQ(pics.size(), 60u);
  ASSERT_EQ(ref_pics.size(), 60u);
  const auto want = sorted_pts(b);
  for (size_t i = 0; i < pics.size(); ++i) {
    ASSERT_EQ(pics[i].pts_us, want[i]) << i;
    EXPECT_GT(test::psnr(pics[i].y.data(), ref_pics[i].y.data(), pics[i].y.size()), 30) << "frame " << i;
    if (i > 0) EXPECT_LT(test::psnr(pics[i].y.data(), ref_pics[i - 1].y.data(), pics[i].y.size()), 30) << i;
  }
}

// Without flush() the last frames stay in the reorder queue: flush() is what gets them out.
TEST(FfmpegVideoDecoder, FlushReleasesTheFramesHeldForReordering) {
  const VideoTrack b = demux_video(read_vector("h264_aac_bframes.flv"));
  FfmpegVideoDecoder dec;
  ASSERT_TRUE(dec.configure("h264", as_span(b.config)).ok());
  VideoFrameView f;
  size_t before = 0, after = 0;
  for (const Packet& p : b.packets) {
    ASSERT_TRUE(dec.decode(as_span(p.data), p.pts_us, p.key).ok());
    while (dec.next_frame(&f)) ++before;
  }
  ASSERT_LT(before, b.packets.size());
  ASSERT_TRUE(dec.flush().ok());
  while (dec.next_frame(&f)) ++after;
  EXPECT_EQ(before + after, b.packets.size());
  // And the decoder takes a new stream after the flush.
  ASSERT_TRUE(dec.decode(as_span(b.packets[0].data), 0, true).ok());
  ASSERT_TRUE(dec.flush().ok());
  EXPECT_TRUE(dec.next_frame(&f));
}

VideoTrack hevc_track() {
  const Bytes es = read_vector("hevc.h265");
  auto parsed = tools::parse_elementary_stream(as_span(es), /*hevc=*/true);
  EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
  VideoTrack t;
  if (!parsed.ok()) return t;
  t.decoder = "hevc";
  t.config = parsed->config;
  for (size_t i = 0; i < parsed->units.size(); ++i)
    t.packets.push_back({parsed->units[i].data, static_cast<int64_t>(i) * 33333, parsed->units[i].key});
  return t;
}

// The same FNV-1a over the visible luma that decode_annexb computes.
uint32_t luma_hash(const std::vector<Picture>& pics) {
  uint32_t hash = 2166136261u;
  for (const Picture& p : pics)
    for (uint8_t v : p.y) hash = (hash ^ v) * 16777619u;
  return hash;
}

TEST(FfmpegVideoDecoder, HevcFromHvccMatchesFfmpegsAnnexBDecodeBitForBit) {
  const VideoTrack t = hevc_track();
  ASSERT_EQ(t.packets.size(), 30u);
  ASSERT_TRUE(t.packets[0].key);
  FfmpegVideoDecoder dec;
  const Status s = dec.configure("hevc", as_span(t.config));
  ASSERT_TRUE(s.ok()) << s.to_string();
  const auto pics = decode_all(dec, t);
  ASSERT_EQ(pics.size(), 30u);
  for (size_t i = 0; i < pics.size(); ++i) {
    EXPECT_EQ(pics[i].pts_us, static_cast<int64_t>(i) * 33333);
    EXPECT_EQ(pics[i].width, 320);
    EXPECT_EQ(pics[i].height, 240);
  }
  const Bytes es = read_vector("hevc.h265");
  auto ref = decode_annexb("hevc", as_span(es));
  ASSERT_TRUE(ref.ok()) << ref.status().to_string();
  EXPECT_EQ(ref->frames, 30);
  EXPECT_EQ(luma_hash(pics), ref->checksum);
}

// What tools/flv_mux_tool.cc writes: hevc.h265 through flv::Muxer in both HEVC signallings, read back by
// flv::Demuxer and decoded, gives FFmpeg's own pictures.
TEST(FfmpegVideoDecoder, HevcFlvFromTheCoreMuxerDecodesInBothSignallings) {
  const VideoTrack src = hevc_track();
  ASSERT_EQ(src.packets.size(), 30u);
  const Bytes es = read_vector("hevc.h265");
  auto ref = decode_annexb("hevc", as_span(es));
  ASSERT_TRUE(ref.ok());
  for (auto how : {flv::Muxer::HevcSignalling::kLegacyId12, flv::Muxer::HevcSignalling::kEnhanced}) {
    Bytes flv;
    flv::Muxer mux;
    mux.write_header(false, true, flv);
    ASSERT_TRUE(mux.write_hevc_sequence_header(0, as_span(src.config), how, flv).ok());
    for (size_t i = 0; i < src.packets.size(); ++i)
      ASSERT_TRUE(mux.write_hevc_frame(uint32_t(i * 100 / 3), 0, src.packets[i].key, as_span(src.packets[i].data), how, flv).ok());
    const VideoTrack t = demux_video(flv);
    ASSERT_EQ(t.decoder, "hevc");
    ASSERT_EQ(t.packets.size(), 30u);
    FfmpegVideoDecoder dec;
    ASSERT_TRUE(dec.configure(t.decoder, as_span(t.config)).ok());
    const auto pics = decode_all(dec, t);
    ASSERT_EQ(pics.size(), 30u);
    EXPECT_EQ(luma_hash(pics), ref->checksum);
  }
}

// Frame threads (what livewasm_player_mt runs, for H.264 and HEVC): FFmpeg holds threads-1 packets before the
// first picture, so pictures come out late and the last ones only at flush(); all of them in presentation
// order (H.264 with B-frames: reordered as one thread reorders them) and the same pictures as one thread
// gives. A new configuration drains the held pictures of the old stream first.
TEST(FfmpegVideoDecoder, FrameThreadsGiveTheSamePicturesInOrderAndFlushDrainsTheHeldOnes) {
  const VideoTrack hevc = hevc_track();
  ASSERT_EQ(hevc.packets.size(), 30u);
  const VideoTrack h264 = demux_video(read_vector("h264_aac_bframes.flv"));
  ASSERT_GE(h264.packets.size(), 30u);
  for (const VideoTrack* t : {&hevc, &h264}) {
    SCOPED_TRACE(t->decoder);
    // The other codec, for the reconfiguration in the middle.
    const VideoTrack& other = t == &hevc ? h264 : hevc;
    FfmpegVideoDecoder one;
    ASSERT_TRUE(one.configure(t->decoder, as_span(t->config)).ok());
    const auto ref = decode_all(one, *t);
    ASSERT_EQ(ref.size(), t->packets.size());
    for (int threads : {2, 3, 4}) {
      SCOPED_TRACE(threads);
      FfmpegVideoDecoder dec;
      dec.set_threads(threads);
      EXPECT_EQ(dec.threads(), threads);
      ASSERT_TRUE(dec.configure(t->decoder, as_span(t->config)).ok());
      std::vector<Picture> pics;
      VideoFrameView f;
      for (const Packet& p : t->packets) {
        const Status s = dec.decode(as_span(p.data), p.pts_us, p.key);
        ASSERT_TRUE(s.ok()) << s.to_string();
        while (dec.next_frame(&f)) pics.push_back(copy_picture(f));
      }
      const size_t held_at_end = t->packets.size() - pics.size();
      EXPECT_GE(held_at_end, static_cast<size_t>(threads - 1)) << "frame threads hold packets back";
      ASSERT_TRUE(dec.flush().ok());
      while (dec.next_frame(&f)) pics.push_back(copy_picture(f));
      ASSERT_EQ(pics.size(), ref.size());
      for (size_t i = 0; i < pics.size(); ++i) {
        EXPECT_EQ(pics[i].pts_us, ref[i].pts_us) << i;
        if (i > 0) EXPECT_GT(pics[i].pts_us, pics[i - 1].pts_us) << "presentation order at " << i;
      }
      EXPECT_EQ(luma_hash(pics), luma_hash(ref));

      // After the flush the decoder takes the stream again from its key frame, and a reconfiguration in the
      // middle (a new codec) lets none of the held pictures go.
      size_t frames = 0;
      for (size_t i = 0; i < 10; ++i) {
        ASSERT_TRUE(dec.decode(as_span(t->packets[i].data), t->packets[i].pts_us, t->packets[i].key).ok());
        while (dec.next_frame(&f)) ++frames;
      }
      ASSERT_TRUE(dec.configure(other.decoder, as_span(other.config)).ok());
      const int width = ref[0].width;
      while (dec.next_frame(&f)) {
        EXPECT_EQ(f.width, width);
        ++frames;
      }
      EXPECT_EQ(frames, 10u);
    }
  }
  FfmpegVideoDecoder clamped;
  clamped.set_threads(0);
  EXPECT_EQ(clamped.threads(), 1);
  clamped.set_threads(1000);
  EXPECT_EQ(clamped.threads(), kMaxDecoderThreads);
}

// Corrupt packets: each is an error value with a reason; the good packets after them still decode.
TEST(FfmpegVideoDecoder, CorruptPacketsAreErrorsAndDecodingGoesOn) {
  const VideoTrack t = demux_video(read_vector("h264_aac.flv"));
  FfmpegVideoDecoder dec;
  ASSERT_TRUE(dec.configure("h264", as_span(t.config)).ok());
  VideoFrameView f;
  int frames = 0;
  auto good = [&](size_t i) {
    const Status s = dec.decode(as_span(t.packets[i].data), t.packets[i].pts_us, t.packets[i].key);
    EXPECT_TRUE(s.ok()) << i << ": " << s.to_string();
    while (dec.next_frame(&f)) ++frames;
  };
  for (size_t i = 0; i < 10; ++i) good(i);

  const Bytes& p = t.packets[10].data;
  const Bytes truncated(p.begin(), p.begin() + static_cast<long>(p.size() / 2));
  Status s = dec.decode(as_span(truncated), 1, false);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.reason().find("claims"), std::string::npos) << s.reason();

  std::mt19937 rng(6);
  Bytes noise(3000);
  for (auto& b : noise) b = static_cast<uint8_t>(rng());
  EXPECT_FALSE(dec.decode(as_span(noise), 2, false).ok());

  // Well framed, but the slice data is garbage: FFmpeg's own error (or concealment) – never a crash.
  Bytes garbage = t.packets[11].data;
  for (size_t i = 8; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(rng());
  (void)dec.decode(as_span(garbage), 3, false);
  while (dec.next_frame(&f)) {}

  EXPECT_FALSE(dec.decode({}, 4, false).ok());

  // From the next key frame on everything decodes.
  frames = 0;
  for (size_t i = 30; i < 60; ++i) good(i);
  ASSERT_TRUE(dec.flush().ok());
  while (dec.next_frame(&f)) ++frames;
  EXPECT_EQ(frames, 30);
}

TEST(FfmpegVideoDecoder, NewDescriptionReconfiguresWithoutLosingFrames) {
  const VideoTrack h264 = demux_video(read_vector("h264_aac_bframes.flv"));
  const VideoTrack hevc = hevc_track();
  FfmpegVideoDecoder dec;
  ASSERT_TRUE(dec.configure("h264", as_span(h264.config)).ok());
  VideoFrameView f;
  int frames = 0;
  for (const Packet& p : h264.packets) {
    ASSERT_TRUE(dec.decode(as_span(p.data), p.pts_us, p.key).ok());
    while (dec.next_frame(&f)) ++frames;
  }
  // Same config again: nothing happens (frames stay held).
  ASSERT_TRUE(dec.configure("h264", as_span(h264.config)).ok());
  EXPECT_EQ(dec.queued(), 0u);
  // A new codec: the held frames of the old stream come out first.
  ASSERT_TRUE(dec.configure("hevc", as_span(hevc.config)).ok());
  while (dec.next_frame(&f)) {
    EXPECT_EQ(f.width, 320);
    ++frames;
  }
  EXPECT_EQ(frames, 60);
  for (const Packet& p : hevc.packets) ASSERT_TRUE(dec.decode(as_span(p.data), p.pts_us, p.key).ok());
  ASSERT_TRUE(dec.flush().ok());
  int hevc_frames = 0;
  while (dec.next_frame(&f)) ++hevc_frames;
  EXPECT_EQ(hevc_frames, 30);
}

// Formats other than 8-bit 4:2:0 (H.264 High 4:4:4 and 4:2:2, HEVC Main 10) are converted into I420: the
// same source through libx264/libx265 at 8-bit 4:2:0 and through the other format gives pictures within
// 30 dB of each other, at the right size. Made with Debian's ffmpeg at test time (skipped without it).
struct FormatCase {
  const char* name;
  const char* codec;  // "h264" / "hevc"
  const char* args;   // ffmpeg output options
};

std::vector<Picture> decode_generated(const FormatCase& c, const std::string& dir) {
  const std::string file = dir + "/lw_fmt_" + c.name + (std::string(c.codec) == "hevc" ? ".h265" : ".h264");
  const std::string cmd = std::string("ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=s=96x64:r=10:d=1 ") +
                          c.args + " " + file;
  if (std::system(cmd.c_str()) != 0) return {};
  std::ifstream in(file, std::ios::binary);
  const Bytes es((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(file.c_str());
  auto parsed = tools::parse_elementary_stream(as_span(es), std::string(c.codec) == "hevc");
  EXPECT_TRUE(parsed.ok()) << c.name << ": " << parsed.status().to_string();
  if (!parsed.ok()) return {};
  VideoTrack t;
  t.decoder = c.codec;
  t.config = parsed->config;
  for (size_t i = 0; i < parsed->units.size(); ++i)
    t.packets.push_back({parsed->units[i].data, static_cast<int64_t>(i) * 100000, parsed->units[i].key});
  FfmpegVideoDecoder dec;
  const Status s = dec.configure(t.decoder, as_span(t.config));
  EXPECT_TRUE(s.ok()) << c.name << ": " << s.to_string();
  if (!s.ok()) return {};
  auto pics = decode_all(dec, t);
  EXPECT_EQ(dec.frame_errors(), 0u) << c.name << ": " << dec.last_error().to_string();
  return pics;
}

TEST(FfmpegVideoDecoder, OtherPixelFormatsAreConvertedToI420) {
  if (std::system("ffmpeg -hide_banner -loglevel quiet -version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const std::string dir = ::testing::TempDir();
  const FormatCase ref_case{"ref420", "h264", "-c:v libx264 -bf 0 -pix_fmt yuv420p -f h264"};
  const auto ref = decode_generated(ref_case, dir);
  ASSERT_EQ(ref.size(), 10u);
  for (const FormatCase& c : {FormatCase{"h264_444", "h264", "-c:v libx264 -bf 0 -pix_fmt yuv444p -f h264"},
                              FormatCase{"h264_422", "h264", "-c:v libx264 -bf 0 -pix_fmt yuv422p -f h264"},
                              FormatCase{"h264_420_10bit", "h264", "-c:v libx264 -bf 0 -pix_fmt yuv420p10le -f h264"},
                              FormatCase{"hevc_420_10bit", "hevc",
                                         "-c:v libx265 -x265-params log-level=error:bframes=0 -pix_fmt yuv420p10le -f hevc"}}) {
    const auto pics = decode_generated(c, dir);
    ASSERT_EQ(pics.size(), 10u) << c.name;
    for (size_t i = 0; i < pics.size(); ++i) {
      EXPECT_EQ(pics[i].width, 96) << c.name;
      EXPECT_EQ(pics[i].height, 64) << c.name;
      EXPECT_GT(test::psnr(pics[i].y.data(), ref[i].y.data(), ref[i].y.size()), 30) << c.name << " frame " << i;
      EXPECT_GT(test::psnr(pics[i].u.data(), ref[i].u.data(), ref[i].u.size()), 30) << c.name << " U, frame " << i;
    }
  }
}

// The bit-depth gate of the wasm builds (whose FFmpeg decodes 8-bit H.264 only): a High 10 record is
// refused with its bit depth named, 8-bit records pass, and natively (kMaxH264BitDepth 14) 10-bit passes.
// tests/wasm/decoders.test.mjs checks the same through the player's module.
TEST(FfmpegVideoDecoder, H264BitDepthGate) {
  if (std::system("ffmpeg -hide_banner -loglevel quiet -version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const std::string dir = ::testing::TempDir();
  auto record = [&](const char* name, const char* pix_fmt) {
    const std::string file = dir + "/lw_depth_" + name + ".h264";
    const std::string cmd = std::string("ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=s=96x64:r=10:d=0.3 ") +
                            "-c:v libx264 -bf 0 -pix_fmt " + pix_fmt + " -f h264 " + file;
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(file, std::ios::binary);
    const Bytes es((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::remove(file.c_str());
    auto parsed = tools::parse_elementary_stream(as_span(es), false);
    EXPECT_TRUE(parsed.ok()) << name;
    return parsed.ok() ? parsed->config : Bytes{};
  };
  const Bytes ten = record("10bit", "yuv420p10le");
  const Bytes eight = record("8bit", "yuv420p");
  ASSERT_FALSE(ten.empty());
  ASSERT_FALSE(eight.empty());
  const Status refused = check_h264_bit_depth(as_span(ten), 8);
  EXPECT_EQ(refused.code(), ErrorCode::kUnsupported);
  EXPECT_NE(refused.reason().find("10-bit H.264"), std::string::npos) << refused.reason();
  EXPECT_NE(refused.reason().find("not decoded in wasm"), std::string::npos) << refused.reason();
  EXPECT_TRUE(check_h264_bit_depth(as_span(eight), 8).ok());
  EXPECT_TRUE(check_h264_bit_depth(as_span(ten), 14).ok());
  EXPECT_TRUE(check_h264_bit_depth(as_span(ten), kMaxH264BitDepth).ok()) << "native FFmpeg decodes 10-bit H.264";
  const Bytes garbage = {1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 2, 0x67, 0x64};  // an SPS cut short: FFmpeg's to judge
  EXPECT_TRUE(check_h264_bit_depth(as_span(garbage), 8).ok());
}

TEST(FfmpegVideoDecoder, BadConfigurationsAreRefused) {
  FfmpegVideoDecoder dec;
  EXPECT_EQ(dec.configure("theora", {}).code(), ErrorCode::kUnsupported);  // a name it does not decode
  EXPECT_FALSE(dec.configure("h264", {}).ok());
  const Bytes bad_version = {2, 0x64, 0, 0x1f, 0xff, 0xe1, 0};
  EXPECT_FALSE(dec.configure("h264", as_span(bad_version)).ok());
  EXPECT_FALSE(dec.configured());
  EXPECT_EQ(dec.decode(as_span(bad_version), 0, true).code(), ErrorCode::kMisuse);
}

}  // namespace
}  // namespace lw::codecs
