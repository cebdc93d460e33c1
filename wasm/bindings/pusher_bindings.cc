// embind: the pusher's pipeline (wasm/codecs/pusher_engine.h) for worker/pusher_worker.js. Buffers are
// views of wasm memory, so a camera frame is copied once (VideoFrame.copyTo straight into the engine)
// and FLV goes to WebSocket.send() from the engine's own buffer:
//
//   const engine = new core.PusherEngine();
//   engine.open({mode: 'RTC', aspect: '9:16', orientation: 'vertical', minKbps: 200, maxKbps: 1000,
//                video: true, audio: true, audioCodec: 'aac', audioQuality: 'low', sampleRate: 48000,
//                channels: 1, cameraFps: 30, externalVideoEncoder: false,
//                videoCodec: 'h264' | 'hevc' | 'av1' | 'vp9',
//                encoderThreads: 1})   OpenH264's threads, at most pusherInfo().threadPool -> {ok, error?}
//   pusherInfo() -> {threadPool}   1, except in livewasm_pusher_mt (-pthread: one slice per thread; its
//                                  factory option threads, 1..4, as load_core.js sized its pthread pool)
//   engine.videoCodec() -> 'h264' ...;  engine.fallBackToH264() -> {ok, error?}  (before the push begins)
//   await frame.copyTo(engine.frameBuffer(frame.allocationSize()));
//   engine.pushVideo({format: 'I420', codedWidth, codedHeight, x, y, width, height, size}, tsMs)
//       -> {ok, written, error?}
//   engine.audioBuffer(frames * channels).set(pcm); engine.pushAudio(frames, tsMs)
//   socket.send(engine.output()); engine.clearOutput();
//   engine.takeEvents() -> [{code, message}];  engine.netStatus(nowMs) -> {videoBitrate, ...}
//   engine.setEncoder('auto' | 'wasm' | 'webcodecs', external)   the encoder in use (push/push_session.h)
//   engine.wasmFrameEncoded(tsMs, camera, written, spentMs, nowMs) -> 'fine' | 'slow' | 'switch'
//   engine.encoderSwitched()                  the browser's encoder took over after 'switch': 1107
//   engine.setPaused(paused); engine.setHidden(hidden, nowMs); engine.stillDue(nowMs) -> 'push' | 'stop'
//   engine.delete();
//
// Every decision is the PushSession's (wasm/core/push/push_session.h); the worker measures, times and does.
//
// Views die when wasm memory grows: take a view, use it at once, never keep it.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>

#include "bindings/js_bytes.h"
#include "bindings/js_values.h"
#include "bindings/module_threads.h"
#include "base/md5.h"
#include "codecs/pusher_engine.h"

namespace lw::bindings {
namespace {

using emscripten::val;

val written_to_js(const Result<bool>& r) {
  val o = status_to_js(r.status());
  o.set("ok", r.ok());
  o.set("written", r.ok() && r.value());
  return o;
}

class JsPusherEngine {
 public:
  val open(const val& o) {
    codecs::PusherConfig c;
    c.mode = push::parse_mode(get_or<std::string>(o, "mode", "RTC"));
    c.aspect = push::parse_aspect(get_or<std::string>(o, "aspect", "9:16"));
    c.orientation = push::parse_orientation(get_or<std::string>(o, "orientation", "vertical"));
    c.min_kbps = get_or<int>(o, "minKbps", c.min_kbps);
    c.max_kbps = get_or<int>(o, "maxKbps", c.max_kbps);
    c.video = get_or<bool>(o, "video", true);
    c.audio = get_or<bool>(o, "audio", true);
    c.audio_codec = get_or<std::string>(o, "audioCodec", "aac") == "opus" ? codecs::AudioCodecKind::kOpus
                                                                          : codecs::AudioCodecKind::kAac;
    c.audio_quality = get_or<std::string>(o, "audioQuality", "low") == "high" ? codecs::AudioQuality::kHigh
                                                                              : codecs::AudioQuality::kLow;
    c.audio_sample_rate = get_or<int>(o, "sampleRate", c.audio_sample_rate);
    c.audio_channels = get_or<int>(o, "channels", c.audio_channels);
    c.camera_fps = get_or<double>(o, "cameraFps", c.camera_fps);
    c.external_video_encoder = get_or<bool>(o, "externalVideoEncoder", false);
    c.encoder_threads = std::clamp(get_or<int>(o, "encoderThreads", 1), 1, module_threads());
    const std::string codec = get_or<std::string>(o, "videoCodec", "h264");
    if (!push::parse_video_kind(codec, &c.video_codec))
      return status_to_js(Status(ErrorCode::kInvalid, "videoCodec '" + codec + "' is not h264, hevc, av1 or vp9"));
    return status_to_js(engine_.open(c));
  }

  val frame_buffer(size_t size) { return val(emscripten::typed_memory_view(size, engine_.frame_buffer(size))); }
  val audio_buffer(size_t samples) {
    return val(emscripten::typed_memory_view(samples, engine_.audio_buffer(samples)));
  }

  val push_video(const val& f, double timestamp_ms) {
    auto frame = to_frame(f);
    if (!frame.ok()) return written_to_js(frame.status());
    return written_to_js(engine_.push_video(frame.value(), static_cast<int64_t>(timestamp_ms)));
  }
  val push_repeat(double timestamp_ms) {
    return written_to_js(engine_.push_repeat(static_cast<int64_t>(timestamp_ms)));
  }
  val prepare_video(const val& f, double timestamp_ms) {
    auto frame = to_frame(f);
    if (!frame.ok()) return written_to_js(frame.status());
    return written_to_js(engine_.prepare_video(frame.value(), static_cast<int64_t>(timestamp_ms)));
  }
  val picture() {
    const ByteSpan b = engine_.picture_bytes();
    return val(emscripten::typed_memory_view(b.size(), b.data()));
  }
  val push_encoded_video(const val& avcc, bool key, double timestamp_ms, const val& config) {
    copy_from_js(avcc, &scratch_);
    config_scratch_.clear();
    if (!config.isUndefined() && !config.isNull()) copy_from_js(config, &config_scratch_);
    return written_to_js(engine_.push_encoded_video(as_span(scratch_), key, static_cast<int64_t>(timestamp_ms),
                                                    as_span(config_scratch_)));
  }
  val push_audio(int frames, double timestamp_ms) {
    return status_to_js(engine_.push_audio(frames, static_cast<int64_t>(timestamp_ms)));
  }
  val begin_connection(double now_ms) { return status_to_js(engine_.begin_connection(static_cast<int64_t>(now_ms))); }

  void update_link(const val& s) {
    push::LinkSample sample;
    sample.now_ms = static_cast<int64_t>(get_or<double>(s, "nowMs", 0));
    sample.sent_bytes = static_cast<uint64_t>(get_or<double>(s, "sentBytes", 0));
    sample.buffered_bytes = static_cast<uint64_t>(get_or<double>(s, "bufferedBytes", 0));
    sample.acked_received = static_cast<int64_t>(get_or<double>(s, "ackedReceived", -1));
    sample.acked_queued = static_cast<int64_t>(get_or<double>(s, "ackedQueued", -1));
    sample.acked_paused = get_or<bool>(s, "ackedPaused", false);
    engine_.update_link(sample);
  }

  val output() {
    const ByteSpan b = engine_.output();
    return val(emscripten::typed_memory_view(b.size(), b.data()));
  }
  void clear_output() { engine_.clear_output(); }

  val take_events() {
    val list = val::array();
    for (const codecs::PusherEvent& e : engine_.take_events()) {
      val o = val::object();
      o.set("code", e.code);
      o.set("message", e.message);
      list.call<void>("push", o);
    }
    return list;
  }

  val net_status(double now_ms) {
    const codecs::PusherNetStatus s = engine_.net_status(static_cast<int64_t>(now_ms));
    val o = val::object();
    o.set("videoBitrate", s.video_bitrate);
    o.set("audioBitrate", s.audio_bitrate);
    o.set("videoFPS", s.video_fps);
    o.set("videoGOP", s.video_gop);
    o.set("netSpeed", s.net_speed);
    o.set("netJitter", s.net_jitter);
    o.set("videoWidth", s.video_width);
    o.set("videoHeight", s.video_height);
    o.set("targetBitrate", s.target_kbps);
    o.set("backlogMs", s.backlog_ms);
    o.set("droppedFrames", static_cast<double>(s.dropped_frames));
    o.set("videoCodec", engine_.video_codec_name());
    return o;
  }

  val target() const {
    val o = val::object();
    o.set("width", engine_.target_size().width);
    o.set("height", engine_.target_size().height);
    o.set("kbps", engine_.target_kbps());
    o.set("fps", engine_.encode_fps());
    o.set("gopFrames", engine_.gop_frames());
    o.set("encoderThreads", engine_.config().encoder_threads);
    return o;
  }

  val snapshot() {
    Bytes rgba;
    int w = 0, h = 0;
    const Status s = engine_.snapshot_rgba(&rgba, &w, &h);
    val o = status_to_js(s);
    if (s.ok()) {
      o.set("width", w);
      o.set("height", h);
      o.set("data", copy_to_js(as_span(rgba)));
    }
    return o;
  }

  void set_encoder(const std::string& choice, bool external) {
    engine_.session().set_encoder(choice == "wasm"        ? push::EncoderChoice::kWasm
                                  : choice == "webcodecs" ? push::EncoderChoice::kWebCodecs
                                                          : push::EncoderChoice::kAuto,
                                  external);
  }
  std::string wasm_frame_encoded(double ts_ms, bool camera, bool written, double spent_ms, double now_ms) {
    switch (engine_.session().wasm_frame_encoded(static_cast<int64_t>(ts_ms), camera, written, spent_ms,
                                                 static_cast<int64_t>(now_ms))) {
      case push::KeepUp::kSwitch: return "switch";
      case push::KeepUp::kSlowPinned: return "slow";
      case push::KeepUp::kFine: break;
    }
    return "fine";
  }
  void encoder_switched() { engine_.session().encoder_switched(); }
  void set_paused(bool paused) { engine_.session().set_paused(paused); }
  void set_hidden(bool hidden, double now_ms) { engine_.session().set_hidden(hidden, static_cast<int64_t>(now_ms)); }
  std::string still_due(double now_ms) {
    return engine_.session().still_due(static_cast<int64_t>(now_ms)) == push::StillVerdict::kStop ? "stop" : "push";
  }

  void set_beauty(int level) { engine_.set_beauty(level); }
  void set_whiteness(int level) { engine_.set_whiteness(level); }
  void request_key_frame() { engine_.request_key_frame(); }
  bool take_key_frame_request() { return engine_.take_key_frame_request(); }
  std::string video_encoder_name() const { return engine_.video_encoder_name(); }
  std::string audio_encoder_name() const { return engine_.audio_encoder_name(); }
  std::string video_codec() const { return engine_.video_codec_name(); }
  val fall_back_to_h264() { return status_to_js(engine_.fall_back_to_h264()); }

 private:
  // {format, codedWidth, codedHeight, x, y, width, height, size}: the layout of frame_buffer().
  Result<codecs::SourceFrame> to_frame(const val& f) {
    auto format = codecs::parse_pixel_format(get_or<std::string>(f, "format", ""));
    if (!format.ok()) return format.status();
    codecs::SourceFrame s;
    s.format = format.value();
    s.coded_width = get_or<int>(f, "codedWidth", 0);
    s.coded_height = get_or<int>(f, "codedHeight", 0);
    s.visible_x = get_or<int>(f, "x", 0);
    s.visible_y = get_or<int>(f, "y", 0);
    s.visible_width = get_or<int>(f, "width", s.coded_width);
    s.visible_height = get_or<int>(f, "height", s.coded_height);
    const size_t size = get_or<double>(f, "size", 0) > 0 ? static_cast<size_t>(get_or<double>(f, "size", 0)) : 0;
    s.data = ByteSpan(engine_.frame_buffer(size), size);
    return s;
  }

  codecs::PusherEngine engine_;
  Bytes scratch_, config_scratch_;
};

val pusher_info() {
  val o = val::object();
  o.set("threadPool", module_threads());
  return o;
}

// md5 of a byte array as 32 lowercase hex digits (waiting-image-hash).
std::string js_md5_hex(const val& bytes) {
  Bytes data;
  copy_from_js(bytes, &data);
  return md5_hex(as_span(data));
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_pusher) {
  using namespace emscripten;
  using lw::bindings::JsPusherEngine;
  function("md5Hex", &lw::bindings::js_md5_hex);
  function("pusherInfo", &lw::bindings::pusher_info);
  class_<JsPusherEngine>("PusherEngine")
      .constructor<>()
      .function("open", &JsPusherEngine::open)
      .function("frameBuffer", &JsPusherEngine::frame_buffer)
      .function("audioBuffer", &JsPusherEngine::audio_buffer)
      .function("pushVideo", &JsPusherEngine::push_video)
      .function("pushRepeat", &JsPusherEngine::push_repeat)
      .function("prepareVideo", &JsPusherEngine::prepare_video)
      .function("picture", &JsPusherEngine::picture)
      .function("pushEncodedVideo", &JsPusherEngine::push_encoded_video)
      .function("pushAudio", &JsPusherEngine::push_audio)
      .function("beginConnection", &JsPusherEngine::begin_connection)
      .function("updateLink", &JsPusherEngine::update_link)
      .function("output", &JsPusherEngine::output)
      .function("clearOutput", &JsPusherEngine::clear_output)
      .function("takeEvents", &JsPusherEngine::take_events)
      .function("netStatus", &JsPusherEngine::net_status)
      .function("target", &JsPusherEngine::target)
      .function("snapshot", &JsPusherEngine::snapshot)
      .function("setEncoder", &JsPusherEngine::set_encoder)
      .function("wasmFrameEncoded", &JsPusherEngine::wasm_frame_encoded)
      .function("encoderSwitched", &JsPusherEngine::encoder_switched)
      .function("setPaused", &JsPusherEngine::set_paused)
      .function("setHidden", &JsPusherEngine::set_hidden)
      .function("stillDue", &JsPusherEngine::still_due)
      .function("setBeauty", &JsPusherEngine::set_beauty)
      .function("setWhiteness", &JsPusherEngine::set_whiteness)
      .function("requestKeyFrame", &JsPusherEngine::request_key_frame)
      .function("takeKeyFrameRequest", &JsPusherEngine::take_key_frame_request)
      .function("videoEncoderName", &JsPusherEngine::video_encoder_name)
      .function("audioEncoderName", &JsPusherEngine::audio_encoder_name)
      .function("videoCodec", &JsPusherEngine::video_codec)
      .function("fallBackToH264", &JsPusherEngine::fall_back_to_h264);
}
