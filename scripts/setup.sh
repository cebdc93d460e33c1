#!/usr/bin/env bash
# Installs what a fresh Debian bookworm machine lacks for livewasm: apt packages, the deb-src entry
# (for building the wasm dependencies from Debian's own sources), and npm packages from the lockfile.
# Idempotent: a second run on a set-up machine checks and returns in seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates xz-utils procps
  ccache                       # compiled objects kept across builds and clones (scripts/build.sh)
  meson                        # dav1d's build (scripts/build-wasm-deps.sh, the AV1 module)
  dpkg-dev                     # apt-get source / dpkg-source -x
  emscripten                   # wasm build (3.1.6 in bookworm)
  clang libclang-rt-14-dev llvm # libFuzzer + ASan/UBSan
  libgtest-dev libgmock-dev libbenchmark-dev
  nginx-light libnginx-mod-rtmp # the real RTMP server the tests talk to
  libnginx-mod-stream          # nginx as a TCP balancer in front of two gateways (gateway_scaleout test)
  systemd                      # systemd-analyze verify / security over the gateway's unit (gateway_package test)
  ffmpeg                       # independent peer: publisher, player, judge (ffprobe)
  libboost-dev libssl-dev openssl # the gateway: Boost.Asio/Beast (header-only), TLS; test certificates
  websockify                   # benchmark peer: raw RTMP relayed over WebSocket
  chromium                     # the browser tier: headless Chromium driven by npm playwright-core
  firefox-esr                  # the firefox tier: driven over WebDriver BiDi by npm puppeteer-core
  webkit2gtk-driver            # the webkit tier: WebKitWebDriver + MiniBrowser (WebKitGTK, GStreamer)
  gstreamer1.0-libav gstreamer1.0-plugins-bad gstreamer1.0-gl # WebKitGTK's WebCodecs codecs (AAC, H.264): recommends, not depends
  xvfb                         # a display for Firefox (WebGL) and WebKitGTK (no headless mode)
  libopenh264-dev libavcodec-dev libopus-dev libyuv-dev # wasm/codecs/ built natively (lw_codecs): encoder tests, bench
  nodejs
)

# 1. deb-src entry, mirroring the deb entries of debian.sources (TOOLCHAIN.md).
ensure_deb_src() {
  local src=/etc/apt/sources.list.d/livewasm-deb-src.sources
  [ -f "$src" ] && return 1
  local base=/etc/apt/sources.list.d/debian.sources
  if [ -f "$base" ]; then
    log "adding deb-src entry ($src)"
    sed -e 's/^Types: deb$/Types: deb-src/' "$base" | as_root tee "$src" >/dev/null
  else
    log "adding deb-src entry from sources.list"
    grep -E '^deb ' /etc/apt/sources.list | grep -v -e nodesource -e google | sed 's/^deb /deb-src /' \
      | as_root tee /etc/apt/sources.list.d/livewasm-deb-src.list >/dev/null
  fi
  return 0
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
need_update=0
ensure_deb_src && need_update=1
stamp=/var/lib/apt/periodic/livewasm-update-stamp
[ -f "$stamp" ] || need_update=1
if [ ${#missing[@]} -gt 0 ] || [ $need_update = 1 ]; then
  log "apt-get update"
  as_root apt-get update -qq
  as_root mkdir -p "$(dirname "$stamp")" && as_root touch "$stamp"
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. npm packages from the committed lockfile (bench peers, test helpers, playwright-core for the
#    browser tier: it drives Debian's /usr/bin/chromium and downloads no browser of its own).
if [ -f "$root/package-lock.json" ]; then
  if [ ! -d "$root/node_modules" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    log "npm ci"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
log "ok"
