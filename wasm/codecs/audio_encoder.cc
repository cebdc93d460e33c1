#include "codecs/audio_encoder.h"

#include "codecs/audio_encoder_internal.h"

namespace lw::codecs {

Result<std::unique_ptr<AudioEncoder>> open_audio_encoder(const AudioEncoderOptions& o) {
  if (o.input_sample_rate < 8000 || o.input_sample_rate > 192000)
    return Status(ErrorCode::kUnsupported, "capture sample rate " + std::to_string(o.input_sample_rate) +
                                               " Hz (8000..192000 Hz can be encoded)");
  if (o.input_channels < 1 || o.input_channels > 2)
    return Status(ErrorCode::kUnsupported, std::to_string(o.input_channels) + " capture channels (1 or 2)");
  if (o.codec != AudioCodecKind::kAac && o.codec != AudioCodecKind::kOpus)
    return Status(ErrorCode::kUnsupported, "audio codec kind " + std::to_string(static_cast<int>(o.codec)));
  return o.codec == AudioCodecKind::kOpus ? open_opus_encoder(o) : open_aac_encoder(o);
}

}  // namespace lw::codecs
