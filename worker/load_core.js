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

/**
 * @param {string} base URL of the folder holding the modules ({name}{,_simd}.mjs and .wasm)
 * @param {string} module 'livewasm_core' (everything: the pusher's) or 'livewasm_player' (no encoders)
 */
export async function loadCore(base, module = 'livewasm_core') {
  const name = simdSupported() ? `${module}_simd.mjs` : `${module}.mjs`;
  const url = new URL(name, base.endsWith('/') ? base : base + '/').href;
  const { default: create } = await import(url);
  return create();
}
