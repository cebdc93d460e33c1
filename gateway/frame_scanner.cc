#include "frame_scanner.h"

#include <algorithm>

namespace lw::gateway {

bool FrameScanner::feed(ByteSpan data) {
  size_t i = 0;
  while (reason_.empty() && i < data.size()) {
    if (remaining_ > 0) {
      const uint64_t skip = std::min<uint64_t>(remaining_, data.size() - i);
      remaining_ -= skip;
      i += size_t(skip);
      continue;
    }
    head_[have_++] = data[i++];
    if (have_ < 2) continue;
    const uint8_t len7 = head_[1] & 0x7f;
    const size_t need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((head_[1] & 0x80) ? 4 : 0);
    if (len7 == 127 && have_ == 3 && (head_[2] & 0x80)) {
      reason_ = "frame length with the most significant bit set (RFC 6455 5.2)";
      break;
    }
    if (have_ < need) continue;
    uint64_t len = len7;
    if (len7 == 126) len = (uint64_t(head_[2]) << 8) | head_[3];
    if (len7 == 127) {
      len = 0;
      for (int k = 2; k < 10; ++k) len = (len << 8) | head_[k];
    }
    remaining_ = len;
    have_ = 0;
    ++frames_;
  }
  return reason_.empty();
}

}  // namespace lw::gateway
