// Loads a wasm module for a worker: the -msimd128 build where the browser validates wasm SIMD, the
// baseline build otherwise (the choice Squoosh makes at run time, STYLE.md).
//
// Bundlers: each worker names its module's four files with literal `new URL('…', import.meta.url)`
// (pusher_worker.js, player_worker.js), the one pattern Vite, webpack 5 and Parcel follow to copy (and
// hash) a file into the build; a worker names only its own module, so an app's build holds the wasm of
// the workers it uses and nothing else. The Emscripten glue (.mjs) is such a copied file, loaded here
// with a native import() the bundler leaves alone (it holds Node-only code paths a bundler must not
// parse), and is told where its .wasm went (locateFile), since the copy's name is hashed.

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
 * @typedef {{name: string, glue: URL, wasm: URL, simdGlue: URL, simdWasm: URL}} ModuleFiles
 *   name: 'livewasm_pusher' or 'livewasm_player'; the four files as the worker's literal URLs
 */

/**
 * @param {ModuleFiles} files the module the worker needs
 * @param {string} [base] configure({wasmBase}): a folder holding {name}{,_simd}.{mjs,wasm} instead of
 *   the package's own copies (a page that hosts the wasm elsewhere); '' for the package's
 */
export async function loadCore(files, base = '') {
  const simd = simdSupported();
  let glue = simd ? files.simdGlue : files.glue;
  let wasm = simd ? files.simdWasm : files.wasm;
  if (base) {
    const folder = new URL(base.endsWith('/') ? base : base + '/', self.location.href);
    const stem = simd ? `${files.name}_simd` : files.name;
    glue = new URL(`${stem}.mjs`, folder);
    wasm = new URL(`${stem}.wasm`, folder);
  }
  const { default: create } = await import(/* @vite-ignore */ /* webpackIgnore: true */ glue.href);
  const core = await create({ locateFile: (path) => (path.endsWith('.wasm') ? wasm.href : new URL(path, glue).href) });
  core.simd = simd;
  return core;
}
