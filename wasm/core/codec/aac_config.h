// AAC AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), the AAC sequence header of FLV (AACPacketType 0)
// and of MP4's esds, and the ADTS frame header (14496-3 1.A.2.2.1) that raw .aac streams and encoders'
// elementary output use.
//
// Real bytes: FFmpeg's encoder, 44.1 kHz stereo LC: `12 10 56 E5 00`:
//   00010 0100 0010 0 0 0 = AAC LC, index 4 (44100), 2 channels, GASpecificConfig all zero;
//   then 01010110111 (syncExtensionType 0x2B7) 00101 (extension AOT 5, SBR) 0 (sbrPresentFlag = 0):
//   FFmpeg says explicitly, backward-compatibly, that there is no SBR.
// HE-AAC v1 with explicit hierarchical signalling (e.g. fdk-aac): `2B 92 08 00`: AOT 5, index 7 (22050),
// 2 channels, extension index 3 (48000), then AOT 2.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

namespace aac_object {
inline constexpr uint32_t kMain = 1, kLc = 2, kSsr = 3, kLtp = 4, kSbr = 5, kErLc = 17, kPs = 29;
}

// How SBR/PS presence was signalled (1.6.5.2 / 1.6.6).
enum class AacSbrSignalling : uint8_t {
  kNone,               // not signalled: implicit (a decoder may still find SBR in the stream)
  kExplicit,           // hierarchical: audioObjectType 5 or 29 first, then the core object type
  kBackwardCompatible, // syncExtensionType 0x2B7 after the core config (sbrPresentFlag may be 0)
};

struct AacConfig {
  uint32_t object_type = aac_object::kLc;  // the core audioObjectType (2 for HE-AAC's AAC LC core)
  uint8_t sampling_frequency_index = 4;    // 0..12, or 15 with an explicit `sampling_frequency`
  uint32_t sampling_frequency = 44100;     // core rate in Hz (from the table, or explicit)
  uint8_t channel_configuration = 2;       // 0: a program_config_element defines the channels

  AacSbrSignalling sbr_signalling = AacSbrSignalling::kNone;
  bool sbr_present = false;  // meaningful when signalled
  bool ps_present = false;   // object type 29, or 0x548 after a backward-compatible SBR extension
  bool ps_signalled = false; // kBackwardCompatible: the 0x548 extension was there (flag may be 0)
  uint8_t extension_sampling_frequency_index = 0;  // with SBR: the output rate's index (or 15)
  uint32_t extension_sampling_frequency = 0;       // with SBR: output rate in Hz

  // GASpecificConfig (4.4.1) for the GA object types 1-4, 6, 7, 17, 19-23.
  bool frame_length_flag = false;  // 960/120 instead of 1024/128 samples
  bool depends_on_core_coder = false;
  uint16_t core_coder_delay = 0;   // 14 bits
  bool extension_flag = false;
  uint8_t layer_nr = 0;          // object types 6 and 20: 3 bits
  uint8_t er_resilience_flags = 0;  // types 17, 19, 20, 23 with extension_flag: the three flags (3 bits)
  bool extension_flag3 = false;  // with extension_flag
  uint8_t ep_config = 0;         // error-resilient types (17, 19-23): epConfig 0 or 1 (2, 3 unsupported)
  bool has_pce = false;  // channel_configuration 0: a PCE follows, not parsed (parse stops there)

  // Output sample rate (the SBR rate when SBR is present) and channel count (0 when a PCE defines it;
  // PS makes mono 2).
  uint32_t output_sample_rate() const;
  uint32_t channels() const;
  // RFC 6381 codec string, "mp4a.40.2" / "mp4a.40.5" / "mp4a.40.29".
  std::string codec_string() const;
  bool operator==(const AacConfig&) const = default;
};

// Table 1.18 samplingFrequencyIndex -> Hz (0 for the reserved 13, 14 and the escape 15).
uint32_t aac_sampling_frequency(uint8_t index);
// The table index of a rate, or 15 when it has none (then it is written explicitly).
uint8_t aac_sampling_frequency_index(uint32_t hz);

// Parses an AudioSpecificConfig. kTruncated names the field; kInvalid for object type 0, a reserved
// sampling frequency index, an explicit frequency of 0; kUnsupported for object types outside the GA
// family (e.g. 8 CELP, 36 ALS): their specific configs are not parsed.
Result<AacConfig> parse_aac_config(ByteSpan data);

// Writes an AudioSpecificConfig, padded with zero bits to a byte boundary. kInvalid for values that
// cannot be expressed (object type 0 or over 95, index 13/14, channel configuration over 15, PCE).
Result<Bytes> build_aac_config(const AacConfig& config);

// ADTS header (1.A.2.2.1), 7 bytes, or 9 with a CRC (protection_absent = 0).
struct AdtsHeader {
  bool mpeg2 = false;           // ID: 1 for MPEG-2 AAC, 0 for MPEG-4
  bool protection_absent = true;
  uint8_t profile = 1;          // audioObjectType - 1 (1 = LC)
  uint8_t sampling_frequency_index = 4;
  uint8_t channel_configuration = 2;  // 3 bits
  uint16_t frame_length = 0;    // 13 bits, header included
  uint16_t buffer_fullness = 0x7FF;  // 0x7FF: VBR
  uint8_t raw_data_blocks = 0;  // number_of_raw_data_blocks_in_frame (frames - 1)

  size_t header_size() const { return protection_absent ? 7 : 9; }
  bool operator==(const AdtsHeader&) const = default;
};

// Parses the header at the start of `data` (the payload need not be there). kInvalid without the 0xFFF
// syncword, with layer != 0, reserved index 13-15 or frame_length smaller than the header; kTruncated
// when fewer than 7 (or 9) bytes are given.
Result<AdtsHeader> parse_adts_header(ByteSpan data);
// Appends a 7-byte header (protection_absent = 1) for a raw AAC frame of `payload_size` bytes; kInvalid
// when the config cannot be described by ADTS (object type over 4, explicit frequency, PCE) or the
// frame is over 8191 bytes.
Status append_adts_header(const AacConfig& config, size_t payload_size, Bytes* out);
// The AudioSpecificConfig an ADTS header describes (e.g. for an FLV AAC sequence header).
AacConfig adts_to_aac_config(const AdtsHeader& header);

}  // namespace lw::codec
