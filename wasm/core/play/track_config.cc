#include "play/track_config.h"

#include <cstdio>
#include <utility>

#include "codec/aac_config.h"
#include "codec/ac3_header.h"
#include "codec/avc_config.h"
#include "codec/av1_config.h"
#include "codec/avc_sps.h"
#include "codec/flac_config.h"
#include "codec/hevc_config.h"
#include "codec/hevc_sps.h"
#include "codec/mp3_header.h"
#include "codec/vp9_config.h"

namespace lw::play {

bool make_video_config(flv::VideoCodec codec, ByteSpan record, TrackConfig* out) {
  out->kind = TrackKind::kVideo;
  out->description.assign(record.begin(), record.end());
  out->width = out->height = 0;
  if (codec == flv::VideoCodec::kAvc) {
    out->decoder = "h264";
    auto config = codec::parse_avc_config(record);
    if (!config.ok()) return false;
    char name[32];
    std::snprintf(name, sizeof name, "avc1.%02X%02X%02X", config->profile_indication,
                  config->profile_compatibility, config->level_indication);
    out->codec = name;
    if (!config->sps.empty()) {
      auto sps = codec::parse_avc_sps(as_span(config->sps[0]));
      if (sps.ok()) {
        out->codec = sps->codec_string();
        out->width = static_cast<int32_t>(sps->width);
        out->height = static_cast<int32_t>(sps->height);
      }
    }
    return true;
  }
  if (codec == flv::VideoCodec::kHevc) {
    out->decoder = "hevc";
    auto config = codec::parse_hevc_config(record);
    if (!config.ok()) return false;
    out->codec = "hvc1.1.6.L93.B0";
    const auto sps_list = config->nalus_of_type(33);
    if (!sps_list.empty()) {
      auto sps = codec::parse_hevc_sps(sps_list[0]);
      if (sps.ok()) {
        out->codec = sps->codec_string();
        out->width = static_cast<int32_t>(sps->width);
        out->height = static_cast<int32_t>(sps->height);
      }
    }
    return true;
  }
  if (codec == flv::VideoCodec::kAv1) {
    // Enhanced RTMP 'av01': the sequence start carries an av1C; frames are temporal units of OBUs.
    // "av1": dav1d in the on-demand module livewasm_player_av1 (wasm/codecs/dav1d/av1_decoder.h). The
    // size is left 0: reading it from the sequence header OBU would add ~4.6 KB to the player's module
    // (codec::parse_av1_sequence_header; bench/RESULTS.md).
    out->decoder = "av1";
    return codec::av1_codec_string(record, &out->codec);
  }
  if (codec == flv::VideoCodec::kVp9) {
    // Enhanced RTMP 'vp09': a vpcC (no picture size in it). "vp9": FFmpeg's VP9 decoder, which no
    // shipped module links yet (WebCodecs only; in wasm the module load fails and says so, 2101).
    out->decoder = "vp9";
    codec::Vp9Config config;
    if (!codec::read_vp9_config(record, &config)) return false;
    out->codec = config.codec_string();
    return true;
  }
  return false;
}

bool make_audio_config(flv::AudioCodec codec, ByteSpan record, TrackConfig* out) {
  out->kind = TrackKind::kAudio;
  out->description.assign(record.begin(), record.end());
  if (codec == flv::AudioCodec::kAac) {
    auto config = codec::parse_aac_config(record);
    if (!config.ok()) return false;
    out->decoder = "aac";
    out->codec = config->codec_string();
    out->sample_rate = static_cast<int32_t>(config->output_sample_rate());
    out->channels = static_cast<int32_t>(config->channels());
    if (out->channels == 0) out->channels = 2;
    return true;
  }
  if (codec == flv::AudioCodec::kOpus) {
    // OpusHead (RFC 7845 5.1): "OpusHead", version, channel count, pre-skip, input rate, ...
    if (record.size() < 19 || std::string_view(reinterpret_cast<const char*>(record.data()), 8) != "OpusHead") {
      return false;
    }
    out->decoder = "opus";
    out->codec = "opus";
    out->sample_rate = 48000;  // Opus always decodes at 48 kHz; the input rate is informational
    out->channels = record[9] == 0 ? 2 : record[9];
    return true;
  }
  if (codec == flv::AudioCodec::kFlac) {
    // Enhanced RTMP 'fLaC': STREAMINFO (alone, or in the "fLaC" stream header). "flac": FFmpeg's FLAC
    // decoder in the on-demand module livewasm_player_flac_ac3; WebCodecs' 'flac' takes the same
    // description ("fLaC" + STREAMINFO).
    codec::FlacConfig config;
    if (codec::read_flac_config(record, &config) != ErrorCode::kOk) return false;
    out->decoder = "flac";
    out->codec = "flac";
    out->sample_rate = config.sample_rate;
    out->channels = config.channels;
    out->description = std::move(config.description);
    return true;
  }
  return false;
}

bool audio_config_in_sequence_header(flv::AudioCodec codec) {
  // AC-3 and E-AC-3 have no configuration record (their sequence start is empty): each frame configures.
  return codec == flv::AudioCodec::kAac || codec == flv::AudioCodec::kOpus || codec == flv::AudioCodec::kFlac;
}

bool make_audio_config_from_frame(const flv::AudioTagHeader& h, ByteSpan payload, TrackConfig* out) {
  out->kind = TrackKind::kAudio;
  out->description.clear();
  // Legacy SoundType: 0 mono, 1 stereo (E.4.2.1). Enhanced RTMP's '.mp3' has no such bit: 2 until the
  // MPEG header says.
  out->channels = h.enhanced ? 2 : h.sound_type + 1;
  switch (h.codec) {
    case flv::AudioCodec::kG711ALaw:
    case flv::AudioCodec::kG711MuLaw:
      // G.711 is 8 kHz whatever the rate bits say (FFmpeg's flvdec; its muxer writes bits 0, "5.5 kHz").
      out->decoder = h.codec == flv::AudioCodec::kG711ALaw ? "alaw" : "mulaw";
      out->codec = h.codec == flv::AudioCodec::kG711ALaw ? "alaw" : "ulaw";  // WebCodecs' registry names
      out->sample_rate = 8000;
      return true;
    case flv::AudioCodec::kLinearPcm:
    case flv::AudioCodec::kLinearPcmLe:
      // SoundFormat 0 is "platform endian": little-endian, as Flash wrote it on x86 and as FFmpeg's
      // flvdec reads it on every little-endian host. 8-bit samples are unsigned either way.
      out->decoder = h.sound_size == 0 ? "pcm_u8" : "pcm_s16le";
      out->codec = h.sound_size == 0 ? "pcm-u8" : "pcm-s16";
      out->sample_rate = static_cast<int32_t>(h.legacy_sample_rate_hz());
      return true;
    case flv::AudioCodec::kMp3:
    case flv::AudioCodec::kMp3_8k: {
      out->decoder = "mp3";
      out->codec = "mp3";
      out->sample_rate = h.codec == flv::AudioCodec::kMp3_8k ? 8000 : static_cast<int32_t>(h.legacy_sample_rate_hz());
      auto mpeg = codec::parse_mp3_header(payload);
      if (mpeg.ok()) {
        out->sample_rate = mpeg->sample_rate;
        out->channels = mpeg->channels;
      }
      return out->sample_rate > 0;
    }
    case flv::AudioCodec::kAc3:
    case flv::AudioCodec::kEac3: {
      // Enhanced RTMP 'ac-3' / 'ec-3': rate and channels from the first syncframe. "ac3" / "eac3": FFmpeg's
      // decoders in livewasm_player_flac_ac3; 'ac-3' / 'ec-3' are WebCodecs' names. FFmpeg's E-AC-3
      // decoder also takes AC-3 frames, so a frame's own bsid decides.
      codec::Ac3Header header;
      if (codec::read_ac3_header(payload, &header) != ErrorCode::kOk) return false;
      out->decoder = header.enhanced ? "eac3" : "ac3";
      out->codec = header.enhanced ? "ec-3" : "ac-3";
      out->sample_rate = header.sample_rate;
      out->channels = header.channels;
      return true;
    }
    default:
      return false;
  }
}

std::string unsupported_audio_name(const flv::AudioTagHeader& h) {
  static constexpr const char* kLegacy[16] = {
      "linear PCM", "ADPCM", "MP3", "linear PCM (little-endian)", "Nellymoser 16 kHz", "Nellymoser 8 kHz",
      "Nellymoser", "G.711 A-law", "G.711 mu-law", "reserved", "AAC", "Speex", "reserved", "reserved",
      "MP3 8 kHz", "device-specific sound"};
  if (h.enhanced) return "'" + flv::fourcc_to_string(h.fourcc) + "' (Enhanced RTMP audio FourCC)";
  return std::string(kLegacy[h.sound_format & 15]) + " (FLV SoundFormat " + std::to_string(h.sound_format) + ")";
}

std::string unsupported_video_name(const flv::VideoTagHeader& h) {
  if (h.enhanced) return "'" + flv::fourcc_to_string(h.fourcc) + "' (Enhanced RTMP video FourCC)";
  const char* name = "unknown";
  switch (h.codec) {
    case flv::VideoCodec::kSorensonH263: name = "Sorenson H.263"; break;
    case flv::VideoCodec::kScreenVideo: name = "Screen Video"; break;
    case flv::VideoCodec::kVp6: name = "On2 VP6"; break;
    case flv::VideoCodec::kVp6Alpha: name = "On2 VP6 with alpha"; break;
    case flv::VideoCodec::kScreenVideoV2: name = "Screen Video v2"; break;
    default: break;
  }
  return std::string(name) + " (FLV CodecID " + std::to_string(h.codec_id) + ")";
}

}  // namespace lw::play
