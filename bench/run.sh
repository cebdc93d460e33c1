#!/usr/bin/env bash
# Runs the benchmarks in one go and prints the tables that bench/RESULTS.md records:
#   1. builds lw_bench (native, Google Benchmark) and, unless told not to, the embind wasm module;
#   2. makes the input FLV with Debian's ffmpeg (640x360 H.264 + AAC, 30 s) into build/bench/;
#   3. runs lw_bench (JSON to build/bench/native.json, console table to stdout);
#   4. runs the Node harness on the same file: our demuxer in wasm, npm mpegts.js and flv.js, and the
#      native figure from step 3, with the ratios wasm/native and ours/peer;
#   5. AMF0 decode, the module's amf0ToString beside the same C++ natively.
#
# Environment:
#   LW_BENCH_BUILD_DIR    where lw_bench is built (default build/native through the `native` preset;
#                         any other directory is configured with the same build type)
#   LW_BENCH_WASM=skip    do not build the wasm module (use what is there, if anything)
#   LW_BENCH_WASM_MODULE  the module's glue (default build/wasm/wasm/bindings/livewasm_core.mjs)
#   LW_BENCH_REPS         lw_bench repetitions (default 5; the median is used)
#   LW_BENCH_SAMPLES      samples per Node measurement (default 15; the median is used)
#   LW_BENCH_FILTER       lw_bench --benchmark_filter (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/env.sh

out=build/bench
mkdir -p "$out"
log() { printf '[bench] %s\n' "$*" >&2; }

# 1. Builds. Two cores shared with everything else: -j2 at most.
build_dir=${LW_BENCH_BUILD_DIR:-build/native}
if [ "$build_dir" = build/native ]; then
  log "building lw_bench (scripts/build.sh native)"
  scripts/build.sh native --target lw_bench >"$out/build-native.log" 2>&1 \
    || { tail -n 30 "$out/build-native.log"; exit 1; }
else
  log "building lw_bench in $build_dir"
  { cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLW_BENCH=ON -DLW_TESTS=OFF \
      -DLW_TOOLS=OFF && cmake --build "$build_dir" --target lw_bench -j2; } >"$out/build-native.log" 2>&1 \
    || { tail -n 30 "$out/build-native.log"; exit 1; }
fi
if [ "${LW_BENCH_WASM:-build}" != skip ]; then
  log "building the wasm module (scripts/build.sh wasm; the dependencies are cached after the first run)"
  scripts/build.sh wasm --target livewasm_core >"$out/build-wasm.log" 2>&1 \
    || log "wasm build failed (see $out/build-wasm.log): the wasm row will say so"
fi
if [ ! -d node_modules/mpegts.js ] || [ ! -d node_modules/flv.js ] || [ ! -d node_modules/esbuild ]; then
  log "npm ci (peers: mpegts.js, flv.js; esbuild to bundle their FLV demuxers for Node)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. Input: made here, never committed. Regenerated when the command changes.
flv=$out/input.flv
# One x264 thread so that the bytes are the same on every run and machine (with these versions).
make_flv=(ffmpeg -nostdin -hide_banner -loglevel error -y
  -f lavfi -i testsrc2=size=640x360:rate=30 -f lavfi -i sine=frequency=1000:sample_rate=44100 -t 30
  -c:v libx264 -threads 1 -preset veryfast -b:v 1M -g 60 -c:a aac -b:a 128k -f flv "$flv")
if [ ! -s "$flv" ] || [ "$(cat "$flv.cmd" 2>/dev/null)" != "${make_flv[*]}" ]; then
  log "making $flv with ffmpeg"
  "${make_flv[@]}"
  printf '%s' "${make_flv[*]}" >"$flv.cmd"
fi
export LW_BENCH_FLV=$root/$flv

# 3. Native.
printf '\n== lw_bench (native, %s)\n' "$build_dir"
"$build_dir/bench/lw_bench" --benchmark_repetitions="${LW_BENCH_REPS:-5}" \
  --benchmark_report_aggregates_only=true --benchmark_filter="${LW_BENCH_FILTER:-.}" \
  --benchmark_out="$out/native.json" --benchmark_out_format=json --benchmark_counters_tabular=true

# 4. wasm + peers + native, same bytes, one process.
printf '\n== FLV demux: native vs wasm vs npm peers (Node %s)\n' "$(node --version)"
lw_node bench/wasm/flv_demux.bench.mjs --flv "$flv" --native-json "$out/native.json" \
  ${LW_BENCH_WASM_MODULE:+--module "$LW_BENCH_WASM_MODULE"} \
  --samples "${LW_BENCH_SAMPLES:-15}" --json-out "$out/flv_demux.json"

printf '\n== AMF0 decode: native vs wasm\n'
lw_node bench/wasm/amf0_decode.bench.mjs --native-json "$out/native.json" \
  ${LW_BENCH_WASM_MODULE:+--module "$LW_BENCH_WASM_MODULE"} --samples "${LW_BENCH_SAMPLES:-15}"
