// The gateway's network shell (Boost.Asio / Boost.Beast): accepts TCP (optionally TLS), reads one
// HTTP request, answers /healthz and /metrics, and upgrades /push and /play to a WebSocket stream
// (connection.h) that drives one Bridge. Process-wide state is only what limits and observability
// need: open stream counts per client address, the registry used to drain, and the metrics.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "gateway_config.h"
#include "metrics.h"

namespace lw::gateway {

// What the server needs from an open stream to drain it.
class StreamHandle {
 public:
  virtual ~StreamHandle() = default;
  virtual void shutdown() = 0;  // thread-safe: posts to the stream's strand
};

class Server {
 public:
  Server(boost::asio::io_context& ioc, Config config);
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

  void add_stream(uint64_t id, std::weak_ptr<StreamHandle> stream);
  void remove_stream(uint64_t id);

  boost::asio::ssl::context* tls() { return tls_ ? &*tls_ : nullptr; }

 private:
  void do_accept();
  void check_drained();

  boost::asio::io_context& ioc_;
  Config config_;
  Metrics metrics_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::optional<boost::asio::ssl::context> tls_;
  uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<uint64_t> next_id_{0};
  std::atomic<int64_t> sockets_{0};
  std::chrono::steady_clock::time_point started_;

  std::mutex mu_;  // guards the maps below and drain_done_
  std::map<std::string, size_t> per_address_;
  std::map<uint64_t, std::weak_ptr<StreamHandle>> streams_;
  std::function<void()> drain_done_;
};

}  // namespace lw::gateway
