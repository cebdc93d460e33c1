#include "rtmp/rtmp_commands.h"

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace lw::rtmp {

using amf0::Property;
using amf0::Value;

Result<Command> parse_command(ByteSpan body, bool amf3, const amf0::Limits& limits) {
  if (amf3) {
    // AMF3 command messages (type 17) start with a 0x00 format byte, then AMF0 in practice.
    if (body.empty()) return Status(ErrorCode::kInvalid, "AMF3 command message is empty");
    body = body.subspan(1);
  }
  ByteReader r(body);
  Command c;
  Value name, tx;
  Status s = amf0::decode(r, &name, limits);
  if (!s.ok()) return s.context("command name");
  if (!name.is_string()) return Status(ErrorCode::kInvalid, "command name is not an AMF0 string");
  c.name = std::move(name.string);
  if (r.empty()) return c;  // a bare name: tolerated (transaction id 0)
  s = amf0::decode(r, &tx, limits);
  if (!s.ok()) return s.context("command '" + c.name + "' transaction id");
  if (!tx.is_number()) {
    return Status(ErrorCode::kInvalid, "command '" + c.name + "' transaction id is not a number");
  }
  c.transaction_id = tx.number;
  if (r.empty()) return c;
  s = amf0::decode(r, &c.object, limits);
  if (!s.ok()) return s.context("command '" + c.name + "' object");
  while (!r.empty()) {
    Value v;
    s = amf0::decode(r, &v, limits);
    if (!s.ok()) return s.context("command '" + c.name + "' argument");
    c.args.push_back(std::move(v));
  }
  return c;
}

Bytes encode_command(const Command& command) {
  Bytes out;
  ByteWriter w(&out);
  amf0::encode(Value::String(command.name), w);
  amf0::encode(Value::Number(command.transaction_id), w);
  amf0::encode(command.object, w);
  amf0::encode_all(command.args, w);
  return out;
}

StatusInfo status_info(const Command& command) {
  StatusInfo info;
  auto take = [&info](const Value& v) {
    if (!v.is_object_like() || !v.find("code")) return false;
    info.level = v.string_or("level", "");
    info.code = v.string_or("code", "");
    info.description = v.string_or("description", "");
    return true;
  };
  for (const Value& a : command.args) {
    if (take(a)) return info;
  }
  take(command.object);
  return info;
}

const Value* status_object_of(const Command& command) {
  for (const Value& a : command.args) {
    if (a.is_object_like() && a.find("code")) return &a;
  }
  if (command.object.is_object_like() && command.object.find("code")) return &command.object;
  return nullptr;
}

Command connect_command(const ConnectParams& p, double transaction_id) {
  std::vector<Property> props = {{"app", Value::String(p.app)}};
  if (p.publisher) props.push_back({"type", Value::String("nonprivate")});
  props.push_back({"flashVer", Value::String(p.flash_ver)});
  if (!p.swf_url.empty()) props.push_back({"swfUrl", Value::String(p.swf_url)});
  props.push_back({"tcUrl", Value::String(p.tc_url)});
  if (!p.publisher) {
    // The capability fields a Flash player (and FFmpeg's player) sends; some servers expect them.
    props.push_back({"fpad", Value::Boolean(false)});
    props.push_back({"capabilities", Value::Number(15)});
    props.push_back({"audioCodecs", Value::Number(4071)});
    props.push_back({"videoCodecs", Value::Number(252)});
    props.push_back({"videoFunction", Value::Number(1)});
  }
  if (!p.page_url.empty()) props.push_back({"pageUrl", Value::String(p.page_url)});
  // E-RTMP v2 "Enhancing NetConnection connect Command": after the legacy fields.
  if (p.caps_ex != 0) props.push_back({"capsEx", Value::Number(p.caps_ex)});
  if (!p.video_fourccs.empty()) {
    std::vector<Value> list;
    for (const std::string& f : p.video_fourccs) list.push_back(Value::String(f));
    props.push_back({"fourCcList", Value::StrictArray(std::move(list))});
  }
  auto info_map = [&](const std::vector<std::string>& fourccs) {
    std::vector<Property> map;
    for (const std::string& f : fourccs) map.push_back({f, Value::Number(p.fourcc_info)});
    return Value::Object(std::move(map));
  };
  if (!p.video_fourccs.empty()) props.push_back({"videoFourCcInfoMap", info_map(p.video_fourccs)});
  if (!p.audio_fourccs.empty()) props.push_back({"audioFourCcInfoMap", info_map(p.audio_fourccs)});
  return Command{"connect", transaction_id, Value::Object(std::move(props)), {}};
}

namespace {
Command stream_name_command(std::string_view name, double tx, std::string_view stream) {
  return Command{std::string(name), tx, Value::Null(), {Value::String(std::string(stream))}};
}
}  // namespace

Command release_stream_command(double tx, std::string_view stream) {
  return stream_name_command("releaseStream", tx, stream);
}
Command fc_publish_command(double tx, std::string_view stream) {
  return stream_name_command("FCPublish", tx, stream);
}
Command fc_unpublish_command(double tx, std::string_view stream) {
  return stream_name_command("FCUnpublish", tx, stream);
}
Command create_stream_command(double tx) { return Command{"createStream", tx, Value::Null(), {}}; }

Command publish_command(double tx, std::string_view stream, std::string_view type) {
  return Command{"publish", tx, Value::Null(),
                 {Value::String(std::string(stream)), Value::String(std::string(type))}};
}

Command play_command(double tx, std::string_view stream, double start) {
  return Command{"play", tx, Value::Null(), {Value::String(std::string(stream)), Value::Number(start)}};
}

Command delete_stream_command(double tx, double stream_id) {
  return Command{"deleteStream", tx, Value::Null(), {Value::Number(stream_id)}};
}

Value status_object(const StatusInfo& info) {
  return Value::Object({{"level", Value::String(info.level)},
                        {"code", Value::String(info.code)},
                        {"description", Value::String(info.description)}});
}

Command result_command(double tx, Value object, std::vector<Value> args) {
  return Command{"_result", tx, std::move(object), std::move(args)};
}

Command error_command(double tx, const StatusInfo& info) {
  return Command{"_error", tx, Value::Null(), {status_object(info)}};
}

Command on_status_command(const StatusInfo& info) {
  return Command{"onStatus", 0, Value::Null(), {status_object(info)}};
}

Bytes set_data_frame_body(const std::vector<Property>& metadata) {
  Bytes out;
  ByteWriter w(&out);
  amf0::encode(Value::String("@setDataFrame"), w);
  amf0::encode(Value::String("onMetaData"), w);
  amf0::encode(Value::EcmaArray(metadata), w);
  return out;
}

std::string data_message_name(ByteSpan data_body) {
  ByteReader r(data_body);
  uint8_t marker;
  uint16_t len;
  std::string name;
  if (!r.u8(&marker) || marker != static_cast<uint8_t>(amf0::Marker::kString) || !r.u16(&len) ||
      !r.string(len, &name)) {
    return {};
  }
  return name;
}

Bytes wrap_set_data_frame(ByteSpan script_body) {
  Bytes out;
  if (data_message_name(script_body) == "onMetaData") {
    ByteWriter w(&out);
    amf0::encode(Value::String("@setDataFrame"), w);
  }
  out.insert(out.end(), script_body.begin(), script_body.end());
  return out;
}

ByteSpan strip_set_data_frame(ByteSpan data_body) {
  constexpr size_t kPrefix = 3 + 13;  // 02 000d "@setDataFrame"
  if (data_message_name(data_body) == "@setDataFrame") return data_body.subspan(kPrefix);
  return data_body;
}

}  // namespace lw::rtmp
