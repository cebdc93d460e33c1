#include "rtmp/rtmp_session.h"

#include <cmath>
#include <utility>

#include "base/byte_reader.h"
#include "rtmp/rtmp_reconnect.h"

namespace lw::rtmp {
namespace {

constexpr uint8_t kAudio = static_cast<uint8_t>(MessageType::kAudio);
constexpr uint8_t kVideo = static_cast<uint8_t>(MessageType::kVideo);
constexpr uint8_t kData = static_cast<uint8_t>(MessageType::kDataAmf0);

std::string describe(const StatusInfo& info) {
  std::string s = info.code.empty() ? "(no code)" : info.code;
  if (!info.description.empty()) s += ": " + info.description;
  return s;
}

}  // namespace

std::string_view session_state_name(SessionState s) {
  switch (s) {
    case SessionState::kIdle: return "idle";
    case SessionState::kHandshake: return "handshake";
    case SessionState::kConnecting: return "connecting";
    case SessionState::kCreatingStream: return "creating-stream";
    case SessionState::kStarting: return "starting";
    case SessionState::kPublishing: return "publishing";
    case SessionState::kPlaying: return "playing";
    case SessionState::kClosed: return "closed";
    case SessionState::kFailed: return "failed";
  }
  return "unknown";
}

std::string_view session_event_kind_name(SessionEventKind k) {
  switch (k) {
    case SessionEventKind::kConnected: return "connected";
    case SessionEventKind::kStreamStarted: return "stream-started";
    case SessionEventKind::kStatus: return "status";
    case SessionEventKind::kUserControl: return "user-control";
    case SessionEventKind::kMedia: return "media";
    case SessionEventKind::kError: return "error";
    case SessionEventKind::kClosed: return "closed";
    case SessionEventKind::kReconnectRequest: return "reconnect-request";
  }
  return "unknown";
}

ClientSession::ClientSession(SessionConfig config)
    : config_(std::move(config)), reader_(config_.reader_limits) {
  if (config_.body_pool) reader_.use_pool(config_.body_pool);
  if (config_.flash_ver.empty()) {
    config_.flash_ver = config_.role == Role::kPublish ? "FMLE/3.0 (compatible; livewasm)"
                                                       : "LNX 9,0,124,2";
  }
}

// ---- Driving ---------------------------------------------------------------------------------

Status ClientSession::start(int64_t now_ms) {
  if (state_ != SessionState::kIdle) return Status(ErrorCode::kMisuse, "start() called twice");
  auto url = parse_url(config_.url);
  if (!url.ok()) return fail(Condition::kNone, url.status());
  url_ = std::move(url.value());
  if (url_.stream.empty()) {
    return fail(Condition::kNone, Status(ErrorCode::kInvalid, "RTMP URL has no stream name: '" +
                                                                  config_.url + "'"));
  }
  handshake_.start(static_cast<uint32_t>(now_ms), config_.random_seed, out_);
  state_ = SessionState::kHandshake;
  last_receive_ms_ = now_ms;
  arm(now_ms + config_.handshake_timeout_ms);
  return Status::Ok();
}

Status ClientSession::feed(ByteSpan data, int64_t now_ms) {
  if (state_ == SessionState::kFailed) return error_;
  if (state_ == SessionState::kClosed || data.empty()) return Status::Ok();
  if (state_ == SessionState::kIdle) return Status(ErrorCode::kMisuse, "feed() before start()");
  stats_.bytes_received += data.size();
  last_receive_ms_ = now_ms;

  if (state_ == SessionState::kHandshake) {
    auto used = handshake_.feed(data, out_);
    if (!used.ok()) return fail(Condition::kHandshakeFailed, used.status());
    data = data.subspan(*used);
    if (!handshake_.done()) return Status::Ok();
    on_handshake_done(now_ms);
  }
  while (!data.empty()) {
    auto used = reader_.feed(data);
    if (!used.ok()) return fail(phase_condition(), used.status());
    data = data.subspan(*used);
    Message m;
    while (reader_.next(&m)) {
      Status s = handle(m, now_ms);
      if (!s.ok()) return s;
      if (state_ == SessionState::kFailed || state_ == SessionState::kClosed) return error_;
    }
  }
  maybe_acknowledge();
  return Status::Ok();
}

void ClientSession::tick(int64_t now_ms) {
  if (state_ == SessionState::kIdle || state_ == SessionState::kClosed ||
      state_ == SessionState::kFailed) {
    return;
  }
  if (deadline_ms_ >= 0 && now_ms >= deadline_ms_) {
    (void)fail(phase_condition(),
               Status(ErrorCode::kTimeout, "no answer from the server while " +
                                               std::string(session_state_name(state_))));
    return;
  }
  if (state_ == SessionState::kPlaying && config_.idle_timeout_ms > 0 &&
      now_ms - last_receive_ms_ >= config_.idle_timeout_ms) {
    (void)fail(Condition::kConnectionBroken,
               Status(ErrorCode::kTimeout, "no bytes from the server for " +
                                               std::to_string(now_ms - last_receive_ms_) + " ms"));
  }
}

int64_t ClientSession::next_deadline_ms() const {
  if (state_ == SessionState::kIdle || state_ == SessionState::kClosed ||
      state_ == SessionState::kFailed) {
    return -1;
  }
  if (deadline_ms_ >= 0) return deadline_ms_;
  if (state_ == SessionState::kPlaying && config_.idle_timeout_ms > 0) {
    return last_receive_ms_ + config_.idle_timeout_ms;
  }
  return -1;
}

void ClientSession::on_transport_closed(int64_t now_ms) {
  if (state_ == SessionState::kClosed || state_ == SessionState::kFailed) return;
  if (state_ == SessionState::kIdle) return;
  (void)fail(phase_condition(),
             Status(ErrorCode::kClosed, "the server closed the connection while " +
                                            std::string(session_state_name(state_))));
}

Bytes ClientSession::take_output() {
  Bytes out;
  out.swap(out_);
  stats_.bytes_sent += out.size();
  return out;
}

void ClientSession::push(SessionEvent ev) {
  // A driver that polls only some events each time: drop the polled prefix before it outgrows the rest.
  if (events_head_ > 0 && events_head_ * 2 >= events_.size()) {
    events_.erase(events_.begin(), events_.begin() + static_cast<ptrdiff_t>(events_head_));
    events_head_ = 0;
  }
  events_.push_back(std::move(ev));
}

bool ClientSession::pop_event(SessionEvent* out) {
  if (events_head_ == events_.size()) return false;
  *out = std::move(events_[events_head_++]);
  if (events_head_ == events_.size()) {
    events_.clear();
    events_head_ = 0;
  }
  return true;
}

std::optional<SessionEvent> ClientSession::poll_event() {
  SessionEvent ev;
  if (!pop_event(&ev)) return std::nullopt;
  return ev;
}

bool ClientSession::poll_event(SessionEvent* out) {
  reader_.recycle(std::move(out->media.body));
  return pop_event(out);
}

Status ClientSession::send_media(uint8_t type, uint32_t timestamp_ms, ByteSpan body) {
  if (config_.role != Role::kPublish || state_ != SessionState::kPublishing) {
    return Status(ErrorCode::kMisuse, "send_media() while " +
                                          std::string(session_state_name(state_)) +
                                          " (needs a publisher in the publishing state)");
  }
  Status s;
  if (type == kAudio) {
    s = writer_.write(kCsidAudio, type, timestamp_ms, stream_id_, body, out_);
  } else if (type == kVideo) {
    s = writer_.write(kCsidVideo, type, timestamp_ms, stream_id_, body, out_);
  } else if (type == kData) {
    Bytes wrapped = wrap_set_data_frame(body);
    s = writer_.write(kCsidData, type, timestamp_ms, stream_id_, as_span(wrapped), out_);
  } else {
    return Status(ErrorCode::kMisuse, "send_media() type " + std::to_string(type) +
                                          " is not audio (8), video (9) or data (18)");
  }
  if (s.ok()) ++stats_.media_sent;
  return s;
}

Status ClientSession::send_metadata(const std::vector<amf0::Property>& metadata,
                                    uint32_t timestamp_ms) {
  Bytes body = set_data_frame_body(metadata);
  return send_media(kData, timestamp_ms, as_span(body));
}

Status ClientSession::close(int64_t now_ms) {
  if (state_ == SessionState::kClosed || state_ == SessionState::kFailed) return Status::Ok();
  if (stream_id_ != 0) {
    if (config_.role == Role::kPublish && publish_sent_) {
      send_command(kCsidCommand, 0, fc_unpublish_command(next_tx_++, url_.stream), false);
    }
    send_command(kCsidCommand, 0, delete_stream_command(next_tx_++, stream_id_), false);
  }
  state_ = SessionState::kClosed;
  deadline_ms_ = -1;
  SessionEvent ev;
  ev.kind = SessionEventKind::kClosed;
  push(std::move(ev));
  return Status::Ok();
}

// ---- Internals ---------------------------------------------------------------------------------

Status ClientSession::fail(Condition condition, Status error, const StatusInfo& info) {
  state_ = SessionState::kFailed;
  deadline_ms_ = -1;
  error_ = error;
  SessionEvent ev;
  ev.kind = SessionEventKind::kError;
  ev.condition = condition;
  ev.state_code = condition == Condition::kNone ? 0 : state_code(config_.role, condition);
  ev.error = std::move(error);
  ev.status = info;
  push(std::move(ev));
  return error_;
}

Condition ClientSession::phase_condition() const {
  switch (state_) {
    case SessionState::kIdle:
    case SessionState::kHandshake: return Condition::kHandshakeFailed;
    case SessionState::kConnecting: return Condition::kConnectRejected;
    case SessionState::kCreatingStream:
    case SessionState::kStarting: return Condition::kStreamRefused;
    default: return Condition::kConnectionBroken;
  }
}

void ClientSession::send(uint32_t csid, MessageType type, uint32_t stream_id, const Bytes& body,
                         uint32_t timestamp) {
  // Bodies built here are small and well-formed; write() cannot fail for them.
  (void)writer_.write(csid, static_cast<uint8_t>(type), timestamp, stream_id, as_span(body), out_);
}

double ClientSession::send_command(uint32_t csid, uint32_t stream_id, Command command, bool track) {
  if (track) pending_[command.transaction_id] = command.name;
  send(csid, MessageType::kCommandAmf0, stream_id, encode_command(command));
  return command.transaction_id;
}

void ClientSession::on_handshake_done(int64_t now_ms) {
  stats_.handshake_s2_echo_matched = handshake_.s2_echo_matched();
  if (config_.chunk_size != kDefaultChunkSize) {
    (void)writer_.set_chunk_size(config_.chunk_size, out_);  // an invalid size keeps 128
  }
  ConnectParams p;
  p.app = url_.app;
  p.tc_url = url_.tc_url;
  p.flash_ver = config_.flash_ver;
  p.publisher = config_.role == Role::kPublish;
  p.swf_url = config_.swf_url;
  p.page_url = config_.page_url;
  p.caps_ex = config_.caps_ex;
  p.video_fourccs = config_.video_fourccs;
  p.audio_fourccs = config_.audio_fourccs;
  p.fourcc_info = p.publisher ? kFourCcCanEncode : kFourCcCanDecode;
  send_command(kCsidCommand, 0, connect_command(p, next_tx_++), true);
  state_ = SessionState::kConnecting;
  arm(now_ms + config_.connect_timeout_ms);
}

Status ClientSession::handle(Message& m, int64_t now_ms) {
  switch (static_cast<MessageType>(m.type)) {
    case MessageType::kSetChunkSize:
      stats_.peer_chunk_size = reader_.chunk_size();
      return Status::Ok();
    case MessageType::kAbort:
      return Status::Ok();  // done by the reader
    case MessageType::kAcknowledgement:
    case MessageType::kWindowAckSize:
    case MessageType::kSetPeerBandwidth:
      return handle_control(m);
    case MessageType::kUserControl:
      return handle_user_control(m);
    case MessageType::kCommandAmf0:
    case MessageType::kCommandAmf3:
      return handle_command(m, now_ms);
    case MessageType::kAudio:
    case MessageType::kVideo:
      deliver_media(std::move(m));
      return Status::Ok();
    case MessageType::kDataAmf0:
    case MessageType::kDataAmf3:
      if (m.type == static_cast<uint8_t>(MessageType::kDataAmf3) && !m.body.empty()) {
        m.body.erase(m.body.begin());  // AMF3 data: a 0x00 format byte, then AMF0
        m.type = kData;
      }
      deliver_media(std::move(m));
      return Status::Ok();
    case MessageType::kAggregate:
      deliver_aggregate(m);
      return Status::Ok();
    default:
      return Status::Ok();  // shared objects and unknown types: ignored, as FFmpeg does
  }
}

Status ClientSession::handle_control(const Message& m) {
  const ByteSpan body = as_span(m.body);
  if (m.type == static_cast<uint8_t>(MessageType::kAcknowledgement)) {
    auto seq = parse_u32_body(body, "Acknowledgement");
    if (!seq.ok()) return fail(phase_condition(), seq.status());
    // The sequence number wraps at 2^32; accumulate the forward difference.
    stats_.bytes_acked_by_peer += static_cast<uint32_t>(*seq - last_peer_ack_);
    last_peer_ack_ = *seq;
    return Status::Ok();
  }
  if (m.type == static_cast<uint8_t>(MessageType::kWindowAckSize)) {
    auto size = parse_u32_body(body, "Window Acknowledgement Size");
    if (!size.ok()) return fail(phase_condition(), size.status());
    stats_.peer_window_ack_size = *size;
    return Status::Ok();
  }
  auto pb = parse_set_peer_bandwidth(body);
  if (!pb.ok()) return fail(phase_condition(), pb.status());
  stats_.peer_bandwidth = pb->window;
  // 5.4.5: answer with Window Acknowledgement Size when it differs from the last one sent.
  if (pb->window != sent_window_ack_size_ && pb->window != 0) {
    sent_window_ack_size_ = pb->window;
    send(kCsidControl, MessageType::kWindowAckSize, 0, u32_body(pb->window));
  }
  return Status::Ok();
}

Status ClientSession::handle_user_control(const Message& m) {
  auto uc = parse_user_control(as_span(m.body));
  if (!uc.ok()) return fail(phase_condition(), uc.status());
  switch (static_cast<UserControlEvent>(uc->event)) {
    case UserControlEvent::kPingRequest:
      send(kCsidControl, MessageType::kUserControl, 0,
           user_control_body({static_cast<uint16_t>(UserControlEvent::kPingResponse), uc->value, 0}));
      return Status::Ok();
    case UserControlEvent::kPingResponse:
    case UserControlEvent::kSetBufferLength:
      return Status::Ok();
    default:
      break;
  }
  SessionEvent ev;
  ev.kind = SessionEventKind::kUserControl;
  ev.user_control = *uc;
  if (uc->event == static_cast<uint16_t>(UserControlEvent::kStreamEof)) {
    play_ended(std::move(ev));
  } else {
    if (uc->event == static_cast<uint16_t>(UserControlEvent::kStreamBegin)) play_ended_ = false;
    push(std::move(ev));
  }
  return Status::Ok();
}

void ClientSession::play_ended(SessionEvent ev) {
  // One 2006 per end of stream: nginx sends StreamEOF and then NetStream.Play.Stop.
  if (config_.role == Role::kPlay && state_ == SessionState::kPlaying && !play_ended_) {
    play_ended_ = true;
    ev.condition = Condition::kPlayEnded;
    ev.state_code = state_code(config_.role, Condition::kPlayEnded);
  }
  push(std::move(ev));
}

Status ClientSession::handle_command(const Message& m, int64_t now_ms) {
  const bool amf3 = m.type == static_cast<uint8_t>(MessageType::kCommandAmf3);
  auto cmd = parse_command(as_span(m.body), amf3, config_.amf_limits);
  if (!cmd.ok()) {
    Status s = cmd.status();
    return fail(phase_condition(), s.context("command message"));
  }
  const Command& c = *cmd;
  if (c.name == "_result" || c.name == "_error") return handle_response(c, now_ms);
  if (c.name == "onStatus") return handle_on_status(c);
  if (c.name == "close") {
    // FMS-style servers send a "close" command before dropping the connection.
    Condition cond = state_ == SessionState::kPublishing || state_ == SessionState::kPlaying
                         ? Condition::kServerClosedStream
                         : phase_condition();
    return fail(cond, Status(ErrorCode::kClosed, "the server sent 'close'"), status_info(c));
  }
  // onBWDone, onFCPublish, onFCUnpublish, _checkbw, ...: nothing to do.
  return Status::Ok();
}

Status ClientSession::handle_response(const Command& c, int64_t now_ms) {
  auto it = pending_.find(c.transaction_id);
  if (it == pending_.end()) return Status::Ok();  // an answer to nothing we track
  const std::string method = it->second;
  pending_.erase(it);
  const bool error = c.name == "_error";
  const StatusInfo info = status_info(c);

  if (method == "connect") {
    if (error || info.is_error()) {
      return fail(Condition::kConnectRejected,
                  Status(ErrorCode::kRefused, "connect refused: " + describe(info)), info);
    }
    SessionEvent ev;
    ev.kind = SessionEventKind::kConnected;
    ev.condition = Condition::kConnected;
    ev.state_code = state_code(config_.role, Condition::kConnected);
    ev.status = info;
    push(std::move(ev));
    if (config_.role == Role::kPublish) {
      send_command(kCsidCommand, 0, release_stream_command(next_tx_++, url_.stream), true);
      send_command(kCsidCommand, 0, fc_publish_command(next_tx_++, url_.stream), true);
    } else if (sent_window_ack_size_ != config_.window_ack_size) {
      // A player announces its window (FFmpeg does too), unless Set Peer Bandwidth already made
      // it announce the same value.
      sent_window_ack_size_ = config_.window_ack_size;
      send(kCsidControl, MessageType::kWindowAckSize, 0, u32_body(config_.window_ack_size));
    }
    send_command(kCsidCommand, 0, create_stream_command(next_tx_++), true);
    state_ = SessionState::kCreatingStream;
    arm(now_ms + config_.stream_timeout_ms);
    return Status::Ok();
  }
  if (method == "createStream") {
    if (error) {
      return fail(Condition::kStreamRefused,
                  Status(ErrorCode::kRefused, "createStream refused: " + describe(info)), info);
    }
    const amf0::Value* id = nullptr;
    for (const amf0::Value& a : c.args) {
      if (a.is_number()) { id = &a; break; }
    }
    if (!id || !(id->number >= 1 && id->number <= 0xFFFFFFFF) || id->number != std::floor(id->number)) {
      return fail(Condition::kStreamRefused,
                  Status(ErrorCode::kProtocol, "createStream _result has no usable stream id"));
    }
    stream_id_ = static_cast<uint32_t>(id->number);
    if (config_.role == Role::kPublish) {
      send_command(kCsidStreamCommand, stream_id_,
                   publish_command(next_tx_++, url_.stream, config_.publish_type), true);
      publish_sent_ = true;
    } else {
      send_command(kCsidStreamCommand, stream_id_, play_command(next_tx_++, url_.stream), true);
      send(kCsidControl, MessageType::kUserControl, 0,
           user_control_body({static_cast<uint16_t>(UserControlEvent::kSetBufferLength), stream_id_,
                              config_.play_buffer_ms}));
    }
    state_ = SessionState::kStarting;
    return Status::Ok();
  }
  if (error && (method == "publish" || method == "play")) {
    return fail(Condition::kStreamRefused,
                Status(ErrorCode::kRefused, method + " refused: " + describe(info)), info);
  }
  // releaseStream / FCPublish errors are historical artefacts some servers reject: ignored.
  return Status::Ok();
}

Status ClientSession::handle_on_status(const Command& c) {
  const StatusInfo info = status_info(c);
  if (info.code == kReconnectRequestCode && !info.is_error()) return handle_reconnect_request(c, info);
  const Condition cond = condition_for_status(info.code);

  SessionEvent ev;
  ev.kind = SessionEventKind::kStatus;
  ev.status = info;
  if (cond == Condition::kPlayEnded) {
    play_ended(std::move(ev));
    return Status::Ok();
  }
  push(std::move(ev));

  const bool publish_start = info.code == "NetStream.Publish.Start";
  const bool play_start = info.code == "NetStream.Play.Start";
  // A start status counts only once publish/play was sent: an early one must neither skip the
  // phases nor disarm their deadline.
  const bool requested = state_ == SessionState::kStarting || state_ == SessionState::kPublishing ||
                         state_ == SessionState::kPlaying;
  if (requested &&
      ((publish_start && config_.role == Role::kPublish) || (play_start && config_.role == Role::kPlay))) {
    const bool first = state_ == SessionState::kStarting;
    state_ = config_.role == Role::kPublish ? SessionState::kPublishing : SessionState::kPlaying;
    deadline_ms_ = -1;
    play_ended_ = false;
    if (first) {
      SessionEvent started;
      started.kind = SessionEventKind::kStreamStarted;
      started.condition = Condition::kStreamStarted;
      started.state_code = state_code(config_.role, Condition::kStreamStarted);
      started.status = info;
      push(std::move(started));
    }
    return Status::Ok();
  }
  if (cond == Condition::kConnectRejected || cond == Condition::kStreamRefused ||
      cond == Condition::kServerClosedStream || info.is_error()) {
    Condition failure = cond;
    if (failure == Condition::kNone || failure == Condition::kConnected ||
        failure == Condition::kStreamStarted) {
      failure = phase_condition();
    }
    if (failure == Condition::kConnectionBroken) failure = Condition::kServerClosedStream;
    return fail(failure, Status(ErrorCode::kRefused, "server status " + describe(info)), info);
  }
  return Status::Ok();
}

Status ClientSession::handle_reconnect_request(const Command& c, const StatusInfo& info) {
  // Only a driver that announced the capability follows it; to others it is one more status.
  if (!(config_.caps_ex & kCapsExReconnect) || reconnect_requested_) {
    SessionEvent ev;
    ev.kind = SessionEventKind::kStatus;
    ev.status = info;
    push(std::move(ev));
    return Status::Ok();
  }
  const amf0::Value* obj = status_object_of(c);
  const amf0::Value* tc = obj ? obj->find("tcUrl") : nullptr;
  Condition broken = phase_condition() == Condition::kConnectionBroken ? Condition::kServerClosedStream
                                                                         : phase_condition();
  if (tc && !tc->is_string() && tc->type != amf0::Marker::kNull && tc->type != amf0::Marker::kUndefined) {
    return fail(broken, Status(ErrorCode::kInvalid, "ReconnectRequest tcUrl is not a string"), info);
  }
  auto url = resolve_reconnect_url(url_, tc && tc->is_string() ? std::string_view(tc->string) : std::string_view());
  if (!url.ok()) return fail(broken, url.status(), info);
  reconnect_requested_ = true;
  SessionEvent ev;
  ev.kind = SessionEventKind::kReconnectRequest;
  ev.status = info;
  ev.reconnect_url = std::move(url.value());
  push(std::move(ev));
  return Status::Ok();
}

void ClientSession::deliver_media(Message&& m) {
  if (config_.role != Role::kPlay) return;
  if (m.type == kData) {
    ByteSpan stripped = strip_set_data_frame(as_span(m.body));
    if (stripped.size() != m.body.size()) {
      m.body.erase(m.body.begin(), m.body.begin() + (m.body.size() - stripped.size()));
    }
  }
  ++stats_.media_received;
  SessionEvent ev;
  ev.kind = SessionEventKind::kMedia;
  ev.media = std::move(m);
  push(std::move(ev));
}

// Aggregate message (7.1.6): FLV-style sub-messages, each type(1) size(3) timestamp(3) ext(1)
// stream id(3) body back-pointer(4). Sub-message times are relative to the first one's.
void ClientSession::deliver_aggregate(const Message& m) {
  ByteReader r(as_span(m.body));
  bool first = true;
  uint32_t base = 0;
  while (!r.empty()) {
    uint8_t type, ext;
    uint32_t size, ts, sid, back;
    ByteSpan body;
    if (!r.u8(&type) || !r.u24(&size) || !r.u24(&ts) || !r.u8(&ext) || !r.u24(&sid) ||
        !r.bytes(size, &body) || !r.u32(&back)) {
      return;  // a truncated tail is dropped, like FFmpeg's rtmp_update_aggregate
    }
    ts |= uint32_t(ext) << 24;
    if (first) base = ts;
    first = false;
    if (type != kAudio && type != kVideo && type != kData) continue;
    Message sub;
    sub.type = type;
    sub.timestamp = m.timestamp + (ts - base);
    sub.stream_id = m.stream_id;
    sub.chunk_stream_id = m.chunk_stream_id;
    sub.body.assign(body.begin(), body.end());
    deliver_media(std::move(sub));
  }
}

void ClientSession::maybe_acknowledge() {
  // 5.4.3: acknowledge once the bytes received since the last Acknowledgement reach the window.
  const uint32_t window = stats_.peer_window_ack_size;
  if (window == 0 || state_ == SessionState::kFailed || state_ == SessionState::kClosed) return;
  if (stats_.bytes_received - last_ack_at_ < window) return;
  last_ack_at_ = stats_.bytes_received;
  send(kCsidControl, MessageType::kAcknowledgement, 0,
       u32_body(static_cast<uint32_t>(stats_.bytes_received)));
  ++stats_.acks_sent;
}

}  // namespace lw::rtmp
