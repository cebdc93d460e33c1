// The MPEG audio frame header (ISO/IEC 11172-3 2.4.1.3, 13818-3 2.4.2.3, and the unofficial
// "MPEG 2.5" for 8/11.025/12 kHz): the 4 bytes before every MP3 frame. FLV's MP3 tags (SoundFormat 2,
// and 14 for 8 kHz) carry whole frames with no sequence header, and FLV's rate bits cannot say 48, 32,
// 24, 16 or 12 kHz (FFmpeg's muxer writes 48 kHz MP3 as "44 kHz"): the player takes the rate and the
// channels from the first frame's header instead.
//
//   ff fb 90 64: sync 0x7ff, MPEG-1 (11), layer III (01), no CRC; bitrate index 9 (128 kbit/s),
//   rate index 0 (44100), no padding; channel mode 01 (joint stereo)
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

struct Mp3Header {
  int version = 1;           // 1, 2 or 25 (MPEG-2.5)
  int layer = 3;             // 1, 2 or 3
  int sample_rate = 44100;
  int channels = 2;          // channel mode 11 (single channel) -> 1
  int bitrate_kbps = 0;      // 0: "free format"
  int samples_per_frame = 1152;
};

// The header at the start of `frame`. kInvalid when the bytes are not one (no sync, reserved version,
// layer, rate or bitrate index); kTruncated under 4 bytes.
Result<Mp3Header> parse_mp3_header(ByteSpan frame);

}  // namespace lw::codec
