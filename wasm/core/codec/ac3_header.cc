#include "codec/ac3_header.h"

#include "codec/bit_reader.h"

namespace lw::codec {

ErrorCode read_ac3_header(ByteSpan frame, Ac3Header* out) {
  if (frame.size() < 7) return ErrorCode::kTruncated;
  if (frame[0] != 0x0b || frame[1] != 0x77) return ErrorCode::kInvalid;
  static constexpr int kRates[3] = {48000, 44100, 32000};
  static constexpr int kChannels[8] = {2, 1, 2, 3, 3, 4, 4, 5};
  Ac3Header& h = *out;
  // bsid sits at the same place in both syncframes: 5 bits after 40 (A/52 E.1.2.3's layout).
  h.bsid = frame[5] >> 3;
  if (h.bsid > 16) return ErrorCode::kInvalid;
  h.enhanced = h.bsid > 10;
  BitReader r(frame.subspan(2));
  uint32_t v = 0, fscod = 0;
  if (!h.enhanced) {
    // crc1 (16), fscod (2), frmsizecod (6), bsid (5), bsmod (3), acmod (3), then the mix levels acmod
    // asks for, lfeon.
    uint32_t frmsizecod = 0;
    if (!r.skip(16) || !r.bits(2, &fscod) || !r.bits(6, &frmsizecod) || !r.skip(5 + 3))
      return ErrorCode::kTruncated;
    if (fscod == 3) return ErrorCode::kInvalid;
    if (frmsizecod > 37) return ErrorCode::kInvalid;
    // A/52 table 5.18: the bitrate pairs of codes, in kbit/s; 16-bit words per frame at 48, 44.1, 32 kHz.
    static constexpr int kKbps[19] = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640};
    const int kbps = kKbps[frmsizecod / 2];
    const int words = fscod == 0 ? kbps * 2 : fscod == 1 ? kbps * 96000 / 44100 + static_cast<int>(frmsizecod & 1) : kbps * 3;
    h.frame_bytes = static_cast<size_t>(words) * 2;
    h.samples_per_frame = 1536;
    if (!r.bits(3, &v)) return ErrorCode::kTruncated;
    h.acmod = static_cast<int>(v);
    size_t mix = 0;
    if ((h.acmod & 1) && h.acmod != 1) mix += 2;  // cmixlev
    if (h.acmod & 4) mix += 2;                    // surmixlev
    if (h.acmod == 2) mix += 2;                   // dsurmod
    if (!r.skip(mix) || !r.bits(1, &v)) return ErrorCode::kTruncated;
    h.lfe = v != 0;
    // bsid 9 and 10: the half- and quarter-rate variants (FFmpeg's ac3_parser: sr_shift = bsid - 8).
    h.sample_rate = kRates[fscod] >> (h.bsid > 8 ? h.bsid - 8 : 0);
  } else {
    // strmtyp (2), substreamid (3), frmsiz (11), fscod (2), fscod2 or numblkscod (2), acmod (3), lfeon (1).
    uint32_t strmtyp = 0, frmsiz = 0, fscod2 = 0;
    if (!r.bits(2, &strmtyp) || !r.skip(3) || !r.bits(11, &frmsiz) || !r.bits(2, &fscod) || !r.bits(2, &fscod2) ||
        !r.bits(3, &v))
      return ErrorCode::kTruncated;
    h.frame_bytes = (static_cast<size_t>(frmsiz) + 1) * 2;
    static constexpr int kBlocks[4] = {1, 2, 3, 6};
    h.samples_per_frame = 256 * (fscod == 3 ? 6 : kBlocks[fscod2]);
    if (strmtyp == 3) return ErrorCode::kInvalid;
    h.acmod = static_cast<int>(v);
    if (!r.bits(1, &v)) return ErrorCode::kTruncated;
    h.lfe = v != 0;
    if (fscod == 3) {
      if (fscod2 == 3) return ErrorCode::kInvalid;
      h.sample_rate = kRates[fscod2] / 2;
    } else {
      h.sample_rate = kRates[fscod];
    }
  }
  h.channels = kChannels[h.acmod] + (h.lfe ? 1 : 0);
  return ErrorCode::kOk;
}

Result<Ac3Header> parse_ac3_header(ByteSpan frame) {
  Ac3Header h;
  const ErrorCode code = read_ac3_header(frame, &h);
  if (code == ErrorCode::kOk) return h;
  return Status(code, code == ErrorCode::kTruncated ? "AC-3 / E-AC-3 syncframe header cut off"
                                                    : "not an AC-3 / E-AC-3 syncframe header (sync word, rate, size or bsid)");
}

}  // namespace lw::codec
