// What the audio encoders share behind audio_encoder.h: their factories (open_audio_encoder picks one)
// and the output list that reuses the packets' buffers from call to call.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "codecs/audio_encoder.h"

namespace lw::codecs {

Result<std::unique_ptr<AudioEncoder>> open_aac_encoder(const AudioEncoderOptions& options);
Result<std::unique_ptr<AudioEncoder>> open_opus_encoder(const AudioEncoderOptions& options);

// Fills `out` from its first element on, keeping the elements (and their byte buffers' capacity) of
// earlier calls instead of clearing them; trims the list to what was added when it goes out of scope.
class EncodedAudioList {
 public:
  explicit EncodedAudioList(std::vector<EncodedAudio>* out) : out_(out) {}
  ~EncodedAudioList() { out_->resize(used_); }
  EncodedAudioList(const EncodedAudioList&) = delete;
  EncodedAudioList& operator=(const EncodedAudioList&) = delete;

  EncodedAudio& add() {
    if (used_ == out_->size()) out_->emplace_back();
    EncodedAudio& a = (*out_)[used_++];
    a.data.clear();
    return a;
  }

 private:
  std::vector<EncodedAudio>* out_;
  size_t used_ = 0;
};

}  // namespace lw::codecs
