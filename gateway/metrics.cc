#include "metrics.h"

#include <cinttypes>
#include <algorithm>
#include <cstdio>

namespace lw::gateway {

void Metrics::stream_opened(Endpoint e) {
  active_[index(e)].fetch_add(1, std::memory_order_relaxed);
  opened_[index(e)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::stream_closed(Endpoint e) { active_[index(e)].fetch_sub(1, std::memory_order_relaxed); }

void Metrics::close_sent(uint16_t code) {
  for (size_t i = 0; i < kCloseCodeCount; ++i) {
    if (uint16_t(protocol::kCloseCodes[i].code) == code) {
      closes_[i].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  closes_other_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::status_sent(int32_t code) {
  for (size_t i = 0; i < kStatusCodes.size(); ++i) {
    if (kStatusCodes[i] == code) statuses_[i].fetch_add(1, std::memory_order_relaxed);
  }
}

void Metrics::add_drops(uint64_t tags, uint64_t bytes, uint64_t episodes) {
  dropped_tags_.fetch_add(tags, std::memory_order_relaxed);
  dropped_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  drop_episodes_.fetch_add(episodes, std::memory_order_relaxed);
}

void Metrics::play_latency(int64_t us) {
  size_t i = 0;
  while (i < kLatencyBucketsUs.size() && us > kLatencyBucketsUs[i]) ++i;
  latency_buckets_[i].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(uint64_t(std::max<int64_t>(us, 0)), std::memory_order_relaxed);
}

void Metrics::http_request(Endpoint e) { http_[size_t(e)].fetch_add(1, std::memory_order_relaxed); }

std::string Metrics::render(double uptime_seconds, uint64_t rss_bytes) const {
  std::string out;
  char line[256];
  auto add = [&](const char* fmt, auto... args) {
    std::snprintf(line, sizeof line, fmt, args...);
    out += line;
  };
  auto header = [&](const char* name, const char* type, const char* help) {
    add("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
  };
  header("lw_gateway_streams_active", "gauge", "Open WebSocket streams.");
  add("lw_gateway_streams_active{endpoint=\"push\"} %" PRId64 "\n", active_[0].load());
  add("lw_gateway_streams_active{endpoint=\"play\"} %" PRId64 "\n", active_[1].load());
  header("lw_gateway_streams_total", "counter", "WebSocket streams accepted since start.");
  add("lw_gateway_streams_total{endpoint=\"push\"} %" PRIu64 "\n", opened_[0].load());
  add("lw_gateway_streams_total{endpoint=\"play\"} %" PRIu64 "\n", opened_[1].load());
  header("lw_gateway_bytes_total", "counter", "Payload bytes moved, by direction.");
  static const char* kDirNames[] = {"client_in", "client_out", "upstream_in", "upstream_out"};
  for (int d = 0; d < kDirections; ++d) {
    add("lw_gateway_bytes_total{direction=\"%s\"} %" PRIu64 "\n", kDirNames[d], bytes_[d].load());
  }
  header("lw_gateway_tags_total", "counter", "FLV tags relayed (both directions).");
  add("lw_gateway_tags_total %" PRIu64 "\n", tags_.load());
  header("lw_gateway_upstream_reconnects_total", "counter", "RTMP servers switched to on an E-RTMP ReconnectRequest.");
  add("lw_gateway_upstream_reconnects_total %" PRIu64 "\n", reconnects_.load());
  header("lw_gateway_play_dropped_tags_total", "counter", "Tags dropped for players that read too slowly.");
  add("lw_gateway_play_dropped_tags_total %" PRIu64 "\n", dropped_tags_.load());
  header("lw_gateway_play_dropped_bytes_total", "counter", "Bytes of the dropped tags.");
  add("lw_gateway_play_dropped_bytes_total %" PRIu64 "\n", dropped_bytes_.load());
  header("lw_gateway_play_drop_episodes_total", "counter", "Times a player fell behind and skipped to a key frame.");
  add("lw_gateway_play_drop_episodes_total %" PRIu64 "\n", drop_episodes_.load());
  header("lw_gateway_play_latency_seconds", "histogram",
         "Play: from when a frame's oldest media byte reached the upstream socket (arrival_clock.h) to when it is handed to the client socket.");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kLatencyBucketsUs.size(); ++i) {
    cumulative += latency_buckets_[i].load();
    add("lw_gateway_play_latency_seconds_bucket{le=\"%g\"} %" PRIu64 "\n", double(kLatencyBucketsUs[i]) / 1e6,
        cumulative);
  }
  cumulative += latency_buckets_[kLatencyBucketsUs.size()].load();
  add("lw_gateway_play_latency_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n", cumulative);
  add("lw_gateway_play_latency_seconds_sum %.6f\n", double(latency_sum_us_.load()) / 1e6);
  add("lw_gateway_play_latency_seconds_count %" PRIu64 "\n", cumulative);
  header("lw_gateway_closes_total", "counter", "WebSocket closes by close code (gateway/PROTOCOL.md).");
  for (size_t i = 0; i < kCloseCodeCount; ++i) {
    add("lw_gateway_closes_total{code=\"%u\",name=\"%s\"} %" PRIu64 "\n", unsigned(protocol::kCloseCodes[i].code),
        std::string(protocol::kCloseCodes[i].name).c_str(), closes_[i].load());
  }
  add("lw_gateway_closes_total{code=\"other\",name=\"other\"} %" PRIu64 "\n", closes_other_.load());
  header("lw_gateway_status_total", "counter", "Status events sent to clients, by docs/api.md state code.");
  for (size_t i = 0; i < kStatusCodes.size(); ++i) {
    add("lw_gateway_status_total{code=\"%d\"} %" PRIu64 "\n", kStatusCodes[i], statuses_[i].load());
  }
  header("lw_gateway_http_requests_total", "counter", "Plain HTTP requests, by endpoint.");
  for (Endpoint e : {Endpoint::kHealth, Endpoint::kMetrics, Endpoint::kUnknown}) {
    add("lw_gateway_http_requests_total{endpoint=\"%s\"} %" PRIu64 "\n", std::string(endpoint_name(e)).c_str(),
        http_[size_t(e)].load());
  }
  header("lw_gateway_refused_requests_total", "counter", "Connections refused before a WebSocket upgrade.");
  add("lw_gateway_refused_requests_total %" PRIu64 "\n", refused_http_.load());
  header("lw_gateway_draining", "gauge", "1 after SIGTERM: no new streams.");
  add("lw_gateway_draining %d\n", draining_.load());
  header("lw_gateway_uptime_seconds", "gauge", "Seconds since start.");
  add("lw_gateway_uptime_seconds %.3f\n", uptime_seconds);
  header("lw_gateway_resident_memory_bytes", "gauge", "Resident set size of the process.");
  add("lw_gateway_resident_memory_bytes %" PRIu64 "\n", rss_bytes);
  return out;
}

}  // namespace lw::gateway
