#include "play/track_config.h"

#include <cstdio>

#include "codec/aac_config.h"
#include "codec/avc_config.h"
#include "codec/avc_sps.h"
#include "codec/hevc_config.h"
#include "codec/hevc_sps.h"

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
  return false;
}

}  // namespace lw::play
