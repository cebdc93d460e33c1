// lw-rtmp-tool: a thin native driver of rtmp::ClientSession over a plain POSIX socket, for the
// interop tests against nginx-rtmp. All protocol logic is in the session; this file only moves bytes,
// keeps time and reads/writes files.
//
//   lw-rtmp-tool publish <rtmp-url> <in.flv> [--realtime] [--tags-out tags.txt] [--timeout-ms N]
//   lw-rtmp-tool play <rtmp-url> <out.flv> [--duration-ms N] [--tags-out tags.txt] [--timeout-ms N]
//
// stdout: one JSON line per session event that carries a state code, then a final line
//   {"result":"ok","tags":N,...}   exit 0
//   {"result":"error","state_code":3004,"condition":"stream-refused","reason":"..."}   exit 2
// Usage errors exit 64, file errors 66. --tags-out writes one line per audio/video tag:
//   "<type> <timestamp> <size> <fnv1a-64 of the body>", e.g. "video 40 1443 9c1d...".
// play ends at --duration-ms, or when the server says the stream ended (2006).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "amf/amf0.h"
#include "base/byte_reader.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "rtmp/rtmp_session.h"

namespace {

using lw::Bytes;
using lw::ByteSpan;
namespace rtmp = lw::rtmp;
namespace flv = lw::flv;

int64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
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

uint64_t fnv1a(ByteSpan data) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : data) h = (h ^ b) * 0x100000001b3ull;
  return h;
}

struct Options {
  std::string mode, url, file, tags_out;
  bool realtime = false;
  int64_t duration_ms = -1;
  int64_t timeout_ms = 10000;
};

int usage() {
  std::fprintf(stderr,
               "usage: lw-rtmp-tool publish <rtmp-url> <in.flv> [--realtime] [--tags-out F] [--timeout-ms N]\n"
               "       lw-rtmp-tool play <rtmp-url> <out.flv> [--duration-ms N] [--tags-out F] [--timeout-ms N]\n");
  return 64;
}

int finish_error(rtmp::Role role, rtmp::Condition cond, int32_t code, const std::string& reason) {
  if (code == 0 && cond != rtmp::Condition::kNone) code = rtmp::state_code(role, cond);
  std::printf("{\"result\":\"error\",\"state_code\":%d,\"name\":\"%s\",\"condition\":\"%s\",\"reason\":\"%s\"}\n",
              code, std::string(rtmp::state_code_name(role, code)).c_str(),
              std::string(rtmp::condition_name(cond)).c_str(), json_escape(reason).c_str());
  std::fflush(stdout);
  return 2;
}

// DNS (3001) and TCP connect (3002) are the driver's to see; the table gives their codes.
int open_socket(const rtmp::Url& url, int64_t timeout_ms, rtmp::Condition* failure, std::string* why) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(url.port);
  int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) {
    *failure = rtmp::Condition::kDnsFailed;
    *why = std::string("getaddrinfo: ") + gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  *failure = rtmp::Condition::kTcpConnectFailed;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    if (errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      if (poll(&p, 1, int(timeout_ms)) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
          err == 0) {
        break;
      }
      *why = std::string("connect: ") + (err ? std::strerror(err) : "timed out");
    } else {
      *why = std::string("connect: ") + std::strerror(errno);
    }
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd >= 0) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

bool read_flv_tags(const std::string& path, std::vector<flv::Tag>* tags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  flv::Demuxer demux;
  demux.feed(lw::as_span(data));
  demux.finish();
  flv::Event ev;
  while (demux.next(&ev)) {
    if (ev.kind == flv::EventKind::kAudio || ev.kind == flv::EventKind::kVideo ||
        ev.kind == flv::EventKind::kScript) {
      tags->push_back(ev.tag.to_tag());  // the view dies with `data`
    } else if (ev.kind == flv::EventKind::kError) {
      std::fprintf(stderr, "flv: %s\n", ev.status.to_string().c_str());
    }
  }
  return true;
}

void tag_line(std::FILE* f, uint8_t type, uint32_t ts, ByteSpan body) {
  if (!f) return;
  if (type == 18) {
    // Script data as the core's AMF0 decoder reads it: "data 0 312 <hash> 'onMetaData' ecma{width: 640, ...}".
    std::string text;
    lw::ByteReader r(body);
    while (r.remaining() > 0) {
      lw::amf0::Value v;
      const lw::Status st = lw::amf0::decode(r, &v);
      if (!st.ok()) {
        text += " <" + st.to_string() + ">";
        break;
      }
      text += " " + lw::amf0::to_string(v);
    }
    for (char& c : text) if (c == '\n' || c == '\r') c = ' ';
    std::fprintf(f, "data %u %zu %016" PRIx64 "%s\n", ts, body.size(), fnv1a(body), text.c_str());
    return;
  }
  if (type != 8 && type != 9) return;
  std::fprintf(f, "%s %u %zu %016" PRIx64 "\n", type == 8 ? "audio" : "video", ts, body.size(),
               fnv1a(body));
}

class Driver {
 public:
  Driver(const Options& o, const rtmp::Url& url, rtmp::ClientSession& s) : o_(o), url_(url), s_(s) {}
  int run();

 private:
  bool flush_some();
  void publish_more(int64_t now);
  bool on_event(const rtmp::SessionEvent& ev, int64_t now);

  const Options& o_;
  const rtmp::Url& url_;
  rtmp::ClientSession& s_;
  int fd_ = -1;
  Bytes wbuf_;
  size_t woff_ = 0;
  std::vector<flv::Tag> tags_;
  size_t next_tag_ = 0;
  int64_t started_at_ = -1;
  bool done_ = false;
  int exit_code_ = 0;
  std::FILE* tags_out_ = nullptr;
  std::FILE* flv_out_ = nullptr;
  flv::Muxer mux_;
  uint64_t tags_done_ = 0;
};

bool Driver::flush_some() {
  Bytes more = s_.take_output();
  if (!more.empty()) {
    if (woff_ == wbuf_.size()) {
      wbuf_.clear();
      woff_ = 0;
    }
    wbuf_.insert(wbuf_.end(), more.begin(), more.end());
  }
  while (woff_ < wbuf_.size()) {
    ssize_t n = send(fd_, wbuf_.data() + woff_, wbuf_.size() - woff_, MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    woff_ += size_t(n);
  }
  return true;
}

void Driver::publish_more(int64_t now) {
  if (s_.state() != rtmp::SessionState::kPublishing) return;
  // Keep the socket buffer fed without queueing the whole file in memory.
  while (next_tag_ < tags_.size() && wbuf_.size() - woff_ + s_.pending_output() < (256u << 10)) {
    const flv::Tag& t = tags_[next_tag_];
    if (o_.realtime && now - started_at_ < int64_t(t.timestamp_ms - tags_[0].timestamp_ms)) break;
    lw::Status st = s_.send_media(uint8_t(t.type), t.timestamp_ms, lw::as_span(t.body));
    if (!st.ok()) std::fprintf(stderr, "send_media: %s\n", st.to_string().c_str());
    tag_line(tags_out_, uint8_t(t.type), t.timestamp_ms, lw::as_span(t.body));
    ++next_tag_;
    ++tags_done_;
  }
  if (next_tag_ == tags_.size() && wbuf_.size() == woff_ && s_.pending_output() == 0) {
    (void)s_.close(now);
  }
}

bool Driver::on_event(const rtmp::SessionEvent& ev, int64_t now) {
  using K = rtmp::SessionEventKind;
  if (ev.state_code != 0 && ev.kind != K::kError) {
    std::printf("{\"event\":\"%s\",\"state_code\":%d,\"name\":\"%s\",\"status\":\"%s\"}\n",
                std::string(rtmp::session_event_kind_name(ev.kind)).c_str(), ev.state_code,
                std::string(rtmp::state_code_name(s_.role(), ev.state_code)).c_str(),
                json_escape(ev.status.code).c_str());
    std::fflush(stdout);
  }
  switch (ev.kind) {
    case K::kStreamStarted:
      started_at_ = now;
      break;
    case K::kMedia: {
      const rtmp::Message& m = ev.media;
      tag_line(tags_out_, m.type, m.timestamp, lw::as_span(m.body));
      if (flv_out_) {
        Bytes out;
        if (mux_.write_tag(flv::TagType(m.type), m.timestamp, lw::as_span(m.body), out).ok()) {
          std::fwrite(out.data(), 1, out.size(), flv_out_);
        }
      }
      if (m.type == 8 || m.type == 9) ++tags_done_;
      break;
    }
    case K::kError:
      exit_code_ = finish_error(s_.role(), ev.condition, ev.state_code, ev.error.to_string());
      done_ = true;
      return false;
    case K::kClosed:
      done_ = true;
      break;
    default:
      break;
  }
  if (ev.condition == rtmp::Condition::kPlayEnded && ev.state_code != 0) (void)s_.close(now);
  return true;
}

int Driver::run() {
  rtmp::Condition failure;
  std::string why;
  fd_ = open_socket(url_, o_.timeout_ms, &failure, &why);
  if (fd_ < 0) return finish_error(s_.role(), failure, 0, why);

  if (o_.mode == "publish") {
    if (!read_flv_tags(o_.file, &tags_)) {
      std::fprintf(stderr, "cannot read %s\n", o_.file.c_str());
      return 66;
    }
  } else {
    flv_out_ = std::fopen(o_.file.c_str(), "wb");
    if (!flv_out_) return 66;
    Bytes header;
    mux_.write_header(true, true, header);
    std::fwrite(header.data(), 1, header.size(), flv_out_);
  }
  if (!o_.tags_out.empty()) tags_out_ = std::fopen(o_.tags_out.c_str(), "w");

  const int64_t t0 = now_ms();
  (void)s_.start(t0);
  std::vector<uint8_t> rbuf(64 << 10);
  while (!done_) {
    int64_t now = now_ms();
    while (auto ev = s_.poll_event()) {
      if (!on_event(*ev, now)) break;
    }
    if (done_ && exit_code_ != 0) break;
    if (o_.mode == "publish") publish_more(now);
    if (o_.mode == "play" && o_.duration_ms >= 0 && now - t0 >= o_.duration_ms &&
        s_.state() != rtmp::SessionState::kClosed) {
      (void)s_.close(now);
    }
    if (!flush_some()) {
      s_.on_transport_closed(now);
      continue;
    }
    if (done_ || s_.state() == rtmp::SessionState::kClosed) {
      while (auto ev = s_.poll_event()) on_event(*ev, now);
      flush_some();
      break;
    }
    int timeout = 20;
    int64_t deadline = s_.next_deadline_ms();
    if (deadline >= 0) timeout = int(std::max<int64_t>(0, std::min<int64_t>(timeout, deadline - now)));
    pollfd p{fd_, short(POLLIN | (woff_ < wbuf_.size() ? POLLOUT : 0)), 0};
    int rc = poll(&p, 1, timeout);
    now = now_ms();
    if (rc > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = recv(fd_, rbuf.data(), rbuf.size(), 0);
      if (n > 0) {
        (void)s_.feed(ByteSpan(rbuf.data(), size_t(n)), now);
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        s_.on_transport_closed(now);
      }
    }
    s_.tick(now);
  }
  ::close(fd_);
  if (tags_out_) std::fclose(tags_out_);
  if (flv_out_) std::fclose(flv_out_);
  if (exit_code_ != 0) return exit_code_;
  const rtmp::SessionStats& st = s_.stats();
  std::printf("{\"result\":\"ok\",\"tags\":%" PRIu64 ",\"bytes_sent\":%" PRIu64
              ",\"bytes_received\":%" PRIu64 ",\"bytes_acked_by_peer\":%" PRIu64
              ",\"acks_sent\":%" PRIu64 "}\n",
              tags_done_, st.bytes_sent, st.bytes_received, st.bytes_acked_by_peer, st.acks_sent);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  Options o;
  o.mode = argv[1];
  o.url = argv[2];
  o.file = argv[3];
  if (o.mode != "publish" && o.mode != "play") return usage();
  for (int i = 4; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](int64_t* out) {
      if (i + 1 >= argc) return false;
      *out = std::strtoll(argv[++i], nullptr, 10);
      return true;
    };
    if (a == "--realtime") {
      o.realtime = true;
    } else if (a == "--tags-out" && i + 1 < argc) {
      o.tags_out = argv[++i];
    } else if (a == "--duration-ms") {
      if (!value(&o.duration_ms)) return usage();
    } else if (a == "--timeout-ms") {
      if (!value(&o.timeout_ms)) return usage();
    } else {
      return usage();
    }
  }
  rtmp::SessionConfig cfg;
  cfg.url = o.url;
  cfg.role = o.mode == "publish" ? rtmp::Role::kPublish : rtmp::Role::kPlay;
  cfg.handshake_timeout_ms = cfg.connect_timeout_ms = cfg.stream_timeout_ms = o.timeout_ms;
  cfg.random_seed = uint64_t(now_ms()) ^ (uint64_t(getpid()) << 32);
  rtmp::ClientSession session(cfg);
  auto parsed = rtmp::parse_url(o.url);
  if (!parsed.ok()) return finish_error(cfg.role, rtmp::Condition::kNone, 0, parsed.status().to_string());
  Driver d(o, *parsed, session);
  return d.run();
}
