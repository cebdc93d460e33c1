// RTMP command and data messages (Adobe RTMP spec 1.0, section 7.2): the NetConnection and
// NetStream commands a publisher and a player exchange, as AMF0 (message type 20; type 17 is the
// same after a leading 0x00).
//
// A command body is AMF0 values: name, transaction id, command object (or null), arguments...
//   02 0007 "connect" | 00 3ff0000000000000 (1) | 03 ... 000009 (object)
//   02 0007 "publish" | 00 4014000000000000 (5) | 05 (null) | 02 0005 "room1" | 02 0004 "live"
// What nginx-rtmp 1.2.2 answers (captured on loopback):
//   _result(1, {fmsVer: 'FMS/3,0,1,123', capabilities: 31},
//              {level: 'status', code: 'NetConnection.Connect.Success',
//               description: 'Connection succeeded.', objectEncoding: 0})
//   _result(4, null, 1)                                   createStream -> message stream id 1
//   onStatus(0, null, {level: 'status', code: 'NetStream.Publish.Start', description: 'Start publishing'})
//   onStatus(0, null, {level: 'error', code: 'NetStream.Publish.BadName', description: 'Already publishing'})
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "amf/amf0.h"
#include "base/bytes.h"
#include "base/status.h"

namespace lw::rtmp {

struct Command {
  std::string name;
  double transaction_id = 0;
  amf0::Value object;               // command object, or null
  std::vector<amf0::Value> args;    // optional arguments after the object
};

// Parses a command message body (type 20, or type 17 with its leading 0x00 when `amf3` is set).
// kInvalid when the first value is not a string or the second not a number.
Result<Command> parse_command(ByteSpan body, bool amf3 = false, const amf0::Limits& limits = {});
Bytes encode_command(const Command& command);

// The info object of onStatus / _error / _result: {level, code, description}.
struct StatusInfo {
  std::string level;        // "status", "warning", "error"
  std::string code;         // "NetStream.Publish.Start"
  std::string description;  // "Start publishing"
  bool is_error() const { return level == "error"; }
};
// The first object argument (or the command object) that has a "code" property; empty otherwise.
StatusInfo status_info(const Command& command);
// The object status_info() reads (nullptr when there is none).
const amf0::Value* status_object_of(const Command& command);

// ---- Builders: what this client sends (FFmpeg's rtmpproto.c sends the same shapes) -------------

struct ConnectParams {
  std::string app;
  std::string tc_url;
  std::string flash_ver;     // publisher "FMLE/3.0 (compatible; livewasm)", player "LNX 9,0,124,2"
  bool publisher = true;     // publisher adds type: 'nonprivate'; player adds the capability fields
  std::string swf_url;       // omitted when empty
  std::string page_url;      // omitted when empty
  uint32_t caps_ex = 0;      // E-RTMP v2 capsEx (CapsExMask), omitted when 0
  // E-RTMP: the FourCCs this side handles ("av01", "hvc1", ...; "Opus", "mp4a", ...), sent as fourCcList
  // (v1: the video ones) and as videoFourCcInfoMap / audioFourCcInfoMap (v2), each FourCC mapped to
  // `fourcc_info` (FourCcInfoMask: kFourCcCanDecode for a player, kFourCcCanEncode for a publisher).
  // Each is omitted when its list is empty.
  std::vector<std::string> video_fourccs;
  std::vector<std::string> audio_fourccs;
  uint32_t fourcc_info = 0;
};
// E-RTMP v2 FourCcInfoMask.
inline constexpr uint32_t kFourCcCanDecode = 0x01;
inline constexpr uint32_t kFourCcCanEncode = 0x02;
inline constexpr uint32_t kFourCcCanForward = 0x04;
Command connect_command(const ConnectParams& p, double transaction_id = 1);
Command release_stream_command(double transaction_id, std::string_view stream);
Command fc_publish_command(double transaction_id, std::string_view stream);
Command fc_unpublish_command(double transaction_id, std::string_view stream);
Command create_stream_command(double transaction_id);
// publishing type "live", "record" or "append" (7.2.2.6).
Command publish_command(double transaction_id, std::string_view stream, std::string_view type);
// start -2: live stream if there is one, else recorded; -1: live only (7.2.2.1).
Command play_command(double transaction_id, std::string_view stream, double start = -2);
Command delete_stream_command(double transaction_id, double stream_id);
// Server-side shapes, used by tests and fake servers.
Command result_command(double transaction_id, amf0::Value object, std::vector<amf0::Value> args);
Command error_command(double transaction_id, const StatusInfo& info);
Command on_status_command(const StatusInfo& info);
amf0::Value status_object(const StatusInfo& info);

// ---- Data messages (type 18) ---------------------------------------------------------------------

// "@setDataFrame", "onMetaData", ECMA array: the body a publisher sends so that the server stores
// the metadata and hands "onMetaData" to players (FFmpeg's flvenc over RTMP does the same).
Bytes set_data_frame_body(const std::vector<amf0::Property>& metadata);
// For an FLV script tag body that starts with the string "onMetaData": the same bytes prefixed with
// the AMF0 string "@setDataFrame" (02 000d "@setDataFrame"). Other bodies are returned unchanged.
Bytes wrap_set_data_frame(ByteSpan script_body);
// The reverse, for data messages a server relays with the prefix still on; unchanged otherwise.
ByteSpan strip_set_data_frame(ByteSpan data_body);
// The name of a data message (its first AMF0 string), e.g. "onMetaData"; empty if there is none.
std::string data_message_name(ByteSpan data_body);

}  // namespace lw::rtmp
