// embind: the on-demand AV1 module (livewasm_player_av1{,_simd}): dav1d behind the same WasmVideoDecoder
// surface as decoder_bindings.cc's, so worker/video_decode_path.js drives it like the HEVC module's.
// No PlaySession, no FFmpeg: the worker loads it beside the player's module only for an AV1 stream it
// decodes in wasm, and copies each temporal unit in (decode), pictures out as views of dav1d's planes.
//
//   const vd = new core.WasmVideoDecoder();
//   vd.configure({decoder: 'av1', description: av1C}) -> {ok, error?}
//   vd.decode(uint8array, ptsUs, key) -> {ok, error?}   vd.decodeAt(ptr, size, ptsUs, key)
//   let f; while ((f = vd.nextFrame())) draw(f.y, f.u, f.v, f.strideY, ...)   // I420, or null
//   vd.flush(); vd.delete();
//   Module.decoderInfo() -> {dav1d: '1.0.0', decoders: ['av1'], coreDecoders: []}
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "bindings/js_bytes.h"
#include "bindings/js_values.h"
#include "bindings/js_video_frames.h"
#include "codecs/dav1d/av1_decoder.h"

namespace lw::bindings {
namespace {

using emscripten::val;

class WasmVideoDecoder {
 public:
  val configure(const val& o) {
    const std::string decoder = get_or<std::string>(o, "decoder", "");
    if (decoder != "av1") return status_to_js(Status(ErrorCode::kUnsupported, "this module decodes av1, not " + decoder));
    const val d = o["description"];
    description_.clear();
    if (!d.isUndefined() && !d.isNull()) copy_from_js(d, &description_);
    return status_to_js(dec_.configure(as_span(description_)));
  }
  val decode_at(uintptr_t ptr, size_t size, double pts_us, bool key) {
    return status_to_js(dec_.decode(ByteSpan(reinterpret_cast<const uint8_t*>(ptr), size), static_cast<int64_t>(pts_us), key));
  }
  val decode(const val& bytes, double pts_us, bool key) {
    copy_from_js(bytes, &scratch_);
    return status_to_js(dec_.decode(as_span(scratch_), static_cast<int64_t>(pts_us), key));
  }
  val next_frame() {
    codecs::VideoFrameView f;
    return dec_.next_frame(&f) ? video_frame_to_js(f) : val::null();
  }
  val flush() { return status_to_js(dec_.flush()); }
  val stats() { return video_decoder_stats_to_js(dec_); }

 private:
  codecs::Dav1dAv1Decoder dec_;
  Bytes description_, scratch_;
};

val decoder_info() {
  val o = val::object();
  o.set("dav1d", codecs::Dav1dAv1Decoder::version());
  val list = val::array();
  list.call<void>("push", std::string("av1"));
  o.set("decoders", list);
  o.set("coreDecoders", val::array());
  return o;
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_av1) {
  using namespace emscripten;
  using lw::bindings::WasmVideoDecoder;
  class_<WasmVideoDecoder>("WasmVideoDecoder")
      .constructor<>()
      .function("configure", &WasmVideoDecoder::configure)
      .function("decodeAt", &WasmVideoDecoder::decode_at)
      .function("decode", &WasmVideoDecoder::decode)
      .function("nextFrame", &WasmVideoDecoder::next_frame)
      .function("flush", &WasmVideoDecoder::flush)
      .function("stats", &WasmVideoDecoder::stats);
  function("decoderInfo", &lw::bindings::decoder_info);
}
