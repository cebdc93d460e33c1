// Client control messages (text frames): parse_client_message on arbitrary text must return a message
// or an error with a reason. A ping that parses is answered with a pong carrying the same id token,
// which must itself parse as a control message (a JSON object with type "pong") when it is within the
// size limit (regress_pong_over_1024_bytes: a 1002-byte id makes a 1038-byte pong).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "control_message.h"
#include "gateway_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lw::gateway;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto msg = parse_client_message(text);
  if (!msg.ok()) {
    if (msg.status().reason().empty()) std::abort();
    return 0;
  }
  if (size > protocol::kMaxControlMessageBytes) std::abort();
  if (msg->type == protocol::kMessagePing) {
    std::string pong = pong_message(msg->id_json, 12345);
    // The id is echoed as the client wrote it (a token the parser checked).
    if (pong != R"({"type":"pong","id":)" + msg->id_json + R"(,"queued":12345})") std::abort();
    // A pong may be longer than a client message may be (a 1000-byte id): only those within the
    // limit can be read back by the client-message parser.
    if (pong.size() <= protocol::kMaxControlMessageBytes) {
      auto back = parse_client_message(pong);
      if (!back.ok() || back->type != protocol::kMessagePong || back->id_json != msg->id_json) std::abort();
    }
  }
  // Whatever the message said, the gateway's own frames stay valid JSON objects.
  std::string status = status_message(3004, "PUSH_WARNING_SERVER_DISCONNECT", msg->type);
  if (!parse_client_message(status).ok() && status.size() <= protocol::kMaxControlMessageBytes) std::abort();
  return 0;
}
