#include "server.h"

#include <malloc.h>
#include <sys/resource.h>

#include <fstream>

#include "connection.h"

namespace lw::gateway {
namespace {

std::string peer_of(const tcp::socket& s) {
  beast::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "unknown:0";
  auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) addr = net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6());
  std::string a = addr.to_string();
  return (addr.is_v6() ? "[" + a + "]" : a) + ":" + std::to_string(ep.port());
}

uint64_t resident_bytes() {
  std::ifstream f("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * 4096;
}

// The HTTP phase of one socket: (TLS handshake,) one request, then an upgrade or a plain answer.
template <class Stream>
class HttpSession : public HttpPhase, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Server& server, Stream&& stream, std::string peer)
      : server_(server), stream_(std::move(stream)), executor_(stream_.get_executor()), peer_(std::move(peer)) {
    parser_.emplace();
    parser_->header_limit(8 << 10);
    parser_->body_limit(0);
  }

  ~HttpSession() override { server_.leave_http(&in_http_phase_, slot_); }

  void evict() override {
    net::post(executor_, [self = this->shared_from_this()] {
      if (self->upgraded_) return;
      log_line(LogLevel::kDebug, "http-evicted").f("peer", self->peer_);
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  void run() {
    server_.enter_http(this->weak_from_this(), &in_http_phase_, &slot_);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(server_.config().handshake_timeout_ms));
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) {
          log_line(LogLevel::kDebug, "tls-failed").f("peer", self->peer_).f("error", ec.message());
          self->server_.metrics().refused_http();
          self->server_.socket_closed();
          return;
        }
        self->read();
      });
    } else {
      read();
    }
  }

 private:
  void read() {
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    server_.leave_http(&in_http_phase_, slot_);
    if (ec) {
      if (ec != http::error::end_of_stream) {
        log_line(LogLevel::kDebug, "http-failed").f("peer", peer_).f("error", ec.message());
        server_.metrics().refused_http();
      }
      server_.socket_closed();
      return;
    }
    Request req = parser_->release();
    std::string_view target(req.target().data(), req.target().size());
    Endpoint e = endpoint_of(target);
    if (websocket::is_upgrade(req) && (e == Endpoint::kPush || e == Endpoint::kPlay || e == Endpoint::kUnknown)) {
      // Unknown paths are upgraded too, so a page can read why (4400) instead of a bare 1006.
      upgraded_ = true;
      auto conn = std::make_shared<Connection<Stream>>(server_, std::move(stream_), peer_);
      conn->start(std::move(req));
      return;
    }
    http::response<http::string_body> res;
    res.version(req.version());
    res.set(http::field::server, "livewasm-gateway");
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(false);
    server_.metrics().http_request(e);
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res.result(http::status::method_not_allowed);
      res.body() = "only GET\n";
    } else if (e == Endpoint::kHealth) {
      bool draining = server_.draining();
      res.result(draining ? http::status::service_unavailable : http::status::ok);
      res.body() = draining ? "draining\n" : "ok\n";
    } else if (e == Endpoint::kMetrics) {
      res.result(http::status::ok);
      res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res.body() = server_.metrics().render(server_.uptime_seconds(), resident_bytes());
    } else if (e == Endpoint::kPush || e == Endpoint::kPlay) {
      res.result(http::status::bad_request);
      res.body() = "this endpoint needs a WebSocket upgrade (gateway/PROTOCOL.md)\n";
    } else {
      res.result(http::status::not_found);
      res.body() = "not found: the gateway serves /push, /play (WebSocket), /healthz and /metrics\n";
    }
    res.prepare_payload();
    res_ = std::make_shared<http::response<http::string_body>>(std::move(res));
    http::async_write(stream_, *res_, [self = this->shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
      self->server_.socket_closed();
    });
  }

  Server& server_;
  Stream stream_;
  net::any_io_executor executor_;
  std::string peer_;
  bool upgraded_ = false;
  bool in_http_phase_ = false;  // guarded by the server's lock
  Server::HttpSlot slot_{};
  beast::flat_buffer buffer_{8 << 10};
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
};

}  // namespace

namespace {
thread_local int g_io_thread = -1;
}  // namespace

int io_thread() { return g_io_thread; }
void set_io_thread(int index) { g_io_thread = index; }

Server::Server(std::vector<net::io_context*> contexts, Config config)
    : ioc_(*contexts.at(0)),
      config_(std::move(config)),
      trim_timer_(net::make_strand(*contexts.at(0))),
      started_(std::chrono::steady_clock::now()) {
  for (net::io_context* c : contexts) listeners_.push_back(std::make_unique<Listener>(*c));
}

Server::~Server() = default;

int64_t Server::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
}

double Server::uptime_seconds() const { return double(now_ms()) / 1000.0; }

Status Server::start() {
  if (!config_.tls_cert.empty()) {
    tls_.emplace(net::ssl::context::tls_server);
    tls_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                      net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                      net::ssl::context::single_dh_use);
    beast::error_code ec;
    tls_->use_certificate_chain_file(config_.tls_cert, ec);
    if (ec) return Status(ErrorCode::kInvalid, "--tls-cert " + config_.tls_cert + ": " + ec.message());
    tls_->use_private_key_file(config_.tls_key, net::ssl::context::pem, ec);
    if (ec) return Status(ErrorCode::kInvalid, "--tls-key " + config_.tls_key + ": " + ec.message());
  }
  if (Status st = fit_to_descriptors(); !st.ok()) return st;
  beast::error_code ec;
  auto address = net::ip::make_address(config_.listen_address, ec);
  if (ec) return Status(ErrorCode::kInvalid, "--listen: bad address '" + config_.listen_address + "'");
  tcp::endpoint ep(address, config_.listen_port);
  const bool reuse_port = listeners_.size() > 1;
  if (Status st = listen(*listeners_[0], ep, reuse_port); !st.ok()) return st;
  // The others on the port the first got (port 0 = any).
  ep.port(listeners_[0]->acceptor.local_endpoint().port());
  for (size_t i = 1; i < listeners_.size(); ++i) {
    if (Status st = listen(*listeners_[i], ep, reuse_port); !st.ok()) return st;
  }
  port_ = ep.port();
  log_line(LogLevel::kInfo, "listening")
      .f("address", config_.listen_address).f("port", int(port_)).f("tls", tls_.has_value())
      .f("allow_upstream", config_.upstreams.describe()).f("allow_origin", config_.origins.describe())
      .f("require_origin", config_.require_origin).f("threads", config_.threads)
      .f("max_connections", uint64_t(config_.max_connections)).f("max_http_sockets", uint64_t(http_phase_max_));
  for (auto& l : listeners_) do_accept(*l);
  return Status::Ok();
}

Status Server::listen(Listener& l, const tcp::endpoint& ep, bool reuse_port) {
  beast::error_code ec;
  l.acceptor.open(ep.protocol(), ec);
  if (!ec) l.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec && reuse_port) {
    l.acceptor.set_option(net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true), ec);
  }
  if (!ec) l.acceptor.bind(ep, ec);
  if (!ec) l.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(ErrorCode::kInvalid, "cannot listen on " + config_.listen_address + ":" +
                                           std::to_string(ep.port()) + ": " + ec.message());
  }
  return Status::Ok();
}

void Server::do_accept(Listener& l) {
  // The socket lives on the listener's io_context, which one thread runs: nothing of one stream can
  // overlap, so no strand (perf at 1000 players: strand mutexes were 7.5% of the gateway's samples).
  l.acceptor.async_accept(l.ioc.get_executor(), [this, &l](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !l.acceptor.is_open()) return;
    if (ec) return accept_failed(l, ec);
    // Sockets in any phase are bounded too (slow HTTP clients hold sockets until the handshake
    // timeout, and the oldest is closed when the HTTP phase is full); the headroom leaves room for
    // /healthz and for refusals to be explained.
    if (size_t(sockets_.load()) >= config_.max_connections + http_phase_max_) {
      metrics_.refused_http();
      beast::error_code ignored;
      socket.close(ignored);
      return do_accept(l);
    }
    socket_opened();
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::string peer = peer_of(socket);
    if (tls_) {
      std::make_shared<HttpSession<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls_), peer)
          ->run();
    } else {
      std::make_shared<HttpSession<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), peer)->run();
    }
    do_accept(l);
  });
}

void Server::trim_memory_soon() {
  trim_wanted_.store(true);
  if (trim_pending_.exchange(true)) return;
  net::post(trim_timer_.get_executor(), [this] { trim_after(std::chrono::milliseconds(200)); });
}

void Server::trim_after(std::chrono::milliseconds delay) {
  trim_timer_.expires_after(delay);
  trim_timer_.async_wait([this](beast::error_code ec) {
    if (ec) return;
    if (trim_wanted_.exchange(false)) {
      malloc_trim(0);
      return trim_after(std::chrono::seconds(1));  // the next trim no sooner than a second from now
    }
    trim_pending_.store(false);
    if (trim_wanted_.load() && !trim_pending_.exchange(true)) trim_after(std::chrono::milliseconds(200));
  });
}

Status Server::fit_to_descriptors() {
  // Raise the soft open-file limit to the hard one: the soft default (1024) is far below what a
  // gateway needs, and the hard limit is what the operator allowed.
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return Status::Ok();
  const rlim_t before = rl.rlim_cur;
  if (rl.rlim_cur != rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = rl.rlim_max;
    if (want.rlim_cur == RLIM_INFINITY) {
      std::ifstream f("/proc/sys/fs/nr_open");
      uint64_t nr_open = 0;
      want.rlim_cur = (f >> nr_open) && nr_open > 0 ? rlim_t(nr_open) : rlim_t(1) << 20;
    }
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
  }
  const uint64_t files = rl.rlim_cur == RLIM_INFINITY ? uint64_t(1) << 20 : uint64_t(rl.rlim_cur);
  // Descriptors the process holds besides sockets (stdio, epoll, eventfd, timerfd, the listener,
  // resolver threads' files), then two per stream (client + RTMP server) and one per socket still in
  // its HTTP phase.
  constexpr uint64_t kReserve = 64;
  if (files < kReserve + 8) {
    return Status(ErrorCode::kInvalid, "the open-file limit is " + std::to_string(files) + ": the gateway needs at least " +
                                           std::to_string(kReserve + 8) + " (ulimit -n, systemd LimitNOFILE)");
  }
  const uint64_t budget = files - kReserve;
  http_phase_max_ = size_t(std::min<uint64_t>(256, budget / 4));
  const uint64_t fit = (budget - http_phase_max_) / 2;
  if (config_.max_connections > fit) {
    log_line(LogLevel::kWarn, "max-connections-lowered")
        .f("from", uint64_t(config_.max_connections)).f("to", fit).f("open_files", files)
        .f("reason", "each stream holds two descriptors (client and RTMP server); raise the open-file limit "
                     "(ulimit -n, systemd LimitNOFILE) for more");
    config_.max_connections = size_t(fit);
  }
  if (before != rl.rlim_cur) {
    log_line(LogLevel::kInfo, "open-files-raised").f("from", uint64_t(before)).f("to", files);
  }
  return Status::Ok();
}

void Server::accept_failed(Listener& l, const boost::system::error_code& ec) {
  // Out of descriptors (or kernel memory): the pending connection stays in the backlog and accept()
  // would fail again at once, so pause instead of spinning, and log one line per 10 s.
  const bool exhausted = ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
                         ec == net::error::no_buffer_space || ec == net::error::no_memory;
  const int64_t t = now_ms();
  {
    std::lock_guard<std::mutex> lock(accept_log_mu_);
    if (accept_failed_logged_ms_ < 0 || t - accept_failed_logged_ms_ >= 10000) {
      log_line(LogLevel::kError, "accept-failed")
          .f("error", ec.message()).f("suppressed", accept_failures_unlogged_).f("pause_ms", exhausted ? 100 : 0)
          .f("sockets", uint64_t(sockets_.load()));
      accept_failed_logged_ms_ = t;
      accept_failures_unlogged_ = 0;
    } else {
      ++accept_failures_unlogged_;
    }
  }
  if (!exhausted) return do_accept(l);
  l.timer.expires_after(std::chrono::milliseconds(100));
  l.timer.async_wait([this, &l](beast::error_code e) {
    if (!e && l.acceptor.is_open()) do_accept(l);
  });
}

void Server::enter_http(std::weak_ptr<HttpPhase> s, bool* in_list, HttpSlot* slot) {
  std::shared_ptr<HttpPhase> victim;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (http_phase_.size() >= http_phase_max_ && !http_phase_.empty()) {
      victim = http_phase_.front().first.lock();
      *http_phase_.front().second = false;
      http_phase_.pop_front();
    }
    http_phase_.emplace_back(std::move(s), in_list);
    *in_list = true;
    *slot = std::prev(http_phase_.end());
  }
  if (victim) victim->evict();  // counted as refused when its read fails
}

void Server::leave_http(bool* in_list, HttpSlot slot) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!*in_list) return;
  http_phase_.erase(slot);
  *in_list = false;
}

bool Server::acquire_address(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t& n = per_address_[address];
  if (n >= config_.max_connections_per_ip) {
    if (n == 0) per_address_.erase(address);
    return false;
  }
  ++n;
  return true;
}

void Server::release_address(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

void Server::add_stream(uint64_t id, std::weak_ptr<StreamHandle> stream) {
  std::lock_guard<std::mutex> lock(mu_);
  streams_[id] = std::move(stream);
}

void Server::remove_stream(uint64_t id) {
  bool last = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    streams_.erase(id);
    last = streams_.empty() && draining_.load();
  }
  if (last) net::post(ioc_, [this] { check_drained(); });
}

void Server::drain(std::function<void()> done) {
  if (draining_.exchange(true)) return;
  metrics_.set_draining();
  // The listener stays open until the process exits: /healthz answers 503 so load balancers take the
  // instance out, and new streams are refused with 1001 and a reason instead of a bare refused connect.
  std::vector<std::shared_ptr<StreamHandle>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    drain_done_ = std::move(done);
    for (auto& [id, weak] : streams_) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  log_line(LogLevel::kInfo, "draining").f("streams", uint64_t(open.size()));
  for (auto& s : open) s->shutdown();
  open.clear();
  check_drained();
}

void Server::check_drained() {
  std::function<void()> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!streams_.empty() || !drain_done_) return;
    done = std::move(drain_done_);
    drain_done_ = nullptr;
  }
  done();
}

}  // namespace lw::gateway
