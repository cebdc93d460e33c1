#!/usr/bin/env bash
# The pusher's encoder benchmarks in one run (issue 5, "Benchmarks"; figures in bench/RESULTS.md,
# "Pusher encoders"):
#   1. OpenH264 2.3.1 through the pusher's H264Encoder, one thread, on the same ffmpeg-made frames
#      (testsrc2 + luma noise, 60 distinct frames looped) at 640x360, 960x540 and 1280x720:
#        - wasm baseline and wasm -msimd128 (Node, one thread),
#        - natively with Debian's libopenh264.so.7 (its x86 asm),
#        - natively with the same Debian source built here without asm (clang-14 -O3: the compiler and
#          flags of the wasm build), so "wasm vs native" compares the same C;
#        - Chromium's WebCodecs VideoEncoder (software; Debian's Chromium links that same Debian
#          libopenh264), latency modes realtime and quality;
#   2. AAC (FFmpeg) and Opus (libopus) encode speed, wasm and native;
#   3. a CPU profile of the wasm (SIMD) encoder at 720p: the functions the time goes to;
#   4. real pushes in headless Chromium from a 1280x720 30 fps camera: FHD at 1800 kbit/s (720p; the
#      default encoder ladder, then WebCodecs forced) and RTC (360p): CPU of the pusher worker thread and
#      of the whole browser over a 10 s window, against the idle page; the state codes (1107?).
# Prints the tables; writes build/bench/pusher/results.json. About 3 minutes warm on 2 cores.
#
# Builds (own directories, -j2): build/bench-pusher/native (lw-encoder-speed), build/bench-pusher/wasm
# (the module with bench_bindings.cc), build/bench-pusher/wasm-prof (the same with function names, for
# steps 3 and 4); the no-asm OpenH264 is cached in $LW_CACHE/native/openh264-<version>-noasm-<hash>/.
# The push (step 4) runs js-api/ + worker/ with that named module (same sources and -O3 as dist/wasm/,
# plus names, so the worker profile can name the hot code; dist/wasm/ when profile is skipped) and the
# gateway of build/native (scripts/build.sh native).
#
# Environment: LW_PUSHER_BENCH_SKIP="push,chromium,profile,wasm,native" (comma list) leaves steps out.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/env.sh
out=build/bench/pusher
mkdir -p "$out" build/bench-pusher
log() { printf '[pusher-bench %4ds] %s\n' "$SECONDS" "$*" >&2; }
skip=",${LW_PUSHER_BENCH_SKIP:-},"

# ---- native: lw-encoder-speed against Debian's codec libraries --------------------------------------
log "building lw-encoder-speed (build/bench-pusher/native)"
{ cmake -S . -B build/bench-pusher/native -G Ninja -DCMAKE_BUILD_TYPE=Release -DLW_BENCH=ON -DLW_TESTS=OFF \
    -DLW_TOOLS=OFF -DLW_GATEWAY=OFF && cmake --build build/bench-pusher/native --target lw-encoder-speed -j2; } \
  >"$out/build-native.log" 2>&1 || { tail -n 30 "$out/build-native.log"; exit 1; }

# ---- native OpenH264 without asm: Debian's source package, as a drop-in libopenh264.so.7 -------------
# The recipe (this function's text), the version and the compiler make the cache key.
oh264_version=$(dpkg-query -W -f '${Version}' libopenh264-7)
oh264_noasm() {
  make -j2 OS=linux ARCH=x86_64 USE_ASM=No USE_STACK_PROTECTOR=No CC=clang-14 CXX=clang++-14 \
    CFLAGS_OPT=-O3 libopenh264.so
}
key=$(printf '%s\n%s\n%s\n' "$oh264_version" "$(declare -f oh264_noasm)" "$(clang-14 --version | head -n 1)" |
  sha256sum | cut -c1-12)
noasm="$LW_CACHE/native/openh264-${oh264_version}-noasm-$key"
if [ ! -f "$noasm/.lw-stamp" ]; then
  src="$LW_CACHE/src/openh264_${oh264_version}"
  if [ ! -d "$src" ]; then
    log "fetching the openh264 $oh264_version source package"
    mkdir -p "$LW_CACHE/src/dl"
    (cd "$LW_CACHE/src/dl" && apt-get source --download-only "openh264=$oh264_version") >"$out/noasm.log" 2>&1
    dpkg-source -x "$LW_CACHE/src/dl/openh264_${oh264_version}.dsc" "$src" >>"$out/noasm.log" 2>&1
  fi
  log "building openh264 $oh264_version without asm (clang-14 -O3) into $noasm"
  tree="$LW_CACHE/build/openh264-noasm-$key"
  rm -rf "$tree" "$noasm" "$noasm.tmp" && mkdir -p "$tree" "$noasm.tmp"
  (cp -a "$src/." "$tree/" && cd "$tree" && oh264_noasm) >>"$out/noasm.log" 2>&1 \
    || { tail -n 30 "$out/noasm.log"; exit 1; }
  cp -a "$tree"/libopenh264.so* "$noasm.tmp/"
  printf 'openh264 %s USE_ASM=No clang-14 -O3 (bench/pusher/run.sh)\n' "$oh264_version" >"$noasm.tmp/.lw-stamp"
  mv "$noasm.tmp" "$noasm" && rm -rf "$tree"
fi
export LW_NOASM_OPENH264_DIR=$noasm

# ---- wasm: the module with the bench bindings (and a copy with function names for the profile) ------
if [[ "$skip" != *,wasm,* ]]; then
  : >"$out/build-wasm.log"
  deps=$(scripts/build-wasm-deps.sh --print-prefix 2>>"$out/build-wasm.log")
  deps_simd=$(scripts/build-wasm-deps.sh --print-prefix --simd 2>>"$out/build-wasm.log")
  wasm_build() {  # dir, extra link flags, targets...
    local dir=$1 link=$2; shift 2
    { emcmake cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLW_TOOLS=OFF -DLW_TESTS=OFF \
        -DLW_GATEWAY=OFF -DLW_BENCH_BINDINGS=ON -DLW_WASM_DEPS_PREFIX="$deps" -DLW_WASM_DEPS_PREFIX_SIMD="$deps_simd" \
        "-DCMAKE_EXE_LINKER_FLAGS=$link" && cmake --build "$dir" --target "$@" -j2; } >>"$out/build-wasm.log" 2>&1 \
      || { tail -n 30 "$out/build-wasm.log"; exit 1; }
  }
  log "building the wasm module (build/bench-pusher/wasm)"
  wasm_build build/bench-pusher/wasm "" livewasm_core livewasm_core_simd
  if [[ "$skip" != *,profile,* ]]; then
    log "building the wasm module with function names (build/bench-pusher/wasm-prof)"
    wasm_build build/bench-pusher/wasm-prof --profiling-funcs livewasm_core livewasm_core_simd livewasm_pusher livewasm_pusher_simd
  fi
fi

log "measuring"
node bench/pusher/run.mjs --out "$out" --skip "$skip"
