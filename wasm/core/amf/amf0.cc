// AMF0 decode and encode. Section numbers refer to Adobe's "AMF 0 File Format Specification"
// (December 2007).
//
// Bounds: every length and count a peer sends is checked against `Limits` and against the bytes that
// are actually left *before* anything is allocated, so a strict array claiming 0xFFFFFFFF elements
// costs nothing. Nesting is decoded by recursion bounded by `Limits::max_depth` (each level is a small
// stack frame), so 10,000 nested objects end with kLimitExceeded at level max_depth + 1.
#include "amf/amf0.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lw::amf0 {
namespace {

Status truncated(std::string_view what) {
  return Status(ErrorCode::kTruncated, "AMF0 input ends inside " + std::string(what));
}

Status limit(std::string_view what, uint64_t got, uint64_t max) {
  return Status(ErrorCode::kLimitExceeded, "AMF0 " + std::string(what) + " " + std::to_string(got) +
                                               " exceeds the limit of " + std::to_string(max));
}

std::string marker_hex(uint8_t m) {
  static const char* digits = "0123456789ABCDEF";
  std::string s = "0x";
  s += digits[m >> 4];
  s += digits[m & 15];
  return s;
}

// One decode call: the limits and the running count of values (shared by decode_all's values).
class Decoder {
 public:
  Decoder(ByteReader& r, const Limits& limits) : r_(r), limits_(limits) {}

  Status value(Value* out, uint32_t depth);

 private:
  Status utf8(uint32_t len, std::string_view what, std::string* out);
  Status short_string(std::string_view what, std::string* out);
  Status long_string(std::string_view what, std::string* out);
  Status properties(Value* out, uint32_t depth, bool end_optional, std::string_view what);
  Status strict_array(Value* out, uint32_t depth);
  Status count_value();

  ByteReader& r_;
  const Limits& limits_;
  uint64_t values_ = 0;
};

Status Decoder::count_value() {
  if (++values_ > limits_.max_values) return limit("value count", values_, limits_.max_values);
  return Status::Ok();
}

// The string bytes after a length was read: the limit first (so a 4 GB claim is a limit error, not an
// allocation), then the bytes that are really there.
Status Decoder::utf8(uint32_t len, std::string_view what, std::string* out) {
  if (len > limits_.max_string_bytes) {
    return limit(std::string(what) + " length", len, limits_.max_string_bytes);
  }
  if (!r_.string(len, out)) {
    return truncated(std::string(what) + " (" + std::to_string(len) + " bytes claimed, " +
                     std::to_string(r_.remaining()) + " left)");
  }
  return Status::Ok();
}

// UTF-8 (section 1.3): U16 length + bytes. Used for strings and property names.
Status Decoder::short_string(std::string_view what, std::string* out) {
  uint16_t len;
  if (!r_.u16(&len)) return truncated(std::string(what) + " length");
  return utf8(len, what, out);
}

// UTF-8-long (section 1.3): U32 length + bytes. Long strings and XML documents.
Status Decoder::long_string(std::string_view what, std::string* out) {
  uint32_t len;
  if (!r_.u32(&len)) return truncated(std::string(what) + " length");
  return utf8(len, what, out);
}

// object-property* object-end (sections 2.5, 2.10, 2.18): name/value pairs until an empty name followed
// by the object-end marker 0x09, e.g. the tail `00 00 09`.
//
// `end_optional` is for ECMA arrays only: some Flash-era encoders end onMetaData's ECMA array at the end
// of the tag without `00 00 09`; librtmp's AMF_Decode and mpegts.js's flv-demuxer accept that, and
// FFmpeg's flvdec keeps the properties it read before the missing marker. We accept it only when the
// sender's own count says the array is complete (count > 0 and that many properties read) and the
// buffer ends right there, at a property boundary (or after the empty name `00 00`); anything else,
// including a cut inside a property, is kTruncated.
Status Decoder::properties(Value* out, uint32_t depth, bool end_optional, std::string_view what) {
  auto may_end_here = [&] {
    return end_optional && r_.empty() && out->ecma_count > 0 &&
           out->properties.size() >= out->ecma_count;
  };
  for (;;) {
    if (may_end_here()) return Status::Ok();
    std::string key;
    Status s = short_string(std::string(what) + " property name", &key);
    if (!s.ok()) return s;
    if (key.empty()) {
      uint8_t marker;
      if (r_.peek_u8(&marker) && marker == static_cast<uint8_t>(Marker::kObjectEnd)) {
        (void)r_.skip(1);
        return Status::Ok();
      }
      if (!r_.peek_u8(&marker)) {
        if (may_end_here()) return Status::Ok();  // `00 00` then the buffer ends
        return truncated(std::string(what) + " object-end marker");
      }
      // An empty name followed by a value is a legal (if odd) property: `00 00 02 ...`.
    }
    if (out->properties.size() >= limits_.max_elements) {
      return limit(std::string(what) + " property count", out->properties.size() + 1,
                   limits_.max_elements);
    }
    Property p;
    p.key = std::move(key);
    s = value(&p.value, depth + 1);
    if (!s.ok()) return s.context(std::string(what) + " property '" + p.key + "'");
    out->properties.push_back(std::move(p));
  }
}

// strict-array-type (section 2.12): U32 count then exactly that many values, no end marker.
Status Decoder::strict_array(Value* out, uint32_t depth) {
  uint32_t count;
  if (!r_.u32(&count)) return truncated("strict array count");
  if (count > limits_.max_elements) return limit("strict array count", count, limits_.max_elements);
  // Every value takes at least its marker byte: a count beyond the bytes left is a truncation, found
  // before reserving anything.
  if (count > r_.remaining()) {
    return truncated("strict array (" + std::to_string(count) + " elements claimed, " +
                     std::to_string(r_.remaining()) + " bytes left)");
  }
  out->elements.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Value v;
    Status s = value(&v, depth + 1);
    if (!s.ok()) return s.context("strict array element " + std::to_string(i));
    out->elements.push_back(std::move(v));
  }
  return Status::Ok();
}

Status Decoder::value(Value* out, uint32_t depth) {
  LW_RETURN_IF_ERROR(count_value());
  uint8_t m;
  if (!r_.u8(&m)) return truncated("value type marker");
  *out = Value();
  out->type = static_cast<Marker>(m);
  auto enter = [&]() -> Status {
    if (depth + 1 > limits_.max_depth) return limit("nesting depth", depth + 1, limits_.max_depth);
    return Status::Ok();
  };
  switch (out->type) {
    case Marker::kNumber:  // 2.2: DOUBLE
      if (!r_.f64(&out->number)) return truncated("number");
      return Status::Ok();
    case Marker::kBoolean: {  // 2.3: U8, non-zero is true
      uint8_t b;
      if (!r_.u8(&b)) return truncated("boolean");
      out->boolean = b != 0;
      return Status::Ok();
    }
    case Marker::kString:  // 2.4
      return short_string("string", &out->string);
    case Marker::kObject:  // 2.5
      LW_RETURN_IF_ERROR(enter());
      return properties(out, depth, /*end_optional=*/false, "object");
    case Marker::kNull:       // 2.7
    case Marker::kUndefined:  // 2.8
    case Marker::kUnsupported:  // 2.14: a value the sender could not serialise; no payload
      return Status::Ok();
    case Marker::kReference:  // 2.9: U16 index of an earlier complex value (kept, not resolved)
      if (!r_.u16(&out->reference)) return truncated("reference index");
      return Status::Ok();
    case Marker::kEcmaArray:  // 2.10: U32 associative-count, then properties and object-end
      if (!r_.u32(&out->ecma_count)) return truncated("ECMA array count");
      LW_RETURN_IF_ERROR(enter());
      // The count is advisory: FFmpeg writes the real count, some servers send 0; the end marker
      // is what ends the array. So the count is never used to reserve or to stop.
      return properties(out, depth, /*end_optional=*/true, "ECMA array");
    case Marker::kObjectEnd:  // 2.11: only valid after an empty property name
      return Status(ErrorCode::kInvalid, "AMF0 object-end marker 0x09 outside an object");
    case Marker::kStrictArray:
      LW_RETURN_IF_ERROR(enter());
      return strict_array(out, depth);
    case Marker::kDate: {  // 2.13: DOUBLE ms since epoch, then S16 time-zone
      if (!r_.f64(&out->number)) return truncated("date milliseconds");
      uint16_t tz;
      if (!r_.u16(&tz)) return truncated("date time-zone");
      out->timezone = static_cast<int16_t>(tz);
      return Status::Ok();
    }
    case Marker::kLongString:  // 2.14
      return long_string("long string", &out->string);
    case Marker::kXmlDocument:  // 2.17: UTF-8-long
      return long_string("XML document", &out->string);
    case Marker::kTypedObject:  // 2.18: class-name (UTF-8), then object properties
      LW_RETURN_IF_ERROR(short_string("typed object class name", &out->string));
      LW_RETURN_IF_ERROR(enter());
      return properties(out, depth, /*end_optional=*/false, "typed object");
    case Marker::kMovieClip:
    case Marker::kRecordSet:
      return Status(ErrorCode::kUnsupported,
                    "AMF0 marker " + marker_hex(m) + " is reserved by the spec (movieclip/recordset)");
    case Marker::kAvmPlus:
      return Status(ErrorCode::kUnsupported, "AMF0 marker 0x11 (avmplus-object, AMF3) is not supported");
  }
  return Status(ErrorCode::kInvalid, "AMF0 unknown type marker " + marker_hex(m));
}

// Property names are UTF-8 (U16 length): a longer key cannot be expressed and is cut at 65535 bytes.
void write_short_string(std::string_view s, ByteWriter& w) {
  if (s.size() > 0xFFFF) s = s.substr(0, 0xFFFF);
  w.u16(static_cast<uint16_t>(s.size()));
  w.string(s);
}

void write_long_string(std::string_view s, ByteWriter& w) {
  w.u32(static_cast<uint32_t>(s.size()));
  w.string(s);
}

void write_properties(const std::vector<Property>& props, ByteWriter& w) {
  for (const Property& p : props) {
    write_short_string(p.key, w);
    encode(p.value, w);
  }
  w.u16(0);  // empty name
  w.u8(static_cast<uint8_t>(Marker::kObjectEnd));
}

// Bit for bit (NaN equals the same NaN, 0 differs from -0), so decode(encode(x)) == x always holds.
// memcpy rather than std::bit_cast: Emscripten 3.1.6's libc++ has no bit_cast.
bool numbers_equal(double a, double b) {
  uint64_t x, y;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  return x == y;
}

// Shortest "%.*g" that reads back as the same double; integers print without a fraction ("640").
std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) {  // 2^53: exact integers
    std::snprintf(buf, sizeof buf, "%.0f", v);
    if (v == 0 && std::signbit(v)) return "-0";
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string quote(std::string_view s) {
  std::string out = "'";
  for (unsigned char c : s) {
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

// Keys print bare when they look like identifiers (`width`), quoted otherwise (`'my key'`, `''`).
std::string format_key(std::string_view k) {
  bool bare = !k.empty();
  for (unsigned char c : k) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$' || c == '.' || c == '-';
    if (!ok) bare = false;
  }
  return bare ? std::string(k) : quote(k);
}

void append(const Value& v, std::string& out);

void append_properties(const std::vector<Property>& props, std::string& out) {
  out += '{';
  for (size_t i = 0; i < props.size(); ++i) {
    if (i) out += ", ";
    out += format_key(props[i].key);
    out += ": ";
    append(props[i].value, out);
  }
  out += '}';
}

void append(const Value& v, std::string& out) {
  switch (v.type) {
    case Marker::kNumber: out += format_number(v.number); return;
    case Marker::kBoolean: out += v.boolean ? "true" : "false"; return;
    case Marker::kString: out += quote(v.string); return;
    case Marker::kLongString: out += "long" + quote(v.string); return;
    case Marker::kXmlDocument: out += "xml" + quote(v.string); return;
    case Marker::kNull: out += "null"; return;
    case Marker::kUndefined: out += "undefined"; return;
    case Marker::kUnsupported: out += "unsupported"; return;
    case Marker::kObjectEnd: out += "object-end"; return;
    case Marker::kReference: out += "ref(" + std::to_string(v.reference) + ")"; return;
    case Marker::kDate:
      out += "date(" + format_number(v.number);
      if (v.timezone != 0) out += ", tz " + std::to_string(v.timezone);
      out += ')';
      return;
    case Marker::kObject: append_properties(v.properties, out); return;
    case Marker::kEcmaArray: out += "ecma"; append_properties(v.properties, out); return;
    case Marker::kTypedObject:
      out += "typed " + quote(v.string) + ' ';
      append_properties(v.properties, out);
      return;
    case Marker::kStrictArray:
      out += '[';
      for (size_t i = 0; i < v.elements.size(); ++i) {
        if (i) out += ", ";
        append(v.elements[i], out);
      }
      out += ']';
      return;
    case Marker::kMovieClip:
    case Marker::kRecordSet:
    case Marker::kAvmPlus:
      break;
  }
  out += "marker(" + marker_hex(static_cast<uint8_t>(v.type)) + ")";
}

}  // namespace

Value Value::Number(double v) {
  Value x;
  x.type = Marker::kNumber;
  x.number = v;
  return x;
}

Value Value::Boolean(bool v) {
  Value x;
  x.type = Marker::kBoolean;
  x.boolean = v;
  return x;
}

Value Value::String(std::string v) {
  Value x;
  x.type = v.size() > 0xFFFF ? Marker::kLongString : Marker::kString;
  x.string = std::move(v);
  return x;
}

Value Value::Null() { return Value(); }

Value Value::Undefined() {
  Value x;
  x.type = Marker::kUndefined;
  return x;
}

Value Value::Object(std::vector<Property> props) {
  Value x;
  x.type = Marker::kObject;
  x.properties = std::move(props);
  return x;
}

Value Value::EcmaArray(std::vector<Property> props) {
  Value x;
  x.type = Marker::kEcmaArray;
  x.ecma_count = static_cast<uint32_t>(props.size());
  x.properties = std::move(props);
  return x;
}

Value Value::StrictArray(std::vector<Value> elements) {
  Value x;
  x.type = Marker::kStrictArray;
  x.elements = std::move(elements);
  return x;
}

Value Value::Object() { return Object(std::vector<Property>()); }
Value Value::EcmaArray() { return EcmaArray(std::vector<Property>()); }
Value Value::StrictArray() { return StrictArray(std::vector<Value>()); }
Value Value::TypedObject(std::string class_name) {
  return TypedObject(std::move(class_name), std::vector<Property>());
}

Value Value::Date(double ms_since_epoch, int16_t timezone) {
  Value x;
  x.type = Marker::kDate;
  x.number = ms_since_epoch;
  x.timezone = timezone;
  return x;
}

Value Value::Reference(uint16_t index) {
  Value x;
  x.type = Marker::kReference;
  x.reference = index;
  return x;
}

Value Value::LongString(std::string v) {
  Value x;
  x.type = Marker::kLongString;
  x.string = std::move(v);
  return x;
}

Value Value::XmlDocument(std::string v) {
  Value x;
  x.type = Marker::kXmlDocument;
  x.string = std::move(v);
  return x;
}

Value Value::TypedObject(std::string class_name, std::vector<Property> props) {
  Value x;
  x.type = Marker::kTypedObject;
  x.string = std::move(class_name);
  x.properties = std::move(props);
  return x;
}

Value Value::Unsupported() {
  Value x;
  x.type = Marker::kUnsupported;
  return x;
}

const Value* Value::find(std::string_view key) const {
  if (!is_object_like()) return nullptr;
  for (const Property& p : properties) {
    if (p.key == key) return &p.value;
  }
  return nullptr;
}

double Value::number_or(std::string_view key, double fallback) const {
  const Value* v = find(key);
  return v && v->is_number() ? v->number : fallback;
}

std::string Value::string_or(std::string_view key, std::string_view fallback) const {
  const Value* v = find(key);
  return v && v->is_string() ? v->string : std::string(fallback);
}

// Compares what the type carries; `ecma_count` is advisory and not compared (a count-0 array from a
// server equals the same array re-encoded by us with its real count).
bool Value::operator==(const Value& other) const {
  if (type != other.type) return false;
  switch (type) {
    case Marker::kNumber: return numbers_equal(number, other.number);
    case Marker::kBoolean: return boolean == other.boolean;
    case Marker::kString:
    case Marker::kLongString:
    case Marker::kXmlDocument: return string == other.string;
    case Marker::kReference: return reference == other.reference;
    case Marker::kDate: return numbers_equal(number, other.number) && timezone == other.timezone;
    case Marker::kObject:
    case Marker::kEcmaArray: return properties == other.properties;
    case Marker::kTypedObject: return string == other.string && properties == other.properties;
    case Marker::kStrictArray: return elements == other.elements;
    default: return true;  // markers without payload
  }
}

Status decode(ByteReader& reader, Value* out, const Limits& limits) {
  Decoder d(reader, limits);
  return d.value(out, 0);
}

Result<std::vector<Value>> decode_all(ByteSpan data, const Limits& limits) {
  ByteReader r(data);
  Decoder d(r, limits);
  std::vector<Value> values;
  while (!r.empty()) {
    Value v;
    Status s = d.value(&v, 0);
    if (!s.ok()) return s.context("value " + std::to_string(values.size()));
    values.push_back(std::move(v));
  }
  return values;
}

void encode(const Value& v, ByteWriter& w) {
  Marker type = v.type;
  // A short string that does not fit a U16 length goes out as a long string (section 2.14).
  if (type == Marker::kString && v.string.size() > 0xFFFF) type = Marker::kLongString;
  switch (type) {
    case Marker::kNumber:
      w.u8(static_cast<uint8_t>(type));
      w.f64(v.number);
      return;
    case Marker::kBoolean:
      w.u8(static_cast<uint8_t>(type));
      w.u8(v.boolean ? 1 : 0);
      return;
    case Marker::kString:
      w.u8(static_cast<uint8_t>(type));
      write_short_string(v.string, w);
      return;
    case Marker::kLongString:
    case Marker::kXmlDocument:
      w.u8(static_cast<uint8_t>(type));
      write_long_string(v.string, w);
      return;
    case Marker::kNull:
    case Marker::kUndefined:
    case Marker::kUnsupported:
    case Marker::kObjectEnd:
      w.u8(static_cast<uint8_t>(type));
      return;
    case Marker::kReference:
      w.u8(static_cast<uint8_t>(type));
      w.u16(v.reference);
      return;
    case Marker::kDate:
      w.u8(static_cast<uint8_t>(type));
      w.f64(v.number);
      w.u16(static_cast<uint16_t>(v.timezone));
      return;
    case Marker::kObject:
      w.u8(static_cast<uint8_t>(type));
      write_properties(v.properties, w);
      return;
    case Marker::kEcmaArray:
      // The count as the value carries it (EcmaArray() sets the real count; a decoded value keeps
      // what the sender wrote, so relayed metadata is byte-identical).
      w.u8(static_cast<uint8_t>(type));
      w.u32(v.ecma_count);
      write_properties(v.properties, w);
      return;
    case Marker::kTypedObject:
      w.u8(static_cast<uint8_t>(type));
      write_short_string(v.string, w);
      write_properties(v.properties, w);
      return;
    case Marker::kStrictArray:
      w.u8(static_cast<uint8_t>(type));
      w.u32(static_cast<uint32_t>(v.elements.size()));
      for (const Value& e : v.elements) encode(e, w);
      return;
    case Marker::kMovieClip:
    case Marker::kRecordSet:
    case Marker::kAvmPlus:
      break;
  }
  // Types we cannot serialise go out as the spec's "unsupported" marker (section 2.15).
  w.u8(static_cast<uint8_t>(Marker::kUnsupported));
}

void encode_all(const std::vector<Value>& values, ByteWriter& writer) {
  for (const Value& v : values) encode(v, writer);
}

std::string to_string(const Value& value) {
  std::string out;
  append(value, out);
  return out;
}

}  // namespace lw::amf0
