#include "play/decoder_fallback.h"

namespace lw::play {

namespace {
// Video: failures in a row (no picture between) that make it the decoder's fault.
constexpr int32_t kVideoFailuresToFallBack = 2;
}  // namespace

DecoderVerdict DecoderFallback::on_failure(bool refused) {
  if (fell_back_) return DecoderVerdict::kFallBack;
  ++failures_;
  if (!video_ || refused || failures_ >= kVideoFailuresToFallBack) {
    fell_back_ = true;
    return DecoderVerdict::kFallBack;
  }
  return DecoderVerdict::kRetry;
}

}  // namespace lw::play
