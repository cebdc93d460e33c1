#include "log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace lw::gateway {
namespace {

std::atomic<int> g_level{int(LogLevel::kInfo)};

std::string_view level_name(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
  return buf;
}

}  // namespace

void set_log_level(LogLevel level) { g_level.store(int(level)); }
bool log_enabled(LogLevel level) { return int(level) >= g_level.load(std::memory_order_relaxed); }

LogLine::LogLine(LogLevel level, std::string_view event) : on_(log_enabled(level)) {
  if (on_) w_.field("time", utc_now()).field("level", level_name(level)).field("event", event);
}

LogLine::~LogLine() {
  if (!on_) return;
  std::string line = w_.finish();
  line += '\n';
  // One write per line; a short write (a full pipe) is retried so a line is never cut.
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += size_t(n);
  }
}

}  // namespace lw::gateway
