// The on-demand AV1 module (livewasm_player_av1{,_simd}: dav1d behind the WasmVideoDecoder surface, no
// session, wasm/bindings/av1_decoder_bindings.cc), loaded once, only when an AV1 stream is decoded in
// wasm (video_decode_path.js).
//
// Not shipped yet: package.json, scripts/build.sh's SHIPPED_MODULES and tests/package do not list it, so
// its URLs are made at run time, on first use, from a variable base (`new URL(x, here)`), which Vite and
// webpack leave alone: the literal `new URL('…', import.meta.url)` of load_core.js's rule makes a
// bundler fail on the files a package lacks (webpack: "Can't resolve"; and with a computed name inside
// `new URL(…, import.meta.url)` webpack builds a context module that throws when the worker starts).
// Served from the repo (or with configure({wasmBase}) naming a folder with the files) it loads; in a
// bundled app it fails to load and the wasm path says so (2101). Once shipped, write the four literal
// URLs as player_worker.js does for the HEVC module.
import { loadCore } from './load_core.js';

const NAME = 'livewasm_player_av1';
const here = import.meta.url;

function av1Files() {
  const url = (file) => new URL('../dist/wasm/' + file, here);
  return { name: NAME, glue: url(`${NAME}.mjs`), wasm: url(`${NAME}.wasm`), simdGlue: url(`${NAME}_simd.mjs`), simdWasm: url(`${NAME}_simd.wasm`) };
}

let loading = null;

/** @param {string} [base] configure({wasmBase}) */
export function loadAv1Core(base = '') {
  if (!loading) loading = loadCore(av1Files(), base).catch((err) => { loading = null; throw err; });
  return loading;
}
