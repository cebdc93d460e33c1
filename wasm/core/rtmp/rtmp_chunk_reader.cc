#include "rtmp/rtmp_chunk_reader.h"

#include <algorithm>
#include <string>

#include "base/byte_reader.h"

namespace lw::rtmp {
namespace {

constexpr size_t kMessageHeaderSize[4] = {11, 7, 3, 0};

size_t basic_header_size(uint8_t b0) {
  uint8_t low = b0 & 0x3F;
  return low == 0 ? 2 : low == 1 ? 3 : 1;
}

uint32_t read_u24(const uint8_t* p) { return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]; }

std::string cs_name(uint32_t csid) { return "chunk stream " + std::to_string(csid); }

}  // namespace


Status ChunkReader::fail(Status status) {
  error_ = status;
  return status;
}

bool ChunkReader::next(Message* out) {
  if (!ready_) return false;
  recycle(std::move(out->body));
  *out = std::move(*ready_);
  ready_.reset();
  return true;
}

namespace {
// floor(log2(n)) for n >= 1.
size_t log2_floor(size_t n) {
  size_t k = 0;
  while (n >>= 1) ++k;
  return k;
}
}  // namespace

void BodyPool::put(Bytes&& body) {
  const size_t capacity = body.capacity();
  if (capacity == 0 || bodies_ >= limits_.max_bodies || capacity > limits_.max_bytes - std::min(bytes_, limits_.max_bytes)) {
    Bytes().swap(body);  // freed here, as the caller expects of a body it gave up
    return;
  }
  body.clear();
  classes_[std::min(log2_floor(capacity), kClasses - 1)].push_back(std::move(body));
  ++bodies_;
  bytes_ += capacity;
}

Bytes BodyPool::take(uint32_t length) {
  if (bodies_ == 0) return Bytes();
  size_t k = length <= 1 ? 0 : log2_floor(length - 1) + 1;  // 2^k >= length
  if (k >= kClasses) k = kClasses - 1;
  size_t pick = kClasses;
  for (size_t c = k; c < kClasses; ++c) {
    if (!classes_[c].empty()) { pick = c; break; }
  }
  if (pick == kClasses) {
    for (size_t c = k; c-- > 0;) {
      if (!classes_[c].empty()) { pick = c; break; }
    }
  }
  Bytes b = std::move(classes_[pick].back());
  classes_[pick].pop_back();
  --bodies_;
  bytes_ -= b.capacity();
  return b;
}

ChunkReader::ChunkReader() : ChunkReader(Limits{}) {}
ChunkReader::ChunkReader(const Limits& limits)
    : limits_(limits), own_(BodyPool::Limits{limits.max_spare_bodies, limits.max_spare_bytes}) {}

void ChunkReader::recycle(Bytes&& body) { pool().put(std::move(body)); }

Result<size_t> ChunkReader::header_size() {
  if (hdr_len_ < 1) return size_t{1};
  const size_t basic = basic_header_size(hdr_[0]);
  if (hdr_len_ < basic) return basic;
  const uint8_t fmt = hdr_[0] >> 6;
  const size_t base = basic + kMessageHeaderSize[fmt];
  if (hdr_len_ < base) return base;
  bool extended;
  if (fmt <= 2) {
    extended = read_u24(hdr_ + basic) == 0xFFFFFF;
  } else {
    // fmt 3 repeats the extended timestamp when the chunk stream's last full header had one.
    uint32_t csid = basic == 1 ? (hdr_[0] & 0x3Fu)
                  : basic == 2 ? 64u + hdr_[1]
                               : 64u + hdr_[1] + 256u * hdr_[2];
    auto it = streams_.find(csid);
    if (it == streams_.end() || !it->second.has_header) {
      return Status(ErrorCode::kProtocol,
                    cs_name(csid) + " starts with a fmt 3 chunk: no message length known");
    }
    extended = it->second.extended;
  }
  return base + (extended ? 4 : 0);
}

Status ChunkReader::apply_header() {
  const uint8_t fmt = hdr_[0] >> 6;
  const size_t basic = basic_header_size(hdr_[0]);
  uint32_t csid = basic == 1 ? (hdr_[0] & 0x3Fu)
                : basic == 2 ? 64u + hdr_[1]
                             : 64u + hdr_[1] + 256u * hdr_[2];
  auto it = streams_.find(csid);
  if (it == streams_.end()) {
    if (streams_.size() >= limits_.max_chunk_streams) {
      return Status(ErrorCode::kLimitExceeded, cs_name(csid) + " would exceed the limit of " +
                                                   std::to_string(limits_.max_chunk_streams) +
                                                   " chunk streams");
    }
    if (fmt >= 2) {
      return Status(ErrorCode::kProtocol, cs_name(csid) + " starts with a fmt " +
                                              std::to_string(fmt) +
                                              " chunk: no message length known");
    }
    it = streams_.emplace(csid, ChunkStream{}).first;
  }
  ChunkStream& cs = it->second;

  ByteReader r(ByteSpan(hdr_ + basic, hdr_len_ - basic));
  uint32_t field = 0, length = cs.length, stream_id = cs.stream_id;
  uint8_t type = cs.type;
  bool ok = true;
  if (fmt <= 2) ok = r.u24(&field);
  if (fmt <= 1) ok = ok && r.u24(&length) && r.u8(&type);
  if (fmt == 0) ok = ok && r.u32le(&stream_id);
  const bool extended = fmt <= 2 ? field == 0xFFFFFF : cs.extended;
  uint32_t ext = 0;
  if (extended) ok = ok && r.u32(&ext);
  if (!ok) return Status(ErrorCode::kProtocol, cs_name(csid) + " header is short");  // cannot happen
  const uint32_t value = extended ? ext : field;

  if (fmt <= 1 && length > limits_.max_message_size) {
    return Status(ErrorCode::kLimitExceeded,
                  cs_name(csid) + " message length " + std::to_string(length) +
                      " exceeds the limit of " + std::to_string(limits_.max_message_size));
  }
  if (fmt <= 2) cs.extended = extended;

  if (cs.in_message) {
    // A full header inside an unfinished message: tolerated as a continuation when it repeats the
    // length (some encoders do), a protocol error when it changes it (the peer lied about a length).
    if (fmt <= 1 && length != cs.length) {
      return Status(ErrorCode::kProtocol,
                    cs_name(csid) + " changes the message length from " + std::to_string(cs.length) +
                        " to " + std::to_string(length) + " after " +
                        std::to_string(cs.body.size()) + " bytes");
    }
  } else {
    switch (fmt) {
      case 0: cs.timestamp = value; cs.delta = 0; break;
      case 1:
      case 2: cs.delta = value; cs.timestamp += value; break;
      default: cs.timestamp += cs.delta; break;
    }
    cs.length = length;
    cs.type = type;
    cs.stream_id = stream_id;
    if (fmt <= 1) cs.has_header = true;
    cs.in_message = true;
    cs.body = pool().take(cs.length);
    if (cs.length == 0) return complete_message(csid, cs);
  }
  payload_csid_ = csid;
  payload_left_ = std::min<uint32_t>(chunk_size_, cs.length - static_cast<uint32_t>(cs.body.size()));
  in_payload_ = true;
  return Status::Ok();
}

Status ChunkReader::complete_message(uint32_t csid, ChunkStream& cs) {
  Message m;
  m.type = cs.type;
  m.timestamp = cs.timestamp;
  m.stream_id = cs.stream_id;
  m.chunk_stream_id = csid;
  m.body = std::move(cs.body);
  cs.body = Bytes();
  cs.in_message = false;
  buffered_ -= static_cast<uint32_t>(m.body.size());
  if (m.type == static_cast<uint8_t>(MessageType::kSetChunkSize) ||
      m.type == static_cast<uint8_t>(MessageType::kAbort)) {
    LW_RETURN_IF_ERROR(on_control(m));
  }
  ready_ = std::move(m);
  return Status::Ok();
}

Status ChunkReader::on_control(const Message& m) {
  if (m.type == static_cast<uint8_t>(MessageType::kSetChunkSize)) {
    auto size = parse_set_chunk_size(as_span(m.body));
    if (!size.ok()) return size.status();
    if (*size > limits_.max_chunk_size) {
      return Status(ErrorCode::kLimitExceeded, "Set Chunk Size " + std::to_string(*size) +
                                                   " exceeds the limit of " +
                                                   std::to_string(limits_.max_chunk_size));
    }
    chunk_size_ = *size;
    return Status::Ok();
  }
  // Abort (5.4.2): drop the unfinished message of the named chunk stream.
  auto csid = parse_u32_body(as_span(m.body), "Abort");
  if (!csid.ok()) return csid.status();
  auto it = streams_.find(*csid);
  if (it != streams_.end() && it->second.in_message) {
    buffered_ -= static_cast<uint32_t>(it->second.body.size());
    it->second.body = Bytes();
    it->second.in_message = false;
  }
  return Status::Ok();
}

Result<size_t> ChunkReader::feed(ByteSpan data) {
  if (!error_.ok()) return error_;
  size_t used = 0;
  while (used < data.size() && !ready_) {
    if (!in_payload_) {
      // Collect the header byte by byte until its size is known and reached.
      for (;;) {
        auto need = header_size();
        if (!need.ok()) return fail(need.status());
        if (hdr_len_ == *need) break;
        if (used == data.size()) {
          consumed_ += used;
          return used;
        }
        size_t n = std::min(*need - hdr_len_, data.size() - used);
        std::copy_n(data.data() + used, n, hdr_ + hdr_len_);
        hdr_len_ += n;
        used += n;
      }
      Status s = apply_header();
      hdr_len_ = 0;
      if (!s.ok()) return fail(s);
      continue;
    }
    ChunkStream& cs = streams_[payload_csid_];
    uint32_t n = static_cast<uint32_t>(std::min<size_t>(payload_left_, data.size() - used));
    if (n > limits_.max_buffered_bytes - buffered_) {
      return fail(Status(ErrorCode::kLimitExceeded,
                         "unfinished messages would hold more than " +
                             std::to_string(limits_.max_buffered_bytes) + " bytes"));
    }
    cs.body.insert(cs.body.end(), data.begin() + used, data.begin() + used + n);
    buffered_ += n;
    payload_left_ -= n;
    used += n;
    if (payload_left_ == 0) {
      in_payload_ = false;
      if (cs.body.size() == cs.length) {
        Status s = complete_message(payload_csid_, cs);
        if (!s.ok()) return fail(s);
      }
    }
  }
  consumed_ += used;
  return used;
}

}  // namespace lw::rtmp
