// Opus through libopus (BSD): 20 ms frames at 48 kHz, one packet per frame; config() is the OpusHead
// identification header (RFC 7845 5.1) that Enhanced RTMP's Opus SequenceStart carries.
#include <opus/opus.h>

#include <string>

#include "base/byte_writer.h"
#include "media/audio_encoder.h"
#include "media/pcm_stager.h"

namespace lw::media {
namespace {

constexpr int kRate = 48000;
constexpr int kFrameSamples = 960;  // 20 ms
constexpr int kMaxPacket = 4000;    // libopus's recommended ceiling

struct OpusFree {
  void operator()(OpusEncoder* e) const { opus_encoder_destroy(e); }
};

class OpusAudioEncoder final : public AudioEncoder {
 public:
  Status open(const AudioEncoderOptions& o) {
    const bool high = o.quality == AudioQuality::kHigh;
    channels_ = high ? 2 : 1;
    bitrate_kbps_ = high ? 96 : 32;
    int err = 0;
    enc_.reset(opus_encoder_create(kRate, channels_, high ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_VOIP, &err));
    if (err != OPUS_OK || !enc_) return Status(ErrorCode::kInvalid, std::string("opus_encoder_create: ") + opus_strerror(err));
    opus_encoder_ctl(enc_.get(), OPUS_SET_BITRATE(bitrate_kbps_ * 1000));
    opus_int32 lookahead = 0;
    opus_encoder_ctl(enc_.get(), OPUS_GET_LOOKAHEAD(&lookahead));
    // OpusHead: magic, version 1, channels, pre-skip, input rate, output gain 0, mapping family 0.
    ByteWriter w(&head_);
    w.string("OpusHead");
    w.u8(1);
    w.u8(static_cast<uint8_t>(channels_));
    w.u8(static_cast<uint8_t>(lookahead & 0xff));  // little-endian 16-bit
    w.u8(static_cast<uint8_t>(lookahead >> 8));
    w.u32le(static_cast<uint32_t>(o.input_sample_rate));
    w.u8(0);
    w.u8(0);
    w.u8(0);
    packet_.resize(kMaxPacket);
    return stager_.open(o.input_sample_rate, o.input_channels, kRate, channels_, kFrameSamples);
  }

  Status encode(const float* pcm, int frames, int64_t timestamp_ms, std::vector<EncodedAudio>* out) override {
    out->clear();
    LW_RETURN_IF_ERROR(stager_.add(pcm, frames, timestamp_ms));
    const float* block = nullptr;
    int64_t ts = 0;
    while (stager_.next(&block, &ts)) {
      const opus_int32 n = opus_encode_float(enc_.get(), block, kFrameSamples, packet_.data(), kMaxPacket);
      if (n < 0) return Status(ErrorCode::kInvalid, std::string("opus_encode_float: ") + opus_strerror(n));
      EncodedAudio a;
      a.data.assign(packet_.begin(), packet_.begin() + n);
      a.timestamp_ms = ts;
      out->push_back(std::move(a));
    }
    return Status::Ok();
  }

  ByteSpan config() const override { return {head_.data(), head_.size()}; }
  int sample_rate() const override { return kRate; }
  int channels() const override { return channels_; }
  int bitrate_kbps() const override { return bitrate_kbps_; }
  std::string name() const override { return std::string("libopus ") + opus_get_version_string(); }

 private:
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

}  // namespace lw::media
