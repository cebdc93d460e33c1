// When the browser's decoder (WebCodecs) of a track fails: whether the player makes a new one and goes on
// from the next key frame, or decodes that track in wasm (FFmpeg) for the rest of the play. The worker
// owns the decoders and reports what they did; this decides (PlaySession raises the codes).
//
//   video  an error callback is taken as the stream's fault first (a damaged packet: 2101, a new browser
//          decoder from the next key frame); a second one before the decoder has given a picture is
//          the decoder's (a hardware decoder that cannot take this stream): 2106 and wasm from now on.
//          A decoder that throws on a packet (it refuses it outright) is the decoder's at once: 2106.
//   audio  the first failure of either kind: 2102 and wasm from now on (an audio decoder that failed
//          once is not given the stream again: sound is too short a buffer to spend on a retry).
//
// After a fall back the browser's decoder is not tried again for that track until the next play.
#pragma once

#include <cstdint>

namespace lw::play {

enum class DecoderVerdict : uint8_t { kRetry, kFallBack };

class DecoderFallback {
 public:
  explicit DecoderFallback(bool video) : video_(video) {}

  // The browser's decoder failed: `refused` when a call threw (configure, decode), else its error
  // callback. Returns what the worker does next.
  DecoderVerdict on_failure(bool refused);
  // It gave a picture (or sound): the failures before are forgiven.
  void on_output() { failures_ = 0; }
  // The track decodes in wasm for the rest of this play (a new play has a new session).
  bool fell_back() const { return fell_back_; }

 private:
  bool video_;
  int32_t failures_ = 0;  // since the last output
  bool fell_back_ = false;
};

}  // namespace lw::play
