// The Bridge's memory bounds under a fuzzer-chosen schedule (PROTOCOL.md "Back-pressure"). Unlike
// gateway_bridge_fuzz (raw bytes on every side), the harness here makes well-formed traffic from the
// input, so it knows what each message is and can check the bounds exactly:
// - play: the queue for the client never exceeds play_drop_bytes + the largest droppable tag, plus
//   what is never dropped (sequence headers, script tags) and text frames (statuses, pongs, drops);
//   audio/video of any body (garbage, empty, command frames) counts as droppable;
// - push: while the bridge does not pause reading, at most max_buffered_bytes wait for the server,
//   and one client read adds at most what it completes (its bytes plus the demuxer's partial tag,
//   with RTMP's header overhead);
// - a close request, once made, never changes, and its reason is UTF-8 of at most 123 bytes.
//
// Input: byte 0 flags (bit 0: play, else push; bit 1: the Publish.Start/Play.Start answer waits for an
// op, so push tags are held first), byte 1 limits (play_drop_bytes 1 KiB << (b & 7), max_buffered_bytes
// 4 KiB << (b >> 3 & 7)), then ops of two bytes (op, argument), some taking one more (a size).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "../unit/rtmp_nginx_bytes.h"
#include "bridge.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "json_writer.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp/rtmp_handshake.h"

namespace {

using namespace lw;
using namespace lw::gateway;

void fail(const char* what, uint64_t a = 0, uint64_t b = 0) {
  std::fprintf(stderr, "gateway_backpressure_fuzz: %s (%llu vs %llu)\n", what, (unsigned long long)a,
               (unsigned long long)b);
  std::abort();
}

Bytes unhex(std::string_view text) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  Bytes out;
  for (size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  return out;
}

bool is_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// An RTMP server that answers the handshake (S2 = C1) and otherwise only swallows bytes.
struct Server {
  Bytes receive(ByteSpan data) {
    constexpr size_t kC0C1 = 1 + rtmp::kHandshakeBlockSize;
    Bytes reply;
    size_t n = std::min(kC0C1 - std::min(kC0C1, seen), data.size());
    c0c1.insert(c0c1.end(), data.begin(), data.begin() + n);
    seen += data.size();
    if (!answered && c0c1.size() == kC0C1) {
      answered = true;
      reply.assign(1 + 2 * rtmp::kHandshakeBlockSize, 0);
      reply[0] = 3;
      std::copy(c0c1.begin() + 1, c0c1.end(), reply.begin() + 1 + rtmp::kHandshakeBlockSize);
    }
    return reply;
  }
  Bytes c0c1;
  size_t seen = 0;
  bool answered = false;
};

struct Run {
  Run(Endpoint e, const BridgeLimits& l)
      : limits(l), b(e, "rtmp://127.0.0.1/live/fuzz?k=v", l, 5, 0), shadow(demux_options(l)) {
    Bytes ignored;
    (void)server_writer.set_chunk_size(4096, ignored);  // what kNginxConnectReply announced
  }

  void flush_upstream() {
    for (ByteSpan s = b.begin_upstream_write(); !s.empty(); s = b.begin_upstream_write()) {
      Bytes reply = server.receive(s);
      b.end_upstream_write(now);
      if (!reply.empty()) b.on_upstream_data(as_span(reply), now);
    }
  }
  void from_server(const Bytes& bytes) {
    b.on_upstream_data(as_span(bytes), now);
    check();
  }
  void server_message(uint32_t csid, uint8_t type, uint32_t stream_id, const Bytes& body) {
    Bytes out;
    if (server_writer.write(csid, type, ts, stream_id, as_span(body), out).ok()) from_server(out);
  }

  void check() {
    const auto& close = b.close_request();
    if (close) {
      if (close->reason.size() > 123) fail("close reason over 123 bytes", close->reason.size(), 123);
      if (!is_utf8(close->reason)) fail("close reason is not UTF-8");
      if (!first_close) first_close = *close;
      if (close->code != first_close->code || close->reason != first_close->reason) fail("close request changed");
    }
    if (b.endpoint() == Endpoint::kPlay) {
      // Statuses and the deferred start's scripts (1 KiB covers them), pongs, drop reports.
      const uint64_t texts = 1024 + 160 * (pings + b.stats().drop_episodes);
      const uint64_t bound = limits.play_drop_bytes + largest_droppable + kept + texts + initial_queue;
      if (b.client_queued() > bound) fail("play queue over its bound", b.client_queued(), bound);
    } else if (!b.client_read_paused() && b.upstream_queued() > limits.max_buffered_bytes) {
      fail("push queue over max_buffered_bytes and reading not paused", b.upstream_queued(), limits.max_buffered_bytes);
    }
  }

  BridgeLimits limits;
  Bridge b;
  Server server;
  rtmp::ChunkWriter server_writer;
  int64_t now = 0;
  uint32_t ts = 0;
  std::optional<CloseRequest> first_close;
  uint64_t pings = 0;
  // play
  uint64_t largest_droppable = 0, kept = 0, initial_queue = 0;
  // push: the client's FLV stream, and a demuxer fed the same reads (its buffered() is the bridge's)
  Bytes client_stream;
  size_t client_sent = 0;
  flv::Demuxer shadow;
  flv::Muxer mux;

  // As the bridge configures its demuxer (bridge.cc demux_options).
  static flv::Demuxer::Options demux_options(const BridgeLimits& l) {
    flv::Demuxer::Options o;
    o.max_tag_size = uint32_t(std::min<size_t>(l.max_buffered_bytes, o.max_tag_size));
    return o;
  }
};

Bytes body_of(uint8_t first, uint8_t second, size_t size, uint8_t fill) {
  Bytes body(std::max<size_t>(size, 2), fill);
  body[0] = first;
  body[1] = second;
  return body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool play = data[0] & 1;
  const bool deferred_start = data[0] & 2;
  BridgeLimits limits;
  limits.play_drop_bytes = size_t(1024) << (data[1] & 7);
  limits.max_buffered_bytes = size_t(4096) << ((data[1] >> 3) & 7);
  limits.push_slow_bytes = limits.max_buffered_bytes / 4;
  limits.write_stall_timeout_ms = 0;  // the schedule decides when writes end
  limits.idle_timeout_ms = 0;
  Run r(play ? Endpoint::kPlay : Endpoint::kPush, limits);

  // nginx's real answers up to the stream's start (rtmp_nginx_bytes.h).
  r.b.on_upstream_connected(r.now);
  r.flush_upstream();
  for (const char* h : {rtmp_test::kNginxConnectReply,
                        play ? rtmp_test::kNginxCreateStreamReplyTx2 : rtmp_test::kNginxCreateStreamReplyTx4}) {
    r.from_server(unhex(h));
    r.flush_upstream();
  }
  const Bytes start = unhex(play ? rtmp_test::kNginxPlayStart : rtmp_test::kNginxPublishStart);
  bool started = false;
  if (!deferred_start) {
    r.from_server(start);
    r.flush_upstream();
    started = true;
  }
  if (play) r.initial_queue = r.b.client_queued();
  if (!play) r.mux.write_header(true, true, r.client_stream);

  bool up_writing = false;
  size_t pos = 2;
  auto next = [&]() -> uint8_t { return pos < size ? data[pos++] : 0; };
  while (pos < size) {
    const uint8_t op = next();
    const uint8_t arg = next();
    r.ts += 20;
    switch (op % 8) {
      case 0:    // play: a video message; push: a tag appended to the client's stream
      case 1: {  // play: an audio message; push: a read of the client's stream
        const size_t n = size_t(next()) * 16;
        if (play) {
          const bool video = op % 8 == 0;
          Bytes body;
          bool keep = false;
          switch (arg & 7) {
            case 0: body = body_of(video ? 0x27 : 0xaf, 1, n + 5, arg); break;          // inter / AAC raw
            case 1: body = body_of(video ? 0x17 : 0x2f, 1, n + 5, arg); break;          // key / MP3
            case 2: body = body_of(video ? 0x17 : 0xaf, 0, n + 5, arg); keep = true; break;  // sequence header
            case 3: body = body_of(video ? 0x27 : 0xaf, 7, n + 5, arg); break;          // bad packet type
            case 4: body = video ? Bytes{0x57, 0x00} : Bytes{0xaf}; break;              // command / truncated
            case 5: body.clear(); break;                                                // empty
            default: body = body_of(video ? 0x17 : 0xaf, 1, 5, arg); break;             // small key / raw
          }
          const uint64_t tag = 11 + body.size() + 4;
          if (keep) r.kept += tag;
          else r.largest_droppable = std::max(r.largest_droppable, tag);
          r.server_message(video ? 21 : 20, video ? 9 : 8, 1, body);
        } else if (op % 8 == 0) {
          Bytes payload(n + 1, arg);
          switch (arg & 3) {
            case 0: (void)r.mux.write_avc_frame(r.ts, 0, false, as_span(payload), r.client_stream); break;
            case 1: (void)r.mux.write_avc_frame(r.ts, 0, true, as_span(payload), r.client_stream); break;
            case 2: (void)r.mux.write_aac_frame(r.ts, as_span(payload), r.client_stream); break;
            default:
              (void)r.mux.write_metadata({{"pad", amf0::Value::String(std::string(n, 'p'))}}, r.client_stream);
          }
        } else if (!r.b.client_read_paused() && r.client_sent < r.client_stream.size()) {
          const size_t want = std::min(size_t(arg) * 64 + n + 1, r.client_stream.size() - r.client_sent);
          const ByteSpan read(r.client_stream.data() + r.client_sent, want);
          const size_t partial_before = r.shadow.buffered();
          const size_t queued_before = r.b.upstream_queued();
          r.b.on_client_binary(read, r.now);
          r.shadow.feed(read);
          flv::Event ev;
          while (r.shadow.next(&ev)) {
          }
          r.client_sent += want;
          // Tags completed by this read come from its bytes and the partial tag before it; RTMP
          // adds at most a 16-byte header per message and @setDataFrame (16 bytes) to scripts.
          const uint64_t growth_bound = 2 * (want + partial_before) + 64;
          if (r.b.upstream_queued() > queued_before + growth_bound) {
            fail("one client read grew the push queue beyond what it completed", r.b.upstream_queued(),
                 queued_before + growth_bound);
          }
        }
        break;
      }
      case 2:
        if (play) {  // a script message: never dropped
          Bytes body = unhex("02000a6f6e5465787444617461");  // "onTextData"
          body.push_back(0x02);
          body.push_back(0);
          body.push_back(arg);
          body.insert(body.end(), arg, 't');
          r.kept += 11 + body.size() + 4;
          r.server_message(22, 18, 1, body);
        } else {  // garbage in the client's stream
          for (size_t i = 0; i < arg && pos < size; ++i) r.client_stream.push_back(next());
        }
        break;
      case 3: {
        ClientFrame f;
        if (r.b.client_writing()) r.b.end_client_write(r.now);
        else (void)r.b.next_client_frame(&f, r.now);
        break;
      }
      case 4:
        if (up_writing) {
          r.b.end_upstream_write(r.now);
          up_writing = false;
        } else {
          ByteSpan s = r.b.begin_upstream_write();
          up_writing = !s.empty();
          if (up_writing) (void)r.server.receive(s);
        }
        break;
      case 5:
        r.now += int64_t(arg) * 20;
        r.b.tick(r.now);
        break;
      case 6: {
        std::string ping = R"({"type":"ping","id":)" + std::to_string(arg) + "}";
        ++r.pings;
        r.b.on_client_text(ping, r.now);
        r.b.on_client_message_end(r.now);
        break;
      }
      case 7:
        if (!started) {
          r.from_server(start);
          started = true;
        } else if (play && (arg & 1)) {
          r.from_server(unhex(rtmp_test::kNginxPlayEnd));
        } else {  // the server acknowledges what it received (5.4.3)
          Bytes ack = {uint8_t(r.server.seen >> 24), uint8_t(r.server.seen >> 16), uint8_t(r.server.seen >> 8),
                       uint8_t(r.server.seen)};
          r.server_message(23, 3, 0, ack);
        }
        break;
    }
    r.check();
    (void)r.b.next_deadline_ms();
    (void)r.b.take_notes();
  }
  return 0;
}
