#!/usr/bin/env bash
# The player's decoding benchmark in one run (issue 6, "Benchmarks"; figures in bench/RESULTS.md,
# "Player decoding"):
#   1. H.264 decode speed, one thread / one core, of the same two streams (Debian ffmpeg + libx264, High
#      profile, 2 B-frames, preset medium, testsrc2 with temporal luma noise so that the encoder spends
#      real bits: 1280x720 at 3 Mbit/s and 1920x1080 at 4 Mbit/s, 10 s at 30 fps):
#        - FFmpeg in wasm under Node: the player module (livewasm_player, -O3 and -Oz link; and _simd),
#          WasmVideoDecoder.decodeAt + nextFrame, packets already in wasm memory;
#        - natively, the same C++ (FfmpegVideoDecoder) on Debian's libavcodec 59 (x86 asm), on the same
#          with its SIMD turned off (av_force_cpu_flags(0); inline asm stays), and on the same FFmpeg
#          source as the wasm build compiled here without any asm (clang-14 -O3: the like-for-like);
#        - Chromium's WebCodecs VideoDecoder (software), the whole browser under taskset -c 0;
#   2. where the time goes: a V8 CPU profile of the wasm decoder at 1080p (module with function names);
#   3. the player module's sizes, raw and gzip -9, for the link optimisation levels.
# Prints the tables (markdown) and writes build/bench/player/results.json. About 8 minutes warm on 2 cores
# (the first run also builds the no-asm FFmpeg, about 2 minutes more, cached in $LW_CACHE/native/).
#
# Builds (own directories, -j2): build/bench-player/wasm (-O3), build/bench-player/wasm-oz
# (LW_PLAYER_OPT=-Oz), build/bench-player/wasm-prof (-O3 --profiling-funcs); lw-decode-speed with g++
# straight from bench/player/native_decode_speed.cc + wasm/codecs/video_decoder.cc.
#
# Each native/wasm row is the fastest of LW_PLAYER_BENCH_ROUNDS rounds (default 3; every round runs every
# contender once) of LW_PLAYER_BENCH_SECONDS (default 5) each. LW_PLAYER_BENCH_SKIP="chromium,noasm,wasm,
# oz,profile" (comma list) leaves steps out (oz: the -Oz module's build and row).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/env.sh
out=build/bench/player
mkdir -p "$out" build/bench-player
log() { printf '[player-bench %4ds] %s\n' "$SECONDS" "$*" >&2; }
skip=",${LW_PLAYER_BENCH_SKIP:-},"

# ---- the streams --------------------------------------------------------------------------------------
for s in 1280x720:3M 1920x1080:4M; do
  size=${s%%:*} rate=${s##*:}
  f="$out/h264_${size##*x}p.flv"
  [ -s "$f" ] && continue
  log "making $f"
  ffmpeg -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=$size:rate=30:duration=10,noise=c0s=12:c0f=t+u" \
    -c:v libx264 -threads 2 -preset medium -profile:v high -bf 2 -g 60 -b:v "$rate" -maxrate "$rate" \
    -bufsize "$rate" -pix_fmt yuv420p -an -f flv "$f"
done

# ---- native: lw-decode-speed on Debian's libavcodec -----------------------------------------------------
# video_decoder.cc checks the stream's bit depth with the core's parameter-set parsers (wasm/core/codec/).
native_sources=(bench/player/native_decode_speed.cc wasm/codecs/video_decoder.cc wasm/core/base/status.cc
  wasm/core/base/byte_reader.cc wasm/core/base/byte_writer.cc wasm/core/codec/avc_config.cc
  wasm/core/codec/avc_sps.cc wasm/core/codec/bit_reader.cc wasm/core/codec/hevc_config.cc wasm/core/codec/hevc_sps.cc)
log "building lw-decode-speed (Debian libavcodec)"
# shellcheck disable=SC2046
g++ -std=c++20 -O2 -Iwasm -Iwasm/core "${native_sources[@]}" $(pkg-config --cflags --libs libavcodec libavutil) \
  -o build/bench-player/lw-decode-speed-debian

# ---- native FFmpeg without asm: the wasm build's FFmpeg source and components, compiled for x86-64 -------
ffmpeg_src=$(ls -d "$LW_CACHE"/src/ffmpeg_* 2>/dev/null | sort | tail -n 1 || true)
ffmpeg_noasm() {
  "$1/configure" --prefix="$2" --cc=clang-14 --optflags=-O3 --disable-asm --disable-x86asm --disable-inline-asm \
    --disable-runtime-cpudetect --disable-autodetect --disable-iconv --disable-pthreads --disable-network \
    --disable-debug --disable-programs --disable-doc --disable-gpl --disable-version3 --disable-nonfree \
    --disable-everything --disable-avformat --disable-avfilter --disable-swscale --disable-avdevice \
    --disable-postproc --enable-avcodec --enable-avutil --enable-swresample \
    --enable-decoder=aac,h264,hevc,opus --enable-parser=aac,h264,hevc,opus &&
    make -j2 && make install
}
if [[ "$skip" != *,noasm,* && -n "$ffmpeg_src" ]]; then
  key=$(printf '%s\n%s\n%s\n' "$ffmpeg_src" "$(declare -f ffmpeg_noasm)" "$(clang-14 --version | head -n 1)" |
    sha256sum | cut -c1-12)
  noasm="$LW_CACHE/native/ffmpeg-$(basename "$ffmpeg_src")-noasm-$key"
  if [ ! -f "$noasm/.lw-stamp" ]; then
    log "building $(basename "$ffmpeg_src") without asm (clang-14 -O3) into $noasm (about 2 minutes)"
    tree="$LW_CACHE/build/ffmpeg-noasm-$key"
    rm -rf "$tree" "$noasm" && mkdir -p "$tree"
    (cd "$tree" && ffmpeg_noasm "$ffmpeg_src" "$noasm") >"$out/noasm.log" 2>&1 || { tail -n 30 "$out/noasm.log"; exit 1; }
    echo "$(basename "$ffmpeg_src") --disable-asm clang-14 -O3 (bench/player/run.sh)" >"$noasm/.lw-stamp"
    rm -rf "$tree"
  fi
  log "building lw-decode-speed (no-asm FFmpeg)"
  g++ -std=c++20 -O2 -Iwasm -Iwasm/core -I"$noasm/include" "${native_sources[@]}" \
    "$noasm/lib/libavcodec.a" "$noasm/lib/libswresample.a" "$noasm/lib/libavutil.a" -lm \
    -o build/bench-player/lw-decode-speed-noasm
fi

# ---- wasm: the player module, -O3 and -Oz, and -O3 with function names ----------------------------------
if [[ "$skip" != *,wasm,* ]]; then
  : >"$out/build-wasm.log"
  deps=$(scripts/build-wasm-deps.sh --print-prefix 2>>"$out/build-wasm.log")
  deps_simd=$(scripts/build-wasm-deps.sh --print-prefix --simd 2>>"$out/build-wasm.log")
  wasm_build() {  # dir, LW_PLAYER_OPT, extra link flags
    log "building the player module in $1 ($2 $3)"
    { emcmake cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLW_TOOLS=OFF -DLW_TESTS=OFF \
        -DLW_GATEWAY=OFF -DLW_WASM_DEPS_PREFIX="$deps" -DLW_WASM_DEPS_PREFIX_SIMD="$deps_simd" \
        -DLW_PLAYER_OPT="$2" "-DCMAKE_EXE_LINKER_FLAGS=$3" &&
      cmake --build "$1" --target livewasm_player livewasm_player_simd -j2; } >>"$out/build-wasm.log" 2>&1 \
      || { tail -n 30 "$out/build-wasm.log"; exit 1; }
  }
  wasm_build build/bench-player/wasm -O3 ""
  [[ "$skip" == *,oz,* ]] || wasm_build build/bench-player/wasm-oz -Oz ""
  [[ "$skip" == *,profile,* ]] || wasm_build build/bench-player/wasm-prof -O3 --profiling-funcs
fi

log "measuring"
node bench/player/run.mjs --out "$out" --skip "$skip" --seconds "${LW_PLAYER_BENCH_SECONDS:-5}" \
  --rounds "${LW_PLAYER_BENCH_ROUNDS:-3}"
