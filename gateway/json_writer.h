// A small JSON object writer for the gateway's text frames and log lines: flat objects of strings,
// integers, booleans and pre-validated raw values, escaped per RFC 8259 section 7 (control
// characters as \u00XX; UTF-8 passed through, stray bytes >= 0x80 replaced by U+FFFD).
//
//   JsonWriter w;
//   w.field("type", "status").field("code", 1001).field("message", "connected");
//   std::string text = w.finish();     // {"type":"status","code":1001,"message":"connected"}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lw::gateway {

// `s` quoted and escaped; bytes that are not well-formed UTF-8 become U+FFFD (see valid_utf8).
void append_json_string(std::string& out, std::string_view s);

// What the gateway puts in text frames and close reasons must be UTF-8 (RFC 6455 5.6 and 7.1.6: a
// browser fails the whole connection otherwise, and the page sees 1006 instead of the reason), yet
// some of it comes from peers as plain bytes: an RTMP server's status description (AMF0 strings are
// not checked), the request's URL. valid_utf8() replaces each byte that does not belong to a
// well-formed sequence (RFC 3629 section 4: no overlongs, surrogates or values above U+10FFFF) with
// U+FFFD; well-formed text is returned unchanged.
std::string valid_utf8(std::string_view s);
// Length of the well-formed UTF-8 sequence starting at s[i] (1 for ASCII), 0 when none starts there.
size_t utf8_sequence_length(std::string_view s, size_t i);

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
