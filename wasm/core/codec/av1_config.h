// AV1CodecConfigurationRecord ("av1C", AV1 Codec ISO Media File Format Binding v1.2.0 2.3): the AV1
// sequence header of Enhanced RTMP ('av01' PacketTypeSequenceStart) and MP4. Four bytes, then the
// configOBUs (the Sequence Header OBU, low-overhead format with obu_has_size_field):
//   81 | 00 | 0C | 00 | 0A 0B 00000004 3CFFBCDAF90040
//   marker(1)=1 version(7)=1, seq_profile(3) seq_level_idx_0(5),
//   seq_tier_0 high_bitdepth twelve_bit monochrome chroma_subsampling_x chroma_subsampling_y
//   chroma_sample_position(2), 000 initial_presentation_delay_present(1) delay_minus_one(4), configOBUs
// (FFmpeg 5.1's MP4 record for libaom's 320x240 8-bit 4:2:0, Main profile level 2.0.)
//
// Also the OBU framing (AV1 spec 5.3) and the Sequence Header OBU (5.5), which the record carries and
// from which a muxer builds one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

// OBU types (AV1 6.2.2).
inline constexpr uint8_t kObuSequenceHeader = 1;
inline constexpr uint8_t kObuTemporalDelimiter = 2;
inline constexpr uint8_t kObuFrameHeader = 3;
inline constexpr uint8_t kObuFrame = 6;
inline constexpr uint8_t kObuPadding = 15;

struct Obu {
  uint8_t type = 0;
  bool has_extension = false;
  uint8_t temporal_id = 0, spatial_id = 0;
  ByteSpan payload;  // after the header and size field
  ByteSpan whole;    // header, size field and payload
};

// Splits a low-overhead bitstream (every OBU with obu_has_size_field, as in a temporal unit of IVF, MP4
// or FLV; the last OBU may omit the size and run to the end). kInvalid for the forbidden bit or a size
// LEB128 over 8 bytes, kTruncated for a size past the end.
Result<std::vector<Obu>> split_obus(ByteSpan data);

// Sequence Header OBU payload (AV1 5.5), the fields a player and the record need.
struct Av1SequenceHeader {
  uint8_t seq_profile = 0;
  bool still_picture = false;
  bool reduced_still_picture_header = false;
  uint8_t seq_level_idx_0 = 0;
  bool seq_tier_0 = false;
  uint32_t max_frame_width = 0, max_frame_height = 0;
  bool high_bitdepth = false, twelve_bit = false, mono_chrome = false;
  bool subsampling_x = true, subsampling_y = true;
  uint8_t chroma_sample_position = 0;
  bool color_description_present = false;
  uint8_t color_primaries = 2, transfer_characteristics = 2, matrix_coefficients = 2;  // 2: unspecified
  bool color_range = false;

  int bit_depth() const { return high_bitdepth ? (twelve_bit ? 12 : 10) : 8; }  // twelve_bit counts only with high_bitdepth
};
Result<Av1SequenceHeader> parse_av1_sequence_header(ByteSpan payload);

struct Av1Config {
  uint8_t seq_profile = 0;
  uint8_t seq_level_idx_0 = 0;
  bool seq_tier_0 = false;
  bool high_bitdepth = false, twelve_bit = false, monochrome = false;
  bool chroma_subsampling_x = true, chroma_subsampling_y = true;
  uint8_t chroma_sample_position = 0;
  bool initial_presentation_delay_present = false;
  uint8_t initial_presentation_delay_minus_one = 0;
  Bytes config_obus;  // zero or more OBUs, normally the Sequence Header OBU

  int bit_depth() const { return high_bitdepth ? (twelve_bit ? 12 : 10) : 8; }  // twelve_bit counts only with high_bitdepth
  // The WebCodecs / RFC 6381 string of the AV1 binding's "Codecs Parameter String" (short form):
  // "av01.0.04M.08" (profile, two-digit level, tier M/H, two-digit bit depth).
  std::string codec_string() const;
  // The Sequence Header OBU among config_obus, parsed (kInvalid when there is none).
  Result<Av1SequenceHeader> sequence_header() const;
  bool operator==(const Av1Config&) const = default;
};

// kTruncated under 4 bytes; kInvalid for a marker bit 0 or a version other than 1. The configOBUs are
// kept as they are (sequence_header() reads them).
Result<Av1Config> parse_av1_config(ByteSpan data);
// The record's codec string straight from its bytes (Av1Config::codec_string of parse_av1_config's
// result), false where parse_av1_config fails: what the player's track config uses (no record copy,
// no error text: the player's module stays small).
bool av1_codec_string(ByteSpan data, std::string* out);
// kInvalid for a value wider than its field.
Result<Bytes> build_av1_config(const Av1Config& config);
// The record for a Sequence Header OBU (`obu`: header, size and payload, as split_obus's `whole`), as
// FFmpeg's ff_isom_write_av1c writes it: no initial presentation delay, the OBU as configOBUs (with a
// size field, which it adds when the OBU lacks one).
Result<Av1Config> make_av1_config(const Obu& sequence_header_obu);

// Is this temporal unit a random access point: its first frame (OBU_FRAME or OBU_FRAME_HEADER) is a
// shown KEY_FRAME, not show_existing_frame? (AV1 5.9.2; a reduced still picture header is always key.)
bool av1_temporal_unit_is_key(ByteSpan temporal_unit, bool reduced_still_picture_header = false);

}  // namespace lw::codec
