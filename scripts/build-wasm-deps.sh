#!/usr/bin/env bash
# Builds the four wasm dependencies from Debian's own source packages with Debian's Emscripten 3.1.6:
# OpenH264 (encoder + decoder), FFmpeg (LGPL-only, avcodec + avutil + swresample, a handful of
# codecs), libopus and libyuv. See TOOLCHAIN.md for what each one needs on this machine.
#
#   scripts/build-wasm-deps.sh [--all]              build every variant (baseline, -msimd128, threads)
#   scripts/build-wasm-deps.sh --print-prefix       build the baseline if needed, print its prefix
#   scripts/build-wasm-deps.sh --print-prefix --simd  the same for the -msimd128 variant (--mt: threads)
#   scripts/build-wasm-deps.sh --simd | --base | --mt  build one variant only
#   scripts/build-wasm-deps.sh --gc                 delete cached builds the current recipes no longer make
#
# Everything lives outside the work tree, under $LW_CACHE (scripts/env.sh):
#   src/dl/                           the .dsc / .orig.tar / .debian.tar that apt-get source fetched
#   src/<pkg>_<version>/              dpkg-source -x (Debian's patches applied)
#   build/<lib>-<version>-<hash>/     a build tree while it builds (removed once installed)
#   deps/<lib>-<version>-<hash>/      one library: include/, lib/, .lw-stamp
#   deps/wasm32-<base|simd>-<hash>/   the prefix CMake uses: include/ and lib/ as symlinks into the above
#   logs/<lib>-<version>-<hash>.log   configure/make output of the last build of that key
# <hash> covers the compiler flags, this script's recipe for that library, its patches
# (scripts/patches/<lib>-*.patch) and the emcc/clang version, so changing any of them builds a new
# prefix next to the old one. A warm run only checks stamps.
#
# SIMD: -msimd128 adds auto-vectorisation, and our hand-written wasm SIMD kernels for OpenH264
# (scripts/patches/openh264-wasm-simd-kernels.patch) and FFmpeg's H.264 decoder
# (scripts/patches/ffmpeg-wasm-simd-h264-kernels.patch); the variant is built for the libraries whose
# hot loops are plain C over pixels (OpenH264, libyuv, FFmpeg); Opus is shared by both variants (see
# SIMD_LIBS).
#
# Threads (mt): MT_LIBS (all but dav1d), -msimd128 with its kernels as above plus -pthread (atomics and
# shared memory) and FFmpeg's pthreads on, for the modules of cross-origin isolated pages
# (livewasm_player_mt: FFmpeg's frame and slice threads; livewasm_pusher_mt: OpenH264's slice threads). Every object a -pthread module links must be
# built with -pthread, so the variant has its own FFmpeg; the other variants' keys are unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"

LIBS=(opus openh264 libyuv ffmpeg dav1d)
SIMD_LIBS=" openh264 libyuv ffmpeg dav1d "
BASE_CFLAGS="-O3"
SIMD_CFLAGS="-O3 -msimd128"
MT_LIBS=(opus openh264 libyuv ffmpeg)
MT_CFLAGS="-O3 -msimd128 -pthread"
jobs=$(nproc)

usage() { sed -n '2,11s/^# \{0,1\}//p' "$0" >&2; exit 2; }

print_prefix=0
gc=0
variants=(base simd mt)
for arg in "$@"; do
  case "$arg" in
    --print-prefix) print_prefix=1; [ "${variants[*]}" = "base simd mt" ] && variants=(base) ;;
    --simd) variants=(simd) ;;
    --base) variants=(base) ;;
    --mt) variants=(mt) ;;
    --all) variants=(base simd mt) ;;
    --gc) gc=1 ;;
    -h|--help) usage ;;
    *) echo "build-wasm-deps: unknown argument '$arg'" >&2; usage ;;
  esac
done

start=$SECONDS
progress() { printf '[wasm-deps %4ds] %s\n' $((SECONDS - start)) "$*" >&2; }
die() { printf '[wasm-deps %4ds] error: %s\n' $((SECONDS - start)) "$*" >&2; exit 1; }

# The 3.1.6 glue (and so autoconf's "can I run what I compile" check) needs Node without fetch().
export NODE_OPTIONS="--no-experimental-fetch${NODE_OPTIONS:+ $NODE_OPTIONS}"

mkdir -p "$LW_CACHE"/{src/dl,build,deps,logs}
# One builder at a time: two builds of the same key would share a build tree.
exec 9>"$LW_CACHE/deps/.lock"
if ! flock -n 9; then
  progress "another build-wasm-deps.sh holds $LW_CACHE/deps/.lock; waiting"
  flock 9
fi

# ---- the recipes: each runs in its (empty) build tree; $src $prefix $cflags are set -------------------
# A recipe's text is part of its cache key: edit it and the library is rebuilt under a new hash.

recipe_opus() {
  # No --host: opus 1.3.1's config.sub rejects the wasm triple; emconfigure sets the compiler.
  # --disable-stack-protector: configure finds -fstack-protector-strong, whose __stack_chk_guard
  # Emscripten 3.1.6's libc does not define.
  step configure emconfigure "$src/configure" --prefix="$prefix" --disable-shared --enable-static \
    --disable-doc --disable-extra-programs --disable-rtcd --disable-intrinsics --disable-stack-protector \
    CFLAGS="$cflags"
  step make emmake make -j"$jobs"
  step install emmake make install
}

recipe_openh264() {
  # Its own Makefile, in a copy of the tree (Debian's version patch writes version_gen.h relative to
  # the source). CFLAGS= on the command line would wipe the Makefile's flags, so the optimisation goes
  # through CFLAGS_OPT. -fstack-protector-all is off: no canary in wasm.
  step copy cp -a "$src/." .
  # Our patches (scripts/patches/openh264-*.patch, part of the cache key): openh264-wasm-simd-kernels.patch
  # adds wasm SIMD versions of the hot encoder kernels (SAD, SATD, quant, DCT/IDCT, VAA background SAD),
  # compiled and put in the function tables only under -msimd128 (__wasm_simd128__); the baseline build
  # is the same code as before.
  local p
  for p in "$root"/scripts/patches/openh264-*.patch; do
    step "patch $(basename "$p")" patch -p1 --forward --batch -i "$p"
  done
  step make emmake make -j"$jobs" OS=linux ARCH=wasm32 USE_ASM=No \
    USE_STACK_PROTECTOR=No CC=emcc CXX=em++ AR=emar CFLAGS_OPT="$cflags" libopenh264.a
  # Emscripten 3.1.6's single-threaded libc has no pthread_attr_setscope, pthread_attr_setschedpolicy
  # or sem_timedwait; OpenH264's thread library references them even when the encoder runs with one
  # thread (iMultipleThreadIdc = 1), where they are never called.
  cat > wasm_pthread_stubs.c <<'EOF'
/* Link stubs for OpenH264 under Emscripten without -pthread (built by scripts/build-wasm-deps.sh). */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
int pthread_attr_setscope(pthread_attr_t* a, int scope) { (void)a; (void)scope; return 0; }
int pthread_attr_setschedpolicy(pthread_attr_t* a, int policy) { (void)a; (void)policy; return 0; }
int sem_timedwait(sem_t* s, const struct timespec* t) { (void)s; (void)t; errno = ENOSYS; return -1; }
EOF
  step stubs emcc $cflags -c wasm_pthread_stubs.c -o wasm_pthread_stubs.o
  step install sh -c "mkdir -p '$prefix/include/wels' '$prefix/lib' &&
    cp '$src'/codec/api/wels/*.h '$prefix/include/wels/' &&
    cp libopenh264.a '$prefix/lib/' &&
    emar crs '$prefix/lib/libopenh264_wasm_stubs.a' wasm_pthread_stubs.o"
}

recipe_libyuv() {
  # Makefiles, not Ninja: under Emscripten its yuv_shared target is a second libyuv.a, which Ninja
  # rejects ("multiple rules generate libyuv.a"); only the static target is built anyway.
  step configure emcmake cmake -S "$src" -B . -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="$cflags -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="$cflags -DNDEBUG" \
    -DCMAKE_DISABLE_FIND_PACKAGE_JPEG=ON
  step make cmake --build . --target yuv -j "$jobs"
  step install sh -c "mkdir -p '$prefix/include' '$prefix/lib' &&
    cp -r '$src'/include/. '$prefix/include/' && cp libyuv.a '$prefix/lib/'"
}

recipe_dav1d() {
  # dav1d (AV1 decoder, BSD-2-Clause) for the on-demand module livewasm_player_av1: Meson cross build with
  # Emscripten as the host machine; plain C (its asm is x86/Arm only), 8-bit only (-Dbitdepths=8: the
  # module refuses 10-bit streams, which WebCodecs takes where the browser decodes them), no tools,
  # tests or logging. The module runs it with one thread (no pthread_create at n_threads 1).
  cat > cross.txt <<'EOF'
[binaries]
c = 'emcc'
cpp = 'em++'
ar = 'emar'
ranlib = 'emranlib'

[host_machine]
system = 'emscripten'
cpu_family = 'wasm32'
cpu = 'wasm32'
endian = 'little'
EOF
  step configure meson setup b "$src" --cross-file cross.txt --prefix="$prefix" --libdir=lib \
    --default-library=static --buildtype=plain -Dc_args="$cflags -DNDEBUG" -Denable_asm=false \
    -Denable_tools=false -Denable_tests=false -Denable_examples=false -Dlogging=false -Dbitdepths=8
  step make ninja -C b -j"$jobs"
  step install ninja -C b install
}

recipe_ffmpeg() {
  # Our patches (scripts/patches/ffmpeg-*.patch, part of the cache key) go onto a copy of Debian's
  # source: ffmpeg-h264-8bit-only.patch compiles the H.264 decoder for 8-bit samples only and refuses
  # other bit depths (the player's module is ~58 KB gzip smaller; WebCodecs takes 10-bit H.264);
  # ffmpeg-wasm-simd-h264-kernels.patch adds wasm SIMD versions of the H.264 decoder's chroma MC,
  # weighted prediction, qpel and loop filter kernels, compiled and hooked only under -msimd128
  # (__wasm_simd128__); the baseline build is the same code as before.
  step copy-source cp -a "$src/." src
  local p
  for p in "$root"/scripts/patches/ffmpeg-*.patch; do
    step "patch $(basename "$p")" patch -d src -p1 --forward --batch -i "$p"
  done
  # Decoders: the player's (H.264, AAC, Opus) and those of the on-demand modules (HEVC; MP3; VP9, whose
  # decoder selects the vp9 parser and the vp9_superframe_split bsf; FLAC, AC-3 and E-AC-3, the float
  # ones). codec_registry.cc keeps each module to its own list.
  # LGPL only: no --enable-gpl/--enable-version3/--enable-nonfree, so no x264 and no GPL filters.
  # x86_32 only picks FFmpeg's 32-bit generic C paths; asm is off. --disable-autodetect leaves iconv
  # on, hence --disable-iconv. --disable-error-resilience: no concealment of damaged H.264 slices (its
  # motion search pulls in me_cmp: 7 KB gzip); a damaged picture shows as decoded and the stream goes on
  # (the player waits for the next key frame after a packet the decoder refuses).
  step configure "$PWD/src/configure" --prefix="$prefix" \
    --target-os=none --arch=x86_32 --enable-cross-compile \
    --cc=emcc --cxx=em++ --ar=emar --ranlib=emranlib --nm=emnm \
    --optflags="$cflags" --disable-asm --disable-x86asm --disable-runtime-cpudetect \
    --disable-autodetect --disable-iconv --disable-pthreads --disable-w32threads --disable-os2threads \
    --disable-network --disable-debug --disable-stripping --disable-programs --disable-doc \
    --disable-gpl --disable-version3 --disable-nonfree \
    --disable-everything --disable-avformat --disable-avfilter --disable-swscale --disable-avdevice \
    --disable-postproc --enable-avcodec --enable-avutil --enable-swresample \
    --enable-decoder=aac,h264,hevc,opus,mp3float,vp9,flac,ac3,eac3 --enable-encoder=aac \
    --enable-parser=aac,h264,hevc,opus --disable-error-resilience
  # Refuse anything but an LGPL configuration (config.h is what the code is compiled with).
  step license-check sh -c "grep -q '^#define CONFIG_GPL 0' config.h &&
    grep -q '^#define CONFIG_NONFREE 0' config.h &&
    grep -q '^#define FFMPEG_LICENSE \"LGPL version 2.1 or later\"' config.h"
  # -Os where the decoding time is not spent (the audio decoders, parameter sets and other per-stream
  # code, libavutil, libswresample), -O3 (optflags) elsewhere: the per-macroblock H.264/HEVC code and
  # the AAC encoder. About 12 KB gzip of the player's module; audio decoding is a few % of the work.
  cat > lw-size.mak <<'EOF2'
libavutil/%.o libswresample/%.o: CFLAGS += -Os
libavcodec/aacdec.o libavcodec/aacsbr.o libavcodec/aacps_float.o libavcodec/aacpsdsp_float.o libavcodec/sbrdsp.o: CFLAGS += -Os
libavcodec/opus%.o libavcodec/mdct15.o libavcodec/kbdwin.o libavcodec/sinewin.o: CFLAGS += -Os
libavcodec/mpegaudio%.o libavcodec/dct32_float.o: CFLAGS += -Os
libavcodec/flac%.o libavcodec/ac3%.o libavcodec/eac3%.o libavcodec/fmtconvert.o libavcodec/bswapdsp.o: CFLAGS += -Os
libavcodec/h264_ps.o libavcodec/h264_sei.o libavcodec/h264_parse.o libavcodec/h264_refs.o libavcodec/h264_picture.o: CFLAGS += -Os
libavcodec/hevc_ps.o libavcodec/hevc_sei.o libavcodec/hevc_parse.o libavcodec/decode.o libavcodec/avcodec.o: CFLAGS += -Os
libavcodec/options.o libavcodec/utils.o libavcodec/get_buffer.o libavcodec/avpacket.o libavcodec/bsf.o: CFLAGS += -Os
EOF2
  step make make -j"$jobs" -f Makefile -f lw-size.mak
  step install make install
  cp config.h "$prefix/lib/ffmpeg-config.h"
  # The H.264 DSP headers (not installed by FFmpeg) for tests/ffmpeg_simd, which compares the SIMD
  # kernels with the C ones of the same libavcodec.a through these tables.
  mkdir -p "$prefix/include/lw-ffmpeg-internal/libavcodec"
  cp src/libavcodec/h264chroma.h src/libavcodec/h264dsp.h src/libavcodec/h264qpel.h src/libavcodec/qpeldsp.h \
    "$prefix/include/lw-ffmpeg-internal/libavcodec/"
}

# The threads variant's FFmpeg: recipe_ffmpeg (its text is part of this key too) with FFmpeg's pthreads
# back on: step() appends LW_CONFIGURE_EXTRA to the configure step, and in FFmpeg's configure the later
# of --disable-pthreads / --enable-pthreads wins; frame and slice threads come with HAVE_THREADS.
# -pthread in --extra-cflags and --extra-ldflags as well as in the variant's flags (which reach only the
# build, not configure's checks): a check compiled without it does not link into a -pthread program
# ("--shared-memory is disallowed ... not compiled with 'atomics'"), and configure would then find no C11
# atomics (falling back to compat/atomics/pthread, a mutex per atomic operation) and no libc functions.
recipe_ffmpeg_mt() {
  LW_CONFIGURE_EXTRA="--enable-pthreads --extra-cflags=-pthread --extra-ldflags=-pthread" recipe_ffmpeg
}

# The threads variant's other libraries, for the pusher's livewasm_pusher_mt (OpenH264's slice threads):
# the same recipes, the variant's flags (-pthread) reaching every object. Opus and libyuv start no
# threads; they are here because a shared-memory module links only objects built with atomics.
recipe_opus_mt() { recipe_opus; }
recipe_libyuv_mt() { recipe_libyuv; }
# OpenH264: WelsThreadLib.cpp's pthread/semaphore path (the encoder's thread pool and slice threads).
# No link stubs here: the -pthread libc has pthread_attr_setscope, pthread_attr_setschedpolicy and a
# real sem_timedwait, and the stub (ENOSYS) would win over it if linked, leaving the pool's timed waits
# failing; so the variant installs no libopenh264_wasm_stubs.a.
recipe_openh264_mt() {
  recipe_openh264
  rm -f "$prefix/lib/libopenh264_wasm_stubs.a"
}

# ---- machinery ---------------------------------------------------------------------------------------

step() {
  local name=$1; shift
  # shellcheck disable=SC2206  # word splitting wanted: a list of options (recipe_ffmpeg_mt)
  if [ "$name" = configure ] && [ -n "${LW_CONFIGURE_EXTRA:-}" ]; then set -- "$@" $LW_CONFIGURE_EXTRA; fi
  progress "$label: $name"
  if ! "$@" >>"$log" 2>&1; then
    tail -n 25 "$log" >&2
    die "$label: '$name' failed; full log: $log"
  fi
}

# Highest version of a source package that apt knows (deb-src from scripts/setup.sh).
src_version() {
  local pkg=$1 best="" v
  for v in $(apt-cache showsrc --only-source "$pkg" 2>/dev/null | sed -n 's/^Version: //p'); do
    if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
  done
  printf '%s' "$best"
}

# Downloads and unpacks one source package once; sets REPLY to its directory.
fetch_source() {
  local pkg=$1 version=$2
  local dir="$LW_CACHE/src/${pkg}_${version#*:}"
  if [ ! -f "$dir/.lw-extracted" ]; then
    label="$pkg ${version#*:}" log="$LW_CACHE/logs/${pkg}_${version#*:}.source.log"
    : >"$log"
    step "apt-get source" sh -c "cd '$LW_CACHE/src/dl' && apt-get source --download-only '$pkg=$version'"
    rm -rf "$dir" "$dir.tmp"
    local dsc="$LW_CACHE/src/dl/${pkg}_${version#*:}.dsc"
    step "dpkg-source -x" dpkg-source -x "$dsc" "$dir.tmp"
    rm -f "$LW_CACHE"/src/*.orig.tar.* "$LW_CACHE"/src/*.orig-*.tar.*   # dpkg-source's links to the tarballs
    touch "$dir.tmp/.lw-extracted"
    mv "$dir.tmp" "$dir"
  fi
  REPLY=$dir
}

toolchain_id() {
  printf '%s\n%s\n' "$(emcc --version | head -n 1)" "$(clang-14 --version 2>/dev/null | head -n 1)"
}

# The flags of one library in one variant.
lib_cflags() {
  if [ "$2" = mt ]; then REPLY=$MT_CFLAGS; return; fi
  if [ "$2" = simd ] && [[ "$SIMD_LIBS" == *" $1 "* ]]; then REPLY=$SIMD_CFLAGS; else REPLY=$BASE_CFLAGS; fi
}

# The cache key of one library in one variant: <lib>-<debian version>-<hash>. Sets REPLY.
lib_key() {
  local lib=$1 version=${versions[$1]}
  lib_cflags "$lib" "$2"
  local cflags=$REPLY
  local recipe; recipe=$(declare -f "recipe_$lib")
  # The threads variant's recipe wraps the library's own: both texts are in its key.
  [ "$2" = mt ] && recipe=$(declare -f "recipe_${lib}_mt")$'\n'$recipe
  # The patches the recipe applies (none for most libraries: then the key is what it always was).
  local p
  for p in "$root"/scripts/patches/"$lib"-*.patch; do
    [ -f "$p" ] && recipe+=$'\n'"patch $(basename "$p") $(sha256sum <"$p" | cut -c1-64)"
  done
  local hash; hash=$(printf '%s\n%s\n%s\n%s\n%s\n' "$lib" "$version" "$cflags" "$recipe" "$toolchain" |
    sha256sum | cut -c1-12)
  REPLY="$lib-${version#*:}-$hash"
}

# Builds one library for one variant unless its stamp exists; sets REPLY to its prefix.
build_lib() {
  local lib=$1 variant=$2 version=${versions[$1]}
  lib_cflags "$lib" "$variant"
  local cflags=$REPLY
  lib_key "$lib" "$variant"
  local key=$REPLY
  local hash=${key##*-}
  local prefix="$LW_CACHE/deps/$key"
  REPLY=$prefix
  [ -f "$prefix/.lw-stamp" ] && return

  fetch_source "$lib" "$version"
  local src=$REPLY
  local build="$LW_CACHE/build/$key" t0=$SECONDS
  label="$lib ${version#*:} [$cflags]" log="$LW_CACHE/logs/$key.log"
  : >"$log"
  progress "$label: building into $prefix (log: $log)"
  rm -rf "$build" "$prefix" "$prefix.tmp"
  mkdir -p "$build" "$prefix.tmp"
  # The recipe installs into the final path (autotools and FFmpeg bake --prefix into their .pc files);
  # the stamp, written last, is what says the prefix is complete.
  mv "$prefix.tmp" "$prefix"
  local recipe=recipe_$lib
  [ "$variant" = mt ] && recipe=recipe_${lib}_mt
  if ! (cd "$build" && src=$src prefix=$prefix cflags=$cflags "$recipe"); then
    rm -rf "$prefix"   # keep the build tree and the log for a look; drop the half-installed prefix
    exit 1
  fi
  printf 'lib=%s\nversion=%s\ncflags=%s\nhash=%s\nbuilt=%s\nseconds=%d\n%s\n' "$lib" "$version" "$cflags" \
    "$hash" "$(date -u +%FT%TZ)" $((SECONDS - t0)) "$toolchain" >"$prefix/.lw-stamp"
  rm -rf "$build"
  progress "$label: done in $((SECONDS - t0)) s"
  REPLY=$prefix
}

# The libraries of one variant (the array vlibs): the threads variant has MT_LIBS (no dav1d).
variant_libs() {
  if [ "$1" = mt ]; then vlibs=("${MT_LIBS[@]}"); else vlibs=("${LIBS[@]}"); fi
}

# The prefix CMake is given: one include/ and one lib/ made of symlinks into the per-library prefixes.
# Sets REPLY.
combine() {
  local variant=$1; shift
  local hash; hash=$(printf '%s\n' "$@" | sha256sum | cut -c1-12)
  local out="$LW_CACHE/deps/wasm32-$variant-$hash"
  if [ ! -f "$out/.lw-stamp" ]; then
    rm -rf "$out" "$out.tmp"
    mkdir -p "$out.tmp/include" "$out.tmp/lib"
    local p
    for p in "$@"; do
      cp -rs "$p/include/." "$out.tmp/include/"
      cp -rs "$p/lib/." "$out.tmp/lib/"
    done
    printf '%s\n' "$@" >"$out.tmp/.lw-stamp"
    mv "$out.tmp" "$out"
  fi
  REPLY=$out
}

# ---- main --------------------------------------------------------------------------------------------

declare -A versions
for lib in "${LIBS[@]}"; do
  versions[$lib]=$(src_version "$lib")
  if [ -z "${versions[$lib]}" ]; then
    progress "no deb-src entry for '$lib' yet: running scripts/setup.sh"
    "$root/scripts/setup.sh"
    versions[$lib]=$(src_version "$lib")
    [ -n "${versions[$lib]}" ] || die "apt-cache showsrc $lib finds nothing (deb-src entry missing?)"
  fi
done
toolchain=$(toolchain_id)
label=setup log=/dev/null

if [ $gc = 1 ]; then
  # Keep what the current recipes, versions and compiler make, in both variants; drop the rest.
  keep=()
  for variant in base simd mt; do
    prefixes=()
    variant_libs "$variant"
    for lib in "${vlibs[@]}"; do lib_key "$lib" "$variant"; keep+=("$REPLY"); prefixes+=("$LW_CACHE/deps/$REPLY"); done
    keep+=("wasm32-$variant-$(printf '%s\n' "${prefixes[@]}" | sha256sum | cut -c1-12)")
  done
  for dir in "$LW_CACHE"/deps/*/; do
    name=$(basename "$dir")
    if [[ " ${keep[*]} " != *" $name "* ]]; then progress "gc: removing deps/$name"; rm -rf "$dir"; fi
  done
  for lib in "${LIBS[@]}"; do keep+=("${lib}_${versions[$lib]#*:}"); done
  for dir in "$LW_CACHE"/src/*/; do
    name=$(basename "$dir")
    if [ "$name" != dl ] && [[ " ${keep[*]} " != *" $name "* ]]; then progress "gc: removing src/$name"; rm -rf "$dir"; fi
  done
  rm -rf "$LW_CACHE"/build/*
  exit 0
fi

for variant in "${variants[@]}"; do
  prefixes=()
  variant_libs "$variant"
  for lib in "${vlibs[@]}"; do build_lib "$lib" "$variant"; prefixes+=("$REPLY"); done
  combine "$variant" "${prefixes[@]}"
  combined=$REPLY
  progress "$variant: $combined"
  if [ $print_prefix = 1 ]; then printf '%s\n' "$combined"; fi
done
