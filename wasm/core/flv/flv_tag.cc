#include "flv/flv_tag.h"

#include <cstdio>

namespace lw::flv {

std::string fourcc_to_string(uint32_t code) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const auto c = static_cast<uint8_t>(code >> shift);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

std::string_view tag_type_name(TagType type) {
  switch (type) {
    case TagType::kAudio: return "audio";
    case TagType::kVideo: return "video";
    case TagType::kScript: return "script";
  }
  return "unknown";
}

std::string_view video_codec_name(VideoCodec codec) {
  switch (codec) {
    case VideoCodec::kUnknown: return "unknown";
    case VideoCodec::kSorensonH263: return "h263";
    case VideoCodec::kScreenVideo: return "screen";
    case VideoCodec::kVp6: return "vp6";
    case VideoCodec::kVp6Alpha: return "vp6a";
    case VideoCodec::kScreenVideoV2: return "screen2";
    case VideoCodec::kAvc: return "avc";
    case VideoCodec::kHevc: return "hevc";
    case VideoCodec::kAv1: return "av1";
    case VideoCodec::kVp9: return "vp9";
    case VideoCodec::kVp8: return "vp8";
    case VideoCodec::kVvc: return "vvc";
  }
  return "unknown";
}

std::string_view audio_codec_name(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::kUnknown: return "unknown";
    case AudioCodec::kLinearPcm: return "pcm";
    case AudioCodec::kAdpcm: return "adpcm";
    case AudioCodec::kMp3: return "mp3";
    case AudioCodec::kLinearPcmLe: return "pcm_le";
    case AudioCodec::kNellymoser16k: return "nellymoser16k";
    case AudioCodec::kNellymoser8k: return "nellymoser8k";
    case AudioCodec::kNellymoser: return "nellymoser";
    case AudioCodec::kG711ALaw: return "alaw";
    case AudioCodec::kG711MuLaw: return "mulaw";
    case AudioCodec::kAac: return "aac";
    case AudioCodec::kSpeex: return "speex";
    case AudioCodec::kMp3_8k: return "mp3_8k";
    case AudioCodec::kDeviceSpecific: return "device";
    case AudioCodec::kOpus: return "opus";
    case AudioCodec::kFlac: return "flac";
    case AudioCodec::kAc3: return "ac3";
    case AudioCodec::kEac3: return "eac3";
  }
  return "unknown";
}

std::string_view video_packet_type_name(VideoPacketType type) {
  switch (type) {
    case VideoPacketType::kSequenceStart: return "seq-start";
    case VideoPacketType::kCodedFrames: return "frames";
    case VideoPacketType::kSequenceEnd: return "seq-end";
    case VideoPacketType::kCodedFramesX: return "frames-x";
    case VideoPacketType::kMetadata: return "metadata";
    case VideoPacketType::kMpeg2TsSequenceStart: return "mpeg2ts-seq-start";
    case VideoPacketType::kMultitrack: return "multitrack";
    case VideoPacketType::kModEx: return "modex";
  }
  return "unknown";
}

std::string_view audio_packet_type_name(AudioPacketType type) {
  switch (type) {
    case AudioPacketType::kSequenceStart: return "seq-start";
    case AudioPacketType::kCodedFrames: return "frames";
    case AudioPacketType::kSequenceEnd: return "seq-end";
    case AudioPacketType::kMultichannelConfig: return "multichannel-config";
    case AudioPacketType::kMultitrack: return "multitrack";
    case AudioPacketType::kModEx: return "modex";
  }
  return "unknown";
}

bool is_supported(VideoCodec codec) {
  return codec == VideoCodec::kAvc || codec == VideoCodec::kHevc || codec == VideoCodec::kAv1 || codec == VideoCodec::kVp9;
}
bool is_supported(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::kAac:
    case AudioCodec::kOpus:
    case AudioCodec::kMp3:
    case AudioCodec::kMp3_8k:
    case AudioCodec::kLinearPcm:
    case AudioCodec::kLinearPcmLe:
    case AudioCodec::kG711ALaw:
    case AudioCodec::kG711MuLaw:
    case AudioCodec::kFlac:  // the decoders module livewasm_player_flac_ac3 (or WebCodecs)
    case AudioCodec::kAc3:
    case AudioCodec::kEac3:
      return true;
    default:
      return false;
  }
}

namespace {
struct VideoFourcc {
  VideoCodec codec;
  uint32_t code;
};
constexpr VideoFourcc kVideoFourccs[] = {
    {VideoCodec::kAvc, fourcc("avc1")}, {VideoCodec::kHevc, fourcc("hvc1")},
    {VideoCodec::kAv1, fourcc("av01")}, {VideoCodec::kVp9, fourcc("vp09")},
    {VideoCodec::kVp8, fourcc("vp08")}, {VideoCodec::kVvc, fourcc("vvc1")},
};
struct AudioFourcc {
  AudioCodec codec;
  uint32_t code;
};
constexpr AudioFourcc kAudioFourccs[] = {
    {AudioCodec::kOpus, fourcc("Opus")}, {AudioCodec::kAac, fourcc("mp4a")},
    {AudioCodec::kFlac, fourcc("fLaC")}, {AudioCodec::kAc3, fourcc("ac-3")},
    {AudioCodec::kEac3, fourcc("ec-3")}, {AudioCodec::kMp3, fourcc(".mp3")},
};
}  // namespace

uint32_t video_codec_fourcc(VideoCodec codec) {
  for (const auto& e : kVideoFourccs)
    if (e.codec == codec) return e.code;
  return 0;
}

uint32_t audio_codec_fourcc(AudioCodec codec) {
  for (const auto& e : kAudioFourccs)
    if (e.codec == codec) return e.code;
  return 0;
}

VideoCodec video_codec_from_fourcc(uint32_t code) {
  for (const auto& e : kVideoFourccs)
    if (e.code == code) return e.codec;
  return VideoCodec::kUnknown;
}

AudioCodec audio_codec_from_fourcc(uint32_t code) {
  for (const auto& e : kAudioFourccs)
    if (e.code == code) return e.codec;
  return AudioCodec::kUnknown;
}

VideoCodec video_codec_from_legacy_id(uint8_t codec_id) {
  switch (codec_id) {
    case 2: return VideoCodec::kSorensonH263;
    case 3: return VideoCodec::kScreenVideo;
    case 4: return VideoCodec::kVp6;
    case 5: return VideoCodec::kVp6Alpha;
    case 6: return VideoCodec::kScreenVideoV2;
    case kLegacyVideoAvc: return VideoCodec::kAvc;
    case kLegacyVideoHevc: return VideoCodec::kHevc;
    default: return VideoCodec::kUnknown;
  }
}

AudioCodec audio_codec_from_sound_format(uint8_t sound_format) {
  switch (sound_format) {
    case 0: return AudioCodec::kLinearPcm;
    case 1: return AudioCodec::kAdpcm;
    case 2: return AudioCodec::kMp3;
    case 3: return AudioCodec::kLinearPcmLe;
    case 4: return AudioCodec::kNellymoser16k;
    case 5: return AudioCodec::kNellymoser8k;
    case 6: return AudioCodec::kNellymoser;
    case 7: return AudioCodec::kG711ALaw;
    case 8: return AudioCodec::kG711MuLaw;
    case kSoundFormatAac: return AudioCodec::kAac;
    case 11: return AudioCodec::kSpeex;
    case 14: return AudioCodec::kMp3_8k;
    case 15: return AudioCodec::kDeviceSpecific;
    default: return AudioCodec::kUnknown;  // 9 is ExHeader, 12 and 13 reserved
  }
}

uint32_t AudioTagHeader::legacy_sample_rate_hz() const {
  if (enhanced) return 0;
  static constexpr uint32_t kRates[4] = {5512, 11025, 22050, 44100};
  return kRates[sound_rate & 3];
}

VideoTagHeader VideoTagHeader::avc(VideoPacketType type, bool key, int32_t cts_ms) {
  VideoTagHeader h;
  h.frame_type = key ? VideoFrameType::kKey : VideoFrameType::kInter;
  h.codec_id = kLegacyVideoAvc;
  h.codec = VideoCodec::kAvc;
  h.packet_type = type;
  h.composition_time_ms = cts_ms;
  return h;
}

VideoTagHeader VideoTagHeader::hevc_legacy(VideoPacketType type, bool key, int32_t cts_ms) {
  VideoTagHeader h = avc(type, key, cts_ms);
  h.codec_id = kLegacyVideoHevc;
  h.codec = VideoCodec::kHevc;
  return h;
}

VideoTagHeader VideoTagHeader::enhanced_codec(VideoCodec codec, VideoPacketType type, bool key,
                                              int32_t cts_ms) {
  VideoTagHeader h;
  h.enhanced = true;
  h.frame_type = key ? VideoFrameType::kKey : VideoFrameType::kInter;
  h.fourcc = video_codec_fourcc(codec);
  h.codec = codec;
  // Only AVC, HEVC and VVC carry an SI24 composition time in CodedFrames; CodedFramesX saves it
  // when it is 0 (Enhanced RTMP, VideoPacketType). AV1/VP8/VP9 CodedFrames have none.
  const bool has_cts = codec == VideoCodec::kAvc || codec == VideoCodec::kHevc || codec == VideoCodec::kVvc;
  if (has_cts && type == VideoPacketType::kCodedFrames && cts_ms == 0) type = VideoPacketType::kCodedFramesX;
  h.packet_type = type;
  h.composition_time_ms = has_cts && type == VideoPacketType::kCodedFrames ? cts_ms : 0;
  return h;
}

AudioTagHeader AudioTagHeader::aac(AudioPacketType type) {
  AudioTagHeader h;
  h.sound_format = kSoundFormatAac;
  h.sound_rate = 3;
  h.sound_size = 1;
  h.sound_type = 1;
  h.codec = AudioCodec::kAac;
  h.packet_type = type;
  return h;
}

AudioTagHeader AudioTagHeader::enhanced_codec(AudioCodec codec, AudioPacketType type) {
  AudioTagHeader h;
  h.enhanced = true;
  h.sound_format = kSoundFormatExHeader;
  h.fourcc = audio_codec_fourcc(codec);
  h.codec = codec;
  h.packet_type = type;
  return h;
}

}  // namespace lw::flv
