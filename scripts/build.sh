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
if [ "${1:-}" = --shipped ]; then
  shift
  targets=()
  for m in "${SHIPPED_MODULES[@]}"; do targets+=("$m" "${m}_simd"); done
  set -- --target "${targets[@]}" "$@"
fi
cd "$root"

case "$config" in
  native|asan|fuzz) cmake --preset "$config" >/dev/null ;;
  wasm)
    # The four wasm dependencies, built once into $LW_CACHE (minutes cold, under a second warm), in
    # two variants: baseline and -msimd128. ctest runs the .js test runners with Node without fetch()
    # (TOOLCHAIN.md); emcmake's default emulator would be `node --experimental-wasm-threads`.
    deps=$("$root/scripts/build-wasm-deps.sh" --print-prefix)
    deps_simd=$("$root/scripts/build-wasm-deps.sh" --print-prefix --simd)
    emcmake cmake --preset wasm -DLW_WASM_DEPS_PREFIX="$deps" -DLW_WASM_DEPS_PREFIX_SIMD="$deps_simd" \
      "-DCMAKE_CROSSCOMPILING_EMULATOR=$(command -v node);--no-experimental-fetch" >/dev/null ;;
  *) echo "unknown build '$config'" >&2; exit 2 ;;
esac
cmake --build "build/$config" -j"$(nproc)" "$@"

# The browser side loads the pusher's and the player's modules (and, for an HEVC stream decoded in wasm,
# livewasm_player_hevc; for an MP3 stream decoded in wasm, livewasm_player_mp3; for AV1, livewasm_player_av1) from dist/wasm/ next to js-api/, worker/ and web/ (the layout the npm package has); a generated folder, ignored by git. livewasm_core (every
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
fi
