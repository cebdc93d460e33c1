// A simulated push for the pusher core's tests (wasm/core/push/push_session.h), in the style of play_trace.h:
// a camera at 30 fps, a fake H.264 encoder whose cost per picture is a function of time (OpenH264 in wasm
// until the session hands over to the browser's encoder, which is fast), a microphone making 20 ms AAC
// frames, an uplink of given capacity with the gateway's acks, and a page that may be hidden with a
// waiting image. The loop drives a PushSession every 10 ms like worker/pusher_worker.js does: a camera
// frame that arrives while the worker is still encoding the last one is lost (the track processor
// drops what a busy reader does not read); link samples every 100 ms; netstatus every second; the
// waiting image every 500 ms while hidden. Every byte the session writes goes through flv::Demuxer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "flv/flv_demuxer.h"
#include "push/push_session.h"
#include "push/reconnect_policy.h"

namespace lw::push::test {

struct PushTraceConfig {
  PushSessionConfig session;
  EncoderChoice choice = EncoderChoice::kAuto;
  std::function<double(int64_t)> wasm_cost_ms = [](int64_t) { return 8.0; };
  double browser_cost_ms = 2;
  std::function<int(int64_t)> capacity_kbps = [](int64_t) { return 5000; };
  int64_t hide_at_ms = -1, show_at_ms = -1;  // the page hidden in [hide_at, show_at); -1: never / never shown
  std::function<bool(int64_t)> link_down = [](int64_t) { return false; };  // the socket breaks while true
};

struct TraceEvent {
  int64_t t_ms;
  int code;
  std::string message;
};

struct NetPoint {
  int64_t t_ms;
  PushNetStatus status;
};

struct PushTraceResult {
  std::vector<TraceEvent> events;
  std::vector<NetPoint> net;
  std::vector<int64_t> video_ts;  // FLV timestamps of coded video frames, in output order
  std::vector<int64_t> audio_ts;
  std::vector<bool> video_key;
  int connections = 0;           // FLV headers seen
  int first_video_not_key = 0;   // connections whose first coded video frame was not a key frame
  int64_t stopped_at_ms = -1;    // 5000 or -1307 stopped the push

  std::vector<int> codes() const {
    std::vector<int> c;
    for (const TraceEvent& e : events) c.push_back(e.code);
    return c;
  }
  int count(int code) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const TraceEvent& e) { return e.code == code; }));
  }
  int64_t first(int code) const {
    for (const TraceEvent& e : events)
      if (e.code == code) return e.t_ms;
    return -1;
  }
  // Netstatus at (the first report at or after) t_ms.
  const PushNetStatus& net_at(int64_t t_ms) const {
    for (const NetPoint& p : net)
      if (p.t_ms >= t_ms) return p.status;
    return net.back().status;
  }
};

inline PushTraceResult run_push_trace(const PushTraceConfig& cfg, int64_t duration_ms) {
  static const Bytes kAvcc = {0x01, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1E, 0x01, 0x00, 0x02, 0x68, 0xCE};
  static const Bytes kAsc = {0x11, 0x88};  // AAC-LC 48 kHz mono
  PushTraceResult r;
  PushSession s;
  ReconnectPolicy policy(LinkRole::kPusher);
  flv::Demuxer demux;
  bool seen_video_on_connection = false;
  // The link: bytes the session wrote go to the browser's queue (buffered), the link drains capacity
  // per 10 ms to the gateway, which acks what it received every 250 ms.
  uint64_t sent = 0, buffered = 0, received = 0;
  int64_t acked = -1;
  bool open = false;
  // What the session wrote goes to the socket (when open) and, for the test, through the demuxer.
  auto drain = [&](int64_t t) {
    for (const PushEvent& e : s.take_events()) r.events.push_back({t, e.code, e.message});
    if (open) {
      sent += s.output().size();
      buffered += s.output().size();
    }
    demux.feed(as_span(s.output()));
    s.clear_output();
    flv::Event ev;
    while (demux.next(&ev)) {
      if (ev.kind == flv::EventKind::kHeader) {
        ++r.connections;
        seen_video_on_connection = false;
      } else if (ev.kind == flv::EventKind::kVideo && !ev.video.is_sequence_header()) {
        if (!seen_video_on_connection && !ev.video.key_frame()) ++r.first_video_not_key;
        seen_video_on_connection = true;
        r.video_ts.push_back(ev.tag.timestamp_ms);
        r.video_key.push_back(ev.video.key_frame());
      } else if (ev.kind == flv::EventKind::kAudio && !ev.audio.is_sequence_header()) {
        r.audio_ts.push_back(ev.tag.timestamp_ms);
      }
    }
  };
  if (!s.open(cfg.session).ok()) return r;
  if (cfg.session.audio != AudioKind::kNone) (void)s.set_audio_config(as_span(kAsc), 48000, 1);

  int64_t reconnect_at = 0;
  int64_t busy_until = 0;
  bool external = false;
  uint64_t frames_encoded = 0;
  int gop = s.gop_frames();
  bool hidden = false;
  int64_t next_still = -1;
  s.set_encoder(cfg.choice, false);
  auto connect = [&](int64_t t) {
    policy.connecting();
    if (cfg.link_down(t)) {  // refused at once
      const ReconnectVerdict v = policy.closed(t, 1006);
      if (v.failure_code) r.events.push_back({t, v.failure_code, "connect failed"});
      r.events.push_back({t, v.code, "link"});
      if (!v.retry) r.stopped_at_ms = t;
      reconnect_at = static_cast<int64_t>(v.retry_at_ms);
      return;
    }
    open = true;
    demux = flv::Demuxer();  // a new socket: a new FLV stream
    sent = buffered = received = 0;
    acked = -1;
    policy.status(1002);
    (void)s.begin_connection(t);
  };
  // One picture to the encoder in use (camera: a camera frame; otherwise the waiting image).
  auto encode = [&](int64_t t, bool camera) {
    const bool due = s.take_frame(t);
    if (!due) {
      if (!external) (void)s.wasm_frame_encoded(t, camera, false, 0, t);
      return;
    }
    const bool key = s.take_key_frame_request() || frames_encoded % static_cast<uint64_t>(gop) == 0;
    const double cost = external ? cfg.browser_cost_ms : cfg.wasm_cost_ms(t);
    busy_until = t + static_cast<int64_t>(cost);
    const int kbps = s.video_kbps();
    const size_t size = std::max<size_t>(16, static_cast<size_t>(kbps * 1000 / 8 / s.encode_fps() * (key ? 3 : 1)));
    Bytes au(size, 0);
    const uint32_t nal = static_cast<uint32_t>(size - 4);
    au[0] = nal >> 24; au[1] = nal >> 16; au[2] = nal >> 8; au[3] = nal;
    // IDR (ref 3), or P frames alternating reference (ref 2) and non-reference (ref 0).
    au[4] = key ? 0x65 : (frames_encoded % 2 ? 0x01 : 0x41);
    if (key) (void)s.set_avc_config(as_span(kAvcc));
    (void)s.write_video(as_span(au), key, t);
    frames_encoded = key ? 1 : frames_encoded + 1;
    if (external) return;
    const KeepUp k = s.wasm_frame_encoded(t, camera, true, cost, busy_until);
    if (k == KeepUp::kSwitch) {  // the worker finds the browser's encoder and hands over
      external = true;
      s.set_encoder(cfg.choice, true);
      s.encoder_switched();
      s.request_key_frame();
    }
  };

  connect(0);
  drain(0);
  const double frame_ms = 1000.0 / 30;
  int64_t next_frame_n = 0;
  for (int64_t t = 10; t <= duration_ms && r.stopped_at_ms < 0; t += 10) {
    // The page.
    const bool want_hidden = cfg.hide_at_ms >= 0 && t >= cfg.hide_at_ms && (cfg.show_at_ms < 0 || t < cfg.show_at_ms);
    if (want_hidden != hidden) {
      hidden = want_hidden;
      s.set_hidden(hidden, t);
      next_still = hidden ? t + 500 : -1;
    }
    // The socket.
    if (open && cfg.link_down(t)) {
      open = false;
      const ReconnectVerdict v = policy.closed(t, 1006);
      if (v.failure_code) r.events.push_back({t, v.failure_code, "link broke"});
      r.events.push_back({t, v.code, "link"});
      if (!v.retry) r.stopped_at_ms = t;
      reconnect_at = static_cast<int64_t>(v.retry_at_ms);
    } else if (!open && t >= reconnect_at && r.stopped_at_ms < 0) {
      connect(t);
    }
    // The camera: a frame every 33.3 ms, lost when the worker is busy.
    while (next_frame_n * frame_ms <= t) {
      const int64_t ts = static_cast<int64_t>(next_frame_n * frame_ms);
      ++next_frame_n;
      if (!open || hidden || ts < busy_until) continue;
      encode(ts, true);
    }
    // The waiting image.
    if (hidden && open && t >= next_still) {
      next_still += 500;
      if (s.still_due(t) == StillVerdict::kStop) r.stopped_at_ms = t;
      else encode(t, false);
    }
    // The microphone: a 20 ms AAC frame.
    if (open && t % 20 == 0 && cfg.session.audio != AudioKind::kNone) {
      Bytes frame(static_cast<size_t>(s.audio_kbps() * 20 / 8), 0x21);
      (void)s.write_audio(t, as_span(frame));
    }
    // The link.
    drain(t);
    if (open) {
      const uint64_t moved = std::min<uint64_t>(buffered, static_cast<uint64_t>(cfg.capacity_kbps(t)) * 10 / 8);
      buffered -= moved;
      received += moved;
      if (t % 250 == 0) acked = static_cast<int64_t>(received);
      if (t % 100 == 0) s.update_link({t, sent, buffered, acked, acked < 0 ? -1 : 0, false});
    }
    if (t % 1000 == 0) r.net.push_back({t, s.net_status(t)});
  }
  return r;
}

}  // namespace lw::push::test
