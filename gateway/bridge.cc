#include "bridge.h"

#include <algorithm>

#include "flv/flv_tag_header.h"
#include "json_writer.h"

namespace lw::gateway {

using protocol::CloseCode;

std::string close_reason(std::string_view reason_bytes) {
  constexpr size_t kMax = 123;
  // A reason may quote a peer's bytes (the request's URL, a server's status description); a close
  // frame whose reason is not UTF-8 fails the connection in a browser (RFC 6455 7.1.6).
  std::string reason = valid_utf8(reason_bytes);
  if (reason.size() <= kMax) return reason;
  size_t n = kMax;
  // Back off continuation bytes (10xxxxxx) so the cut never splits a UTF-8 sequence.
  while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
  reason.resize(n);
  return reason;
}

namespace {

// The spare RTMP message bodies of the players on this thread (every connection's handlers run on the
// thread of its io_context): reused hot across connections, bounded for the whole thread, instead of
// each connection keeping its own.
rtmp::BodyPool* thread_body_pool() {
  thread_local rtmp::BodyPool pool(rtmp::BodyPool::Limits{.max_bodies = 1024, .max_bytes = 8 << 20});
  return &pool;
}

rtmp::SessionConfig session_config(Endpoint endpoint, const std::string& url, const BridgeLimits& limits,
                                   uint64_t seed) {
  rtmp::SessionConfig c;
  c.url = url;
  c.role = endpoint == Endpoint::kPush ? rtmp::Role::kPublish : rtmp::Role::kPlay;
  c.handshake_timeout_ms = c.connect_timeout_ms = c.stream_timeout_ms = limits.upstream_timeout_ms;
  c.idle_timeout_ms = 0;  // a player may wait for a publisher as long as it likes
  c.random_seed = seed;
  c.caps_ex = rtmp::kCapsExReconnect;  // the Bridge follows ReconnectRequests (on_reconnect_request)
  // What the page behind the gateway handles, so that a server which sends Enhanced RTMP only to clients
  // that say they take it does so: livewasm's player decodes these (README's codec table); its pusher
  // sends H.264 or, with video-codec, AV1 / VP9 / HEVC, and AAC or Opus.
  if (c.role == rtmp::Role::kPlay) {
    c.video_fourccs = {"avc1", "hvc1", "av01", "vp09"};
    c.audio_fourccs = {"mp4a", "Opus", ".mp3", "fLaC", "ac-3", "ec-3"};
  } else {
    c.video_fourccs = {"avc1", "hvc1", "av01", "vp09"};
    c.audio_fourccs = {"mp4a", "Opus"};
  }
  if (c.role == rtmp::Role::kPlay) c.body_pool = thread_body_pool();
  return c;
}

// A pushed tag is held whole until it is complete, so the largest tag is bounded by the push buffer
// limit (a 4 MiB key frame is far beyond what a browser encoder makes); resync looks no further than
// the garbage the stream may contain.
flv::Demuxer::Options demux_options(const BridgeLimits& limits) {
  flv::Demuxer::Options o;
  o.max_tag_size = uint32_t(std::min<size_t>(limits.max_buffered_bytes, o.max_tag_size));
  return o;
}

}  // namespace

Bridge::Bridge(Endpoint endpoint, const std::string& rtmp_url, const BridgeLimits& limits, uint64_t seed,
               int64_t now_ms)
    : endpoint_(endpoint),
      role_(endpoint == Endpoint::kPush ? rtmp::Role::kPublish : rtmp::Role::kPlay),
      limits_(limits),
      seed_(seed),
      session_(session_config(endpoint, rtmp_url, limits, seed)),
      reconnect_gate_(limits.reconnect),
      connect_deadline_ms_(now_ms + limits.upstream_timeout_ms),
      demux_(demux_options(limits)),
      last_client_bytes_ms_(now_ms) {
  now_ms_ = now_ms;
  if (auto url = rtmp::parse_url(rtmp_url); url.ok()) upstream_ = url->host + ":" + std::to_string(url->port);
  if (endpoint_ == Endpoint::kPlay) {
    // The client's stream starts with the FLV header; which tracks exist is unknown yet, so both
    // flags are set (as nginx-http-flv and SRS do).
    Bytes& tail = binary_tail();
    out_.back().audio_only = false;
    mux_.write_header(true, true, tail);
    client_queued_ += tail.size();
  }
}

// ---------------------------------------------------------------------------------------------
// Output plumbing

bool Bridge::queue_text(std::string text, TextKind kind) {
  const bool full = text_frames_ >= limits_.max_client_text_frames ||
                    text_bytes_ + text.size() > limits_.max_client_text_bytes;
  if (full && kind == TextKind::kReport) return false;  // an ack or drop: a later one says it, newer
  if (full && kind == TextKind::kReply) {
    // The client asks (ping) faster than it reads the answers: it is not a player any more.
    request_close(CloseCode::kClientBacklog,
                  "the client did not read its replies: " + std::to_string(text_frames_) + " control messages, " +
                      std::to_string(client_queued_) + " bytes waiting");
    return false;
  }
  OutFrame f;
  f.text = true;
  f.status = kind == TextKind::kStatus;
  f.data.assign(text.begin(), text.end());
  client_queued_ += f.data.size();
  ++text_frames_;
  text_bytes_ += f.data.size();
  out_.push_back(std::move(f));
  note_queued();
  return true;
}

void Bridge::note_queued() {
  stats_.max_client_queued = std::max<uint64_t>(stats_.max_client_queued, client_queued_);
  if (client_queued_ > limits_.max_client_queue_bytes && !close_) {
    request_close(CloseCode::kClientBacklog, "the client did not read what it was sent: " +
                                                 std::to_string(client_queued_) + " bytes waiting");
  }
}

Bytes& Bridge::binary_tail() {
  // Append to the last binary frame unless it is being written (then it is in flight and frozen).
  bool tail_frozen = out_.size() == 1 && client_writing_;
  if (out_.empty() || out_.back().text || tail_frozen) {
    OutFrame f;
    f.seq = ++frame_seq_;
    if (!spare_.empty()) {
      f.data = std::move(spare_.back());
      spare_.pop_back();
    }
    out_.push_back(std::move(f));
  }
  return out_.back().data;
}

bool Bridge::next_client_frame(ClientFrame* out, int64_t now_ms) {
  if (client_writing_ || out_.empty() || client_closed_) return false;
  OutFrame& f = out_.front();
  if (f.data.empty()) {  // a binary tail that nothing was appended to
    spare_.push_back(std::move(f.data));
    out_.pop_front();
    return next_client_frame(out, now_ms);
  }
  if (limits_.coalesce_audio_ms > 0 && !f.text && f.audio_only && out_.size() == 1 && seen_video_ && !close_ &&
      f.first_tag_ms >= 0 && now_ms - f.first_tag_ms < limits_.coalesce_audio_ms) {
    return false;  // audio alone: it goes out with the next video tag
  }
  client_writing_ = true;
  client_write_started_ms_ = now_ms;
  out->text = f.text;
  out->data = ByteSpan(f.data.data(), f.data.size());
  out->oldest_rx_us = f.text ? 0 : f.oldest_rx_us;
  return true;
}

void Bridge::end_client_write(int64_t now_ms) {
  if (!client_writing_) return;
  client_writing_ = false;
  OutFrame& f = out_.front();
  stats_.client_out += f.data.size();
  client_queued_ -= f.data.size();
  if (f.text) {
    --text_frames_;
    text_bytes_ -= f.data.size();
  }
  if (!f.text && spare_.size() < 2) {
    f.data.clear();
    spare_.push_back(std::move(f.data));
  }
  out_.pop_front();
}

void Bridge::collect_upstream_output() {
  if (session_.pending_output() == 0) return;
  Bytes more = session_.take_output();
  up_pending_.insert(up_pending_.end(), more.begin(), more.end());
}

ByteSpan Bridge::begin_upstream_write() {
  if (up_in_flight_ || !upstream_connected_ || upstream_closed_) return {};
  collect_upstream_output();
  if (up_pending_.empty()) return {};
  std::swap(up_pending_, up_writing_);
  up_in_flight_ = true;
  return ByteSpan(up_writing_.data(), up_writing_.size());
}

void Bridge::end_upstream_write(int64_t now_ms) {
  if (!up_in_flight_) return;
  up_in_flight_ = false;
  stats_.upstream_out += up_writing_.size();
  up_writing_.clear();  // keeps its capacity for the next swap
  update_pause();
}

size_t Bridge::upstream_queued() const {
  return up_pending_.size() + up_writing_.size() + session_.pending_output() + held_bytes_;
}

bool Bridge::upstream_finished() const {
  auto s = session_.state();
  bool done = s == rtmp::SessionState::kClosed || s == rtmp::SessionState::kFailed;
  return upstream_closed_ || (done && !up_in_flight_ && up_pending_.empty() && session_.pending_output() == 0);
}

void Bridge::update_pause() {
  if (endpoint_ != Endpoint::kPush) return;
  size_t q = upstream_queued();
  if (!paused_ && q > limits_.max_buffered_bytes) paused_ = true;
  else if (paused_ && q <= limits_.max_buffered_bytes / 2) paused_ = false;
}

// ---------------------------------------------------------------------------------------------
// Status and close

void Bridge::send_status(int32_t code, std::string_view message) {
  if (code == 0 || code == last_status_) return;  // e.g. StreamEOF and Play.Stop both mean 2006
  last_status_ = code;
  queue_text(status_message(code, rtmp::state_code_name(role_, code), message), TextKind::kStatus);
  notes_.push_back({BridgeNote::Kind::kStatus, code, std::string(message)});
}

void Bridge::request_close(CloseCode code, std::string_view reason, bool abort) {
  if (close_) return;  // the first reason is the real one
  close_ = CloseRequest{code, close_reason(reason), abort};
  // Media and replies nobody will read are not worth the wait (and their memory comes back now);
  // status text already queued still goes out.
  for (auto it = out_.begin(); it != out_.end();) {
    bool in_flight = client_writing_ && it == out_.begin();
    if (!it->status && !in_flight) {
      client_queued_ -= it->data.size();
      if (it->text) {
        --text_frames_;
        text_bytes_ -= it->data.size();
      }
      it = out_.erase(it);
    } else {
      ++it;
    }
  }
  spare_.clear();
  held_.clear();
  held_bytes_ = 0;
  if (session_.state() != rtmp::SessionState::kFailed && session_.state() != rtmp::SessionState::kClosed &&
      session_.state() != rtmp::SessionState::kIdle) {
    (void)session_.close(now_ms_);  // FCUnpublish / deleteStream, flushed by the driver
  }
}

void Bridge::fail_client(CloseCode code, std::string_view reason, int64_t now_ms) {
  now_ms_ = now_ms;
  request_close(code, reason);
}

void Bridge::shutdown(std::string_view why, int64_t now_ms) {
  now_ms_ = now_ms;
  request_close(CloseCode::kGoingAway, why);
}

// ---------------------------------------------------------------------------------------------
// RTMP side

void Bridge::on_upstream_connected(int64_t now_ms) {
  now_ms_ = now_ms;
  if (close_) return;
  upstream_connected_ = true;
  (void)session_.start(now_ms);
  pump_session(now_ms);
}

void Bridge::on_upstream_connect_failed(rtmp::Condition condition, std::string_view why, int64_t now_ms) {
  now_ms_ = now_ms;
  if (close_) return;
  int32_t code = rtmp::state_code(role_, condition);
  std::string what = std::string(condition == rtmp::Condition::kDnsFailed ? "cannot resolve " : "cannot connect to ") +
                     upstream_ + ": " + std::string(why);
  send_status(code, what);
  upstream_closed_ = true;
  request_close(CloseCode::kUpstreamFailed, std::to_string(code) + " " + what);
}

void Bridge::on_upstream_data(ByteSpan data, int64_t now_ms, const UpstreamRead& read) {
  now_ms_ = now_ms;
  stats_.upstream_in += data.size();
  read_msgs_.clear();
  read_frames_.clear();
  (void)session_.feed(data, now_ms);  // a failure comes out as an error event
  pump_session(now_ms);
  // Each frame for the client is dated by its oldest media (ArrivalClock), once the read's messages
  // are all known.
  if (read_msgs_.empty()) return;
  arrival_.on_read(read, read_msgs_);
  if (close_) return;
  for (size_t i = 0; i < read_msgs_.size(); ++i) {
    const int64_t a = read_msgs_[i].arrival_us;
    if (a == 0 || read_frames_[i] == 0) continue;
    for (auto it = out_.rbegin(); it != out_.rend(); ++it) {
      if (it->seq != read_frames_[i]) continue;
      if (it->oldest_rx_us == 0 || a < it->oldest_rx_us) it->oldest_rx_us = a;
      break;
    }
  }
}

void Bridge::on_upstream_closed(std::string_view why, int64_t now_ms) {
  now_ms_ = now_ms;
  if (upstream_closed_) return;
  upstream_closed_ = true;
  up_pending_.clear();
  if (switch_) return;  // the old server left first: the switch goes on
  session_.on_transport_closed(now_ms);
  pump_session(now_ms);
  if (!close_) request_close(CloseCode::kUpstreamFailed, "the RTMP server closed the connection");
}

void Bridge::pump_session(int64_t now_ms) {
  while (session_.poll_event(&event_)) on_session_event(event_, now_ms);
  session_.recycle(std::move(event_.media.body));  // back to the thread's pool until the next message
  collect_upstream_output();
  update_pause();
}

void Bridge::on_session_event(rtmp::SessionEvent& ev, int64_t now_ms) {
  using K = rtmp::SessionEventKind;
  switch (ev.kind) {
    case K::kConnected:
      send_status(ev.state_code, "connected to " + session_.url().tc_url);
      break;
    case K::kStreamStarted: {
      const bool switched = switching_;
      switching_ = false;
      send_status(ev.state_code, role_ == rtmp::Role::kPublish ? "publishing " + session_.url().stream
                                                                : "playing " + session_.url().stream);
      if (role_ == rtmp::Role::kPublish) {
        if (switched) resend_config_tags();
        while (!held_.empty()) {
          const flv::Tag& t = held_.front();
          (void)session_.send_media(uint8_t(t.type), t.timestamp_ms, as_span(t.body));
          ++stats_.tags_forwarded;
          held_bytes_ -= t.body.size();
          held_.pop_front();
        }
      }
      break;
    }
    case K::kStatus:
    case K::kUserControl:
      if (ev.state_code != 0) {
        send_status(ev.state_code, ev.status.code.empty() ? "stream ended" : ev.status.code);
      } else if (ev.kind == K::kUserControl && ev.user_control.event == uint16_t(rtmp::UserControlEvent::kStreamBegin)) {
        last_status_ = 0;  // a returning publisher: a later end is news again
      }
      break;
    case K::kMedia:
      if (role_ == rtmp::Role::kPlay) relay_media(ev.media);
      break;
    case K::kError: {
      int32_t code = ev.state_code != 0 ? ev.state_code : rtmp::state_code(role_, ev.condition);
      std::string why = ev.error.reason();
      if (!ev.status.code.empty()) why = ev.status.code + (ev.status.description.empty() ? "" : ": " + ev.status.description);
      if (code == 0) {
        request_close(CloseCode::kInternalError, "RTMP session failed: " + why);
        break;
      }
      send_status(code, why);
      request_close(CloseCode::kUpstreamFailed, std::to_string(code) + " " + why);
      break;
    }
    case K::kClosed:
      break;
    case K::kReconnectRequest:
      on_reconnect_request(ev, now_ms);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// E-RTMP ReconnectRequest: the server asks the gateway to reconnect (elsewhere or to itself). The
// client's WebSocket stays open; the new server must pass the same allowlist as the first.

void Bridge::on_reconnect_request(const rtmp::SessionEvent& ev, int64_t now_ms) {
  if (close_) return;
  auto target = rtmp::parse_url(ev.reconnect_url);
  if (!target.ok()) {  // resolve_reconnect_url() made it; cannot happen, but never an open door
    request_close(CloseCode::kInternalError, "ReconnectRequest URL does not parse: " + target.status().reason());
    return;
  }
  const std::string where = target->host + ":" + std::to_string(target->port);
  const bool allowed = allowlist_ ? allowlist_->allows(target->host, target->port) : where == upstream_;
  if (!allowed) {
    request_close(CloseCode::kUpstreamNotAllowed,
                  "ReconnectRequest to " + where + " refused: upstream " + where + " is not allowed");
    return;
  }
  Status admitted = reconnect_gate_.request(now_ms);
  if (!admitted.ok()) {
    const int32_t code = rtmp::state_code(role_, rtmp::Condition::kServerClosedStream);
    send_status(code, admitted.reason());
    request_close(CloseCode::kUpstreamFailed, std::to_string(code) + " " + admitted.reason());
    return;
  }
  reconnect_url_ = ev.reconnect_url;
  reconnect_why_ = close_reason(ev.status.description);  // the server's words: UTF-8, at most 123 bytes
  notes_.push_back({BridgeNote::Kind::kReconnect, 0,
                    "ReconnectRequest: to " + target->tc_url + (reconnect_why_.empty() ? "" : " (" + reconnect_why_ + ")")});
  // A player switches at once (the new server starts its stream at a key frame); a pusher goes on
  // sending to the old server up to the next key frame (forward_tag), or until the wait is over (tick).
  if (role_ == rtmp::Role::kPlay || switching_) switch_upstream(now_ms, false);
}

void Bridge::switch_upstream(int64_t now_ms, bool need_key) {
  reconnect_gate_.switched();
  auto target = rtmp::parse_url(reconnect_url_);
  if (!target.ok()) return;
  ++stats_.reconnects;
  switching_ = true;
  need_key_ = need_key;
  // The page learns first (the text keeps its place before the new server's media and statuses).
  queue_text(reconnect_message(target->tc_url, reconnect_why_.empty() ? "the RTMP server asked for a reconnect"
                                                                      : reconnect_why_),
             TextKind::kStatus);
  notes_.push_back({BridgeNote::Kind::kReconnect, 0, "reconnecting to " + target->tc_url});
  if (endpoint_ == Endpoint::kPlay) {
    // A new FLV stream for the page, as after a reconnect of its own: the player restarts its input
    // on the reconnect message, and the new server sends sequence headers and a key frame.
    Bytes& tail = binary_tail();
    out_.back().audio_only = false;
    const size_t before = tail.size();
    mux_.write_header(true, true, tail);
    client_queued_ += tail.size() - before;
    note_queued();
  }
  // The old server gets its polite end (FCUnpublish / deleteStream) before its socket is closed.
  if (session_.state() != rtmp::SessionState::kFailed && session_.state() != rtmp::SessionState::kClosed) {
    (void)session_.close(now_ms);
  }
  rtmp::SessionEvent ev;
  while (session_.poll_event(&ev)) {
  }
  collect_upstream_output();
  switch_ = UpstreamTarget{target->host, target->port, target->tc_url};
}

UpstreamTarget Bridge::on_upstream_switching(int64_t now_ms) {
  now_ms_ = now_ms;
  UpstreamTarget t = switch_.value_or(UpstreamTarget{});
  switch_.reset();
  up_pending_.clear();
  up_writing_.clear();
  up_in_flight_ = false;
  upstream_connected_ = false;
  upstream_closed_ = false;
  upstream_ = t.host + ":" + std::to_string(t.port);
  session_ = rtmp::ClientSession(session_config(endpoint_, reconnect_url_, limits_, seed_ + stats_.reconnects));
  connect_deadline_ms_ = now_ms + limits_.upstream_timeout_ms;
  last_status_ = 0;  // 1001/1002 (2001/2002) of the new server are news
  return t;
}

void Bridge::remember_config_tag(const flv::TagView& tag) {
  if (tag.type == flv::TagType::kScript) {
    if (rtmp::data_message_name(tag.body) == "onMetaData") meta_tag_ = tag.to_tag();
  } else if (tag.type == flv::TagType::kVideo) {
    auto h = flv::parse_video_tag_header(tag.body);
    if (h.ok() && h->is_sequence_header()) video_config_tag_ = tag.to_tag();
  } else if (tag.type == flv::TagType::kAudio) {
    auto h = flv::parse_audio_tag_header(tag.body);
    if (h.ok() && h->is_sequence_header()) audio_config_tag_ = tag.to_tag();
  }
}

void Bridge::resend_config_tags() {
  // The new server has seen nothing of this stream: metadata and sequence headers first, dated like
  // the first tag it gets.
  const uint32_t ts = held_.empty() ? last_pushed_ts_ : held_.front().timestamp_ms;
  for (const std::optional<flv::Tag>* t : {&meta_tag_, &video_config_tag_, &audio_config_tag_}) {
    if (!*t) continue;
    (void)session_.send_media(uint8_t((*t)->type), ts, as_span((*t)->body));
    ++stats_.tags_forwarded;
  }
}

// ---------------------------------------------------------------------------------------------
// Client side

void Bridge::on_client_binary(ByteSpan data, int64_t now_ms) {
  now_ms_ = now_ms;
  stats_.client_in += data.size();
  last_client_bytes_ms_ = now_ms;
  if (close_) return;
  if (endpoint_ != Endpoint::kPush) {
    request_close(CloseCode::kUnsupportedData, "binary data on /play: a player only receives");
    return;
  }
  demux_.feed(data);
  flv::Event ev;
  while (!close_ && demux_.next(&ev)) on_flv_event(ev, now_ms);
  // Garbage that never ends is never reported as skipped (that happens when a tag is found again).
  if (!close_ && garbage_bytes_ + demux_.resync_pending_bytes() > limits_.max_garbage_bytes) {
    request_close(CloseCode::kNotFlv, "not an FLV stream: no valid tag in the last " +
                                          std::to_string(demux_.resync_pending_bytes()) + " bytes");
  }
  pump_session(now_ms);
  maybe_ack(now_ms, false);
}

void Bridge::on_flv_event(flv::Event& ev, int64_t now_ms) {
  switch (ev.kind) {
    case flv::EventKind::kHeader:
      break;
    case flv::EventKind::kScript:
    case flv::EventKind::kAudio:
    case flv::EventKind::kVideo:
      forward_tag(ev.tag, now_ms);
      break;
    case flv::EventKind::kWarning:
      garbage_bytes_ += ev.skipped_bytes;
      if (garbage_bytes_ > limits_.max_garbage_bytes) {
        request_close(CloseCode::kNotFlv, "not an FLV stream: " + std::to_string(garbage_bytes_) +
                                              " bytes skipped (" + ev.status.reason() + ")");
      } else if (notes_.size() < 64) {
        notes_.push_back({BridgeNote::Kind::kWarning, 0, ev.status.reason()});
      }
      break;
    case flv::EventKind::kError:
      request_close(CloseCode::kNotFlv, "not an FLV stream: " + ev.status.reason());
      break;
  }
}

void Bridge::forward_tag(const flv::TagView& tag, int64_t now_ms) {
  remember_config_tag(tag);
  bool key = false;
  if (tag.type == flv::TagType::kVideo) {
    seen_video_ = true;
    auto h = flv::parse_video_tag_header(tag.body);
    key = h.ok() && h->key_frame() && !h->is_sequence_header();
  }
  if (!switching_ && reconnect_gate_.pending() && reconnect_gate_.switch_before_tag(now_ms, key, seen_video_)) {
    switch_upstream(now_ms, seen_video_ && !key);
  }
  if (need_key_ && tag.type == flv::TagType::kVideo) {
    if (!key) {
      ++stats_.reconnect_dropped_tags;
      return;  // the new server starts at a key frame
    }
    need_key_ = false;
  }
  last_pushed_ts_ = tag.timestamp_ms;
  if (session_.state() == rtmp::SessionState::kPublishing && !switching_) {
    Status st = session_.send_media(uint8_t(tag.type), tag.timestamp_ms, tag.body);
    if (st.ok()) ++stats_.tags_forwarded;
    return;
  }
  held_.push_back(tag.to_tag());
  held_bytes_ += tag.body.size();
}

void Bridge::on_client_text(std::string_view part, int64_t now_ms) {
  if (close_ || text_too_big_) return;
  if (text_in_.size() + part.size() > protocol::kMaxControlMessageBytes) {
    text_too_big_ = true;
    return;
  }
  text_in_.append(part);
}

void Bridge::on_client_message_end(int64_t now_ms) {
  now_ms_ = now_ms;
  if (close_) return;
  if (text_too_big_) {
    text_too_big_ = false;
    text_in_.clear();
    request_close(CloseCode::kBadControlMessage,
                  "control message over " + std::to_string(protocol::kMaxControlMessageBytes) + " bytes");
    return;
  }
  if (text_in_.empty()) return;  // the end of a binary message
  auto msg = parse_client_message(text_in_);
  text_in_.clear();
  if (!msg.ok()) {
    request_close(CloseCode::kBadControlMessage, msg.status().reason());
    return;
  }
  if (msg->type == protocol::kMessagePing) {
    uint64_t queued = endpoint_ == Endpoint::kPush ? upstream_queued() : client_queued_;
    queue_text(pong_message(msg->id_json, queued), TextKind::kReply);
  }
}

void Bridge::on_client_closed(std::string_view why, int64_t now_ms) {
  on_client_gone(CloseCode::kNormal, why, now_ms);
}

void Bridge::on_client_gone(CloseCode code, std::string_view why, int64_t now_ms) {
  now_ms_ = now_ms;
  client_closed_ = true;
  request_close(code, why);
}

void Bridge::maybe_ack(int64_t now_ms, bool force) {
  if (endpoint_ != Endpoint::kPush || close_) return;
  AckInfo a;
  a.received = stats_.client_in;
  a.sent = stats_.upstream_out;
  a.queued = upstream_queued();
  a.acked = session_.stats().bytes_acked_by_peer;
  a.paused = paused_;
  bool slow = a.queued > limits_.push_slow_bytes;
  bool crossed = slow && !was_slow_;
  was_slow_ = slow;
  if (!crossed && !force && now_ms < next_ack_ms_) return;
  next_ack_ms_ = now_ms + limits_.ack_interval_ms;
  bool changed = a.received != last_ack_.received || a.sent != last_ack_.sent || a.queued != last_ack_.queued ||
                 a.acked != last_ack_.acked || a.paused != last_ack_.paused;
  if (!changed) return;
  if (queue_text(ack_message(a), TextKind::kReport)) last_ack_ = a;
}

// ---------------------------------------------------------------------------------------------
// play: RTMP media -> FLV for the client, with drops for a slow reader

void Bridge::relay_media(const rtmp::Message& m) {
  if (close_) return;
  const ByteSpan body = as_span(m.body);
  read_msgs_.push_back({m.type, m.timestamp, 0});
  read_frames_.push_back(0);
  bool droppable = false;
  bool key = false;
  // Only sequence headers (and script tags) are kept whatever the queue: a decoder needs them to
  // start again. A body the tag header parser refuses, an empty one or a command frame carries no
  // picture or sound; were they exempt too, a server relaying them would grow a slow player's
  // queue without bound.
  if (m.type == 9) {
    seen_video_ = true;
    auto h = flv::parse_video_tag_header(body);
    droppable = !h.ok() || !h->is_sequence_header();
    key = h.ok() && h->key_frame();
  } else if (m.type == 8) {
    auto h = flv::parse_audio_tag_header(body);
    droppable = !h.ok() || !h->is_sequence_header();
  }
  if (droppable) {
    if (dropping_) {
      bool below = client_queued_ <= limits_.play_drop_bytes / 2;
      bool resume = seen_video_ ? (m.type == 9 && key && below) : below;
      if (!resume) {
        ++stats_.dropped_tags;
        stats_.dropped_bytes += body.size();
        ++(m.type == 9 ? drop_video_ : drop_audio_);
        drop_bytes_ += body.size();
        return;
      }
      dropping_ = false;
      queue_text(drop_message(drop_audio_, drop_video_, drop_bytes_, client_queued_), TextKind::kReport);
      notes_.push_back({BridgeNote::Kind::kDropEnded, 0,
                        std::to_string(drop_audio_ + drop_video_) + " tags, " + std::to_string(drop_bytes_) +
                            " bytes dropped"});
      drop_audio_ = drop_video_ = drop_bytes_ = 0;
    } else if (client_queued_ > limits_.play_drop_bytes) {
      dropping_ = true;
      ++stats_.drop_episodes;
      ++stats_.dropped_tags;
      stats_.dropped_bytes += body.size();
      ++(m.type == 9 ? drop_video_ : drop_audio_);
      drop_bytes_ += body.size();
      notes_.push_back({BridgeNote::Kind::kDropBegan, 0,
                        std::to_string(client_queued_) + " bytes waiting for the client"});
      return;
    }
  }
  Bytes& tail = binary_tail();
  size_t before = tail.size();
  if (mux_.write_tag(flv::TagType(m.type), m.timestamp, body, tail).ok()) {
    OutFrame& frame = out_.back();
    read_frames_.back() = frame.seq;
    if (m.type != 8) frame.audio_only = false;
    if (frame.first_tag_ms < 0) frame.first_tag_ms = now_ms_;
    client_queued_ += tail.size() - before;
    ++stats_.tags_forwarded;
    note_queued();
  }
}

// ---------------------------------------------------------------------------------------------
// Time

void Bridge::tick(int64_t now_ms) {
  now_ms_ = now_ms;
  if (!upstream_connected_ && !upstream_closed_ && !close_ && now_ms >= connect_deadline_ms_) {
    on_upstream_connect_failed(rtmp::Condition::kTcpConnectFailed,
                               "timed out after " + std::to_string(limits_.upstream_timeout_ms) + " ms", now_ms);
    return;
  }
  if (client_writing_ && limits_.write_stall_timeout_ms > 0 &&
      now_ms - client_write_started_ms_ >= limits_.write_stall_timeout_ms) {
    request_close(CloseCode::kClientTooSlow,
                  "client read nothing for " + std::to_string(now_ms - client_write_started_ms_) + " ms (" +
                      std::to_string(client_queued_) + " bytes waiting)",
                  /*abort=*/true);
    return;
  }
  if (endpoint_ == Endpoint::kPush && !close_ && limits_.idle_timeout_ms > 0 &&
      now_ms - last_client_bytes_ms_ >= limits_.idle_timeout_ms) {
    request_close(CloseCode::kIdleTimeout,
                  "no data from the client for " + std::to_string(now_ms - last_client_bytes_ms_) + " ms");
    return;
  }
  if (!close_ && !switching_ && reconnect_gate_.overdue(now_ms)) switch_upstream(now_ms, seen_video_);
  if (upstream_connected_ && !switch_) {
    session_.tick(now_ms);
    pump_session(now_ms);
  }
  maybe_ack(now_ms, false);
}

int64_t Bridge::next_deadline_ms() const {
  int64_t d = -1;
  auto take = [&d](int64_t t) {
    if (t >= 0 && (d < 0 || t < d)) d = t;
  };
  // After a close request the driver's own drain deadline bounds what is left (a deadline in the
  // past here would only spin its timer).
  if (close_) return -1;
  if (!upstream_connected_ && !upstream_closed_) take(connect_deadline_ms_);
  if (client_writing_ && limits_.write_stall_timeout_ms > 0) {
    take(client_write_started_ms_ + limits_.write_stall_timeout_ms);
  }
  if (endpoint_ == Endpoint::kPush && limits_.idle_timeout_ms > 0) {
    take(last_client_bytes_ms_ + limits_.idle_timeout_ms);
  }
  if (upstream_connected_ && !switch_) take(session_.next_deadline_ms());
  if (!switching_) take(reconnect_gate_.next_deadline_ms());
  if (endpoint_ == Endpoint::kPush) take(next_ack_ms_);
  return d;
}

}  // namespace lw::gateway
