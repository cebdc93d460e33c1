#!/usr/bin/env bash
# The main command: sets up the machine, builds (native tools, the gateway and the wasm module), and
# runs nginx-rtmp on loopback with a live stream published by the core's RTMP session, and the gateway
# beside it. Prints where to open them; Ctrl-C stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/env.sh
scripts/setup.sh
mkdir -p build
echo "[run] building native (tools, gateway) ..." >&2
scripts/build.sh native >build/run-build-native.log 2>&1 || { tail -30 build/run-build-native.log; exit 1; }
echo "[run] building wasm (dependencies are cached under $LW_CACHE) ..." >&2
scripts/build.sh wasm >build/run-build-wasm.log 2>&1 || { tail -30 build/run-build-wasm.log; exit 1; }
exec node scripts/run.mjs
