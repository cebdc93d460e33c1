// Byte spans used across the core. std::span is C++20 and present in both g++ 12 and Emscripten 3.1.6's
// libc++ (clang 14).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lw {

using ByteSpan = std::span<const uint8_t>;
using Bytes = std::vector<uint8_t>;

inline ByteSpan as_span(const Bytes& b) { return ByteSpan(b.data(), b.size()); }

}  // namespace lw
