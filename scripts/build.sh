#!/usr/bin/env bash
# One command per build of the same core:
#   scripts/build.sh native   g++, RelWithDebInfo: tests, tools, benchmarks     -> build/native
#   scripts/build.sh asan     g++ with ASan + UBSan: tests, tools               -> build/asan
#   scripts/build.sh fuzz     clang with libFuzzer + ASan + UBSan: fuzz targets  -> build/fuzz
#   scripts/build.sh wasm     Emscripten: tests under Node, the embind module   -> build/wasm
# Extra arguments go to `cmake --build` (e.g. a --target); `--shipped` (wasm only) builds just the modules
# the package ships (what a page loads), not the tests and benchmarks.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
config=${1:?usage: scripts/build.sh native|asan|fuzz|wasm [--shipped] [cmake --build args]}
shift || true
# The modules a page loads, each in its baseline and SIMD build (copied to dist/wasm below).
SHIPPED_MODULES=(livewasm_pusher livewasm_player livewasm_player_hevc livewasm_player_mp3 livewasm_player_av1
  livewasm_player_vp9 livewasm_player_flac_ac3)
# The modules built once, with threads (-msimd128 -pthread), for cross-origin isolated pages: the .mjs, the
# .wasm and Emscripten's pthread worker (.worker.js).
SHIPPED_MT_MODULES=(livewasm_player_mt livewasm_pusher_mt)
if [ "${1:-}" = --shipped ]; then
  shift
  targets=()
  for m in "${SHIPPED_MODULES[@]}"; do targets+=("$m" "${m}_simd"); done
  targets+=("${SHIPPED_MT_MODULES[@]}")
  set -- --target "${targets[@]}" "$@"
fi
cd "$root"

# ccache (scripts/setup.sh installs it): every object compiled here is kept in $LW_CACHE/ccache (default
# ~/.cache/livewasm/ccache, outside the work tree, keyed by ccache on the compiler, its flags and the
# preprocessed source), so a fresh clone on a machine that built before recompiles only what changed: the
# test run's native, ASan, fuzz and wasm builds (each minutes cold) mostly hit. Paths under the clone are
# hashed relative to it (CCACHE_BASEDIR, CCACHE_NOHASHDIR), so another clone's folder hits too. The wasm
# build's clang is wrapped inside emcc (EM_COMPILER_WRAPPER); links and wasm-opt are not cached.
# LW_NO_CCACHE=1 builds without it.
launcher=()
if [ -z "${LW_NO_CCACHE:-}" ] && command -v ccache >/dev/null; then
  export CCACHE_DIR=${CCACHE_DIR:-$LW_CACHE/ccache} CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1
  export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-12G}
  if [ "$config" = wasm ]; then export EM_COMPILER_WRAPPER=ccache
  else launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
else
  launcher=(-UCMAKE_C_COMPILER_LAUNCHER -UCMAKE_CXX_COMPILER_LAUNCHER)
fi

case "$config" in
  native|asan|fuzz) cmake --preset "$config" "${launcher[@]}" >/dev/null ;;
  wasm)
    # The four wasm dependencies, built once into $LW_CACHE (minutes cold, under a second warm), in
    # two variants: baseline and -msimd128. ctest runs the .js test runners with Node without fetch()
    # (TOOLCHAIN.md); emcmake's default emulator would be `node --experimental-wasm-threads`.
    deps=$("$root/scripts/build-wasm-deps.sh" --print-prefix)
    deps_simd=$("$root/scripts/build-wasm-deps.sh" --print-prefix --simd)
    deps_mt=$("$root/scripts/build-wasm-deps.sh" --print-prefix --mt)
    emcmake cmake --preset wasm -DLW_WASM_DEPS_PREFIX="$deps" -DLW_WASM_DEPS_PREFIX_SIMD="$deps_simd" \
      -DLW_WASM_DEPS_PREFIX_MT="$deps_mt" \
      "-DCMAKE_CROSSCOMPILING_EMULATOR=$(command -v node);--no-experimental-fetch" >/dev/null ;;
  *) echo "unknown build '$config'" >&2; exit 2 ;;
esac
cmake --build "build/$config" -j"$(nproc)" "$@"
if [ -z "${LW_NO_CCACHE:-}" ] && [ -n "${CCACHE_DIR:-}" ]; then
  echo "ccache ($CCACHE_DIR), all builds so far:"; ccache -s | grep -Ei 'hits|misses|cache size' || true
fi

# The browser side loads the pusher's and the player's modules (and, for an HEVC stream decoded in wasm,
# livewasm_player_hevc, or livewasm_player_mt with threads on a cross-origin isolated page, where the pusher loads livewasm_pusher_mt; for an MP3 stream decoded in wasm, livewasm_player_mp3; for AV1, livewasm_player_av1) from dist/wasm/ next to js-api/, worker/ and web/ (the layout the npm package has); a generated folder, ignored by git. livewasm_core (every
# binding, for tests/wasm and bench/wasm) stays in build/wasm; an older dist/wasm/livewasm_core* is removed
# so that nothing in the browser can depend on it unnoticed.
if [ "$config" = wasm ]; then
  mkdir -p "$root/dist/wasm"
  rm -f "$root"/dist/wasm/livewasm_core*.mjs "$root"/dist/wasm/livewasm_core*.wasm
  for m in "${SHIPPED_MODULES[@]}"; do
    for f in "$m.mjs" "$m.wasm" "${m}_simd.mjs" "${m}_simd.wasm"; do
      src="$root/build/wasm/wasm/bindings/$f"
      [ -f "$src" ] && cp -p "$src" "$root/dist/wasm/$f"
    done
  done
  for m in "${SHIPPED_MT_MODULES[@]}"; do
    for f in "$m.mjs" "$m.wasm" "$m.worker.js"; do
      src="$root/build/wasm/wasm/bindings/$f"
      [ -f "$src" ] && cp -p "$src" "$root/dist/wasm/$f"
    done
  done
fi
