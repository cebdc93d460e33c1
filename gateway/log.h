// Structured logs: one JSON object per line on stderr, written with a single write(2) so lines from
// several threads never interleave.
//
//   log_line(LogLevel::kInfo, "close").f("conn", id).f("code", 4404).f("reason", why);
//   -> {"time":"2026-11-23T10:00:00.123Z","level":"info","event":"close","conn":7,"code":4404,...}
#pragma once

#include <string_view>

#include "gateway_config.h"
#include "json_writer.h"

namespace lw::gateway {

void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);

class LogLine {
 public:
  LogLine(LogLevel level, std::string_view event);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  template <class T>
  LogLine& f(std::string_view key, T value) {
    if (on_) w_.field(key, value);
    return *this;
  }

 private:
  bool on_;
  JsonWriter w_;
};

inline LogLine log_line(LogLevel level, std::string_view event) { return LogLine(level, event); }

}  // namespace lw::gateway
