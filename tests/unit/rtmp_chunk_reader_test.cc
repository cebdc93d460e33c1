// Chunk stream reader and writer (Adobe RTMP spec 1.0, 5.3), on literal bytes: every header format,
// 1/2/3-byte basic headers, extended timestamps, interleaving, Set Chunk Size and Abort, any split,
// and peers that lie.
#include "rtmp/rtmp_chunk_reader.h"

#include <gtest/gtest.h>

#include "rtmp/rtmp_chunk_writer.h"
#include "rtmp_test_util.h"

namespace lw::rtmp {
namespace {

using rtmp_test::concat;
using rtmp_test::hex;
using rtmp_test::read_messages;
using rtmp_test::same_messages;

using rtmp_test::filled;

// Every way of cutting `data` in two, and 1-byte feeds, must give the messages of one feed.
void expect_split_invariant(const Bytes& data, const std::vector<Message>& whole) {
  for (size_t cut = 1; cut < data.size(); ++cut) {
    ASSERT_TRUE(same_messages(read_messages(as_span(data), {cut}), whole)) << "cut at " << cut;
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < data.size(); ++i) every.push_back(i);
  ASSERT_TRUE(same_messages(read_messages(as_span(data), every), whole)) << "1-byte feeds";
}

TEST(RtmpChunkReader, AllFourHeaderFormatsOnOneChunkStream) {
  // csid 4, stream 1, audio messages of 3 bytes:
  //   04 000064 000003 08 01000000 | aa bb cc     fmt 0: ts 100, len 3, audio, stream 1
  //   44 00000a 000002 08          | dd ee        fmt 1: delta 10, len 2
  //   84 000014                    | ff 11        fmt 2: delta 20 (same length/type)
  //   c4                           | 22 33        fmt 3: new message, repeats delta 20
  const Bytes data = hex(
      "04 000064 000003 08 01000000 aabbcc"
      "44 00000a 000002 08 ddee"
      "84 000014 ff11"
      "c4 2233");
  Status error;
  auto msgs = read_messages(as_span(data), {}, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0].timestamp, 100u);
  EXPECT_EQ(msgs[0].body, hex("aabbcc"));
  EXPECT_EQ(msgs[1].timestamp, 110u);
  EXPECT_EQ(msgs[1].body, hex("ddee"));
  EXPECT_EQ(msgs[2].timestamp, 130u);
  EXPECT_EQ(msgs[3].timestamp, 150u);
  EXPECT_EQ(msgs[3].body, hex("2233"));
  for (const Message& m : msgs) {
    EXPECT_EQ(m.type, 8);
    EXPECT_EQ(m.stream_id, 1u);
    EXPECT_EQ(m.chunk_stream_id, 4u);
  }
  expect_split_invariant(data, msgs);
}

TEST(RtmpChunkReader, FmtThreeAfterFmtZeroRepeatsTheTimestampLikeNginx) {
  // nginx-rtmp sends fmt 3 for a message with the same timestamp as the fmt-0 one before it.
  const Bytes data = hex("04 000064 000001 08 01000000 aa  c4 bb");
  auto msgs = read_messages(as_span(data), {});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[1].timestamp, 100u);
  EXPECT_EQ(msgs[1].body, hex("bb"));
}

TEST(RtmpChunkReader, TwoAndThreeByteBasicHeaders) {
  // csid 64..319: first byte's csid bits 0, then csid - 64.  csid 320..65599: bits 1, then two
  // bytes little-endian of csid - 64.  csid 300 = 00 ec; csid 65599 = 01 ff ff.
  const Bytes data = hex(
      "00 ec 000000 000001 09 01000000 01"
      "01 ffff 000000 000001 09 01000000 02"
      "3f 000000 000001 09 01000000 03");  // csid 63, the largest 1-byte form
  Status error;
  auto msgs = read_messages(as_span(data), {}, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].chunk_stream_id, 300u);
  EXPECT_EQ(msgs[1].chunk_stream_id, 65599u);
  EXPECT_EQ(msgs[2].chunk_stream_id, 63u);
  expect_split_invariant(data, msgs);
}

TEST(RtmpChunkReader, ExtendedTimestampIsRepeatedInFmtThreeContinuations) {
  // A 200-byte video message at ts 0x01234567 in 128-byte chunks:
  //   06 ffffff 0000c8 09 01000000 | 01234567 | <128 bytes>
  //   c6 | 01234567 | <72 bytes>                       (5.3.1.3: repeated in fmt 3)
  const Bytes body = filled(200, 1);
  const Bytes data = concat({hex("06 ffffff 0000c8 09 01000000 01234567"),
                             Bytes(body.begin(), body.begin() + 128), hex("c6 01234567"),
                             Bytes(body.begin() + 128, body.end())});
  Status error;
  auto msgs = read_messages(as_span(data), {}, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].timestamp, 0x01234567u);
  EXPECT_EQ(msgs[0].body, body);
  expect_split_invariant(data, msgs);
}

TEST(RtmpChunkReader, InterleavedChunkStreamsReassembleSeparately) {
  // Audio on csid 4 and video on csid 6, both 150 bytes, chunks alternating.
  const Bytes a = filled(150, 3), v = filled(150, 9);
  const Bytes data = concat({hex("04 000000 000096 08 01000000"), Bytes(a.begin(), a.begin() + 128),
                             hex("06 000000 000096 09 01000000"), Bytes(v.begin(), v.begin() + 128),
                             hex("c4"), Bytes(a.begin() + 128, a.end()),
                             hex("c6"), Bytes(v.begin() + 128, v.end())});
  auto msgs = read_messages(as_span(data), {});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].type, 8);
  EXPECT_EQ(msgs[0].body, a);
  EXPECT_EQ(msgs[1].type, 9);
  EXPECT_EQ(msgs[1].body, v);
  expect_split_invariant(data, msgs);
}

TEST(RtmpChunkReader, SetChunkSizeAppliesFromTheNextChunk) {
  // Set Chunk Size 300 (02 000000 000004 01 00000000 0000012c), then a 300-byte message in one chunk.
  const Bytes body = filled(300, 5);
  const Bytes data = concat({hex("02 000000 000004 01 00000000 0000012c"),
                             hex("06 000000 00012c 09 01000000"), body});
  Status error;
  auto msgs = read_messages(as_span(data), {}, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].type, 1) << "the control message is still delivered";
  EXPECT_EQ(msgs[1].body, body);
  expect_split_invariant(data, msgs);
}

TEST(RtmpChunkReader, AbortDropsThePartialMessage) {
  // 200-byte message on csid 6, first chunk only; Abort(6); then a fresh 2-byte message on csid 6.
  const Bytes data = concat({hex("06 000000 0000c8 09 01000000"), filled(128, 0),
                             hex("02 000000 000004 02 00000000 00000006"),
                             hex("06 000010 000002 09 01000000 beef")});
  Status error;
  auto msgs = read_messages(as_span(data), {}, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].type, 2);
  EXPECT_EQ(msgs[1].body, hex("beef"));
  EXPECT_EQ(msgs[1].timestamp, 16u);
}

TEST(RtmpChunkReader, LengthChangedMidMessageIsAProtocolError) {
  // A 200-byte message, then a fmt 1 header on the same csid claiming 5 bytes before it finished.
  const Bytes data = concat({hex("06 000000 0000c8 09 01000000"), filled(128, 0),
                             hex("46 000000 000005 09 0102030405")});
  Status error;
  read_messages(as_span(data), {}, &error);
  EXPECT_EQ(error.code(), ErrorCode::kProtocol) << error.to_string();
}

TEST(RtmpChunkReader, HugeMessageLengthIsRefusedBeforeAnyByteIsStored) {
  // 0xFFFFFF bytes claimed, over the 8 MiB default limit: refused at the header.
  const Bytes data = hex("06 000000 ffffff 09 01000000 00");
  Status error;
  read_messages(as_span(data), {}, &error);
  EXPECT_EQ(error.code(), ErrorCode::kLimitExceeded) << error.to_string();
}

TEST(RtmpChunkReader, ClaimedLengthCostsOnlyWhatArrived) {
  // 1 MiB claimed, 10 bytes sent: the reader holds 10 bytes, not 1 MiB, and waits.
  ChunkReader reader;
  const Bytes data = concat({hex("06 000000 100000 09 01000000"), filled(10, 0)});
  auto used = reader.feed(as_span(data));
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(*used, data.size());
  EXPECT_EQ(reader.buffered_bytes(), 10u);
  Message m;
  EXPECT_FALSE(reader.next(&m));
}

TEST(RtmpChunkReader, FmtThreeOnAnUnknownChunkStreamIsAProtocolError) {
  const Bytes data = hex("c5 00 01 02");
  Status error;
  read_messages(as_span(data), {}, &error);
  EXPECT_EQ(error.code(), ErrorCode::kProtocol) << error.to_string();
}

TEST(RtmpChunkReader, SetChunkSizeZeroIsRefused) {
  const Bytes data = hex("02 000000 000004 01 00000000 00000000");
  Status error;
  read_messages(as_span(data), {}, &error);
  EXPECT_FALSE(error.ok());
}

TEST(RtmpChunkReader, SetChunkSizeOverTheLimitIsRefused) {
  ChunkReader::Limits limits;
  limits.max_chunk_size = 65536;
  const Bytes data = hex("02 000000 000004 01 00000000 00100000");
  Status error;
  read_messages(as_span(data), {}, &error, limits);
  EXPECT_EQ(error.code(), ErrorCode::kLimitExceeded) << error.to_string();
}

TEST(RtmpChunkReader, TooManyChunkStreamsIsALimitNotUnboundedState) {
  ChunkReader::Limits limits;
  limits.max_chunk_streams = 8;
  Bytes data;
  for (int csid = 3; csid < 3 + 9; ++csid) {
    // a 1-byte message on each of 9 chunk streams
    const Bytes h = hex("00 000000 000001 09 01000000 aa");
    data.push_back(static_cast<uint8_t>(csid));
    data.insert(data.end(), h.begin() + 1, h.end());
  }
  Status error;
  read_messages(as_span(data), {}, &error, limits);
  EXPECT_EQ(error.code(), ErrorCode::kLimitExceeded) << error.to_string();
}

TEST(RtmpChunkReader, StaysFailedAfterAnError) {
  ChunkReader reader;
  const Bytes bad = hex("c5 00");
  EXPECT_FALSE(reader.feed(as_span(bad)).ok());
  const Bytes good = hex("04 000000 000001 08 01000000 aa");
  EXPECT_FALSE(reader.feed(as_span(good)).ok());
  EXPECT_TRUE(reader.failed());
}

// Writer -> reader round trips: the writer's header compression (fmt 0..3, extended timestamps,
// continuation chunks) is exactly undone by the reader, at both common chunk sizes.
class RtmpChunkRoundTrip : public ::testing::TestWithParam<uint32_t> {};

TEST_P(RtmpChunkRoundTrip, ManySizesAndTimestamps) {
  const uint32_t chunk_size = GetParam();
  ChunkWriter writer;
  Bytes wire;
  ASSERT_TRUE(writer.set_chunk_size(chunk_size, wire).ok());
  std::vector<Message> sent;
  const uint32_t sizes[] = {0, 1, 127, 128, 129, 255, 256, 1000, 4095, 4096, 4097, 70000};
  const uint32_t timestamps[] = {0, 0, 33, 66, 66, 100, 0xFFFFFE, 0xFFFFFF, 0x1000000, 0x1000021,
                                 0x7FFFFFFF, 0xFFFFFFF0};
  for (size_t i = 0; i < std::size(sizes); ++i) {
    Message m;
    m.type = (i % 2) ? 9 : 8;
    m.chunk_stream_id = (i % 2) ? 6 : 4;
    m.stream_id = 1;
    m.timestamp = timestamps[i];
    m.body = filled(sizes[i], static_cast<uint8_t>(i));
    ASSERT_TRUE(writer.write(m.chunk_stream_id, m.type, m.timestamp, m.stream_id, as_span(m.body), wire).ok());
    sent.push_back(m);
  }
  // Same type/length/delta again: the writer's fmt-3 path.
  for (int i = 0; i < 3; ++i) {
    Message m{9, 0xFFFFFFF0u + 40u * (i + 1), 1, 6, filled(70000, 1)};
    ASSERT_TRUE(writer.write(6, 9, m.timestamp, 1, as_span(m.body), wire).ok());
    sent.push_back(m);
  }
  EXPECT_GT(writer.chunks_with_fmt(3), 0u);
  Status error;
  auto got = read_messages(as_span(wire), {}, &error);
  ASSERT_TRUE(error.ok()) << error.to_string();
  ASSERT_EQ(got.size(), sent.size() + 1) << "Set Chunk Size plus every message";
  got.erase(got.begin());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(got[i].timestamp, sent[i].timestamp) << i;
    EXPECT_EQ(got[i].type, sent[i].type) << i;
    EXPECT_EQ(got[i].body, sent[i].body) << i;
  }
  // And with an awkward split: 1, 2, 3 ... byte pieces.
  std::vector<size_t> cuts;
  for (size_t pos = 1, step = 1; pos < wire.size(); pos += step, step = step % 97 + 1) cuts.push_back(pos);
  auto split = read_messages(as_span(wire), cuts);
  split.erase(split.begin());
  EXPECT_TRUE(same_messages(split, got));
}

INSTANTIATE_TEST_SUITE_P(ChunkSizes, RtmpChunkRoundTrip, ::testing::Values(128u, 4096u));

TEST(RtmpChunkWriter, RefusesABodyTheLengthFieldCannotSay) {
  ChunkWriter writer;
  Bytes out;
  Bytes body(0x1000000);
  EXPECT_EQ(writer.write(6, 9, 0, 1, as_span(body), out).code(), ErrorCode::kInvalid);
  EXPECT_TRUE(out.empty()) << "nothing appended on error";
  EXPECT_EQ(writer.write(1, 9, 0, 1, {}, out).code(), ErrorCode::kMisuse) << "csid 1 is reserved";
}

}  // namespace
}  // namespace lw::rtmp
