// AMF0: decode_all on arbitrary bytes must return a value or an error, never crash; what decodes must
// survive encode -> decode unchanged, and the second encoding must equal the first (encode is a
// function of the value).
#include <cstdint>
#include <cstdlib>

#include "amf/amf0.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lw;
  amf0::Limits limits;
  limits.max_depth = 32;
  limits.max_string_bytes = 1 << 16;
  limits.max_elements = 1 << 12;
  limits.max_values = 1 << 14;
  auto first = amf0::decode_all(ByteSpan(data, size), limits);
  if (!first.ok()) return 0;
  Bytes wire;
  ByteWriter w(&wire);
  amf0::encode_all(*first, w);
  auto second = amf0::decode_all(as_span(wire), limits);
  if (!second.ok() || *second != *first) std::abort();
  Bytes again;
  ByteWriter w2(&again);
  amf0::encode_all(*second, w2);
  if (again != wire) std::abort();
  for (const amf0::Value& v : *first) (void)amf0::to_string(v);
  return 0;
}
