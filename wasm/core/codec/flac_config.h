// FLAC's STREAMINFO (RFC 9639 8.2), the configuration of an Enhanced RTMP 'fLaC' track. Its sequence
// start carries either the 34-byte STREAMINFO alone (what FFmpeg's FLAC encoder keeps as extradata and
// its FLV muxer writes) or the stream's header: "fLaC" and the metadata blocks, STREAMINFO first (what a
// .flac file starts with). Both forms are read; the description the player hands its decoders is always
// the second one, cut to STREAMINFO ("fLaC", the block header with the last-block bit set, the 34
// bytes): what WebCodecs' 'flac' registration asks for and what FFmpeg's FLAC decoder also takes.
//
//   12 00 12 00 00 02 58 00 05 1b 0b b8 02 f0 ...: blocks of 4608 samples, frames of 600..1307 bytes,
//   48000 Hz (0x0bb80), 2 channels, 16 bits (ffmpeg -c:a flac, 48 kHz stereo)
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

struct FlacConfig {
  int sample_rate = 0;      // 1..655350 Hz (0 is refused: "get it from the frame header" has no use here)
  int channels = 0;         // 1..8
  int bits_per_sample = 0;  // 4..32
  int min_block_size = 0, max_block_size = 0;
  Bytes description;        // "fLaC" + last-block STREAMINFO header + the 34 bytes
};

// kTruncated when the STREAMINFO is cut off; kInvalid for a header that is neither form, a first block
// that is not STREAMINFO, or impossible values (rate 0, block sizes under 16).
Result<FlacConfig> parse_flac_config(ByteSpan record);
// The same without the reason (what the player's track config uses: no error text in its module):
// ErrorCode::kOk, kTruncated or kInvalid.
ErrorCode read_flac_config(ByteSpan record, FlacConfig* out);

}  // namespace lw::codec
