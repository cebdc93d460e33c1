// lw-gateway-load: opens N players of one live stream through a WebSocket relay and measures what the
// relay adds. Native and single-threaded (epoll), so one core of it outruns the relay it measures.
//
//   lw-gateway-load --target gateway    --ws 127.0.0.1:8090 --rtmp rtmp://127.0.0.1:1935/live/bench
//                   --players 500 --duration-s 10 [--warmup-s 2]
//   lw-gateway-load --target websockify --ws 127.0.0.1:6080 --rtmp rtmp://127.0.0.1:1935/live/bench ...
//   lw-gateway-load --target direct --rtmp rtmp://127.0.0.1:1935/live/bench --players 500 ...
//
// gateway:    GET /play?url=<rtmp url>, FLV bytes in binary frames (gateway/PROTOCOL.md), parsed with
//             the core's flv::Demuxer.
// websockify: raw RTMP in binary frames; each player is the core's rtmp::ClientSession over the socket.
// direct:     no relay: each player is a ClientSession on its own TCP connection to the RTMP server
//             (what the server's own fan-out costs, for the CPU-per-Mbit comparison).
// Reference:  one more player of the same stream straight from the RTMP server (ClientSession on TCP).
//
// Added latency of a video tag = (its arrival at a relayed player) - (its arrival at the reference),
// matched by timestamp, both read from this process's steady clock: gateway-in to client-out plus the
// relay's second RTMP hop, which is what a page sees. One JSON line on stdout at the end.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "flv/flv_demuxer.h"
#include "rtmp/rtmp_session.h"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using lw::as_span;
using lw::Bytes;
using lw::ByteSpan;
namespace flv = lw::flv;
namespace rtmp = lw::rtmp;
using Clock = std::chrono::steady_clock;

const Clock::time_point kStart = Clock::now();
int64_t now_us() { return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - kStart).count(); }

// Latency histogram: 50 us buckets up to 2 s, then one overflow bucket.
class Histogram {
 public:
  void add(int64_t us) {
    size_t b = us < 0 ? 0 : size_t(us / kBucketUs);
    ++buckets_[std::min(b, buckets_.size() - 1)];
    ++count_;
    max_us_ = std::max(max_us_, us);
  }
  double percentile_ms(double p) const {
    if (count_ == 0) return -1;
    uint64_t want = uint64_t(p * double(count_ - 1)) + 1, seen = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
      seen += buckets_[i];
      if (seen >= want) return double((i + 1) * kBucketUs) / 1000.0;  // bucket's upper edge
    }
    return double(max_us_) / 1000.0;
  }
  uint64_t count() const { return count_; }
  double max_ms() const { return double(max_us_) / 1000.0; }

 private:
  static constexpr int64_t kBucketUs = 50;
  std::vector<uint64_t> buckets_ = std::vector<uint64_t>(40001, 0);
  uint64_t count_ = 0;
  int64_t max_us_ = 0;
};

struct Options {
  std::string target = "gateway";
  std::string ws_host = "127.0.0.1";
  std::string ws_port = "8090";
  std::string rtmp;
  int players = 10;
  double duration_s = 10;
  double warmup_s = 2;
  int connect_rate = 200;  // new players per second
};

// Arrival times of video tags at the reference player, by timestamp; relayed copies that come
// first wait in `early_`.
class Matcher {
 public:
  void reference(uint32_t ts, int64_t t) {
    ref_[ts] = t;
    order_.push_back(ts);
    if (order_.size() > 4096) {
      ref_.erase(order_.front());
      order_.pop_front();
    }
    auto it = early_.find(ts);
    if (it != early_.end()) {
      for (int64_t at : it->second) record(at - t);
      early_.erase(it);
    }
  }
  void relayed(uint32_t ts, int64_t t) {
    if (!measuring) return;
    auto it = ref_.find(ts);
    if (it != ref_.end()) {
      record(t - it->second);
    } else if (early_.size() < 4096) {
      early_[ts].push_back(t);
    } else {
      ++unmatched;
    }
  }
  void record(int64_t us) {
    if (us < 0) ++negative;
    hist.add(std::max<int64_t>(us, 0));
  }
  Histogram hist;
  bool measuring = false;
  uint64_t negative = 0, unmatched = 0;

 private:
  std::unordered_map<uint32_t, int64_t> ref_;
  std::deque<uint32_t> order_;
  std::unordered_map<uint32_t, std::vector<int64_t>> early_;
};

struct Totals {
  uint64_t bytes = 0, tags = 0, video = 0, drops_reported = 0;
  int connected = 0, failed = 0, closed = 0;
  std::string first_error;
};

Totals g_totals;
Matcher g_matcher;

void fail(const std::string& what) {
  ++g_totals.failed;
  if (g_totals.first_error.empty()) g_totals.first_error = what;
}

bool is_video_frame(ByteSpan body) {
  // Not the sequence header (AVC packet type 0): those repeat with timestamp 0 at each join.
  return body.size() > 1 && !(body[0] == 0x17 && body[1] == 0x00);
}

// One relayed player.
class Player : public std::enable_shared_from_this<Player> {
 public:
  Player(net::io_context& ioc, const Options& o, const std::string& target_path)
      : ws_(net::make_strand(ioc)), o_(o), path_(target_path) {}

  void start(const tcp::resolver::results_type& endpoints) {
    beast::get_lowest_layer(ws_).async_connect(*endpoints.begin(), [self = shared_from_this()](beast::error_code ec) {
      if (ec) return fail("connect: " + ec.message());
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true), ignored);
      self->ws_.binary(true);
      self->ws_.async_handshake(self->o_.ws_host + ":" + self->o_.ws_port, self->path_,
                                [self](beast::error_code e) { self->on_handshake(e); });
    });
  }

 private:
  bool websockify() const { return o_.target == "websockify"; }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail("handshake: " + ec.message());
    ++g_totals.connected;
    if (websockify()) {
      rtmp::SessionConfig c;
      c.url = o_.rtmp;
      c.role = rtmp::Role::kPlay;
      c.random_seed = uint64_t(now_us());
      session_ = std::make_unique<rtmp::ClientSession>(c);
      (void)session_->start(now_us() / 1000);
      flush();
    }
    read();
  }

  void read() {
    ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, size_t n) { self->on_read(ec, n); });
  }

  void on_read(beast::error_code ec, size_t n) {
    if (ec) {
      ++g_totals.closed;
      if (g_totals.first_error.empty() && ec != websocket::error::closed) g_totals.first_error = "read: " + ec.message();
      return;
    }
    const int64_t t = now_us();
    auto data = buf_.data();
    ByteSpan span(static_cast<const uint8_t*>(data.data()), data.size());
    if (g_matcher.measuring) g_totals.bytes += span.size();
    if (!ws_.got_binary()) {
      if (std::string_view(reinterpret_cast<const char*>(span.data()), span.size()).find("\"drop\"") !=
          std::string_view::npos) {
        ++g_totals.drops_reported;
      }
    } else if (websockify()) {
      (void)session_->feed(span, t / 1000);
      while (auto ev = session_->poll_event()) {
        if (ev->kind == rtmp::SessionEventKind::kMedia) on_tag(ev->media.type, ev->media.timestamp, as_span(ev->media.body), t);
      }
      flush();
    } else {
      demux_.feed(span);
      flv::Event ev;
      while (demux_.next(&ev)) {
        if (ev.kind == flv::EventKind::kVideo || ev.kind == flv::EventKind::kAudio) {
          on_tag(uint8_t(ev.tag.type), ev.tag.timestamp_ms, ev.tag.body, t);
        }
      }
    }
    buf_.consume(buf_.size());
    read();
  }

  void on_tag(uint8_t type, uint32_t ts, ByteSpan body, int64_t t) {
    if (!g_matcher.measuring) return;
    ++g_totals.tags;
    if (type == 9 && is_video_frame(body)) {
      ++g_totals.video;
      g_matcher.relayed(ts, t);
    }
  }

  // websockify: the RTMP session's output (handshake, acks) goes out as binary frames, one at a time.
  void flush() {
    if (writing_ || !session_) return;
    Bytes more = session_->take_output();
    out_.insert(out_.end(), more.begin(), more.end());
    if (out_.empty()) return;
    writing_ = true;
    std::swap(out_, sending_);
    ws_.async_write(net::buffer(sending_), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->sending_.clear();
      if (!ec) self->flush();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  const Options& o_;
  std::string path_;
  beast::flat_buffer buf_;
  flv::Demuxer demux_;
  std::unique_ptr<rtmp::ClientSession> session_;
  Bytes out_, sending_;
  bool writing_ = false;
};

// One player straight from the RTMP server (--target direct).
class DirectPlayer : public std::enable_shared_from_this<DirectPlayer> {
 public:
  DirectPlayer(net::io_context& ioc, const Options& o) : sock_(ioc), o_(o) {}

  void start(const tcp::resolver::results_type& endpoints) {
    sock_.async_connect(*endpoints.begin(), [self = shared_from_this()](beast::error_code ec) {
      if (ec) return fail("connect: " + ec.message());
      beast::error_code ignored;
      self->sock_.set_option(tcp::no_delay(true), ignored);
      ++g_totals.connected;
      rtmp::SessionConfig c;
      c.url = self->o_.rtmp;
      c.role = rtmp::Role::kPlay;
      c.random_seed = uint64_t(now_us());
      self->session_ = std::make_unique<rtmp::ClientSession>(c);
      (void)self->session_->start(now_us() / 1000);
      self->flush();
      self->read();
    });
  }

 private:
  void read() {
    sock_.async_read_some(net::buffer(rbuf_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) {
        ++g_totals.closed;
        if (g_totals.first_error.empty()) g_totals.first_error = "read: " + ec.message();
        return;
      }
      const int64_t t = now_us();
      if (g_matcher.measuring) g_totals.bytes += n;
      (void)self->session_->feed(ByteSpan(self->rbuf_.data(), n), t / 1000);
      while (auto ev = self->session_->poll_event()) {
        if (ev->kind != rtmp::SessionEventKind::kMedia || !g_matcher.measuring) continue;
        ++g_totals.tags;
        if (ev->media.type == 9 && is_video_frame(as_span(ev->media.body))) {
          ++g_totals.video;
          g_matcher.relayed(ev->media.timestamp, t);
        }
      }
      self->flush();
      self->read();
    });
  }
  void flush() {
    if (writing_ || !session_) return;
    Bytes more = session_->take_output();
    out_.insert(out_.end(), more.begin(), more.end());
    if (out_.empty()) return;
    writing_ = true;
    std::swap(out_, sending_);
    net::async_write(sock_, net::buffer(sending_), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->sending_.clear();
      if (!ec) self->flush();
    });
  }

  tcp::socket sock_;
  const Options& o_;
  std::unique_ptr<rtmp::ClientSession> session_;
  std::vector<uint8_t> rbuf_ = std::vector<uint8_t>(32 << 10);
  Bytes out_, sending_;
  bool writing_ = false;
};

// The reference: the same stream straight from the RTMP server.
class Reference {
 public:
  Reference(net::io_context& ioc, const Options& o) : sock_(ioc), timer_(ioc), o_(o) {}

  void start() {
    auto url = rtmp::parse_url(o_.rtmp);
    if (!url.ok()) {
      std::fprintf(stderr, "bad --rtmp: %s\n", url.status().reason().c_str());
      std::exit(64);
    }
    rtmp::SessionConfig c;
    c.url = o_.rtmp;
    c.role = rtmp::Role::kPlay;
    c.random_seed = 1;
    session_ = std::make_unique<rtmp::ClientSession>(c);
    tcp::resolver r(sock_.get_executor());
    net::connect(sock_, r.resolve(url->host, std::to_string(url->port)));
    sock_.set_option(tcp::no_delay(true));
    (void)session_->start(now_us() / 1000);
    flush();
    read();
  }
  uint64_t video = 0;

 private:
  void read() {
    sock_.async_read_some(net::buffer(rbuf_), [this](beast::error_code ec, size_t n) {
      if (ec) {
        std::fprintf(stderr, "reference player: %s\n", ec.message().c_str());
        return;
      }
      const int64_t t = now_us();
      (void)session_->feed(ByteSpan(rbuf_.data(), n), t / 1000);
      while (auto ev = session_->poll_event()) {
        if (ev->kind == rtmp::SessionEventKind::kMedia && ev->media.type == 9 && is_video_frame(as_span(ev->media.body))) {
          ++video;
          g_matcher.reference(ev->media.timestamp, t);
        }
      }
      flush();
      read();
    });
  }
  void flush() {
    Bytes out = session_->take_output();
    if (!out.empty()) net::write(sock_, net::buffer(out));  // tiny (acks): a blocking write is fine
  }

  tcp::socket sock_;
  net::steady_timer timer_;
  const Options& o_;
  std::unique_ptr<rtmp::ClientSession> session_;
  std::vector<uint8_t> rbuf_ = std::vector<uint8_t>(64 << 10);
};

std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

int usage() {
  std::fprintf(stderr,
               "usage: lw-gateway-load --target gateway|websockify|direct [--ws HOST:PORT] --rtmp URL --players N\n"
               "                       [--duration-s S] [--warmup-s S] [--connect-rate N]\n");
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    std::string v = argv[++i];
    if (a == "--target") o.target = v;
    else if (a == "--ws") {
      size_t c = v.rfind(':');
      if (c == std::string::npos) return usage();
      o.ws_host = v.substr(0, c);
      o.ws_port = v.substr(c + 1);
    } else if (a == "--rtmp") o.rtmp = v;
    else if (a == "--players") o.players = std::atoi(v.c_str());
    else if (a == "--duration-s") o.duration_s = std::atof(v.c_str());
    else if (a == "--warmup-s") o.warmup_s = std::atof(v.c_str());
    else if (a == "--connect-rate") o.connect_rate = std::max(1, std::atoi(v.c_str()));
    else return usage();
  }
  if (o.rtmp.empty() || (o.target != "gateway" && o.target != "websockify" && o.target != "direct")) return usage();

  net::io_context ioc(1);
  Reference reference(ioc, o);
  reference.start();

  const std::string path = o.target == "gateway" ? "/play?url=" + url_encode(o.rtmp) : "/";
  tcp::resolver resolver(ioc);
  auto rtmp_url = rtmp::parse_url(o.rtmp);
  auto endpoints = o.target == "direct" ? resolver.resolve(rtmp_url->host, std::to_string(rtmp_url->port))
                                        : resolver.resolve(o.ws_host, o.ws_port);

  // Connect players at --connect-rate per second, then warm up, then measure.
  net::steady_timer ticker(ioc);
  int started = 0;
  const int per_tick = std::max(1, o.connect_rate / 20);
  std::function<void()> connect_more = [&] {
    for (int k = 0; k < per_tick && started < o.players; ++k, ++started) {
      if (o.target == "direct") std::make_shared<DirectPlayer>(ioc, o)->start(endpoints);
      else std::make_shared<Player>(ioc, o, path)->start(endpoints);
    }
    if (started < o.players) {
      ticker.expires_after(std::chrono::milliseconds(50));
      ticker.async_wait([&](beast::error_code) { connect_more(); });
    }
  };
  connect_more();

  const double ramp_s = double(o.players) / o.connect_rate;
  net::steady_timer phase(ioc);
  int64_t measure_start = 0, measure_end = 0;
  phase.expires_after(std::chrono::milliseconds(int64_t((ramp_s + o.warmup_s) * 1000)));
  phase.async_wait([&](beast::error_code) {
    g_matcher.measuring = true;
    measure_start = now_us();
    phase.expires_after(std::chrono::milliseconds(int64_t(o.duration_s * 1000)));
    phase.async_wait([&](beast::error_code) {
      g_matcher.measuring = false;
      measure_end = now_us();
      ioc.stop();
    });
  });
  ioc.run();

  const double secs = double(measure_end - measure_start) / 1e6;
  const Histogram& h = g_matcher.hist;
  std::printf(
      "{\"target\":\"%s\",\"players\":%d,\"connected\":%d,\"failed\":%d,\"closed\":%d,\"seconds\":%.2f,"
      "\"mbps\":%.2f,\"tags_per_s\":%.0f,\"video_per_player_per_s\":%.2f,\"reference_video\":%" PRIu64 ","
      "\"latency_samples\":%" PRIu64 ",\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,"
      "\"negative\":%" PRIu64 ",\"unmatched\":%" PRIu64 ",\"drops_reported\":%" PRIu64 ",\"first_error\":\"%s\"}\n",
      o.target.c_str(), o.players, g_totals.connected, g_totals.failed, g_totals.closed, secs,
      double(g_totals.bytes) * 8 / 1e6 / secs, double(g_totals.tags) / secs,
      double(g_totals.video) / secs / std::max(1, g_totals.connected), reference.video, h.count(),
      h.percentile_ms(0.50), h.percentile_ms(0.90), h.percentile_ms(0.99), h.max_ms(), g_matcher.negative,
      g_matcher.unmatched, g_totals.drops_reported, g_totals.first_error.c_str());
  return 0;
}
