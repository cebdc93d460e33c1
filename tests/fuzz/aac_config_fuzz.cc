// AudioSpecificConfig and ADTS: any bytes give a value or an error; what parses (and can be built)
// builds and parses back equal.
#include <cstdint>
#include <cstdlib>

#include "codec/aac_config.h"

using namespace lw;
using namespace lw::codec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  auto c = parse_aac_config(in);
  if (c.ok()) {
    (void)c->codec_string();
    (void)c->channels();
    auto built = build_aac_config(*c);
    if (built.ok()) {
      auto again = parse_aac_config(as_span(*built));
      if (!again.ok() || !(*again == *c)) std::abort();
    } else if (!c->has_pce) {
      std::abort();  // everything parsed except a PCE can be written back
    }
  }
  auto adts = parse_adts_header(in);
  if (adts.ok()) {
    const AacConfig from_adts = adts_to_aac_config(*adts);
    Bytes header;
    if (append_adts_header(from_adts, adts->frame_length - 7, &header).ok()) {
      auto back = parse_adts_header(as_span(header));
      if (!back.ok() || back->profile != adts->profile ||
          back->sampling_frequency_index != adts->sampling_frequency_index ||
          back->channel_configuration != adts->channel_configuration) {
        std::abort();
      }
    }
  }
  return 0;
}
