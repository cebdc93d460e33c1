// The AC-3 and E-AC-3 syncframe headers (ATSC A/52 5.3 and E.1.2): Enhanced RTMP's 'ac-3' and 'ec-3'
// tracks have no configuration record (FFmpeg's FLV muxer writes an empty sequence start), so the player
// takes the rate and the channels from each coded frame's first syncframe, as for MP3.
//
//   0b 77 fe 95 14 40: AC-3, sync, crc1, fscod 0 (48 kHz) frmsizecod 20, bsid 8, acmod 2 (L R), no LFE
//   0b 77 00 cf 72 87: E-AC-3, strmtyp 0 substreamid 0, frmsiz 207, fscod 1 (44.1 kHz), 6 blocks,
//                      acmod 1 (C), no LFE, bsid 16
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

struct Ac3Header {
  bool enhanced = false;  // bsid 11..16: E-AC-3
  int bsid = 0;
  int sample_rate = 0;    // 48000, 44100, 32000 (E-AC-3 also 24000, 22050, 16000; AC-3 bsid 9/10 halve them)
  int channels = 0;       // acmod's full-bandwidth channels (1+1 dual mono counts 2) plus the LFE
  int acmod = 0;
  bool lfe = false;
  size_t frame_bytes = 0;     // the whole syncframe (AC-3: frmsizecod's table; E-AC-3: (frmsiz + 1) * 2)
  int samples_per_frame = 0;  // 1536 (AC-3); 256 per audio block (E-AC-3: 1, 2, 3 or 6 blocks)
};

// The header at the start of `frame`: kInvalid without the 0x0B77 sync word, with a reserved sample rate
// code or frame size code, or with a bsid above 16; kTruncated when cut off.
Result<Ac3Header> parse_ac3_header(ByteSpan frame);
// The same without the reason (the player's track config): ErrorCode::kOk, kTruncated or kInvalid.
ErrorCode read_ac3_header(ByteSpan frame, Ac3Header* out);

}  // namespace lw::codec
