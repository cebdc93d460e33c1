// RTMP messages (Adobe RTMP spec 1.0, sections 5.4 and 6; the command/data types of 7.1): the
// message types, the reassembled Message the chunk reader produces, and the protocol-control and
// user-control bodies (built and parsed here, sent on chunk stream 2, message stream 0).
//
// Wire bytes of the control messages nginx-rtmp sends after the handshake (chunk header, body):
//   02 000000 000004 05 00000000 | 00 4c 4b 40        Window Acknowledgement Size 5000000
//   02 000000 000005 06 00000000 | 00 4c 4b 40 02     Set Peer Bandwidth 5000000, dynamic
//   02 000000 000004 01 00000000 | 00 00 10 00        Set Chunk Size 4096
//   02 000000 000006 04 00000000 | 00 00 00 00 00 01  User Control StreamBegin, stream 1
//   02 000000 000006 04 00000000 | 00 01 00 00 00 01  User Control StreamEOF, stream 1
#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::rtmp {

enum class MessageType : uint8_t {
  kSetChunkSize = 1,       // 5.4.1
  kAbort = 2,              // 5.4.2
  kAcknowledgement = 3,    // 5.4.3
  kUserControl = 4,        // 6.2 / 7.1.7
  kWindowAckSize = 5,      // 5.4.4
  kSetPeerBandwidth = 6,   // 5.4.5
  kAudio = 8,              // 7.1.4: body == FLV audio tag body
  kVideo = 9,              // 7.1.5: body == FLV video tag body
  kDataAmf3 = 15,          // 7.1.2: 0x00, then AMF0 values in practice
  kSharedObjectAmf3 = 16,  // 7.1.3 (ignored)
  kCommandAmf3 = 17,       // 7.1.1: 0x00, then AMF0 values in practice
  kDataAmf0 = 18,          // 7.1.2: @setDataFrame/onMetaData, |RtmpSampleAccess
  kSharedObjectAmf0 = 19,  // 7.1.3 (ignored)
  kCommandAmf0 = 20,       // 7.1.1: connect, _result, onStatus, ...
  kAggregate = 22,         // 7.1.6: FLV-style sub-messages
};
std::string_view message_type_name(uint8_t type);  // "video", "command", "unknown" for others

// Chunk stream ids this client sends on (FFmpeg uses the same layout: rtmppkt.h RTMPChannel).
inline constexpr uint32_t kCsidControl = 2;        // protocol control and user control (required)
inline constexpr uint32_t kCsidCommand = 3;        // NetConnection commands
inline constexpr uint32_t kCsidAudio = 4;
inline constexpr uint32_t kCsidData = 5;           // @setDataFrame
inline constexpr uint32_t kCsidVideo = 6;
inline constexpr uint32_t kCsidStreamCommand = 8;  // NetStream commands (publish, play)

// One reassembled message.
struct Message {
  uint8_t type = 0;
  uint32_t timestamp = 0;        // absolute, milliseconds, wraps at 2^32
  uint32_t stream_id = 0;        // message stream id
  uint32_t chunk_stream_id = 0;  // where it arrived / where to send it
  Bytes body;
};

// User Control event types, 7.1.7.
enum class UserControlEvent : uint16_t {
  kStreamBegin = 0,
  kStreamEof = 1,
  kStreamDry = 2,
  kSetBufferLength = 3,  // client -> server: stream id + buffer length ms
  kStreamIsRecorded = 4,
  kPingRequest = 6,      // server -> client: timestamp; answer with kPingResponse
  kPingResponse = 7,
};
std::string_view user_control_event_name(uint16_t type);

struct UserControl {
  uint16_t event = 0;
  uint32_t value = 0;   // stream id, or the ping timestamp
  uint32_t value2 = 0;  // SetBufferLength: buffer length in ms
};

// Protocol control bodies. Every builder appends exactly the body (no chunk header).
Bytes u32_body(uint32_t value);  // Set Chunk Size, Abort, Acknowledgement, Window Ack Size
Bytes set_peer_bandwidth_body(uint32_t window, uint8_t limit_type);
Bytes user_control_body(const UserControl& uc);

// The 4-byte value of Set Chunk Size / Abort / Acknowledgement / Window Ack Size bodies; kProtocol
// when the body is shorter (longer bodies are tolerated: the first 4 bytes count).
Result<uint32_t> parse_u32_body(ByteSpan body, std::string_view what);
// Set Chunk Size: 5.4.1 says bit 31 must be 0 and the value at least 1.
Result<uint32_t> parse_set_chunk_size(ByteSpan body);
struct PeerBandwidth {
  uint32_t window = 0;
  uint8_t limit_type = 0;  // 0 hard, 1 soft, 2 dynamic
};
Result<PeerBandwidth> parse_set_peer_bandwidth(ByteSpan body);
// Event type (2 bytes) + data; SetBufferLength carries 8 bytes of data, the others 4.
Result<UserControl> parse_user_control(ByteSpan body);

}  // namespace lw::rtmp
