#include "codecs/library_versions.h"

#include <libyuv/version.h>
#include <opus/opus.h>
#include <wels/codec_api.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/log.h>
#include <libswresample/swresample.h>
}

namespace lw::codecs {
namespace {

// FFmpeg packs versions as (major << 16) | (minor << 8) | micro.
std::string unpack(unsigned v) {
  return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
}

}  // namespace

LibraryVersions library_versions() {
  LibraryVersions v;
  const OpenH264Version h = WelsGetCodecVersion();
  v.openh264 = std::to_string(h.uMajor) + "." + std::to_string(h.uMinor) + "." + std::to_string(h.uRevision);
  v.ffmpeg = av_version_info();
  v.avcodec = unpack(avcodec_version());
  v.avutil = unpack(avutil_version());
  v.swresample = unpack(swresample_version());
  v.ffmpeg_license = avcodec_license();
  v.ffmpeg_configuration = avcodec_configuration();
  v.opus = opus_get_version_string();
  v.libyuv = std::to_string(LIBYUV_VERSION);
#ifdef __wasm_simd128__
  v.simd = true;
#endif
  return v;
}

void set_ffmpeg_log_level(int level) { av_log_set_level(level); }

}  // namespace lw::codecs
