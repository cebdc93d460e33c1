// Process-wide counters, rendered in the Prometheus text format (version 0.0.4) at /metrics. Lock-free
// (relaxed atomics): connections add their deltas as they go.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "gateway_protocol.h"
#include "request_target.h"

namespace lw::gateway {

class Metrics {
 public:
  static constexpr size_t kCloseCodeCount = std::size(protocol::kCloseCodes);
  static constexpr std::array<int32_t, 10> kStatusCodes = {1001, 1002, 2001, 2002, 2006, 3001, 3002, 3003, 3004, 3005};

  enum Direction { kClientIn, kClientOut, kUpstreamIn, kUpstreamOut, kDirections };

  void stream_opened(Endpoint e);
  void stream_closed(Endpoint e);
  void close_sent(uint16_t code);
  void status_sent(int32_t code);
  void add_bytes(Direction d, uint64_t n) { bytes_[d].fetch_add(n, std::memory_order_relaxed); }
  void add_drops(uint64_t tags, uint64_t bytes, uint64_t episodes);
  void add_tags(uint64_t n) { tags_.fetch_add(n, std::memory_order_relaxed); }
  void add_reconnects(uint64_t n) { reconnects_.fetch_add(n, std::memory_order_relaxed); }
  void http_request(Endpoint e);
  void refused_http() { refused_http_.fetch_add(1, std::memory_order_relaxed); }
  void set_draining() { draining_.store(1); }
  // Play: time from the upstream read that brought a frame's oldest byte to the end of the client
  // write that carried it (gateway-in to client-out; an upper bound, see connection.h).
  void play_latency(int64_t us);
  static constexpr std::array<int64_t, 16> kLatencyBucketsUs = {250,   500,   1000,  2000,   3000,   4000,
                                                                 6000,  8000,  10000, 20000,  50000,  100000,
                                                                 250000, 500000, 1000000, 2000000};
  int64_t active_total() const { return active_[0].load() + active_[1].load(); }

  std::string render(double uptime_seconds, uint64_t rss_bytes) const;

 private:
  static size_t index(Endpoint e) { return e == Endpoint::kPush ? 0 : 1; }
  std::atomic<int64_t> active_[2] = {};
  std::atomic<uint64_t> opened_[2] = {};
  std::atomic<uint64_t> closes_[kCloseCodeCount] = {};
  std::atomic<uint64_t> closes_other_{0};
  std::atomic<uint64_t> statuses_[kStatusCodes.size()] = {};
  std::atomic<uint64_t> bytes_[kDirections] = {};
  std::atomic<uint64_t> tags_{0};
  std::atomic<uint64_t> reconnects_{0};
  std::atomic<uint64_t> dropped_tags_{0}, dropped_bytes_{0}, drop_episodes_{0};
  std::atomic<uint64_t> http_[5] = {};
  std::atomic<uint64_t> refused_http_{0};
  std::atomic<int> draining_{0};
  std::atomic<uint64_t> latency_buckets_[kLatencyBucketsUs.size() + 1] = {};
  std::atomic<uint64_t> latency_sum_us_{0};
};

}  // namespace lw::gateway
