// H.264 SPS: any bytes give an SPS or an error, never a crash; a parsed SPS has a consistent size.
#include <cstdint>
#include <cstdlib>

#include "codec/avc_sps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto sps = lw::codec::parse_avc_sps(lw::ByteSpan(data, size));
  if (!sps.ok()) return 0;
  if (sps->width == 0 || sps->height == 0 || sps->width > sps->coded_width ||
      sps->height > sps->coded_height || sps->coded_width % 16 != 0 || sps->coded_height % 16 != 0) {
    std::abort();
  }
  (void)sps->codec_string();
  return 0;
}
