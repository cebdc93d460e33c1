// Versions of the libraries linked into the wasm module, as each library reports itself at run time
// (not as the headers say), so a test can tell which build it loaded.
#pragma once

#include <string>

namespace lw::codecs {

struct LibraryVersions {
  std::string openh264;        // "2.3.1"
  std::string ffmpeg;          // av_version_info(), e.g. "5.1.9"
  std::string avcodec;         // "59.37.100"
  std::string avutil;
  std::string swresample;
  std::string ffmpeg_license;  // avcodec_license(): "LGPL version 2.1 or later"
  std::string ffmpeg_configuration;  // avcodec_configuration(): the ./configure line
  std::string opus;            // opus_get_version_string(): "libopus 1.3.1"
  std::string libyuv;          // LIBYUV_VERSION, e.g. "1857" (libyuv has no run-time query)
  bool simd = false;           // this module was compiled with -msimd128
};

LibraryVersions library_versions();

// FFmpeg logs at "info" by default (every AAC encoder close prints its Qavg); the module keeps
// errors only. `level` is an AV_LOG_* value (16 = error, 24 = warning, 32 = info).
void set_ffmpeg_log_level(int level);

}  // namespace lw::codecs
