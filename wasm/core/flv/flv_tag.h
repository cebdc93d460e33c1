// FLV tags: the types shared by the demuxer, the muxer and the RTMP session. An FLV tag and an RTMP
// audio/video/data message carry the same body byte for byte (Adobe "Video File Format Specification"
// v10, E.4.1 FLVTAG; RTMP message types 8, 9 and 18), so the RTMP publisher sends `Tag::body`
// unchanged and the RTMP player turns each message back into a `Tag`.
//
// The parsed audio/video tag headers cover the legacy FLV ids (AVC 7, AAC 10, MP3 2, HEVC 12 as
// Chinese CDNs send it) and Enhanced RTMP (veovera "Enhanced RTMP" v1/v2: the IsExHeader bit 0x80 of
// the video byte, SoundFormat 9 for audio, then a FourCC). Parsing and writing them lives in
// flv/flv_tag_header.h; the demuxer fills them in for every media tag.
//
//   Video tag body, legacy AVC key frame, cts 66 ms:   17 01 00 00 42 | 00 00 0c 65 88 ...
//                                                      ^  ^  ^------^   AVCC NAL units (payload)
//                                      frame 1|codec 7  AVCPacketType 1 CompositionTime SI24
//   Video tag body, Enhanced RTMP HEVC sequence start: 90 68 76 63 31 | 01 01 60 00 ...
//                                                      ^  ^---------^   HEVCDecoderConfigurationRecord
//                        IsExHeader|frame 1|SequenceStart  FourCC 'hvc1'
//   Audio tag body, AAC raw frame: af 01 | 21 10 04 ...  (SoundFormat 10, 44 kHz, 16 bit, stereo)
//   Audio tag body, Enhanced RTMP Opus frame: 91 4f 70 75 73 | fc ff fe  (SoundFormat 9|CodedFrames, 'Opus')
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "amf/amf0.h"
#include "base/bytes.h"

namespace lw::flv {

inline constexpr size_t kFileHeaderSize = 9;        // "FLV", version, flags, DataOffset (E.2)
inline constexpr size_t kTagHeaderSize = 11;        // type, DataSize, Timestamp(+Ext), StreamID (E.4.1)
inline constexpr size_t kPreviousTagSizeSize = 4;   // UI32 after every tag: 11 + DataSize
inline constexpr uint32_t kMaxDataSize = 0xFFFFFF;  // DataSize is UI24

// TagType, E.4.1 (the low 5 bits of the first tag byte; bit 5 is the Filter/encryption bit).
enum class TagType : uint8_t { kAudio = 8, kVideo = 9, kScript = 18 };

// FLV header, E.2. `data_offset` is the size of the header as the file states it (9 for version 1).
struct FileHeader {
  uint8_t version = 1;
  bool has_audio = false;
  bool has_video = false;
  uint32_t data_offset = kFileHeaderSize;
  bool operator==(const FileHeader&) const = default;
};

// One tag. `timestamp_ms` is the full 32-bit time: Timestamp (UI24) with TimestampExtended as the
// upper 8 bits. For video it is the decoding time (DTS); PTS = DTS + composition time.
struct Tag {
  TagType type = TagType::kScript;
  uint32_t timestamp_ms = 0;
  uint32_t stream_id = 0;  // always 0 in files (E.4.1); kept as read
  Bytes body;              // exactly DataSize bytes: the RTMP message payload
  bool operator==(const Tag&) const = default;
};

// A tag whose body is a view: what demuxer events carry (flv_demuxer.h says how long it is valid).
struct TagView {
  TagType type = TagType::kScript;
  uint32_t timestamp_ms = 0;
  uint32_t stream_id = 0;
  ByteSpan body;  // exactly DataSize bytes: the RTMP message payload

  // An owned copy, for keeping the tag beyond the view's life.
  Tag to_tag() const { return Tag{type, timestamp_ms, stream_id, Bytes(body.begin(), body.end())}; }
  bool operator==(const TagView& o) const {
    return type == o.type && timestamp_ms == o.timestamp_ms && stream_id == o.stream_id &&
           std::equal(body.begin(), body.end(), o.body.begin(), o.body.end());
  }
};

// ---- Codecs --------------------------------------------------------------------------------------

// Makes a FourCC from four characters: fourcc("hvc1") == 0x68766331.
constexpr uint32_t fourcc(const char (&s)[5]) {
  return uint32_t(uint8_t(s[0])) << 24 | uint32_t(uint8_t(s[1])) << 16 |
         uint32_t(uint8_t(s[2])) << 8 | uint32_t(uint8_t(s[3]));
}
std::string fourcc_to_string(uint32_t fourcc);  // "hvc1"; non-printable bytes as \xNN

enum class VideoCodec : uint8_t {
  kUnknown = 0,  // a legacy id or FourCC we do not know: reported, payload still delivered
  // Legacy ids 2..6 (E.4.3.1): recognised, reported as unsupported legacy codecs.
  kSorensonH263,  // 2
  kScreenVideo,   // 3
  kVp6,           // 4
  kVp6Alpha,      // 5
  kScreenVideoV2, // 6
  kAvc,           // legacy 7, Enhanced 'avc1'
  kHevc,          // legacy 12 (CDN extension, AVC layout), Enhanced 'hvc1'
  kAv1,           // Enhanced 'av01'
  kVp9,           // Enhanced 'vp09'
  kVp8,           // Enhanced 'vp08'
  kVvc,           // Enhanced 'vvc1'
};
// Legacy CodecID values (4 bits).
inline constexpr uint8_t kLegacyVideoAvc = 7;
inline constexpr uint8_t kLegacyVideoHevc = 12;

enum class AudioCodec : uint8_t {
  kUnknown = 0,
  kLinearPcm,      // SoundFormat 0, platform endian
  kAdpcm,          // 1
  kMp3,            // 2, Enhanced '.mp3'
  kLinearPcmLe,    // 3
  kNellymoser16k,  // 4
  kNellymoser8k,   // 5
  kNellymoser,     // 6
  kG711ALaw,       // 7
  kG711MuLaw,      // 8
  kAac,            // 10, Enhanced 'mp4a'
  kSpeex,          // 11
  kMp3_8k,         // 14
  kDeviceSpecific, // 15
  kOpus,           // Enhanced 'Opus'
  kFlac,           // Enhanced 'fLaC'
  kAc3,            // Enhanced 'ac-3'
  kEac3,           // Enhanced 'ec-3'
};
inline constexpr uint8_t kSoundFormatAac = 10;
inline constexpr uint8_t kSoundFormatExHeader = 9;

// VideoFrameType, E.4.3.1 / Enhanced RTMP.
enum class VideoFrameType : uint8_t {
  kReserved = 0,
  kKey = 1,
  kInter = 2,
  kDisposableInter = 3,
  kGeneratedKey = 4,
  kCommand = 5,  // video info/command frame: one UI8 command instead of video data
  kReserved6 = 6,
  kReserved7 = 7,
};

// Enhanced RTMP VideoPacketType. Legacy AVC/HEVC AVCPacketType maps onto the first three: 0 sequence
// header -> kSequenceStart, 1 NALU -> kCodedFrames, 2 end of sequence -> kSequenceEnd. Legacy codecs
// without a packet type (H.263, VP6, ...) are kCodedFrames.
enum class VideoPacketType : uint8_t {
  kSequenceStart = 0,
  kCodedFrames = 1,  // AVC/HEVC/VVC: SI24 composition time before the data
  kSequenceEnd = 2,
  kCodedFramesX = 3,  // composition time implied 0 (no SI24 on the wire)
  kMetadata = 4,      // AMF-encoded metadata (e.g. colorInfo)
  kMpeg2TsSequenceStart = 5,
  kMultitrack = 6,  // only inside the header parser: never left in a parsed header
  kModEx = 7,       // only inside the header parser: never left in a parsed header
};

// Enhanced RTMP AudioPacketType. Legacy AAC AACPacketType 0 -> kSequenceStart, 1 -> kCodedFrames;
// other legacy formats -> kCodedFrames.
enum class AudioPacketType : uint8_t {
  kSequenceStart = 0,
  kCodedFrames = 1,
  kSequenceEnd = 2,
  kMultichannelConfig = 4,
  kMultitrack = 5,  // only inside the header parser
  kModEx = 7,       // only inside the header parser
};

// Enhanced RTMP v2 AvMultitrackType (the high nibble after a Multitrack packet type): how the tracks of
// one Multitrack message are laid out. OneTrack: FourCC, trackId, data. ManyTracks: one shared FourCC,
// then per track trackId, UI24 sizeOfTrack, data. ManyTracksManyCodecs: per track FourCC, trackId,
// UI24 sizeOfTrack, data. sizeOfTrack counts from right after the size field to the next track (for
// AVC/HEVC/VVC coded frames it includes the SI24 composition time). Track 0 is the default track.
enum class MultitrackType : uint8_t { kOneTrack = 0, kManyTracks = 1, kManyTracksManyCodecs = 2 };

// The (Ex)VideoTagHeader of one video tag body. `payload_offset` is where the codec data starts
// inside the body (after the header, FourCC, composition time): for AVC/HEVC coded frames that is
// the length-prefixed NAL units, for a sequence start the decoder configuration record.
struct VideoTagHeader {
  bool enhanced = false;  // IsExHeader bit (0x80) set: Enhanced RTMP FourCC mode
  VideoFrameType frame_type = VideoFrameType::kKey;
  uint8_t codec_id = 0;   // legacy CodecID (when !enhanced)
  uint32_t fourcc = 0;    // Enhanced FourCC (when enhanced)
  VideoCodec codec = VideoCodec::kUnknown;
  VideoPacketType packet_type = VideoPacketType::kCodedFrames;
  int32_t composition_time_ms = 0;  // SI24; 0 where the layout has none
  uint8_t command = 0;              // frame_type == kCommand: the UI8 VideoCommand
  // Enhanced RTMP extensions, kept so that writing the header back gives the same bytes.
  bool multitrack = false;  // sent as a Multitrack message (track_id, multitrack_type say how)
  MultitrackType multitrack_type = MultitrackType::kOneTrack;
  uint8_t track_id = 0;  // 0 when not multitrack (the default track)
  bool has_timestamp_offset_nano = false;  // a ModEx TimestampOffsetNano was present
  uint32_t timestamp_offset_nano = 0;
  size_t payload_offset = 0;
  // Where this track's data ends in the body: the body's end, except for a track of a ManyTracks
  // message (its sizeOfVideoTrack). Set by the parser; 0 in headers made for writing.
  size_t payload_end = 0;

  bool key_frame() const {
    return frame_type == VideoFrameType::kKey || frame_type == VideoFrameType::kGeneratedKey;
  }
  bool is_sequence_header() const { return packet_type == VideoPacketType::kSequenceStart; }
  bool is_command() const { return frame_type == VideoFrameType::kCommand; }
  bool operator==(const VideoTagHeader&) const = default;

  // Headers for the muxer (flv_muxer.h). `cts_ms` is PTS - DTS.
  static VideoTagHeader avc(VideoPacketType type, bool key, int32_t cts_ms = 0);   // legacy id 7
  static VideoTagHeader hevc_legacy(VideoPacketType type, bool key, int32_t cts_ms = 0);  // id 12
  // Enhanced RTMP 'hvc1' (or another FourCC codec); coded frames with cts 0 use CodedFramesX.
  static VideoTagHeader enhanced_codec(VideoCodec codec, VideoPacketType type, bool key,
                                       int32_t cts_ms = 0);
};

// The (Ex)AudioTagHeader of one audio tag body; `payload_offset` as for video (for AAC: the raw
// AAC frame or the AudioSpecificConfig; for Opus: the packet or the OpusHead).
struct AudioTagHeader {
  bool enhanced = false;    // SoundFormat 9 (ExHeader)
  uint8_t sound_format = 0; // legacy SoundFormat 0..15 (9 when enhanced)
  uint8_t sound_rate = 0;   // legacy 0..3: 5.5, 11, 22, 44 kHz (AAC: always 3)
  uint8_t sound_size = 0;   // legacy 0: 8 bit, 1: 16 bit
  uint8_t sound_type = 0;   // legacy 0: mono, 1: stereo
  uint32_t fourcc = 0;      // Enhanced FourCC
  AudioCodec codec = AudioCodec::kUnknown;
  AudioPacketType packet_type = AudioPacketType::kCodedFrames;
  bool multitrack = false;
  MultitrackType multitrack_type = MultitrackType::kOneTrack;
  uint8_t track_id = 0;
  bool has_timestamp_offset_nano = false;
  uint32_t timestamp_offset_nano = 0;
  size_t payload_offset = 0;
  size_t payload_end = 0;  // as for video (sizeOfAudioTrack)

  bool is_sequence_header() const { return packet_type == AudioPacketType::kSequenceStart; }
  // Legacy sound rate in Hz (5512, 11025, 22050, 44100); 0 when enhanced (the config says).
  uint32_t legacy_sample_rate_hz() const;
  bool operator==(const AudioTagHeader&) const = default;

  // Headers for the muxer. Legacy AAC is written as 0xAF (44 kHz, 16 bit, stereo) as the FLV spec
  // requires ("for AAC: always 3 / 1 / 1") and FFmpeg does; the real rate and channels are in the
  // AudioSpecificConfig.
  static AudioTagHeader aac(AudioPacketType type);
  // Enhanced RTMP FourCC audio (Opus, FLAC, AC-3, E-AC-3, MP3, AAC).
  static AudioTagHeader enhanced_codec(AudioCodec codec, AudioPacketType type);
};

// Script data (E.4.4): a name (e.g. "onMetaData", "@setDataFrame") followed by AMF0 values.
struct ScriptData {
  std::string name;
  std::vector<amf0::Value> values;
  bool operator==(const ScriptData&) const = default;
};

std::string_view tag_type_name(TagType type);            // "audio", "video", "script"
std::string_view video_codec_name(VideoCodec codec);      // "avc", "hevc", "vp6", ...
std::string_view audio_codec_name(AudioCodec codec);      // "aac", "opus", "mp3", ...
std::string_view video_packet_type_name(VideoPacketType type);  // "seq-start", "frames", ...
std::string_view audio_packet_type_name(AudioPacketType type);
// True for codecs the rest of livewasm decodes (AVC, HEVC, AV1, VP9; AAC, Opus, MP3, G.711, linear PCM,
// FLAC, AC-3, E-AC-3). Others are still demuxed; the player reports them (2101/2102) and plays on without.
bool is_supported(VideoCodec codec);
bool is_supported(AudioCodec codec);
// FourCC <-> codec for Enhanced RTMP; 0 / kUnknown when there is none.
uint32_t video_codec_fourcc(VideoCodec codec);
uint32_t audio_codec_fourcc(AudioCodec codec);
VideoCodec video_codec_from_fourcc(uint32_t fourcc);
AudioCodec audio_codec_from_fourcc(uint32_t fourcc);
VideoCodec video_codec_from_legacy_id(uint8_t codec_id);
AudioCodec audio_codec_from_sound_format(uint8_t sound_format);

}  // namespace lw::flv
