// Opus through libopus (BSD): 20 ms frames at 48 kHz, one packet per frame; config() is the OpusHead
// identification header (RFC 7845 5.1) that Enhanced RTMP's Opus SequenceStart carries.
#include <opus/opus.h>

#include <array>
#include <string>

#include "codecs/audio_encoder.h"
#include "codecs/audio_encoder_internal.h"
#include "codecs/pcm_stager.h"

namespace lw::codecs {
namespace {

constexpr int kRate = 48000;        // libopus takes 8/12/16/24/48 kHz; 48 kHz keeps the full band
constexpr int kFrameSamples = 960;  // 20 ms
constexpr int kMaxPacket = 4000;    // libopus's recommended output ceiling

struct OpusFree {
  void operator()(OpusEncoder* e) const { opus_encoder_destroy(e); }
};

Status opus_error(const char* what, int err) {
  return Status(ErrorCode::kInvalid, std::string(what) + ": " + opus_strerror(err));
}

class OpusAudioEncoder final : public AudioEncoder {
 public:
  Status open(const AudioEncoderOptions& o) {
    const bool high = o.quality == AudioQuality::kHigh;
    channels_ = high ? 2 : 1;
    bitrate_kbps_ = high ? 96 : 32;
    int err = OPUS_OK;
    enc_.reset(opus_encoder_create(kRate, channels_, high ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_VOIP, &err));
    if (err != OPUS_OK || !enc_) return opus_error("opus_encoder_create", err);
    if (int rv = opus_encoder_ctl(enc_.get(), OPUS_SET_BITRATE(bitrate_kbps_ * 1000)); rv != OPUS_OK)
      return opus_error("OPUS_SET_BITRATE", rv);
    opus_int32 lookahead = 0;
    if (int rv = opus_encoder_ctl(enc_.get(), OPUS_GET_LOOKAHEAD(&lookahead)); rv != OPUS_OK)
      return opus_error("OPUS_GET_LOOKAHEAD", rv);
    write_head(static_cast<uint16_t>(lookahead), o.input_sample_rate);
    packet_.resize(kMaxPacket);
    return stager_.open(o.input_sample_rate, o.input_channels, kRate, channels_, kFrameSamples);
  }

  Status encode(const float* pcm, int frames, int64_t timestamp_ms, std::vector<EncodedAudio>* out) override {
    EncodedAudioList list(out);
    LW_RETURN_IF_ERROR(stager_.add(pcm, frames, timestamp_ms));
    const float* block = nullptr;
    int64_t ts = 0;
    while (stager_.next(&block, &ts)) {
      const opus_int32 n = opus_encode_float(enc_.get(), block, kFrameSamples, packet_.data(), kMaxPacket);
      if (n < 0) return opus_error("opus_encode_float", n);
      EncodedAudio& a = list.add();
      a.data.assign(packet_.begin(), packet_.begin() + n);
      a.timestamp_ms = ts;
    }
    return Status::Ok();
  }

  ByteSpan config() const override { return {head_.data(), head_.size()}; }
  int sample_rate() const override { return kRate; }
  int channels() const override { return channels_; }
  int bitrate_kbps() const override { return bitrate_kbps_; }
  std::string name() const override { return std::string("libopus ") + opus_get_version_string(); }

 private:
  // RFC 7845 5.1, 19 bytes, little-endian: "OpusHead", version 1, channel count, pre-skip (the
  // encoder's look-ahead at 48 kHz: samples a decoder discards), the input's original rate
  // (informational), output gain 0, channel mapping family 0 (mono or stereo, no table).
  void write_head(uint16_t pre_skip, int input_rate) {
    const auto rate = static_cast<uint32_t>(input_rate);
    const std::array<uint8_t, 19> head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1,
                                          static_cast<uint8_t>(channels_),
                                          static_cast<uint8_t>(pre_skip & 0xff), static_cast<uint8_t>(pre_skip >> 8),
                                          static_cast<uint8_t>(rate), static_cast<uint8_t>(rate >> 8),
                                          static_cast<uint8_t>(rate >> 16), static_cast<uint8_t>(rate >> 24),
                                          0, 0,  // output gain (Q7.8 dB)
                                          0};    // channel mapping family
    head_.assign(head.begin(), head.end());
  }

  std::unique_ptr<OpusEncoder, OpusFree> enc_;
  PcmStager stager_;
  Bytes head_;
  Bytes packet_;
  int channels_ = 0, bitrate_kbps_ = 0;
};

}  // namespace

Result<std::unique_ptr<AudioEncoder>> open_opus_encoder(const AudioEncoderOptions& options) {
  auto enc = std::make_unique<OpusAudioEncoder>();
  LW_RETURN_IF_ERROR(enc->open(options));
  return std::unique_ptr<AudioEncoder>(std::move(enc));
}

}  // namespace lw::codecs
