# Sourced by the scripts: environment that Debian's Emscripten 3.1.6 needs on this machine
# (TOOLCHAIN.md), and where built dependencies are cached (outside the work tree).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}   # emcc's JS optimizer needs acorn from there
export LW_CACHE=${LW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/livewasm}
export EM_CACHE=${EM_CACHE:-$LW_CACHE/emcache}              # a writable copy; Debian's is read-only
# The 3.1.6 glue loads .wasm with fetch() whenever fetch exists; Node 20's fetch cannot read files.
lw_node() { node --no-experimental-fetch "$@"; }
