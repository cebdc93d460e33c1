// A small JSON object writer for the gateway's text frames and log lines: flat objects of strings,
// integers, booleans and pre-validated raw values, escaped per RFC 8259 section 7 (control
// characters as \u00XX; bytes >= 0x80 passed through, so UTF-8 stays UTF-8).
//
//   JsonWriter w;
//   w.field("type", "status").field("code", 1001).field("message", "connected");
//   std::string text = w.finish();     // {"type":"status","code":1001,"message":"connected"}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lw::gateway {

void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  JsonWriter() { out_ = "{"; }
  JsonWriter& field(std::string_view key, std::string_view value);
  JsonWriter& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  JsonWriter& field(std::string_view key, int64_t value);
  JsonWriter& field(std::string_view key, uint64_t value);
  JsonWriter& field(std::string_view key, int value) { return field(key, int64_t(value)); }
  JsonWriter& field(std::string_view key, double value);
  JsonWriter& field(std::string_view key, bool value);
  // `json` must already be a valid JSON value (e.g. a number token checked by the parser).
  JsonWriter& raw(std::string_view key, std::string_view json);
  std::string finish() { out_ += '}'; return std::move(out_); }

 private:
  void key(std::string_view k);
  std::string out_;
  bool first_ = true;
};

}  // namespace lw::gateway
