// lw-rtmp-reconnect-server: a small live RTMP relay made of the core (handshake bytes, ChunkReader,
// ChunkWriter, AMF0 commands), for tests of E-RTMP v2 ReconnectRequest (the browser test
// tests/browser/gateway_reconnect_request.test.mjs). Not a product: one thread, poll(), loopback.
//
//   lw-rtmp-reconnect-server PORT [PORT...]     listens on 127.0.0.1 on each port; one relay behind all
//
// A publisher (ffmpeg) publishes a stream; players (the gateway) play it by name (the query of the
// name is ignored), on any of the ports: they get the metadata and sequence headers, then media from
// the next key frame. connect's _result says capsEx: 1 (Reconnect).
// Commands on stdin, one per line:
//   reconnect [TCURL]        onStatus NetConnection.Connect.ReconnectRequest (with tcUrl when given) to
//                            every player connection; the old connections go on until the client leaves
//   reconnect-publishers [TCURL]   the same to every publisher connection
// Lines on stdout (the test reads them): "listening PORT", "connect ID port=P app=A tcUrl=T capsEx=N",
// "publish ID NAME port=P", "play ID NAME port=P", "first-video ID config|key|inter" (a publisher's
// first video message), "reconnect-sent ID", "gone ID".
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flv/flv_tag_header.h"
#include "rtmp/rtmp_chunk_reader.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp/rtmp_commands.h"
#include "rtmp/rtmp_handshake.h"
#include "rtmp/rtmp_message.h"
#include "rtmp/rtmp_reconnect.h"

namespace {

using namespace lw;
using namespace lw::rtmp;
using amf0::Value;

constexpr size_t kC0C1 = 1 + kHandshakeBlockSize;
constexpr size_t kMaxOut = 8 << 20;  // a player this far behind is dropped

std::string base_name(const std::string& s) { return s.substr(0, s.find('?')); }

struct Conn {
  int fd = -1;
  int id = 0;
  int port = 0;
  Bytes in, out;
  bool handshaken = false;
  bool c2_seen = false;
  ChunkReader reader;
  ChunkWriter writer;
  bool publisher = false;
  bool player = false;
  bool waiting_key = true;
  bool video_seen = false;
  std::string name;
  bool dead = false;
};

struct Relay {
  std::map<int, std::unique_ptr<Conn>> conns;
  std::optional<Bytes> meta, avc, aac;  // cached for new players
  std::string stream;

  void send(Conn& c, uint32_t csid, MessageType type, uint32_t ts, uint32_t sid, const Bytes& body) {
    (void)c.writer.write(csid, uint8_t(type), ts, sid, as_span(body), c.out);
    if (c.out.size() > kMaxOut) c.dead = true;
  }
  void command(Conn& c, const Command& cmd, uint32_t sid = 0) {
    send(c, sid ? kCsidStreamCommand : kCsidCommand, MessageType::kCommandAmf0, 0, sid, encode_command(cmd));
  }

  void on_command(Conn& c, const Command& cmd) {
    if (cmd.name == "connect") {
      double caps = cmd.object.number_or("capsEx", 0);
      std::printf("connect %d port=%d app=%s tcUrl=%s capsEx=%g\n", c.id, c.port, cmd.object.string_or("app", "").c_str(),
                  cmd.object.string_or("tcUrl", "").c_str(), caps);
      send(c, kCsidControl, MessageType::kWindowAckSize, 0, 0, u32_body(5'000'000));
      send(c, kCsidControl, MessageType::kSetPeerBandwidth, 0, 0, set_peer_bandwidth_body(5'000'000, 2));
      (void)c.writer.set_chunk_size(4096, c.out);
      command(c, result_command(cmd.transaction_id,
                                Value::Object({{"fmsVer", Value::String("FMS/3,0,1,123")},
                                               {"capabilities", Value::Number(31)},
                                               {"capsEx", Value::Number(kCapsExReconnect)}}),
                                {Value::Object({{"level", Value::String("status")},
                                                {"code", Value::String("NetConnection.Connect.Success")},
                                                {"description", Value::String("Connection succeeded.")},
                                                {"objectEncoding", Value::Number(0)}})}));
    } else if (cmd.name == "createStream") {
      command(c, result_command(cmd.transaction_id, Value::Null(), {Value::Number(1)}));
    } else if (cmd.name == "publish" && !cmd.args.empty() && cmd.args[0].is_string()) {
      c.publisher = true;
      c.name = base_name(cmd.args[0].string);
      stream = c.name;
      meta.reset(), avc.reset(), aac.reset();
      std::printf("publish %d %s port=%d\n", c.id, c.name.c_str(), c.port);
      command(c, on_status_command({"status", "NetStream.Publish.Start", "Start publishing"}), 1);
    } else if (cmd.name == "play" && !cmd.args.empty() && cmd.args[0].is_string()) {
      c.player = true;
      c.waiting_key = true;
      c.name = base_name(cmd.args[0].string);
      std::printf("play %d %s port=%d\n", c.id, c.name.c_str(), c.port);
      send(c, kCsidControl, MessageType::kUserControl, 0, 0, user_control_body({0, 1, 0}));  // StreamBegin 1
      command(c, on_status_command({"status", "NetStream.Play.Start", "Start live"}), 1);
      if (c.name == stream) {
        if (meta) send(c, kCsidData, MessageType::kDataAmf0, 0, 1, *meta);
        if (avc) send(c, kCsidVideo, MessageType::kVideo, 0, 1, *avc);
        if (aac) send(c, kCsidAudio, MessageType::kAudio, 0, 1, *aac);
      }
    }
    // releaseStream, FCPublish, FCUnpublish, deleteStream, ...: nothing to answer.
  }

  void on_media(Conn& from, const Message& m) {
    if (!from.publisher) return;
    Bytes body = m.body;
    bool config = false, key = false;
    if (m.type == uint8_t(MessageType::kDataAmf0)) {
      ByteSpan s = strip_set_data_frame(as_span(body));
      body.assign(s.begin(), s.end());
      if (data_message_name(as_span(body)) != "onMetaData") return;
      meta = body;
      config = true;
    } else if (m.type == uint8_t(MessageType::kVideo)) {
      auto h = flv::parse_video_tag_header(as_span(body));
      config = h.ok() && h->is_sequence_header();
      key = h.ok() && h->key_frame() && !config;
      if (config) avc = body;
      if (!from.video_seen) std::printf("first-video %d %s\n", from.id, config ? "config" : key ? "key" : "inter");
      from.video_seen = true;
    } else if (m.type == uint8_t(MessageType::kAudio)) {
      auto h = flv::parse_audio_tag_header(as_span(body));
      config = h.ok() && h->is_sequence_header();
      if (config) aac = body;
    } else {
      return;
    }
    const uint32_t csid = m.type == 8 ? kCsidAudio : m.type == 9 ? kCsidVideo : kCsidData;
    for (auto& [id, c] : conns) {
      if (!c->player || c->name != from.name || c->dead) continue;
      if (c->waiting_key && !config) {
        if (!key) continue;
        c->waiting_key = false;
      }
      send(*c, csid, MessageType(m.type), m.timestamp, 1, body);
    }
  }

  void on_bytes(Conn& c) {
    if (!c.handshaken) {
      if (c.in.size() < kC0C1) return;
      c.out.push_back(3);
      Bytes s1(kHandshakeBlockSize, 0);
      for (size_t i = 8; i < s1.size(); ++i) s1[i] = uint8_t(i * 31 + c.id);
      c.out.insert(c.out.end(), s1.begin(), s1.end());
      c.out.insert(c.out.end(), c.in.begin() + 1, c.in.begin() + kC0C1);  // S2 = C1
      c.in.erase(c.in.begin(), c.in.begin() + kC0C1);
      c.handshaken = true;
    }
    if (!c.c2_seen) {
      if (c.in.size() < kHandshakeBlockSize) return;
      c.in.erase(c.in.begin(), c.in.begin() + kHandshakeBlockSize);
      c.c2_seen = true;
    }
    ByteSpan data = as_span(c.in);
    while (!data.empty() && !c.dead) {
      auto used = c.reader.feed(data);
      if (!used.ok()) {
        std::printf("error %d %s\n", c.id, used.status().to_string().c_str());
        c.dead = true;
        break;
      }
      data = data.subspan(*used);
      Message m;
      while (c.reader.next(&m)) {
        if (m.type == uint8_t(MessageType::kCommandAmf0) || m.type == uint8_t(MessageType::kCommandAmf3)) {
          auto cmd = parse_command(as_span(m.body), m.type == uint8_t(MessageType::kCommandAmf3));
          if (cmd.ok()) on_command(c, *cmd);
        } else {
          on_media(c, m);
        }
      }
    }
    c.in.clear();
  }

  void reconnect_all(const std::string& tc_url, bool publishers) {
    for (auto& [id, c] : conns) {
      if ((publishers ? !c->publisher : !c->player) || c->dead) continue;
      std::vector<amf0::Property> props = {{"level", Value::String("status")},
                                           {"code", Value::String(std::string(kReconnectRequestCode))},
                                           {"description", Value::String("the test server asks for a reconnect")}};
      if (!tc_url.empty()) props.push_back({"tcUrl", Value::String(tc_url)});
      command(*c, Command{"onStatus", 0, Value::Null(), {Value::Object(std::move(props))}});
      std::printf("reconnect-sent %d\n", c->id);
    }
  }
};

int listen_on(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) {
    std::fprintf(stderr, "cannot listen on %d: %s\n", port, std::strerror(errno));
    std::exit(2);
  }
  ::fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [PORT...]\n", argv[0]);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::map<int, int> listeners;  // fd -> port
  for (int i = 1; i < argc; ++i) {
    int port = std::atoi(argv[i]);
    listeners[listen_on(port)] = port;
    std::printf("listening %d\n", port);
  }
  ::fcntl(0, F_SETFL, O_NONBLOCK);
  Relay relay;
  int next_id = 1;
  std::string stdin_line;
  bool stdin_open = true;
  for (;;) {
    std::vector<pollfd> fds;
    if (stdin_open) fds.push_back({0, POLLIN, 0});
    for (auto& [fd, port] : listeners) fds.push_back({fd, POLLIN, 0});
    for (auto& [fd, c] : relay.conns) fds.push_back({fd, short(POLLIN | (c->out.empty() ? 0 : POLLOUT)), 0});
    if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) return 1;
    for (const pollfd& p : fds) {
      if (!p.revents) continue;
      if (p.fd == 0) {
        char buf[512];
        ssize_t n = ::read(0, buf, sizeof buf);
        if (n <= 0) {
          if (n == 0) return 0;  // the test went away
          continue;
        }
        stdin_line.append(buf, size_t(n));
        for (size_t nl; (nl = stdin_line.find('\n')) != std::string::npos;) {
          std::string line = stdin_line.substr(0, nl);
          stdin_line.erase(0, nl + 1);
          if (line.rfind("reconnect-publishers", 0) == 0) {
            relay.reconnect_all(line.size() > 21 ? line.substr(21) : "", true);
          } else if (line.rfind("reconnect", 0) == 0) {
            relay.reconnect_all(line.size() > 10 ? line.substr(10) : "", false);
          }
        }
        continue;
      }
      if (auto l = listeners.find(p.fd); l != listeners.end()) {
        int fd = ::accept(p.fd, nullptr, nullptr);
        if (fd < 0) continue;
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        auto c = std::make_unique<Conn>();
        c->fd = fd;
        c->id = next_id++;
        c->port = l->second;
        relay.conns[fd] = std::move(c);
        continue;
      }
      auto it = relay.conns.find(p.fd);
      if (it == relay.conns.end()) continue;
      Conn& c = *it->second;
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        uint8_t buf[64 << 10];
        ssize_t n = ::read(c.fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) c.dead = true;
        if (n > 0) {
          c.in.insert(c.in.end(), buf, buf + n);
          relay.on_bytes(c);
        }
      }
      if ((p.revents & POLLOUT) && !c.out.empty()) {
        ssize_t n = ::write(c.fd, c.out.data(), c.out.size());
        if (n > 0) c.out.erase(c.out.begin(), c.out.begin() + n);
        else if (n < 0 && errno != EAGAIN && errno != EINTR) c.dead = true;
      }
    }
    // Try writing what the handlers queued without waiting a poll round.
    for (auto& [fd, c] : relay.conns) {
      if (c->out.empty() || c->dead) continue;
      ssize_t n = ::write(fd, c->out.data(), c->out.size());
      if (n > 0) c->out.erase(c->out.begin(), c->out.begin() + n);
    }
    for (auto it = relay.conns.begin(); it != relay.conns.end();) {
      if (it->second->dead) {
        std::printf("gone %d\n", it->second->id);
        ::close(it->first);
        it = relay.conns.erase(it);
      } else {
        ++it;
      }
    }
  }
}
