// Force-included into every C++ file of the wasm build (CMakePresets.json, preset "wasm"). Debian's
// Emscripten 3.1.6 compiles with clang 14 but ships libc++ 13 (_LIBCPP_VERSION 13000), which lacks a
// few C++20 library pieces the core uses; this supplies them so that the core stays plain C++20 and
// compiles unchanged natively. Each shim steps aside when the library has the real thing.
#pragma once
#ifdef __cplusplus
#include <version>

#if !defined(__cpp_lib_bit_cast)
#include <type_traits>
namespace std {
// C++20 [bit.cast]; clang's builtin is what libc++ 14 uses too.
template <class To, class From,
          class = enable_if_t<sizeof(To) == sizeof(From) && is_trivially_copyable_v<To> &&
                              is_trivially_copyable_v<From>>>
constexpr To bit_cast(const From& from) noexcept {
  return __builtin_bit_cast(To, from);
}
}  // namespace std
#endif

#endif  // __cplusplus
