// ffprobe (Debian's ffmpeg 5.1, an independent peer) accepts what our muxer writes. The ffmpeg-made
// vectors are demuxed and written again through the muxer's codec helpers (header, onMetaData, AVC
// and AAC sequence headers, frames with composition time and key flags); ffprobe must then report
// the same codecs, picture size, sample rate, channels, decoded frame count, and the very same
// packets (pts, dts, size, flags) as for ffmpeg's own file. Native only: it runs a process.
#ifndef __EMSCRIPTEN__

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "flv/flv_muxer.h"
#include "flv_test_util.h"

namespace lw::flv {
namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

// "codec_name=h264|codec_type=video|width=320" -> {codec_name: h264, ...}
std::map<std::string, std::string> fields(const std::string& line) {
  std::map<std::string, std::string> out;
  std::istringstream in(line);
  for (std::string kv; std::getline(in, kv, '|');) {
    const auto eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

struct Remuxed {
  Bytes flv;
  size_t video_frames = 0, audio_frames = 0;
};

Remuxed remux_with_helpers(const std::vector<Event>& events) {
  Remuxed r;
  Muxer mux;
  for (const auto& ev : events) {
    switch (ev.kind) {
      case EventKind::kHeader: mux.write_header(ev.header.has_audio, ev.header.has_video, r.flv); break;
      case EventKind::kScript: {
        // Our own onMetaData from the values ffmpeg wrote (no duration/filesize: a live writer
        // cannot know them).
        std::vector<amf0::Property> props;
        for (const auto& p : ev.script.values.at(0).properties)
          if (p.key != "duration" && p.key != "filesize") props.push_back(p);
        EXPECT_TRUE(mux.write_metadata(props, r.flv).ok());
        break;
      }
      case EventKind::kVideo:
        if (ev.video.packet_type == VideoPacketType::kSequenceStart) {
          EXPECT_TRUE(mux.write_avc_sequence_header(ev.tag.timestamp_ms, ev.payload(), r.flv).ok());
        } else if (ev.video.packet_type == VideoPacketType::kSequenceEnd) {
          EXPECT_TRUE(mux.write_avc_end_of_sequence(ev.tag.timestamp_ms, r.flv).ok());
        } else {
          EXPECT_TRUE(mux.write_avc_frame(ev.tag.timestamp_ms, ev.video.composition_time_ms, ev.video.key_frame(),
                                          ev.payload(), r.flv)
                          .ok());
          ++r.video_frames;
        }
        break;
      case EventKind::kAudio:
        if (ev.audio.is_sequence_header()) {
          EXPECT_TRUE(mux.write_aac_sequence_header(ev.tag.timestamp_ms, ev.payload(), r.flv).ok());
        } else {
          EXPECT_TRUE(mux.write_aac_frame(ev.tag.timestamp_ms, ev.payload(), r.flv).ok());
          ++r.audio_frames;
        }
        break;
      default: ADD_FAILURE() << test::event_line(ev);
    }
  }
  return r;
}

class FlvFfprobe : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Ffmpeg, FlvFfprobe, ::testing::ValuesIn(test::vector_names()),
                         [](const auto& info) { return info.param; });

TEST_P(FlvFfprobe, AcceptsRemuxedFile) {
  ASSERT_NE(run("ffprobe -version 2>/dev/null").find("ffprobe version"), std::string::npos)
      << "ffprobe is missing (scripts/setup.sh installs it)";
  auto file = test::load_vector(GetParam() + ".flv");
  auto packets = lw::test::read_text(lw::test::vectors_dir() + "/" + GetParam() + ".packets.csv");
  ASSERT_TRUE(file);
  ASSERT_TRUE(packets);
  const Remuxed r = remux_with_helpers(test::demux(as_span(*file)));

  const auto dir = std::filesystem::temp_directory_path() / "lw_flv_ffprobe";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / (GetParam() + ".flv")).string();
  ASSERT_TRUE(lw::test::write_text(path, std::string(r.flv.begin(), r.flv.end())));

  // Streams: codecs, size, rate, channels, and frames decoded.
  const std::string streams =
      run("ffprobe -v error -count_frames -show_entries "
          "stream=codec_name,codec_type,width,height,sample_rate,channels,nb_read_frames -of compact=p=0 '" +
          path + "' 2>&1");
  std::istringstream in(streams);
  int seen = 0;
  for (std::string line; std::getline(in, line);) {
    auto f = fields(line);
    if (f["codec_type"] == "video") {
      ++seen;
      EXPECT_EQ(f["codec_name"], "h264");
      EXPECT_EQ(f["width"], "320");
      EXPECT_EQ(f["height"], "240");
      EXPECT_EQ(f["nb_read_frames"], std::to_string(r.video_frames));
    } else if (f["codec_type"] == "audio") {
      ++seen;
      EXPECT_EQ(f["codec_name"], "aac");
      EXPECT_EQ(f["sample_rate"], "44100");
      EXPECT_EQ(f["channels"], "2");
      EXPECT_EQ(f["nb_read_frames"], std::to_string(r.audio_frames));
    } else {
      ADD_FAILURE() << "unexpected ffprobe line: " << line;
    }
  }
  EXPECT_EQ(seen, GetParam() == "h264_aac" || GetParam() == "h264_aac_bframes" ? 2 : 1) << streams;
  EXPECT_GT(r.video_frames + r.audio_frames, 30u);

  // Packets: the same as ffprobe reports for ffmpeg's own file.
  const std::string ours = run(
      "ffprobe -v error -show_packets -show_entries packet=codec_type,pts,dts,size,flags -of csv=p=0 '" + path + "'");
  EXPECT_EQ(ours, *packets);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace lw::flv

#endif  // __EMSCRIPTEN__
