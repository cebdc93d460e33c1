// hvcC: parse; parse(build(x)) == x; the parameter sets inside go through the SPS/VPS parsers and,
// when the SPS parses, a record made from them builds and parses back equal.
#include <cstdint>
#include <cstdlib>

#include "codec/hevc_config.h"
#include "codec/hevc_sps.h"

using namespace lw;
using namespace lw::codec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  // The raw input as an SPS and a VPS too, so the fuzzer reaches their parsers directly.
  (void)parse_hevc_sps(in);
  (void)parse_hevc_vps(in);
  auto c = parse_hevc_config(in);
  if (!c.ok()) return 0;
  auto built = build_hevc_config(*c);
  if (!built.ok()) std::abort();
  auto again = parse_hevc_config(as_span(*built));
  if (!again.ok() || !(*again == *c)) std::abort();
  const auto vps = c->nalus_of_type(32), sps = c->nalus_of_type(33), pps = c->nalus_of_type(34);
  for (ByteSpan s : sps) {
    auto parsed = parse_hevc_sps(s);
    if (parsed.ok() && (parsed->width == 0 || parsed->width > parsed->pic_width)) std::abort();
    if (parsed.ok()) (void)parsed->codec_string();
  }
  auto made = make_hevc_config(vps, sps, pps, c->length_size());
  if (!made.ok()) return 0;
  auto made_bytes = build_hevc_config(*made);
  if (!made_bytes.ok()) std::abort();
  auto made_again = parse_hevc_config(as_span(*made_bytes));
  if (!made_again.ok() || !(*made_again == *made)) std::abort();
  return 0;
}
