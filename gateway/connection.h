// One WebSocket stream: the Asio driver of a Bridge. It owns the client WebSocket and the upstream
// TCP socket, moves bytes between them and the Bridge, keeps the Bridge's timer, and reports to the
// Server's metrics and log. No policy lives here (bridge.h decides); every handler runs on the
// io_context that accepted the connection, which one thread runs, so the Bridge needs no lock.
//
// Life: accept the upgrade -> refuse (close code + reason) or open: resolve and connect upstream,
// read both sides -> the Bridge asks to close -> queued status text goes out, then the close frame
// (or a reset for a client that reads nothing), the upstream gets its last RTMP commands and is
// closed -> the object dies with its last handler.
#pragma once

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#if defined(__linux__)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

#include "bridge.h"
#include "log.h"
#include "scanned_stream.h"
#include "server.h"

namespace lw::gateway {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Request = http::request<http::empty_body>;

// Memory for the operations of one chain (the upstream reads, the client writes, ...), which has one
// operation outstanding at a time: Asio frees an operation's memory before it calls the handler, so
// the next operation of the chain finds the block free. The block grows to the largest operation the
// chain made and is kept for the connection's life: no allocation per operation in steady state
// (Asio's own per-thread cache holds one block, and a thread with a thousand connections in flight
// misses it about one operation in two). An allocation while the block is taken, which a composed
// operation may make, falls back to operator new. One thread runs a connection's handlers: no lock.
class HandlerSlot {
 public:
  HandlerSlot() = default;
  HandlerSlot(const HandlerSlot&) = delete;
  HandlerSlot& operator=(const HandlerSlot&) = delete;
  ~HandlerSlot() { ::operator delete(block_); }
  void* allocate(size_t n) {
    if (in_use_) return ::operator new(n);
    if (n > capacity_) {
      ::operator delete(block_);
      block_ = nullptr;
      capacity_ = 0;
      block_ = ::operator new(n);
      capacity_ = n;
    }
    in_use_ = true;
    return block_;
  }
  void deallocate(void* p) {
    if (p == block_) in_use_ = false;
    else ::operator delete(p);
  }

 private:
  void* block_ = nullptr;
  size_t capacity_ = 0;
  bool in_use_ = false;
};

template <class T>
class SlotAllocator {
 public:
  using value_type = T;
  explicit SlotAllocator(HandlerSlot* slot) noexcept : slot_(slot) {}
  template <class U>
  SlotAllocator(const SlotAllocator<U>& other) noexcept : slot_(other.slot_) {}
  T* allocate(size_t n) { return static_cast<T*>(slot_->allocate(sizeof(T) * n)); }
  void deallocate(T* p, size_t) { slot_->deallocate(p); }
  template <class U>
  bool operator==(const SlotAllocator<U>& o) const noexcept { return slot_ == o.slot_; }
  template <class U>
  bool operator!=(const SlotAllocator<U>& o) const noexcept { return slot_ != o.slot_; }

 private:
  template <class U>
  friend class SlotAllocator;
  HandlerSlot* slot_;
};

// A completion handler whose operations (Asio's, and Beast's composed ones) take their memory from a
// HandlerSlot (Asio's associated allocator). The handler keeps its connection, and so the slot, alive.
template <class Handler>
class SlotHandler {
 public:
  using allocator_type = SlotAllocator<void>;
  SlotHandler(HandlerSlot& slot, Handler h) : slot_(&slot), h_(std::move(h)) {}
  allocator_type get_allocator() const noexcept { return allocator_type(slot_); }
  template <class... Args>
  void operator()(Args&&... args) {
    h_(std::forward<Args>(args)...);
  }

 private:
  HandlerSlot* slot_;
  Handler h_;
};

template <class Handler>
SlotHandler<std::decay_t<Handler>> in_slot(HandlerSlot& slot, Handler&& h) {
  return SlotHandler<std::decay_t<Handler>>(slot, std::forward<Handler>(h));
}

template <class Stream>
class Connection : public StreamHandle, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(Server& server, Stream&& stream, std::string peer)
      : server_(server),
        ws_(std::move(stream)),
        up_(ws_.get_executor()),
        resolver_(ws_.get_executor()),
        timer_(ws_.get_executor()),
        peer_(std::move(peer)),
        address_(peer_.substr(0, peer_.rfind(':'))),
        id_(server.next_id()) {}

  ~Connection() override {
    if (have_slot_) server_.release_address(address_);
    if (bridge_) {
      server_.metrics().stream_closed(bridge_->endpoint());
      // A client that had much waiting leaves freed heap behind; give it back to the system.
      if (bridge_->stats().max_client_queued >= (256u << 10)) server_.trim_memory_soon();
    }
    server_.remove_stream(id_);
    server_.socket_closed();
  }

  void shutdown() override {
    net::post(ws_.get_executor(), [self = this->shared_from_this()] {
      if (!self->bridge_) return;
      self->bridge_->shutdown("the gateway is shutting down", self->server_.now_ms());
      self->pump();
    });
  }

  void start(Request req) {
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::milliseconds(server_.config().handshake_timeout_ms);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(http::field::server, "livewasm-gateway");
    }));
    ws_.auto_fragment(false);
    ws_.read_message_max(0);  // enforced by on_client_read(), with a readable close reason
    req_ = std::move(req);
    ws_.async_accept(req_, [self = this->shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

 private:
  int64_t now() const { return server_.now_ms(); }
  int64_t now_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - server_start_).count();
  }

  void on_accept(beast::error_code ec) {
    if (ec) {
      log_line(LogLevel::kDebug, "upgrade-failed").f("conn", id_).f("peer", peer_).f("error", ec.message());
      return;
    }
    beast::get_lowest_layer(ws_).expires_never();
    const Config& cfg = server_.config();
    if (!cfg.client_address_header.empty()) {
      auto forwarded = req_[cfg.client_address_header];
      std::string_view f(forwarded.data(), forwarded.size());
      f = f.substr(f.rfind(',') == std::string_view::npos ? 0 : f.rfind(',') + 1);
      while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
      while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
      if (!f.empty() && f.size() <= 64) address_ = std::string(f);
    }
    std::string_view target(req_.target().data(), req_.target().size());
    std::string_view origin(req_[http::field::origin].data(), req_[http::field::origin].size());
    if (server_.draining()) return refuse(protocol::CloseCode::kGoingAway, "the gateway is shutting down");
    if (server_.streams() >= cfg.max_connections) {
      return refuse(protocol::CloseCode::kTryAgainLater,
                    "the gateway is at its limit of " + std::to_string(cfg.max_connections) + " streams");
    }
    if (!cfg.origins.allows(origin, cfg.require_origin)) {
      return refuse(protocol::CloseCode::kOriginNotAllowed,
                    origin.empty() ? std::string("requests must carry an Origin")
                                   : "origin " + std::string(origin) + " is not allowed");
    }
    auto request = parse_stream_request(target);
    if (!request.ok()) return refuse(protocol::CloseCode::kBadRequest, request.status().reason());
    if (!cfg.upstreams.allows(request->url.host, request->url.port)) {
      return refuse(protocol::CloseCode::kUpstreamNotAllowed,
                    "upstream " + request->url.host + ":" + std::to_string(request->url.port) + " is not allowed");
    }
    if (!server_.acquire_address(address_)) {
      return refuse(protocol::CloseCode::kTooManyConnections,
                    "more than " + std::to_string(cfg.max_connections_per_ip) + " streams from " + address_);
    }
    have_slot_ = true;

    const int64_t t = now();
    bridge_.emplace(request->endpoint, request->rtmp_url, cfg.limits, (uint64_t(t) << 20) ^ id_, t);
    bridge_->set_upstream_allowlist(&cfg.upstreams);  // a ReconnectRequest's server passes the same check
    server_.metrics().stream_opened(request->endpoint);
    server_.add_stream(id_, this->weak_from_this());
    rbuf_.resize(request->endpoint == Endpoint::kPush ? 64 << 10 : 2 << 10);
    up_rbuf_.resize(request->endpoint == Endpoint::kPlay ? 32 << 10 : 4 << 10);
    log_line(LogLevel::kInfo, "open")
        .f("conn", id_).f("peer", peer_).f("endpoint", endpoint_name(request->endpoint))
        .f("url", request->rtmp_url).f("origin", origin).f("thread", io_thread());
    read_client();
    resolve(request->url.host, request->url.port);
    pump();
  }

  void refuse(protocol::CloseCode code, std::string reason) {
    log_line(LogLevel::kWarn, "refused")
        .f("conn", id_).f("peer", peer_).f("target", std::string_view(req_.target().data(), req_.target().size()))
        .f("code", int(code)).f("reason", reason);
    server_.metrics().close_sent(uint16_t(code));
    ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(uint16_t(code)), close_reason(reason)),
                    [self = this->shared_from_this()](beast::error_code) {});
  }

  // ---- upstream
  void resolve(const std::string& host, uint16_t port) {
    resolver_.async_resolve(host, std::to_string(port),
                            [self = this->shared_from_this(), gen = up_gen_](beast::error_code ec, tcp::resolver::results_type r) {
                              if (gen != self->up_gen_) return;
                              self->on_resolve(ec, std::move(r));
                            });
  }

  // E-RTMP ReconnectRequest: the Bridge leaves this server for another once all it had for the old one
  // (its polite end) was written. Handlers of the old socket see another generation and return.
  void maybe_switch_upstream() {
    if (!bridge_->upstream_switch() || writing_up_) return;
    const std::string from = bridge_->upstream_connected() ? "connected" : "connecting";
    UpstreamTarget t = bridge_->on_upstream_switching(now());
    ++up_gen_;
    beast::error_code ignored;
    resolver_.cancel();
    up_.shutdown(tcp::socket::shutdown_both, ignored);
    up_.close(ignored);
    up_closed_ = false;
    inq_ = false;
    log_line(LogLevel::kInfo, "reconnect").f("conn", id_).f("to", t.url).f("was", from);
    resolve(t.host, t.port);
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (bridge_->close_request()) return pump();
    if (ec) {
      bridge_->on_upstream_connect_failed(rtmp::Condition::kDnsFailed, ec.message(), now());
      return pump();
    }
    net::async_connect(up_, results, [self = this->shared_from_this(), gen = up_gen_](beast::error_code e, const tcp::endpoint&) {
      if (gen != self->up_gen_) return;
      self->on_connect(e);
    });
  }

  void on_connect(beast::error_code ec) {
    if (bridge_->close_request()) return pump();
    if (ec) {
      bridge_->on_upstream_connect_failed(rtmp::Condition::kTcpConnectFailed, ec.message(), now());
      return pump();
    }
    beast::error_code ignored;
    up_.set_option(tcp::no_delay(true), ignored);
    enable_upstream_times();
    bridge_->on_upstream_connected(now());
    read_upstream();
    pump();
  }

  // Upstream reads go through recvmsg() so each read brings the kernel's receive time of its bytes
  // (SO_TIMESTAMPNS) and how much is still queued (TCP_INQ): the latency histogram starts when media
  // reached the socket, not when the gateway got round to reading it (ArrivalClock), and a read that
  // left nothing queued waits for readiness instead of trying again for an EAGAIN.
  // LW_GATEWAY_PLAIN_READS=1 (bench/gateway/hotpath.mjs only): the previous read path, async_read_some
  // dated at read time, for measuring the two against each other.
  static bool plain_reads() {
    static const bool plain = std::getenv("LW_GATEWAY_PLAIN_READS") != nullptr;
    return plain;
  }

  void enable_upstream_times() {
#if defined(__linux__)
    const int on = 1;
    const int fd = up_.native_handle();
    (void)::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);  // without: the read's own time
    inq_ = ::setsockopt(fd, IPPROTO_TCP, TCP_INQ, &on, sizeof on) == 0;
#endif
  }

  void read_upstream() {
#if defined(__linux__)
    if (plain_reads()) {
      up_.async_read_some(net::buffer(up_rbuf_), in_slot(up_read_slot_, [self = this->shared_from_this(), gen = up_gen_](beast::error_code ec, size_t n) {
        if (gen != self->up_gen_) return;
        const int64_t t = self->now_us();
        self->on_upstream_read(ec, n, UpstreamRead{t, false, t});
        if (!ec && !self->up_closed_ && self->up_.is_open()) self->read_upstream();
      }));
      return;
    }
    up_.async_wait(tcp::socket::wait_read, in_slot(up_read_slot_, [self = this->shared_from_this(), gen = up_gen_](beast::error_code ec) {
      if (gen != self->up_gen_) return;
      self->on_upstream_readable(ec);
    }));
#else
    up_.async_read_some(net::buffer(up_rbuf_), [self = this->shared_from_this(), gen = up_gen_](beast::error_code ec, size_t n) {
      if (gen != self->up_gen_) return;
      self->on_upstream_read(ec, n, UpstreamRead{self->now_us(), false, self->now_us()});
    });
#endif
  }

#if defined(__linux__)
  void on_upstream_readable(beast::error_code ec) {
    if (ec) return on_upstream_read(ec, 0, {});
    // A few reads in a row while the kernel says more is queued, then back to the loop (fairness).
    for (int i = 0; i < 4; ++i) {
      if (up_closed_ || !up_.is_open()) return;
      iovec iov{up_rbuf_.data(), up_rbuf_.size()};
      alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(int)) + 32];
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      const ssize_t n = ::recvmsg(up_.native_handle(), &msg, MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return read_upstream();
        return on_upstream_read(beast::error_code(errno, boost::system::system_category()), 0, {});
      }
      if (n == 0) return on_upstream_read(net::error::eof, 0, {});
      const int64_t read_us = now_us();
      UpstreamRead r{read_us, false, read_us};
      int inq = -1;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec rx{}, real{};
          std::memcpy(&rx, CMSG_DATA(c), sizeof rx);
          ::clock_gettime(CLOCK_REALTIME, &real);
          const int64_t age_us = (int64_t(real.tv_sec) - rx.tv_sec) * 1000000 + (real.tv_nsec - rx.tv_nsec) / 1000;
          if (age_us >= 0) r.rx_us = read_us - age_us;
        } else if (c->cmsg_level == IPPROTO_TCP && c->cmsg_type == TCP_CM_INQ) {
          std::memcpy(&inq, CMSG_DATA(c), sizeof inq);
        }
      }
      r.drained = inq == 0;
      const bool more = !inq_ || inq != 0;
      on_upstream_data(size_t(n), r);
      if (!more) break;
    }
    if (!up_closed_ && up_.is_open()) read_upstream();
  }
#endif

  void on_upstream_data(size_t n, const UpstreamRead& r) {
    bridge_->on_upstream_data(ByteSpan(up_rbuf_.data(), n), now(), r);
    pump();
  }

  void on_upstream_read(beast::error_code ec, size_t n, const UpstreamRead& r) {
    if (n > 0) on_upstream_data(n, r);
    if (ec) {
      if (!up_closed_) {
        bridge_->on_upstream_closed(ec == net::error::eof ? "the RTMP server closed the connection" : ec.message(),
                                    now());
      }
      return pump();
    }
#if !defined(__linux__)
    if (!up_closed_) read_upstream();
#endif
  }

  void write_upstream() {
    if (writing_up_ || up_closed_ || !up_.is_open()) return;
    ByteSpan span = bridge_->begin_upstream_write();
    if (span.empty()) return;
    writing_up_ = true;
    net::async_write(up_, net::buffer(span.data(), span.size()),
                     in_slot(up_write_slot_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->writing_up_ = false;
                       self->bridge_->end_upstream_write(self->now());
                       if (ec && !self->up_closed_) self->bridge_->on_upstream_closed(ec.message(), self->now());
                       self->pump();
                     }));
  }

  void close_upstream() {
    if (up_closed_) return;
    up_closed_ = true;
    beast::error_code ignored;
    resolver_.cancel();
    up_.shutdown(tcp::socket::shutdown_both, ignored);
    up_.close(ignored);
  }

  // ---- client
  void read_client() {
    if (reading_client_ || client_done_) return;
    reading_client_ = true;
    ws_.async_read_some(net::buffer(rbuf_), in_slot(client_read_slot_, [self = this->shared_from_this()](beast::error_code ec, size_t n) {
      self->on_client_read(ec, n);
    }));
  }

  void on_client_read(beast::error_code ec, size_t n) {
    reading_client_ = false;
    if (ec) {
      if (!client_done_) on_client_error(ec);
      return pump();
    }
    message_bytes_ += n;
    const size_t limit = server_.config().max_message_bytes;
    if (message_bytes_ > limit) {
      bridge_->fail_client(protocol::CloseCode::kMessageTooBig,
                           "message over the limit of " + std::to_string(limit) + " bytes", now());
      return pump();
    }
    if (ws_.got_text()) {
      bridge_->on_client_text(std::string_view(reinterpret_cast<const char*>(rbuf_.data()), n), now());
    } else if (n > 0) {
      bridge_->on_client_binary(ByteSpan(rbuf_.data(), n), now());
    }
    if (ws_.is_message_done()) {
      message_bytes_ = 0;
      bridge_->on_client_message_end(now());
    }
    pump();
  }

  // Why the client's side ended, with the code the gateway logs and counts: the client's own close
  // code (Beast echoed it), 1002 / 1007 for what Beast refused (it sent that code), 1002 for what the
  // FrameScanner refused (the close frame is written in pump()), 1006 for a lost connection.
  void on_client_error(beast::error_code ec) {
    using protocol::CloseCode;
    if (ec == frame_violation() && ws_.next_layer().scanner().failed()) {
      frame_violation_ = true;
      bridge_->fail_client(CloseCode::kProtocolError, "WebSocket protocol error: " + ws_.next_layer().scanner().reason(),
                           now());
      return;
    }
    client_done_ = true;
    if (ec == websocket::error::closed) {
      std::string said(ws_.reason().reason.c_str());
      uint16_t code = ws_.reason().code == websocket::close_code::none ? 1000 : uint16_t(ws_.reason().code);
      return bridge_->on_client_gone(CloseCode(code),
                                     "client closed (" + std::to_string(code) + (said.empty() ? "" : " " + said) + ")", now());
    }
    if (ec == websocket::error::bad_frame_payload) {
      return bridge_->on_client_gone(CloseCode::kInvalidPayload, "WebSocket protocol error: " + ec.message(), now());
    }
    if (ec == websocket::condition::protocol_violation) {
      return bridge_->on_client_gone(CloseCode::kProtocolError, "WebSocket protocol error: " + ec.message(), now());
    }
    bridge_->on_client_gone(CloseCode::kAbnormalClosure, "client connection lost: " + ec.message(), now());
  }

  // RFC 6455 5.5.1: a close frame the gateway writes itself, when Beast's stream failed.
  void write_raw_close() {
    const auto& close = *bridge_->close_request();
    auto frame = std::make_shared<std::vector<uint8_t>>();
    const std::string& reason = close.reason;
    frame->push_back(0x88);
    frame->push_back(uint8_t(2 + reason.size()));
    frame->push_back(uint8_t(uint16_t(close.code) >> 8));
    frame->push_back(uint8_t(uint16_t(close.code) & 0xff));
    frame->insert(frame->end(), reason.begin(), reason.end());
    net::async_write(ws_.next_layer().next_layer(), net::buffer(*frame),
                     [self = this->shared_from_this(), frame](beast::error_code, size_t) {
                       self->abort_client();
                       self->pump();
                     });
  }

  void write_client() {
    if (writing_client_ || client_done_ || closing_client_ || frame_violation_) return;
    ClientFrame f;
    if (!bridge_->next_client_frame(&f, now())) return;
    writing_client_ = true;
    ws_.binary(!f.text);
    // Latency sample: from when the frame's oldest media byte reached the upstream socket (the
    // Bridge's estimate from kernel receive times) to when the frame is handed to the client socket.
    const int64_t frame_oldest_us = f.oldest_rx_us;
    ws_.async_write(net::buffer(f.data.data(), f.data.size()),
                    in_slot(client_write_slot_, [self = this->shared_from_this(), frame_oldest_us, text = f.text](beast::error_code ec, size_t) {
                      self->writing_client_ = false;
                      if (!ec && !text && self->bridge_->endpoint() == Endpoint::kPlay && frame_oldest_us > 0) {
                        self->server_.metrics().play_latency(self->now_us() - frame_oldest_us);
                      }
                      self->bridge_->end_client_write(self->now());
                      if (ec && !self->client_done_ && !self->frame_violation_) {
                        self->client_done_ = true;
                        self->bridge_->on_client_gone(protocol::CloseCode::kAbnormalClosure,
                                                      "client connection lost: " + ec.message(), self->now());
                      }
                      self->pump();
                    }));
  }

  void abort_client() {
    client_done_ = true;
    auto& sock = beast::get_lowest_layer(ws_).socket();
    beast::error_code ignored;
    sock.set_option(net::socket_base::linger(true, 0), ignored);  // RST: nothing more can get through
    sock.close(ignored);
  }

  // ---- the loop: after every event, do what the Bridge now wants
  void pump() {
    if (!bridge_) return;
    report();
    const auto& close = bridge_->close_request();
    if (close && close->abort && !client_done_) abort_client();
    write_upstream();
    if (!close) maybe_switch_upstream();
    write_client();
    if (!close && !bridge_->client_read_paused()) read_client();

    if (close) {
      if (!close_logged_) {
        // Logged and counted once, when the gateway decides, with the code the client is sent (or,
        // when the client's side already ended, the code that ended it).
        close_logged_ = true;
        server_.metrics().close_sent(uint16_t(close->code));
        log_line(LogLevel::kInfo, "close")
            .f("conn", id_).f("peer", peer_).f("code", int(close->code)).f("reason", close->reason)
            .f("client_in", bridge_->stats().client_in).f("client_out", bridge_->stats().client_out)
            .f("upstream_in", bridge_->stats().upstream_in).f("upstream_out", bridge_->stats().upstream_out)
            .f("dropped_tags", bridge_->stats().dropped_tags);
      }
      if (!client_done_ && !closing_client_ && !writing_client_) {
        // Status text still queued went out first: write_client() above takes frames in order and
        // the close waits for the last one.
        closing_client_ = true;
        if (frame_violation_) {
          write_raw_close();
        } else {
          ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(uint16_t(close->code)), close->reason),
                          [self = this->shared_from_this()](beast::error_code) {
                            self->client_done_ = true;
                            self->pump();
                          });
        }
      }
      if (!writing_up_ && (bridge_->upstream_finished() || !bridge_->upstream_connected())) close_upstream();
      if (!finish_armed_) {
        // Whatever is still open gets the drain timeout to finish, then is cut.
        finish_armed_ = true;
        finish_deadline_ms_ = now() + std::max<int64_t>(server_.config().drain_timeout_ms, 1000);
      }
    }
    arm_timer();
  }

  // The Bridge's next deadline moves with every client write (the stall timeout) and, for a pusher,
  // every read (the idle timeout). Re-arming the timer each time costs a cancel, a handler and often
  // a timerfd_settime() per tag; instead a timer that fires no later than needed stays armed, and
  // when it fires early on_timer() ticks (harmless) and arms it for the deadline of the moment.
  void arm_timer() {
    int64_t deadline = bridge_->next_deadline_ms();
    if (finish_armed_ && !(client_done_ && up_closed_)) {
      deadline = deadline < 0 ? finish_deadline_ms_ : std::min(deadline, finish_deadline_ms_);
    }
    if (client_done_ && up_closed_) {
      // Nothing left to wait for: the pending wait would keep this object alive; let it go.
      if (armed_ms_ >= 0) {
        armed_ms_ = -1;
        timer_.cancel();
      }
      return;
    }
    if (deadline < 0 || (armed_ms_ >= 0 && armed_ms_ <= deadline)) return;
    armed_ms_ = deadline;
    timer_.expires_at(server_start_ + std::chrono::milliseconds(deadline));
    timer_.async_wait(in_slot(timer_slot_, [self = this->shared_from_this(), deadline](beast::error_code ec) {
      if (ec || self->armed_ms_ != deadline) return;
      self->armed_ms_ = -1;
      self->on_timer();
    }));
  }

  void on_timer() {
    const int64_t t = now();
    if (finish_armed_ && t >= finish_deadline_ms_) {
      if (!client_done_) abort_client();
      close_upstream();
      return;
    }
    bridge_->tick(t);
    pump();
  }

  // Log notes and add this stream's progress to the process metrics.
  void report() {
    for (BridgeNote& n : bridge_->take_notes()) {
      switch (n.kind) {
        case BridgeNote::Kind::kStatus:
          server_.metrics().status_sent(n.code);
          log_line(n.code >= 3000 ? LogLevel::kWarn : LogLevel::kInfo, "status")
              .f("conn", id_).f("code", n.code).f("message", n.message);
          break;
        case BridgeNote::Kind::kDropBegan:
          log_line(LogLevel::kInfo, "drop-began").f("conn", id_).f("message", n.message);
          break;
        case BridgeNote::Kind::kDropEnded:
          log_line(LogLevel::kInfo, "drop-ended").f("conn", id_).f("message", n.message);
          break;
        case BridgeNote::Kind::kWarning:
          log_line(LogLevel::kDebug, "flv-warning").f("conn", id_).f("message", n.message);
          break;
        case BridgeNote::Kind::kReconnect:
          log_line(LogLevel::kInfo, "reconnect-request").f("conn", id_).f("message", n.message);
          break;
      }
    }
    const BridgeStats& s = bridge_->stats();
    Metrics& m = server_.metrics();
    m.add_bytes(Metrics::kClientIn, s.client_in - reported_.client_in);
    m.add_bytes(Metrics::kClientOut, s.client_out - reported_.client_out);
    m.add_bytes(Metrics::kUpstreamIn, s.upstream_in - reported_.upstream_in);
    m.add_bytes(Metrics::kUpstreamOut, s.upstream_out - reported_.upstream_out);
    m.add_tags(s.tags_forwarded - reported_.tags_forwarded);
    if (s.reconnects != reported_.reconnects) m.add_reconnects(s.reconnects - reported_.reconnects);
    if (s.dropped_tags != reported_.dropped_tags) {
      m.add_drops(s.dropped_tags - reported_.dropped_tags, s.dropped_bytes - reported_.dropped_bytes,
                  s.drop_episodes - reported_.drop_episodes);
    }
    reported_ = s;
  }

  Server& server_;
  // Before the sockets and the timer: their pending operations are destroyed before these.
  HandlerSlot up_read_slot_, up_write_slot_, client_read_slot_, client_write_slot_, timer_slot_;
  websocket::stream<ScannedStream<Stream>> ws_;
  tcp::socket up_;
  tcp::resolver resolver_;
  net::steady_timer timer_;
  std::string peer_, address_;
  uint64_t id_;
  Request req_;
  std::optional<Bridge> bridge_;
  BridgeStats reported_;
  std::vector<uint8_t> rbuf_ = std::vector<uint8_t>(1024);
  std::vector<uint8_t> up_rbuf_;
  size_t message_bytes_ = 0;
  bool have_slot_ = false;
  bool reading_client_ = false, writing_client_ = false, closing_client_ = false, client_done_ = false;
  bool writing_up_ = false, up_closed_ = false;
  bool close_logged_ = false;
  bool frame_violation_ = false;  // the FrameScanner refused the client's bytes: raw close 1002
  bool finish_armed_ = false;
  int64_t finish_deadline_ms_ = 0;
  int64_t armed_ms_ = -1;
  bool inq_ = false;  // TCP_INQ took on the upstream socket
  uint64_t up_gen_ = 0;  // the upstream socket's generation (a ReconnectRequest switch makes a new one)
  std::chrono::steady_clock::time_point server_start_ = server_.start_time();
};

}  // namespace lw::gateway
