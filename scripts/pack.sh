#!/usr/bin/env bash
# The npm package from this checkout: sets up the machine, builds the wasm modules the package ships
# (dist/wasm: the pusher's and the player's), and packs -> dist/livewasm-<version>.tgz, which
# `npm install path/to/livewasm-<version>.tgz` installs into an app (README, Quick start).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/env.sh
scripts/setup.sh
mkdir -p build dist
echo "[pack] building wasm (dependencies are cached under $LW_CACHE) ..." >&2
scripts/build.sh wasm --shipped >build/pack-build-wasm.log 2>&1 || { tail -30 build/pack-build-wasm.log; exit 1; }
name=$(npm pack --silent --pack-destination dist | tail -1)
echo "$root/dist/$name"
