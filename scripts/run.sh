#!/usr/bin/env bash
# The main command: sets up the machine, builds (the gateway, the RTMP tool and the shipped wasm modules), and
# runs nginx-rtmp on loopback with a live stream published by the core's RTMP session, and the gateway
# beside it. Prints where to open them; Ctrl-C stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/env.sh
scripts/setup.sh
mkdir -p build
# Only what the demo runs: the gateway, the RTMP tool that publishes the demo's stream, and the modules a
# page loads (scripts/test.sh builds the tests, fuzz replays and benchmarks).
echo "[run] building native (gateway, RTMP tool) ..." >&2
scripts/build.sh native --target livewasm-gateway lw-rtmp-tool >build/run-build-native.log 2>&1 || { tail -30 build/run-build-native.log; exit 1; }
echo "[run] building wasm (the shipped modules; dependencies are cached under $LW_CACHE) ..." >&2
scripts/build.sh wasm --shipped >build/run-build-wasm.log 2>&1 || { tail -30 build/run-build-wasm.log; exit 1; }
exec node scripts/run.mjs
