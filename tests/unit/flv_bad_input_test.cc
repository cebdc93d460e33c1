// Hostile and broken FLV input: every case ends in events with a reason, never a crash, a hang or an
// allocation sized by a length field.
#include <gtest/gtest.h>

#include <algorithm>

#include "base/byte_writer.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "flv_test_util.h"

namespace lw::flv {
namespace {

using test::count_kind;
using test::demux;
using test::event_line;
using test::lines;
using test::load_vector;

// A small well-formed stream: header, onMetaData, AVC + AAC sequence headers, 6 media tags.
Bytes small_stream() {
  Bytes out;
  Muxer mux;
  mux.write_header(true, true, out);
  EXPECT_TRUE(mux.write_metadata({{"width", amf0::Value::Number(320)}}, out).ok());
  const Bytes avcc = {0x01, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1E, 0x01, 0x00, 0x02, 0x68, 0xCE};
  EXPECT_TRUE(mux.write_avc_sequence_header(0, avcc, out).ok());
  EXPECT_TRUE(mux.write_aac_sequence_header(0, Bytes{0x12, 0x10}, out).ok());
  for (uint32_t i = 0; i < 6; ++i) {
    const Bytes nal = {0x00, 0x00, 0x00, 0x03, 0x65, uint8_t(i), 0x80};
    EXPECT_TRUE(mux.write_avc_frame(i * 33, 0, i == 0, nal, out).ok());
    EXPECT_TRUE(mux.write_aac_frame(i * 23, Bytes{0x21, uint8_t(i), 0x04}, out).ok());
  }
  return out;
}

std::vector<std::string> media_lines(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (e.kind == EventKind::kAudio || e.kind == EventKind::kVideo || e.kind == EventKind::kScript)
      out.push_back(event_line(e));
  return out;
}

// Offsets where tags start (after the 13 bytes of header and PreviousTagSize0).
std::vector<size_t> tag_offsets(const Bytes& flv) {
  std::vector<size_t> out;
  for (size_t p = 13; p + 11 <= flv.size();) {
    out.push_back(p);
    p += 11 + (size_t(flv[p + 1]) << 16 | size_t(flv[p + 2]) << 8 | flv[p + 3]) + 4;
  }
  return out;
}

TEST(FlvBadInput, TruncatedAtEveryOffsetReportsTruncationAndKeepsWholeTags) {
  auto file = load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  const Bytes head(file->begin(), file->begin() + 6000);  // header, metadata, configs, 10+ frames
  const auto full = demux(as_span(*file));
  const auto offsets = tag_offsets(*file);
  const auto want = media_lines(full);
  for (size_t cut = 0; cut < head.size(); ++cut) {
    const auto events = demux(ByteSpan(head.data(), cut));
    // Whole tags before the cut are all delivered, in order.
    size_t whole_tags = 0;
    for (size_t off : offsets) {
      const auto& f = *file;
      const size_t end = off + 11 + (size_t(f[off + 1]) << 16 | size_t(f[off + 2]) << 8 | f[off + 3]);
      if (end <= cut) ++whole_tags;  // body complete (PreviousTagSize may be cut: a warning)
    }
    const auto got = media_lines(events);
    ASSERT_EQ(got.size(), whole_tags) << "cut at " << cut << "\n" << lines(events);
    ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << "cut at " << cut;
    const bool at_boundary = cut == 13 || std::find(offsets.begin(), offsets.end(), cut) != offsets.end();
    const auto errors = count_kind(events, EventKind::kError);
    if (at_boundary) {
      EXPECT_EQ(errors, 0u) << "cut at " << cut << "\n" << lines(events);
    } else {
      // Exactly one kTruncated problem: an error for a partial unit, or a warning for a tag whose
      // PreviousTagSize is cut.
      size_t truncated = 0;
      for (const auto& e : events)
        if ((e.kind == EventKind::kError || e.kind == EventKind::kWarning) && e.status.code() == ErrorCode::kTruncated)
          ++truncated;
      EXPECT_EQ(truncated, 1u) << "cut at " << cut << "\n" << lines(events);
    }
  }
}

// Every 997th offset of the whole file (which kind of place each falls on depends on the encoder's output,
// which Debian's ffmpeg may make differently on another CPU): where a tag starts, a whole file with no
// problem; inside a tag, one truncation error, the last event; inside the PreviousTagSize after a whole tag,
// the tag and one truncation warning.
TEST(FlvBadInput, TruncatedFullFileAtSampledOffsets) {
  auto file = load_vector("h264_aac_bframes.flv");
  ASSERT_TRUE(file);
  const auto offsets = tag_offsets(*file);
  for (size_t cut = 6000; cut < file->size(); cut += 997) {
    const auto events = demux(ByteSpan(file->data(), cut));
    const auto problems = count_kind(events, EventKind::kWarning) + count_kind(events, EventKind::kError);
    if (std::find(offsets.begin(), offsets.end(), cut) != offsets.end()) {
      EXPECT_EQ(problems, 0u) << "cut at " << cut;
      continue;
    }
    const bool in_previous_tag_size = std::any_of(offsets.begin(), offsets.end(), [&](size_t next) { return next > cut && next - cut <= 4; });
    EXPECT_EQ(problems, 1u) << "cut at " << cut << "\n" << lines(events);
    const auto problem = std::find_if(events.begin(), events.end(), [](const auto& e) {
      return e.kind == EventKind::kWarning || e.kind == EventKind::kError;
    });
    ASSERT_NE(problem, events.end()) << "cut at " << cut;
    EXPECT_EQ(problem->status.code(), ErrorCode::kTruncated) << "cut at " << cut << ": " << event_line(*problem);
    EXPECT_EQ(problem->kind, in_previous_tag_size ? EventKind::kWarning : EventKind::kError) << "cut at " << cut;
    if (!in_previous_tag_size) EXPECT_EQ(problem, events.end() - 1) << "cut at " << cut << ": the error is the last event";
  }
}

TEST(FlvBadInput, EmptyInputIsAnError) {
  const auto events = demux({});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, EventKind::kError);
  EXPECT_EQ(events[0].status.code(), ErrorCode::kTruncated);
}

TEST(FlvBadInput, PreviousTagSizeGarbageResyncsWithoutLosingLaterTags) {
  Bytes flv = small_stream();
  const auto offsets = tag_offsets(flv);
  const auto want = media_lines(demux(as_span(flv)));
  // Overwrite the PreviousTagSize after the 5th tag (a video frame) with garbage.
  const size_t victim = 5;
  const size_t trailer = offsets[victim + 1] - 4;
  flv[trailer] = 0xDE, flv[trailer + 1] = 0xAD, flv[trailer + 2] = 0xBE, flv[trailer + 3] = 0xEF;
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{5}}) {
    const auto events = chunk ? demux(as_span(flv), {chunk}) : demux(as_span(flv));
    auto got = media_lines(events);
    auto expected = want;
    expected.erase(expected.begin() + static_cast<long>(victim));  // the tag with the bad trailer is dropped
    EXPECT_EQ(got, expected) << lines(events);
    ASSERT_EQ(count_kind(events, EventKind::kWarning), 2u) << lines(events);
    EXPECT_NE(lines(events).find("PreviousTagSize 3735928559 != 11 + DataSize"), std::string::npos);
    // Resync skipped exactly the dropped tag.
    const Event* resync = nullptr;
    for (const auto& e : events)
      if (e.kind == EventKind::kWarning && e.skipped_bytes) resync = &e;
    ASSERT_NE(resync, nullptr);
    EXPECT_EQ(resync->offset, offsets[victim + 1]);
    EXPECT_EQ(resync->skipped_bytes, offsets[victim + 1] - offsets[victim]);
  }
}

TEST(FlvBadInput, GarbageBetweenTagsIsSkippedAndCounted) {
  const Bytes clean = small_stream();
  const auto offsets = tag_offsets(clean);
  for (size_t where : {size_t{3}, offsets.size() - 1}) {  // in the middle; before the last tag
    Bytes flv(clean.begin(), clean.begin() + static_cast<long>(offsets[where]));
    const Bytes garbage = {0x09, 0x00, 0x00, 0x10, 0xAA, 0xBB, 0x12, 0x08, 0x00, 0x00, 0x07, 0x42, 0x13};
    flv.insert(flv.end(), garbage.begin(), garbage.end());
    flv.insert(flv.end(), clean.begin() + static_cast<long>(offsets[where]), clean.end());
    const auto events = demux(as_span(flv));
    EXPECT_EQ(media_lines(events), media_lines(demux(as_span(clean)))) << lines(events);
    uint64_t skipped = 0;
    for (const auto& e : events) skipped += e.skipped_bytes;
    EXPECT_EQ(skipped, garbage.size()) << lines(events);
    EXPECT_EQ(count_kind(events, EventKind::kError), 0u) << lines(events);
    EXPECT_EQ(lines(demux(as_span(flv), {1})), lines(events)) << "1-byte feeds";
  }
}

// FFmpeg's resync() rule: one consistent tag inside garbage is not enough, the next tag must be
// consistent too; otherwise a fake tag in the garbage would be delivered.
TEST(FlvBadInput, ResyncNeedsTwoConsecutiveConsistentTags) {
  const Bytes clean = small_stream();
  const auto offsets = tag_offsets(clean);
  Bytes flv(clean.begin(), clean.begin() + static_cast<long>(offsets[4]));
  // FF (not a tag), then a fake audio tag whose PreviousTagSize is right (12), then junk.
  const Bytes garbage = {0xFF, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                         0xAF, 0x00, 0x00, 0x00, 0x0C, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
                         0x00, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33};
  flv.insert(flv.end(), garbage.begin(), garbage.end());
  flv.insert(flv.end(), clean.begin() + static_cast<long>(offsets[4]), clean.end());
  const auto events = demux(as_span(flv));
  EXPECT_EQ(media_lines(events), media_lines(demux(as_span(clean)))) << lines(events);
  uint64_t skipped = 0;
  for (const auto& e : events) skipped += e.skipped_bytes;
  EXPECT_EQ(skipped, garbage.size()) << lines(events);
}

// Garbage that looks like a video tag claiming 512 KB, near the end of the input: the demuxer waits
// for the bytes (they could come); when the input ends instead, the tags inside are recovered.
TEST(FlvBadInput, PlausibleGarbageHeaderNearTheEndLosesNoTags) {
  const Bytes clean = small_stream();
  const auto offsets = tag_offsets(clean);
  const size_t where = offsets[offsets.size() - 3];
  Bytes flv(clean.begin(), clean.begin() + static_cast<long>(where));
  const Bytes garbage = {0x09, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5A};
  flv.insert(flv.end(), garbage.begin(), garbage.end());
  flv.insert(flv.end(), clean.begin() + static_cast<long>(where), clean.end());
  for (size_t chunk : {size_t{0}, size_t{1}}) {
    const auto events = chunk ? demux(as_span(flv), {chunk}) : demux(as_span(flv));
    EXPECT_EQ(media_lines(events), media_lines(demux(as_span(clean)))) << lines(events);
    uint64_t skipped = 0;
    for (const auto& e : events) skipped += e.skipped_bytes;
    EXPECT_EQ(skipped, garbage.size()) << lines(events);
    EXPECT_NE(lines(events).find("runs past the end of the input"), std::string::npos) << lines(events);
    EXPECT_EQ(count_kind(events, EventKind::kError), 0u) << lines(events);
  }
}

TEST(FlvBadInput, DataSizeFFFFFFWithNoDataIsNotTrustedOrAllocated) {
  Bytes flv;
  Muxer().write_header(true, true, flv);
  const Bytes tag = {0x09, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  flv.insert(flv.end(), tag.begin(), tag.end());
  // Default limit (8 MiB): the size is refused at once, the bytes searched for tags.
  auto events = demux(as_span(flv));
  ASSERT_GE(events.size(), 3u) << lines(events);
  EXPECT_EQ(events[1].status.code(), ErrorCode::kLimitExceeded) << lines(events);
  EXPECT_EQ(events.back().kind, EventKind::kError);
  // Limit at the format maximum: the tag waits for its bytes, buffering only what arrived.
  Demuxer::Options big;
  big.max_tag_size = kMaxDataSize;
  Demuxer d(big);
  d.feed(as_span(flv));
  events = test::drain(d);  // next() parses: the tag header is then held, waiting for its body
  EXPECT_EQ(d.buffered(), 11u);
  d.finish();
  for (auto& e : test::drain(d)) events.push_back(std::move(e));
  ASSERT_EQ(events.size(), 2u) << lines(events);
  EXPECT_EQ(events[1].status.code(), ErrorCode::kTruncated);
  EXPECT_NE(events[1].status.reason().find("DataSize 16777215"), std::string::npos) << lines(events);
}

TEST(FlvBadInput, FourGigabyteDataOffsetIsIgnored) {
  Bytes flv = small_stream();
  flv[5] = flv[6] = flv[7] = flv[8] = 0xFF;  // DataOffset 0xFFFFFFFF
  const auto events = demux(as_span(flv));
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0].header.data_offset, 0xFFFFFFFFu);
  EXPECT_EQ(events[1].kind, EventKind::kWarning);
  EXPECT_EQ(events[1].status.code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(media_lines(events), media_lines(demux(as_span(small_stream()))));
}

TEST(FlvBadInput, FourGigabytePreviousTagSizeResyncs) {
  Bytes flv = small_stream();
  const auto offsets = tag_offsets(flv);
  const size_t trailer = offsets[2] - 4;
  std::fill(flv.begin() + static_cast<long>(trailer), flv.begin() + static_cast<long>(trailer) + 4, 0xFF);
  const auto events = demux(as_span(flv));
  EXPECT_EQ(media_lines(events).size(), media_lines(demux(as_span(small_stream()))).size() - 1) << lines(events);
  EXPECT_NE(lines(events).find("PreviousTagSize 4294967295"), std::string::npos) << lines(events);
}

TEST(FlvBadInput, DataOffsetPaddingIsSkipped) {
  Bytes clean = small_stream();
  Bytes flv(clean.begin(), clean.begin() + 9);
  flv[8] = 13;  // DataOffset 13: four extra header bytes
  flv.insert(flv.end(), {0xAA, 0xBB, 0xCC, 0xDD});
  flv.insert(flv.end(), clean.begin() + 9, clean.end());
  const auto events = demux(as_span(flv), {1});
  EXPECT_EQ(count_kind(events, EventKind::kWarning), 0u) << lines(events);
  EXPECT_EQ(media_lines(events), media_lines(demux(as_span(clean))));
}

TEST(FlvBadInput, TimestampsGoingBackwardsAreFlagged) {
  Bytes flv;
  Muxer mux;
  mux.write_header(true, false, flv);
  for (uint32_t ts : {0u, 23u, 46u, 10u, 33u, 200000u}) ASSERT_TRUE(mux.write_aac_frame(ts, Bytes{0x21}, flv).ok());
  const auto events = demux(as_span(flv));
  std::vector<std::string> warnings;
  std::vector<bool> flagged;
  for (const auto& e : events) {
    if (e.kind == EventKind::kWarning) warnings.push_back(e.status.reason());
    if (e.kind == EventKind::kAudio) flagged.push_back(e.timestamp_discontinuity);
  }
  ASSERT_EQ(warnings.size(), 2u) << lines(events);
  EXPECT_NE(warnings[0].find("audio timestamp went backwards from 46 to 10 ms"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("jumped forward from 33 to 200000"), std::string::npos) << warnings[1];
  EXPECT_EQ(flagged, (std::vector<bool>{false, false, false, true, false, true}));
}

TEST(FlvBadInput, HugeCompositionTimeIsFlagged) {
  Bytes flv;
  Muxer mux;
  mux.write_header(false, true, flv);
  ASSERT_TRUE(mux.write_avc_frame(0, 0x7FFFFF, true, Bytes{0, 0, 0, 1, 0x65}, flv).ok());
  const auto events = demux(as_span(flv));
  ASSERT_EQ(events.size(), 3u) << lines(events);
  EXPECT_EQ(events[1].kind, EventKind::kWarning);
  EXPECT_TRUE(events[2].timestamp_discontinuity);
  EXPECT_EQ(events[2].video.composition_time_ms, 0x7FFFFF);
}

TEST(FlvBadInput, UnknownAndEncryptedTagTypesAreSkippedWithAWarning) {
  Bytes flv;
  Muxer mux;
  mux.write_header(true, false, flv);
  ASSERT_TRUE(mux.write_aac_frame(0, Bytes{0x21}, flv).ok());
  const size_t unknown = flv.size();
  ASSERT_TRUE(mux.write_aac_frame(1, Bytes{0x21, 0x22}, flv).ok());
  flv[unknown] = 15;  // unknown TagType
  const size_t encrypted = flv.size();
  ASSERT_TRUE(mux.write_aac_frame(2, Bytes{0x21, 0x22}, flv).ok());
  flv[encrypted] = 0x28;  // Filter bit | audio
  ASSERT_TRUE(mux.write_aac_frame(3, Bytes{0x21}, flv).ok());
  const auto events = demux(as_span(flv));
  ASSERT_EQ(events.size(), 6u) << lines(events);
  EXPECT_EQ(events[2].status.code(), ErrorCode::kUnsupported);
  EXPECT_NE(events[2].status.reason().find("unknown tag type byte 15"), std::string::npos);
  EXPECT_EQ(events[3].skipped_bytes, 11u + 4 + 4) << "resync skipped exactly the unknown tag";
  EXPECT_NE(events[4].status.reason().find("encrypted"), std::string::npos);
  EXPECT_EQ(events[4].skipped_bytes, 11u + 4 + 4);
  EXPECT_EQ(events[5].tag.timestamp_ms, 3u);
  EXPECT_EQ(lines(demux(as_span(flv), {1})), lines(events));
}

TEST(FlvBadInput, EmptyAndMalformedMediaTagsAreDroppedWithAReason) {
  Bytes flv;
  Muxer mux;
  mux.write_header(true, true, flv);
  ASSERT_TRUE(mux.write_tag(TagType::kAudio, 0, {}, flv).ok());           // silence message
  ASSERT_TRUE(mux.write_tag(TagType::kVideo, 0, Bytes{0x17, 0x05}, flv).ok());  // AVCPacketType 5
  ASSERT_TRUE(mux.write_tag(TagType::kScript, 0, Bytes{0x02, 0x00, 0x09}, flv).ok());  // string cut short
  ASSERT_TRUE(mux.write_tag(TagType::kVideo, 0, Bytes{0x17, 0x01, 0x00}, flv).ok());   // cts cut short
  const auto events = demux(as_span(flv));
  ASSERT_EQ(events.size(), 5u) << lines(events);
  EXPECT_NE(events[1].status.reason().find("silence"), std::string::npos) << lines(events);
  EXPECT_NE(events[2].status.reason().find("AVCPacketType 5"), std::string::npos) << lines(events);
  EXPECT_NE(events[3].status.reason().find("script"), std::string::npos) << lines(events);
  EXPECT_EQ(events[4].status.code(), ErrorCode::kTruncated) << lines(events);
  EXPECT_NE(events[4].status.reason().find("CompositionTime"), std::string::npos) << lines(events);
}

TEST(FlvBadInput, BadSignatureIsAnErrorThenTagsAreFound) {
  Bytes flv = small_stream();
  flv[0] = 'X';
  const auto events = demux(as_span(flv));
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0].kind, EventKind::kError);
  EXPECT_EQ(events[1].kind, EventKind::kWarning);  // resynchronised
  EXPECT_EQ(events[1].offset, 13u);
  EXPECT_EQ(media_lines(events), media_lines(demux(as_span(small_stream()))));
}

TEST(FlvBadInput, NonStandardPreviousTagSizeIsAcceptedWithAWarning) {
  Bytes flv;
  Muxer mux;
  mux.write_header(true, false, flv);
  ASSERT_TRUE(mux.write_aac_frame(0, Bytes{0x21}, flv).ok());
  flv[flv.size() - 1] -= 1;  // DataSize + 10, as some old muxers wrote
  ASSERT_TRUE(mux.write_aac_frame(1, Bytes{0x21}, flv).ok());
  const auto events = demux(as_span(flv));
  EXPECT_EQ(media_lines(events).size(), 2u) << lines(events);
  EXPECT_EQ(count_kind(events, EventKind::kWarning), 1u) << lines(events);
}

TEST(FlvBadInput, FeedAfterFinishIsMisuse) {
  Demuxer d;
  d.finish();
  test::drain(d);
  const Bytes more = {1, 2, 3};
  EXPECT_EQ(d.feed(more), 3u);
  const auto events = test::drain(d);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].status.code(), ErrorCode::kMisuse);
}

TEST(FlvBadInput, PureGarbageEndsInOneErrorWithEverythingSkipped) {
  Bytes junk(5000);
  for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<uint8_t>(i * 7 + 3);
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{333}}) {
    const auto events = chunk ? demux(as_span(junk), {chunk}) : demux(as_span(junk));
    ASSERT_EQ(events.size(), 2u) << lines(events);
    EXPECT_EQ(events[1].kind, EventKind::kError);
    EXPECT_EQ(events[1].skipped_bytes, junk.size());
  }
}

TEST(FlvBadInput, HeaderlessTagStream) {
  const Bytes flv = small_stream();
  Demuxer::Options o;
  o.expect_header = false;
  const auto events = demux(ByteSpan(flv).subspan(13), {3}, o);
  EXPECT_EQ(media_lines(events), media_lines(demux(as_span(flv))));
  EXPECT_EQ(count_kind(events, EventKind::kWarning) + count_kind(events, EventKind::kError), 0u);
}

}  // namespace
}  // namespace lw::flv
