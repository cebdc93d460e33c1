// Parsing and writing the first bytes of audio/video tag bodies: the legacy AudioTagHeader /
// VideoTagHeader (FLV spec v10, E.4.2.1 and E.4.3.1, with the AVC/AAC packet type and composition
// time) and the Enhanced RTMP ExAudioTagHeader / ExVideoTagHeader (veovera enhanced-rtmp v2,
// "Enhanced Audio" / "Enhanced Video": ModEx, FourCC, and Multitrack in its three layouts).
//
// A Multitrack message carries several tracks in one tag body. parse_*_tag_header gives the first
// track's header; has_next_track / parse_next_*_track walk the others (each header has the track's
// id, codec, composition time and its payload's [payload_offset, payload_end) in the body):
//
//   96 11 'a' 'v' 'c' '1' | 00 00 00 0c | 00 00 00 ...9 bytes | 01 00 00 08 | 00 00 00 ...5 bytes
//   ^  ^  shared FourCC     ^  ^-------^   cts + track 0 data   track 1, 8 bytes: cts + data
//   |  ManyTracks | CodedFrames  track 0, sizeOfVideoTrack 12 (counted after the size field)
//   key frame | Multitrack
//
//   Result<VideoTagHeader> h = parse_video_tag_header(tag.body);
//   if (!h.ok()) { ...h.status().reason()... }
//   ByteSpan nalus = ByteSpan(tag.body).subspan(h->payload_offset);
//
//   Bytes body;  ByteWriter w(&body);
//   write_video_tag_header(VideoTagHeader::avc(VideoPacketType::kCodedFrames, true, 66), w);
//   w.bytes(nalus);   // body == 17 01 00 00 42 ...
//
// parse(write(h)) == h for every header write accepts, and write(parse(b)) reproduces the header
// bytes of b (the header keeps the optional ModEx / Multitrack fields for that reason).
#pragma once

#include <span>

#include "base/byte_writer.h"
#include "base/bytes.h"
#include "base/status.h"
#include "flv/flv_tag.h"

namespace lw::flv {

// Parses the video header at the start of a video tag body (the first track of a Multitrack message).
// Errors (kTruncated, kInvalid, kUnsupported for a reserved AvMultitrackType) name the field. Unknown
// legacy ids and FourCCs are not errors: codec is kUnknown and the payload is delivered.
Result<VideoTagHeader> parse_video_tag_header(ByteSpan body);
Result<AudioTagHeader> parse_audio_tag_header(ByteSpan body);

// True when a ManyTracks / ManyTracksManyCodecs body holds another track after `header`'s.
bool has_next_track(ByteSpan body, const VideoTagHeader& header);
bool has_next_track(ByteSpan body, const AudioTagHeader& header);
// The header of the track after `previous` (same message fields; its own id, FourCC if the layout
// has one per track, composition time and payload bounds). kTruncated when a sizeOfTrack claims more
// than the body holds; kMisuse when there is no next track.
Result<VideoTagHeader> parse_next_video_track(ByteSpan body, const VideoTagHeader& previous);
Result<AudioTagHeader> parse_next_audio_track(ByteSpan body, const AudioTagHeader& previous);

// Appends the header bytes (everything before payload_offset). `payload_offset` of the argument is
// ignored. Returns kInvalid when the fields cannot be expressed (e.g. a composition time outside
// SI24, a legacy header for a codec that has no legacy id).
Status write_video_tag_header(const VideoTagHeader& header, ByteWriter& writer);
Status write_audio_tag_header(const AudioTagHeader& header, ByteWriter& writer);
// For a multitrack header, write_*_tag_header writes the message part and the header's own track
// fields (sizeOfTrack from payload_end - payload_offset). The fields of a further track alone
// ([FourCC] trackId [sizeOfTrack] [CompositionTime]), `data_size` being the track's bytes after them:
Status write_video_track_fields(const VideoTagHeader& header, size_t data_size, ByteWriter& writer);
Status write_audio_track_fields(const AudioTagHeader& header, size_t data_size, ByteWriter& writer);

// One track's packet in a Multitrack message the muxer writes.
struct VideoTrackPacket {
  uint8_t track_id = 0;
  VideoCodec codec = VideoCodec::kAvc;
  int32_t cts_ms = 0;  // written for AVC/HEVC/VVC CodedFrames
  ByteSpan data;       // the codec data (AVCC NAL units, a configuration record)
};
struct AudioTrackPacket {
  uint8_t track_id = 0;
  AudioCodec codec = AudioCodec::kAac;
  ByteSpan data;
};
// A whole Multitrack body: `shared` gives frame_type, packet_type, multitrack_type and the ModEx nano
// offset (its codec and track fields are ignored); ManyTracks needs one codec for all tracks, OneTrack
// exactly one track. kInvalid otherwise.
Status write_multitrack_video(const VideoTagHeader& shared, std::span<const VideoTrackPacket> tracks, ByteWriter& writer);
Status write_multitrack_audio(const AudioTagHeader& shared, std::span<const AudioTrackPacket> tracks, ByteWriter& writer);

// Script data tag body (E.4.4.1): name string, then AMF0 values until the body ends.
Result<ScriptData> parse_script_data(ByteSpan body, const amf0::Limits& limits = {});
void write_script_data(const ScriptData& script, ByteWriter& writer);

// SI24 range of the composition time.
inline constexpr int32_t kMinCompositionTime = -0x800000;
inline constexpr int32_t kMaxCompositionTime = 0x7FFFFF;

}  // namespace lw::flv
