// Text frames between the page and the gateway (PROTOCOL.md "Frames"): parsing what a client sends,
// composing what the gateway sends. Client text is hostile input: a strict JSON object parser with
// bounded size and nesting; anything else is an error with a reason (the gateway closes with 4422).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace lw::gateway {

struct ClientMessage {
  std::string type;    // "ping", or anything (unknown types are ignored by the gateway)
  std::string id_json; // ping: the `id` value as a JSON token (number or string), echoed in pong
};

inline constexpr int kMaxJsonDepth = 8;

// One JSON object (RFC 8259) of at most protocol::kMaxControlMessageBytes bytes with a string
// `type`; other members are checked for syntax and skipped. A ping needs an `id` that is a number or
// a string. kInvalid / kLimitExceeded with a reason otherwise.
Result<ClientMessage> parse_client_message(std::string_view text);

// Gateway -> client.
std::string status_message(int32_t code, std::string_view name, std::string_view message);
struct AckInfo {
  uint64_t received = 0;  // FLV bytes from the client
  uint64_t sent = 0;      // RTMP bytes written to the server's socket
  uint64_t queued = 0;    // bytes waiting in the gateway
  uint64_t acked = 0;     // bytes the server acknowledged
  bool paused = false;    // reading from the client is paused (queued past the limit)
};
std::string ack_message(const AckInfo& ack);
std::string drop_message(uint64_t audio, uint64_t video, uint64_t bytes, uint64_t queued);
std::string pong_message(std::string_view id_json, uint64_t queued);
// The RTMP server asked for a reconnect (E-RTMP ReconnectRequest) and the gateway is making it:
// `tc_url` is where to (no stream name, no query), `message` the server's description.
std::string reconnect_message(std::string_view tc_url, std::string_view message);

}  // namespace lw::gateway
