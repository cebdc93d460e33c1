#include "amf/amf0.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "test_vectors.h"

namespace lw::amf0 {
namespace {

using lw::test::from_hex;

Bytes encoded(const Value& v) {
  Bytes out;
  ByteWriter w(&out);
  encode(v, w);
  return out;
}

Bytes encoded_all(const std::vector<Value>& v) {
  Bytes out;
  ByteWriter w(&out);
  encode_all(v, w);
  return out;
}

Result<Value> decode_one(const Bytes& b, const Limits& limits = {}) {
  ByteReader r(as_span(b));
  Value v;
  Status s = decode(r, &v, limits);
  if (!s.ok()) return s;
  if (!r.empty()) return Status(ErrorCode::kInvalid, "trailing bytes after the value");
  return v;
}

// The body of the RTMP `connect` command message FFmpeg 5.1 (Lavf59.27.100, Debian bookworm) sent when
// publishing to rtmp://127.0.0.1:30588/live/stream: captured on loopback with a stub server, chunk
// headers (and the 0xC3 continuation after 128 bytes) removed.
const char* kFfmpegConnect =
    "020007636f6e6e656374003ff00000000000000300036170700200046c697665"
    "00047479706502000a6e6f6e707269766174650008666c617368566572020024"
    "464d4c452f332e302028636f6d70617469626c653b204c61766635392e32372e"
    "313030290005746355726c02001b72746d703a2f2f3132372e302e302e313a33"
    "303538382f6c697665000009";

// nginx 1.22 + nginx-rtmp 1.2.2's `_result` for that connect, captured the same way.
const char* kNginxConnectResult =
    "0200075f726573756c74003ff0000000000000030006666d7356657202000d46"
    "4d532f332c302c312c313233000c6361706162696c697469657300403f000000"
    "0000000000090300056c6576656c0200067374617475730004636f646502001d"
    "4e6574436f6e6e656374696f6e2e436f6e6e6563742e53756363657373000b64"
    "65736372697074696f6e020015436f6e6e656374696f6e207375636365656465"
    "642e000e6f626a656374456e636f64696e67000000000000000000000009";

// The script tag body (onMetaData) of an FLV written by the same ffmpeg (640x360 H.264 + AAC, 0.2 s).
// Note `videodatarate: 0` is the number 00 00..00 followed by the next key's length 00 09: the bytes
// `00 00 09` occur mid-array without being the object end.
const char* kFfmpegOnMetaData =
    "02000a6f6e4d65746144617461080000000d00086475726174696f6e003fd116"
    "872b020c4a000577696474680040840000000000000006686569676874004076"
    "800000000000000d766964656f64617461726174650000000000000000000009"
    "6672616d657261746500403e000000000000000c766964656f636f6465636964"
    "00401c000000000000000d617564696f6461746172617465004050d880000000"
    "00000f617564696f73616d706c65726174650040e5888000000000000f617564"
    "696f73616d706c6573697a65004030000000000000000673746572656f010000"
    "0c617564696f636f64656369640040240000000000000007656e636f64657202"
    "000d4c61766635392e32372e313030000866696c6573697a650040d994000000"
    "0000000009";

// One value of every encodable type, nested, used by the round-trip and truncation tests.
Value every_type() {
  return Value::Object({
      {"number", Value::Number(29.97)},
      {"bool", Value::Boolean(true)},
      {"string", Value::String("héllo")},
      {"long", Value::LongString("long string")},
      {"null", Value::Null()},
      {"undefined", Value::Undefined()},
      {"ref", Value::Reference(3)},
      {"ecma", Value::EcmaArray({{"a", Value::Number(1)}, {"", Value::Number(2)}})},
      {"strict", Value::StrictArray({Value::Number(1), Value::String("x"), Value::Null()})},
      {"date", Value::Date(1700000000000.0, 0)},
      {"xml", Value::XmlDocument("<a/>")},
      {"typed", Value::TypedObject("flex.Foo", {{"k", Value::Boolean(false)}})},
      {"unsupported", Value::Unsupported()},
      {"empty", Value::Object()},
  });
}

TEST(Amf0, GoldenBytesOfEveryScalarType) {
  EXPECT_EQ(encoded(Value::Number(640)), from_hex("00 4084000000000000"));
  EXPECT_EQ(encoded(Value::Boolean(true)), from_hex("01 01"));
  EXPECT_EQ(encoded(Value::Boolean(false)), from_hex("01 00"));
  EXPECT_EQ(encoded(Value::String("app")), from_hex("02 0003 617070"));
  EXPECT_EQ(encoded(Value::Object({{"a", Value::Null()}})), from_hex("03 0001 61 05 0000 09"));
  EXPECT_EQ(encoded(Value::Null()), from_hex("05"));
  EXPECT_EQ(encoded(Value::Undefined()), from_hex("06"));
  EXPECT_EQ(encoded(Value::Reference(0x0102)), from_hex("07 0102"));
  EXPECT_EQ(encoded(Value::EcmaArray({{"a", Value::Boolean(true)}})),
            from_hex("08 00000001 0001 61 0101 0000 09"));
  EXPECT_EQ(encoded(Value::StrictArray({Value::Null(), Value::Undefined()})),
            from_hex("0A 00000002 05 06"));
  EXPECT_EQ(encoded(Value::Date(1.0, -60)), from_hex("0B 3FF0000000000000 FFC4"));
  EXPECT_EQ(encoded(Value::LongString("ab")), from_hex("0C 00000002 6162"));
  EXPECT_EQ(encoded(Value::Unsupported()), from_hex("0D"));
  EXPECT_EQ(encoded(Value::XmlDocument("<a/>")), from_hex("0F 00000004 3C612F3E"));
  EXPECT_EQ(encoded(Value::TypedObject("C", {})), from_hex("10 0001 43 0000 09"));
}

TEST(Amf0, RoundTripsEveryType) {
  const Value v = every_type();
  const Bytes bytes = encoded(v);
  auto back = decode_one(bytes);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, v) << to_string(*back);
  EXPECT_EQ(encoded(*back), bytes);
  // Each property on its own, too, so a failure names the type.
  for (const Property& p : v.properties) {
    auto one = decode_one(encoded(p.value));
    ASSERT_TRUE(one.ok()) << p.key << ": " << one.status().to_string();
    EXPECT_EQ(*one, p.value) << p.key;
  }
}

TEST(Amf0, DecodesFfmpegConnectCommandAndReencodesItByteForByte) {
  const Bytes wire = from_hex(kFfmpegConnect);
  auto values = decode_all(as_span(wire));
  ASSERT_TRUE(values.ok()) << values.status().to_string();
  ASSERT_EQ(values->size(), 3u);
  EXPECT_EQ((*values)[0], Value::String("connect"));
  EXPECT_EQ((*values)[1], Value::Number(1));
  const Value& cmd = (*values)[2];
  EXPECT_EQ(cmd.type, Marker::kObject);
  EXPECT_EQ(cmd.string_or("app", ""), "live");
  EXPECT_EQ(cmd.string_or("tcUrl", ""), "rtmp://127.0.0.1:30588/live");
  EXPECT_EQ(to_string(cmd),
            "{app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)', "
            "tcUrl: 'rtmp://127.0.0.1:30588/live'}");
  EXPECT_EQ(encoded_all(*values), wire);
  // And the same message built by hand, as the RTMP session will build it.
  const std::vector<Value> built = {
      Value::String("connect"), Value::Number(1),
      Value::Object({{"app", Value::String("live")},
                     {"type", Value::String("nonprivate")},
                     {"flashVer", Value::String("FMLE/3.0 (compatible; Lavf59.27.100)")},
                     {"tcUrl", Value::String("rtmp://127.0.0.1:30588/live")}})};
  EXPECT_EQ(encoded_all(built), wire);
}

TEST(Amf0, DecodesNginxRtmpConnectResult) {
  const Bytes wire = from_hex(kNginxConnectResult);
  auto values = decode_all(as_span(wire));
  ASSERT_TRUE(values.ok()) << values.status().to_string();
  ASSERT_EQ(values->size(), 4u);
  std::string text;
  for (const Value& v : *values) text += to_string(v) + "\n";
  EXPECT_EQ(text,
            "'_result'\n"
            "1\n"
            "{fmsVer: 'FMS/3,0,1,123', capabilities: 31}\n"
            "{level: 'status', code: 'NetConnection.Connect.Success', "
            "description: 'Connection succeeded.', objectEncoding: 0}\n");
  EXPECT_EQ((*values)[3].string_or("code", "?"), "NetConnection.Connect.Success");
  EXPECT_EQ(encoded_all(*values), wire);
}

TEST(Amf0, DecodesFfmpegOnMetaData) {
  const Bytes wire = from_hex(kFfmpegOnMetaData);
  auto values = decode_all(as_span(wire));
  ASSERT_TRUE(values.ok()) << values.status().to_string();
  ASSERT_EQ(values->size(), 2u);
  const Value& meta = (*values)[1];
  EXPECT_EQ(meta.type, Marker::kEcmaArray);
  EXPECT_EQ(meta.ecma_count, 13u);
  EXPECT_EQ(meta.properties.size(), 13u);
  EXPECT_EQ(meta.number_or("width", 0), 640);
  EXPECT_EQ(meta.number_or("height", 0), 360);
  EXPECT_EQ(meta.number_or("missing", -1), -1);
  EXPECT_EQ(meta.number_or("encoder", -1), -1) << "a string is not a number";
  EXPECT_EQ(meta.string_or("encoder", ""), "Lavf59.27.100");
  EXPECT_EQ(to_string(meta),
            "ecma{duration: 0.267, width: 640, height: 360, videodatarate: 0, framerate: 30, "
            "videocodecid: 7, audiodatarate: 67.3828125, audiosamplerate: 44100, "
            "audiosamplesize: 16, stereo: false, audiocodecid: 10, encoder: 'Lavf59.27.100', "
            "filesize: 26192}");
  EXPECT_EQ(encoded_all(*values), wire);
}

TEST(Amf0, EcmaArrayCountIsAdvisoryZeroCountFromServers) {
  // Some servers send associative-count 0 and rely on the object end.
  const Bytes wire = from_hex("08 00000000 0001 61 00 3FF0000000000000 0001 62 0101 0000 09");
  auto v = decode_one(wire);
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  EXPECT_EQ(v->ecma_count, 0u);
  EXPECT_EQ(v->properties.size(), 2u);
  EXPECT_EQ(encoded(*v), wire) << "the count is relayed as sent";
  EXPECT_EQ(*v, Value::EcmaArray({{"a", Value::Number(1)}, {"b", Value::Boolean(true)}}))
      << "== ignores the advisory count";
}

TEST(Amf0, EcmaArrayCountLargerThanContentStillEndsAtObjectEnd) {
  auto v = decode_one(from_hex("08 000000FF 0001 61 05 0000 09"));
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  EXPECT_EQ(v->properties.size(), 1u);
}

TEST(Amf0, EcmaArrayWithoutObjectEndIsAcceptedOnlyWhenItsCountIsComplete) {
  // Old encoders' onMetaData: count 2, two properties, then the buffer (tag) ends.
  auto ok = decode_all(as_span(from_hex("08 00000002 0001 61 05 0001 62 06")));
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  EXPECT_EQ((*ok)[0].properties.size(), 2u);
  // Also with the empty name present and only the 0x09 missing.
  EXPECT_TRUE(decode_all(as_span(from_hex("08 00000002 0001 61 05 0001 62 06 0000"))).ok());
  // Count says 3, only 2 there: truncated, not silently short.
  auto short_count = decode_all(as_span(from_hex("08 00000003 0001 61 05 0001 62 06")));
  ASSERT_FALSE(short_count.ok());
  EXPECT_EQ(short_count.status().code(), ErrorCode::kTruncated);
  // Count 0 gives no evidence of completeness: truncated.
  EXPECT_EQ(decode_all(as_span(from_hex("08 00000000 0001 61 05"))).status().code(),
            ErrorCode::kTruncated);
  // Objects always need their end marker.
  EXPECT_EQ(decode_all(as_span(from_hex("03 0001 61 05"))).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(decode_all(as_span(from_hex("03 0001 61 05 0000"))).status().code(),
            ErrorCode::kTruncated);
}

TEST(Amf0, EmptyPropertyNameFollowedByAValueIsAProperty) {
  auto v = decode_one(from_hex("03 0000 05 0000 09"));
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  ASSERT_EQ(v->properties.size(), 1u);
  EXPECT_EQ(v->properties[0].key, "");
  EXPECT_EQ(v->properties[0].value, Value::Null());
}

TEST(Amf0, NonZeroBooleanByteIsTrue) {
  auto v = decode_one(from_hex("01 02"));
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->boolean);
}

TEST(Amf0, LongStringsOver65535BytesAreWrittenAsLongStrings) {
  const std::string big(70000, 'x');
  Value s = Value::String(big);
  EXPECT_EQ(s.type, Marker::kLongString);
  Value forced;
  forced.type = Marker::kString;
  forced.string = big;
  const Bytes b = encoded(forced);
  ASSERT_EQ(b.size(), 5u + big.size());
  EXPECT_EQ(b[0], 0x0C);
  auto back = decode_one(b);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->string, big);
  EXPECT_TRUE(back->is_string());
}

TEST(Amf0, UnsupportedAndUnknownMarkers) {
  for (uint8_t m : {0x04, 0x0E, 0x11}) {
    auto v = decode_one(Bytes{m, 0, 0, 0, 0});
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), ErrorCode::kUnsupported) << int(m);
  }
  for (uint8_t m : {0x12, 0x80, 0xFF}) {
    auto v = decode_one(Bytes{m});
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), ErrorCode::kInvalid) << int(m);
    EXPECT_NE(v.status().reason().find("marker"), std::string::npos);
  }
  auto stray_end = decode_one(Bytes{0x09});
  EXPECT_EQ(stray_end.status().code(), ErrorCode::kInvalid);
  // Unsupported (0x0D) as a value is fine, and so is it inside an object.
  EXPECT_TRUE(decode_one(from_hex("03 0001 61 0D 0000 09")).ok());
  // Values we cannot encode go out as 0x0D.
  Value movie;
  movie.type = Marker::kMovieClip;
  EXPECT_EQ(encoded(movie), from_hex("0D"));
}

TEST(Amf0, TruncationReasonNamesWhatWasBeingRead) {
  struct Case {
    const char* hex;
    const char* field;
  };
  const Case cases[] = {
      {"", "value type marker"},
      {"00 4084", "number"},
      {"01", "boolean"},
      {"02 00", "string length"},
      {"02 0005 6162", "string"},
      {"03 0001", "object property name"},
      {"03 0001 61", "value type marker"},
      {"03 0001 61 05 0000", "object-end marker"},
      {"07 01", "reference index"},
      {"08 0000", "ECMA array count"},
      {"0A 00000002 05", "2 elements claimed, 1 bytes left"},
      {"0A 00000002 05 01", "strict array element 1: AMF0 input ends inside boolean"},
      {"0A 000000", "strict array count"},
      {"0B 3FF0000000000000 00", "date time-zone"},
      {"0C 000000", "long string length"},
      {"0F 00000004 3C", "XML document"},
      {"10 0003 4142", "typed object class name"},
  };
  for (const Case& c : cases) {
    auto v = decode_one(from_hex(c.hex));
    ASSERT_FALSE(v.ok()) << c.hex;
    EXPECT_EQ(v.status().code(), ErrorCode::kTruncated) << c.hex;
    EXPECT_NE(v.status().reason().find(c.field), std::string::npos)
        << c.hex << " -> " << v.status().reason();
  }
}

// Every strict prefix of a valid single-value encoding is an error (kTruncated), never a crash and never
// a silently shorter value.
void ExpectEveryPrefixTruncated(const Bytes& full, const std::vector<size_t>& tolerated = {}) {
  auto whole = decode_one(full);
  ASSERT_TRUE(whole.ok()) << whole.status().to_string();
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    auto v = decode_one(prefix);
    if (std::find(tolerated.begin(), tolerated.end(), n) != tolerated.end()) {
      ASSERT_TRUE(v.ok()) << "prefix " << n << ": " << v.status().to_string();
      EXPECT_EQ(*v, *whole) << "prefix " << n;
      continue;
    }
    ASSERT_FALSE(v.ok()) << "prefix " << n << " of " << full.size() << " decoded as "
                         << to_string(*v);
    EXPECT_EQ(v.status().code(), ErrorCode::kTruncated)
        << "prefix " << n << ": " << v.status().to_string();
  }
}

TEST(Amf0, EveryTruncationOfEveryTypeIsAnError) { ExpectEveryPrefixTruncated(encoded(every_type())); }

TEST(Amf0, EveryTruncationOfTheConnectCommandIsAnError) {
  auto values = decode_all(as_span(from_hex(kFfmpegConnect)));
  ASSERT_TRUE(values.ok());
  for (const Value& v : *values) ExpectEveryPrefixTruncated(encoded(v));
  auto result = decode_all(as_span(from_hex(kNginxConnectResult)));
  ASSERT_TRUE(result.ok());
  for (const Value& v : *result) ExpectEveryPrefixTruncated(encoded(v));
}

TEST(Amf0, EveryTruncationOfOnMetaDataIsAnErrorExceptTheMissingEndTolerance) {
  auto values = decode_all(as_span(from_hex(kFfmpegOnMetaData)));
  ASSERT_TRUE(values.ok());
  const Bytes meta = encoded((*values)[1]);
  // Cut right after the 13th (last) property, or after its `00 00`: the count says it is complete.
  ExpectEveryPrefixTruncated(meta, {meta.size() - 3, meta.size() - 1});
}

Bytes nested(size_t depth, std::string_view open_hex) {
  Bytes out;
  const Bytes open = from_hex(open_hex);
  for (size_t i = 0; i < depth; ++i) out.insert(out.end(), open.begin(), open.end());
  out.push_back(0x05);  // innermost: null
  return out;
}

TEST(Amf0, TenThousandDeepNestingIsALimitErrorNotACrash) {
  // Objects (`03 0001 61` = object with key "a"), ECMA arrays, strict arrays of one element, typed
  // objects: 10,000 levels each, with no closing bytes at all.
  for (const char* open : {"03 0001 61", "08 00000001 0001 61", "0A 00000001", "10 0001 43 0001 61"}) {
    const Bytes deep = nested(10000, open);
    auto v = decode_all(as_span(deep));
    ASSERT_FALSE(v.ok()) << open;
    EXPECT_EQ(v.status().code(), ErrorCode::kLimitExceeded) << open;
    EXPECT_NE(v.status().reason().find("nesting depth"), std::string::npos);
  }
}

TEST(Amf0, DepthLimitIsExact) {
  Limits limits;
  limits.max_depth = 5;
  // 5 strict arrays inside each other with a null inside: depth 5, accepted.
  EXPECT_TRUE(decode_one(nested(5, "0A 00000001"), limits).ok());
  auto six = decode_one(nested(6, "0A 00000001"), limits);
  EXPECT_EQ(six.status().code(), ErrorCode::kLimitExceeded);
  limits.max_depth = 0;
  EXPECT_TRUE(decode_one(from_hex("00 0000000000000000"), limits).ok()) << "scalars need no depth";
  EXPECT_EQ(decode_one(from_hex("03 0000 09"), limits).status().code(), ErrorCode::kLimitExceeded);
}

TEST(Amf0, StrictArrayClaimingFourBillionElementsReservesNothing) {
  const Bytes wire = from_hex("0A FFFFFFFF 05 05");
  EXPECT_EQ(decode_one(wire).status().code(), ErrorCode::kLimitExceeded);
  // Even with the element limit lifted the count is checked against the bytes left before reserving
  // (a reserve of 4G Values would abort under ASan / throw without it).
  Limits unlimited;
  unlimited.max_elements = std::numeric_limits<uint32_t>::max();
  unlimited.max_values = std::numeric_limits<uint32_t>::max();
  auto v = decode_one(wire, unlimited);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), ErrorCode::kTruncated);
  EXPECT_NE(v.status().reason().find("strict array"), std::string::npos);
}

TEST(Amf0, FourGigabyteStringLengthsAreRefusedBeforeAllocation) {
  for (const char* hex : {"0C FFFFFFFF 61", "0F FFFFFFFF 61"}) {
    EXPECT_EQ(decode_one(from_hex(hex)).status().code(), ErrorCode::kLimitExceeded) << hex;
    Limits unlimited;
    unlimited.max_string_bytes = std::numeric_limits<uint32_t>::max();
    EXPECT_EQ(decode_one(from_hex(hex), unlimited).status().code(), ErrorCode::kTruncated) << hex;
  }
  EXPECT_EQ(decode_one(from_hex("08 FFFFFFFF")).status().code(), ErrorCode::kTruncated)
      << "a huge ECMA count is only advisory";
}

TEST(Amf0, StringAndKeyLengthLimits) {
  Limits limits;
  limits.max_string_bytes = 3;
  EXPECT_TRUE(decode_one(from_hex("02 0003 616263"), limits).ok());
  EXPECT_EQ(decode_one(from_hex("02 0004 61626364"), limits).status().code(),
            ErrorCode::kLimitExceeded);
  auto key = decode_one(from_hex("03 0004 61626364 05 0000 09"), limits);
  EXPECT_EQ(key.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(key.status().reason().find("property name"), std::string::npos);
}

TEST(Amf0, ElementAndValueCountLimits) {
  Limits limits;
  limits.max_elements = 2;
  EXPECT_TRUE(decode_one(from_hex("0A 00000002 05 05"), limits).ok());
  EXPECT_EQ(decode_one(from_hex("0A 00000003 05 05 05"), limits).status().code(),
            ErrorCode::kLimitExceeded);
  EXPECT_TRUE(decode_one(from_hex("03 0001 61 05 0001 62 05 0000 09"), limits).ok());
  EXPECT_EQ(decode_one(from_hex("03 0001 61 05 0001 62 05 0001 63 05 0000 09"), limits)
                .status()
                .code(),
            ErrorCode::kLimitExceeded);
  EXPECT_EQ(decode_one(from_hex("08 00000000 0001 61 05 0001 62 05 0001 63 05 0000 09"), limits)
                .status()
                .code(),
            ErrorCode::kLimitExceeded);

  Limits values;
  values.max_values = 3;  // the array itself + 2 elements
  EXPECT_TRUE(decode_one(from_hex("0A 00000002 05 05"), values).ok());
  EXPECT_EQ(decode_one(from_hex("0A 00000003 05 05 05"), values).status().code(),
            ErrorCode::kLimitExceeded);
  // decode_all counts across the top-level values of one call.
  EXPECT_TRUE(decode_all(as_span(from_hex("05 05 05")), values).ok());
  EXPECT_EQ(decode_all(as_span(from_hex("05 05 05 05")), values).status().code(),
            ErrorCode::kLimitExceeded);
}

TEST(Amf0, ToStringIsDeterministicAndReadable) {
  EXPECT_EQ(to_string(Value::Number(640)), "640");
  EXPECT_EQ(to_string(Value::Number(29.97)), "29.97");
  EXPECT_EQ(to_string(Value::Number(30000.0 / 1001.0)), "29.97002997002997");
  EXPECT_EQ(to_string(Value::Number(0.1)), "0.1");
  EXPECT_EQ(to_string(Value::Number(-2.5)), "-2.5");
  EXPECT_EQ(to_string(Value::Number(-0.0)), "-0");
  EXPECT_EQ(to_string(Value::Number(1e300)), "1e+300");
  EXPECT_EQ(to_string(Value::Number(9007199254740993.0 * 4)), "3.602879701896397e+16");
  EXPECT_EQ(to_string(Value::Number(std::nan(""))), "NaN");
  EXPECT_EQ(to_string(Value::Number(-INFINITY)), "-Infinity");
  EXPECT_EQ(to_string(Value::String("it's \\ \n")), "'it\\'s \\\\ \\x0A'");
  EXPECT_EQ(to_string(Value::Object({{"my key", Value::Null()}, {"", Value::Undefined()}})),
            "{'my key': null, '': undefined}");
  EXPECT_EQ(to_string(every_type()),
            "{number: 29.97, bool: true, string: 'héllo', long: long'long string', null: null, "
            "undefined: undefined, ref: ref(3), ecma: ecma{a: 1, '': 2}, strict: [1, 'x', null], "
            "date: date(1700000000000), xml: xml'<a/>', typed: typed 'flex.Foo' {k: false}, "
            "unsupported: unsupported, empty: {}}");
  EXPECT_EQ(to_string(Value::Date(5, -60)), "date(5, tz -60)");
}

TEST(Amf0, EqualityComparesWhatTheTypeCarries) {
  EXPECT_EQ(Value::Number(1), Value::Number(1));
  EXPECT_NE(Value::Number(1), Value::Number(2));
  EXPECT_NE(Value::Number(1), Value::String("1"));
  EXPECT_NE(Value::String("a"), Value::LongString("a")) << "the marker is part of the value";
  EXPECT_EQ(Value::Number(std::nan("")), Value::Number(std::nan(""))) << "bitwise, for round trips";
  EXPECT_NE(Value::Date(1, 0), Value::Date(1, 60));
  EXPECT_NE(Value::Object({{"a", Value::Null()}}), Value::Object({{"b", Value::Null()}}));
  EXPECT_NE(Value::Object(), Value::EcmaArray());
  EXPECT_NE(Value::TypedObject("A"), Value::TypedObject("B"));
}

TEST(Amf0, FindLooksOnlyIntoObjectLikeValues) {
  const Value obj = Value::Object({{"a", Value::Number(1)}, {"a", Value::Number(2)}});
  ASSERT_NE(obj.find("a"), nullptr);
  EXPECT_EQ(obj.find("a")->number, 1) << "first match wins";
  EXPECT_EQ(obj.find("b"), nullptr);
  EXPECT_EQ(Value::StrictArray({Value::Number(1)}).find("0"), nullptr);
  EXPECT_EQ(Value::String("a").string_or("a", "fallback"), "fallback");
}

}  // namespace
}  // namespace lw::amf0
