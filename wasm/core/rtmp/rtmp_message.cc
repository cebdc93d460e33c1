#include "rtmp/rtmp_message.h"

#include <string>

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace lw::rtmp {

std::string_view message_type_name(uint8_t type) {
  switch (type) {
    case 1: return "set-chunk-size";
    case 2: return "abort";
    case 3: return "ack";
    case 4: return "user-control";
    case 5: return "window-ack-size";
    case 6: return "set-peer-bandwidth";
    case 8: return "audio";
    case 9: return "video";
    case 15: return "data-amf3";
    case 16: return "shared-object-amf3";
    case 17: return "command-amf3";
    case 18: return "data";
    case 19: return "shared-object";
    case 20: return "command";
    case 22: return "aggregate";
    default: return "unknown";
  }
}

std::string_view user_control_event_name(uint16_t type) {
  switch (type) {
    case 0: return "StreamBegin";
    case 1: return "StreamEOF";
    case 2: return "StreamDry";
    case 3: return "SetBufferLength";
    case 4: return "StreamIsRecorded";
    case 6: return "PingRequest";
    case 7: return "PingResponse";
    default: return "unknown";
  }
}

Bytes u32_body(uint32_t value) {
  Bytes out;
  ByteWriter(&out).u32(value);
  return out;
}

Bytes set_peer_bandwidth_body(uint32_t window, uint8_t limit_type) {
  Bytes out;
  ByteWriter w(&out);
  w.u32(window);
  w.u8(limit_type);
  return out;
}

Bytes user_control_body(const UserControl& uc) {
  Bytes out;
  ByteWriter w(&out);
  w.u16(uc.event);
  w.u32(uc.value);
  if (uc.event == static_cast<uint16_t>(UserControlEvent::kSetBufferLength)) w.u32(uc.value2);
  return out;
}

Result<uint32_t> parse_u32_body(ByteSpan body, std::string_view what) {
  ByteReader r(body);
  uint32_t v;
  if (!r.u32(&v)) {
    return Status(ErrorCode::kProtocol, std::string(what) + " body has " +
                                            std::to_string(body.size()) + " bytes, needs 4");
  }
  return v;
}

Result<uint32_t> parse_set_chunk_size(ByteSpan body) {
  auto v = parse_u32_body(body, "Set Chunk Size");
  if (!v.ok()) return v;
  if (*v & 0x80000000u || *v == 0) {
    return Status(ErrorCode::kProtocol,
                  "Set Chunk Size " + std::to_string(*v) + " is outside 1..0x7FFFFFFF (5.4.1)");
  }
  return v;
}

Result<PeerBandwidth> parse_set_peer_bandwidth(ByteSpan body) {
  ByteReader r(body);
  PeerBandwidth pb;
  if (!r.u32(&pb.window) || !r.u8(&pb.limit_type)) {
    return Status(ErrorCode::kProtocol, "Set Peer Bandwidth body has " +
                                            std::to_string(body.size()) + " bytes, needs 5");
  }
  return pb;
}

Result<UserControl> parse_user_control(ByteSpan body) {
  ByteReader r(body);
  UserControl uc;
  if (!r.u16(&uc.event)) return Status(ErrorCode::kProtocol, "User Control body has no event type");
  if (!r.u32(&uc.value)) {
    return Status(ErrorCode::kProtocol, "User Control " +
                                            std::string(user_control_event_name(uc.event)) +
                                            " has no 4-byte event data");
  }
  if (uc.event == static_cast<uint16_t>(UserControlEvent::kSetBufferLength) && !r.u32(&uc.value2)) {
    return Status(ErrorCode::kProtocol, "User Control SetBufferLength has no buffer length");
  }
  return uc;
}

}  // namespace lw::rtmp
