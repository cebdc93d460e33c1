// avcC: parse; what parses must build, and parse(build(x)) == x; a record rebuilt from its own SPS/PPS
// lists (when its first SPS parses) must build and parse too. Also the Annex B <-> length-prefixed
// conversions on the same bytes: splitting what we wrote gives back the same NAL units.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "codec/annexb.h"
#include "codec/avc_config.h"

using namespace lw;
using namespace lw::codec;

static void check_config(ByteSpan data) {
  auto c = parse_avc_config(data);
  if (!c.ok()) return;
  auto built = build_avc_config(*c);
  if (!built.ok()) std::abort();
  auto again = parse_avc_config(as_span(*built));
  if (!again.ok() || !(*again == *c)) std::abort();
  std::vector<ByteSpan> sps, pps;
  for (const Bytes& s : c->sps) sps.push_back(as_span(s));
  for (const Bytes& p : c->pps) pps.push_back(as_span(p));
  auto made = make_avc_config(sps, pps, c->length_size());
  if (!made.ok()) return;  // e.g. the first SPS does not parse
  auto made_bytes = build_avc_config(*made);
  if (!made_bytes.ok()) std::abort();
  auto made_again = parse_avc_config(as_span(*made_bytes));
  if (!made_again.ok() || !(*made_again == *made)) std::abort();
}

static void check_annexb(ByteSpan data) {
  const auto nals = split_annexb(data);
  auto lp = annexb_to_length_prefixed(data, 4);
  if (!lp.ok()) std::abort();  // 4-byte lengths always fit
  auto split = split_length_prefixed(as_span(*lp), 4);
  if (!split.ok() || split->size() != nals.size()) std::abort();
  for (size_t i = 0; i < nals.size(); ++i) {
    if (!std::equal(nals[i].begin(), nals[i].end(), (*split)[i].begin(), (*split)[i].end())) std::abort();
  }
  // The input read as length-prefixed with every length size.
  for (int n = 1; n <= 4; ++n) (void)length_prefixed_to_annexb(data, n);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  check_config(in);
  check_annexb(in);
  return 0;
}
