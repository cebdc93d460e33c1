#include "codecs/pusher_engine.h"

#include <algorithm>
#include <cmath>

#include <libyuv/convert_argb.h>

namespace lw::codecs {
namespace {

// docs/api.md codes the codec glue raises (through the session's event list).
constexpr int kVideoEncodeFail = -1303;
constexpr int kAudioEncodeFail = -1304;
constexpr int kUnsupportedResolution = -1305;
constexpr int kUnsupportedSampleRate = -1306;

push::PushSessionConfig session_config(const PusherConfig& c) {
  push::PushSessionConfig s;
  s.mode = c.mode;
  s.aspect = c.aspect;
  s.orientation = c.orientation;
  s.min_kbps = c.min_kbps;
  s.max_kbps = c.max_kbps;
  s.video = c.video;
  s.video_codec = c.video_codec;
  s.audio = !c.audio ? push::AudioKind::kNone
            : c.audio_codec == AudioCodecKind::kOpus ? push::AudioKind::kOpus
                                                      : push::AudioKind::kAac;
  s.audio_high = c.audio_quality == AudioQuality::kHigh;
  s.camera_fps = c.camera_fps;
  return s;
}

}  // namespace

PusherEngine::PusherEngine() = default;
PusherEngine::~PusherEngine() = default;

Status PusherEngine::open(const PusherConfig& config) {
  config_ = config;
  LW_RETURN_IF_ERROR(session_.open(session_config(config_)));
  config_.min_kbps = session_.config().min_kbps;
  config_.max_kbps = session_.config().max_kbps;

  if (config_.audio) {
    AudioEncoderOptions ao;
    ao.codec = config_.audio_codec;
    ao.quality = config_.audio_quality;
    ao.input_sample_rate = config_.audio_sample_rate;
    ao.input_channels = config_.audio_channels;
    auto enc = open_audio_encoder(ao);
    if (!enc.ok()) {
      const bool rate = enc.status().code() == ErrorCode::kUnsupported;
      session_.raise(rate ? kUnsupportedSampleRate : kAudioEncodeFail, enc.status().reason());
      return enc.status();
    }
    audio_ = std::move(enc).value();
    LW_RETURN_IF_ERROR(session_.set_audio_config(audio_->config(), audio_->sample_rate(), audio_->channels()));
  }
  return Status::Ok();
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

Status PusherEngine::open_video_encoder() {
  H264EncoderOptions o;
  o.width = session_.target_size().width;
  o.height = session_.target_size().height;
  o.fps = session_.encode_fps();
  o.bitrate_kbps = session_.video_kbps();
  o.gop_frames = session_.gop_frames();
  o.allow_frame_skip = session_.allow_frame_skip();
  o.threads = config_.encoder_threads;
  auto enc = std::make_unique<H264Encoder>();
  if (Status s = enc->open(o); !s.ok()) {
    video_failed_ = true;
    session_.raise(s.code() == ErrorCode::kUnsupported ? kUnsupportedResolution : kVideoEncodeFail, s.reason());
    return s;
  }
  video_ = std::move(enc);
  return Status::Ok();
}

Result<bool> PusherEngine::prepare_video(const SourceFrame& frame, int64_t timestamp_ms) {
  if (!config_.video || video_failed_) return false;
  if (!session_.take_frame(timestamp_ms)) return false;
  const push::VideoSize size = session_.target_size();
  if (Status s = converter_.convert(frame, size.width, size.height); !s.ok()) {
    if (s.code() == ErrorCode::kUnsupported) {
      video_failed_ = true;
      session_.raise(kUnsupportedResolution, s.reason());
    }
    return s;
  }
  if (beauty_ > 0) beauty_filter_.apply(beauty_, converter_.picture());
  if (whiteness_ > 0) whiteness_filter_.apply(whiteness_, converter_.picture());
  return true;
}

Result<bool> PusherEngine::push_video(const SourceFrame& frame, int64_t timestamp_ms) {
  if (session_.video_codec() != push::VideoKind::kH264)
    return Status(ErrorCode::kMisuse, std::string("OpenH264 encodes H.264 only; ") + video_codec_name() + " needs the browser's encoder");
  auto prepared = prepare_video(frame, timestamp_ms);
  if (!prepared.ok() || !prepared.value()) return prepared;
  const push::VideoSize size = session_.target_size();
  if (!video_ || video_->options().width != size.width || video_->options().height != size.height) {
    video_.reset();
    LW_RETURN_IF_ERROR(open_video_encoder());
  }
  return encode_picture(timestamp_ms);
}

Result<bool> PusherEngine::push_repeat(int64_t timestamp_ms) {
  const push::VideoSize size = session_.target_size();
  if (!config_.video || video_failed_ || !video_ || converter_.width() != size.width ||
      converter_.height() != size.height)
    return false;
  return encode_picture(timestamp_ms);
}

Result<bool> PusherEngine::encode_picture(int64_t timestamp_ms) {
  if (session_.take_key_frame_request()) video_->request_key_frame();
  auto encoded = video_->encode(converter_.picture(), timestamp_ms);
  if (!encoded.ok()) {
    video_failed_ = true;
    session_.raise(kVideoEncodeFail, encoded.status().reason());
    return encoded.status();
  }
  const EncodedVideo& ev = *encoded.value();
  if (!ev.produced) {
    session_.encoder_skipped();  // the encoder's own frame skipping (RTC)
    return false;
  }
  if (ev.key) LW_RETURN_IF_ERROR(session_.set_avc_config(video_->avc_config()));
  LW_RETURN_IF_ERROR(session_.write_video(as_span(ev.nal_units), ev.key, timestamp_ms));
  return true;
}

Result<bool> PusherEngine::push_encoded_video(ByteSpan avcc, bool key, int64_t timestamp_ms, ByteSpan avc_config) {
  LW_RETURN_IF_ERROR(session_.write_encoded_video(avcc, key, timestamp_ms, avc_config));
  return true;
}

Status PusherEngine::push_audio(int frames, int64_t timestamp_ms) {
  if (!audio_) return Status::Ok();
  if (frames <= 0) return Status::Ok();
  const size_t samples = static_cast<size_t>(frames) * static_cast<size_t>(config_.audio_channels);
  if (samples > audio_in_.size()) return Status(ErrorCode::kMisuse, "push_audio: more frames than audio_buffer()");
  if (Status s = audio_->encode(audio_in_.data(), frames, timestamp_ms, &audio_out_); !s.ok()) {
    session_.raise(kAudioEncodeFail, s.reason());
    audio_.reset();
    return s;
  }
  for (const EncodedAudio& a : audio_out_) LW_RETURN_IF_ERROR(session_.write_audio(a.timestamp_ms, as_span(a.data)));
  return Status::Ok();
}

void PusherEngine::update_link(const push::LinkSample& sample) {
  if (!session_.update_link(sample) || !video_) return;
  // A new size reopens the encoder on the next picture (it starts with an IDR); otherwise only the
  // target changes.
  const push::VideoSize size = session_.target_size();
  if (video_->options().width == size.width && video_->options().height == size.height) {
    (void)video_->set_bitrate(session_.video_kbps());
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

}  // namespace lw::codecs
