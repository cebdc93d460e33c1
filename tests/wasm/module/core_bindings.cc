// embind: AMF0 decoding and the library versions for JavaScript.
//
//   Module.amf0ToString(uint8array) -> {ok: true, values: ["'onMetaData'", "{duration: 2, ...}"]}
//                                   |  {ok: false, error: "kTruncated: ..."}
//   Module.versions() -> {livewasm, openh264, ffmpeg, avcodec, avutil, swresample, ffmpegLicense,
//                         ffmpegConfiguration, opus, libyuv, simd}
//   Module.setFfmpegLogLevel(24)   // AV_LOG_*; the module starts at 16 (errors only)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "amf/amf0.h"
#include "bindings/js_bytes.h"
#include "codecs/library_versions.h"

#ifndef LW_VERSION
#define LW_VERSION "dev"
#endif

namespace lw::bindings {
namespace {

using emscripten::val;

// Decodes every AMF0 value in the bytes (an RTMP command body or FLV script data).
val amf0_to_string(const val& bytes) {
  Bytes data;
  copy_from_js(bytes, &data);
  auto values = amf0::decode_all(as_span(data));
  val out = val::object();
  out.set("ok", values.ok());
  if (!values.ok()) {
    out.set("error", values.status().to_string());
    return out;
  }
  val list = val::array();
  for (size_t i = 0; i < values->size(); ++i) list.set(i, amf0::to_string((*values)[i]));
  out.set("values", list);
  return out;
}


val versions() {
  const codecs::LibraryVersions v = codecs::library_versions();
  val o = val::object();
  o.set("livewasm", std::string(LW_VERSION));
  o.set("openh264", v.openh264);
  o.set("ffmpeg", v.ffmpeg);
  o.set("avcodec", v.avcodec);
  o.set("avutil", v.avutil);
  o.set("swresample", v.swresample);
  o.set("ffmpegLicense", v.ffmpeg_license);
  o.set("ffmpegConfiguration", v.ffmpeg_configuration);
  o.set("opus", v.opus);
  o.set("libyuv", v.libyuv);
  o.set("simd", v.simd);
  return o;
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_core) {
  lw::codecs::set_ffmpeg_log_level(16);  // AV_LOG_ERROR
  emscripten::function("setFfmpegLogLevel", &lw::codecs::set_ffmpeg_log_level);
  emscripten::function("amf0ToString", &lw::bindings::amf0_to_string);
  emscripten::function("versions", &lw::bindings::versions);
}
