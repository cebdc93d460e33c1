#include "flv/flv_tag_header.h"

#include <string>

#include "base/byte_reader.h"

namespace lw::flv {
namespace {

Status truncated(std::string_view where, std::string_view field) {
  return Status(ErrorCode::kTruncated, std::string(where) + ": body ends inside " + std::string(field));
}

Status invalid(std::string_view where, std::string reason) {
  return Status(ErrorCode::kInvalid, std::string(where) + ": " + reason);
}

// Codecs whose Enhanced RTMP CodedFrames (and legacy AVC-layout frames) carry an SI24
// CompositionTime before the data (Enhanced RTMP v2, ExVideoTagBody).
bool codec_has_composition_time(VideoCodec codec) {
  return codec == VideoCodec::kAvc || codec == VideoCodec::kHevc || codec == VideoCodec::kVvc;
}

// Enhanced RTMP "ModEx" entries (packet type 7) between the first byte and the FourCC:
//   UI8 size-1 [UI16 size-1 if the UI8 was 255] | size bytes of data | UB[4] ModExType | UB[4] type
// The only defined type, TimestampOffsetNano (0), holds a UI24 in the first 3 data bytes. Unknown
// ModEx types are skipped, as the spec asks ("handle unknown elements gracefully").
Status read_mod_ex(ByteReader& r, std::string_view where, uint8_t* packet_type, bool* has_nano,
                   uint32_t* nano) {
  while (*packet_type == 7) {
    uint8_t size8;
    if (!r.u8(&size8)) return truncated(where, "ModEx data size");
    uint32_t size = uint32_t(size8) + 1;
    if (size == 256) {
      uint16_t size16;
      if (!r.u16(&size16)) return truncated(where, "ModEx UI16 data size");
      size = uint32_t(size16) + 1;
    }
    ByteSpan data;
    if (!r.bytes(size, &data)) return truncated(where, "ModEx data");
    uint8_t types;
    if (!r.u8(&types)) return truncated(where, "ModEx type");
    *packet_type = types & 0x0F;
    if ((types >> 4) == 0) {  // TimestampOffsetNano
      if (size < 3) return invalid(where, "ModEx TimestampOffsetNano has " + std::to_string(size) + " bytes, needs 3");
      *has_nano = true;
      *nano = uint32_t(data[0]) << 16 | uint32_t(data[1]) << 8 | data[2];
    }
  }
  return Status::Ok();
}

void write_mod_ex_nano(uint32_t nano, uint8_t next_packet_type, ByteWriter& w) {
  w.u8(3 - 1);  // data size - 1
  w.u24(nano);
  w.u8(static_cast<uint8_t>(0x00 | (next_packet_type & 0x0F)));  // TimestampOffsetNano | type
}

// Multitrack (Enhanced RTMP v2, ExVideoTagHeader / ExAudioTagHeader): UB[4] AvMultitrackType |
// UB[4] packet type (never Multitrack again), then the FourCC all tracks share unless the type is
// ManyTracksManyCodecs. AvMultitrackType 3..15 are reserved: kUnsupported (the tag is reported, never
// read as something else).
Status read_multitrack(ByteReader& r, std::string_view where, uint8_t multitrack_marker, uint8_t* packet_type,
                       MultitrackType* type, uint32_t* shared_fourcc) {
  uint8_t types;
  if (!r.u8(&types)) return truncated(where, "AvMultitrackType");
  const uint8_t mt = types >> 4;
  *packet_type = types & 0x0F;
  if (mt > uint8_t(MultitrackType::kManyTracksManyCodecs)) {
    return Status(ErrorCode::kUnsupported, std::string(where) + ": AvMultitrackType " + std::to_string(mt) +
                                               " is reserved (0 OneTrack, 1 ManyTracks, 2 ManyTracksManyCodecs)");
  }
  *type = static_cast<MultitrackType>(mt);
  if (*packet_type == multitrack_marker) return invalid(where, "Multitrack packet type nested in Multitrack");
  if (*type != MultitrackType::kManyTracksManyCodecs && !r.u32(shared_fourcc)) return truncated(where, "FourCC");
  return Status::Ok();
}

// The per-track part of a Multitrack body (ExVideoTagBody / ExAudioTagBody loop), from `pos`:
//   [FourCC if ManyTracksManyCodecs] UI8 trackId [UI24 sizeOfTrack unless OneTrack]
// Sets fourcc, track_id and *end (where the track's data ends: pos after the size + size, or the body's
// end for OneTrack). The reader is left after these fields.
Status read_track_fields(ByteReader& r, std::string_view where, ByteSpan body, MultitrackType type, uint32_t* fourcc,
                         uint8_t* track_id, size_t* end) {
  if (type == MultitrackType::kManyTracksManyCodecs && !r.u32(fourcc)) return truncated(where, "track FourCC");
  if (!r.u8(track_id)) return truncated(where, "trackId");
  *end = body.size();
  if (type == MultitrackType::kOneTrack) return Status::Ok();
  uint32_t size;
  if (!r.u24(&size)) return truncated(where, "sizeOfTrack");
  if (size > r.remaining()) {
    return Status(ErrorCode::kTruncated, std::string(where) + ": track " + std::to_string(*track_id) + " claims " +
                                             std::to_string(size) + " bytes, " + std::to_string(r.remaining()) +
                                             " left in the body");
  }
  *end = r.position() + size;
  return Status::Ok();
}

// One video track's fields after the message part: the track fields (multitrack), the codec, and the
// composition time of AVC/HEVC/VVC coded frames, read inside the track's bytes.
Result<VideoTagHeader> read_video_track(ByteSpan body, size_t pos, VideoTagHeader h) {
  constexpr std::string_view kWhere = "ExVideoTagHeader";
  ByteReader r(body);
  if (!r.skip(pos)) return truncated(kWhere, "track");
  h.payload_end = body.size();
  if (h.multitrack) {
    LW_RETURN_IF_ERROR(read_track_fields(r, kWhere, body, h.multitrack_type, &h.fourcc, &h.track_id, &h.payload_end));
  }
  h.codec = video_codec_from_fourcc(h.fourcc);
  h.composition_time_ms = 0;
  if (h.packet_type == VideoPacketType::kCodedFrames && codec_has_composition_time(h.codec)) {
    ByteReader t(body.subspan(0, h.payload_end));
    if (!t.skip(r.position()) || !t.s24(&h.composition_time_ms)) return truncated(kWhere, "CompositionTime");
    h.payload_offset = t.position();
  } else {
    h.payload_offset = r.position();
  }
  return h;
}

Result<AudioTagHeader> read_audio_track(ByteSpan body, size_t pos, AudioTagHeader h) {
  constexpr std::string_view kWhere = "ExAudioTagHeader";
  ByteReader r(body);
  if (!r.skip(pos)) return truncated(kWhere, "track");
  h.payload_end = body.size();
  if (h.multitrack) {
    LW_RETURN_IF_ERROR(read_track_fields(r, kWhere, body, h.multitrack_type, &h.fourcc, &h.track_id, &h.payload_end));
  }
  h.codec = audio_codec_from_fourcc(h.fourcc);
  h.payload_offset = r.position();
  return h;
}

Result<VideoTagHeader> parse_enhanced_video(ByteSpan body, ByteReader& r, uint8_t first, VideoTagHeader h) {
  constexpr std::string_view kWhere = "ExVideoTagHeader";
  uint8_t pt = first & 0x0F;
  LW_RETURN_IF_ERROR(read_mod_ex(r, kWhere, &pt, &h.has_timestamp_offset_nano, &h.timestamp_offset_nano));
  if (h.frame_type == VideoFrameType::kCommand && pt != uint8_t(VideoPacketType::kMetadata)) {
    // A command frame: one UI8 VideoCommand and no FourCC, no video data.
    h.packet_type = static_cast<VideoPacketType>(pt);
    if (!r.u8(&h.command)) return truncated(kWhere, "VideoCommand");
    h.payload_offset = r.position();
    h.payload_end = body.size();
    return h;
  }
  if (pt == uint8_t(VideoPacketType::kMultitrack)) {
    h.multitrack = true;
    LW_RETURN_IF_ERROR(read_multitrack(r, kWhere, pt, &pt, &h.multitrack_type, &h.fourcc));
  } else if (!r.u32(&h.fourcc)) {
    return truncated(kWhere, "FourCC");
  }
  if (pt > uint8_t(VideoPacketType::kMpeg2TsSequenceStart)) {
    return invalid(kWhere, "VideoPacketType " + std::to_string(pt) + " is reserved");
  }
  h.packet_type = static_cast<VideoPacketType>(pt);
  return read_video_track(body, r.position(), h);
}

// The message part of a Multitrack header after ModEx: AvMultitrackType | packet type, and the shared
// FourCC (every layout but ManyTracksManyCodecs); a plain message has its FourCC only.
void write_multitrack_prefix(bool multitrack, MultitrackType type, uint8_t packet_type, uint32_t fourcc, ByteWriter& w) {
  if (multitrack) w.u8(static_cast<uint8_t>(uint8_t(type) << 4 | (packet_type & 0x0F)));
  if (!multitrack || type != MultitrackType::kManyTracksManyCodecs) w.u32(fourcc);
}

// [FourCC if ManyTracksManyCodecs] trackId [UI24 sizeOfTrack unless OneTrack]; `size` counts the bytes
// after the size field (composition time and data).
Status write_track_fields(MultitrackType type, uint32_t fourcc, uint8_t track_id, size_t size, ByteWriter& w) {
  if (type == MultitrackType::kManyTracksManyCodecs) w.u32(fourcc);
  w.u8(track_id);
  if (type == MultitrackType::kOneTrack) return Status::Ok();
  if (size > 0xFFFFFF) return invalid("Multitrack", "track " + std::to_string(track_id) + " has " + std::to_string(size) + " bytes, over UI24");
  w.u24(static_cast<uint32_t>(size));
  return Status::Ok();
}

template <typename Track>
Status check_multitrack_tracks(MultitrackType type, std::span<const Track> tracks, std::string_view where) {
  if (tracks.empty()) return invalid(where, "a Multitrack message needs a track");
  if (type == MultitrackType::kOneTrack && tracks.size() != 1)
    return invalid(where, "OneTrack with " + std::to_string(tracks.size()) + " tracks");
  if (type == MultitrackType::kManyTracks) {
    for (const Track& t : tracks) {
      if (t.codec != tracks.front().codec) return invalid(where, "ManyTracks with several codecs (ManyTracksManyCodecs says so)");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<VideoTagHeader> parse_video_tag_header(ByteSpan body) {
  constexpr std::string_view kWhere = "VideoTagHeader";
  ByteReader r(body);
  uint8_t first;
  if (!r.u8(&first)) return truncated(kWhere, "FrameType/CodecID (empty video tag)");
  VideoTagHeader h;
  h.enhanced = (first & 0x80) != 0;
  h.frame_type = static_cast<VideoFrameType>((first >> 4) & 0x07);
  if (h.enhanced) return parse_enhanced_video(body, r, first, h);

  h.codec_id = first & 0x0F;
  h.codec = video_codec_from_legacy_id(h.codec_id);
  if (h.frame_type == VideoFrameType::kCommand) {
    if (!r.u8(&h.command)) return truncated(kWhere, "video command");
    h.payload_offset = r.position();
    h.payload_end = body.size();
    return h;
  }
  if (h.codec == VideoCodec::kAvc || h.codec == VideoCodec::kHevc) {
    // AVCVIDEOPACKET (E.4.3.2): UI8 AVCPacketType, SI24 CompositionTime. CDNs send HEVC as id 12
    // with exactly this layout.
    uint8_t avc_type;
    if (!r.u8(&avc_type)) return truncated(kWhere, "AVCPacketType");
    if (avc_type > 2) return invalid(kWhere, "AVCPacketType " + std::to_string(avc_type) + " is not 0, 1 or 2");
    h.packet_type = static_cast<VideoPacketType>(avc_type);
    if (!r.s24(&h.composition_time_ms)) return truncated(kWhere, "CompositionTime");
  }
  h.payload_offset = r.position();
  h.payload_end = body.size();
  return h;
}

Status write_video_tag_header(const VideoTagHeader& h, ByteWriter& w) {
  const uint8_t frame = static_cast<uint8_t>(h.frame_type) & 0x07;
  if (h.composition_time_ms < kMinCompositionTime || h.composition_time_ms > kMaxCompositionTime)
    return invalid("VideoTagHeader", "CompositionTime " + std::to_string(h.composition_time_ms) + " outside SI24");
  if (!h.enhanced) {
    if (h.codec_id > 15) return invalid("VideoTagHeader", "CodecID over 15");
    w.u8(static_cast<uint8_t>(frame << 4 | h.codec_id));
    if (h.frame_type == VideoFrameType::kCommand) {
      w.u8(h.command);
      return Status::Ok();
    }
    if (h.codec_id == kLegacyVideoAvc || h.codec_id == kLegacyVideoHevc) {
      if (uint8_t(h.packet_type) > 2)
        return invalid("VideoTagHeader", std::string("legacy AVC/HEVC has no packet type ") +
                                             std::string(video_packet_type_name(h.packet_type)));
      w.u8(static_cast<uint8_t>(h.packet_type));
      w.s24(h.composition_time_ms);
    }
    return Status::Ok();
  }
  const uint8_t pt = static_cast<uint8_t>(h.packet_type);
  const bool command = h.frame_type == VideoFrameType::kCommand && h.packet_type != VideoPacketType::kMetadata;
  // A command frame keeps whatever packet type nibble it came with (nothing follows but the command).
  if (command ? (pt > 15 || pt == uint8_t(VideoPacketType::kModEx)) : pt > uint8_t(VideoPacketType::kMpeg2TsSequenceStart))
    return invalid("ExVideoTagHeader", "VideoPacketType " + std::to_string(pt) + " cannot be written");
  const uint8_t after_mod_ex = (h.multitrack && !command) ? uint8_t(VideoPacketType::kMultitrack) : pt;
  const uint8_t first_type = h.has_timestamp_offset_nano ? uint8_t(VideoPacketType::kModEx) : after_mod_ex;
  w.u8(static_cast<uint8_t>(0x80 | frame << 4 | first_type));
  if (h.has_timestamp_offset_nano) write_mod_ex_nano(h.timestamp_offset_nano, after_mod_ex, w);
  if (command) {
    w.u8(h.command);
    return Status::Ok();
  }
  write_multitrack_prefix(h.multitrack, h.multitrack_type, pt, h.fourcc, w);
  return write_video_track_fields(h, h.payload_end > h.payload_offset ? h.payload_end - h.payload_offset : 0, w);
}

Result<AudioTagHeader> parse_audio_tag_header(ByteSpan body) {
  ByteReader r(body);
  uint8_t first;
  if (!r.u8(&first)) return truncated("AudioTagHeader", "SoundFormat (empty audio tag, a silence message)");
  AudioTagHeader h;
  h.sound_format = first >> 4;
  if (h.sound_format != kSoundFormatExHeader) {
    h.sound_rate = (first >> 2) & 0x03;
    h.sound_size = (first >> 1) & 0x01;
    h.sound_type = first & 0x01;
    h.codec = audio_codec_from_sound_format(h.sound_format);
    if (h.codec == AudioCodec::kAac) {
      uint8_t aac_type;  // AACAUDIODATA (E.4.2.2)
      if (!r.u8(&aac_type)) return truncated("AudioTagHeader", "AACPacketType");
      if (aac_type > 1) return invalid("AudioTagHeader", "AACPacketType " + std::to_string(aac_type) + " is not 0 or 1");
      h.packet_type = static_cast<AudioPacketType>(aac_type);
    }
    h.payload_offset = r.position();
    h.payload_end = body.size();
    return h;
  }

  constexpr std::string_view kWhere = "ExAudioTagHeader";
  h.enhanced = true;
  uint8_t pt = first & 0x0F;
  LW_RETURN_IF_ERROR(read_mod_ex(r, kWhere, &pt, &h.has_timestamp_offset_nano, &h.timestamp_offset_nano));
  if (pt == uint8_t(AudioPacketType::kMultitrack)) {
    h.multitrack = true;
    LW_RETURN_IF_ERROR(read_multitrack(r, kWhere, pt, &pt, &h.multitrack_type, &h.fourcc));
  } else if (!r.u32(&h.fourcc)) {
    return truncated(kWhere, "FourCC");
  }
  if (pt != 0 && pt != 1 && pt != 2 && pt != 4)
    return invalid(kWhere, "AudioPacketType " + std::to_string(pt) + " is reserved");
  h.packet_type = static_cast<AudioPacketType>(pt);
  return read_audio_track(body, r.position(), h);
}

bool has_next_track(ByteSpan body, const VideoTagHeader& h) {
  return h.multitrack && h.multitrack_type != MultitrackType::kOneTrack && h.payload_end < body.size();
}
bool has_next_track(ByteSpan body, const AudioTagHeader& h) {
  return h.multitrack && h.multitrack_type != MultitrackType::kOneTrack && h.payload_end < body.size();
}

Result<VideoTagHeader> parse_next_video_track(ByteSpan body, const VideoTagHeader& previous) {
  if (!has_next_track(body, previous)) return Status(ErrorCode::kMisuse, "ExVideoTagBody: no track after this one");
  return read_video_track(body, previous.payload_end, previous);
}

Result<AudioTagHeader> parse_next_audio_track(ByteSpan body, const AudioTagHeader& previous) {
  if (!has_next_track(body, previous)) return Status(ErrorCode::kMisuse, "ExAudioTagBody: no track after this one");
  return read_audio_track(body, previous.payload_end, previous);
}

Status write_audio_tag_header(const AudioTagHeader& h, ByteWriter& w) {
  if (!h.enhanced) {
    if (h.sound_format > 15 || h.sound_format == kSoundFormatExHeader)
      return invalid("AudioTagHeader", "SoundFormat " + std::to_string(h.sound_format) + " for a legacy header");
    w.u8(static_cast<uint8_t>(h.sound_format << 4 | (h.sound_rate & 3) << 2 | (h.sound_size & 1) << 1 |
                              (h.sound_type & 1)));
    if (h.sound_format == kSoundFormatAac) {
      if (uint8_t(h.packet_type) > 1) return invalid("AudioTagHeader", "AACPacketType must be 0 or 1");
      w.u8(static_cast<uint8_t>(h.packet_type));
    }
    return Status::Ok();
  }
  const uint8_t pt = static_cast<uint8_t>(h.packet_type);
  if (pt != 0 && pt != 1 && pt != 2 && pt != 4)
    return invalid("ExAudioTagHeader", "AudioPacketType " + std::to_string(pt) + " cannot be written");
  const uint8_t after_mod_ex = h.multitrack ? uint8_t(AudioPacketType::kMultitrack) : pt;
  const uint8_t first_type = h.has_timestamp_offset_nano ? uint8_t(AudioPacketType::kModEx) : after_mod_ex;
  w.u8(static_cast<uint8_t>(kSoundFormatExHeader << 4 | first_type));
  if (h.has_timestamp_offset_nano) write_mod_ex_nano(h.timestamp_offset_nano, after_mod_ex, w);
  write_multitrack_prefix(h.multitrack, h.multitrack_type, pt, h.fourcc, w);
  return write_audio_track_fields(h, h.payload_end > h.payload_offset ? h.payload_end - h.payload_offset : 0, w);
}

Status write_video_track_fields(const VideoTagHeader& h, size_t data_size, ByteWriter& w) {
  const bool cts = h.packet_type == VideoPacketType::kCodedFrames && codec_has_composition_time(h.codec);
  if (h.multitrack) {
    LW_RETURN_IF_ERROR(write_track_fields(h.multitrack_type, h.fourcc, h.track_id, data_size + (cts ? 3 : 0), w));
  }
  if (cts) w.s24(h.composition_time_ms);
  return Status::Ok();
}

Status write_audio_track_fields(const AudioTagHeader& h, size_t data_size, ByteWriter& w) {
  if (h.multitrack) return write_track_fields(h.multitrack_type, h.fourcc, h.track_id, data_size, w);
  return Status::Ok();
}

Status write_multitrack_video(const VideoTagHeader& shared, std::span<const VideoTrackPacket> tracks, ByteWriter& w) {
  LW_RETURN_IF_ERROR(check_multitrack_tracks(shared.multitrack_type, tracks, "ExVideoTagBody"));
  VideoTagHeader h = shared;
  h.enhanced = true;
  h.multitrack = true;
  h.codec = tracks.front().codec;
  h.fourcc = video_codec_fourcc(h.codec);
  h.track_id = tracks.front().track_id;
  h.composition_time_ms = tracks.front().cts_ms;
  h.payload_offset = 0;
  h.payload_end = tracks.front().data.size();
  LW_RETURN_IF_ERROR(write_video_tag_header(h, w));
  w.bytes(tracks.front().data);
  for (size_t i = 1; i < tracks.size(); ++i) {
    h.codec = tracks[i].codec;
    h.fourcc = video_codec_fourcc(h.codec);
    h.track_id = tracks[i].track_id;
    h.composition_time_ms = tracks[i].cts_ms;
    if (h.composition_time_ms < kMinCompositionTime || h.composition_time_ms > kMaxCompositionTime)
      return invalid("ExVideoTagBody", "CompositionTime " + std::to_string(h.composition_time_ms) + " outside SI24");
    LW_RETURN_IF_ERROR(write_video_track_fields(h, tracks[i].data.size(), w));
    w.bytes(tracks[i].data);
  }
  return Status::Ok();
}

Status write_multitrack_audio(const AudioTagHeader& shared, std::span<const AudioTrackPacket> tracks, ByteWriter& w) {
  LW_RETURN_IF_ERROR(check_multitrack_tracks(shared.multitrack_type, tracks, "ExAudioTagBody"));
  AudioTagHeader h = shared;
  h.enhanced = true;
  h.sound_format = kSoundFormatExHeader;
  h.multitrack = true;
  for (size_t i = 0; i < tracks.size(); ++i) {
    h.codec = tracks[i].codec;
    h.fourcc = audio_codec_fourcc(h.codec);
    h.track_id = tracks[i].track_id;
    if (i == 0) {
      h.payload_offset = 0;
      h.payload_end = tracks[i].data.size();
      LW_RETURN_IF_ERROR(write_audio_tag_header(h, w));
    } else {
      LW_RETURN_IF_ERROR(write_audio_track_fields(h, tracks[i].data.size(), w));
    }
    w.bytes(tracks[i].data);
  }
  return Status::Ok();
}

Result<ScriptData> parse_script_data(ByteSpan body, const amf0::Limits& limits) {
  auto values = amf0::decode_all(body, limits);
  if (!values.ok()) {
    Status s = values.status();
    s.context("script data");
    return s;
  }
  if (values->empty()) return truncated("script data", "the name (empty body)");
  if (!values->front().is_string())
    return invalid("script data", "first value is not a string (the name)");
  ScriptData out;
  out.name = std::move(values->front().string);
  out.values.assign(std::make_move_iterator(values->begin() + 1), std::make_move_iterator(values->end()));
  return out;
}

void write_script_data(const ScriptData& script, ByteWriter& w) {
  amf0::encode(amf0::Value::String(script.name), w);
  amf0::encode_all(script.values, w);
}

}  // namespace lw::flv
