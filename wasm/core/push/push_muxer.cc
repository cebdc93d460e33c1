#include "push/push_muxer.h"

#include <algorithm>
#include <vector>

namespace lw::push {

namespace {

flv::VideoCodec flv_codec(VideoKind kind) {
  switch (kind) {
    case VideoKind::kH264: return flv::VideoCodec::kAvc;
    case VideoKind::kHevc: return flv::VideoCodec::kHevc;
    case VideoKind::kAv1: return flv::VideoCodec::kAv1;
    case VideoKind::kVp9: return flv::VideoCodec::kVp9;
  }
  return flv::VideoCodec::kAvc;
}

}  // namespace

bool parse_video_kind(std::string_view name, VideoKind* kind) {
  for (VideoKind k : {VideoKind::kH264, VideoKind::kHevc, VideoKind::kAv1, VideoKind::kVp9}) {
    if (name == video_kind_name(k)) {
      *kind = k;
      return true;
    }
  }
  return false;
}

const char* video_kind_name(VideoKind kind) {
  switch (kind) {
    case VideoKind::kH264: return "h264";
    case VideoKind::kHevc: return "hevc";
    case VideoKind::kAv1: return "av1";
    case VideoKind::kVp9: return "vp9";
  }
  return "h264";
}

PushMuxer::PushMuxer(const PushMuxerOptions& options) : options_(options) {}

// H.264 as legacy CodecID 7 (what every RTMP server takes); the others as Enhanced RTMP.
Status PushMuxer::write_video_sequence_header(uint32_t timestamp_ms, Bytes& out) {
  if (options_.video == VideoKind::kH264) return muxer_.write_avc_sequence_header(timestamp_ms, as_span(avc_config_), out);
  return muxer_.write_video(
      flv::VideoTagHeader::enhanced_codec(flv_codec(options_.video), flv::VideoPacketType::kSequenceStart, true),
      timestamp_ms, as_span(avc_config_), out);
}

bool PushMuxer::waiting_for_key_frame() const { return need_key_; }

Status PushMuxer::set_video_config(ByteSpan avc_config, int width, int height, double fps, Bytes& out) {
  if (!options_.has_video) return Status(ErrorCode::kMisuse, "video config for an audio-only push");
  if (avc_config.empty()) return Status(ErrorCode::kInvalid, "empty decoder configuration record");
  const bool changed = !std::equal(avc_config.begin(), avc_config.end(), avc_config_.begin(), avc_config_.end());
  width_ = width;
  height_ = height;
  fps_ = fps;
  // What the metadata says comes before the sequence header it describes.
  LW_RETURN_IF_ERROR(write_metadata_if_changed(out));
  if (!changed) return Status::Ok();
  avc_config_.assign(avc_config.begin(), avc_config.end());
  // A new picture format: players need the new sequence header, and the next frame must be a key
  // frame (a P frame of the old format would be decoded against the wrong parameter sets).
  need_key_ = true;
  if (connected_) {
    const uint32_t ts = static_cast<uint32_t>(std::max<int64_t>(0, last_video_ts_));
    LW_RETURN_IF_ERROR(write_video_sequence_header(ts, out));
  }
  return Status::Ok();
}

Status PushMuxer::set_video_kind(VideoKind kind) {
  if (kind == options_.video) return Status::Ok();
  // Until the first record nothing on any connection named the video codec (the metadata waits for the
  // picture size, which comes with the record), so a stream can still start in another codec.
  if (!avc_config_.empty()) return Status(ErrorCode::kMisuse, "the video codec changes only before its first record");
  options_.video = kind;
  return Status::Ok();
}

Status PushMuxer::set_audio_config(ByteSpan config, int sample_rate, int channels, Bytes& out) {
  if (options_.audio == AudioKind::kNone) return Status(ErrorCode::kMisuse, "audio config for a push without audio");
  audio_config_.assign(config.begin(), config.end());
  sample_rate_ = sample_rate;
  channels_ = channels;
  LW_RETURN_IF_ERROR(write_metadata_if_changed(out));
  if (connected_) {
    const uint32_t ts = static_cast<uint32_t>(std::max<int64_t>(0, last_audio_ts_));
    return options_.audio == AudioKind::kAac ? muxer_.write_aac_sequence_header(ts, as_span(audio_config_), out)
                                             : muxer_.write_opus_sequence_start(ts, as_span(audio_config_), out);
  }
  return Status::Ok();
}

std::vector<amf0::Property> PushMuxer::metadata() const {
  // Opus, HEVC, AV1 and VP9 have no legacy codec id here (Enhanced RTMP signals them in the tags), so
  // they are named by FourCC as Enhanced RTMP v2 suggests (FFmpeg 6.1+ and OBS write videocodecid so).
  std::vector<amf0::Property> meta;
  if (options_.has_video) {
    if (width_ > 0) {
      meta.push_back({"width", amf0::Value::Number(width_)});
      meta.push_back({"height", amf0::Value::Number(height_)});
    }
    if (fps_ > 0) meta.push_back({"framerate", amf0::Value::Number(fps_)});
    if (options_.video_kbps > 0) meta.push_back({"videodatarate", amf0::Value::Number(options_.video_kbps)});
    meta.push_back({"videocodecid", amf0::Value::Number(options_.video == VideoKind::kH264
                                                            ? 7
                                                            : flv::video_codec_fourcc(flv_codec(options_.video)))});
  }
  if (options_.audio != AudioKind::kNone) {
    if (options_.audio_kbps > 0) meta.push_back({"audiodatarate", amf0::Value::Number(options_.audio_kbps)});
    if (sample_rate_ > 0) {
      meta.push_back({"audiosamplerate", amf0::Value::Number(sample_rate_)});
      meta.push_back({"audiosamplesize", amf0::Value::Number(16)});
      meta.push_back({"stereo", amf0::Value::Boolean(channels_ == 2)});
    }
    meta.push_back({"audiocodecid", amf0::Value::Number(options_.audio == AudioKind::kAac ? 10 : flv::fourcc("Opus"))});
  }
  meta.push_back({"encoder", amf0::Value::String(options_.encoder_name)});
  return meta;
}

Status PushMuxer::write_metadata_if_changed(Bytes& out) {
  if (!connected_ || (options_.has_video && width_ <= 0)) return Status::Ok();
  std::vector<amf0::Property> meta = metadata();
  std::string text = amf0::to_string(amf0::Value::EcmaArray(meta));
  if (text == written_metadata_) return Status::Ok();
  LW_RETURN_IF_ERROR(muxer_.write_metadata(meta, out));
  written_metadata_ = std::move(text);
  return Status::Ok();
}

Status PushMuxer::begin_connection(Bytes& out) {
  connected_ = true;
  need_key_ = true;
  written_metadata_.clear();
  ++stats_.connections;
  muxer_.write_header(options_.audio != AudioKind::kNone, options_.has_video, out);
  LW_RETURN_IF_ERROR(write_metadata_if_changed(out));
  // Sequence headers at the stream's current time: a reconnect continues the same timeline.
  if (options_.has_video && !avc_config_.empty()) {
    const uint32_t ts = static_cast<uint32_t>(std::max<int64_t>(0, last_video_ts_));
    LW_RETURN_IF_ERROR(write_video_sequence_header(ts, out));
  }
  if (options_.audio != AudioKind::kNone && !audio_config_.empty()) {
    const uint32_t ts = static_cast<uint32_t>(std::max<int64_t>(0, last_audio_ts_));
    LW_RETURN_IF_ERROR(options_.audio == AudioKind::kAac
                           ? muxer_.write_aac_sequence_header(ts, as_span(audio_config_), out)
                           : muxer_.write_opus_sequence_start(ts, as_span(audio_config_), out));
  }
  return Status::Ok();
}

Result<bool> PushMuxer::write_video(uint32_t dts_ms, int32_t cts_ms, bool key, ByteSpan nal_units, Bytes& out) {
  if (!options_.has_video || !connected_ || avc_config_.empty()) return false;
  if (need_key_ && !key) {
    ++stats_.dropped_video;
    return false;
  }
  need_key_ = false;
  // Never backwards per track: a clamped timestamp is better than a discontinuity at the player.
  const uint32_t ts = static_cast<uint32_t>(std::max<int64_t>(dts_ms, last_video_ts_));
  if (options_.video == VideoKind::kH264) {
    LW_RETURN_IF_ERROR(muxer_.write_avc_frame(ts, cts_ms, key, nal_units, out));
  } else {
    LW_RETURN_IF_ERROR(muxer_.write_video(
        flv::VideoTagHeader::enhanced_codec(flv_codec(options_.video), flv::VideoPacketType::kCodedFrames, key, cts_ms),
        ts, nal_units, out));
  }
  last_video_ts_ = ts;
  ++stats_.video_frames;
  stats_.video_bytes += nal_units.size();
  return true;
}

Result<bool> PushMuxer::write_audio(uint32_t timestamp_ms, ByteSpan frame, Bytes& out) {
  if (options_.audio == AudioKind::kNone || !connected_ || audio_config_.empty()) return false;
  const uint32_t ts = static_cast<uint32_t>(std::max<int64_t>(timestamp_ms, last_audio_ts_));
  if (options_.audio == AudioKind::kAac) LW_RETURN_IF_ERROR(muxer_.write_aac_frame(ts, frame, out));
  else LW_RETURN_IF_ERROR(muxer_.write_opus_frame(ts, frame, out));
  last_audio_ts_ = ts;
  ++stats_.audio_frames;
  stats_.audio_bytes += frame.size();
  return true;
}

}  // namespace lw::push
