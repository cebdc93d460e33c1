// RTMP client session, sans-IO: one object per connection, in either role (publisher or player).
// The driver owns the socket and the clock; the session owns the protocol:
//
//   rtmp::ClientSession s({.url = "rtmp://127.0.0.1/live/room1?txSecret=abc",
//                          .role = rtmp::Role::kPublish, .random_seed = seed});
//   s.start(now_ms);                            // C0+C1 queued
//   loop:
//     socket.write(s.take_output());            // everything the session wants sent
//     s.feed(socket.read(), now_ms);            // bytes from the server (any split)
//     s.tick(now_ms);                           // deadlines (handshake/connect/stream, idle)
//     while (auto ev = s.poll_event()) ...      // connected, stream started, status, media, error
//       (or, with no allocation per media message: SessionEvent ev; while (s.poll_event(&ev)) ...)
//     s.send_media(9, ts, flv_tag_body);        // publisher, once kStreamStarted was seen
//   on EOF/socket error: s.on_transport_closed(now_ms);  to stop: s.close(now_ms), flush, close.
//
// No sockets, clocks, threads or randomness inside: time comes in as now_ms, the handshake's random
// bytes from config.random_seed. The same object is driven by the native gateway (one per
// WebSocket) and can be compiled to wasm.
//
// State machine and the messages exchanged (captured between FFmpeg 5.1 / this session and nginx-rtmp
// 1.2.2 on loopback; "->" client to server, "<-" server to client):
//
//   kIdle --start()--> kHandshake          -> C0 C1        <- S0 S1 S2      -> C2
//   kHandshake --S2--> kConnecting         -> Set Chunk Size 4096 (csid 2)
//                                          -> connect(1, {app, [type: nonprivate,] flashVer, tcUrl, ...})
//                                          <- Window Ack Size 5000000, Set Peer Bandwidth 5000000 dynamic,
//                                             Set Chunk Size 4096, _result(1, ..., NetConnection.Connect.Success)
//   kConnecting --_result--> kCreatingStream          event kConnected (1001 / 2001)
//     publisher                            -> releaseStream(2, name), FCPublish(3, name), createStream(4)
//     player                               -> Window Ack Size 5000000, createStream(2)
//                                          <- _result(tx, null, 1)      (message stream id 1)
//   kCreatingStream --_result--> kStarting
//     publisher                            -> publish(5, name, "live")          on stream 1, csid 8
//     player                               -> play(3, name, -2) on stream 1, User Control SetBufferLength(1, 1000)
//   kStarting --onStatus--> kPublishing / kPlaying     event kStreamStarted (1002 / 2002)
//     publisher                            <- onStatus NetStream.Publish.Start
//                                          -> @setDataFrame onMetaData, audio (csid 4), video (csid 6)
//     player                               <- [StreamBegin 1] onStatus NetStream.Play.Start,
//                                             |RtmpSampleAccess, [StreamBegin 1] onMetaData, audio, video...
//                                             (nginx sends Play.Start at once even with no publisher yet;
//                                             StreamBegin comes when the publisher does)
//                                          <- StreamEOF 1, onStatus NetStream.Play.Stop   (publisher left:
//                                             a kUserControl/kStatus event with 2006, the session stays kPlaying)
//   close()                                -> publisher: FCUnpublish(name), deleteStream(1); player: deleteStream(1)
//                                             -> kClosed, event kClosed
//   any failure                            -> kFailed, one kError event with the state code
//                                             (rtmp_state_codes.h); feed() then returns that Status.
//
// E-RTMP v2 (rtmp_reconnect.h): with config.caps_ex set, connect carries capsEx; a server's
//                                          <- onStatus(0, null, {level: 'status',
//                                             code: 'NetConnection.Connect.ReconnectRequest', tcUrl?})
//                                             event kReconnectRequest (reconnect_url), once per session
// Refusals seen from nginx-rtmp: a second publisher of a name gets
//   onStatus(0, null, {level: 'error', code: 'NetStream.Publish.BadName', description: 'Already publishing'})
// (-> 3004); an unknown app makes nginx close the connection right after the handshake (-> 3003).
// _error answers to releaseStream/FCPublish are ignored (FFmpeg does the same: historical Adobe
// artefacts some servers reject). The session answers PingRequest with PingResponse, sends an
// Acknowledgement each time the bytes received cross the server's Window Ack Size, and answers Set
// Peer Bandwidth with Window Ack Size when the window differs from the one it last announced.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "amf/amf0.h"
#include "base/bytes.h"
#include "base/status.h"
#include "rtmp/rtmp_chunk_reader.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp/rtmp_commands.h"
#include "rtmp/rtmp_handshake.h"
#include "rtmp/rtmp_message.h"
#include "rtmp/rtmp_state_codes.h"
#include "rtmp/rtmp_url.h"

namespace lw::rtmp {

struct SessionConfig {
  std::string url;                        // rtmp://host[:port]/app[/instance]/stream[?query]
  Role role = Role::kPublish;
  uint32_t chunk_size = 4096;             // announced with Set Chunk Size and used for sending
  uint32_t window_ack_size = 5'000'000;   // announced to the server (player; and on Set Peer Bandwidth)
  uint32_t play_buffer_ms = 1000;         // player: User Control SetBufferLength
  std::string publish_type = "live";      // "live", "record", "append"
  std::string flash_ver;                  // empty: "FMLE/3.0 (compatible; livewasm)" / "LNX 9,0,124,2"
  std::string swf_url;
  std::string page_url;
  int64_t handshake_timeout_ms = 5000;    // start() .. S2
  int64_t connect_timeout_ms = 5000;      // S2 .. connect _result
  int64_t stream_timeout_ms = 5000;       // connect _result .. Publish.Start / Play.Start
  int64_t idle_timeout_ms = 0;            // player, while playing: no bytes for this long -> 3005; 0 = off
  uint64_t random_seed = 0;               // handshake padding
  ChunkReader::Limits reader_limits;
  // Spare message bodies shared with other sessions of the driver's thread (outlives the session's
  // feeds); nullptr: the reader's own pool (reader_limits.max_spare_*).
  BodyPool* body_pool = nullptr;
  amf0::Limits amf_limits;
  // connect's capsEx (E-RTMP v2 CapsExMask), 0: not sent. kCapsExReconnect (rtmp_reconnect.h) says the
  // driver follows kReconnectRequest events; announce it only then.
  uint32_t caps_ex = 0;
  // The E-RTMP codecs the driver's peer handles (ConnectParams::video_fourccs / audio_fourccs): connect
  // lists them, CanDecode for a player, CanEncode for a publisher. Empty: not sent.
  std::vector<std::string> video_fourccs;
  std::vector<std::string> audio_fourccs;
};

enum class SessionState : uint8_t {
  kIdle,
  kHandshake,
  kConnecting,
  kCreatingStream,
  kStarting,     // publish / play sent
  kPublishing,
  kPlaying,
  kClosed,       // close() was called
  kFailed,       // an error event was raised
};
std::string_view session_state_name(SessionState s);

enum class SessionEventKind : uint8_t {
  kConnected,      // NetConnection.Connect.Success; state_code 1001 / 2001
  kStreamStarted,  // NetStream.Publish.Start / NetStream.Play.Start; state_code 1002 / 2002
  kStatus,         // any onStatus (status); state_code 2006 for the player's end of stream
  kUserControl,    // StreamBegin / StreamEOF (state_code 2006 for the player) / StreamDry / IsRecorded
  kMedia,          // player: audio (8), video (9), data (18) message; body == FLV tag body
  kError,          // fatal: error, condition, state_code; status when the server said why
  kClosed,         // after close()
  // E-RTMP v2 NetConnection.Connect.ReconnectRequest (rtmp_reconnect.h): reconnect_url is where to
  // reconnect (the server's tcUrl resolved, plus this stream), status its info. At most one per
  // session; the session goes on as before (the driver switches at a media boundary and closes it).
  // A request whose tcUrl is unusable (not a string, not rtmp://, ...) fails the session instead
  // (kError, 3005 / 3004 with the reason).
  kReconnectRequest,
};
std::string_view session_event_kind_name(SessionEventKind k);

struct SessionEvent {
  SessionEventKind kind = SessionEventKind::kStatus;
  int32_t state_code = 0;                  // docs/api.md code, 0 when the event has none
  Condition condition = Condition::kNone;
  StatusInfo status;                       // kStatus; kError when an onStatus/_error caused it
  Status error;                            // kError
  UserControl user_control;                // kUserControl
  Message media;                           // kMedia (type, timestamp, stream_id, body)
  std::string reconnect_url;               // kReconnectRequest
};

struct SessionStats {
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;               // bytes handed out by take_output()
  uint64_t bytes_acked_by_peer = 0;      // from the server's Acknowledgements (publisher rate control)
  uint32_t peer_window_ack_size = 0;
  uint32_t peer_bandwidth = 0;
  uint32_t peer_chunk_size = kDefaultChunkSize;
  uint64_t acks_sent = 0;
  uint64_t media_sent = 0;
  uint64_t media_received = 0;
  bool handshake_s2_echo_matched = false;
};

class ClientSession {
 public:
  explicit ClientSession(SessionConfig config);

  // Parses the URL and queues C0 + C1. An unusable URL is an error event with state code 0 (nothing
  // was sent) and the returned Status; a second start() is kMisuse, returned only (the session is
  // left as it was, no event).
  Status start(int64_t now_ms);
  // Bytes from the server, any split. Returns the fatal Status once the session failed; input after
  // close() is ignored.
  Status feed(ByteSpan data, int64_t now_ms);
  // Checks the deadline of the current phase.
  void tick(int64_t now_ms);
  // Earliest now_ms at which tick() can change something; -1 when no deadline is armed (for poll()).
  int64_t next_deadline_ms() const;
  // The transport ended (EOF, reset, write error): an error event unless closed or failed already.
  void on_transport_closed(int64_t now_ms);

  // Everything queued for the server since the last call.
  Bytes take_output();
  size_t pending_output() const { return out_.size(); }

  std::optional<SessionEvent> poll_event();
  // The same, into *out: the media body *out held before goes back to the chunk reader's spares, so a
  // driver that keeps one SessionEvent for its loop costs no allocation per media message.
  bool poll_event(SessionEvent* out);
  // A media body the driver is done with (kept for reuse, within the reader's bounds).
  void recycle(Bytes&& body) { reader_.recycle(std::move(body)); }

  // Publisher, in kPublishing: one FLV tag body as an RTMP message on the created stream. type 8
  // audio, 9 video, 18 data (an "onMetaData" body gets the "@setDataFrame" prefix). kMisuse in
  // another state or for another type.
  Status send_media(uint8_t type, uint32_t timestamp_ms, ByteSpan body);
  // "@setDataFrame", "onMetaData", ECMA array of `metadata`.
  Status send_metadata(const std::vector<amf0::Property>& metadata, uint32_t timestamp_ms = 0);

  // Polite end: FCUnpublish + deleteStream (publisher) or deleteStream (player) when a stream
  // exists; then kClosed and a kClosed event. The driver flushes take_output() and closes.
  Status close(int64_t now_ms);

  SessionState state() const { return state_; }
  Role role() const { return config_.role; }
  const Url& url() const { return url_; }
  uint32_t stream_id() const { return stream_id_; }
  const SessionStats& stats() const { return stats_; }

 private:
  Status fail(Condition condition, Status error, const StatusInfo& info = {});
  Condition phase_condition() const;
  void arm(int64_t deadline_ms) { deadline_ms_ = deadline_ms; }
  void send(uint32_t csid, MessageType type, uint32_t stream_id, const Bytes& body,
            uint32_t timestamp = 0);
  double send_command(uint32_t csid, uint32_t stream_id, Command command, bool track);
  void on_handshake_done(int64_t now_ms);
  Status handle(Message& m, int64_t now_ms);
  Status handle_control(const Message& m);
  Status handle_user_control(const Message& m);
  Status handle_command(const Message& m, int64_t now_ms);
  Status handle_response(const Command& c, int64_t now_ms);
  Status handle_on_status(const Command& c);
  Status handle_reconnect_request(const Command& c, const StatusInfo& info);
  void deliver_media(Message&& m);
  void deliver_aggregate(const Message& m);
  void play_ended(SessionEvent ev);
  void maybe_acknowledge();
  void push(SessionEvent ev);
  bool pop_event(SessionEvent* out);

  SessionConfig config_;
  Url url_;
  SessionState state_ = SessionState::kIdle;
  ClientHandshake handshake_;
  ChunkReader reader_;
  ChunkWriter writer_;
  Bytes out_;
  // Events not yet polled: [events_head_, size). Emptied (keeping its capacity) when all were polled,
  // so a steady stream of media events allocates nothing here.
  std::vector<SessionEvent> events_;
  size_t events_head_ = 0;
  std::map<double, std::string> pending_;  // transaction id -> command name
  double next_tx_ = 1;
  uint32_t stream_id_ = 0;
  bool publish_sent_ = false;
  bool play_ended_ = false;
  bool reconnect_requested_ = false;
  uint32_t sent_window_ack_size_ = 0;
  uint64_t last_ack_at_ = 0;
  uint32_t last_peer_ack_ = 0;
  int64_t deadline_ms_ = -1;
  int64_t last_receive_ms_ = 0;
  Status error_;
  SessionStats stats_;
};

}  // namespace lw::rtmp
