// Loads the wasm core for a worker: the -msimd128 build where the browser validates wasm SIMD, the
// baseline build otherwise (the choice Squoosh makes at run time, STYLE.md).

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)): the feature probe of
// wasm-feature-detect's `simd`.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8,
  0, 65, 0, 253, 15, 253, 98, 11]);

export function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** @param {string} base URL of the folder holding livewasm_core{,_simd}.mjs and .wasm */
export async function loadCore(base) {
  const name = simdSupported() ? 'livewasm_core_simd.mjs' : 'livewasm_core.mjs';
  const url = new URL(name, base.endsWith('/') ? base : base + '/').href;
  const { default: create } = await import(url);
  return create();
}
