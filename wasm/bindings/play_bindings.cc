// embind: the player's core (wasm/core/play/play_session.h) for worker/player_worker.js. Times from JS are
// milliseconds (performance.now()), packet times microseconds, both as doubles. Buffers are views of
// wasm memory: inputBuffer/pcmBuffer to write into, packet `data` and renderAudio's result to read;
// take a view, use it at once (before the next call into the session), never keep it.
//
//   const s = new core.PlaySession({mode: 'live', minCacheMs: 1000, maxCacheMs: 3000,
//                                   outputRate: 48000, outputChannels: 2, expectHeader: true});
//   s.inputBuffer(chunk.length).set(chunk); s.feed(chunk.length, performance.now());
//   for (const c of s.takeTrackConfigs()) ...; for (const n of s.takeNotices()) ...
//   let p; while ((p = s.nextAudioPacket())) { ... s.pcmBuffer(frames * ch).set(pcm);
//                                              s.pushAudio(p.ptsUs, frames, ch, rate); }
//   const out = s.renderAudio(performance.now(), 480);   // planar Float32Array view
//   s.delete();
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <string>
#include <vector>

#include "bindings/js_bytes.h"
#include "bindings/js_values.h"
#include "play/play_session.h"
#include "play/renderer_choice.h"

namespace lw::bindings {
namespace {

using emscripten::val;

int64_t ms_to_us(double ms) { return static_cast<int64_t>(std::llround(ms * 1000.0)); }

play::PlayConfig to_config(const val& o) {
  play::PlayConfig c;
  if (o.isUndefined() || o.isNull()) return c;  // no options: the defaults
  const std::string mode = get_or<std::string>(o, "mode", "live");
  c.mode = (mode == "RTC" || mode == "rtc") ? play::Mode::kRtc : play::Mode::kLive;
  c.min_cache_ms = static_cast<int32_t>(get_or<double>(o, "minCacheMs", c.min_cache_ms));
  c.max_cache_ms = static_cast<int32_t>(get_or<double>(o, "maxCacheMs", c.max_cache_ms));
  c.output_rate = static_cast<int32_t>(get_or<double>(o, "outputRate", c.output_rate));
  c.output_channels = static_cast<int32_t>(get_or<double>(o, "outputChannels", c.output_channels));
  c.expect_flv_header = get_or<bool>(o, "expectHeader", true);
  return c;
}

const char* kind_name(play::TrackKind k) { return k == play::TrackKind::kAudio ? "audio" : "video"; }

class JsPlaySession {
 public:
  explicit JsPlaySession(const val& config) : config_(to_config(config)), s_(config_) {}

  void configure(const val& config) {
    config_ = to_config(config);
    s_.configure(config_);
  }

  val input_buffer(size_t n) {
    input_.resize(n);
    return val(emscripten::typed_memory_view(n, input_.data()));
  }
  void feed(size_t n, double now_ms) {
    if (n > input_.size()) n = input_.size();
    s_.feed(ByteSpan(input_.data(), n), ms_to_us(now_ms));
  }
  void end_of_input(double now_ms) { s_.end_of_input(ms_to_us(now_ms)); }
  void restart_input(double now_ms) { s_.restart_input(ms_to_us(now_ms)); }
  // info: the gateway's `drop` message ({audio, video, bytes, queued}: tags dropped).
  void note_source_drop(double now_ms, const val& info) {
    const double video = info.isUndefined() || info.isNull() ? 0 : get_or<double>(info, "video", 0);
    s_.note_source_drop(ms_to_us(now_ms), static_cast<int64_t>(std::max(0.0, video)));
  }

  val take_notices() {
    val list = val::array();
    play::Notice n;
    while (s_.next_notice(&n)) {
      val o = val::object();
      o.set("code", n.code);
      o.set("message", n.message);
      list.call<void>("push", o);
    }
    return list;
  }

  val take_track_configs() {
    val list = val::array();
    play::TrackConfig c;
    while (s_.next_track_config(&c)) {
      val o = val::object();
      o.set("kind", std::string(kind_name(c.kind)));
      o.set("codec", c.codec);
      o.set("decoder", c.decoder);
      o.set("description", copy_to_js(as_span(c.description)));
      o.set("width", c.width);
      o.set("height", c.height);
      o.set("sampleRate", c.sample_rate);
      o.set("channels", c.channels);
      o.set("generation", c.generation);
      list.call<void>("push", o);
    }
    return list;
  }

  // Multitrack: the track events since the last call ({type: 'list'|'switched'|'gone', kind, id,
  // message}); [] when nothing changed.
  val take_track_events() {
    val list = val::array();
    play::TrackEvent e;
    while (s_.next_track_event(&e)) {
      val o = val::object();
      o.set("type", std::string(e.type == play::TrackEvent::Type::kList       ? "list"
                                : e.type == play::TrackEvent::Type::kSwitched ? "switched"
                                                                              : "gone"));
      o.set("kind", std::string(kind_name(e.kind)));
      o.set("id", e.id);
      o.set("message", e.message);
      list.call<void>("push", o);
    }
    return list;
  }
  // [{kind, id, codec, width, height, selected, pending}] (width/height: video, 0 while unknown).
  val tracks() const {
    val list = val::array();
    for (const play::TrackInfo& t : s_.tracks()) {
      val o = val::object();
      o.set("kind", std::string(kind_name(t.kind)));
      o.set("id", t.id);
      o.set("codec", t.codec);
      if (t.kind == play::TrackKind::kVideo) {
        o.set("width", t.width);
        o.set("height", t.height);
      }
      o.set("selected", t.selected);
      o.set("pending", t.pending);
      list.call<void>("push", o);
    }
    return list;
  }
  // {ok: true} or {ok: false, code, reason} (no such track).
  val select_track(const std::string& kind, int id) {
    if (kind != "video" && kind != "audio") {
      return status_to_js(Status(ErrorCode::kInvalid, "track kind must be 'video' or 'audio', not '" + kind + "'"));
    }
    return status_to_js(s_.select_track(kind == "audio" ? play::TrackKind::kAudio : play::TrackKind::kVideo, id));
  }

  val next_audio_packet() {
    play::MediaPacket p;
    if (!s_.next_audio_packet(&p)) return val::null();
    return packet_to_js(p);
  }

  val pcm_buffer(size_t samples) {
    pcm_.resize(samples);
    return val(emscripten::typed_memory_view(samples, pcm_.data()));
  }
  void push_audio(double pts_us, int frames, int channels, int sample_rate) {
    if (frames < 0 || channels <= 0 || static_cast<size_t>(frames) * channels > pcm_.size()) return;
    s_.push_audio(static_cast<int64_t>(pts_us), pcm_.data(), frames, channels, sample_rate);
  }
  void push_audio_at(uintptr_t ptr, double pts_us, int frames, int channels, int sample_rate) {
    if (ptr == 0) return;
    s_.push_audio(static_cast<int64_t>(pts_us), reinterpret_cast<const float*>(ptr), frames, channels, sample_rate);
  }
  static play::TrackKind track_kind(const std::string& kind) {
    return kind == "audio" ? play::TrackKind::kAudio : play::TrackKind::kVideo;
  }
  void report_decode_error(const std::string& kind, double now_ms, const std::string& reason) {
    s_.report_decode_error(track_kind(kind), ms_to_us(now_ms), reason);
  }

  // 'retry' (a new browser decoder from the next key frame) or 'fallback' (wasm from now on).
  std::string report_browser_decoder_failure(const std::string& kind, double now_ms, bool refused, const std::string& reason) {
    const play::DecoderVerdict v = s_.report_browser_decoder_failure(track_kind(kind), ms_to_us(now_ms), refused, reason);
    return v == play::DecoderVerdict::kRetry ? "retry" : "fallback";
  }
  void browser_decoder_output(const std::string& kind) { s_.browser_decoder_output(track_kind(kind)); }
  void report_browser_decoder_unavailable(const std::string& kind, const std::string& codec) {
    s_.report_browser_decoder_unavailable(track_kind(kind), codec);
  }

  val render_audio(double now_ms, int frames) {
    if (frames < 0) frames = 0;
    out_.resize(static_cast<size_t>(frames) * config_.output_channels);
    s_.render_audio(ms_to_us(now_ms), out_.data(), frames);
    return val(emscripten::typed_memory_view(out_.size(), out_.data()));
  }
  void set_played_frames(double played, double now_ms) {
    s_.set_played_frames(static_cast<int64_t>(played), ms_to_us(now_ms));
  }
  double media_time_us(double now_ms) const { return static_cast<double>(s_.media_time_us(ms_to_us(now_ms))); }

  val next_video_packet(double now_ms) {
    play::MediaPacket p;
    if (!s_.next_video_packet(ms_to_us(now_ms), &p)) return val::null();
    return packet_to_js(p);
  }
  std::string frame_action(double pts_us, double now_ms) const {
    switch (s_.frame_action(static_cast<int64_t>(pts_us), ms_to_us(now_ms))) {
      case play::FrameAction::kShow: return "show";
      case play::FrameAction::kDrop: return "drop";
      case play::FrameAction::kWait: break;
    }
    return "wait";
  }
  void frame_shown(double pts_us, double now_ms, int32_t width, int32_t height) {
    s_.frame_shown(static_cast<int64_t>(pts_us), ms_to_us(now_ms), width, height);
  }
  void frame_dropped(double pts_us) { s_.frame_dropped(static_cast<int64_t>(pts_us)); }
  void set_video_enabled(bool enabled, double now_ms) { s_.set_video_enabled(enabled, ms_to_us(now_ms)); }
  void pause(double now_ms) { s_.pause(ms_to_us(now_ms)); }
  void resume(double now_ms) { s_.resume(ms_to_us(now_ms)); }

  val net_stats(double now_ms) {
    const play::NetStats st = s_.net_stats(ms_to_us(now_ms));
    val o = val::object();
    o.set("videoBitrate", st.video_bitrate_kbps);
    o.set("audioBitrate", st.audio_bitrate_kbps);
    o.set("videoFPS", st.video_fps);
    o.set("videoGOP", st.video_gop_s);
    o.set("netSpeed", st.net_speed_kbps);
    o.set("netJitter", st.net_jitter_ms);
    o.set("videoWidth", st.video_width);
    o.set("videoHeight", st.video_height);
    o.set("cacheMs", st.cache_ms);
    o.set("targetMs", st.target_ms);
    o.set("droppedFrames", static_cast<double>(st.dropped_frames));
    o.set("shownFrames", static_cast<double>(st.shown_frames));
    o.set("accelerateMs", static_cast<double>(st.accelerate_ms));
    o.set("decelerateMs", static_cast<double>(st.decelerate_ms));
    o.set("expandMs", static_cast<double>(st.expand_ms));
    o.set("skips", static_cast<double>(st.skips));
    o.set("storedBytes", static_cast<double>(s_.stored_bytes()));
    o.set("operation", std::string(s_.last_operation()));
    return o;
  }

 private:
  val packet_to_js(const play::MediaPacket& p) {
    val o = val::object();
    o.set("kind", std::string(kind_name(p.kind)));
    o.set("key", p.key);
    o.set("dtsUs", static_cast<double>(p.dts_us));
    o.set("ptsUs", static_cast<double>(p.pts_us));
    o.set("generation", p.generation);
    o.set("ptr", static_cast<double>(reinterpret_cast<uintptr_t>(p.data.data())));
    o.set("size", static_cast<double>(p.data.size()));
    o.set("data", val(emscripten::typed_memory_view(p.data.size(), p.data.data())));
    return o;
  }

  play::PlayConfig config_;
  play::PlaySession s_;
  Bytes input_;
  std::vector<float> pcm_, out_;
};

// chooseRenderer({video, webgl2, webgl2Software, canvas2d, preference: 'auto'|'video'|'webgl2'|'2d'|'page',
// failed: ['webgl2', ...]}) -> 'video' | 'webgl2' | '2d' | 'page' (play/renderer_choice.h).
std::string choose_renderer(const val& o) {
  play::RendererOptions r;
  r.video = get_or<bool>(o, "video", false);
  r.webgl2 = get_or<bool>(o, "webgl2", false);
  r.webgl2_software = get_or<bool>(o, "webgl2Software", false);
  r.canvas2d = get_or<bool>(o, "canvas2d", false);
  r.has_preference = play::parse_renderer(get_or<std::string>(o, "preference", ""), &r.preference);
  const val failed = o["failed"];
  if (failed.isArray()) {
    const auto n = failed["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
      play::Renderer f;
      if (failed[i].isString() && play::parse_renderer(failed[i].as<std::string>(), &f)) r = play::with_failure(r, f);
    }
  }
  return play::renderer_name(play::choose_renderer(r));
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_player) {
  using namespace emscripten;
  using lw::bindings::JsPlaySession;
  function("chooseRenderer", &lw::bindings::choose_renderer);
  class_<JsPlaySession>("PlaySession")
      .constructor<const val&>()
      .function("configure", &JsPlaySession::configure)
      .function("inputBuffer", &JsPlaySession::input_buffer)
      .function("feed", &JsPlaySession::feed)
      .function("endOfInput", &JsPlaySession::end_of_input)
      .function("restartInput", &JsPlaySession::restart_input)
      .function("noteSourceDrop", &JsPlaySession::note_source_drop)
      .function("takeNotices", &JsPlaySession::take_notices)
      .function("takeTrackConfigs", &JsPlaySession::take_track_configs)
      .function("takeTrackEvents", &JsPlaySession::take_track_events)
      .function("tracks", &JsPlaySession::tracks)
      .function("selectTrack", &JsPlaySession::select_track)
      .function("nextAudioPacket", &JsPlaySession::next_audio_packet)
      .function("pcmBuffer", &JsPlaySession::pcm_buffer)
      .function("pushAudio", &JsPlaySession::push_audio)
      .function("pushAudioAt", &JsPlaySession::push_audio_at, allow_raw_pointers())
      .function("reportDecodeError", &JsPlaySession::report_decode_error)
      .function("reportBrowserDecoderFailure", &JsPlaySession::report_browser_decoder_failure)
      .function("browserDecoderOutput", &JsPlaySession::browser_decoder_output)
      .function("reportBrowserDecoderUnavailable", &JsPlaySession::report_browser_decoder_unavailable)
      .function("renderAudio", &JsPlaySession::render_audio)
      .function("setPlayedFrames", &JsPlaySession::set_played_frames)
      .function("mediaTimeUs", &JsPlaySession::media_time_us)
      .function("nextVideoPacket", &JsPlaySession::next_video_packet)
      .function("frameAction", &JsPlaySession::frame_action)
      .function("frameShown", &JsPlaySession::frame_shown)
      .function("frameDropped", &JsPlaySession::frame_dropped)
      .function("setVideoEnabled", &JsPlaySession::set_video_enabled)
      .function("pause", &JsPlaySession::pause)
      .function("resume", &JsPlaySession::resume)
      .function("netStats", &JsPlaySession::net_stats);
}
