#include "push/push_session.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "push/coded_video.h"

namespace lw::push {
namespace {

// docs/api.md codes the session raises.
constexpr int kNetBusy = 1101;
constexpr int kEncoderSwitched = 1107;
constexpr int kHiddenTooLong = 5000;

// nal_ref_idc of the first NAL unit of a length-prefixed access unit: 0 means nothing refers to this
// picture (H.264 7.4.1), so it can be dropped without breaking the pictures after it.
bool is_non_reference(ByteSpan avcc) { return avcc.size() > 4 && ((avcc[4] >> 5) & 3) == 0; }

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

PushSession::PushSession() = default;
PushSession::~PushSession() = default;

int PushSession::audio_kbps() const {
  switch (config_.audio) {
    case AudioKind::kNone: return 0;
    case AudioKind::kOpus: return config_.audio_high ? 96 : 32;
    case AudioKind::kAac: return config_.audio_high ? 128 : 48;
  }
  return 0;
}

Status PushSession::open(const PushSessionConfig& config) {
  config_ = config;
  config_.min_kbps = std::clamp(config_.min_kbps, 50, 20000);
  config_.max_kbps = std::clamp(config_.max_kbps, config_.min_kbps, 20000);
  RateConfig rc;
  rc.min_kbps = config_.min_kbps;
  rc.max_kbps = config_.max_kbps;
  rc.audio_kbps = audio_kbps();
  rc.mode = config_.mode;
  rate_ = std::make_unique<RateController>(rc);
  ladder_ = std::make_unique<VideoLadder>(config_.mode, config_.aspect, config_.orientation);
  size_ = ladder_->update(rate_->video_kbps());

  PushMuxerOptions mo;
  mo.has_video = config_.video;
  mo.video = config_.video_codec;
  mo.video_kbps = config_.max_kbps;  // the ceiling the rate controller keeps under
  mo.audio_kbps = rc.audio_kbps;
  mo.audio = config_.audio;
  mux_ = std::make_unique<PushMuxer>(mo);
  return Status::Ok();
}

int PushSession::gop_frames() const {
  return std::max(1, static_cast<int>(std::lround(encode_fps() * mode_profile(config_.mode).gop_seconds)));
}

double PushSession::encode_fps() const {
  return std::clamp(config_.camera_fps > 0 ? config_.camera_fps : 30.0, 1.0, double(mode_profile(config_.mode).max_fps));
}

bool PushSession::allow_frame_skip() const { return mode_profile(config_.mode).allow_frame_skip; }

void PushSession::raise(int code, std::string message) { events_.push_back({code, std::move(message)}); }

std::vector<PushEvent> PushSession::take_events() {
  std::vector<PushEvent> out;
  out.swap(events_);
  return out;
}

// Frame-rate cap: the camera may deliver faster than the mode's rate (or than the encoder should run).
// A frame is due when it is at most a quarter interval early; the schedule re-anchors after a gap.
bool PushSession::frame_due(int64_t timestamp_ms) {
  const double interval = 1000.0 / encode_fps();
  const double t = static_cast<double>(timestamp_ms);
  if (next_frame_ms_ >= 0 && t < next_frame_ms_ - interval / 4) return false;
  if (next_frame_ms_ < 0 || t > next_frame_ms_ + interval) {
    next_frame_ms_ = t + interval;
  } else {
    next_frame_ms_ += interval;
  }
  return true;
}

int64_t PushSession::grid_time(int64_t timestamp_ms) {
  constexpr int64_t kGapMs = 1000;  // a pause (hidden page, a stalled camera): the grid starts again
  const double interval = 1000.0 / encode_fps();
  const double t = static_cast<double>(timestamp_ms);
  if (grid_anchor_ms_ < 0 || interval != grid_interval_ms_ || timestamp_ms < last_video_ms_ ||
      timestamp_ms - last_video_ms_ > kGapMs) {
    grid_anchor_ms_ = t;
    grid_interval_ms_ = interval;
  }
  const double slot = std::round((t - grid_anchor_ms_) / interval);
  int64_t out = static_cast<int64_t>(std::llround(grid_anchor_ms_ + slot * interval));
  if (last_video_ms_ >= 0 && out <= last_video_ms_) out = last_video_ms_ + 1;
  return out;
}

bool PushSession::take_frame(int64_t timestamp_ms) {
  if (!config_.video || !mux_) return false;
  if (!frame_due(timestamp_ms)) return false;
  if (drop_ == FrameDrop::kUntilKeyFrame) {
    ++dropped_;
    return false;
  }
  return true;
}

Status PushSession::set_avc_config(ByteSpan avc_config) {
  return mux_->set_avc_config(avc_config, size_.width, size_.height, encode_fps(), out_);
}

Status PushSession::fall_back_to_h264() {
  if (config_.video_codec == VideoKind::kH264) return Status::Ok();
  LW_RETURN_IF_ERROR(mux_->set_video_kind(VideoKind::kH264));
  config_.video_codec = VideoKind::kH264;
  return Status::Ok();
}

Status PushSession::write_encoded_video(ByteSpan frame, bool key, int64_t timestamp_ms, ByteSpan config) {
  const VideoKind kind = config_.video_codec;
  if (!config.empty()) {
    record_from_frames_ = false;
    LW_RETURN_IF_ERROR(set_avc_config(config));
  } else if (key && (record_from_frames_ || mux_->waiting_for_key_frame()) &&
             (kind == VideoKind::kAv1 || kind == VideoKind::kVp9)) {
    // Every key frame: a new size comes with a key frame and a new sequence header (the muxer writes
    // one only when the record changed).
    auto record = record_from_key_frame(kind, frame, size_.width, size_.height, encode_fps());
    if (!record.ok()) return record.status();
    record_from_frames_ = true;
    LW_RETURN_IF_ERROR(set_avc_config(as_span(record.value())));
  }
  return write_video(flv_payload(kind, frame), key, timestamp_ms);
}

Status PushSession::set_audio_config(ByteSpan config, int sample_rate, int channels) {
  return mux_->set_audio_config(config, sample_rate, channels, out_);
}

Status PushSession::write_video(ByteSpan avcc, bool key, int64_t timestamp_ms) {
  if (!key && drop_ == FrameDrop::kNonReference && config_.video_codec == VideoKind::kH264 && is_non_reference(avcc)) {
    ++dropped_;
    return Status::Ok();
  }
  timestamp_ms = grid_time(std::max<int64_t>(0, timestamp_ms));
  auto written = mux_->write_video(static_cast<uint32_t>(timestamp_ms), 0, key, avcc, out_);
  if (!written.ok()) return written.status();
  if (written.value()) last_video_ms_ = timestamp_ms;
  if (written.value() && key) {
    if (last_key_ms_ >= 0 && timestamp_ms > last_key_ms_) gop_seconds_ = (timestamp_ms - last_key_ms_) / 1000.0;
    last_key_ms_ = timestamp_ms;
  }
  return Status::Ok();
}

Status PushSession::write_audio(int64_t timestamp_ms, ByteSpan frame) {
  auto written = mux_->write_audio(static_cast<uint32_t>(std::max<int64_t>(0, timestamp_ms)), frame, out_);
  return written.ok() ? Status::Ok() : written.status();
}

Status PushSession::begin_connection(int64_t now_ms) {
  LW_RETURN_IF_ERROR(mux_->begin_connection(out_));
  rate_->reset(now_ms);
  if (status_since_ms_ < 0) status_since_ms_ = now_ms;
  request_key_frame();
  return Status::Ok();
}

bool PushSession::update_link(const LinkSample& sample) {
  const int before = rate_->video_kbps();
  const RateDecision d = rate_->update(sample);
  if (d.net_busy) {
    raise(kNetBusy, "uplink too slow: " + std::to_string(rate_->measured_kbps()) + " kbit/s carried, backlog " +
                        std::to_string(rate_->backlog_ms()) + " ms at the minimum bitrate " +
                        std::to_string(config_.min_kbps) + " kbit/s");
  }
  drop_ = d.drop;
  if (d.request_key_frame) request_key_frame();
  if (d.video_kbps == before) return false;
  size_ = ladder_->update(d.video_kbps);
  return true;
}

bool PushSession::take_key_frame_request() {
  const bool requested = key_requested_;
  key_requested_ = false;
  return requested;
}

void PushSession::set_encoder(EncoderChoice choice, bool external) {
  choice_ = choice;
  external_ = external;
  forget_pace();
  warned_slow_ = false;
}

void PushSession::forget_pace() {
  arrivals_.clear();
  slow_since_ms_ = -1;
}

// Whether wasm keeps up: a picture takes longer than 90 % of the frame interval, or camera frames reach
// the worker measurably slower than the camera makes them (the track processor drops what a busy worker
// does not read) while encoding takes a large share of the interval.
KeepUp PushSession::wasm_frame_encoded(int64_t timestamp_ms, bool camera, bool written, double spent_ms,
                                       int64_t now_ms) {
  if (!camera || external_) return KeepUp::kFine;
  arrivals_.push_back(timestamp_ms);
  while (arrivals_.size() > 2 && arrivals_.front() < timestamp_ms - 3000) arrivals_.pop_front();
  if (!written) return KeepUp::kFine;
  encode_ms_ = encode_ms_ > 0 ? encode_ms_ * 0.9 + spent_ms * 0.1 : spent_ms;
  const double fps = encode_fps();
  const double interval = 1000.0 / fps;
  const double span = (arrivals_.back() - arrivals_.front()) / 1000.0;
  const double arriving = span >= 2 ? (arrivals_.size() - 1) / span : fps;
  const double expected = std::min(fps, config_.camera_fps > 0 ? config_.camera_fps : 30.0);
  const bool behind = encode_ms_ > interval * 0.9 || (arriving < expected * 0.85 && encode_ms_ > interval * 0.6);
  if (!behind) {
    slow_since_ms_ = -1;
    warned_slow_ = false;
    return KeepUp::kFine;
  }
  if (slow_since_ms_ < 0) {
    slow_since_ms_ = now_ms;
    return KeepUp::kFine;
  }
  if (now_ms - slow_since_ms_ <= kSlowHoldMs) return KeepUp::kFine;
  slow_since_ms_ = -1;
  const std::string why = "OpenH264 in wasm cannot keep up: " + fixed(encode_ms_, 1) + " ms a frame at " +
                          std::to_string(size_.width) + "x" + std::to_string(size_.height) + ", " +
                          fixed(arriving, 1) + " of " + fixed(expected, 0) + " camera frames a second taken";
  if (choice_ == EncoderChoice::kWasm) {
    if (!warned_slow_) raise(kNetBusy, why + "; videoEncoder is pinned to wasm, so it stays (frames are skipped)");
    warned_slow_ = true;
    return KeepUp::kSlowPinned;
  }
  switch_reason_ = why;
  return KeepUp::kSwitch;
}

void PushSession::encoder_switched() {
  raise(kEncoderSwitched, switch_reason_ + ": switched to the browser's software H.264 encoder");
}

void PushSession::set_paused(bool paused) {
  forget_pace();
  if (!paused) request_key_frame();
}

void PushSession::set_hidden(bool hidden, int64_t now_ms) {
  forget_pace();
  if (hidden && !hidden_) hidden_since_ms_ = now_ms;
  if (!hidden) {
    hidden_since_ms_ = -1;
    request_key_frame();
  }
  hidden_ = hidden;
}

StillVerdict PushSession::still_due(int64_t now_ms) {
  if (still_stopped_) return StillVerdict::kStop;
  if (hidden_ && hidden_since_ms_ >= 0 && now_ms - hidden_since_ms_ > kStillLimitMs) {
    still_stopped_ = true;
    raise(kHiddenTooLong, "hidden for 3 minutes: the push stops");
    return StillVerdict::kStop;
  }
  return StillVerdict::kPush;
}

PushNetStatus PushSession::net_status(int64_t now_ms) {
  PushNetStatus s;
  const PushMuxerStats& m = mux_->stats();
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
  // Measured between the last two key frames; until there are two, the interval the mode asks of the
  // encoder (a first report, a second after start(), must not say 0).
  s.video_gop = gop_seconds_ > 0 ? gop_seconds_ : (config_.video ? mode_profile(config_.mode).gop_seconds : 0);
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

}  // namespace lw::push
