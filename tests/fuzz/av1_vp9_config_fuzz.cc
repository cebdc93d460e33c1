// av1C, vpcC, AV1 OBU framing and sequence headers, VP9 frame headers: parse never reads out of bounds;
// a parsed record builds and parses back equal; the record made from a parsed sequence header (or VP9
// key frame header) builds and parses back to the same fields. The first byte picks the parser so one
// target covers both codecs; the codec strings are made for every record that parses.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codec/av1_config.h"
#include "codec/vp9_config.h"

using namespace lw;
using namespace lw::codec;

namespace {

void av1(ByteSpan in) {
  auto obus = split_obus(in);
  if (obus.ok()) {
    for (const Obu& o : *obus) {
      if (o.payload.data() < in.data() || o.payload.data() + o.payload.size() > in.data() + in.size()) std::abort();
      if (o.type != kObuSequenceHeader) continue;
      auto made = make_av1_config(o);
      if (!made.ok()) continue;
      auto bytes = build_av1_config(*made);
      if (!bytes.ok()) std::abort();
      auto back = parse_av1_config(as_span(*bytes));
      if (!back.ok() || !(*back == *made) || !back->sequence_header().ok()) std::abort();
    }
  }
  (void)av1_temporal_unit_is_key(in);
  (void)parse_av1_sequence_header(in);
  auto c = parse_av1_config(in);
  std::string name;
  if (av1_codec_string(in, &name) != c.ok()) std::abort();
  if (!c.ok()) return;
  if (name != c->codec_string()) std::abort();
  (void)c->sequence_header();
  auto bytes = build_av1_config(*c);
  if (!bytes.ok()) std::abort();
  auto again = parse_av1_config(as_span(*bytes));
  if (!again.ok() || !(*again == *c)) std::abort();
}

void vp9(ByteSpan in) {
  auto h = parse_vp9_frame_header(in);
  if (h.ok() && h->key_frame) {
    auto bytes = build_vp9_config(make_vp9_config(*h));
    if (!bytes.ok()) std::abort();
    if (!parse_vp9_config(as_span(*bytes)).ok()) std::abort();
  }
  auto c = parse_vp9_config(in);
  if (!c.ok()) return;
  (void)c->codec_string();
  auto bytes = build_vp9_config(*c);
  if (!bytes.ok()) std::abort();
  auto again = parse_vp9_config(as_span(*bytes));
  if (!again.ok() || !(*again == *c)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteSpan in(data + 1, size - 1);
  if (data[0] & 1) vp9(in);
  else av1(in);
  return 0;
}
