// Finds and loads the embind module (wasm/bindings/) under Node. The glue is an ES module with a
// default-exported factory; wasm/bindings/node_esm_shim.js makes it load under plain Node 20 with no
// flags (no --no-experimental-fetch needed, no wasmBinary to pass).
//
//   import { moduleVariants, loadModule } from './load_module.mjs';
//   for (const { name, path } of moduleVariants()) { const core = await loadModule(path); ... }
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Where `scripts/build.sh wasm` puts the module; LW_WASM_MODULE_DIR overrides (e.g. a dev build).
export function moduleDir() {
  return process.env.LW_WASM_MODULE_DIR || path.join(root, 'build/wasm/wasm/bindings');
}

// The built variants: [{name: 'baseline' | 'simd', path, simd}], baseline first.
export function moduleVariants(dir = moduleDir()) {
  return [
    { name: 'baseline', file: 'livewasm_core.mjs', simd: false },
    { name: 'simd', file: 'livewasm_core_simd.mjs', simd: true },
  ]
    .map((v) => ({ ...v, path: path.join(dir, v.file) }))
    .filter((v) => existsSync(v.path));
}

export async function loadModule(glue) {
  const { default: factory } = await import(pathToFileURL(glue).href);
  return factory();
}

// A threads build (livewasm_player_mt, livewasm_pusher_mt: -pthread) under Node. Its pthread worker runs as
// CommonJS under Node (the package is "type": "module"), so it is loaded from a .cjs copy. options: more
// factory options (threads: the pthread pool's size, wasm/bindings/module_threads.h). The module's pthread
// workers keep Node running: end them with core.PThread.terminateAllThreads() when done.
export async function loadThreadsModule(glue, options = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-threads-worker-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const cjs = path.join(dir, 'worker.cjs');
  copyFileSync(glue.replace(/\.mjs$/, '.worker.js'), cjs);
  const url = pathToFileURL(glue);
  const { default: create } = await import(url.href);
  return create({ ...options, locateFile: (p) => (p.endsWith('.worker.js') ? cjs : new URL(p, url).href), mainScriptUrlOrBlob: url.href });
}
