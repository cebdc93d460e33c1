// Ogg packets (RFC 3533) out of a file libopus's tools wrote: pages "OggS" with a segment table, a lacing
// value below 255 ends a packet. Test-only: enough for the committed opus.ogg vector, which the FLV muxer
// tests (unit) and the Opus decoder tests (media) both read.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "base/bytes.h"

namespace lw::test {

inline std::vector<Bytes> ogg_packets(const Bytes& s) {
  std::vector<Bytes> packets;
  Bytes current;
  for (size_t p = 0; p + 27 <= s.size();) {
    if (s[p] != 'O' || s[p + 1] != 'g' || s[p + 2] != 'g' || s[p + 3] != 'S') break;
    const size_t nseg = s[p + 26];
    size_t data = p + 27 + nseg;
    for (size_t k = 0; k < nseg && data <= s.size(); ++k) {
      const size_t len = s[p + 27 + k];
      if (data + len > s.size()) return packets;  // a truncated page ends the file
      current.insert(current.end(), s.begin() + static_cast<long>(data), s.begin() + static_cast<long>(data + len));
      data += len;
      if (len < 255) packets.push_back(std::move(current)), current.clear();
    }
    p = data;
  }
  return packets;
}

}  // namespace lw::test
