#!/usr/bin/env bash
# Gateway under load, cross-check (RESULTS.md): lw-gateway-probe against the direct-RTMP baseline,
# livewasm-gateway and websockify, one rising series in one run. Arguments go to probe.mjs:
#   bench/gateway/probe.sh            full series 50..2000 (about 12 minutes on a quiet machine;
#                                     it waits for a quiet one and re-measures disturbed windows)
#   bench/gateway/probe.sh --quick    a smoke run with small N
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/env.sh
# Two load runs at once on two cores ruin both: one at a time, machine-wide (same lock as run.sh).
exec 9>/tmp/lw-gateway-bench.lock
flock 9
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mkdir -p build/bench
echo "[bench] building livewasm-gateway and lw-gateway-probe (scripts/build.sh native)" >&2
scripts/build.sh native --target livewasm-gateway lw-gateway-probe >build/bench/build-gateway-probe.log 2>&1 \
  || { tail -n 30 build/bench/build-gateway-probe.log; exit 1; }
exec node --no-experimental-fetch bench/gateway/probe.mjs "$@"
