// AMF0 (Action Message Format 0, Adobe "AMF 0 File Format Specification", December 2007): the value
// encoding of RTMP commands and of FLV script data (onMetaData). Every type of the spec is decoded;
// the types the spec marks reserved or unsupported (movieclip 0x04, recordset 0x0E, unsupported 0x0D
// is accepted as a value) and AVM+ (0x11, switches to AMF3) are reported as kUnsupported.
//
// Decoding is bounded: nesting depth, string sizes, element counts and total values are limited so
// that a hostile peer cannot make us recurse 10,000 deep or reserve 4 GB for a strict array that
// claims 0xFFFFFFFF elements.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/status.h"

namespace lw::amf0 {

// Type markers, AMF0 spec section 2.1.
enum class Marker : uint8_t {
  kNumber = 0x00,
  kBoolean = 0x01,
  kString = 0x02,
  kObject = 0x03,
  kMovieClip = 0x04,  // reserved, not supported
  kNull = 0x05,
  kUndefined = 0x06,
  kReference = 0x07,
  kEcmaArray = 0x08,
  kObjectEnd = 0x09,
  kStrictArray = 0x0A,
  kDate = 0x0B,
  kLongString = 0x0C,
  kUnsupported = 0x0D,
  kRecordSet = 0x0E,  // reserved, not supported
  kXmlDocument = 0x0F,
  kTypedObject = 0x10,
  kAvmPlus = 0x11,  // AMF3 follows: not supported
};

struct Property;

// One AMF0 value. A plain tagged struct rather than a variant so that tests and bindings can build
// values with designated helpers and compare them with ==.
struct Value {
  Marker type = Marker::kNull;
  double number = 0;             // kNumber; kDate: milliseconds since the epoch
  bool boolean = false;          // kBoolean
  std::string string;            // kString, kLongString, kXmlDocument; kTypedObject: class name
  std::vector<Property> properties;  // kObject, kEcmaArray, kTypedObject (in wire order)
  std::vector<Value> elements;   // kStrictArray
  uint16_t reference = 0;        // kReference: index of an earlier complex value
  int16_t timezone = 0;          // kDate: the spec says send 0x0000; kept as read
  uint32_t ecma_count = 0;       // kEcmaArray: the associative-count as sent (advisory only)

  static Value Number(double v);
  static Value Boolean(bool v);
  static Value String(std::string v);  // encodes as long string when over 65535 bytes
  static Value Null();
  static Value Undefined();
  // No `= {}` default arguments here: Property is still incomplete inside Value, which clang rejects
  // (g++ accepts); the empty forms are overloads instead, so `Value::Object()` works as before.
  static Value Object();
  static Value Object(std::vector<Property> props);
  static Value EcmaArray();
  static Value EcmaArray(std::vector<Property> props);
  static Value StrictArray();
  static Value StrictArray(std::vector<Value> elements);
  static Value Date(double ms_since_epoch, int16_t timezone = 0);
  static Value Reference(uint16_t index);
  // Added with the implementation (the rest of the types, for tests and relays):
  static Value LongString(std::string v);  // always marker 0x0C, whatever the length
  static Value XmlDocument(std::string v);
  static Value TypedObject(std::string class_name);
  static Value TypedObject(std::string class_name, std::vector<Property> props);
  static Value Unsupported();  // marker 0x0D as a value

  bool is_number() const { return type == Marker::kNumber; }
  bool is_string() const { return type == Marker::kString || type == Marker::kLongString; }
  bool is_object_like() const {
    return type == Marker::kObject || type == Marker::kEcmaArray || type == Marker::kTypedObject;
  }
  // First property with this key in an object, ECMA array or typed object; nullptr otherwise.
  const Value* find(std::string_view key) const;
  // Convenience lookups: the default when the key is absent or of another type.
  double number_or(std::string_view key, double fallback) const;
  std::string string_or(std::string_view key, std::string_view fallback) const;

  bool operator==(const Value& other) const;
};

struct Property {
  std::string key;
  Value value;
  bool operator==(const Property& other) const { return key == other.key && value == other.value; }
};

struct Limits {
  uint32_t max_depth = 64;              // objects/arrays inside each other
  uint32_t max_string_bytes = 1 << 20;  // one string or long string
  uint32_t max_elements = 1 << 16;      // properties or elements in one container
  uint32_t max_values = 1 << 18;        // values in one decode call, all levels together
};

// Decodes one value at the reader's position and advances past it. On error the reader's position is
// unspecified and the Status names the offending marker or field. Errors: kTruncated (the input ends
// inside a value; the reason names what was being read), kLimitExceeded (a Limits bound; checked before
// anything is allocated), kUnsupported (markers 0x04, 0x0E, 0x11), kInvalid (unknown marker, or 0x09
// outside an object). Nesting is decoded by recursion bounded by max_depth, so keep max_depth modest.
// Tolerance: an ECMA array whose properties run to the end of the buffer without `00 00 09` is
// accepted when its count is non-zero and that many properties were read (old Flash encoders' onMetaData).
// References (0x07) are kept as indexes, not resolved.
Status decode(ByteReader& reader, Value* out, const Limits& limits = {});

// Decodes every value in `data` (an RTMP command message body is a sequence of values).
Result<std::vector<Value>> decode_all(ByteSpan data, const Limits& limits = {});

// Appends the encoding of `value`. Strings over 65535 bytes are written as long strings. An ECMA array is
// written with its `ecma_count` as carried (EcmaArray() sets the real count; a decoded value keeps the
// sender's, so relayed metadata is byte-identical). Property names over 65535 bytes are cut to fit;
// markers that cannot be encoded (0x04, 0x0E, 0x11) are written as 0x0D unsupported.
// Value::operator== compares what each type carries (numbers bit for bit) and ignores ecma_count.
void encode(const Value& value, ByteWriter& writer);
void encode_all(const std::vector<Value>& values, ByteWriter& writer);

// "ecma{duration: 0, width: 640, framerate: 29.97, encoder: 'Lavf59.27.100'}": for golden files, logs
// and test failures. Deterministic; every type prints distinctly: objects `{k: v}`, ECMA arrays
// `ecma{k: v}`, typed objects `typed 'Class' {k: v}`, strict arrays `[a, b]`, strings `'s'` (with `\'`,
// `\\` and `\xNN` escapes), long strings `long's'`, XML `xml's'`, `date(ms)`/`date(ms, tz N)`,
// `ref(N)`, `null`, `undefined`, `unsupported`, `true`/`false`. Integral numbers print as integers
// (`640`), others with the fewest digits that read back exactly (`29.97`); keys print bare when they
// are made of [A-Za-z0-9_$.-], quoted otherwise.
std::string to_string(const Value& value);

}  // namespace lw::amf0
