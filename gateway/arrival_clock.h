// When did a media message's bytes reach the gateway's socket? Sans-IO: for every upstream read the
// driver passes in the kernel's receive time of its bytes (SO_TIMESTAMPNS), whether the read left the
// socket empty (TCP_INQ) and when the read returned; the Bridge hands over the read's media messages
// and gets one arrival time for each.
//
// The kernel's time alone is not enough: TCP merges segments that wait in the receive queue and keeps
// the newest one's time, so after the gateway was busy for 600 ms, the first 32 KiB it reads (which
// waited 600 ms) carry a time only ~60 ms old. What is known for sure about a read's bytes:
//   - they came no later than the read's kernel time K;
//   - they came after the last read that emptied the socket returned (L);
//   - the last message of a read that emptied the socket came at K (its last byte is the newest the
//     kernel holds).
// Inside [L, K] the media clock places the other messages: a live track's messages come paced by
// their timestamps, so arrival ~ base + ts, with base the smallest (K - ts) of that track (audio and
// video apart: a publisher interleaves them with an offset) seen over the last two to four seconds in
// reads that emptied the socket. A track whose message came more than kResetUs later than its clock
// says (the server was late, or the publisher's timestamps went back) starts its clock again.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace lw::gateway {

// One upstream read, as the driver saw it (µs on the driver's clock).
struct UpstreamRead {
  int64_t rx_us = 0;     // kernel receive time of the newest byte read; 0: unknown (no estimates)
  bool drained = false;  // the read left nothing in the socket (TCP_INQ == 0)
  int64_t read_us = 0;   // when the read returned
};

struct ArrivingMessage {
  uint8_t type = 0;      // RTMP message type: 8 audio, 9 video, anything else
  uint32_t ts_ms = 0;    // RTMP timestamp
  int64_t arrival_us = 0;  // out: when it reached the socket (0: unknown)
};

class ArrivalClock {
 public:
  static constexpr int64_t kWindowUs = 2'000'000;  // a base is the minimum over two of these at most
  static constexpr int64_t kResetUs = 200'000;

  // The messages one read brought, in order: fills in arrival_us and learns from the read.
  void on_read(const UpstreamRead& r, std::span<ArrivingMessage> msgs) {
    const int64_t k = r.rx_us;
    if (k == 0) {
      for (auto& m : msgs) m.arrival_us = 0;
      return;
    }
    const int64_t lower = std::min(k, last_drained_us_);
    for (size_t i = 0; i < msgs.size(); ++i) {
      ArrivingMessage& m = msgs[i];
      const Track& t = tracks_[track_of(m.type)];
      if ((r.drained && i + 1 == msgs.size()) || !t.known) {
        m.arrival_us = k;
      } else {
        m.arrival_us = std::clamp(t.base() + int64_t(m.ts_ms) * 1000, lower, k);
      }
    }
    if (!r.drained) return;
    last_drained_us_ = r.read_us;
    // Each track learns from its last message in the read: exact for the read's last message, an
    // upper bound (a larger base: smaller waits) for the others.
    std::array<bool, 3> seen{};
    for (size_t i = msgs.size(); i-- > 0;) {
      const size_t ti = track_of(msgs[i].type);
      if (seen[ti]) continue;
      seen[ti] = true;
      tracks_[ti].learn(k - int64_t(msgs[i].ts_ms) * 1000, k, i + 1 == msgs.size());
    }
  }

  bool has_base(uint8_t type) const { return tracks_[track_of(type)].known; }
  int64_t base(uint8_t type) const { return tracks_[track_of(type)].base(); }

 private:
  struct Track {
    bool known = false;
    int64_t cur = 0, prev = 0, bucket_start_us = 0;
    int64_t base() const { return std::min(cur, prev); }
    void learn(int64_t c, int64_t k, bool exact) {
      if (!known || (exact && c > base() + kResetUs)) {
        known = true;
        cur = prev = c;
        bucket_start_us = k;
      } else if (k - bucket_start_us >= kWindowUs) {  // slide: forget minima older than two windows
        prev = cur;
        cur = c;
        bucket_start_us = k;
      } else {
        cur = std::min(cur, c);
      }
    }
  };
  static size_t track_of(uint8_t type) { return type == 8 ? 0 : type == 9 ? 1 : 2; }

  std::array<Track, 3> tracks_;
  int64_t last_drained_us_ = 0;
};

}  // namespace lw::gateway
