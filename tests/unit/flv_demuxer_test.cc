// The FLV demuxer against files made by Debian's ffmpeg (tests/vectors/make_vectors.sh): goldens,
// agreement with ffprobe's view of the same files, identical events for every split of the input,
// and byte-exact remuxing.
#include "flv/flv_demuxer.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "flv/flv_muxer.h"
#include "flv_test_util.h"

namespace lw::flv {
namespace {

using test::demux;
using test::lines;
using test::load_vector;

class FlvVector : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Ffmpeg, FlvVector, ::testing::ValuesIn(test::vector_names()),
                         [](const auto& info) { return info.param; });

// tests/golden/flv_<vector>.txt: one line per event (LW_REGENERATE_GOLDEN=1 rewrites).
TEST_P(FlvVector, DemuxMatchesGolden) {
  auto file = load_vector(GetParam() + ".flv");
  ASSERT_TRUE(file);
  const auto events = demux(as_span(*file));
  EXPECT_EQ(test::count_kind(events, EventKind::kWarning), 0u) << lines(events);
  EXPECT_EQ(test::count_kind(events, EventKind::kError), 0u) << lines(events);
  const std::string err = lw::test::check_golden("flv_" + GetParam() + ".txt", lines(events));
  EXPECT_EQ(err, "");
}

// ffprobe is an independent peer: every packet it reports must be one of our media events, in the
// same order, with the same dts, pts (FLV: dts + CompositionTime), payload size (AVC: body - 5,
// AAC: body - 2) and key flag. Sequence headers and the empty AVC end-of-sequence tag are not
// packets for ffmpeg (extradata, skipped).
TEST_P(FlvVector, AgreesWithFfprobePackets) {
  auto file = load_vector(GetParam() + ".flv");
  auto csv = lw::test::read_text(lw::test::vectors_dir() + "/" + GetParam() + ".packets.csv");
  ASSERT_TRUE(file);
  ASSERT_TRUE(csv) << "missing ffprobe output; run tests/vectors/make_vectors.sh";
  std::vector<std::string> ours;
  for (const auto& ev : demux(as_span(*file))) {
    if (ev.kind == EventKind::kAudio && !ev.audio.is_sequence_header()) {
      ours.push_back("audio," + std::to_string(ev.pts_ms()) + "," + std::to_string(ev.tag.timestamp_ms) + "," +
                     std::to_string(ev.payload().size()) + ",K_");
    } else if (ev.kind == EventKind::kVideo && ev.video.packet_type == VideoPacketType::kCodedFrames) {
      ours.push_back("video," + std::to_string(ev.pts_ms()) + "," + std::to_string(ev.tag.timestamp_ms) + "," +
                     std::to_string(ev.payload().size()) + (ev.video.key_frame() ? ",K_" : ",__"));
    }
  }
  std::vector<std::string> theirs;
  std::istringstream in(*csv);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) theirs.push_back(line);
  ASSERT_GT(theirs.size(), 30u);
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << "packet " << i;
}

// Any split of the input gives the same events: 1, 2, 7, 4096 bytes and random chunk sizes.
TEST_P(FlvVector, SameEventsForEverySplit) {
  auto file = load_vector(GetParam() + ".flv");
  ASSERT_TRUE(file);
  const std::string whole = lines(demux(as_span(*file)));
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{7}, size_t{4096}}) {
    EXPECT_EQ(lines(demux(as_span(*file), {chunk})), whole) << "chunks of " << chunk;
  }
  std::mt19937 rng(1234);
  for (int round = 0; round < 5; ++round) {
    std::vector<size_t> sizes;
    for (int i = 0; i < 64; ++i) sizes.push_back(1 + rng() % (round < 2 ? 20 : 3000));
    EXPECT_EQ(lines(demux(as_span(*file), sizes)), whole) << "random split round " << round;
  }
}

// Remux through the muxer's generic writers: header flags, script bodies as they are, media tags
// from the parsed headers (so header writing must reproduce ffmpeg's bytes).
Bytes remux(const std::vector<Event>& events) {
  Bytes out;
  Muxer mux;
  for (const auto& ev : events) {
    switch (ev.kind) {
      case EventKind::kHeader: mux.write_header(ev.header.has_audio, ev.header.has_video, out); break;
      case EventKind::kScript: EXPECT_TRUE(mux.write_tag(ev.tag, out).ok()); break;
      case EventKind::kAudio: EXPECT_TRUE(mux.write_audio(ev.audio, ev.tag.timestamp_ms, ev.payload(), out).ok()); break;
      case EventKind::kVideo: EXPECT_TRUE(mux.write_video(ev.video, ev.tag.timestamp_ms, ev.payload(), out).ok()); break;
      default: ADD_FAILURE() << test::event_line(ev);
    }
  }
  return out;
}

TEST_P(FlvVector, RemuxIsByteExact) {
  auto file = load_vector(GetParam() + ".flv");
  ASSERT_TRUE(file);
  const Bytes out = remux(demux(as_span(*file)));
  ASSERT_EQ(out.size(), file->size());
  EXPECT_TRUE(out == *file);
}

// Script data re-encoded from the decoded AMF0 values (not copied) still demuxes the same.
TEST_P(FlvVector, RemuxWithReencodedScriptDemuxesTheSame) {
  auto file = load_vector(GetParam() + ".flv");
  ASSERT_TRUE(file);
  const auto events = demux(as_span(*file));
  Bytes out;
  Muxer mux;
  for (const auto& ev : events) {
    if (ev.kind == EventKind::kHeader) mux.write_header(ev.header.has_audio, ev.header.has_video, out);
    if (ev.kind == EventKind::kScript) ASSERT_TRUE(mux.write_script(ev.tag.timestamp_ms, ev.script, out).ok());
    if (ev.kind == EventKind::kAudio) ASSERT_TRUE(mux.write_audio(ev.audio, ev.tag.timestamp_ms, ev.payload(), out).ok());
    if (ev.kind == EventKind::kVideo) ASSERT_TRUE(mux.write_video(ev.video, ev.tag.timestamp_ms, ev.payload(), out).ok());
  }
  const auto again = demux(as_span(out));
  ASSERT_EQ(again.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(again[i].kind, events[i].kind);
    EXPECT_EQ(again[i].script, events[i].script) << i;
    EXPECT_EQ(again[i].video, events[i].video) << i;
    EXPECT_EQ(again[i].audio, events[i].audio) << i;
    if (events[i].kind != EventKind::kScript) EXPECT_EQ(again[i].tag, events[i].tag) << i;
  }
}

TEST(FlvDemuxer, FfmpegMetadataIsDecoded) {
  auto file = load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  const auto events = demux(as_span(*file));
  ASSERT_GE(events.size(), 2u);
  ASSERT_EQ(events[0].kind, EventKind::kHeader);
  EXPECT_TRUE(events[0].header.has_audio);
  EXPECT_TRUE(events[0].header.has_video);
  ASSERT_EQ(events[1].kind, EventKind::kScript);
  EXPECT_EQ(events[1].script.name, "onMetaData");
  ASSERT_EQ(events[1].script.values.size(), 1u);
  const amf0::Value& meta = events[1].script.values[0];
  EXPECT_EQ(meta.number_or("width", 0), 320);
  EXPECT_EQ(meta.number_or("height", 0), 240);
  EXPECT_EQ(meta.number_or("videocodecid", 0), 7);
  EXPECT_EQ(meta.number_or("audiocodecid", 0), 10);
  EXPECT_EQ(meta.number_or("audiosamplerate", 0), 44100);
}

TEST(FlvDemuxer, BFramesHaveCompositionTimes) {
  auto file = load_vector("h264_aac_bframes.flv");
  ASSERT_TRUE(file);
  int positive = 0;
  for (const auto& ev : demux(as_span(*file)))
    if (ev.kind == EventKind::kVideo && ev.video.composition_time_ms > 0) ++positive;
  EXPECT_GT(positive, 10);
}

}  // namespace
}  // namespace lw::flv

namespace lw::flv {
namespace {

bool inside(ByteSpan part, const Bytes& whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// The per-tag path copies nothing: a tag wholly inside the fed bytes is a view of them.
TEST(FlvDemuxerZeroCopy, TagsInsideOneFeedViewTheFedBytes) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  Demuxer d;
  d.feed(as_span(*file));
  Event ev;
  size_t tags = 0;
  while (d.next(&ev)) {
    if (ev.kind != EventKind::kAudio && ev.kind != EventKind::kVideo && ev.kind != EventKind::kScript) continue;
    ++tags;
    EXPECT_TRUE(inside(ev.tag.body, *file)) << "tag " << tags << " was copied";
    EXPECT_TRUE(ev.owned_body.empty());
  }
  EXPECT_GT(tags, 100u);
}

// A tag cut by a feed boundary is assembled inside the demuxer and copied once into its event, so it
// outlives both the fed pieces and the demuxer, and survives copies of the event.
TEST(FlvDemuxerZeroCopy, TagStraddlingFeedsIsOwnedByItsEventAndSurvivesCopies) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  const auto whole = test::demux(as_span(*file));
  // Find a video tag well inside the file and cut the input in its middle.
  size_t target = 0;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (whole[i].kind == EventKind::kVideo && whole[i].offset > 4096 && whole[i].tag.body.size() > 100) {
      target = i;
      break;
    }
  }
  ASSERT_GT(target, 0u);
  const size_t cut = whole[target].offset + 11 + whole[target].tag.body.size() / 2;
  std::vector<Event> copies;
  {
    Demuxer d;
    Bytes first(file->begin(), file->begin() + static_cast<std::ptrdiff_t>(cut));
    Bytes second(file->begin() + static_cast<std::ptrdiff_t>(cut), file->end());
    d.feed(as_span(first));
    Event ev;
    while (d.next(&ev)) copies.push_back(ev);  // copy, not move
    d.feed(as_span(second));
    while (d.next(&ev)) {
      if (ev.offset == whole[target].offset) {
        EXPECT_FALSE(ev.owned_body.empty()) << "the straddling tag owns its body";
        EXPECT_FALSE(inside(ev.tag.body, first) || inside(ev.tag.body, second));
        Event copy = ev;
        copies.push_back(copy);
      }
    }
    std::fill(first.begin(), first.end(), 0);  // the fed pieces go away
    std::fill(second.begin(), second.end(), 0);
  }
  // The last copy is the straddling tag: its bytes are intact after the demuxer and pieces are gone.
  const Event& kept = copies.back();
  EXPECT_EQ(kept.offset, whole[target].offset);
  EXPECT_EQ(kept.tag.body.data(), kept.owned_body.data()) << "the copy views its own bytes";
  EXPECT_TRUE(kept.tag == whole[target].tag);
}

}  // namespace
}  // namespace lw::flv
