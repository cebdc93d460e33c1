#include "flv/flv_muxer.h"

#include <string>

#include "base/byte_writer.h"
#include "flv/flv_tag_header.h"

namespace lw::flv {

void Muxer::write_header(bool has_audio, bool has_video, Bytes& out) {
  // E.2: 'F' 'L' 'V', version 1, TypeFlags (audio 0x04, video 0x01), DataOffset 9; then
  // PreviousTagSize0 = 0 (E.3).
  ByteWriter w(&out);
  w.string("FLV");
  w.u8(1);
  w.u8(static_cast<uint8_t>((has_audio ? 0x04 : 0) | (has_video ? 0x01 : 0)));
  w.u32(kFileHeaderSize);
  w.u32(0);
  bytes_ += kFileHeaderSize + kPreviousTagSizeSize;
}

// Tag header placeholder: TagType, DataSize, Timestamp, TimestampExtended, StreamID (E.4.1). The
// fields are filled in by finish_tag once the body is in `out`; the caller sees only whole tags.
size_t Muxer::begin_tag(Bytes& out) {
  const size_t start = out.size();
  out.resize(start + kTagHeaderSize, 0);
  return start;
}

Status Muxer::finish_tag(size_t start, TagType type, uint32_t timestamp_ms, Bytes& out) {
  const size_t data_size = out.size() - start - kTagHeaderSize;
  if (data_size > kMaxDataSize) {
    out.resize(start);  // nothing of the failed tag stays in the output
    return Status(ErrorCode::kInvalid, "FLV tag DataSize " + std::to_string(data_size) + " over 16 MiB - 1");
  }
  ByteWriter w(&out);
  out[start] = static_cast<uint8_t>(type);
  w.patch_u24(start + 1, static_cast<uint32_t>(data_size));
  w.patch_u24(start + 4, timestamp_ms & 0xFFFFFF);        // Timestamp: lower 24 bits
  out[start + 7] = static_cast<uint8_t>(timestamp_ms >> 24);  // TimestampExtended: upper 8 bits
  // StreamID stays 0.
  w.u32(static_cast<uint32_t>(kTagHeaderSize + data_size));  // PreviousTagSize
  ++tags_;
  bytes_ += kTagHeaderSize + data_size + kPreviousTagSizeSize;
  return Status::Ok();
}

Status Muxer::write_tag(TagType type, uint32_t timestamp_ms, ByteSpan body, Bytes& out) {
  if (body.size() > kMaxDataSize)
    return Status(ErrorCode::kInvalid, "FLV tag DataSize " + std::to_string(body.size()) + " over 16 MiB - 1");
  const size_t start = begin_tag(out);
  out.insert(out.end(), body.begin(), body.end());
  return finish_tag(start, type, timestamp_ms, out);
}

Status Muxer::write_script(uint32_t timestamp_ms, const ScriptData& script, Bytes& out) {
  const size_t start = begin_tag(out);
  ByteWriter w(&out);
  write_script_data(script, w);
  return finish_tag(start, TagType::kScript, timestamp_ms, out);
}

Status Muxer::write_metadata(const std::vector<amf0::Property>& properties, Bytes& out) {
  ScriptData s;
  s.name = "onMetaData";
  s.values.push_back(amf0::Value::EcmaArray(properties));
  return write_script(0, s, out);
}

Status Muxer::write_video(const VideoTagHeader& header, uint32_t dts_ms, ByteSpan payload, Bytes& out) {
  const size_t start = begin_tag(out);
  ByteWriter w(&out);
  VideoTagHeader h = header;  // a ManyTracks header's sizeOfVideoTrack is the payload's
  h.payload_offset = 0;
  h.payload_end = payload.size();
  if (Status s = write_video_tag_header(h, w); !s.ok()) {
    out.resize(start);
    return s;
  }
  w.bytes(payload);
  return finish_tag(start, TagType::kVideo, dts_ms, out);
}

Status Muxer::write_audio(const AudioTagHeader& header, uint32_t timestamp_ms, ByteSpan payload, Bytes& out) {
  const size_t start = begin_tag(out);
  ByteWriter w(&out);
  AudioTagHeader h = header;
  h.payload_offset = 0;
  h.payload_end = payload.size();
  if (Status s = write_audio_tag_header(h, w); !s.ok()) {
    out.resize(start);
    return s;
  }
  w.bytes(payload);
  return finish_tag(start, TagType::kAudio, timestamp_ms, out);
}

Status Muxer::write_multitrack_video(const VideoTagHeader& shared, uint32_t dts_ms,
                                     std::span<const VideoTrackPacket> tracks, Bytes& out) {
  const size_t start = begin_tag(out);
  ByteWriter w(&out);
  if (Status s = flv::write_multitrack_video(shared, tracks, w); !s.ok()) {
    out.resize(start);
    return s;
  }
  return finish_tag(start, TagType::kVideo, dts_ms, out);
}

Status Muxer::write_multitrack_audio(const AudioTagHeader& shared, uint32_t timestamp_ms,
                                     std::span<const AudioTrackPacket> tracks, Bytes& out) {
  const size_t start = begin_tag(out);
  ByteWriter w(&out);
  if (Status s = flv::write_multitrack_audio(shared, tracks, w); !s.ok()) {
    out.resize(start);
    return s;
  }
  return finish_tag(start, TagType::kAudio, timestamp_ms, out);
}

Status Muxer::write_avc_sequence_header(uint32_t timestamp_ms, ByteSpan avc_config, Bytes& out) {
  return write_video(VideoTagHeader::avc(VideoPacketType::kSequenceStart, true), timestamp_ms, avc_config, out);
}

Status Muxer::write_avc_frame(uint32_t dts_ms, int32_t cts_ms, bool key, ByteSpan nal_units, Bytes& out) {
  return write_video(VideoTagHeader::avc(VideoPacketType::kCodedFrames, key, cts_ms), dts_ms, nal_units, out);
}

Status Muxer::write_avc_end_of_sequence(uint32_t timestamp_ms, Bytes& out) {
  return write_video(VideoTagHeader::avc(VideoPacketType::kSequenceEnd, true), timestamp_ms, {}, out);
}

Status Muxer::write_hevc_sequence_header(uint32_t timestamp_ms, ByteSpan hevc_config, HevcSignalling how,
                                         Bytes& out) {
  const VideoTagHeader h =
      how == HevcSignalling::kLegacyId12
          ? VideoTagHeader::hevc_legacy(VideoPacketType::kSequenceStart, true)
          : VideoTagHeader::enhanced_codec(VideoCodec::kHevc, VideoPacketType::kSequenceStart, true);
  return write_video(h, timestamp_ms, hevc_config, out);
}

Status Muxer::write_hevc_frame(uint32_t dts_ms, int32_t cts_ms, bool key, ByteSpan nal_units,
                               HevcSignalling how, Bytes& out) {
  const VideoTagHeader h =
      how == HevcSignalling::kLegacyId12
          ? VideoTagHeader::hevc_legacy(VideoPacketType::kCodedFrames, key, cts_ms)
          : VideoTagHeader::enhanced_codec(VideoCodec::kHevc, VideoPacketType::kCodedFrames, key, cts_ms);
  return write_video(h, dts_ms, nal_units, out);
}

Status Muxer::write_aac_sequence_header(uint32_t timestamp_ms, ByteSpan audio_specific_config, Bytes& out) {
  return write_audio(AudioTagHeader::aac(AudioPacketType::kSequenceStart), timestamp_ms, audio_specific_config, out);
}

Status Muxer::write_aac_frame(uint32_t timestamp_ms, ByteSpan raw_frame, Bytes& out) {
  return write_audio(AudioTagHeader::aac(AudioPacketType::kCodedFrames), timestamp_ms, raw_frame, out);
}

Status Muxer::write_opus_sequence_start(uint32_t timestamp_ms, ByteSpan opus_head, Bytes& out) {
  return write_audio(AudioTagHeader::enhanced_codec(AudioCodec::kOpus, AudioPacketType::kSequenceStart),
                     timestamp_ms, opus_head, out);
}

Status Muxer::write_opus_frame(uint32_t timestamp_ms, ByteSpan packet, Bytes& out) {
  return write_audio(AudioTagHeader::enhanced_codec(AudioCodec::kOpus, AudioPacketType::kCodedFrames),
                     timestamp_ms, packet, out);
}

}  // namespace lw::flv
