#include "codec/flac_config.h"

namespace lw::codec {

Result<FlacConfig> parse_flac_config(ByteSpan record) {
  constexpr size_t kStreamInfo = 34;
  ByteSpan info = record;
  if (record.size() >= 4 && record[0] == 'f' && record[1] == 'L' && record[2] == 'a' && record[3] == 'C') {
    if (record.size() < 8) return Status(ErrorCode::kTruncated, "FLAC stream header cut off before its first block");
    if ((record[4] & 0x7f) != 0) return Status(ErrorCode::kInvalid, "FLAC's first metadata block is not STREAMINFO");
    const size_t length = size_t(record[5]) << 16 | size_t(record[6]) << 8 | record[7];
    if (length != kStreamInfo) return Status(ErrorCode::kInvalid, "FLAC STREAMINFO block is not 34 bytes");
    info = record.subspan(8);
  }
  if (info.size() < kStreamInfo) return Status(ErrorCode::kTruncated, "FLAC STREAMINFO is 34 bytes");
  FlacConfig c;
  c.min_block_size = info[0] << 8 | info[1];
  c.max_block_size = info[2] << 8 | info[3];
  // Bytes 10..13: sample rate (20 bits), channels - 1 (3), bits per sample - 1 (5), then the sample count.
  c.sample_rate = info[10] << 12 | info[11] << 4 | info[12] >> 4;
  c.channels = ((info[12] >> 1) & 7) + 1;
  c.bits_per_sample = ((info[12] & 1) << 4 | info[13] >> 4) + 1;
  if (c.sample_rate == 0) return Status(ErrorCode::kInvalid, "FLAC STREAMINFO sample rate is 0");
  if (c.min_block_size < 16 || c.max_block_size < c.min_block_size)
    return Status(ErrorCode::kInvalid, "FLAC STREAMINFO block sizes are impossible");
  if (c.bits_per_sample < 4) return Status(ErrorCode::kInvalid, "FLAC STREAMINFO bits per sample under 4");
  c.description = {'f', 'L', 'a', 'C', 0x80, 0, 0, kStreamInfo};
  c.description.insert(c.description.end(), info.begin(), info.begin() + kStreamInfo);
  return c;
}

}  // namespace lw::codec
