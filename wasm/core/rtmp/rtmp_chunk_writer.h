// RTMP chunk stream writer (Adobe RTMP spec 1.0, section 5.3): splits messages into chunks and picks
// the smallest header each chunk stream allows. Append-only: every call appends complete chunks.
//
// Header choice per chunk stream, compared with the last message written on it:
//   fmt 0  first message, another message stream id, or the timestamp went backwards
//   fmt 1  same stream id, but another type or length: delta + length + type
//   fmt 2  same type and length, another delta (or the last header was fmt 0): delta only
//   fmt 3  same type, length and delta as the last fmt 1/2 header: no header at all
// fmt 3 never starts a message right after a fmt 0 header, because readers disagree on what delta
// that repeats (nginx-rtmp: 0; FFmpeg and SRS: the fmt-0 timestamp). Continuation chunks are fmt 3.
// A timestamp or delta of 0xFFFFFF or more is written as 0xFFFFFF plus a 4-byte extended timestamp,
// repeated in every fmt-3 chunk of that message (5.3.1.3).
//
//   video message, stream 1, ts 40, 300 bytes, chunk size 128, after a fmt-0 video message at 0:
//   86 000028 | <128 bytes>   fmt 2 on chunk stream 6, delta 40
//   c6 | <128 bytes>          fmt 3 continuation
//   c6 | <44 bytes>
#pragma once

#include <cstdint>
#include <map>

#include "base/bytes.h"
#include "base/status.h"
#include "rtmp/rtmp_message.h"

namespace lw::rtmp {

class ChunkWriter {
 public:
  ChunkWriter();

  // Appends `body` as one message on chunk stream `csid` (2..65599). kInvalid for a body over
  // 16 MiB - 1 (the length field is 24 bits), kMisuse for a bad csid; nothing is appended then.
  Status write(uint32_t csid, uint8_t type, uint32_t timestamp, uint32_t stream_id, ByteSpan body,
               Bytes& out);

  // Appends a Set Chunk Size message (sent at the old size, on chunk stream 2) and uses `size` for
  // everything after it. kInvalid outside 1..0x7FFFFFFF.
  Status set_chunk_size(uint32_t size, Bytes& out);
  uint32_t chunk_size() const { return chunk_size_; }

  // Counts (for tests and statistics): chunks written with each header format.
  uint64_t chunks_with_fmt(int fmt) const { return fmt_count_[fmt & 3]; }

 private:
  struct Last {
    uint8_t type = 0;
    uint32_t length = 0;
    uint32_t stream_id = 0;
    uint32_t timestamp = 0;
    uint32_t delta = 0;
    bool delta_valid = false;  // the last header was fmt 1/2/3, so fmt 3 repeats `delta`
  };

  void basic_header(uint8_t fmt, uint32_t csid, Bytes& out);

  uint32_t chunk_size_;
  std::map<uint32_t, Last> last_;
  uint64_t fmt_count_[4] = {};
};

}  // namespace lw::rtmp
