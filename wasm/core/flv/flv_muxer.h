// FLV muxer, append-only: every call appends complete units (the header with PreviousTagSize0, or
// one tag with its trailing PreviousTagSize) to the caller's buffer and never looks back, so the
// output can go to a live socket as it is produced. The only copy of a payload is the one into
// `out`. No duration/filesize patching (live output cannot seek).
//
//   Bytes out;
//   flv::Muxer mux;
//   mux.write_header(/*has_audio=*/true, /*has_video=*/true, out);
//   mux.write_metadata({{"width", amf0::Value::Number(640)}, {"height", amf0::Value::Number(360)},
//                       {"videocodecid", amf0::Value::Number(7)}}, out);
//   mux.write_avc_sequence_header(0, avcc_record, out);           // AVCDecoderConfigurationRecord
//   mux.write_aac_sequence_header(0, audio_specific_config, out);
//   mux.write_avc_frame(/*dts=*/0, /*cts=*/66, /*key=*/true, avcc_nal_units, out);
//   mux.write_aac_frame(23, raw_aac_frame, out);
//   socket.send(out); out.clear();
//
// Generic form (what a remuxer uses): write_video(header, dts, payload) writes the header fields as
// given, so remuxing demuxed events reproduces the original bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "amf/amf0.h"
#include "base/bytes.h"
#include "base/status.h"
#include "flv/flv_tag.h"
#include "flv/flv_tag_header.h"

namespace lw::flv {

class Muxer {
 public:
  // FLV header (version 1, TypeFlagsAudio/Video, DataOffset 9) followed by PreviousTagSize0 = 0.
  void write_header(bool has_audio, bool has_video, Bytes& out);

  // Any tag with a ready body (e.g. relayed from RTMP). kInvalid if the body exceeds 16 MiB - 1.
  Status write_tag(TagType type, uint32_t timestamp_ms, ByteSpan body, Bytes& out);
  Status write_tag(const Tag& tag, Bytes& out) { return write_tag(tag.type, tag.timestamp_ms, tag.body, out); }
  Status write_tag(const TagView& tag, Bytes& out) { return write_tag(tag.type, tag.timestamp_ms, tag.body, out); }

  // Script data: `name` then `values` (AMF0).
  Status write_script(uint32_t timestamp_ms, const ScriptData& script, Bytes& out);
  // "onMetaData" with one ECMA array of `properties` (what FFmpeg and OBS send), timestamp 0.
  Status write_metadata(const std::vector<amf0::Property>& properties, Bytes& out);

  // Generic media tags: (Ex)Video/AudioTagHeader from `header` (payload_offset ignored), then payload.
  Status write_video(const VideoTagHeader& header, uint32_t dts_ms, ByteSpan payload, Bytes& out);
  Status write_audio(const AudioTagHeader& header, uint32_t timestamp_ms, ByteSpan payload, Bytes& out);

  // Enhanced RTMP v2 Multitrack: several tracks' packets in one tag, sharing the frame type and packet
  // type of `shared` and laid out as its multitrack_type says (OneTrack, ManyTracks with one codec,
  // ManyTracksManyCodecs). See flv_tag_header.h (write_multitrack_video).
  Status write_multitrack_video(const VideoTagHeader& shared, uint32_t dts_ms, std::span<const VideoTrackPacket> tracks,
                                Bytes& out);
  Status write_multitrack_audio(const AudioTagHeader& shared, uint32_t timestamp_ms,
                                std::span<const AudioTrackPacket> tracks, Bytes& out);

  // AVC, legacy CodecID 7: sequence header (AVCDecoderConfigurationRecord), frames as AVCC
  // (4-byte length-prefixed NAL units), end of sequence.
  Status write_avc_sequence_header(uint32_t timestamp_ms, ByteSpan avc_config, Bytes& out);
  Status write_avc_frame(uint32_t dts_ms, int32_t cts_ms, bool key, ByteSpan nal_units, Bytes& out);
  Status write_avc_end_of_sequence(uint32_t timestamp_ms, Bytes& out);

  // HEVC, either as legacy CodecID 12 (the CDN convention, AVC layout) or Enhanced RTMP 'hvc1'
  // (SequenceStart; CodedFrames with SI24 cts, or CodedFramesX when cts is 0).
  enum class HevcSignalling : uint8_t { kLegacyId12, kEnhanced };
  Status write_hevc_sequence_header(uint32_t timestamp_ms, ByteSpan hevc_config, HevcSignalling how,
                                    Bytes& out);
  Status write_hevc_frame(uint32_t dts_ms, int32_t cts_ms, bool key, ByteSpan nal_units,
                          HevcSignalling how, Bytes& out);

  // AAC, SoundFormat 10 (byte 0xAF): AudioSpecificConfig, then raw AAC frames (no ADTS header).
  Status write_aac_sequence_header(uint32_t timestamp_ms, ByteSpan audio_specific_config, Bytes& out);
  Status write_aac_frame(uint32_t timestamp_ms, ByteSpan raw_frame, Bytes& out);

  // Opus, Enhanced RTMP (SoundFormat 9, FourCC 'Opus'): SequenceStart carrying the OpusHead
  // identification header (RFC 7845 5.1), then CodedFrames, one Opus packet each.
  Status write_opus_sequence_start(uint32_t timestamp_ms, ByteSpan opus_head, Bytes& out);
  Status write_opus_frame(uint32_t timestamp_ms, ByteSpan packet, Bytes& out);

  uint64_t tags_written() const { return tags_; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  Status finish_tag(size_t start, TagType type, uint32_t timestamp_ms, Bytes& out);
  size_t begin_tag(Bytes& out);
  uint64_t tags_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace lw::flv
