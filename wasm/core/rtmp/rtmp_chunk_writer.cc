#include "rtmp/rtmp_chunk_writer.h"

#include <algorithm>
#include <string>

#include "base/byte_writer.h"
#include "rtmp/rtmp_chunk_reader.h"

namespace lw::rtmp {

ChunkWriter::ChunkWriter() : chunk_size_(kDefaultChunkSize) {}

void ChunkWriter::basic_header(uint8_t fmt, uint32_t csid, Bytes& out) {
  ByteWriter w(&out);
  const uint8_t f = static_cast<uint8_t>(fmt << 6);
  if (csid < 64) {
    w.u8(f | static_cast<uint8_t>(csid));
  } else if (csid < 320) {
    w.u8(f | 0);
    w.u8(static_cast<uint8_t>(csid - 64));
  } else {
    w.u8(f | 1);
    w.u8(static_cast<uint8_t>((csid - 64) & 0xFF));
    w.u8(static_cast<uint8_t>((csid - 64) >> 8));
  }
  ++fmt_count_[fmt];
}

Status ChunkWriter::write(uint32_t csid, uint8_t type, uint32_t timestamp, uint32_t stream_id,
                          ByteSpan body, Bytes& out) {
  if (csid < 2 || csid > kMaxChunkStreamId) {
    return Status(ErrorCode::kMisuse, "chunk stream id " + std::to_string(csid) + " not in 2..65599");
  }
  if (body.size() > kMaxMessageLength) {
    return Status(ErrorCode::kInvalid, "message of " + std::to_string(body.size()) +
                                           " bytes does not fit the 24-bit length field");
  }
  const uint32_t length = static_cast<uint32_t>(body.size());
  auto it = last_.find(csid);
  uint8_t fmt = 0;
  uint32_t delta = 0;
  if (it != last_.end() && it->second.stream_id == stream_id && timestamp >= it->second.timestamp) {
    const Last& l = it->second;
    delta = timestamp - l.timestamp;
    if (l.type != type || l.length != length) {
      fmt = 1;
    } else if (!l.delta_valid || l.delta != delta) {
      fmt = 2;
    } else {
      fmt = 3;
    }
  }
  const uint32_t field_value = fmt == 0 ? timestamp : delta;
  const bool extended = field_value >= 0xFFFFFF;
  const uint32_t field = extended ? 0xFFFFFF : field_value;

  ByteWriter w(&out);
  basic_header(fmt, csid, out);
  if (fmt <= 2) w.u24(field);
  if (fmt <= 1) {
    w.u24(length);
    w.u8(type);
  }
  if (fmt == 0) w.u32le(stream_id);
  if (extended) w.u32(field_value);

  size_t pos = 0;
  for (;;) {
    size_t n = std::min<size_t>(chunk_size_, body.size() - pos);
    w.bytes(body.subspan(pos, n));
    pos += n;
    if (pos >= body.size()) break;
    basic_header(3, csid, out);
    if (extended) w.u32(field_value);
  }

  Last& l = last_[csid];
  l.type = type;
  l.length = length;
  l.stream_id = stream_id;
  l.timestamp = timestamp;
  l.delta = fmt == 0 ? 0 : delta;
  l.delta_valid = fmt != 0;
  return Status::Ok();
}

Status ChunkWriter::set_chunk_size(uint32_t size, Bytes& out) {
  if (size == 0 || size > 0x7FFFFFFF) {
    return Status(ErrorCode::kInvalid, "chunk size " + std::to_string(size) + " not in 1..0x7FFFFFFF");
  }
  Bytes body = u32_body(size);
  LW_RETURN_IF_ERROR(write(kCsidControl, static_cast<uint8_t>(MessageType::kSetChunkSize), 0, 0,
                           as_span(body), out));
  chunk_size_ = size;
  return Status::Ok();
}

}  // namespace lw::rtmp
