// Parsing and writing the first bytes of audio/video tag bodies: the legacy AudioTagHeader /
// VideoTagHeader (FLV spec v10, E.4.2.1 and E.4.3.1, with the AVC/AAC packet type and composition
// time) and the Enhanced RTMP ExAudioTagHeader / ExVideoTagHeader (veovera enhanced-rtmp v2,
// "Enhanced Audio" / "Enhanced Video": ModEx, Multitrack with one track, FourCC).
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

#include "base/byte_writer.h"
#include "base/bytes.h"
#include "base/status.h"
#include "flv/flv_tag.h"

namespace lw::flv {

// Parses the video header at the start of a video tag body. Errors (kTruncated, kInvalid,
// kUnsupported for multitrack with more than one track) name the field. Unknown legacy ids and
// FourCCs are not errors: codec is kUnknown and the payload is delivered.
Result<VideoTagHeader> parse_video_tag_header(ByteSpan body);
Result<AudioTagHeader> parse_audio_tag_header(ByteSpan body);

// Appends the header bytes (everything before payload_offset). `payload_offset` of the argument is
// ignored. Returns kInvalid when the fields cannot be expressed (e.g. a composition time outside
// SI24, a legacy header for a codec that has no legacy id).
Status write_video_tag_header(const VideoTagHeader& header, ByteWriter& writer);
Status write_audio_tag_header(const AudioTagHeader& header, ByteWriter& writer);

// Script data tag body (E.4.4.1): name string, then AMF0 values until the body ends.
Result<ScriptData> parse_script_data(ByteSpan body, const amf0::Limits& limits = {});
void write_script_data(const ScriptData& script, ByteWriter& writer);

// SI24 range of the composition time.
inline constexpr int32_t kMinCompositionTime = -0x800000;
inline constexpr int32_t kMaxCompositionTime = 0x7FFFFF;

}  // namespace lw::flv
