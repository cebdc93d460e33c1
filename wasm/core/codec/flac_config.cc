#include "codec/flac_config.h"

namespace lw::codec {

ErrorCode read_flac_config(ByteSpan record, FlacConfig* out) {
  constexpr size_t kStreamInfo = 34;
  ByteSpan info = record;
  if (record.size() >= 4 && record[0] == 'f' && record[1] == 'L' && record[2] == 'a' && record[3] == 'C') {
    if (record.size() < 8) return ErrorCode::kTruncated;
    // The first block must be STREAMINFO, 34 bytes.
    if ((record[4] & 0x7f) != 0 || record[5] != 0 || record[6] != 0 || record[7] != kStreamInfo) return ErrorCode::kInvalid;
    info = record.subspan(8);
  }
  if (info.size() < kStreamInfo) return ErrorCode::kTruncated;
  FlacConfig& c = *out;
  c.min_block_size = info[0] << 8 | info[1];
  c.max_block_size = info[2] << 8 | info[3];
  // Bytes 10..13: sample rate (20 bits), channels - 1 (3), bits per sample - 1 (5), then the sample count.
  c.sample_rate = info[10] << 12 | info[11] << 4 | info[12] >> 4;
  c.channels = ((info[12] >> 1) & 7) + 1;
  c.bits_per_sample = ((info[12] & 1) << 4 | info[13] >> 4) + 1;
  if (c.sample_rate == 0 || c.min_block_size < 16 || c.max_block_size < c.min_block_size || c.bits_per_sample < 4)
    return ErrorCode::kInvalid;
  c.description = {'f', 'L', 'a', 'C', 0x80, 0, 0, kStreamInfo};
  c.description.insert(c.description.end(), info.begin(), info.begin() + kStreamInfo);
  return ErrorCode::kOk;
}

Result<FlacConfig> parse_flac_config(ByteSpan record) {
  FlacConfig c;
  const ErrorCode code = read_flac_config(record, &c);
  if (code == ErrorCode::kOk) return c;
  return Status(code, code == ErrorCode::kTruncated ? "FLAC STREAMINFO cut off (34 bytes, after 'fLaC' and its block header)"
                                                    : "not a FLAC STREAMINFO (first block, rate, block sizes or bit depth)");
}

}  // namespace lw::codec
