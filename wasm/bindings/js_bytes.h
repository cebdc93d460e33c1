// Moving bytes between JS typed arrays and wasm memory for the bindings: one bulk copy
// (TypedArray.prototype.set over a view of the wasm heap), never a per-element loop.
#pragma once

#include <emscripten/val.h>

#include "base/bytes.h"

namespace lw::bindings {

// Copies a Uint8Array (or any array-like of bytes) into `out`, replacing its contents.
inline void copy_from_js(const emscripten::val& bytes, Bytes* out) {
  const size_t n = bytes["length"].as<size_t>();
  out->resize(n);
  if (n == 0) return;
  // The view is made after resize(): growing the heap detaches earlier views.
  emscripten::val view(emscripten::typed_memory_view(n, out->data()));
  view.call<void>("set", bytes);
}

// A new Uint8Array (JS-owned copy) of `data`.
inline emscripten::val copy_to_js(ByteSpan data) {
  emscripten::val view(emscripten::typed_memory_view(data.size(), data.data()));
  return emscripten::val::global("Uint8Array").new_(view);
}

}  // namespace lw::bindings
