// VPCodecConfigurationRecord ("vpcC", VP Codec ISO Media File Format Binding v1.0 2.2): the VP9 sequence
// header of Enhanced RTMP ('vp09' PacketTypeSequenceStart) and MP4. FFmpeg's ff_isom_write_vpcc writes
// the box's version 1 and flags, then the record:
//   01 000000 | 00 | 14 | 82 | 02 02 02 | 0000
//   version flags, profile, level (20: 2.0), bitDepth(4) chromaSubsampling(3) videoFullRangeFlag(1),
//   colourPrimaries, transferCharacteristics, matrixCoefficients, codecInitializationDataSize (0 for VP9)
// (FFmpeg 5.1's MP4 record for libvpx-vp9's 320x240 8-bit 4:2:0.) parse_vp9_config also takes the
// 8-byte record without version and flags, which some muxers put in FLV.
//
// Also the start of a VP9 frame's uncompressed header (VP9 bitstream spec 6.2), from which a muxer
// builds the record and tells key frames.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace lw::codec {

struct Vp9Config {
  uint8_t profile = 0;
  uint8_t level = 0;  // 10 * major + minor (10, 11, 20, ... 62); 0 when the muxer did not know
  uint8_t bit_depth = 8;
  uint8_t chroma_subsampling = 1;  // 0: 4:2:0 vertical, 1: 4:2:0 colocated, 2: 4:2:2, 3: 4:4:4
  bool full_range = false;
  uint8_t colour_primaries = 2, transfer_characteristics = 2, matrix_coefficients = 2;  // 2: unspecified

  // "vp09.00.20.08" (WebCodecs / the binding's 'Codecs Parameter String', short form). A level that is
  // not one of VP9's (e.g. 0, unknown) is written as 31 so that the string stays valid.
  std::string codec_string() const;
  bool operator==(const Vp9Config&) const = default;
};

// The 12-byte form (version 1, flags 0, record) or the bare 8-byte record; kTruncated for less,
// kInvalid for a version other than 1 or a field out of range (bit depth other than 8/10/12).
Result<Vp9Config> parse_vp9_config(ByteSpan data);
// The same, false where it fails, without error text (what the player's track config reads).
bool read_vp9_config(ByteSpan data, Vp9Config* config);
// The 12-byte form FFmpeg writes (version 1, flags 0, codecInitializationDataSize 0).
Result<Bytes> build_vp9_config(const Vp9Config& config);

// uncompressed_header() up to frame_size() (VP9 6.2); for a frame that is not a key frame only the
// first fields (a superframe's first frame decides).
struct Vp9FrameHeader {
  uint8_t profile = 0;
  bool show_existing_frame = false;
  bool key_frame = false;
  bool show_frame = true;
  // Key frames only:
  uint8_t bit_depth = 8;
  uint8_t color_space = 0;  // CS_UNKNOWN 0 ... CS_RGB 7
  bool color_range = false;
  bool subsampling_x = true, subsampling_y = true;
  uint32_t width = 0, height = 0;
};
Result<Vp9FrameHeader> parse_vp9_frame_header(ByteSpan frame);

// The record for a key frame's header; `level` as the caller knows it (0: unknown).
Vp9Config make_vp9_config(const Vp9FrameHeader& key_frame, uint8_t level = 0);

// The lowest VP9 level (Annex A table: MaxPictureSize, MaxLumaSampleRate) that takes width x height at
// `fps`, as FFmpeg's vpcc.c picks it (320x240 at 25 fps: 20); 0 when the picture is beyond level 6.2.
uint8_t vp9_level_for(uint32_t width, uint32_t height, double fps);

}  // namespace lw::codec
