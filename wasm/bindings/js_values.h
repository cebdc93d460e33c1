// Reading plain JS option objects and answering with plain JS results, for the bindings: the pattern of
// Squoosh's codecs (STYLE.md), one definition for every binding file.
#pragma once

#include <emscripten/val.h>

#include "base/status.h"

namespace lw::bindings {

// o[key] as T, or `fallback` when the key is missing, undefined or null.
template <class T>
T get_or(const emscripten::val& o, const char* key, T fallback) {
  const emscripten::val v = o[key];
  if (v.isUndefined() || v.isNull()) return fallback;
  return v.as<T>();
}

// {ok: true} or {ok: false, error: "<code>: <reason>"}.
inline emscripten::val status_to_js(const Status& s) {
  emscripten::val o = emscripten::val::object();
  o.set("ok", s.ok());
  if (!s.ok()) o.set("error", s.to_string());
  return o;
}

}  // namespace lw::bindings
