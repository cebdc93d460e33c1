// The gateway's network shell (Boost.Asio / Boost.Beast): accepts TCP (optionally TLS), reads one
// HTTP request, answers /healthz and /metrics, and upgrades /push and /play to a WebSocket stream
// (connection.h) that drives one Bridge. Process-wide state is only what limits and observability
// need: open stream counts per client address, the registry used to drain, and the metrics.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <vector>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway_config.h"
#include "metrics.h"

namespace lw::gateway {

// The I/O thread running the caller, 0-based (main numbers its threads; -1 elsewhere): in the `open`
// log line, so an operator sees the streams spread over the threads.
int io_thread();
void set_io_thread(int index);

// What the server needs from an open stream to drain it.
class StreamHandle {
 public:
  virtual ~StreamHandle() = default;
  virtual void shutdown() = 0;  // thread-safe: posts to the stream's strand
};

// A socket in its HTTP phase (TLS handshake, request not yet read): the oldest is closed when a new
// socket arrives and the phase is full, so idle sockets cannot keep /healthz or players out.
class HttpPhase {
 public:
  virtual ~HttpPhase() = default;
  virtual void evict() = 0;  // thread-safe: posts to the socket's executor
};

class Server {
 public:
  // One listening socket per io_context (SO_REUSEPORT when there are several, so the kernel spreads
  // new connections over them); each io_context is run by one thread, and a connection's handlers all
  // run on the io_context that accepted it, so no strand is needed.
  Server(std::vector<boost::asio::io_context*> contexts, Config config);
  Server(boost::asio::io_context& ioc, Config config) : Server(std::vector<boost::asio::io_context*>{&ioc}, std::move(config)) {}
  ~Server();

  // Binds and starts accepting; logs {"event":"listening", "port": N}. kInvalid on failure.
  Status start();
  // SIGTERM/SIGINT: stop accepting, end every stream (1001); `done` runs (on the io_context) when the
  // last stream is gone or after --drain-timeout-ms.
  void drain(std::function<void()> done);

  const Config& config() const { return config_; }
  Metrics& metrics() { return metrics_; }
  bool draining() const { return draining_.load(); }
  uint16_t port() const { return port_; }
  int64_t now_ms() const;
  std::chrono::steady_clock::time_point start_time() const { return started_; }
  uint64_t next_id() { return next_id_.fetch_add(1) + 1; }
  double uptime_seconds() const;

  // Per-address stream slots: false when the address is at --max-connections-per-ip.
  bool acquire_address(const std::string& address);
  void release_address(const std::string& address);
  // Open sockets in any phase, for --max-connections.
  void socket_opened() { sockets_.fetch_add(1); }
  void socket_closed() { sockets_.fetch_sub(1); }
  size_t streams() const { return size_t(metrics_.active_total()); }

  // The HTTP phase: enter when the socket is accepted, leave when its request was read (or it closed).
  using HttpSlot = std::list<std::pair<std::weak_ptr<HttpPhase>, bool*>>::iterator;
  void enter_http(std::weak_ptr<HttpPhase> s, bool* in_list, HttpSlot* slot);
  void leave_http(bool* in_list, HttpSlot slot);

  void add_stream(uint64_t id, std::weak_ptr<StreamHandle> stream);
  void remove_stream(uint64_t id);

  boost::asio::ssl::context* tls() { return tls_ ? &*tls_ : nullptr; }

  // glibc keeps freed heap; a connection that had much queued asks for malloc_trim, run at most
  // once a second (a timer), so a burst of such closes costs one trim.
  void trim_memory_soon();

 private:
  struct Listener {
    explicit Listener(boost::asio::io_context& c) : ioc(c), acceptor(c), timer(c) {}
    boost::asio::io_context& ioc;
    boost::asio::ip::tcp::acceptor acceptor;
    boost::asio::steady_timer timer;  // accept() paused for lack of descriptors
  };
  Status listen(Listener& l, const boost::asio::ip::tcp::endpoint& ep, bool reuse_port);
  void do_accept(Listener& l);
  void accept_failed(Listener& l, const boost::system::error_code& ec);
  // Fits --max-connections and the HTTP-phase bound to the open-file limit.
  Status fit_to_descriptors();
  void check_drained();
  void trim_after(std::chrono::milliseconds delay);

  boost::asio::io_context& ioc_;  // the first: timers, drain
  Config config_;
  Metrics metrics_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::optional<boost::asio::ssl::context> tls_;
  uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<bool> trim_pending_{false}, trim_wanted_{false};
  boost::asio::steady_timer trim_timer_;
  std::atomic<uint64_t> next_id_{0};
  std::atomic<int64_t> sockets_{0};
  std::chrono::steady_clock::time_point started_;

  std::mutex mu_;  // guards the maps below and drain_done_
  std::map<std::string, size_t> per_address_;
  std::map<uint64_t, std::weak_ptr<StreamHandle>> streams_;
  std::list<std::pair<std::weak_ptr<HttpPhase>, bool*>> http_phase_;  // oldest first
  size_t http_phase_max_ = 256;
  // accept() failing (EMFILE...): retry after a pause, one log line per period (over all listeners).
  std::mutex accept_log_mu_;
  int64_t accept_failed_logged_ms_ = -1;
  uint64_t accept_failures_unlogged_ = 0;
  std::function<void()> drain_done_;
};

}  // namespace lw::gateway
