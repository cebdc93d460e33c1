// MD5 (RFC 1321). Not for security: the original's `waiting-image-hash` is the md5 of the image, and
// the pusher must refuse an image that does not match it.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace lw {

std::array<uint8_t, 16> md5(ByteSpan data);
std::string md5_hex(ByteSpan data);  // 32 lowercase hex digits

}  // namespace lw
