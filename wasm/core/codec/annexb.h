// NAL unit framing, the two ways the same H.264/HEVC bitstream travels:
//   Annex B (H.264 Annex B / H.265 Annex B): `00 00 01` or `00 00 00 01` before each NAL unit, as
//   encoders and .h264 files produce it;
//   length-prefixed (ISO/IEC 14496-15, "AVCC"/"HVCC"): each NAL unit preceded by its size in
//   lengthSizeMinusOne + 1 bytes (1, 2, 3 or 4; FLV and MP4 use 4), as FLV video tags carry it.
// The spans returned point into the input: no copies.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

// nal_unit_type of the first NAL header byte (H.264 7.3.1: 5 bits; H.265 7.3.1.2: 6 bits after the
// forbidden_zero_bit).
inline uint8_t avc_nal_type(uint8_t header0) { return header0 & 0x1F; }
inline uint8_t hevc_nal_type(uint8_t header0) { return (header0 >> 1) & 0x3F; }

// H.264 Table 7-1 / H.265 Table 7-1 values the helpers need.
namespace avc_nal {
inline constexpr uint8_t kSliceNonIdr = 1, kSliceIdr = 5, kSei = 6, kSps = 7, kPps = 8, kAud = 9,
                         kSpsExt = 13;
}
namespace hevc_nal {
inline constexpr uint8_t kIdrWRadl = 19, kIdrNLp = 20, kCraNut = 21, kVps = 32, kSps = 33, kPps = 34,
                         kAud = 35, kPrefixSei = 39, kSuffixSei = 40;
}

// Splits an Annex B byte stream into NAL units. Both start-code lengths are recognised; bytes before the
// first start code are ignored, zero bytes before a start code (trailing_zero_8bits, or the first byte
// of a 4-byte start code) are not part of the NAL unit, and empty NAL units are dropped.
std::vector<ByteSpan> split_annexb(ByteSpan stream);

// Splits length-prefixed NAL units. `length_size` is lengthSizeMinusOne + 1 (1..4, else kInvalid); a
// length running past the end is kTruncated (naming the NAL index); a zero length is skipped.
Result<std::vector<ByteSpan>> split_length_prefixed(ByteSpan data, int length_size = 4);

// Appends one NAL unit with a `length_size`-byte big-endian length; kInvalid if it does not fit.
Status append_length_prefixed(ByteSpan nal, int length_size, Bytes* out);
// Appends one NAL unit after a 4-byte start code `00 00 00 01`.
void append_annexb(ByteSpan nal, Bytes* out);

// Whole-buffer conversions.
Result<Bytes> annexb_to_length_prefixed(ByteSpan stream, int length_size = 4);
Result<Bytes> length_prefixed_to_annexb(ByteSpan data, int length_size = 4);

}  // namespace lw::codec
