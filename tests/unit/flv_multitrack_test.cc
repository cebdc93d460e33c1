// Enhanced RTMP v2 Multitrack (veovera enhanced-rtmp v2, "ExVideoTagHeader" / "ExVideoTagBody" and the
// audio equivalents): the three AvMultitrackType layouts, from hand-written wire bytes and from bytes
// the muxer wrote, through the header parser and the demuxer's per-track events.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/byte_writer.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "flv/flv_tag_header.h"

namespace lw::flv {
namespace {

Bytes span_bytes(ByteSpan s) { return Bytes(s.begin(), s.end()); }

// Every track of a body: header + payload, walked with parse_*_tag_header / parse_next_*_track.
struct VideoTrackSeen {
  VideoTagHeader h;
  Bytes payload;
};
std::vector<VideoTrackSeen> video_tracks(const Bytes& body) {
  std::vector<VideoTrackSeen> out;
  auto h = parse_video_tag_header(body);
  EXPECT_TRUE(h.ok()) << h.status().to_string();
  if (!h.ok()) return out;
  for (;;) {
    out.push_back({*h, Bytes(body.begin() + long(h->payload_offset), body.begin() + long(h->payload_end))});
    if (!has_next_track(body, *h)) break;
    h = parse_next_video_track(body, *h);
    EXPECT_TRUE(h.ok()) << h.status().to_string();
    if (!h.ok()) break;
  }
  return out;
}

TEST(FlvMultitrack, ManyTracksOneCodecFromWireBytes) {
  // 96: key frame | Multitrack; 11: ManyTracks | CodedFrames; 'avc1' shared by the tracks;
  // track 0: size 5 = cts 00 00 21 (33 ms) + AA BB; track 1: size 4 = cts 00 00 00 + CC.
  const Bytes body = {0x96, 0x11, 'a', 'v', 'c', '1',                    //
                      0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x21, 0xAA, 0xBB,  //
                      0x01, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xCC};
  const auto tracks = video_tracks(body);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].h.multitrack_type, MultitrackType::kManyTracks);
  EXPECT_EQ(tracks[0].h.track_id, 0);
  EXPECT_EQ(tracks[0].h.codec, VideoCodec::kAvc);
  EXPECT_EQ(tracks[0].h.composition_time_ms, 33);
  EXPECT_TRUE(tracks[0].h.key_frame());
  EXPECT_EQ(tracks[0].payload, (Bytes{0xAA, 0xBB}));
  EXPECT_EQ(tracks[1].h.track_id, 1);
  EXPECT_EQ(tracks[1].h.codec, VideoCodec::kAvc);
  EXPECT_EQ(tracks[1].h.composition_time_ms, 0);
  EXPECT_EQ(tracks[1].payload, (Bytes{0xCC}));
  // Writing the first track's header gives back its bytes (message part + track 0's fields).
  Bytes again;
  ByteWriter w(&again);
  ASSERT_TRUE(write_video_tag_header(tracks[0].h, w).ok());
  EXPECT_EQ(again, Bytes(body.begin(), body.begin() + 13));
}

TEST(FlvMultitrack, ManyTracksManyCodecsReadsAFourccPerTrack) {
  // A6: inter | Multitrack; 23: ManyTracksManyCodecs | CodedFramesX; no shared FourCC.
  const Bytes body = {0xA6, 0x23, 'h', 'v', 'c', '1', 0x00, 0x00, 0x00, 0x02, 0x11, 0x22,  //
                      'a', 'v', '0', '1', 0x02, 0x00, 0x00, 0x01, 0x33};
  const auto tracks = video_tracks(body);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].h.codec, VideoCodec::kHevc);
  EXPECT_EQ(tracks[0].h.packet_type, VideoPacketType::kCodedFramesX);
  EXPECT_EQ(tracks[0].payload, (Bytes{0x11, 0x22}));
  EXPECT_EQ(tracks[1].h.codec, VideoCodec::kAv1);
  EXPECT_EQ(tracks[1].h.track_id, 2);
  EXPECT_FALSE(tracks[1].h.key_frame());
  EXPECT_EQ(tracks[1].payload, (Bytes{0x33}));
}

TEST(FlvMultitrack, ModExNanoOffsetThenManyTracks) {
  // 97: key | ModEx; 02 + 00 00 10: 16 ns; 06: TimestampOffsetNano | Multitrack; then ManyTracks.
  const Bytes body = {0x97, 0x02, 0x00, 0x00, 0x10, 0x06, 0x10, 'v', 'p', '0', '9',  //
                      0x00, 0x00, 0x00, 0x01, 0xAA, 0x01, 0x00, 0x00, 0x00};
  const auto tracks = video_tracks(body);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_TRUE(tracks[0].h.has_timestamp_offset_nano);
  EXPECT_EQ(tracks[0].h.timestamp_offset_nano, 16u);
  EXPECT_EQ(tracks[0].h.packet_type, VideoPacketType::kSequenceStart);
  EXPECT_EQ(tracks[1].h.codec, VideoCodec::kVp9);
  EXPECT_TRUE(tracks[1].payload.empty());  // a track may carry no bytes
}

TEST(FlvMultitrack, TrackSizeBeyondTheBodyIsTruncatedNotRead) {
  const Bytes body = {0x96, 0x11, 'a', 'v', 'c', '1', 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0xAA};
  auto h = parse_video_tag_header(body);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), ErrorCode::kTruncated);
  EXPECT_NE(h.status().reason().find("track 0 claims 9 bytes, 4 left"), std::string::npos) << h.status().reason();
  // A size too small for the composition time of AVC coded frames.
  const Bytes tiny = {0x96, 0x11, 'a', 'v', 'c', '1', 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
  EXPECT_EQ(parse_video_tag_header(tiny).status().code(), ErrorCode::kTruncated);
  // The second track's size is checked when it is reached.
  const Bytes second = {0x96, 0x11, 'a', 'v', 'c', '1', 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
                        0x01, 0x00, 0x00, 0x08, 0x00};
  auto first = parse_video_tag_header(second);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(has_next_track(second, *first));
  EXPECT_EQ(parse_next_video_track(second, *first).status().code(), ErrorCode::kTruncated);
}

TEST(FlvMultitrack, AudioManyTracksFromWireBytes) {
  // 95: ExHeader | Multitrack; 11: ManyTracks | CodedFrames; 'Opus'; track 0: FC; track 1: F8 FF.
  const Bytes body = {0x95, 0x11, 'O', 'p', 'u', 's', 0x00, 0x00, 0x00, 0x01, 0xFC,
                      0x01, 0x00, 0x00, 0x02, 0xF8, 0xFF};
  auto h = parse_audio_tag_header(body);
  ASSERT_TRUE(h.ok()) << h.status().to_string();
  EXPECT_EQ(h->codec, AudioCodec::kOpus);
  EXPECT_EQ(h->track_id, 0);
  EXPECT_EQ(span_bytes(ByteSpan(body).subspan(h->payload_offset, h->payload_end - h->payload_offset)), (Bytes{0xFC}));
  ASSERT_TRUE(has_next_track(body, *h));
  auto h1 = parse_next_audio_track(body, *h);
  ASSERT_TRUE(h1.ok());
  EXPECT_EQ(h1->track_id, 1);
  EXPECT_EQ(h1->payload_end, body.size());
  EXPECT_FALSE(has_next_track(body, *h1));
  EXPECT_EQ(parse_next_audio_track(body, *h1).status().code(), ErrorCode::kMisuse);
}

// Muxer-written tags, read back by the demuxer with split_tracks: one event per track.
Bytes two_track_stream() {
  Muxer mux;
  Bytes out;
  mux.write_header(true, true, out);
  const Bytes cfg0 = {0x01, 0x42, 0xC0, 0x1E}, cfg1 = {0x01, 0x4D, 0x40, 0x1F};
  const Bytes f0 = {0, 0, 0, 2, 0x65, 0x88}, f1 = {0, 0, 0, 1, 0x65};
  VideoTagHeader shared;
  shared.frame_type = VideoFrameType::kKey;
  shared.packet_type = VideoPacketType::kSequenceStart;
  shared.multitrack_type = MultitrackType::kManyTracks;
  std::vector<VideoTrackPacket> seq = {{0, VideoCodec::kAvc, 0, cfg0}, {1, VideoCodec::kAvc, 0, cfg1}};
  EXPECT_TRUE(mux.write_multitrack_video(shared, 0, seq, out).ok());
  shared.packet_type = VideoPacketType::kCodedFrames;
  std::vector<VideoTrackPacket> frames = {{0, VideoCodec::kAvc, 40, f0}, {1, VideoCodec::kAvc, -10, f1}};
  EXPECT_TRUE(mux.write_multitrack_video(shared, 0, frames, out).ok());
  AudioTagHeader ashared;
  ashared.packet_type = AudioPacketType::kCodedFrames;
  ashared.multitrack_type = MultitrackType::kManyTracksManyCodecs;
  const Bytes a0 = {0x21, 0x10}, a1 = {0xFC};
  std::vector<AudioTrackPacket> audio = {{0, AudioCodec::kAac, a0}, {3, AudioCodec::kOpus, a1}};
  EXPECT_TRUE(mux.write_multitrack_audio(ashared, 20, audio, out).ok());
  return out;
}

std::vector<Event> demux_all(const Bytes& data, bool split, size_t chunk) {
  Demuxer::Options o;
  o.split_tracks = split;
  Demuxer d(o);
  std::vector<Event> out;
  Event ev;
  for (size_t at = 0; at < data.size(); at += chunk) {
    d.feed(ByteSpan(data).subspan(at, std::min(chunk, data.size() - at)));
    while (d.next(&ev)) {
      ev.own_body();
      out.push_back(ev);
    }
  }
  d.finish();
  while (d.next(&ev)) out.push_back(ev);
  return out;
}

TEST(FlvMultitrack, DemuxerGivesOneEventPerTrackOfMuxerBytes) {
  const Bytes data = two_track_stream();
  for (size_t chunk : {data.size(), size_t{1}, size_t{7}}) {
    const auto evs = demux_all(data, true, chunk);
    ASSERT_EQ(evs.size(), 7u) << "chunk " << chunk;  // header, 2 seq, 2 frames, 2 audio
    EXPECT_EQ(evs[1].video.track_id, 0);
    EXPECT_EQ(evs[1].track_index, 0);
    EXPECT_EQ(span_bytes(evs[1].payload()), (Bytes{0x01, 0x42, 0xC0, 0x1E}));
    EXPECT_EQ(evs[2].video.track_id, 1);
    EXPECT_EQ(evs[2].track_index, 1);
    EXPECT_EQ(span_bytes(evs[2].payload()), (Bytes{0x01, 0x4D, 0x40, 0x1F}));
    EXPECT_EQ(evs[3].video.composition_time_ms, 40);
    EXPECT_EQ(span_bytes(evs[3].payload()), (Bytes{0, 0, 0, 2, 0x65, 0x88}));
    EXPECT_EQ(evs[4].video.composition_time_ms, -10);
    EXPECT_EQ(evs[4].video.track_id, 1);
    EXPECT_TRUE(evs[4].video.key_frame());
    EXPECT_EQ(span_bytes(evs[4].payload()), (Bytes{0, 0, 0, 1, 0x65}));
    EXPECT_EQ(evs[5].audio.codec, AudioCodec::kAac);
    EXPECT_EQ(span_bytes(evs[5].payload()), (Bytes{0x21, 0x10}));
    EXPECT_EQ(evs[6].audio.codec, AudioCodec::kOpus);
    EXPECT_EQ(evs[6].audio.track_id, 3);
    EXPECT_EQ(evs[6].tag.timestamp_ms, 20u);
    EXPECT_EQ(span_bytes(evs[6].payload()), (Bytes{0xFC}));
  }
}

TEST(FlvMultitrack, WithoutSplitOneEventPerTagWithTheFirstTrack) {
  // What the gateway uses: a relay forwards each tag once.
  const auto evs = demux_all(two_track_stream(), false, 1 << 20);
  ASSERT_EQ(evs.size(), 4u);
  EXPECT_EQ(evs[1].video.track_id, 0);
  EXPECT_EQ(span_bytes(evs[1].payload()), (Bytes{0x01, 0x42, 0xC0, 0x1E}));
}

TEST(FlvMultitrack, ABadSecondTrackIsReportedAndTheFirstKept) {
  Muxer mux;
  Bytes out;
  mux.write_header(false, true, out);
  const Bytes body = {0x96, 0x11, 'a', 'v', 'c', '1', 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
                      0x01, 0x00, 0x00, 0x08, 0x00};
  ASSERT_TRUE(mux.write_tag(TagType::kVideo, 0, body, out).ok());
  const auto evs = demux_all(out, true, out.size());
  ASSERT_EQ(evs.size(), 3u);
  EXPECT_EQ(evs[1].kind, EventKind::kVideo);
  EXPECT_EQ(evs[2].kind, EventKind::kWarning);
  EXPECT_NE(evs[2].status.reason().find("track 1 and after dropped"), std::string::npos) << evs[2].status.reason();
}

TEST(FlvMultitrack, MuxerRefusesLayoutsTheTracksDoNotFit) {
  Muxer mux;
  Bytes out;
  VideoTagHeader shared;
  shared.multitrack_type = MultitrackType::kManyTracks;
  const Bytes d = {1};
  std::vector<VideoTrackPacket> mixed = {{0, VideoCodec::kAvc, 0, d}, {1, VideoCodec::kHevc, 0, d}};
  EXPECT_EQ(mux.write_multitrack_video(shared, 0, mixed, out).code(), ErrorCode::kInvalid);
  shared.multitrack_type = MultitrackType::kOneTrack;
  EXPECT_EQ(mux.write_multitrack_video(shared, 0, mixed, out).code(), ErrorCode::kInvalid);
  EXPECT_TRUE(out.empty());  // nothing half-written
  mux.write_header(false, true, out);
  std::vector<VideoTrackPacket> one = {{5, VideoCodec::kHevc, 0, d}};
  ASSERT_TRUE(mux.write_multitrack_video(shared, 0, one, out).ok());
  const auto evs = demux_all(out, true, out.size());
  bool found = false;
  for (const auto& ev : evs) {
    if (ev.kind == EventKind::kVideo) {
      found = true;
      EXPECT_EQ(ev.video.track_id, 5);
      EXPECT_EQ(ev.video.multitrack_type, MultitrackType::kOneTrack);
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace lw::flv
