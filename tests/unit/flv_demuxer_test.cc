// The FLV demuxer against files made by Debian's ffmpeg (tests/vectors/make_vectors.sh): goldens,
// agreement with ffprobe's view of the same files, identical events for every split of the input,
// and byte-exact remuxing.
#include "flv/flv_demuxer.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// The per-tag path copies nothing: a tag wholly inside the fed bytes is a view of them, filled into
// the caller's Event in place (no owned copy, and the event's own buffer is not even touched).
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
    if (ev.kind == EventKind::kVideo) EXPECT_TRUE(inside(ev.payload(), *file));
  }
  EXPECT_GT(tags, 100u);
  // The tag bodies are the file's bytes at their offsets: offset + 11 is where the view starts.
  Demuxer again;
  again.feed(as_span(*file));
  while (again.next(&ev)) {
    if (ev.kind == EventKind::kVideo || ev.kind == EventKind::kAudio)
      ASSERT_EQ(ev.tag.body.data(), file->data() + ev.offset + 11);
  }
}

// Parsing is lazy: feed() only records the span and next() reads it, so nothing of a well-formed
// feed is held inside the demuxer (shown here by changing a fed byte between feed() and next(): the
// event reports the byte as next() found it; the contract asks callers not to do this).
TEST(FlvDemuxerZeroCopy, FeedOnlyRecordsTheSpanNextParses) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  ASSERT_EQ((*file)[4], 0x05);  // TypeFlags: audio | video
  Demuxer d;
  d.feed(as_span(*file));
  EXPECT_EQ(d.buffered(), 0u);
  (*file)[4] = 0x01;  // video only
  Event ev;
  ASSERT_TRUE(d.next(&ev));
  EXPECT_EQ(ev.kind, EventKind::kHeader);
  EXPECT_FALSE(ev.header.has_audio) << "the header was parsed at feed(), not at next()";
  EXPECT_TRUE(ev.header.has_video);
  ASSERT_TRUE(d.next(&ev));
  EXPECT_EQ(ev.kind, EventKind::kScript);
  EXPECT_EQ(ev.offset, 13u);
}

// A tag cut by a feed boundary is assembled in the demuxer's reused buffer and viewed there, correct
// byte for byte, until the next feed(); own_body() makes a copy that outlives the demuxer and
// survives copies of the event.
TEST(FlvDemuxerZeroCopy, TagStraddlingFeedsViewsTheAssemblyBufferUntilTheNextFeed) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  const auto whole = test::demux(as_span(*file));
  // Find two video tags well inside the file and cut the input in the middle of each.
  std::vector<size_t> targets;
  for (size_t i = 0; i < whole.size() && targets.size() < 2; ++i) {
    if (whole[i].kind == EventKind::kVideo && whole[i].offset > 4096 * (targets.size() + 1) &&
        whole[i].tag.body.size() > 100)
      targets.push_back(i);
  }
  ASSERT_EQ(targets.size(), 2u);
  std::vector<size_t> cuts;
  for (size_t t : targets) cuts.push_back(whole[t].offset + 11 + whole[t].tag.body.size() / 2);
  Bytes pieces[3] = {Bytes(file->begin(), file->begin() + static_cast<std::ptrdiff_t>(cuts[0])),
                     Bytes(file->begin() + static_cast<std::ptrdiff_t>(cuts[0]),
                           file->begin() + static_cast<std::ptrdiff_t>(cuts[1])),
                     Bytes(file->begin() + static_cast<std::ptrdiff_t>(cuts[1]), file->end())};
  Event kept;
  {
    Demuxer d;
    Event ev;
    const uint8_t* first_buffer = nullptr;
    for (int k = 0; k < 3; ++k) {
      d.feed(as_span(pieces[k]));
      std::vector<Event> this_feed;  // views of this feed's events: all valid until the next feed()
      while (d.next(&ev)) this_feed.push_back(ev);
      for (const Event& e : this_feed) {
        if (k == 0 || e.offset != whole[targets[size_t(k - 1)]].offset) {
          if (e.kind != EventKind::kHeader) EXPECT_TRUE(inside(e.tag.body, pieces[k])) << e.offset;
          continue;
        }
        const Event& want = whole[targets[size_t(k - 1)]];
        EXPECT_TRUE(e.owned_body.empty()) << "the straddling tag is not copied into its event";
        EXPECT_FALSE(inside(e.tag.body, pieces[k - 1]) || inside(e.tag.body, pieces[k]));
        EXPECT_TRUE(e.tag == want.tag) << "the assembled body is the tag's bytes";
        EXPECT_EQ(e.payload().size(), want.payload().size());
        // The two straddling tags are assembled in different buffers (the second one's assembly
        // began while the first one's view was still valid).
        if (k == 1) first_buffer = e.tag.body.data();
        if (k == 2) EXPECT_NE(e.tag.body.data(), first_buffer);
        if (k == 2) {
          kept = e;
          kept.own_body();
        }
      }
      // Every view of this feed's events is still intact after all of them were drained.
      for (const Event& e : this_feed) {
        if (e.kind != EventKind::kVideo && e.kind != EventKind::kAudio) continue;
        auto it = std::find_if(whole.begin(), whole.end(), [&](const Event& w) { return w.offset == e.offset; });
        ASSERT_NE(it, whole.end());
        EXPECT_TRUE(e.tag == it->tag) << "view of tag at " << e.offset << " changed before the next feed()";
      }
    }
    d.finish();
    while (d.next(&ev)) ADD_FAILURE() << "unexpected event " << test::event_line(ev);
    for (auto& p : pieces) std::fill(p.begin(), p.end(), 0);  // the fed pieces go away
  }
  const Event copy = kept;  // copies view their own bytes
  EXPECT_EQ(kept.tag.body.data(), kept.owned_body.data());
  EXPECT_EQ(copy.tag.body.data(), copy.owned_body.data());
  EXPECT_TRUE(copy.tag == whole[targets[1]].tag);
}

// The same events for every split, with the bodies taken as views and checked at once (not via
// own_body() copies), including 1-byte feeds where every tag straddles.
TEST(FlvDemuxerZeroCopy, ViewsAreRightForEverySplitWhenReadBeforeTheNextFeed) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  const auto whole = test::demux(as_span(*file));
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{1400}, size_t{65536}}) {
    Demuxer d;
    Event ev;
    size_t i = 0;
    auto check = [&] {
      while (d.next(&ev)) {
        ASSERT_LT(i, whole.size());
        ASSERT_EQ(test::event_line(ev), test::event_line(whole[i])) << "chunk " << chunk;
        ++i;
      }
    };
    for (size_t at = 0; at < file->size(); at += chunk) {
      d.feed(as_span(*file).subspan(at, std::min(chunk, file->size() - at)));
      check();
    }
    d.finish();
    check();
    EXPECT_EQ(i, whole.size()) << "chunk " << chunk;
  }
}

// Feeding again before draining still gives every event, in order, with bodies that survive the
// caller reusing its buffer (the rest of the previous bytes is parsed at that feed(), into copies).
TEST(FlvDemuxerZeroCopy, FeedBeforeDrainingCopiesTheRestAndLosesNothing) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  const auto whole = test::demux(as_span(*file));
  Demuxer d;
  Bytes reused(4000);
  std::vector<Event> got;
  Event ev;
  for (size_t at = 0, k = 0; at < file->size(); at += reused.size(), ++k) {
    const size_t n = std::min(reused.size(), file->size() - at);
    std::copy_n(file->begin() + static_cast<std::ptrdiff_t>(at), n, reused.begin());
    d.feed(ByteSpan(reused.data(), n));
    if (k % 3 == 2) {  // drain only now and then
      while (d.next(&ev)) got.push_back(ev);
      for (auto& e : got) e.own_body();
    } else {
      d.detach();  // what the wasm binding does before reusing its buffer
    }
  }
  d.finish();
  while (d.next(&ev)) {
    ev.own_body();
    got.push_back(ev);
  }
  ASSERT_EQ(got.size(), whole.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(test::event_line(got[i]), test::event_line(whole[i])) << i;
}

}  // namespace
}  // namespace lw::flv
