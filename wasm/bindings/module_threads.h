// The most threads a codec of this module may start (decoder_bindings.cc, pusher_bindings.cc): in a
// threads module (lw_threads_module() in CMakeLists.txt, LW_THREADS_MAX defined) the factory option
// `threads` the pthread pool was sized by (worker/load_core.js: the page's cores, 1..LW_THREADS_MAX; absent:
// LW_THREADS_MAX), 1 in every other module. A codec never starts more threads than the pool holds: a
// pthread_create beyond it would wait for the event loop, which the blocked caller never gives back.
//
// Included by one source of each module (EM_JS defines a symbol).
#pragma once

#ifdef LW_THREADS_MAX
#include <emscripten/emscripten.h>

// The pool size's expression in CMakeLists.txt (lw_threads_module) stores the clamped count in
// Module.threads when the module starts; it is read here, not worked out a second time.
EM_JS(int, lw_module_threads_js, (int most), { return (Module['threads'] | 0) || most; });

namespace lw::bindings {
inline int module_threads() { return lw_module_threads_js(LW_THREADS_MAX); }
}  // namespace lw::bindings
#else
namespace lw::bindings {
inline int module_threads() { return 1; }
}  // namespace lw::bindings
#endif
