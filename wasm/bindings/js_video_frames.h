// What every WasmVideoDecoder binding hands to JS (decoder_bindings.cc over FFmpeg, av1_decoder_bindings.cc
// over dav1d; worker/video_decode_path.js reads both the same way): a decoded I420 picture as views of the
// decoder's planes (valid until its next call), and the decoder's counters.
#pragma once

#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>

#include "codecs/video_decoder.h"

namespace lw::bindings {

// {ptsUs, width, height, y, u, v, strideY, strideU, strideV, yPtr, uPtr, vPtr}
inline emscripten::val video_frame_to_js(const codecs::VideoFrameView& f) {
  using emscripten::val;
  const size_t ch = static_cast<size_t>((f.height + 1) / 2);
  val o = val::object();
  o.set("ptsUs", static_cast<double>(f.pts_us));
  o.set("width", f.width);
  o.set("height", f.height);
  o.set("y", val(emscripten::typed_memory_view(static_cast<size_t>(f.stride_y) * f.height, f.y)));
  o.set("u", val(emscripten::typed_memory_view(static_cast<size_t>(f.stride_u) * ch, f.u)));
  o.set("v", val(emscripten::typed_memory_view(static_cast<size_t>(f.stride_v) * ch, f.v)));
  o.set("strideY", f.stride_y);
  o.set("strideU", f.stride_u);
  o.set("strideV", f.stride_v);
  o.set("yPtr", reinterpret_cast<uintptr_t>(f.y));
  o.set("uPtr", reinterpret_cast<uintptr_t>(f.u));
  o.set("vPtr", reinterpret_cast<uintptr_t>(f.v));
  return o;
}

// {packetsIn, framesOut, frameErrors, lastFrameError, queued}: frameErrors are pictures dropped because
// their format could not be made I420 (or the decoder refused them), lastFrameError the last reason.
template <class Decoder>
emscripten::val video_decoder_stats_to_js(const Decoder& d) {
  emscripten::val o = emscripten::val::object();
  o.set("packetsIn", static_cast<double>(d.packets_in()));
  o.set("framesOut", static_cast<double>(d.frames_out()));
  o.set("frameErrors", static_cast<double>(d.frame_errors()));
  o.set("lastFrameError", d.last_error().to_string());
  o.set("queued", static_cast<double>(d.queued()));
  return o;
}

}  // namespace lw::bindings
