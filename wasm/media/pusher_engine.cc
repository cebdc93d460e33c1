#include "media/pusher_engine.h"

#include <algorithm>
#include <cmath>

#include <libyuv/convert_argb.h>

namespace lw::media {
namespace {

// docs/api.md codes the engine raises.
constexpr int kVideoEncodeFail = -1303;
constexpr int kAudioEncodeFail = -1304;
constexpr int kUnsupportedResolution = -1305;
constexpr int kUnsupportedSampleRate = -1306;
constexpr int kNetBusy = 1101;

// The audio bitrate the rate controller counts on the link beside the video.
int audio_kbps_for(const PusherConfig& c) {
  if (!c.audio) return 0;
  if (c.audio_codec == AudioCodecKind::kOpus) return c.audio_quality == AudioQuality::kHigh ? 96 : 32;
  return c.audio_quality == AudioQuality::kHigh ? 128 : 48;
}

// nal_ref_idc of the first NAL unit of a length-prefixed access unit: 0 means nothing refers to this
// picture (H.264 7.4.1), so it can be dropped without breaking the pictures after it.
bool is_non_reference(ByteSpan avcc) {
  return avcc.size() > 4 && ((avcc[4] >> 5) & 3) == 0;
}

}  // namespace

PusherEngine::PusherEngine() = default;
PusherEngine::~PusherEngine() = default;

void PusherEngine::raise(int code, std::string message) { events_.push_back({code, std::move(message)}); }

std::vector<PusherEvent> PusherEngine::take_events() {
  std::vector<PusherEvent> out;
  out.swap(events_);
  return out;
}

Status PusherEngine::open(const PusherConfig& config) {
  config_ = config;
  config_.min_kbps = std::clamp(config_.min_kbps, 50, 20000);
  config_.max_kbps = std::clamp(config_.max_kbps, config_.min_kbps, 20000);
  push::RateConfig rc;
  rc.min_kbps = config_.min_kbps;
  rc.max_kbps = config_.max_kbps;
  rc.audio_kbps = audio_kbps_for(config_);
  rc.mode = config_.mode;
  rate_ = std::make_unique<push::RateController>(rc);
  ladder_ = std::make_unique<push::VideoLadder>(config_.mode, config_.aspect, config_.orientation);
  size_ = ladder_->update(rate_->video_kbps());

  push::PushMuxerOptions mo;
  mo.has_video = config_.video;
  mo.video_kbps = config_.max_kbps;  // the ceiling the rate controller keeps under
  mo.audio_kbps = config_.audio ? rc.audio_kbps : 0;
  mo.audio = !config_.audio ? push::AudioKind::kNone
             : config_.audio_codec == AudioCodecKind::kOpus ? push::AudioKind::kOpus
                                                             : push::AudioKind::kAac;
  mux_ = std::make_unique<push::PushMuxer>(mo);

  if (config_.audio) {
    AudioEncoderOptions ao;
    ao.codec = config_.audio_codec;
    ao.quality = config_.audio_quality;
    ao.input_sample_rate = config_.audio_sample_rate;
    ao.input_channels = config_.audio_channels;
    auto enc = open_audio_encoder(ao);
    if (!enc.ok()) {
      const bool rate = enc.status().code() == ErrorCode::kUnsupported;
      raise(rate ? kUnsupportedSampleRate : kAudioEncodeFail, enc.status().reason());
      return enc.status();
    }
    audio_ = std::move(enc).value();
    LW_RETURN_IF_ERROR(mux_->set_audio_config(audio_->config(), audio_->sample_rate(), audio_->channels(), out_));
  }
  return Status::Ok();
}

int PusherEngine::gop_frames() const {
  const push::ModeProfile p = push::mode_profile(config_.mode);
  return std::max(1, static_cast<int>(std::lround(encode_fps() * p.gop_seconds)));
}

double PusherEngine::encode_fps() const {
  const push::ModeProfile p = push::mode_profile(config_.mode);
  return std::clamp(config_.camera_fps > 0 ? config_.camera_fps : 30.0, 1.0, double(p.max_fps));
}

std::string PusherEngine::video_encoder_name() const {
  if (config_.external_video_encoder) return "external";
  return video_ ? video_->name() : "openh264";
}

std::string PusherEngine::audio_encoder_name() const { return audio_ ? audio_->name() : ""; }

uint8_t* PusherEngine::frame_buffer(size_t size) {
  if (frame_in_.size() < size) frame_in_.resize(size);
  return frame_in_.data();
}

float* PusherEngine::audio_buffer(size_t samples) {
  if (audio_in_.size() < samples) audio_in_.resize(samples);
  return audio_in_.data();
}

// Frame-rate cap: the camera may deliver faster than the mode's rate (or than the encoder should run).
// A frame is due when it is at most a quarter interval early; the schedule re-anchors after a gap.
bool PusherEngine::frame_due(int64_t timestamp_ms) {
  const double interval = 1000.0 / encode_fps();
  if (next_frame_ms_ >= 0 && timestamp_ms < next_frame_ms_ - interval / 4) return false;
  if (next_frame_ms_ < 0 || timestamp_ms > next_frame_ms_ + interval) {
    next_frame_ms_ = timestamp_ms + static_cast<int64_t>(interval);
  } else {
    next_frame_ms_ += static_cast<int64_t>(interval);
  }
  return true;
}

Status PusherEngine::open_video_encoder() {
  H264EncoderOptions o;
  o.width = size_.width;
  o.height = size_.height;
  o.fps = encode_fps();
  o.bitrate_kbps = rate_->video_kbps();
  o.gop_frames = gop_frames();
  o.allow_frame_skip = push::mode_profile(config_.mode).allow_frame_skip;
  auto enc = std::make_unique<H264Encoder>();
  if (Status s = enc->open(o); !s.ok()) {
    video_failed_ = true;
    raise(s.code() == ErrorCode::kUnsupported ? kUnsupportedResolution : kVideoEncodeFail, s.reason());
    return s;
  }
  video_ = std::move(enc);
  return Status::Ok();
}

Result<bool> PusherEngine::prepare_video(const SourceFrame& frame, int64_t timestamp_ms) {
  if (!config_.video || video_failed_) return false;
  if (!frame_due(timestamp_ms)) return false;
  if (drop_ == push::FrameDrop::kUntilKeyFrame) {
    ++dropped_;
    return false;
  }
  if (Status s = converter_.convert(frame, size_.width, size_.height); !s.ok()) {
    if (s.code() == ErrorCode::kUnsupported) {
      video_failed_ = true;
      raise(kUnsupportedResolution, s.reason());
    }
    return s;
  }
  if (beauty_ > 0) beauty_filter_.apply(beauty_, converter_.picture());
  if (whiteness_ > 0) whiteness_filter_.apply(whiteness_, converter_.picture());
  return true;
}

Result<bool> PusherEngine::push_video(const SourceFrame& frame, int64_t timestamp_ms) {
  auto prepared = prepare_video(frame, timestamp_ms);
  if (!prepared.ok() || !prepared.value()) return prepared;
  if (!video_ || video_->options().width != size_.width || video_->options().height != size_.height) {
    video_.reset();
    LW_RETURN_IF_ERROR(open_video_encoder());
  }
  return encode_picture(timestamp_ms);
}

Result<bool> PusherEngine::push_repeat(int64_t timestamp_ms) {
  if (!config_.video || video_failed_ || !video_ || converter_.width() != size_.width ||
      converter_.height() != size_.height)
    return false;
  return encode_picture(timestamp_ms);
}

Result<bool> PusherEngine::encode_picture(int64_t timestamp_ms) {
  auto encoded = video_->encode(converter_.picture(), timestamp_ms);
  if (!encoded.ok()) {
    video_failed_ = true;
    raise(kVideoEncodeFail, encoded.status().reason());
    return encoded.status();
  }
  const EncodedVideo& ev = *encoded.value();
  if (!ev.produced) {
    ++dropped_;  // the encoder's own frame skipping (RTC)
    return false;
  }
  if (ev.key) {
    LW_RETURN_IF_ERROR(mux_->set_avc_config(video_->avc_config(), size_.width, size_.height, encode_fps(), out_));
  }
  LW_RETURN_IF_ERROR(write_video(as_span(ev.nal_units), ev.key, timestamp_ms));
  return true;
}

Result<bool> PusherEngine::push_encoded_video(ByteSpan avcc, bool key, int64_t timestamp_ms, ByteSpan avc_config) {
  if (!avc_config.empty()) {
    LW_RETURN_IF_ERROR(mux_->set_avc_config(avc_config, size_.width, size_.height, encode_fps(), out_));
  }
  LW_RETURN_IF_ERROR(write_video(avcc, key, timestamp_ms));
  return true;
}

Status PusherEngine::write_video(ByteSpan avcc, bool key, int64_t timestamp_ms) {
  if (!key && drop_ == push::FrameDrop::kNonReference && is_non_reference(avcc)) {
    ++dropped_;
    return Status::Ok();
  }
  auto written = mux_->write_video(static_cast<uint32_t>(std::max<int64_t>(0, timestamp_ms)), 0, key, avcc, out_);
  if (!written.ok()) return written.status();
  if (written.value() && key) {
    if (last_key_ms_ >= 0 && timestamp_ms > last_key_ms_) gop_seconds_ = (timestamp_ms - last_key_ms_) / 1000.0;
    last_key_ms_ = timestamp_ms;
  }
  return Status::Ok();
}

Status PusherEngine::push_audio(int frames, int64_t timestamp_ms) {
  if (!audio_) return Status::Ok();
  if (frames <= 0) return Status::Ok();
  const size_t samples = static_cast<size_t>(frames) * static_cast<size_t>(config_.audio_channels);
  if (samples > audio_in_.size()) return Status(ErrorCode::kMisuse, "push_audio: more frames than audio_buffer()");
  if (Status s = audio_->encode(audio_in_.data(), frames, timestamp_ms, &audio_out_); !s.ok()) {
    raise(kAudioEncodeFail, s.reason());
    audio_.reset();
    return s;
  }
  for (const EncodedAudio& a : audio_out_) {
    auto written = mux_->write_audio(static_cast<uint32_t>(std::max<int64_t>(0, a.timestamp_ms)), as_span(a.data), out_);
    if (!written.ok()) return written.status();
  }
  return Status::Ok();
}

Status PusherEngine::begin_connection(int64_t now_ms) {
  LW_RETURN_IF_ERROR(mux_->begin_connection(out_));
  rate_->reset(now_ms);
  connected_ = true;
  if (status_since_ms_ < 0) status_since_ms_ = now_ms;
  request_key_frame();
  return Status::Ok();
}

void PusherEngine::request_key_frame() {
  key_requested_ = true;
  if (video_) video_->request_key_frame();
}

bool PusherEngine::take_key_frame_request() {
  const bool requested = key_requested_;
  key_requested_ = false;
  return requested;
}

void PusherEngine::update_link(const push::LinkSample& sample) {
  const int before = rate_->video_kbps();
  const push::RateDecision d = rate_->update(sample);
  if (d.net_busy) {
    raise(kNetBusy, "uplink too slow: " + std::to_string(rate_->measured_kbps()) + " kbit/s carried, backlog " +
                        std::to_string(rate_->backlog_ms()) + " ms at the minimum bitrate " +
                        std::to_string(config_.min_kbps) + " kbit/s");
  }
  drop_ = d.drop;
  if (d.request_key_frame) request_key_frame();
  if (d.video_kbps != before) {
    size_ = ladder_->update(d.video_kbps);
    // A new size reopens the encoder on the next frame (it starts with an IDR); otherwise only the
    // target changes.
    if (video_ && video_->options().width == size_.width && video_->options().height == size_.height) {
      (void)video_->set_bitrate(d.video_kbps);
    }
  }
}

Status PusherEngine::snapshot_rgba(Bytes* rgba, int* width, int* height) {
  image::I420View p = converter_.picture();
  if (!p.y || p.width <= 0 || p.height <= 0) return Status(ErrorCode::kMisuse, "no picture yet");
  rgba->resize(static_cast<size_t>(p.width) * p.height * 4);
  // RGBA bytes in memory are libyuv's "ABGR" (little-endian word order).
  if (libyuv::I420ToABGR(p.y, p.y_stride, p.u, p.uv_stride, p.v, p.uv_stride, rgba->data(), p.width * 4, p.width,
                         p.height) != 0)
    return Status(ErrorCode::kInvalid, "libyuv::I420ToABGR failed");
  *width = p.width;
  *height = p.height;
  return Status::Ok();
}

PusherNetStatus PusherEngine::net_status(int64_t now_ms) {
  PusherNetStatus s;
  const push::PushMuxerStats& m = mux_->stats();
  const double seconds = status_since_ms_ >= 0 ? std::max<int64_t>(1, now_ms - status_since_ms_) / 1000.0 : 0;
  if (seconds > 0) {
    s.video_bitrate = static_cast<int>((m.video_bytes - status_video_bytes_) * 8 / 1000.0 / seconds + 0.5);
    s.audio_bitrate = static_cast<int>((m.audio_bytes - status_audio_bytes_) * 8 / 1000.0 / seconds + 0.5);
    s.video_fps = (m.video_frames - status_video_frames_) / seconds;
  }
  status_since_ms_ = now_ms;
  status_video_bytes_ = m.video_bytes;
  status_audio_bytes_ = m.audio_bytes;
  status_video_frames_ = m.video_frames;
  s.video_gop = gop_seconds_;
  s.net_speed = rate_->measured_kbps();
  s.net_jitter = rate_->jitter_ms();
  if (config_.video) {
    s.video_width = size_.width;
    s.video_height = size_.height;
  }
  s.target_kbps = rate_->video_kbps();
  s.backlog_ms = rate_->backlog_ms();
  s.dropped_frames = dropped_ + m.dropped_video;
  return s;
}

}  // namespace lw::media
