#include "codec/annexb.h"

#include <string>

namespace lw::codec {
namespace {

// Position of the next `00 00 01` at or after `from`, or size when there is none.
size_t find_start_code(ByteSpan s, size_t from) {
  for (size_t i = from; i + 3 <= s.size(); ++i) {
    if (s[i + 2] > 1) {
      i += 2;  // neither s[i+1] nor s[i+2] can start a match ending in 01 with two zeros before
      continue;
    }
    if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) return i;
  }
  return s.size();
}

bool valid_length_size(int n) { return n >= 1 && n <= 4; }

Status bad_length_size(int n) {
  return Status(ErrorCode::kInvalid,
                "NAL length size " + std::to_string(n) + " (lengthSizeMinusOne + 1 must be 1..4)");
}

}  // namespace

std::vector<ByteSpan> split_annexb(ByteSpan s) {
  std::vector<ByteSpan> nals;
  size_t sc = find_start_code(s, 0);
  while (sc < s.size()) {
    const size_t begin = sc + 3;
    const size_t next = find_start_code(s, begin);
    size_t end = next;
    // Zeros before the next start code belong to it (4-byte form) or are trailing_zero_8bits.
    while (end > begin && s[end - 1] == 0) --end;
    if (end > begin) nals.push_back(s.subspan(begin, end - begin));
    sc = next;
  }
  return nals;
}

Result<std::vector<ByteSpan>> split_length_prefixed(ByteSpan data, int length_size) {
  if (!valid_length_size(length_size)) return bad_length_size(length_size);
  std::vector<ByteSpan> nals;
  size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < static_cast<size_t>(length_size)) {
      return Status(ErrorCode::kTruncated, "NAL unit " + std::to_string(nals.size()) +
                                               ": input ends inside its length field");
    }
    uint32_t len = 0;
    for (int i = 0; i < length_size; ++i) len = (len << 8) | data[pos + static_cast<size_t>(i)];
    pos += static_cast<size_t>(length_size);
    if (len > data.size() - pos) {
      return Status(ErrorCode::kTruncated,
                    "NAL unit " + std::to_string(nals.size()) + ": length " + std::to_string(len) +
                        " runs past the end (" + std::to_string(data.size() - pos) + " bytes left)");
    }
    if (len > 0) nals.push_back(data.subspan(pos, len));
    pos += len;
  }
  return nals;
}

Status append_length_prefixed(ByteSpan nal, int length_size, Bytes* out) {
  if (!valid_length_size(length_size)) return bad_length_size(length_size);
  const uint64_t max = (uint64_t{1} << (8 * length_size)) - 1;
  if (nal.size() > max) {
    return Status(ErrorCode::kInvalid, "NAL unit of " + std::to_string(nal.size()) +
                                           " bytes does not fit a " + std::to_string(length_size) +
                                           "-byte length");
  }
  for (int i = length_size - 1; i >= 0; --i) out->push_back(static_cast<uint8_t>(nal.size() >> (8 * i)));
  out->insert(out->end(), nal.begin(), nal.end());
  return Status::Ok();
}

void append_annexb(ByteSpan nal, Bytes* out) {
  static const uint8_t kStartCode[] = {0, 0, 0, 1};
  out->insert(out->end(), std::begin(kStartCode), std::end(kStartCode));
  out->insert(out->end(), nal.begin(), nal.end());
}

Result<Bytes> annexb_to_length_prefixed(ByteSpan stream, int length_size) {
  if (!valid_length_size(length_size)) return bad_length_size(length_size);
  Bytes out;
  out.reserve(stream.size() + 16);
  for (ByteSpan nal : split_annexb(stream)) {
    LW_RETURN_IF_ERROR(append_length_prefixed(nal, length_size, &out));
  }
  return out;
}

Result<Bytes> length_prefixed_to_annexb(ByteSpan data, int length_size) {
  auto nals = split_length_prefixed(data, length_size);
  if (!nals.ok()) return nals.status();
  Bytes out;
  out.reserve(data.size() + 4 * nals->size());
  for (ByteSpan nal : *nals) append_annexb(nal, &out);
  return out;
}

}  // namespace lw::codec
