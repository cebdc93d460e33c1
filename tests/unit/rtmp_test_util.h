// Helpers for the RTMP unit tests: hex literals, reading every message out of a chunk stream with
// any split, and a fake server that answers the handshake and records what the client sends (the
// scripted answers themselves are nginx's real bytes, rtmp_nginx_bytes.h).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "rtmp/rtmp_chunk_reader.h"
#include "rtmp/rtmp_commands.h"
#include "rtmp/rtmp_handshake.h"
#include "rtmp/rtmp_message.h"
#include "rtmp/rtmp_session.h"
#include "test_vectors.h"

namespace lw::rtmp_test {

// "02 0000 00" -> bytes; anything that is not a hex digit separates.
inline Bytes hex(std::string_view text) { return lw::test::from_hex(text); }

// n bytes of a simple pattern (seed + i * step), for message bodies in chunking tests.
inline Bytes filled(size_t n, uint8_t seed, uint8_t step = 7) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * step);
  return b;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// All messages of `data` fed in pieces cut at `cuts` (ascending offsets). Stops at the first error,
// returned in *error.
inline std::vector<rtmp::Message> read_messages(ByteSpan data, const std::vector<size_t>& cuts,
                                                Status* error = nullptr,
                                                const rtmp::ChunkReader::Limits& limits = {}) {
  rtmp::ChunkReader reader(limits);
  std::vector<rtmp::Message> out;
  size_t pos = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(data.size());
  for (size_t end : ends) {
    ByteSpan piece = data.subspan(pos, end - pos);
    pos = end;
    while (!piece.empty()) {
      auto used = reader.feed(piece);
      if (!used.ok()) {
        if (error) *error = used.status();
        return out;
      }
      piece = piece.subspan(*used);
      rtmp::Message m;
      while (reader.next(&m)) out.push_back(std::move(m));
    }
  }
  if (error) *error = Status::Ok();
  return out;
}

inline bool same_messages(const std::vector<rtmp::Message>& a, const std::vector<rtmp::Message>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type != b[i].type || a[i].timestamp != b[i].timestamp ||
        a[i].stream_id != b[i].stream_id || a[i].chunk_stream_id != b[i].chunk_stream_id ||
        a[i].body != b[i].body) {
      return false;
    }
  }
  return true;
}

// A server stand-in: answers C0 C1 with S0 S1 S2 (S2 echoing C1, as nginx does for a zero-version
// C1), then reads the client's chunk stream and records every message and command.
class FakeServer {
 public:
  // Returns S0 S1 S2 once C0 C1 are complete (empty otherwise).
  Bytes receive(ByteSpan data) {
    constexpr size_t kC0C1 = 1 + rtmp::kHandshakeBlockSize;
    constexpr size_t kAll = kC0C1 + rtmp::kHandshakeBlockSize;
    Bytes reply;
    if (hs_.size() < kAll) {
      size_t n = std::min(kAll - hs_.size(), data.size());
      hs_.insert(hs_.end(), data.begin(), data.begin() + n);
      data = data.subspan(n);
      if (s1_.empty() && hs_.size() >= kC0C1) {
        s1_.assign(rtmp::kHandshakeBlockSize, 0);
        rtmp::SplitMix64(42).fill(s1_.data() + 8, s1_.size() - 8);
        reply.push_back(3);
        reply.insert(reply.end(), s1_.begin(), s1_.end());
        reply.insert(reply.end(), hs_.begin() + 1, hs_.begin() + kC0C1);  // S2 = C1
      }
      if (hs_.size() < kAll) return reply;
    }
    while (!data.empty()) {
      auto used = reader_.feed(data);
      if (!used.ok()) {
        error = used.status();
        return reply;
      }
      data = data.subspan(*used);
      rtmp::Message m;
      while (reader_.next(&m)) {
        if (m.type == 20) {
          auto c = rtmp::parse_command(as_span(m.body));
          if (c.ok()) commands.push_back(*c);
        }
        messages.push_back(std::move(m));
      }
    }
    return reply;
  }

  // C2 as the client sent it (it must echo S1).
  Bytes c2() const {
    constexpr size_t kC0C1 = 1 + rtmp::kHandshakeBlockSize;
    return hs_.size() > kC0C1 ? Bytes(hs_.begin() + kC0C1, hs_.end()) : Bytes();
  }
  const Bytes& s1() const { return s1_; }
  std::vector<std::string> command_names() const {
    std::vector<std::string> out;
    for (const auto& c : commands) out.push_back(c.name);
    return out;
  }
  const rtmp::Message* last_of_type(uint8_t type) const {
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if (it->type == type) return &*it;
    }
    return nullptr;
  }

  std::vector<rtmp::Message> messages;
  std::vector<rtmp::Command> commands;
  Status error;

 private:
  Bytes hs_;  // C0 C1 C2 as received
  Bytes s1_;
  rtmp::ChunkReader reader_;
};

// Moves the session's output to the server and the server's handshake reply back; returns what the
// session sent.
inline void pump(rtmp::ClientSession& s, FakeServer& server, int64_t now_ms = 0) {
  for (int i = 0; i < 4; ++i) {
    Bytes out = s.take_output();
    if (out.empty()) return;
    Bytes reply = server.receive(as_span(out));
    if (!reply.empty()) (void)s.feed(as_span(reply), now_ms);
  }
}

inline std::vector<rtmp::SessionEvent> drain(rtmp::ClientSession& s) {
  std::vector<rtmp::SessionEvent> out;
  while (auto ev = s.poll_event()) out.push_back(std::move(*ev));
  return out;
}

}  // namespace lw::rtmp_test
