// The on-demand AV1 module (livewasm_player_av1{,_simd}: dav1d behind the WasmVideoDecoder surface, no
// session, wasm/bindings/av1_decoder_bindings.cc), loaded once, only when an AV1 stream is decoded in
// wasm (video_decode_path.js). The four files as literal URLs, as load_core.js asks of bundlers.
import { loadCore } from './load_core.js';

export const AV1_WASM_FILES = {
  name: 'livewasm_player_av1',
  glue: new URL('../dist/wasm/livewasm_player_av1.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_player_av1.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_player_av1_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_player_av1_simd.wasm', import.meta.url),
};

let loading = null;

/** @param {string} [base] configure({wasmBase}) */
export function loadAv1Core(base = '') {
  if (!loading) loading = loadCore(AV1_WASM_FILES, base).catch((err) => { loading = null; throw err; });
  return loading;
}
