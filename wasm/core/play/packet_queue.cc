#include "play/packet_queue.h"

#include <cstring>

namespace lw::play {

bool PacketQueue::push(StoredPacket meta, ByteSpan data) {
  if (data.size() > max_bytes_) return false;
  size_t used = static_cast<size_t>(end_ - base_);
  if (used + data.size() > arena_.size()) {
    // Compact: move what is stored to the front (views of earlier packets die here, as documented).
    const size_t live = static_cast<size_t>(end_ - begin_);
    if (begin_ > base_ && live > 0) std::memmove(arena_.data(), arena_.data() + (begin_ - base_), live);
    base_ = begin_;
    used = live;
    if (used + data.size() > arena_.size()) {
      size_t want = arena_.empty() ? 256 * 1024 : arena_.size() * 2;
      while (want < used + data.size()) want *= 2;
      arena_.resize(want);
    }
  }
  if (!data.empty()) std::memcpy(arena_.data() + used, data.data(), data.size());
  meta.offset = end_;
  meta.size = static_cast<uint32_t>(data.size());
  end_ += data.size();
  bytes_ += data.size();
  packets_.push_back(meta);
  return true;
}

void PacketQueue::pop_front() {
  if (packets_.empty()) return;
  const StoredPacket& p = packets_.front();
  bytes_ -= p.size;
  begin_ = p.offset + p.size;
  packets_.pop_front();
  if (packets_.empty()) begin_ = end_;
}

void PacketQueue::pop_back() {
  if (packets_.empty()) return;
  const StoredPacket& p = packets_.back();
  bytes_ -= p.size;
  end_ = p.offset;
  packets_.pop_back();
  if (packets_.empty()) begin_ = end_;
}

void PacketQueue::clear() {
  packets_.clear();
  begin_ = end_;
  bytes_ = 0;
}

size_t PacketQueue::next_key(size_t from) const {
  for (size_t i = from; i < packets_.size(); ++i) {
    if (packets_[i].key) return i;
  }
  return packets_.size();
}

}  // namespace lw::play
