// The player's AV1 decoder in wasm: dav1d (scripts/build-wasm-deps.sh builds Debian's source package
// for wasm, 8-bit only, one thread) behind the same small API as FfmpegVideoDecoder (video_decoder.h):
// what Enhanced RTMP 'av01' carries (an av1C, then temporal units of OBUs) in, 8-bit I420 pictures out
// as views of dav1d's own pictures. Only the on-demand module livewasm_player_av1 links it
// (wasm/bindings/av1_decoder_bindings.cc); this folder is outside wasm/codecs/*.cc's globs, so the
// other modules and the native lw_codecs never need dav1d.
//
//   Dav1dAv1Decoder dec;
//   dec.configure(av1c_record);                 // its configOBUs (the sequence header) go in first
//   dec.decode(temporal_unit, pts_us, key);     // error value on a corrupt unit; go on
//   VideoFrameView f;
//   while (dec.next_frame(&f)) draw(f.y, ...);  // valid until the next call into dec
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "codecs/video_decoder.h"

struct Dav1dContext;

namespace lw::codecs {

class Dav1dAv1Decoder {
 public:
  Dav1dAv1Decoder();
  ~Dav1dAv1Decoder();
  Dav1dAv1Decoder(const Dav1dAv1Decoder&) = delete;
  Dav1dAv1Decoder& operator=(const Dav1dAv1Decoder&) = delete;

  // `description`: the av1C (AV1CodecConfigurationRecord). kUnsupported for a stream over 8 bits or not
  // 4:2:0 (the record says); kInvalid for a record that does not parse. Again with the same record: a
  // no-op; with another: a new decoder (pictures still queued are kept).
  Status configure(ByteSpan description);
  // One temporal unit (OBUs, low-overhead format). kInvalid with dav1d's error on a corrupt unit; the
  // decoder stays usable.
  Status decode(ByteSpan temporal_unit, int64_t pts_us, bool key);
  // Drops what dav1d holds (a skip): nothing is held back at one thread and frame delay 1.
  Status flush();
  bool next_frame(VideoFrameView* out);

  uint64_t packets_in() const { return packets_in_; }
  uint64_t frames_out() const { return frames_out_; }
  uint64_t frame_errors() const { return frame_errors_; }
  const Status& last_error() const { return last_error_; }
  size_t queued() const { return queue_.size(); }
  static std::string version();

 private:
  struct Picture;
  void close();
  Status send(ByteSpan data, int64_t pts_us);
  Status drain();

  Dav1dContext* ctx_ = nullptr;
  Bytes description_;
  std::deque<Picture*> queue_;
  Picture* current_ = nullptr;
  Status last_error_;
  uint64_t packets_in_ = 0, frames_out_ = 0, frame_errors_ = 0;
};

}  // namespace lw::codecs
