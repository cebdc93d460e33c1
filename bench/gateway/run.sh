#!/usr/bin/env bash
# Gateway under load: N players of one ~1 Mbit/s stream through livewasm-gateway and, in the same
# run, through websockify relaying raw RTMP (the peer); figures for bench/RESULTS.md.
#   bench/gateway/run.sh            full series (about 8 minutes)
#   bench/gateway/run.sh --quick    a smoke run with small N
# Environment: LW_GATEWAY_SERIES="50 100 ..." overrides the series of N; LW_GATEWAY_SECONDS (10) the
# measured seconds per point; LW_GATEWAY_THREADS (1) the gateway's I/O threads, or a list ("1 2": one
# gateway per count, measured side by side in the same run).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/env.sh
# Two load runs at once on two cores ruin both: one at a time, machine-wide.
exec 9>/tmp/lw-gateway-bench.lock
flock 9
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mkdir -p build/bench
echo "[bench] building livewasm-gateway and lw-gateway-load (scripts/build.sh native)" >&2
scripts/build.sh native --target livewasm-gateway lw-gateway-load >build/bench/build-gateway.log 2>&1 \
  || { tail -n 30 build/bench/build-gateway.log; exit 1; }
exec node --no-experimental-fetch bench/gateway/run.mjs "$@"
