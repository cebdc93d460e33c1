# Sourced by the scripts: environment that Debian's Emscripten 3.1.6 needs on this machine
# (TOOLCHAIN.md), and where built dependencies are cached (outside the work tree).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}   # emcc's JS optimizer needs acorn from there
export LW_CACHE=${LW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/livewasm}
# EM_CACHE stays Debian's: its cache is FROZEN_CACHE with every system library prebuilt, and emcc
# refuses an empty cache elsewhere ("FROZEN_CACHE is set, but cache file is missing").
# The 3.1.6 glue loads .wasm with fetch() whenever fetch exists; Node 20's fetch cannot read files.
lw_node() { node --no-experimental-fetch "$@"; }
