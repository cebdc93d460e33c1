// The encoded packet store (NetEq's packet buffer, for FLV frames): packets in arrival (= decode)
// order, their bytes in one reused arena. The arena appends at its end and compacts (one memmove of
// what is still stored) when the end is reached, so steady state allocates nothing and a view of a
// stored packet stays valid until the next push().
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "play/ring.h"

namespace lw::play {

struct StoredPacket {
  bool key = false;
  int64_t dts_us = 0;
  int64_t pts_us = 0;
  uint32_t generation = 0;
  uint64_t offset = 0;  // absolute byte position in the arena's stream
  uint32_t size = 0;
};

class PacketQueue {
 public:
  explicit PacketQueue(size_t max_bytes) : max_bytes_(max_bytes) {}

  // Copies `data` in. False when it alone exceeds the byte cap (the caller drops it).
  bool push(StoredPacket meta, ByteSpan data);
  size_t size() const { return packets_.size(); }
  bool empty() const { return packets_.empty(); }
  const StoredPacket& at(size_t i) const { return packets_[i]; }
  const StoredPacket& front() const { return packets_.front(); }
  const StoredPacket& back() const { return packets_.back(); }
  ByteSpan data(const StoredPacket& p) const {
    return ByteSpan(arena_.data() + (p.offset - base_), p.size);
  }
  void pop_front();
  // Removes the newest packet (its bytes are reused by the next push).
  void pop_back();
  void clear();
  // Bytes of the stored packets.
  size_t bytes() const { return bytes_; }
  size_t max_bytes() const { return max_bytes_; }
  // Index of the first key frame at or after `from`, or size() when none.
  size_t next_key(size_t from) const;

 private:
  size_t max_bytes_;
  Bytes arena_;
  uint64_t base_ = 0;      // absolute position of arena_[0]
  uint64_t begin_ = 0;     // absolute position of the first stored byte
  uint64_t end_ = 0;       // absolute position after the last stored byte
  size_t bytes_ = 0;
  Ring<StoredPacket> packets_;
};

}  // namespace lw::play
