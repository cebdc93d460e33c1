#include "codec/aac_config.h"

#include <string>

#include "codec/bit_reader.h"

namespace lw::codec {
namespace {

constexpr uint32_t kRates[13] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                 22050, 16000, 12000, 11025, 8000,  7350};

Status truncated(const char* field) {
  return Status(ErrorCode::kTruncated, std::string("AudioSpecificConfig ends inside ") + field);
}

Status invalid(const std::string& what) {
  return Status(ErrorCode::kInvalid, "AudioSpecificConfig " + what);
}

// 1.6.2.1 GetAudioObjectType(): 5 bits, 31 escapes to 32 + 6 bits.
bool read_object_type(BitReader& br, uint32_t* out) {
  uint32_t v;
  if (!br.bits(5, &v)) return false;
  if (v == 31) {
    uint32_t ext;
    if (!br.bits(6, &ext)) return false;
    v = 32 + ext;
  }
  *out = v;
  return true;
}

void write_object_type(BitWriter& bw, uint32_t aot) {
  if (aot >= 31) {
    bw.bits(5, 31);
    bw.bits(6, aot - 32);
  } else {
    bw.bits(5, aot);
  }
}

// samplingFrequencyIndex, and the 24-bit samplingFrequency after the escape 0xF.
Status read_frequency(BitReader& br, const char* field, uint8_t* index, uint32_t* hz) {
  uint32_t v;
  if (!br.bits(4, &v)) return truncated(field);
  *index = static_cast<uint8_t>(v);
  if (v == 15) {
    if (!br.bits(24, hz)) return truncated(field);
    if (*hz == 0) return invalid(std::string(field) + ": explicit frequency 0");
  } else if (v > 12) {
    return invalid(std::string(field) + " " + std::to_string(v) + " is reserved");
  } else {
    *hz = kRates[v];
  }
  return Status::Ok();
}

void write_frequency(BitWriter& bw, uint8_t index, uint32_t hz) {
  bw.bits(4, index);
  if (index == 15) bw.bits(24, hz);
}

bool is_ga(uint32_t aot) {
  switch (aot) {
    case 1: case 2: case 3: case 4: case 6: case 7: case 17: case 19: case 20: case 21: case 23:
      return true;
    default:
      return false;  // 22 (ER BSAC) needs its extension fields; not supported
  }
}
bool is_er(uint32_t aot) { return aot == 17 || (aot >= 19 && aot <= 23); }
bool has_er_flags(uint32_t aot) { return aot == 17 || aot == 19 || aot == 20 || aot == 23; }

}  // namespace

uint32_t aac_sampling_frequency(uint8_t index) { return index < 13 ? kRates[index] : 0; }

uint8_t aac_sampling_frequency_index(uint32_t hz) {
  for (uint8_t i = 0; i < 13; ++i) {
    if (kRates[i] == hz) return i;
  }
  return 15;
}

uint32_t AacConfig::output_sample_rate() const {
  return sbr_present && extension_sampling_frequency ? extension_sampling_frequency : sampling_frequency;
}

uint32_t AacConfig::channels() const {
  // Table 1.19 (with the 2009 additions 11-14).
  static constexpr uint8_t kChannels[16] = {0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8, 0};
  const uint32_t n = kChannels[channel_configuration & 15];
  return (ps_present && n == 1) ? 2 : n;
}

std::string AacConfig::codec_string() const {
  uint32_t aot = object_type;
  if (sbr_signalling == AacSbrSignalling::kExplicit) aot = ps_present ? aac_object::kPs : aac_object::kSbr;
  return "mp4a.40." + std::to_string(aot);
}

Result<AacConfig> parse_aac_config(ByteSpan data) {
  BitReader br(data);
  AacConfig c;
  uint32_t aot, v;
  if (!read_object_type(br, &aot)) return truncated("audioObjectType");
  if (aot == 0) return invalid("audioObjectType 0 (null object)");
  LW_RETURN_IF_ERROR(read_frequency(br, "samplingFrequencyIndex", &c.sampling_frequency_index,
                                    &c.sampling_frequency));
  if (!br.bits(4, &v)) return truncated("channelConfiguration");
  c.channel_configuration = static_cast<uint8_t>(v);
  if (aot == aac_object::kSbr || aot == aac_object::kPs) {
    // 1.6.5.2 explicit hierarchical signalling: the output rate, then the core object type.
    c.sbr_signalling = AacSbrSignalling::kExplicit;
    c.sbr_present = true;
    c.ps_present = aot == aac_object::kPs;
    LW_RETURN_IF_ERROR(read_frequency(br, "extensionSamplingFrequencyIndex",
                                      &c.extension_sampling_frequency_index,
                                      &c.extension_sampling_frequency));
    if (!read_object_type(br, &aot)) return truncated("audioObjectType (core)");
    if (aot == 0 || aot == aac_object::kSbr || aot == aac_object::kPs) {
      return invalid("core audioObjectType " + std::to_string(aot) + " under SBR");
    }
  }
  c.object_type = aot;
  if (!is_ga(aot)) {
    return Status(ErrorCode::kUnsupported,
                  "AudioSpecificConfig audioObjectType " + std::to_string(aot) + " is not AAC (GA)");
  }
  // 4.4.1 GASpecificConfig.
  if (!br.flag(&c.frame_length_flag)) return truncated("frameLengthFlag");
  if (!br.flag(&c.depends_on_core_coder)) return truncated("dependsOnCoreCoder");
  if (c.depends_on_core_coder) {
    if (!br.bits(14, &v)) return truncated("coreCoderDelay");
    c.core_coder_delay = static_cast<uint16_t>(v);
  }
  if (!br.flag(&c.extension_flag)) return truncated("extensionFlag");
  if (c.channel_configuration == 0) {
    // program_config_element(): its length depends on its contents; we stop here.
    c.has_pce = true;
    return c;
  }
  if (aot == 6 || aot == 20) {
    if (!br.bits(3, &v)) return truncated("layerNr");
    c.layer_nr = static_cast<uint8_t>(v);
  }
  if (c.extension_flag) {
    if (has_er_flags(aot)) {
      if (!br.bits(3, &v)) return truncated("aac*ResilienceFlag");
      c.er_resilience_flags = static_cast<uint8_t>(v);
    }
    if (!br.flag(&c.extension_flag3)) return truncated("extensionFlag3");
  }
  if (is_er(aot)) {
    if (!br.bits(2, &v)) return truncated("epConfig");
    if (v >= 2) {
      return Status(ErrorCode::kUnsupported, "AudioSpecificConfig epConfig " + std::to_string(v));
    }
    c.ep_config = static_cast<uint8_t>(v);
  }
  // 1.6.6 backward-compatible signalling: syncExtensionType 0x2B7 after the core config.
  if (c.sbr_signalling == AacSbrSignalling::kNone && br.bits_left() >= 16) {
    BitReader ext = br;
    uint32_t sync, ext_aot;
    bool sbr;
    if (ext.bits(11, &sync) && sync == 0x2B7 && read_object_type(ext, &ext_aot) &&
        ext_aot == aac_object::kSbr && ext.flag(&sbr)) {
      AacConfig with = c;
      with.sbr_signalling = AacSbrSignalling::kBackwardCompatible;
      with.sbr_present = sbr;
      bool ok = true;
      if (sbr) {
        ok = read_frequency(ext, "extensionSamplingFrequencyIndex",
                            &with.extension_sampling_frequency_index,
                            &with.extension_sampling_frequency)
                 .ok();
        uint32_t ps_sync;
        bool ps;
        if (ok && ext.bits_left() >= 12 && ext.bits(11, &ps_sync) && ps_sync == 0x548 && ext.flag(&ps)) {
          with.ps_signalled = true;
          with.ps_present = ps;
        }
      }
      if (ok) c = with;  // a damaged extension is ignored, as decoders do
    }
  }
  return c;
}

Result<Bytes> build_aac_config(const AacConfig& c) {
  if (c.object_type == 0 || c.object_type > 95) return invalid("audioObjectType " + std::to_string(c.object_type));
  if (!is_ga(c.object_type)) {
    return invalid("audioObjectType " + std::to_string(c.object_type) + " is not AAC (GA)");
  }
  auto check_index = [](uint8_t index, uint32_t hz) {
    return (index <= 12) || (index == 15 && hz > 0 && hz < (1u << 24));
  };
  if (!check_index(c.sampling_frequency_index, c.sampling_frequency)) {
    return invalid("samplingFrequencyIndex " + std::to_string(c.sampling_frequency_index));
  }
  if (c.channel_configuration > 15) return invalid("channelConfiguration over 15");
  if (c.channel_configuration == 0 || c.has_pce) return invalid("with a PCE cannot be built");
  const bool sbr_ext = c.sbr_signalling == AacSbrSignalling::kExplicit ||
                       (c.sbr_signalling == AacSbrSignalling::kBackwardCompatible && c.sbr_present);
  if (sbr_ext && !check_index(c.extension_sampling_frequency_index, c.extension_sampling_frequency)) {
    return invalid("extensionSamplingFrequencyIndex " + std::to_string(c.extension_sampling_frequency_index));
  }
  Bytes out;
  BitWriter bw(&out);
  if (c.sbr_signalling == AacSbrSignalling::kExplicit) {
    write_object_type(bw, c.ps_present ? aac_object::kPs : aac_object::kSbr);
  } else {
    write_object_type(bw, c.object_type);
  }
  write_frequency(bw, c.sampling_frequency_index, c.sampling_frequency);
  bw.bits(4, c.channel_configuration);
  if (c.sbr_signalling == AacSbrSignalling::kExplicit) {
    write_frequency(bw, c.extension_sampling_frequency_index, c.extension_sampling_frequency);
    write_object_type(bw, c.object_type);
  }
  bw.flag(c.frame_length_flag);
  bw.flag(c.depends_on_core_coder);
  if (c.depends_on_core_coder) bw.bits(14, c.core_coder_delay & 0x3FFF);
  bw.flag(c.extension_flag);
  if (c.object_type == 6 || c.object_type == 20) bw.bits(3, c.layer_nr & 7);
  if (c.extension_flag) {
    if (has_er_flags(c.object_type)) bw.bits(3, c.er_resilience_flags & 7);
    bw.flag(c.extension_flag3);
  }
  if (is_er(c.object_type)) bw.bits(2, c.ep_config & 1);
  if (c.sbr_signalling == AacSbrSignalling::kBackwardCompatible) {
    bw.bits(11, 0x2B7);
    write_object_type(bw, aac_object::kSbr);
    bw.flag(c.sbr_present);
    if (c.sbr_present) {
      write_frequency(bw, c.extension_sampling_frequency_index, c.extension_sampling_frequency);
      if (c.ps_signalled) {
        bw.bits(11, 0x548);
        bw.flag(c.ps_present);
      }
    }
  }
  while (!bw.byte_aligned()) bw.flag(false);
  return out;
}

Result<AdtsHeader> parse_adts_header(ByteSpan d) {
  if (d.size() < 7) return Status(ErrorCode::kTruncated, "ADTS header needs 7 bytes");
  BitReader br(d);
  uint32_t v;
  AdtsHeader h;
  (void)br.bits(12, &v);
  if (v != 0xFFF) return Status(ErrorCode::kInvalid, "ADTS syncword 0xFFF missing");
  (void)br.flag(&h.mpeg2);
  (void)br.bits(2, &v);
  if (v != 0) return Status(ErrorCode::kInvalid, "ADTS layer " + std::to_string(v) + " (must be 0)");
  (void)br.flag(&h.protection_absent);
  (void)br.bits(2, &v);
  h.profile = static_cast<uint8_t>(v);
  (void)br.bits(4, &v);
  if (v > 12) return Status(ErrorCode::kInvalid, "ADTS sampling_frequency_index " + std::to_string(v));
  h.sampling_frequency_index = static_cast<uint8_t>(v);
  (void)br.skip(1);  // private_bit
  (void)br.bits(3, &v);
  h.channel_configuration = static_cast<uint8_t>(v);
  (void)br.skip(4);  // original_copy, home, copyright_identification_bit, _start
  (void)br.bits(13, &v);
  h.frame_length = static_cast<uint16_t>(v);
  (void)br.bits(11, &v);
  h.buffer_fullness = static_cast<uint16_t>(v);
  (void)br.bits(2, &v);
  h.raw_data_blocks = static_cast<uint8_t>(v);
  if (!h.protection_absent && d.size() < 9) return Status(ErrorCode::kTruncated, "ADTS header CRC");
  if (h.frame_length < h.header_size()) {
    return Status(ErrorCode::kInvalid, "ADTS frame_length " + std::to_string(h.frame_length) +
                                           " is smaller than its header");
  }
  return h;
}

Status append_adts_header(const AacConfig& c, size_t payload_size, Bytes* out) {
  if (c.object_type < 1 || c.object_type > 4) {
    return Status(ErrorCode::kInvalid, "ADTS carries object types 1-4, not " + std::to_string(c.object_type));
  }
  if (c.sampling_frequency_index > 12) return Status(ErrorCode::kInvalid, "ADTS needs a table sampling rate");
  if (c.channel_configuration == 0 || c.channel_configuration > 7) {
    return Status(ErrorCode::kInvalid, "ADTS channel_configuration must be 1-7");
  }
  const size_t frame_length = payload_size + 7;
  if (frame_length > 0x1FFF) return Status(ErrorCode::kInvalid, "ADTS frame over 8191 bytes");
  BitWriter bw(out);
  bw.bits(12, 0xFFF);
  bw.bits(1, 0);  // MPEG-4
  bw.bits(2, 0);  // layer
  bw.bits(1, 1);  // protection_absent
  bw.bits(2, c.object_type - 1);
  bw.bits(4, c.sampling_frequency_index);
  bw.bits(1, 0);
  bw.bits(3, c.channel_configuration);
  bw.bits(4, 0);
  bw.bits(13, static_cast<uint32_t>(frame_length));
  bw.bits(11, 0x7FF);
  bw.bits(2, 0);
  return Status::Ok();
}

AacConfig adts_to_aac_config(const AdtsHeader& h) {
  AacConfig c;
  c.object_type = h.profile + 1u;
  c.sampling_frequency_index = h.sampling_frequency_index;
  c.sampling_frequency = aac_sampling_frequency(h.sampling_frequency_index);
  c.channel_configuration = h.channel_configuration;
  c.has_pce = h.channel_configuration == 0;
  return c;
}

}  // namespace lw::codec
