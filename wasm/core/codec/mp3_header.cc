#include "codec/mp3_header.h"

namespace lw::codec {

Result<Mp3Header> parse_mp3_header(ByteSpan frame) {
  if (frame.size() < 4) return Status(ErrorCode::kTruncated, "an MPEG audio header is 4 bytes");
  const uint32_t h = uint32_t(frame[0]) << 24 | uint32_t(frame[1]) << 16 | uint32_t(frame[2]) << 8 | frame[3];
  if ((h >> 21) != 0x7ff) return Status(ErrorCode::kInvalid, "no MPEG audio frame sync");
  const int version_bits = (h >> 19) & 3, layer_bits = (h >> 17) & 3;
  const int bitrate_index = (h >> 12) & 15, rate_index = (h >> 10) & 3;
  if (version_bits == 1) return Status(ErrorCode::kInvalid, "reserved MPEG audio version");
  if (layer_bits == 0) return Status(ErrorCode::kInvalid, "reserved MPEG audio layer");
  if (rate_index == 3) return Status(ErrorCode::kInvalid, "reserved MPEG audio sampling rate");
  if (bitrate_index == 15) return Status(ErrorCode::kInvalid, "bad MPEG audio bitrate index");
  Mp3Header out;
  out.version = version_bits == 3 ? 1 : version_bits == 2 ? 2 : 25;
  out.layer = 4 - layer_bits;
  static constexpr int kRates[3] = {44100, 48000, 32000};
  out.sample_rate = kRates[rate_index] / (out.version == 1 ? 1 : out.version == 2 ? 2 : 4);
  out.channels = ((h >> 6) & 3) == 3 ? 1 : 2;
  // Bitrates (kbit/s) by index 1..14: MPEG-1 layers I, II, III; MPEG-2/2.5 layer I, layers II and III.
  static constexpr int kBitrates[5][14] = {
      {32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
      {32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
      {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
      {32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
      {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
  };
  const int row = out.version == 1 ? out.layer - 1 : (out.layer == 1 ? 3 : 4);
  out.bitrate_kbps = bitrate_index == 0 ? 0 : kBitrates[row][bitrate_index - 1];
  out.samples_per_frame = out.layer == 1 ? 384 : (out.layer == 3 && out.version != 1) ? 576 : 1152;
  return out;
}

}  // namespace lw::codec
