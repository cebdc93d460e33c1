// Chunk stream reader edge cases (Adobe RTMP spec 1.0, section 5.3 "Chunking"), on literal bytes.
// Every case is fed whole, in every 2-way split and 1 byte at a time, and must give the same
// messages and the same error each way (the reader's split-invariance contract).
//
// Reminder of the wire layout (5.3.1):
//   basic header  5.3.1.1  fmt(2) csid(6)        csid 2..63     1 byte   e.g. 06, 46, 86, c6
//                          fmt(2) 000000 b1      csid 64..319   2 bytes  csid = 64 + b1
//                          fmt(2) 000001 b1 b2   csid 64..65599 3 bytes  csid = 64 + b1 + 256*b2
//   message header 5.3.1.2 fmt 0: ts(3) len(3) type(1) msid(4 LE); fmt 1: delta(3) len(3) type(1);
//                          fmt 2: delta(3); fmt 3: nothing
//   extended ts   5.3.1.3  4 bytes after the message header when the 24-bit field is ffffff; repeated
//                          in fmt-3 chunks of the chunk stream (what nginx-rtmp and FFmpeg send)
#include <gtest/gtest.h>

#include <random>

#include "rtmp/rtmp_chunk_reader.h"
#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp_test_util.h"

namespace lw::rtmp {
namespace {

using rtmp_test::concat;
using rtmp_test::hex;
using rtmp_test::read_messages;
using rtmp_test::same_messages;

Bytes filled(size_t n, uint8_t seed) { return rtmp_test::filled(n, seed, 13); }

Bytes slice(const Bytes& b, size_t from, size_t to) { return Bytes(b.begin() + from, b.begin() + to); }

struct Outcome {
  std::vector<Message> messages;
  Status error;
};

// One feed, then every 2-way split and 1-byte feeds: same messages, same error (code and reason).
Outcome read_every_split(const Bytes& data, const ChunkReader::Limits& limits = {}) {
  Outcome whole;
  whole.messages = read_messages(as_span(data), {}, &whole.error, limits);
  for (size_t cut = 1; cut < data.size(); ++cut) {
    Status e;
    auto got = read_messages(as_span(data), {cut}, &e, limits);
    EXPECT_TRUE(same_messages(got, whole.messages)) << "cut at " << cut;
    EXPECT_EQ(e.to_string(), whole.error.to_string()) << "cut at " << cut;
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < data.size(); ++i) every.push_back(i);
  Status e;
  auto got = read_messages(as_span(data), every, &e, limits);
  EXPECT_TRUE(same_messages(got, whole.messages)) << "1-byte feeds";
  EXPECT_EQ(e.to_string(), whole.error.to_string()) << "1-byte feeds";
  return whole;
}

bool mentions(const Status& s, std::string_view text) {
  return s.reason().find(text) != std::string::npos;
}

// ---- Basic headers (5.3.1.1) --------------------------------------------------------------------

TEST(RtmpChunkEdge, BasicHeaderBoundaryCsids) {
  //   02                csid 2 (protocol control), 1-byte form
  //   3f                csid 63, largest 1-byte form
  //   00 00             csid 64, smallest 2-byte form
  //   00 ff             csid 319, largest 2-byte form
  //   01 00 01          csid 320 = 64 + 0x00 + 256 * 0x01, smallest id needing 3 bytes
  //   01 ff ff          csid 65599, largest
  const Bytes data = hex(
      "02       000000 000001 09 01000000 02"
      "3f       000000 000001 09 01000000 3f"
      "00 00    000000 000001 09 01000000 40"
      "00 ff    000000 000001 09 01000000 ff"
      "01 00 01 000000 000001 09 01000000 01"
      "01 ff ff 000000 000001 09 01000000 aa");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 6u);
  const uint32_t want[] = {2, 63, 64, 319, 320, 65599};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(r.messages[i].chunk_stream_id, want[i]) << i;
}

TEST(RtmpChunkEdge, ThreeByteFormOfASmallCsidIsTheSameChunkStream) {
  // csid 64 may also be written 01 00 00 (5.3.1.1 allows it); the fmt-3 chunk in the 3-byte form
  // must continue the message the 2-byte-form fmt-0 chunk started.
  //   00 00 000000 0000c8 09 01000000 <128>   fmt 0, csid 64, 200 bytes
  //   c1 00 00 <72>                           fmt 3, csid 64 in the 3-byte form
  const Bytes body = filled(200, 1);
  const Bytes data = concat({hex("00 00 000000 0000c8 09 01000000"), slice(body, 0, 128),
                             hex("c1 00 00"), slice(body, 128, 200)});
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].chunk_stream_id, 64u);
  EXPECT_EQ(r.messages[0].body, body);
}

TEST(RtmpChunkEdge, AllFourFormatsWithTwoAndThreeByteBasicHeaders) {
  // csid 300 (2-byte form: b1 = 300 - 64 = 0xec) and csid 1000 (3-byte: 1000 - 64 = 936 = 0x03a8,
  // little endian a8 03), each with fmt 0, 1, 2, 3 (first byte 00/40/80/c0 and 01/41/81/c1).
  const Bytes data = hex(
      "00 ec    000010 000001 08 05000000 11"
      "01 a8 03 000020 000002 09 06000000 2222"
      "40 ec    000001 000002 08 3333"        // csid 300 fmt 1: delta 1, len 2
      "41 a8 03 000002 000001 09 44"          // csid 1000 fmt 1: delta 2, len 1
      "80 ec    000003 5555"                  // csid 300 fmt 2: delta 3
      "81 a8 03 000004 66"                    // csid 1000 fmt 2: delta 4
      "c0 ec    7777"                         // csid 300 fmt 3: repeats delta 3
      "c1 a8 03 88");                         // csid 1000 fmt 3: repeats delta 4
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 8u);
  struct Want { uint32_t csid, ts, msid; uint8_t type; const char* body; };
  const Want want[] = {{300, 0x10, 5, 8, "11"},  {1000, 0x20, 6, 9, "2222"},
                       {300, 0x11, 5, 8, "3333"}, {1000, 0x22, 6, 9, "44"},
                       {300, 0x14, 5, 8, "5555"}, {1000, 0x26, 6, 9, "66"},
                       {300, 0x17, 5, 8, "7777"}, {1000, 0x2a, 6, 9, "88"}};
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(r.messages[i].chunk_stream_id, want[i].csid) << i;
    EXPECT_EQ(r.messages[i].timestamp, want[i].ts) << i;
    EXPECT_EQ(r.messages[i].stream_id, want[i].msid) << i;
    EXPECT_EQ(r.messages[i].type, want[i].type) << i;
    EXPECT_EQ(r.messages[i].body, hex(want[i].body)) << i;
  }
}

TEST(RtmpChunkEdge, FmtOneFirstOnAChunkStreamIsAcceptedWithStreamIdZero) {
  // fmt 1 says length and type, which is all a message needs; the message stream id defaults to 0.
  const Bytes data = hex("43 000005 000002 14 abcd");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].stream_id, 0u);
  EXPECT_EQ(r.messages[0].timestamp, 5u);
}

TEST(RtmpChunkEdge, ZeroLengthMessageCompletesAtItsHeader) {
  // 04 000007 000000 08 01000000: an empty audio message (FFmpeg sends these at stream end).
  const Bytes data = hex("04 000007 000000 08 01000000  04 000008 000001 08 01000000 aa");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_TRUE(r.messages[0].body.empty());
  EXPECT_EQ(r.messages[0].timestamp, 7u);
  EXPECT_EQ(r.messages[1].body, hex("aa"));
}

// ---- Extended timestamps (5.3.1.3) ----------------------------------------------------------------

TEST(RtmpChunkEdge, TimestampOfExactlyFfffffIsExtended) {
  // 0xFFFFFF itself cannot be sent in the 24-bit field: ffffff + extended 00ffffff.
  const Bytes data = hex("04 ffffff 000001 08 01000000 00ffffff aa");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].timestamp, 0xFFFFFFu);
}

TEST(RtmpChunkEdge, ExtendedDeltaInFmtOneAndTwoIsRepeatedByFmtThree) {
  //   04 000000 000001 08 01000000 | aa                fmt 0 ts 0
  //   44 ffffff 000001 08 | 01000000 | bb              fmt 1, extended delta 0x01000000
  //   c4 | 01000000 | cc                               fmt 3 new message: repeats delta AND the
  //                                                    extended field -> ts 0x02000000
  //   84 ffffff | 00000010 | dd                        fmt 2, extended delta 0x10 (legal, if odd)
  //   c4 | 00000010 | ee                               fmt 3 again: ts + 0x10
  const Bytes data = hex(
      "04 000000 000001 08 01000000 aa"
      "44 ffffff 000001 08 01000000 bb"
      "c4 01000000 cc"
      "84 ffffff 00000010 dd"
      "c4 00000010 ee");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 5u);
  EXPECT_EQ(r.messages[1].timestamp, 0x01000000u);
  EXPECT_EQ(r.messages[2].timestamp, 0x02000000u);
  EXPECT_EQ(r.messages[2].body, hex("cc"));
  EXPECT_EQ(r.messages[3].timestamp, 0x02000010u);
  EXPECT_EQ(r.messages[4].timestamp, 0x02000020u);
  EXPECT_EQ(r.messages[4].body, hex("ee"));
}

TEST(RtmpChunkEdge, ANonExtendedHeaderEndsTheFmtThreeRepetition) {
  // After an extended fmt-0 message, a fmt-2 header with a small delta turns the repetition off:
  // its fmt-3 continuation has no 4 extra bytes.
  //   06 ffffff 000096 09 01000000 01234567 | <128>   c6 01234567 | <22>    150 bytes, extended
  //   86 000028 | <128>   c6 | <22>                                        delta 40: no repetition
  const Bytes body = filled(150, 9);
  const Bytes data = concat({hex("06 ffffff 000096 09 01000000 01234567"), slice(body, 0, 128),
                             hex("c6 01234567"), slice(body, 128, 150),
                             hex("86 000028"), slice(body, 0, 128), hex("c6"), slice(body, 128, 150)});
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].timestamp, 0x01234567u);
  EXPECT_EQ(r.messages[1].timestamp, 0x01234567u + 40);
  EXPECT_EQ(r.messages[0].body, body);
  EXPECT_EQ(r.messages[1].body, body);
}

TEST(RtmpChunkEdge, TimestampDeltasWrapModulo2Pow32) {
  // fmt 0 at 0xfffffff0 (extended), then fmt 2 delta 0x20: 0xfffffff0 + 0x20 = 0x10 mod 2^32.
  const Bytes data = hex("04 ffffff 000001 08 01000000 fffffff0 aa  84 000020 bb");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].timestamp, 0xFFFFFFF0u);
  EXPECT_EQ(r.messages[1].timestamp, 0x10u);
}

// ---- Interleaving, Set Chunk Size, Abort (5.3.2, 5.4.1, 5.4.2) ------------------------------------

TEST(RtmpChunkEdge, SetChunkSizeBetweenTwoChunksOfAnotherStreamsMessage) {
  // A 300-byte video message on csid 6: the first 128-byte chunk, then Set Chunk Size 4096 on csid 2
  // (02 000000 000004 01 00000000 00001000), then the remaining 172 bytes in ONE fmt-3 chunk: the new
  // size applies to the next chunk read, whichever chunk stream it belongs to (5.4.1).
  const Bytes body = filled(300, 4);
  const Bytes data = concat({hex("06 000000 00012c 09 01000000"), slice(body, 0, 128),
                             hex("02 000000 000004 01 00000000 00001000"),
                             hex("c6"), slice(body, 128, 300)});
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].type, 1);
  EXPECT_EQ(r.messages[1].body, body);
}

TEST(RtmpChunkEdge, SetChunkSizeDownToOneByte) {
  // Set Chunk Size 1, then a 3-byte message as three 1-byte chunks: 06 hdr | 11  c6 | 22  c6 | 33.
  const Bytes data = hex("02 000000 000004 01 00000000 00000001"
                         "06 000000 000003 09 01000000 11 c6 22 c6 33");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[1].body, hex("112233"));
}

TEST(RtmpChunkEdge, AbortDropsOnlyItsChunkStreamAndIsSplitInvariant) {
  // csid 4 and 6 both mid-message; Abort(6) (02 000000 000004 02 00000000 00000006); csid 4 then
  // finishes normally, and csid 6 starts over with fmt 3, which repeats the fmt-0 delta 0.
  const Bytes a = filled(150, 1), v = filled(200, 2);
  const Bytes data = concat({hex("04 000064 000096 08 01000000"), slice(a, 0, 128),
                             hex("06 000064 0000c8 09 01000000"), slice(v, 0, 128),
                             hex("02 000000 000004 02 00000000 00000006"),
                             hex("c4"), slice(a, 128, 150),
                             hex("c6"), slice(v, 0, 128), hex("c6"), slice(v, 128, 200)});
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[0].type, 2) << "Abort is delivered";
  EXPECT_EQ(r.messages[1].body, a);
  EXPECT_EQ(r.messages[2].body, v) << "the aborted partial message left no bytes behind";
  EXPECT_EQ(r.messages[2].timestamp, 100u);
}

TEST(RtmpChunkEdge, AbortOfAnIdleOrUnknownChunkStreamIsHarmless) {
  const Bytes data = hex("02 000000 000004 02 00000000 00000009"   // csid 9 never seen
                         "02 000000 000004 02 00000000 00000002"   // csid 2 not mid-message
                         "04 000000 000001 08 01000000 aa");
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 3u);
}

TEST(RtmpChunkEdge, AbortFreesTheBufferedBytes) {
  ChunkReader reader;
  const Bytes data = concat({hex("06 000000 0000c8 09 01000000"), filled(128, 0)});
  ASSERT_TRUE(reader.feed(as_span(data)).ok());
  EXPECT_EQ(reader.buffered_bytes(), 128u);
  const Bytes abort = hex("02 000000 000004 02 00000000 00000006");
  ASSERT_TRUE(reader.feed(as_span(abort)).ok());
  EXPECT_EQ(reader.buffered_bytes(), 0u);
}

// ---- Hostile or broken peers -> an error Status with a reason, never a big allocation -------------

TEST(RtmpChunkEdge, ShortControlBodiesAreProtocolErrors) {
  // Set Chunk Size and Abort with a 3-byte body (5.4.1/5.4.2 say 4 bytes).
  for (const char* msg : {"02 000000 000003 01 00000000 001000", "02 000000 000003 02 00000000 000006"}) {
    auto r = read_every_split(hex(msg));
    EXPECT_EQ(r.error.code(), ErrorCode::kProtocol) << msg << ": " << r.error.to_string();
    EXPECT_FALSE(r.error.reason().empty());
  }
}

TEST(RtmpChunkEdge, SetChunkSizeZeroOrWithBit31IsRefusedWithAReason) {
  // 5.4.1: bit 31 must be 0 and the size at least 1.
  for (const char* size : {"00000000", "80000000", "ffffffff"}) {
    auto r = read_every_split(hex(std::string("02 000000 000004 01 00000000 ") + size));
    EXPECT_FALSE(r.error.ok()) << size;
    EXPECT_EQ(r.error.code(), ErrorCode::kProtocol) << r.error.to_string();
    EXPECT_TRUE(mentions(r.error, "Set Chunk Size")) << r.error.to_string();
    EXPECT_TRUE(r.messages.empty()) << "the bad control message is not delivered";
  }
}

TEST(RtmpChunkEdge, SetChunkSizeOverTheConfiguredLimitNamesTheLimit) {
  ChunkReader::Limits limits;
  limits.max_chunk_size = 4096;
  auto ok = read_every_split(hex("02 000000 000004 01 00000000 00001000"), limits);
  EXPECT_TRUE(ok.error.ok()) << "exactly the limit is fine: " << ok.error.to_string();
  auto r = read_every_split(hex("02 000000 000004 01 00000000 00001001"), limits);
  EXPECT_EQ(r.error.code(), ErrorCode::kLimitExceeded) << r.error.to_string();
  EXPECT_TRUE(mentions(r.error, "4097")) << r.error.to_string();
  EXPECT_TRUE(mentions(r.error, "4096")) << r.error.to_string();
}

TEST(RtmpChunkEdge, FmtTwoOrThreeFirstOnAChunkStreamIsAProtocolError) {
  // 85 000010 ...: fmt 2 on csid 5, never seen: no length or type to inherit.
  // c5 ...       : fmt 3 on csid 5.  02 ec: fmt 2 on csid 300 (2-byte form).
  for (const char* bytes : {"85 000010 aabb", "c5 aabb", "80 ec 000010 aabb", "c1 a8 03 aa"}) {
    auto r = read_every_split(hex(bytes));
    EXPECT_EQ(r.error.code(), ErrorCode::kProtocol) << bytes << ": " << r.error.to_string();
    EXPECT_TRUE(mentions(r.error, "chunk stream")) << r.error.to_string();
    EXPECT_TRUE(r.messages.empty());
  }
}

TEST(RtmpChunkEdge, FmtZeroChangingTheLengthMidMessageIsAProtocolError) {
  // 200 bytes announced, 128 sent, then a fmt-0 header on the same csid announcing 5.
  const Bytes data = concat({hex("06 000000 0000c8 09 01000000"), filled(128, 0),
                             hex("06 000000 000005 09 01000000 0102030405")});
  auto r = read_every_split(data);
  EXPECT_EQ(r.error.code(), ErrorCode::kProtocol) << r.error.to_string();
  EXPECT_TRUE(mentions(r.error, "chunk stream 6")) << r.error.to_string();
  EXPECT_TRUE(mentions(r.error, "200")) << r.error.to_string();
}

TEST(RtmpChunkEdge, FmtOneRepeatingTheLengthMidMessageIsTolerated) {
  // Some encoders resend a full header on continuation chunks; with the same length it is harmless.
  const Bytes body = filled(200, 3);
  const Bytes data = concat({hex("06 000000 0000c8 09 01000000"), slice(body, 0, 128),
                             hex("46 000000 0000c8 09"), slice(body, 128, 200)});
  auto r = read_every_split(data);
  ASSERT_TRUE(r.error.ok()) << r.error.to_string();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body, body);
}

TEST(RtmpChunkEdge, MorePayloadThanDeclaredIsReadAsTheNextHeaderAndRejected) {
  // A 3-byte message followed by 2 bytes too many: dd = fmt 3 on csid 29, which was never
  // started -> kProtocol, not a silently longer message.
  const Bytes data = hex("04 000000 000003 08 01000000 aabbcc dd ee");
  auto r = read_every_split(data);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body, hex("aabbcc"));
  EXPECT_EQ(r.error.code(), ErrorCode::kProtocol) << r.error.to_string();
  EXPECT_TRUE(mentions(r.error, "chunk stream 29")) << r.error.to_string();
}

TEST(RtmpChunkEdge, MessageLengthLimitIsInclusiveAndCheckedAtTheHeader) {
  ChunkReader::Limits limits;
  limits.max_message_size = 1000;
  auto ok = read_every_split(concat({hex("06 000000 0003e8 09 01000000"), filled(128, 0)}), limits);
  EXPECT_TRUE(ok.error.ok()) << ok.error.to_string();
  // 0xFFFFFF (16 MiB - 1), the largest a length field can say: refused before a byte is stored.
  for (const char* len : {"0003e9", "ffffff"}) {
    auto r = read_every_split(hex(std::string("06 000000 ") + len + " 09 01000000 00"), limits);
    EXPECT_EQ(r.error.code(), ErrorCode::kLimitExceeded) << r.error.to_string();
    EXPECT_TRUE(mentions(r.error, "chunk stream 6")) << r.error.to_string();
    EXPECT_TRUE(mentions(r.error, "1000")) << r.error.to_string();
  }
  // fmt 1 can announce a new length too.
  auto r = read_every_split(hex("06 000000 000001 09 01000000 00  46 000000 ffffff 09 00"), limits);
  EXPECT_EQ(r.error.code(), ErrorCode::kLimitExceeded) << r.error.to_string();
}

TEST(RtmpChunkEdge, BufferedBytesAcrossChunkStreamsAreBounded) {
  // Three chunk streams each announce 1000 bytes and send one 128-byte chunk; the limit of 300 bytes
  // held in unfinished messages trips on the third.
  ChunkReader::Limits limits;
  limits.max_buffered_bytes = 300;
  const Bytes data = concat({hex("04 000000 0003e8 08 01000000"), filled(128, 0),
                             hex("05 000000 0003e8 08 01000000"), filled(128, 0),
                             hex("06 000000 0003e8 08 01000000"), filled(128, 0)});
  auto r = read_every_split(data, limits);
  EXPECT_EQ(r.error.code(), ErrorCode::kLimitExceeded) << r.error.to_string();
  EXPECT_TRUE(mentions(r.error, "300")) << r.error.to_string();
}

TEST(RtmpChunkEdge, AHugeClaimThatNeverArrivesHoldsOnlyWhatArrived) {
  // Max limits: 0xFFFFFF announced (accepted with a 16 MiB limit), 1 byte per chunk of 128 fed:
  // what is held equals what arrived, however large the claim.
  ChunkReader::Limits limits;
  limits.max_message_size = 0xFFFFFF;
  ChunkReader reader(limits);
  const Bytes data = concat({hex("06 000000 ffffff 09 01000000"), filled(128, 0), hex("c6"), filled(5, 0)});
  auto used = reader.feed(as_span(data));
  ASSERT_TRUE(used.ok()) << used.status().to_string();
  EXPECT_EQ(*used, data.size());
  EXPECT_EQ(reader.buffered_bytes(), 133u);
  EXPECT_FALSE(reader.has_message());
}

TEST(RtmpChunkEdge, AfterAnErrorEveryFeedReturnsTheSameError) {
  ChunkReader reader;
  const Bytes bad = hex("85 000010");
  auto first = reader.feed(as_span(bad));
  ASSERT_FALSE(first.ok());
  const Bytes good = hex("04 000000 000001 08 01000000 aa");
  auto again = reader.feed(as_span(good));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().to_string(), first.status().to_string());
}

// ---- Writer: the header bytes it chooses (5.3.1.2), and round trips over many csids ---------------

TEST(RtmpChunkEdge, WriterPicksFmt2ThenFmt3AsDocumented) {
  // The example of rtmp_chunk_writer.h: after a fmt-0 video message at 0, a 300-byte one at 40:
  //   86 000028 <128>  c6 <128>  c6 <44>
  // and a third with the same length and delta is a bare c6 header.
  ChunkWriter w;
  Bytes out;
  const Bytes small = hex("aa"), body = filled(300, 0);
  ASSERT_TRUE(w.write(6, 9, 0, 1, as_span(small), out).ok());
  EXPECT_EQ(out, hex("06 000000 000001 09 01000000 aa"));
  ASSERT_TRUE(w.write(6, 9, 40, 1, as_span(small), out).ok());
  out.clear();
  ASSERT_TRUE(w.write(6, 9, 80, 1, as_span(body), out).ok());
  EXPECT_EQ(out, concat({hex("46 000028 00012c 09"), slice(body, 0, 128), hex("c6"),
                         slice(body, 128, 256), hex("c6"), slice(body, 256, 300)}))
      << "another length: fmt 1";
  out.clear();
  ASSERT_TRUE(w.write(6, 9, 120, 1, as_span(body), out).ok());
  EXPECT_EQ(out, concat({hex("c6"), slice(body, 0, 128), hex("c6"), slice(body, 128, 256), hex("c6"),
                         slice(body, 256, 300)}))
      << "same length, type and delta: fmt 3";
  out.clear();
  ASSERT_TRUE(w.write(6, 9, 130, 1, as_span(body), out).ok());
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 4), hex("86 00000a")) << "another delta: fmt 2";
  out.clear();
  ASSERT_TRUE(w.write(6, 9, 100, 1, as_span(small), out).ok());
  EXPECT_EQ(out, hex("06 000064 000001 09 01000000 aa")) << "time went backwards: fmt 0";
}

TEST(RtmpChunkEdge, WriterRepeatsTheExtendedTimestampInContinuations) {
  // 5.3.1.3 as nginx-rtmp and FFmpeg read it: 06 ffffff ... 01234567 <128> c6 01234567 <72>.
  ChunkWriter w;
  Bytes out;
  const Bytes body = filled(200, 5);
  ASSERT_TRUE(w.write(6, 9, 0x01234567, 1, as_span(body), out).ok());
  EXPECT_EQ(out, concat({hex("06 ffffff 0000c8 09 01000000 01234567"), slice(body, 0, 128),
                         hex("c6 01234567"), slice(body, 128, 200)}));
}

TEST(RtmpChunkEdge, RandomRoundTripsOverCsidsSizesTimestampsAndChunkSizes) {
  // Deterministic pseudo-random traffic on csids across all three basic-header forms, with chunk
  // size changes in between; the reader must give back exactly what the writer was given.
  std::mt19937 rng(1234);
  const uint32_t csids[] = {2, 3, 63, 64, 65, 319, 320, 1000, 65599};
  const uint32_t chunk_sizes[] = {1, 7, 128, 4096, 60000};
  ChunkWriter writer;
  Bytes wire;
  std::vector<Message> sent;
  uint32_t ts[std::size(csids)] = {};
  for (int i = 0; i < 400; ++i) {
    if (i % 50 == 0) {
      const uint32_t cs = chunk_sizes[(i / 50) % std::size(chunk_sizes)];
      ASSERT_TRUE(writer.set_chunk_size(cs, wire).ok());
      sent.push_back(Message{1, 0, 0, 2, u32_body(cs)});
    }
    const size_t k = rng() % std::size(csids);
    const uint32_t csid = csids[k];
    const uint8_t type = csid == 2 ? 5 : static_cast<uint8_t>(8 + rng() % 2);  // 5: Window Ack Size
    const size_t size = csid == 2 ? 4 : (rng() % 4 == 0 ? rng() % 9000 : rng() % 300);
    switch (rng() % 5) {
      case 0: ts[k] += 0; break;
      case 1: ts[k] += 33; break;
      case 2: ts[k] += rng() % 0x2000000; break;     // often over 0xFFFFFF
      case 3: ts[k] = rng(); break;                   // anywhere, even backwards
      default: ts[k] += 0xFFFFFF; break;               // a delta of exactly the marker
    }
    Message m{type, ts[k], csid == 2 ? 0u : static_cast<uint32_t>(1 + rng() % 2), csid,
              filled(size, static_cast<uint8_t>(i))};
    ASSERT_TRUE(writer.write(csid, m.type, m.timestamp, m.stream_id, as_span(m.body), wire).ok());
    sent.push_back(std::move(m));
  }
  for (int fmt = 0; fmt < 4; ++fmt) EXPECT_GT(writer.chunks_with_fmt(fmt), 0u) << "fmt " << fmt;
  Status error;
  auto got = read_messages(as_span(wire), {}, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_TRUE(same_messages(got, sent));
  std::vector<size_t> cuts;
  for (size_t pos = rng() % 50 + 1; pos < wire.size(); pos += rng() % 300 + 1) cuts.push_back(pos);
  auto split = read_messages(as_span(wire), cuts, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  EXPECT_TRUE(same_messages(split, sent));
}

}  // namespace
}  // namespace lw::rtmp
