// lw-gateway-probe: a second native load generator for the WebSocket <-> RTMP relays (issue 4),
// written beside lw-gateway-load (bench/gateway_load.cc) to cross-check it; bench/gateway/probe.mjs
// drives it. What it adds: a direct-RTMP baseline target, the reference joining after the players
// (see below), a signed latency histogram, the relay's and nginx's CPU and memory sampled by this
// process at the exact window edges, the CPU of other work during the window, and --ramp.
// One thread, one io_context (epoll), so that one core of the generator drives thousands of players
// without being the bottleneck before the relay is.
//
//   lw-gateway-probe --target gateway    --ws 'ws://127.0.0.1:P/play?url=rtmp%3A%2F%2F...' --rtmp URL ...
//   lw-gateway-probe --target websockify --ws ws://127.0.0.1:P/ --rtmp URL ...
//   lw-gateway-probe --target rtmp       --rtmp URL ...     (baseline: N direct RTMP players, no relay)
//
// Players by target:
//   gateway     FLV over WebSocket (PROTOCOL.md /play): binary frames into flv::Demuxer; text frames
//               are the gateway's status / drop messages (counted).
//   websockify  raw RTMP bytes in binary WebSocket frames: the core's rtmp::ClientSession as player.
//   rtmp        the same ClientSession straight over TCP to the RTMP server (what nginx's fan-out and
//               this generator cost without any relay: subtract it from the other two).
// Always one more: a direct RTMP reference player to the RTMP server (--rtmp). It joins after the N
// players of each step are playing, so nginx-rtmp (which puts new subscribers at the head of its list)
// serves it first (--ref-join first: before them, served last).
//
// Added latency of a video tag = (steady-clock time its bytes arrived at a player) - (time the tag
// with the same timestamp arrived at the reference player); only H.264 NALU tags (not sequence
// headers) count. A player that is ahead of the reference gives a negative value (kept: the
// histogram is signed). Histogram, no per-tag storage: log-linear, about 1.5 % resolution.
//
// Steps: --players N, or --ramp 50,100,200 (players stay connected and more are added). Per step:
// open the players (at most --connect-concurrency in setup at once, --connect-rate per second), wait
// until every one has received video (or failed, or --setup-timeout-s), (re)start the reference, wait
// --warmup-s, then measure for --duration-s. During the window the CPU time (utime + stime, whole
// process tree) and memory (VmRSS, and PSS from smaps_rollup) of --relay-pid and --nginx-pid are
// sampled from /proc, and this process' own CPU. One JSON line per step on stdout; progress on stderr.
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "flv/flv_demuxer.h"
#include "rtmp/rtmp_session.h"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using lw::Bytes;
using lw::ByteSpan;
namespace rtmp = lw::rtmp;
namespace flv = lw::flv;

using Clock = std::chrono::steady_clock;
const Clock::time_point g_t0 = Clock::now();
int64_t now_us() { return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - g_t0).count(); }

void log(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void log(const char* fmt, ...) {
  std::fprintf(stderr, "[load %7.2fs] ", double(now_us()) / 1e6);
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(stderr, fmt, ap);
  va_end(ap);
  std::fputc('\n', stderr);
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Signed log-linear histogram of microseconds: 64 sub-buckets per power of two (HDR-like).

class Histogram {
 public:
  static constexpr int kSub = 64;
  static constexpr int kOctaves = 40;  // magnitudes up to 2^46 us
  Histogram() : pos_(size_t(kSub) * (kOctaves + 1)), neg_(size_t(kSub) * (kOctaves + 1)) {}

  void add(int64_t v) {
    ++count_;
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
    sum_ += double(v);
    if (v < 0) ++neg_[index(uint64_t(-v))];
    else ++pos_[index(uint64_t(v))];
  }
  uint64_t count() const { return count_; }
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return count_ ? max_ : 0; }
  double mean() const { return count_ ? sum_ / double(count_) : 0; }
  uint64_t negatives() const {
    uint64_t n = 0;
    for (uint64_t c : neg_) n += c;
    return n;
  }
  // Value at quantile q (0..1): the middle of the bucket holding it, clamped to [min, max].
  int64_t quantile(double q) const {
    if (count_ == 0) return 0;
    uint64_t rank = uint64_t(std::ceil(q * double(count_)));
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t i = neg_.size(); i-- > 0;) {
      seen += neg_[i];
      if (seen >= rank) return std::clamp<int64_t>(-middle(i), min_, max_);
    }
    for (size_t i = 0; i < pos_.size(); ++i) {
      seen += pos_[i];
      if (seen >= rank) return std::clamp<int64_t>(middle(i), min_, max_);
    }
    return max_;
  }

 private:
  static size_t index(uint64_t m) {
    if (m < uint64_t(kSub)) return size_t(m);
    int e = 63 - __builtin_clzll(m) - 5;  // m >> e in [64, 128)
    if (e > kOctaves) return size_t(kSub) * (kOctaves + 1) - 1;
    return size_t(kSub) * size_t(e) + size_t((m >> e) - kSub);
  }
  static int64_t middle(size_t i) {
    if (i < size_t(kSub)) return int64_t(i);
    size_t e = i / kSub;
    uint64_t lo = (uint64_t(kSub) + i % kSub) << e;
    return int64_t(lo + (uint64_t(1) << e) / 2);
  }
  std::vector<uint64_t> pos_, neg_;
  uint64_t count_ = 0;
  double sum_ = 0;
  int64_t min_ = INT64_MAX, max_ = INT64_MIN;
};

// ---------------------------------------------------------------------------------------------
// /proc sampling: CPU time and memory of a process and all its descendants.

struct ProcSample {
  double cpu_s = 0;  // utime + stime (+ cutime + cstime of the root: children it has reaped)
  uint64_t rss_kb = 0;
  uint64_t pss_kb = 0;
  int procs = 0;
};

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Fields of /proc/PID/stat after the ")" that ends comm: index 0 is field 3 (state).
bool stat_fields(int pid, std::vector<std::string>* f) {
  std::string s;
  if (!read_file("/proc/" + std::to_string(pid) + "/stat", &s)) return false;
  size_t rp = s.rfind(')');
  if (rp == std::string::npos || rp + 2 > s.size()) return false;
  std::istringstream in(s.substr(rp + 2));
  f->clear();
  std::string tok;
  while (in >> tok) f->push_back(tok);
  return f->size() > 20;
}

uint64_t status_kb(const std::string& path, const char* key) {
  std::string s;
  if (!read_file(path, &s)) return 0;
  size_t p = s.find(key);
  if (p == std::string::npos) return 0;
  return std::strtoull(s.c_str() + p + std::strlen(key), nullptr, 10);
}

std::vector<int> process_tree(int root) {
  std::unordered_map<int, std::vector<int>> children;
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      int pid = std::atoi(e->d_name);
      if (pid <= 0) continue;
      std::vector<std::string> f;
      if (stat_fields(pid, &f)) children[std::atoi(f[1].c_str())].push_back(pid);
    }
    closedir(d);
  }
  std::vector<int> out{root};
  for (size_t i = 0; i < out.size(); ++i) {
    auto it = children.find(out[i]);
    if (it != children.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

ProcSample sample_tree(int root, bool with_pss) {
  ProcSample s;
  if (root <= 0) return s;
  const double tick = double(sysconf(_SC_CLK_TCK));
  for (int pid : process_tree(root)) {
    std::vector<std::string> f;
    if (!stat_fields(pid, &f)) continue;
    double t = double(std::strtoull(f[11].c_str(), nullptr, 10) + std::strtoull(f[12].c_str(), nullptr, 10));
    if (pid == root) t += double(std::strtoull(f[13].c_str(), nullptr, 10) + std::strtoull(f[14].c_str(), nullptr, 10));
    s.cpu_s += t / tick;
    s.rss_kb += status_kb("/proc/" + std::to_string(pid) + "/status", "VmRSS:");
    if (with_pss) s.pss_kb += status_kb("/proc/" + std::to_string(pid) + "/smaps_rollup", "Pss:");
    ++s.procs;
  }
  return s;
}

double self_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Whole machine, from /proc/stat: busy and total jiffies.
std::pair<uint64_t, uint64_t> machine_jiffies() {
  std::string s;
  if (!read_file("/proc/stat", &s)) return {0, 0};
  std::istringstream in(s);
  std::string cpu;
  in >> cpu;
  uint64_t v[10] = {};
  for (auto& x : v) in >> x;
  uint64_t total = 0;
  for (int i = 0; i < 8; ++i) total += v[i];  // guest time is already in user
  uint64_t idle = v[3] + v[4];
  return {total - idle, total};
}

// ---------------------------------------------------------------------------------------------
// The gateway's own histogram of gateway-in to client-out (lw_gateway_play_latency_seconds), read
// from /metrics before and after the window with a blocking HTTP/1.0 GET (outside the window).

std::vector<std::pair<double, uint64_t>> scrape_latency_buckets(const std::string& hostport) {
  std::vector<std::pair<double, uint64_t>> out;
  if (hostport.empty()) return out;
  size_t colon = hostport.rfind(':');
  try {
    net::io_context ioc;
    tcp::socket sock(ioc);
    tcp::resolver r(ioc);
    net::connect(sock, r.resolve(hostport.substr(0, colon), hostport.substr(colon + 1)));
    std::string req = "GET /metrics HTTP/1.0\r\nHost: " + hostport + "\r\n\r\n";
    net::write(sock, net::buffer(req));
    std::string body;
    beast::error_code ec;
    char buf[16384];
    for (;;) {
      size_t n = sock.read_some(net::buffer(buf), ec);
      body.append(buf, n);
      if (ec) break;
    }
    const std::string key = "lw_gateway_play_latency_seconds_bucket{le=\"";
    for (size_t p = body.find(key); p != std::string::npos; p = body.find(key, p + 1)) {
      size_t q = body.find('"', p + key.size());
      std::string le = body.substr(p + key.size(), q - p - key.size());
      double edge = le == "+Inf" ? INFINITY : std::atof(le.c_str()) * 1000;
      out.emplace_back(edge, std::strtoull(body.c_str() + q + 3, nullptr, 10));
    }
  } catch (const std::exception&) {
  }
  return out;
}

// Upper bucket edge (ms) at quantile q of the difference of two cumulative histograms; -1 if none.
double bucket_quantile(const std::vector<std::pair<double, uint64_t>>& a,
                       const std::vector<std::pair<double, uint64_t>>& b, double q, uint64_t* total) {
  *total = 0;
  if (a.size() != b.size() || b.empty()) return -1;
  *total = b.back().second - a.back().second;
  if (*total == 0) return -1;
  for (size_t i = 0; i < b.size(); ++i) {
    if (double(b[i].second - a[i].second) >= q * double(*total)) return b[i].first;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Options

enum class Target { kGateway, kWebsockify, kRtmp };

struct Options {
  Target target = Target::kGateway;
  std::string target_name = "gateway";
  std::string ws_url, rtmp_url, label;
  std::vector<int> steps;
  double duration_s = 10, warmup_s = 2, setup_timeout_s = 30;
  int connect_concurrency = 100;
  double connect_rate = 1000;
  int relay_pid = 0, nginx_pid = 0;
  std::string metrics;  // host:port of the gateway's /metrics
  bool ref_first = false;
  bool pss = true;
};

struct WsUrl {
  std::string host, port, target;
};

bool parse_ws_url(const std::string& url, WsUrl* out) {
  const std::string scheme = "ws://";
  if (url.compare(0, scheme.size(), scheme) != 0) return false;
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  out->target = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = hostport.rfind(':');
  if (colon == std::string::npos) {
    out->host = hostport;
    out->port = "80";
  } else {
    out->host = hostport.substr(0, colon);
    out->port = hostport.substr(colon + 1);
  }
  return !out->host.empty();
}

// ---------------------------------------------------------------------------------------------
// The reference player's arrival times, and the latency of every other player's video tags.

class RefTimes {
 public:
  explicit RefTimes(Histogram& hist) : hist_(&hist) {}
  void set_histogram(Histogram& hist) { hist_ = &hist; }

  void reset() {
    seen_.clear();
    early_.clear();
  }
  // The reference received video tag `ts` at `t`.
  void record(uint32_t ts, int64_t t) {
    if (!seen_.empty() && ts <= seen_.back().first) return;  // a repeat (restart)
    seen_.emplace_back(ts, t);
    if (seen_.size() > 4096) seen_.pop_front();
    while (!early_.empty() && early_.begin()->first <= ts) {
      auto it = early_.begin();
      if (it->first == ts) {
        for (int64_t at : it->second) hist_->add(at - t);
      } else {
        unmatched_ += it->second.size();  // the reference never got this one
      }
      early_.erase(it);
    }
  }
  // A player received video tag `ts` at `t` (inside the window).
  // Returns the latency when the reference has the tag already (INT64_MIN otherwise).
  int64_t match(uint32_t ts, int64_t t) {
    if (seen_.empty() || ts > seen_.back().first) {
      if (early_.size() < 100000) early_[ts].push_back(t);
      return INT64_MIN;
    }
    auto it = std::lower_bound(seen_.begin(), seen_.end(), ts,
                               [](const std::pair<uint32_t, int64_t>& a, uint32_t b) { return a.first < b; });
    if (it != seen_.end() && it->first == ts) {
      hist_->add(t - it->second);
      return t - it->second;
    }
    ++unmatched_;
    return INT64_MIN;
  }
  // Early arrivals the reference has not matched yet.
  uint64_t pending() const {
    uint64_t n = 0;
    for (auto& [ts, v] : early_) n += v.size();
    return n;
  }
  void drop_pending() { early_.clear(); }
  uint64_t take_unmatched() { return std::exchange(unmatched_, 0); }

 private:
  Histogram* hist_;
  std::deque<std::pair<uint32_t, int64_t>> seen_;
  std::map<uint32_t, std::vector<int64_t>> early_;
  uint64_t unmatched_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Players

class Bench;

enum class Kind { kWsFlv, kWsRtmp, kTcpRtmp };

class Player : public std::enable_shared_from_this<Player> {
 public:
  enum class State { kIdle, kSetup, kReady, kDone };

  Player(Bench& bench, Kind kind, bool reference);
  void start();
  void stop();

  State state() const { return state_; }
  bool reference() const { return reference_; }
  int64_t started_us() const { return started_us_; }
  int64_t ready_us() const { return ready_us_; }

  // Window counters.
  uint64_t win_bytes = 0, win_video = 0, win_audio = 0, win_drops = 0;
  int64_t win_lat_sum = 0, win_lat_n = 0;  // latencies known at arrival (not early ones)
  void reset_window() { win_bytes = win_video = win_audio = win_drops = 0; win_lat_sum = win_lat_n = 0; }

 private:
  void fail(const std::string& why);
  void on_connect(beast::error_code ec);
  void read();
  void on_read(beast::error_code ec, size_t n);
  void on_bytes(ByteSpan data, int64_t t);
  void on_text(std::string_view text);
  void pump_session(int64_t t);
  void flush();
  void on_video(uint32_t ts, ByteSpan body, int64_t t);
  void on_audio();

  Bench& b_;
  Kind kind_;
  bool reference_;
  State state_ = State::kIdle;
  int64_t started_us_ = 0, ready_us_ = -1;
  std::optional<websocket::stream<tcp::socket>> ws_;
  std::optional<tcp::socket> tcp_;
  std::vector<uint8_t> rbuf_;
  std::string text_;
  std::optional<flv::Demuxer> demux_;
  std::optional<rtmp::ClientSession> session_;
  Bytes wpending_, wwriting_;
  bool writing_ = false;
};

class Bench {
 public:
  Bench(net::io_context& ioc, Options o) : ioc_(ioc), o_(std::move(o)), timer_(ioc), ref_(hist_) {}

  int run();

  net::io_context& ioc() { return ioc_; }
  const Options& opt() const { return o_; }
  const WsUrl& ws() const { return ws_; }
  const tcp::resolver::results_type& ws_endpoints() const { return ws_eps_; }
  const tcp::resolver::results_type& rtmp_endpoints() const { return rtmp_eps_; }
  bool measuring() const { return measuring_; }
  RefTimes& ref() { return ref_; }
  uint64_t next_seed() { return seed_ = seed_ * 6364136223846793005ull + 1442695040888963407ull; }

  void on_ready(Player& p) {
    if (!p.reference()) setup_hist_.add(p.ready_us() - p.started_us());
  }
  // Called before the player's state becomes kDone.
  void on_failed(Player& p, const std::string& why) {
    if (p.reference()) {
      log("reference player failed: %s", why.c_str());
      ref_failed_ = true;
      return;
    }
    if (p.state() == Player::State::kReady) {
      ++disconnected_;
      if (measuring_) ++win_disconnected_;
    } else {
      ++failed_;
    }
    auto& n = errors_[why.substr(0, 120)];
    if (n++ == 0) log("player failed: %s", why.c_str());
  }
  void on_drop_message() { ++drops_total_; }
  void on_warning() { ++warnings_; }

 private:
  enum class Phase { kOpening, kWaitReady, kWaitRef, kMeasuring, kDone };
  void arm();
  void tick();
  void start_step();
  void open_some();
  void begin_window();
  void end_window();

  net::io_context& ioc_;
  Options o_;
  net::steady_timer timer_;
  WsUrl ws_;
  tcp::resolver::results_type ws_eps_, rtmp_eps_;
  Histogram hist_, setup_hist_;
  RefTimes ref_;
  std::vector<std::shared_ptr<Player>> players_;
  std::shared_ptr<Player> reference_;
  bool ref_failed_ = false;
  size_t step_ = 0;
  Phase phase_ = Phase::kOpening;
  int64_t phase_since_us_ = 0, last_open_us_ = 0;
  double open_budget_ = 0;
  bool measuring_ = false;
  uint64_t failed_ = 0, disconnected_ = 0, win_disconnected_ = 0, drops_total_ = 0, warnings_ = 0;
  std::map<std::string, uint64_t> errors_;
  uint64_t seed_ = 0x9e3779b97f4a7c15ull;
  ProcSample relay_base_, relay0_, nginx0_;
  std::vector<std::pair<double, uint64_t>> inside0_;
  double self0_ = 0;
  std::pair<uint64_t, uint64_t> mach0_;
  int64_t win_start_us_ = 0;
  uint64_t drops0_ = 0;
  int exit_code_ = 0;
};

Player::Player(Bench& bench, Kind kind, bool reference)
    : b_(bench), kind_(kind), reference_(reference), rbuf_(64 << 10) {}

void Player::start() {
  state_ = State::kSetup;
  started_us_ = now_us();
  auto self = shared_from_this();
  if (kind_ == Kind::kTcpRtmp) {
    tcp_.emplace(b_.ioc());
    net::async_connect(*tcp_, b_.rtmp_endpoints(),
                       [self](beast::error_code ec, const tcp::endpoint&) { self->on_connect(ec); });
  } else {
    ws_.emplace(b_.ioc());
    net::async_connect(ws_->next_layer(), b_.ws_endpoints(),
                       [self](beast::error_code ec, const tcp::endpoint&) { self->on_connect(ec); });
  }
}

void Player::stop() {
  if (state_ == State::kDone) return;
  state_ = State::kDone;
  beast::error_code ignored;
  if (tcp_) tcp_->close(ignored);
  if (ws_) ws_->next_layer().close(ignored);
}

void Player::fail(const std::string& why) {
  if (state_ == State::kDone) return;
  b_.on_failed(*this, why);
  stop();
}

void Player::on_connect(beast::error_code ec) {
  if (state_ == State::kDone) return;
  if (ec) return fail("connect: " + ec.message());
  beast::error_code ignored;
  auto& sock = tcp_ ? *tcp_ : ws_->next_layer();
  sock.set_option(tcp::no_delay(true), ignored);

  if (kind_ != Kind::kWsFlv) {
    rtmp::SessionConfig cfg;
    cfg.url = b_.opt().rtmp_url;
    cfg.role = rtmp::Role::kPlay;
    cfg.random_seed = b_.next_seed();
    cfg.handshake_timeout_ms = cfg.connect_timeout_ms = cfg.stream_timeout_ms =
        int64_t(b_.opt().setup_timeout_s * 1000);
    session_.emplace(cfg);
  } else {
    flv::Demuxer::Options d;
    d.max_timestamp_jump_ms = 0xffffffffu;  // a looped publisher must not make warnings
    demux_.emplace(d);
  }

  if (kind_ == Kind::kTcpRtmp) {
    (void)session_->start(now_us() / 1000);
    read();
    flush();
    return;
  }
  websocket::stream_base::timeout t{};
  t.handshake_timeout = std::chrono::milliseconds(int64_t(b_.opt().setup_timeout_s * 1000));
  t.idle_timeout = websocket::stream_base::none();
  t.keep_alive_pings = false;
  ws_->set_option(t);
  ws_->read_message_max(64 << 20);
  ws_->auto_fragment(false);
  ws_->binary(true);
  auto self = shared_from_this();
  ws_->async_handshake(b_.ws().host + ":" + b_.ws().port, b_.ws().target, [self](beast::error_code e) {
    if (self->state_ == State::kDone) return;
    if (e) return self->fail("websocket handshake: " + e.message());
    if (self->session_) (void)self->session_->start(now_us() / 1000);
    self->read();
    self->flush();
  });
}

void Player::read() {
  auto self = shared_from_this();
  auto h = [self](beast::error_code ec, size_t n) { self->on_read(ec, n); };
  if (tcp_) tcp_->async_read_some(net::buffer(rbuf_), std::move(h));
  else ws_->async_read_some(net::buffer(rbuf_), std::move(h));
}

void Player::on_read(beast::error_code ec, size_t n) {
  if (state_ == State::kDone) return;
  const int64_t t = now_us();
  if (n > 0) {
    if (b_.measuring()) win_bytes += n;
    if (ws_ && ws_->got_text()) {
      text_.append(reinterpret_cast<const char*>(rbuf_.data()), n);
      if (ws_->is_message_done()) {
        on_text(text_);
        text_.clear();
      }
    } else {
      on_bytes(ByteSpan(rbuf_.data(), n), t);
    }
  }
  if (state_ == State::kDone) return;
  if (ec) {
    std::string why = ec.message();
    if (ws_ && ec == websocket::error::closed) {
      why = "closed by the relay (" + std::to_string(ws_->reason().code) + " " +
            std::string(ws_->reason().reason.c_str()) + ")";
    }
    return fail(std::string(state_ == State::kReady ? "lost: " : "setup: ") + why);
  }
  read();
}

void Player::on_text(std::string_view text) {
  // {"type":"status","code":2002,...} / {"type":"drop","audio":N,"video":N,...}
  if (text.find("\"drop\"") != std::string_view::npos) {
    b_.on_drop_message();
    if (b_.measuring()) ++win_drops;
    return;
  }
  size_t p = text.find("\"code\":");
  if (p != std::string_view::npos) {
    int code = std::atoi(std::string(text.substr(p + 7, 8)).c_str());
    if (code >= 3000) fail("status " + std::string(text.substr(0, 200)));
  }
}

void Player::on_bytes(ByteSpan data, int64_t t) {
  if (demux_) {
    demux_->feed(data);
    flv::Event ev;
    while (demux_->next(&ev)) {
      switch (ev.kind) {
        case flv::EventKind::kVideo: on_video(ev.tag.timestamp_ms, ev.tag.body, t); break;
        case flv::EventKind::kAudio: on_audio(); break;
        case flv::EventKind::kWarning:
        case flv::EventKind::kError: b_.on_warning(); break;
        default: break;
      }
      if (state_ == State::kDone) return;
    }
    return;
  }
  lw::Status st = session_->feed(data, t / 1000);
  pump_session(t);
  if (!st.ok() && state_ != State::kDone) fail("rtmp: " + st.to_string());
}

void Player::pump_session(int64_t t) {
  using K = rtmp::SessionEventKind;
  while (auto ev = session_->poll_event()) {
    if (ev->kind == K::kMedia) {
      if (ev->media.type == 9) on_video(ev->media.timestamp, lw::as_span(ev->media.body), t);
      else if (ev->media.type == 8) on_audio();
    } else if (ev->kind == K::kError) {
      return fail("rtmp " + std::to_string(ev->state_code) + ": " + ev->error.to_string());
    }
    if (state_ == State::kDone) return;
  }
  flush();
}

void Player::flush() {
  if (!session_ || state_ == State::kDone) return;
  if (session_->pending_output() > 0) {
    Bytes more = session_->take_output();
    wpending_.insert(wpending_.end(), more.begin(), more.end());
  }
  if (writing_ || wpending_.empty()) return;
  std::swap(wpending_, wwriting_);
  wpending_.clear();
  writing_ = true;
  auto self = shared_from_this();
  auto h = [self](beast::error_code ec, size_t) {
    self->writing_ = false;
    self->wwriting_.clear();
    if (self->state_ == State::kDone) return;
    if (ec) return self->fail("write: " + ec.message());
    self->flush();
  };
  if (tcp_) net::async_write(*tcp_, net::buffer(wwriting_), std::move(h));
  else ws_->async_write(net::buffer(wwriting_), std::move(h));
}

void Player::on_video(uint32_t ts, ByteSpan body, int64_t t) {
  if (b_.measuring()) ++win_video;
  const bool nalu = body.size() >= 2 && (body[0] & 0x0f) == 7 && body[1] == 1;
  if (!nalu) return;
  if (state_ == State::kSetup) {
    state_ = State::kReady;
    ready_us_ = t;
    b_.on_ready(*this);
  }
  if (reference_) b_.ref().record(ts, t);
  else if (b_.measuring()) {
    int64_t l = b_.ref().match(ts, t);
    if (l != INT64_MIN) win_lat_sum += l, ++win_lat_n;
  }
}

void Player::on_audio() {
  if (b_.measuring()) ++win_audio;
}

// ---------------------------------------------------------------------------------------------
// The steps

int Bench::run() {
  tcp::resolver resolver(ioc_);
  beast::error_code ec;
  if (o_.target != Target::kRtmp) {
    if (!parse_ws_url(o_.ws_url, &ws_)) {
      std::fprintf(stderr, "--ws: expected ws://host:port/path, got '%s'\n", o_.ws_url.c_str());
      return 64;
    }
    ws_eps_ = resolver.resolve(ws_.host, ws_.port, ec);
    if (ec) {
      std::fprintf(stderr, "--ws: cannot resolve %s: %s\n", ws_.host.c_str(), ec.message().c_str());
      return 64;
    }
  }
  auto url = rtmp::parse_url(o_.rtmp_url);
  if (!url.ok()) {
    std::fprintf(stderr, "--rtmp: %s\n", url.status().to_string().c_str());
    return 64;
  }
  rtmp_eps_ = resolver.resolve(url->host, std::to_string(url->port), ec);
  if (ec) {
    std::fprintf(stderr, "--rtmp: cannot resolve %s: %s\n", url->host.c_str(), ec.message().c_str());
    return 64;
  }
  relay_base_ = sample_tree(o_.relay_pid, o_.pss);
  log("target %s, %zu step(s), relay pid %d (%d procs, RSS %" PRIu64 " kB idle), nginx pid %d",
      o_.target_name.c_str(), o_.steps.size(), o_.relay_pid, relay_base_.procs, relay_base_.rss_kb, o_.nginx_pid);
  if (o_.ref_first) {
    reference_ = std::make_shared<Player>(*this, Kind::kTcpRtmp, true);
    reference_->start();
  }
  start_step();
  arm();
  ioc_.run();
  return exit_code_;
}

void Bench::arm() {
  timer_.expires_after(std::chrono::milliseconds(phase_ == Phase::kOpening ? 5 : 20));
  timer_.async_wait([this](beast::error_code) { tick(); });
}

void Bench::start_step() {
  phase_ = Phase::kOpening;
  phase_since_us_ = last_open_us_ = now_us();
  open_budget_ = 0;
  log("step %zu: %d players", step_ + 1, o_.steps[step_]);
}

void Bench::open_some() {
  const int64_t t = now_us();
  open_budget_ = std::min(open_budget_ + o_.connect_rate * double(t - last_open_us_) / 1e6, o_.connect_rate);
  last_open_us_ = t;
  int in_setup = 0;
  for (auto& p : players_) in_setup += p->state() == Player::State::kSetup;
  const Kind kind = o_.target == Target::kGateway      ? Kind::kWsFlv
                    : o_.target == Target::kWebsockify ? Kind::kWsRtmp
                                                       : Kind::kTcpRtmp;
  while (int(players_.size()) < o_.steps[step_] && in_setup < o_.connect_concurrency && open_budget_ >= 1) {
    players_.push_back(std::make_shared<Player>(*this, kind, false));
    players_.back()->start();
    ++in_setup;
    open_budget_ -= 1;
  }
}

void Bench::tick() {
  const int64_t t = now_us();
  const int64_t setup_limit = int64_t(o_.setup_timeout_s * 1e6);
  for (auto& p : players_) {
    if (p->state() == Player::State::kSetup && t - p->started_us() > setup_limit) {
      on_failed(*p, "setup timed out");
      p->stop();
    }
  }
  if (reference_ && reference_->state() == Player::State::kSetup && t - reference_->started_us() > setup_limit) {
    on_failed(*reference_, "setup timed out");
    reference_->stop();
  }
  if (ref_failed_) {
    log("the reference player failed: no latency can be measured; giving up");
    exit_code_ = 3;
    phase_ = Phase::kDone;
  }
  switch (phase_) {
    case Phase::kOpening:
      open_some();
      if (int(players_.size()) >= o_.steps[step_]) {
        phase_ = Phase::kWaitReady;
        phase_since_us_ = t;
      }
      break;
    case Phase::kWaitReady: {
      int setup = 0, ready = 0;
      for (auto& p : players_) {
        setup += p->state() == Player::State::kSetup;
        ready += p->state() == Player::State::kReady;
      }
      if (setup == 0) {
        log("step %zu: %d players ready, %" PRIu64 " failed so far (%.1f s since the last was opened)", step_ + 1,
            ready, failed_, double(t - phase_since_us_) / 1e6);
        if (!o_.ref_first) {
          if (reference_) reference_->stop();
          ref_.reset();
          reference_ = std::make_shared<Player>(*this, Kind::kTcpRtmp, true);
          reference_->start();
        }
        phase_ = Phase::kWaitRef;
        phase_since_us_ = t;
      }
      break;
    }
    case Phase::kWaitRef:
      if (reference_->state() == Player::State::kReady &&
          t - std::max(reference_->ready_us(), phase_since_us_) >= int64_t(o_.warmup_s * 1e6)) {
        begin_window();
      }
      break;
    case Phase::kMeasuring:
      if (t - win_start_us_ >= int64_t(o_.duration_s * 1e6)) end_window();
      break;
    case Phase::kDone:
      break;
  }
  if (phase_ == Phase::kDone) {
    for (auto& p : players_) p->stop();
    if (reference_) reference_->stop();
    ioc_.stop();
    return;
  }
  arm();
}

void Bench::begin_window() {
  for (auto& p : players_) p->reset_window();
  reference_->reset_window();
  hist_ = Histogram();
  (void)ref_.take_unmatched();
  ref_.drop_pending();
  win_disconnected_ = 0;
  drops0_ = drops_total_;
  inside0_ = scrape_latency_buckets(o_.metrics);
  relay0_ = sample_tree(o_.relay_pid, false);
  nginx0_ = sample_tree(o_.nginx_pid, false);
  self0_ = self_cpu_s();
  mach0_ = machine_jiffies();
  measuring_ = true;
  win_start_us_ = now_us();
  phase_ = Phase::kMeasuring;
}

void Bench::end_window() {
  measuring_ = false;
  const int64_t t = now_us();
  const double win_s = double(t - win_start_us_) / 1e6;
  ProcSample relay1 = sample_tree(o_.relay_pid, false);
  ProcSample nginx1 = sample_tree(o_.nginx_pid, false);
  const double self1 = self_cpu_s();
  auto mach1 = machine_jiffies();
  // Memory after the CPU figures (the PSS walk costs a little).
  ProcSample relay_mem = sample_tree(o_.relay_pid, o_.pss);
  ProcSample nginx_mem = sample_tree(o_.nginx_pid, o_.pss);
  const auto inside1 = scrape_latency_buckets(o_.metrics);
  uint64_t inside_n = 0;
  const double inside_p50 = bucket_quantile(inside0_, inside1, 0.5, &inside_n);
  const double inside_p99 = bucket_quantile(inside0_, inside1, 0.99, &inside_n);
  const uint64_t pending = ref_.pending();
  const uint64_t unmatched = ref_.take_unmatched() + pending;
  ref_.drop_pending();

  const int n = o_.steps[step_];
  uint64_t bytes = 0, video = 0, audio = 0, ready = 0, missing = 0, drops = 0, starved = 0;
  const uint64_t ref_video = reference_->win_video;
  for (auto& p : players_) {
    if (p->state() != Player::State::kReady) continue;
    ++ready;
    bytes += p->win_bytes;
    video += p->win_video;
    audio += p->win_audio;
    drops += p->win_drops;
    if (double(p->win_video) < 0.9 * double(ref_video)) ++missing;
    if (p->win_video == 0) ++starved;
  }
  const double relay_cpu = o_.relay_pid > 0 ? (relay1.cpu_s - relay0_.cpu_s) / win_s : 0;
  const double nginx_cpu = o_.nginx_pid > 0 ? (nginx1.cpu_s - nginx0_.cpu_s) / win_s : 0;
  const double self_cpu = (self1 - self0_) / win_s;
  const double machine_busy =
      mach1.second > mach0_.second ? double(mach1.first - mach0_.first) / double(mach1.second - mach0_.second) : 0;
  const double mbps = double(bytes) * 8 / win_s / 1e6;
  auto ms = [](int64_t us) { return double(us) / 1000.0; };
  const double rss_per_conn = ready ? (double(relay_mem.rss_kb) - double(relay_base_.rss_kb)) / double(ready) : 0;
  const double pss_per_conn =
      ready && o_.pss ? (double(relay_mem.pss_kb) - double(relay_base_.pss_kb)) / double(ready) : 0;

  if (getenv("LW_LOAD_PER_PLAYER")) {
    // Debug: mean added latency per player, in the order they connected, 10 players per line.
    std::string line;
    int k = 0;
    for (auto& p : players_) {
      char buf[32];
      std::snprintf(buf, sizeof buf, " %.2f", p->win_lat_n ? double(p->win_lat_sum) / double(p->win_lat_n) / 1000 : -1.0);
      line += buf;
      if (++k % 10 == 0) {
        log("per-player ms [%d..]:%s", k - 10, line.c_str());
        line.clear();
      }
    }
  }
  std::string errs;
  for (auto& [why, count] : errors_) {
    if (!errs.empty()) errs += ',';
    errs += "\"" + json_escape(why) + "\":" + std::to_string(count);
  }
  std::printf(
      "{\"target\":\"%s\",\"label\":\"%s\",\"players\":%d,\"ready\":%" PRIu64 ",\"failed\":%" PRIu64
      ",\"disconnected\":%" PRIu64 ",\"window_s\":%.3f,"
      "\"mbps\":%.2f,\"mbps_per_player\":%.3f,\"tags_per_s\":%.0f,\"video_tags_per_s\":%.0f,"
      "\"ref_video_tags\":%" PRIu64 ",\"players_missing_data\":%" PRIu64 ",\"players_starved\":%" PRIu64
      ",\"drop_messages\":%" PRIu64 ",\"flv_warnings\":%" PRIu64
      ",\"latency_ms\":{\"count\":%" PRIu64 ",\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,"
      "\"min\":%.3f,\"mean\":%.3f,\"negative\":%" PRIu64 ",\"unmatched\":%" PRIu64
      "},\"setup_ms\":{\"count\":%" PRIu64 ",\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
      "\"relay\":{\"pid\":%d,\"cpu\":%.4f,\"procs\":%d,\"rss_kb\":%" PRIu64 ",\"rss_idle_kb\":%" PRIu64
      ",\"pss_kb\":%" PRIu64 ",\"pss_idle_kb\":%" PRIu64 ",\"rss_growth_kb\":%" PRId64
      ",\"rss_per_conn_kb\":%.1f,\"pss_per_conn_kb\":%.1f},"
      "\"nginx\":{\"pid\":%d,\"cpu\":%.4f,\"rss_kb\":%" PRIu64 ",\"pss_kb\":%" PRIu64 "},"
      "\"loadgen\":{\"cpu\":%.4f},\"machine\":{\"busy\":%.4f,\"cores\":%ld,\"foreign_cpu\":%.3f},"
      "\"streams_per_core\":%.0f,\"mbps_per_core\":%.1f,"
      "\"gateway_inside_ms\":{\"frames\":%" PRIu64 ",\"p50_le\":%g,\"p99_le\":%g},\"errors\":{%s}}\n",
      o_.target_name.c_str(), json_escape(o_.label).c_str(), n, ready, failed_, disconnected_, win_s, mbps,
      ready ? mbps / double(ready) : 0, double(video + audio) / win_s, double(video) / win_s, ref_video, missing,
      starved, drops_total_ - drops0_, warnings_, hist_.count(), ms(hist_.quantile(0.5)), ms(hist_.quantile(0.9)),
      ms(hist_.quantile(0.99)), ms(hist_.quantile(0.999)), ms(hist_.max()), ms(hist_.min()), hist_.mean() / 1000,
      hist_.negatives(), unmatched, setup_hist_.count(), ms(setup_hist_.quantile(0.5)),
      ms(setup_hist_.quantile(0.99)), ms(setup_hist_.max()), o_.relay_pid, relay_cpu, relay_mem.procs,
      relay_mem.rss_kb, relay_base_.rss_kb, relay_mem.pss_kb, relay_base_.pss_kb,
      int64_t(relay_mem.rss_kb) - int64_t(relay0_.rss_kb), rss_per_conn, pss_per_conn, o_.nginx_pid, nginx_cpu,
      nginx_mem.rss_kb, nginx_mem.pss_kb, self_cpu, machine_busy, sysconf(_SC_NPROCESSORS_ONLN),
      // CPU used during the window by everything but the relay, nginx and this process (other work
      // on a shared machine; ffmpeg's -c copy publisher is about 0.5 % of a core).
      machine_busy * double(sysconf(_SC_NPROCESSORS_ONLN)) - relay_cpu - nginx_cpu - self_cpu,
      relay_cpu > 0 ? double(ready) / relay_cpu : 0, relay_cpu > 0 ? mbps / relay_cpu : 0, inside_n,
      std::isinf(inside_p50) ? 1e9 : inside_p50, std::isinf(inside_p99) ? 1e9 : inside_p99, errs.c_str());
  std::fflush(stdout);
  log("step %zu: %" PRIu64 "/%d ready, %.1f Mbit/s, added latency p50 %.2f ms p99 %.2f ms, relay %.0f%% CPU, "
      "nginx %.0f%%, loadgen %.0f%%, machine %.0f%%",
      step_ + 1, ready, n, mbps, ms(hist_.quantile(0.5)), ms(hist_.quantile(0.99)), relay_cpu * 100, nginx_cpu * 100,
      self_cpu * 100, machine_busy * 100);
  if (++step_ >= o_.steps.size()) {
    phase_ = Phase::kDone;
  } else {
    start_step();
  }
}

int usage() {
  std::fprintf(stderr,
               "usage: lw-gateway-probe --target gateway|websockify|rtmp [--ws ws://HOST:PORT/PATH] --rtmp URL\n"
               "         (--players N | --ramp N1,N2,...) [--duration-s S] [--warmup-s S] [--setup-timeout-s S]\n"
               "         [--connect-concurrency N] [--connect-rate N/s] [--relay-pid PID] [--nginx-pid PID]\n"
               "         [--ref-join first|last] [--metrics HOST:PORT] [--no-pss] [--label TEXT]\n");
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--no-pss") {
      o.pss = false;
      continue;
    }
    if (i + 1 >= argc) return usage();
    const char* v = argv[++i];
    if (a == "--target") {
      o.target_name = v;
      if (o.target_name == "gateway") o.target = Target::kGateway;
      else if (o.target_name == "websockify") o.target = Target::kWebsockify;
      else if (o.target_name == "rtmp") o.target = Target::kRtmp;
      else return usage();
    } else if (a == "--ws") {
      o.ws_url = v;
    } else if (a == "--rtmp") {
      o.rtmp_url = v;
    } else if (a == "--players") {
      o.steps = {std::atoi(v)};
    } else if (a == "--ramp") {
      o.steps.clear();
      std::string s = v;
      for (size_t p = 0; p <= s.size();) {
        size_t c = s.find(',', p);
        if (c == std::string::npos) c = s.size();
        if (c > p) o.steps.push_back(std::atoi(s.substr(p, c - p).c_str()));
        p = c + 1;
      }
    } else if (a == "--duration-s") {
      o.duration_s = std::atof(v);
    } else if (a == "--warmup-s") {
      o.warmup_s = std::atof(v);
    } else if (a == "--setup-timeout-s") {
      o.setup_timeout_s = std::atof(v);
    } else if (a == "--connect-concurrency") {
      o.connect_concurrency = std::max(1, std::atoi(v));
    } else if (a == "--connect-rate") {
      o.connect_rate = std::max(1.0, std::atof(v));
    } else if (a == "--relay-pid") {
      o.relay_pid = std::atoi(v);
    } else if (a == "--nginx-pid") {
      o.nginx_pid = std::atoi(v);
    } else if (a == "--ref-join") {
      o.ref_first = std::string(v) == "first";
    } else if (a == "--metrics") {
      o.metrics = v;
    } else if (a == "--label") {
      o.label = v;
    } else {
      return usage();
    }
  }
  if (o.steps.empty() || o.rtmp_url.empty() || (o.target != Target::kRtmp && o.ws_url.empty())) return usage();
  for (size_t i = 1; i < o.steps.size(); ++i) {
    if (o.steps[i] < o.steps[i - 1]) {
      std::fprintf(stderr, "--ramp: steps must not decrease\n");
      return 64;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  net::io_context ioc(1);
  Bench bench(ioc, std::move(o));
  return bench.run();
}
