// One gateway stream, sans-IO: a WebSocket client on one side, an RTMP server on the other, and the
// policy between them (PROTOCOL.md). The driver (connection.cc) owns both sockets and the clock and
// only moves bytes; everything a test wants to pin down (codes, close reasons, back-pressure, drops,
// acks) is decided here, with time passed in.
//
//   Bridge b(Endpoint::kPlay, "rtmp://127.0.0.1/live/a", limits, seed);
//   driver resolves + connects  -> b.on_upstream_connected(now)   (or on_upstream_connect_failed)
//   upstream bytes              -> b.on_upstream_data(bytes, now)
//   client frames               -> b.on_client_binary(bytes, now) / b.on_client_text(text, now)
//   to write: b.begin_upstream_write() / b.end_upstream_write(now);
//             b.next_client_frame(&frame, now) / b.end_client_write(now)
//   timers: b.tick(now) at b.next_deadline_ms(); stop when b.close_request() is set.
//
// push: client FLV -> flv::Demuxer -> rtmp::ClientSession::send_media. Tags that arrive before the
//   server accepted the publish are held (owned copies) and sent after 1002. Bytes for the server
//   wait in a double buffer; past max_buffered_bytes the driver stops reading the client
//   (client_read_paused), and `ack` frames report received/sent/queued/acked.
// play: ClientSession media -> flv::Muxer -> one growing binary frame for the client (coalesced while
//   a write is in flight). Past play_drop_bytes waiting for the client, audio/video tags are dropped
//   (never script tags or sequence headers) until a video key frame arrives with the queue below the
//   threshold; then a `drop` frame says what was lost.
// E-RTMP ReconnectRequest (README "Reconnect requests"): the Bridge checks the new server against the
//   allowlist and rtmp::ReconnectGate, tells the client (`reconnect` frame), ends the old session and
//   sets upstream_switch(); the driver then calls on_upstream_switching() and connects the new server.
//   play switches at once (a new FLV header for the client); push at the next key frame, holding tags
//   in `held_` and re-sending metadata and sequence headers to the new server.
#pragma once

#include <cstdint>
#include <deque>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allowlist.h"
#include "arrival_clock.h"
#include "base/bytes.h"
#include "control_message.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "gateway_protocol.h"
#include "request_target.h"
#include "rtmp/rtmp_reconnect.h"
#include "rtmp/rtmp_session.h"

namespace lw::gateway {

struct BridgeLimits {
  size_t max_buffered_bytes = 4 << 20;  // push: stop reading the client past this
  size_t push_slow_bytes = 256 << 10;   // push: an ack goes out at once when queued crosses this
  size_t play_drop_bytes = 1 << 20;     // play: drop to the next key frame past this
  size_t max_garbage_bytes = 64 << 10;  // push: resync skipping more than this is "not FLV"
  int64_t idle_timeout_ms = 20000;      // push: no bytes from the client for this long
  int64_t write_stall_timeout_ms = 10000;  // a client write that does not complete for this long
  int64_t ack_interval_ms = 250;
  int64_t upstream_timeout_ms = 5000;   // DNS + TCP connect, and each RTMP phase
  // Everything waiting for one client, whatever it is (media, sequence headers, text): past this the
  // client is closed with 4509. Media alone stops at play_drop_bytes; only tags that are never
  // dropped (sequence headers, script tags) or text can get here.
  size_t max_client_queue_bytes = 4 << 20;
  // Text frames waiting for the client (pong, ack, drop, status). A ping past this closes with 4509;
  // an ack or drop past it is skipped (a later one says the same, newer).
  size_t max_client_text_frames = protocol::kMaxQueuedControlMessages;
  size_t max_client_text_bytes = 64 << 10;
  // play: a frame that holds only audio tags waits for the next video tag (one write for both) unless
  // a text frame follows it or a read comes this long after its first tag; 0 = write at once. No
  // timer: a held frame also waits for the next upstream read (or close). Only once video was seen.
  int64_t coalesce_audio_ms = 0;
  // E-RTMP ReconnectRequest (README "Reconnect requests"): how many a connection follows per window,
  // and how long a pusher keeps sending to the old server waiting for a key frame.
  rtmp::ReconnectLimits reconnect;
};

// Where the driver connects next, when the Bridge switches servers (upstream_switch()).
struct UpstreamTarget {
  std::string host;
  uint16_t port = 0;
  std::string url;  // the full rtmp:// URL (logs: the gateway logs URLs, never their query)
};

struct CloseRequest {
  protocol::CloseCode code = protocol::CloseCode::kNormal;
  std::string reason;   // at most 123 bytes (RFC 6455 5.5: control frame payload <= 125)
  bool abort = false;   // reset the client's TCP connection: a close frame cannot get through
};

struct ClientFrame {
  bool text = false;
  ByteSpan data;  // valid until end_client_write()
  // play: when the oldest media byte in `data` reached the gateway's upstream socket (the driver's
  // µs clock, see ArrivalClock); 0: none or unknown. The latency histogram starts here.
  int64_t oldest_rx_us = 0;
};

// Something the driver logs and counts (metrics).
struct BridgeNote {
  enum class Kind : uint8_t { kStatus, kDropBegan, kDropEnded, kWarning, kReconnect } kind = Kind::kStatus;
  int32_t code = 0;       // kStatus: the docs/api.md code sent
  std::string message;
};

struct BridgeStats {
  uint64_t client_in = 0;      // WebSocket payload bytes from the client
  uint64_t client_out = 0;     // WebSocket payload bytes written to the client
  uint64_t upstream_in = 0;    // RTMP bytes from the server
  uint64_t upstream_out = 0;   // RTMP bytes written to the server
  uint64_t tags_forwarded = 0; // audio/video/script tags passed on, either way
  uint64_t dropped_tags = 0;   // play: tags dropped for a slow client
  uint64_t dropped_bytes = 0;
  uint64_t drop_episodes = 0;
  uint64_t max_client_queued = 0;  // the most bytes ever waiting for the client
  uint64_t reconnects = 0;         // ReconnectRequests followed (servers switched to)
  uint64_t reconnect_dropped_tags = 0;  // push: inter frames dropped waiting for a key frame after a switch
};

class Bridge {
 public:
  Bridge(Endpoint endpoint, const std::string& rtmp_url, const BridgeLimits& limits, uint64_t seed,
         int64_t now_ms);

  // --- the RTMP side (the driver resolves, connects and owns the socket)
  void on_upstream_connected(int64_t now_ms);
  // kDnsFailed (3001) or kTcpConnectFailed (3002), with the resolver's/socket's words.
  void on_upstream_connect_failed(rtmp::Condition condition, std::string_view why, int64_t now_ms);
  // `read`: when the bytes reached the socket (kernel time) and whether the read emptied it.
  void on_upstream_data(ByteSpan data, int64_t now_ms, const UpstreamRead& read = {});
  void on_upstream_closed(std::string_view why, int64_t now_ms);
  // Bytes to write to the server (empty: nothing to write now). Valid until end_upstream_write().
  ByteSpan begin_upstream_write();
  void end_upstream_write(int64_t now_ms);
  bool upstream_connected() const { return upstream_connected_; }
  // The session has nothing more to say and everything was written: the driver may close the socket.
  bool upstream_finished() const;
  // E-RTMP ReconnectRequest: the upstream checks a new server must pass (the same as the first one's;
  // without it only the same host:port is followed).
  void set_upstream_allowlist(const UpstreamAllowlist* allowlist) { allowlist_ = allowlist; }
  // Set when the Bridge wants the driver to leave the current server for another (or the same). The
  // driver waits until nothing is being written upstream, then calls on_upstream_switching(), closes
  // the old socket, resolves and connects the target, and reports on_upstream_connected() /
  // on_upstream_connect_failed() as for the first server.
  const std::optional<UpstreamTarget>& upstream_switch() const { return switch_; }
  UpstreamTarget on_upstream_switching(int64_t now_ms);

  // --- the WebSocket side
  void on_client_binary(ByteSpan data, int64_t now_ms);
  void on_client_message_end(int64_t now_ms);  // a text message is complete (text may span reads)
  void on_client_text(std::string_view part, int64_t now_ms);
  void on_client_closed(std::string_view why, int64_t now_ms);
  // The client's side ended with `code`: the code of its close frame (the gateway echoes it), 1002 or
  // 1007 for a protocol violation the WebSocket layer caught (and answered with that code), 1006 for a
  // connection that ended without a close frame.
  void on_client_gone(protocol::CloseCode code, std::string_view why, int64_t now_ms);
  // The next frame to write (text frames keep their place among binary data); false: none.
  bool next_client_frame(ClientFrame* out, int64_t now_ms);
  void end_client_write(int64_t now_ms);
  bool client_writing() const { return client_writing_; }
  size_t client_queued() const { return client_queued_; }
  // push: stop reading the client until the upstream queue drains.
  // No more client data wanted: past max_buffered_bytes (until half of it is sent), or closing (a close
  // request ignores what the client sends, while the server's goodbye, FCUnpublish / deleteStream, may
  // take the queue over the bound).
  bool client_read_paused() const { return paused_ || close_.has_value(); }

  // Drain (SIGTERM): end the stream politely, close 1001.
  void shutdown(std::string_view why, int64_t now_ms);
  // Closes with `code` (e.g. a size limit the driver enforces).
  void fail_client(protocol::CloseCode code, std::string_view reason, int64_t now_ms);

  void tick(int64_t now_ms);
  int64_t next_deadline_ms() const;

  const std::optional<CloseRequest>& close_request() const { return close_; }
  Endpoint endpoint() const { return endpoint_; }
  rtmp::Role role() const { return role_; }
  const BridgeStats& stats() const { return stats_; }
  size_t upstream_queued() const;
  std::vector<BridgeNote> take_notes() { return std::exchange(notes_, {}); }

 private:
  struct OutFrame {
    bool text = false;
    bool status = false;  // a status frame: goes out even after a close request
    Bytes data;
    int64_t oldest_rx_us = 0;  // see ClientFrame
    uint64_t seq = 0;          // binary frames: numbered as made (read_msgs_ refers to them)
    bool audio_only = true;    // binary frames: nothing but audio tags so far (coalesce_audio_ms)
    int64_t first_tag_ms = -1;
  };

  // A FIFO of frames over one vector: popping moves a head index and the vector is compacted (never
  // shrunk) when the popped prefix is as long as the rest, so queueing and writing frames in steady
  // state allocates nothing (std::deque allocates a block every few frames as it moves along).
  class FrameQueue {
   public:
    using iterator = std::vector<OutFrame>::iterator;
    bool empty() const { return head_ == v_.size(); }
    size_t size() const { return v_.size() - head_; }
    OutFrame& front() { return v_[head_]; }
    OutFrame& back() { return v_.back(); }
    iterator begin() { return v_.begin() + ptrdiff_t(head_); }
    iterator end() { return v_.end(); }
    auto rbegin() { return v_.rbegin(); }
    auto rend() { return std::make_reverse_iterator(begin()); }
    void push_back(OutFrame&& f) {
      if (head_ > 0 && head_ * 2 >= v_.size()) {
        v_.erase(v_.begin(), begin());
        head_ = 0;
      }
      v_.push_back(std::move(f));
    }
    void pop_front() {
      v_[head_++] = OutFrame();
      if (head_ == v_.size()) v_.clear(), head_ = 0;
    }
    iterator erase(iterator it) { return v_.erase(it); }

   private:
    std::vector<OutFrame> v_;
    size_t head_ = 0;
  };

  void pump_session(int64_t now_ms);
  void on_session_event(rtmp::SessionEvent& ev, int64_t now_ms);
  void send_status(int32_t code, std::string_view message);
  void request_close(protocol::CloseCode code, std::string_view reason, bool abort = false);
  enum class TextKind : uint8_t { kStatus, kReply, kReport };
  // false: not queued (a report skipped, or the client closed for a reply it did not read).
  bool queue_text(std::string text, TextKind kind);
  void note_queued();
  Bytes& binary_tail();
  void collect_upstream_output();
  void update_pause();
  void maybe_ack(int64_t now_ms, bool force);
  // push
  void on_flv_event(flv::Event& ev, int64_t now_ms);
  void forward_tag(const flv::TagView& tag, int64_t now_ms);
  // play
  void relay_media(const rtmp::Message& m);
  // ReconnectRequest
  void on_reconnect_request(const rtmp::SessionEvent& ev, int64_t now_ms);
  void switch_upstream(int64_t now_ms, bool need_key);
  void remember_config_tag(const flv::TagView& tag);
  void resend_config_tags();

  Endpoint endpoint_;
  rtmp::Role role_;
  BridgeLimits limits_;
  uint64_t seed_;
  rtmp::ClientSession session_;
  rtmp::SessionEvent event_;  // pump_session()'s: its media body goes back to the session for reuse
  std::string upstream_;  // "host:port" of the RTMP URL, for messages before the session parsed it
  std::optional<CloseRequest> close_;
  std::vector<BridgeNote> notes_;
  BridgeStats stats_;
  int32_t last_status_ = 0;
  int64_t now_ms_ = 0;  // the latest time passed in (for calls that take none)

  // ReconnectRequest
  const UpstreamAllowlist* allowlist_ = nullptr;
  rtmp::ReconnectGate reconnect_gate_;
  std::string reconnect_url_;          // where the pending request goes (allowed already)
  std::string reconnect_why_;          // the server's description
  std::optional<UpstreamTarget> switch_;  // the driver's to do
  bool switching_ = false;             // from the switch until the new server started the stream
  bool need_key_ = false;              // push: drop video until a key frame (switched without one)
  std::optional<flv::Tag> meta_tag_, audio_config_tag_, video_config_tag_;  // push: re-sent after a switch
  uint32_t last_pushed_ts_ = 0;

  // RTMP side
  bool upstream_connected_ = false;
  bool upstream_closed_ = false;
  int64_t connect_deadline_ms_;
  Bytes up_pending_, up_writing_;
  bool up_in_flight_ = false;

  // client side
  FrameQueue out_;
  std::vector<Bytes> spare_;   // emptied binary buffers kept for reuse (capacity)
  size_t client_queued_ = 0;
  size_t text_frames_ = 0, text_bytes_ = 0;  // of client_queued_: text frames waiting
  bool client_writing_ = false;
  int64_t client_write_started_ms_ = 0;
  bool client_closed_ = false;
  std::string text_in_;        // a text message being assembled
  bool text_too_big_ = false;

  // push
  flv::Demuxer demux_;
  std::deque<flv::Tag> held_;  // before Publish.Start
  size_t held_bytes_ = 0;
  uint64_t garbage_bytes_ = 0;
  bool paused_ = false;
  int64_t last_client_bytes_ms_;
  int64_t next_ack_ms_ = 0;
  AckInfo last_ack_;
  bool was_slow_ = false;

  // play
  flv::Muxer mux_;
  ArrivalClock arrival_;
  std::vector<ArrivingMessage> read_msgs_;  // media of the upstream read being handled
  std::vector<uint64_t> read_frames_;       // the frame each went into (0: dropped)
  uint64_t frame_seq_ = 0;
  bool dropping_ = false;
  bool seen_video_ = false;
  uint64_t drop_audio_ = 0, drop_video_ = 0, drop_bytes_ = 0;
};

// The reason as UTF-8 (stray bytes become U+FFFD, see valid_utf8), cut to what fits a close frame
// (123 bytes) on a character boundary.
std::string close_reason(std::string_view reason);

}  // namespace lw::gateway
