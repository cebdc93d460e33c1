#!/usr/bin/env bash
# The main command: sets up the machine, builds (native tools and the wasm module), and runs nginx-rtmp
# on loopback with a live stream published by the core's RTMP session. Prints where to open it; Ctrl-C
# stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/env.sh
scripts/setup.sh
echo "[run] building native (tools) ..." >&2
scripts/build.sh native >build/run-build-native.log 2>&1 || { tail -30 build/run-build-native.log; exit 1; }
echo "[run] building wasm (dependencies are cached under $LW_CACHE) ..." >&2
scripts/build.sh wasm >build/run-build-wasm.log 2>&1 || { tail -30 build/run-build-wasm.log; exit 1; }
exec node scripts/run.mjs
