// RTMP chunk stream reader (Adobe RTMP spec 1.0, section 5.3): turns the byte stream after the
// handshake into whole messages, for any split of the input.
//
// Chunk = basic header (1-3 bytes) + message header (11/7/3/0 bytes for fmt 0/1/2/3)
//         + extended timestamp (0 or 4 bytes) + payload (up to the chunk size).
//
//   basic header   fmt(2 bits) csid(6 bits); csid 0 -> one more byte, csid = 64 + b1 (64..319);
//                  csid 1 -> two more bytes, csid = 64 + b1 + 256 * b2 (64..65599)
//   fmt 0 (11)     timestamp(3) length(3) type(1) stream id(4, little endian)   new message, absolute
//   fmt 1 (7)      timestamp delta(3) length(3) type(1)                         same stream id
//   fmt 2 (3)      timestamp delta(3)                                           same length and type
//   fmt 3 (0)      continuation of the current message, or a new message repeating the last delta
//   A timestamp field of 0xFFFFFF means the real value follows as a 4-byte extended timestamp. The
//   fmt-3 rule (5.3.1.3, and what nginx-rtmp and FFmpeg do): a fmt-3 chunk carries the extended
//   timestamp again whenever the last fmt 0/1/2 header of its chunk stream had one:
//     04 ffffff 000005 09 01000000 | 01234567 | <128 bytes>  fmt 0, ts 0x01234567 extended
//     c4 | 01234567 | <payload>                               fmt 3 continuation, repeated
//
// Timestamps: fmt 1/2 add their delta to the chunk stream's last timestamp; a fmt-3 chunk that
// starts a message adds the last delta again, and after a fmt-0 header that delta is 0 (nginx-rtmp's
// reading, ngx_rtmp_recv: it sends fmt 3 for a repeated timestamp). Deltas wrap modulo 2^32.
//
// Memory and hostile peers: payload bytes are copied into the message as they arrive, never
// reserved from what a length field claims, so a chunk stream that claims 16 MiB and sends 10 bytes
// costs 10 bytes. Limits: message length (kLimitExceeded before a byte is stored), number of chunk
// streams, bytes held in unfinished messages, and Set Chunk Size. A fmt 0/1 header that changes the
// length of an unfinished message on its chunk stream is kProtocol (FFmpeg: "RTMP packet size
// mismatch"). A chunk stream's first header must say the length (fmt 0 or 1), else kProtocol.
// Set Chunk Size (type 1) and Abort (type 2) act here, at the chunk layer, before the next chunk is
// read, and are still delivered as messages. After an error the reader stays failed.
//
// Reuse: a message body is a buffer with capacity. next() takes back the body the Message it writes
// into held before, and recycle() takes back any other; a new message starts in such a spare buffer
// (a BodyPool: the reader's own, or one the driver shares among its readers, e.g. one per thread), so
// a steady stream costs no allocation per message once the spares have grown to the messages' size.
// A pool is bounded (bodies and bytes of capacity; a body past either is freed), so a peer that once
// sent big messages leaves at most that much behind.
//
// Use: feed() stops after each complete message so that a Set Chunk Size takes effect exactly
// where it should and at most one message is held; drain with next() after every feed():
//   while (!data.empty()) {
//     auto used = reader.feed(data);            // error -> the connection is broken
//     data = data.subspan(*used);
//     Message m;
//     while (reader.next(&m)) handle(m);
//   }
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "rtmp/rtmp_message.h"

namespace lw::rtmp {

inline constexpr uint32_t kDefaultChunkSize = 128;  // 5.4.1: until a Set Chunk Size says otherwise
inline constexpr uint32_t kMaxChunkStreamId = 65599;
inline constexpr uint32_t kMaxMessageLength = 0xFFFFFF;  // the length field is 24 bits

// Spare message bodies, by capacity class (a body in class k holds at least 2^k bytes). take() gives
// the first spare of the smallest class that holds `length` (a header's claim only chooses among
// buffers that exist: nothing is reserved from it), else the largest smaller one, else an empty body.
// Not thread-safe: one pool per thread.
class BodyPool {
 public:
  struct Limits {
    size_t max_bodies = 32;
    size_t max_bytes = 512 << 10;  // capacity kept, in all
  };
  BodyPool() = default;
  explicit BodyPool(const Limits& limits) : limits_(limits) {}
  void put(Bytes&& body);
  Bytes take(uint32_t length);
  size_t bodies() const { return bodies_; }
  size_t bytes() const { return bytes_; }
  const Limits& limits() const { return limits_; }
  void set_limits(const Limits& limits) { limits_ = limits; }

 private:
  static constexpr size_t kClasses = 25;  // up to 2^24 (message lengths are 24 bits)
  Limits limits_;
  std::array<std::vector<Bytes>, kClasses> classes_;
  size_t bodies_ = 0;
  size_t bytes_ = 0;
};

class ChunkReader {
 public:
  struct Limits {
    // Largest Set Chunk Size accepted. The spec allows 0x7FFFFFFF; memory never depends on it (a
    // chunk is not buffered whole), so the default accepts the whole range.
    uint32_t max_chunk_size = 0x7FFFFFFF;
    // Largest message (the length field can say 16 MiB - 1). Same bound as the FLV demuxer's tags.
    uint32_t max_message_size = 8 << 20;
    // Distinct chunk stream ids seen (servers use a handful).
    uint32_t max_chunk_streams = 64;
    // Bytes held in unfinished messages across all chunk streams.
    uint32_t max_buffered_bytes = 16 << 20;
    // The reader's own pool of spare bodies (see "Reuse" above): bodies and capacity kept, in all.
    uint32_t max_spare_bodies = 32;
    uint32_t max_spare_bytes = 512 << 10;
  };

  ChunkReader();
  explicit ChunkReader(const Limits& limits);

  // Consumes bytes up to the end of input or of the next complete message, whichever comes first,
  // and returns how many. Returns 0 while a complete message waits for next().
  Result<size_t> feed(ByteSpan data);
  // Pops the completed message; false when there is none. The body *out held before is recycled.
  bool next(Message* out);
  // A body the caller is done with, kept (cleared) for a later message when the spares have room.
  void recycle(Bytes&& body);
  // Capacity held in spare bodies (of the pool in use).
  size_t spare_bytes() const { return external_ ? external_->bytes() : own_.bytes(); }
  // Spare bodies from (and back to) `pool`, which outlives the reader's use of it; nullptr: its own.
  void use_pool(BodyPool* pool) { external_ = pool; }
  bool has_message() const { return ready_.has_value(); }

  uint32_t chunk_size() const { return chunk_size_; }
  uint64_t bytes_consumed() const { return consumed_; }
  // Bytes held in unfinished messages.
  uint32_t buffered_bytes() const { return buffered_; }
  bool failed() const { return !error_.ok(); }

 private:
  struct ChunkStream {
    bool has_header = false;  // a fmt 0/1 header gave length and type
    bool extended = false;    // the last fmt 0/1/2 header used the extended timestamp
    uint8_t type = 0;
    uint32_t length = 0;
    uint32_t stream_id = 0;
    uint32_t timestamp = 0;  // of the current (or last) message
    uint32_t delta = 0;      // last timestamp delta; 0 after fmt 0
    bool in_message = false;  // an unfinished message is being collected
    Bytes body;
  };

  Status fail(Status status);
  // Bytes the header in hdr_ needs in total, given what it holds so far; 0 = not known yet.
  Result<size_t> header_size();
  Status apply_header();
  Status complete_message(uint32_t csid, ChunkStream& cs);
  Status on_control(const Message& m);
  BodyPool& pool() { return external_ ? *external_ : own_; }

  Limits limits_;
  uint32_t chunk_size_ = kDefaultChunkSize;
  std::map<uint32_t, ChunkStream> streams_;
  uint8_t hdr_[18] = {};  // basic (<=3) + message (<=11) + extended (4)
  size_t hdr_len_ = 0;
  bool in_payload_ = false;
  uint32_t payload_csid_ = 0;
  uint32_t payload_left_ = 0;  // bytes of the current chunk's payload still to come
  uint32_t buffered_ = 0;
  uint64_t consumed_ = 0;
  std::optional<Message> ready_;
  BodyPool own_;
  BodyPool* external_ = nullptr;
  Status error_;
};

}  // namespace lw::rtmp
