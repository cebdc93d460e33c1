#include "control_message.h"

#include "gateway_protocol.h"
#include "json_writer.h"

namespace lw::gateway {
namespace {

Status invalid(std::string reason) { return Status(ErrorCode::kInvalid, std::move(reason)); }

// A strict recursive-descent reader over the text: every read is bounds-checked through peek().
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : s_(text) {}

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  int peek() const { return pos_ < s_.size() ? static_cast<unsigned char>(s_[pos_]) : -1; }
  bool at_end() const { return pos_ >= s_.size(); }
  bool consume(char c) {
    if (peek() != static_cast<unsigned char>(c)) return false;
    ++pos_;
    return true;
  }

  // A JSON string; the decoded value (escapes resolved, \u kept only for ASCII, others as UTF-8).
  Status string(std::string* out) {
    if (!consume('"')) return invalid("expected a string");
    out->clear();
    for (;;) {
      int c = peek();
      if (c < 0) return invalid("unterminated string");
      ++pos_;
      if (c == '"') return Status::Ok();
      if (c < 0x20) return invalid("control character in string");
      if (c != '\\') {
        *out += char(c);
        continue;
      }
      int e = peek();
      if (e < 0) return invalid("unterminated escape");
      ++pos_;
      switch (e) {
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        case '/': *out += '/'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          uint32_t v = 0;
          for (int i = 0; i < 4; ++i) {
            int h = peek();
            ++pos_;
            if (h >= '0' && h <= '9') v = v * 16 + uint32_t(h - '0');
            else if (h >= 'a' && h <= 'f') v = v * 16 + uint32_t(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v = v * 16 + uint32_t(h - 'A' + 10);
            else return invalid("bad \\u escape");
          }
          append_utf8(out, v);
          break;
        }
        default:
          return invalid("bad escape in string");
      }
    }
  }

  // A JSON number token (RFC 8259 section 6 grammar); *token is its text.
  Status number(std::string_view* token) {
    size_t start = pos_;
    consume('-');
    if (consume('0')) {
    } else if (digits() == 0) {
      return invalid("bad number");
    }
    if (consume('.') && digits() == 0) return invalid("bad number fraction");
    if (consume('e') || consume('E')) {
      if (!consume('+')) consume('-');
      if (digits() == 0) return invalid("bad number exponent");
    }
    *token = s_.substr(start, pos_ - start);
    return Status::Ok();
  }

  Status literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return invalid("unexpected token");
    pos_ += word.size();
    return Status::Ok();
  }

  // Any value, checked and skipped; *token is its text when it is a scalar.
  Status value(int depth, std::string_view* token, std::string* str, bool* is_string) {
    if (depth > kMaxJsonDepth) return Status(ErrorCode::kLimitExceeded, "JSON nested too deeply");
    skip_ws();
    *is_string = false;
    size_t start = pos_;
    int c = peek();
    Status st;
    if (c == '"') {
      *is_string = true;
      st = string(str);
    } else if (c == '{') {
      st = object(depth + 1, nullptr);
    } else if (c == '[') {
      // An array is one level deeper than the value it is, as an object is (object(depth + 1)).
      if (depth + 1 > kMaxJsonDepth) return Status(ErrorCode::kLimitExceeded, "JSON nested too deeply");
      ++pos_;
      skip_ws();
      if (!consume(']')) {
        for (;;) {
          std::string_view t;
          std::string s;
          bool b;
          LW_RETURN_IF_ERROR(value(depth + 1, &t, &s, &b));
          skip_ws();
          if (consume(']')) break;
          if (!consume(',')) return invalid("expected , or ] in array");
        }
      }
    } else if (c == 't') {
      st = literal("true");
    } else if (c == 'f') {
      st = literal("false");
    } else if (c == 'n') {
      st = literal("null");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      st = number(token);
      return st;
    } else {
      return invalid(c < 0 ? "unexpected end of JSON" : "unexpected character in JSON");
    }
    if (!st.ok()) return st;
    *token = s_.substr(start, pos_ - start);
    return Status::Ok();
  }

  // An object; with `msg`, its top-level `type` and `id` are captured.
  Status object(int depth, ClientMessage* msg) {
    if (depth > kMaxJsonDepth) return Status(ErrorCode::kLimitExceeded, "JSON nested too deeply");
    skip_ws();
    if (!consume('{')) return invalid("not a JSON object");
    skip_ws();
    if (consume('}')) return Status::Ok();
    std::string key;
    for (;;) {
      skip_ws();
      LW_RETURN_IF_ERROR(string(&key));
      skip_ws();
      if (!consume(':')) return invalid("expected : after key");
      std::string_view token;
      std::string str;
      bool is_string = false;
      LW_RETURN_IF_ERROR(value(depth, &token, &str, &is_string));
      if (msg) {
        if (key == "type") {
          if (!is_string) return invalid("type is not a string");
          msg->type = str;
          have_type_ = true;
        } else if (key == "id") {
          bool number = !token.empty() && (token[0] == '-' || (token[0] >= '0' && token[0] <= '9'));
          // Echoed as the client wrote it: a string token keeps its escapes (decoding \u and
          // re-encoding could turn a lone surrogate into invalid UTF-8 in our text frame).
          if (is_string || number) {
            msg->id_json = std::string(token);
          } else {
            return invalid("id is not a number or a string");
          }
        }
      }
      skip_ws();
      if (consume('}')) return Status::Ok();
      if (!consume(',')) return invalid("expected , or } in object");
    }
  }

  bool have_type_ = false;

 private:
  size_t digits() {
    size_t n = 0;
    while (peek() >= '0' && peek() <= '9') {
      ++pos_;
      ++n;
    }
    return n;
  }
  static void append_utf8(std::string* out, uint32_t v) {
    if (v < 0x80) {
      *out += char(v);
    } else if (v < 0x800) {
      *out += char(0xC0 | (v >> 6));
      *out += char(0x80 | (v & 0x3F));
    } else {
      *out += char(0xE0 | (v >> 12));
      *out += char(0x80 | ((v >> 6) & 0x3F));
      *out += char(0x80 | (v & 0x3F));
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<ClientMessage> parse_client_message(std::string_view text) {
  if (text.size() > protocol::kMaxControlMessageBytes) {
    return Status(ErrorCode::kLimitExceeded, "control message over " +
                                                 std::to_string(protocol::kMaxControlMessageBytes) + " bytes");
  }
  JsonReader r(text);
  ClientMessage msg;
  LW_RETURN_IF_ERROR(r.object(1, &msg).context("control message"));
  r.skip_ws();
  if (!r.at_end()) return invalid("control message: bytes after the JSON object");
  if (!r.have_type_) return invalid("control message has no type");
  if (msg.type == protocol::kMessagePing && msg.id_json.empty()) return invalid("ping without an id");
  return msg;
}

std::string status_message(int32_t code, std::string_view name, std::string_view message) {
  JsonWriter w;
  w.field("type", protocol::kMessageStatus).field("code", int64_t(code));
  if (!name.empty()) w.field("name", name);
  return w.field("message", message).finish();
}

std::string reconnect_message(std::string_view tc_url, std::string_view message) {
  return JsonWriter()
      .field("type", protocol::kMessageReconnect)
      .field("tcUrl", tc_url)
      .field("message", message)
      .finish();
}

std::string ack_message(const AckInfo& a) {
  return JsonWriter()
      .field("type", protocol::kMessageAck)
      .field("received", a.received)
      .field("sent", a.sent)
      .field("queued", a.queued)
      .field("acked", a.acked)
      .field("paused", a.paused)
      .finish();
}

std::string drop_message(uint64_t audio, uint64_t video, uint64_t bytes, uint64_t queued) {
  return JsonWriter()
      .field("type", protocol::kMessageDrop)
      .field("audio", audio)
      .field("video", video)
      .field("bytes", bytes)
      .field("queued", queued)
      .finish();
}

std::string pong_message(std::string_view id_json, uint64_t queued) {
  return JsonWriter().field("type", protocol::kMessagePong).raw("id", id_json).field("queued", queued).finish();
}

}  // namespace lw::gateway
