// Loads a wasm module for a worker: the -msimd128 build where the browser validates wasm SIMD, the
// baseline build otherwise (the choice Squoosh makes at run time, STYLE.md). A module that also has a
// threads build (-msimd128 -pthread: the player's video decoders' livewasm_player_mt, the pusher's
// livewasm_pusher_mt) gets it where threads may run (useThreads below), and the SIMD build when that one
// does not start. An entry with only a threads build (threadsOnly: the player's H.264 decoder, whose
// single-thread build is in the player's own module) is loaded only where threads may run, and its load
// fails otherwise: the caller keeps what it had.
//
// Bundlers: each worker names its module's four files with literal `new URL('…', import.meta.url)`
// (pusher_worker.js, player_worker.js), the one pattern Vite, webpack 5 and Parcel follow to copy (and
// hash) a file into the build; a worker names only its own module, so an app's build holds the wasm of
// the workers it uses and nothing else. The Emscripten glue (.mjs) is such a copied file, loaded here
// with a native import() the bundler leaves alone (it holds Node-only code paths a bundler must not
// parse), and is told where its .wasm went (locateFile), since the copy's name is hashed.

import { withDeadline } from './deadline.js';

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

// Codec threads for a threads build: the browser's logical cores, 1..4. The module's pthread pool is sized
// by the same figure (its factory option `threads`, wasm/bindings/module_threads.h), so a 2-core page
// starts 2 pthread workers, not 4.
export const MAX_DECODER_THREADS = 4;
export function decoderThreads(cores = self.navigator && self.navigator.hardwareConcurrency) {
  return Math.max(1, Math.min(MAX_DECODER_THREADS, Math.floor(cores) || 1));
}

// The threads build runs where the page is cross-origin isolated (COOP same-origin + COEP require-corp:
// README "Threads"), SharedArrayBuffer exists (WebKitGTK has none even then), this worker can start
// workers (the pthreads), wasm SIMD validates (it is a SIMD build) and there is more than one core to use.
export function useThreads(scope = self) {
  return scope.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' &&
    typeof Worker === 'function' && simdSupported() && decoderThreads() > 1;
}

// How long the threads build may take to start (its pthread workers load the glue and the wasm again)
// before the SIMD build is loaded in its place: a worker refused by the page's CSP (worker-src), or one
// that never loads, leaves the threads build's factory unsettled.
const THREADS_START_MS = 10000;

/**
 * @typedef {{name: string, glue?: URL, wasm?: URL, simdGlue?: URL, simdWasm?: URL,
 *            mtName?: string, mtGlue?: URL, mtWasm?: URL, mtWorker?: URL, threadsOnly?: boolean}} ModuleFiles
 *   name: 'livewasm_pusher', 'livewasm_player'...; the four files as the worker's literal URLs; mt*: the
 *   threads build's name (default {name}_mt), glue, wasm and pthread worker (Emscripten's .worker.js), when
 *   it has one; threadsOnly: no single-thread build here (no glue, wasm, simdGlue, simdWasm)
 */

/**
 * @param {ModuleFiles} files the module the worker needs
 * @param {string} [base] configure({wasmBase}): a folder holding {name}{,_simd}.{mjs,wasm} instead of
 *   the package's own copies (a page that hosts the wasm elsewhere); '' for the package's
 */
export async function loadCore(files, base = '') {
  let threadsError = '';
  if (files.threadsOnly && !useThreads()) throw new Error(`${mtName(files)}: threads do not run on this page`);
  if (files.mtGlue && useThreads()) {
    try {
      return await loadThreads(files, base);
    } catch (err) {
      if (files.threadsOnly) throw err;
      threadsError = err && err.message ? err.message : String(err);  // the SIMD build takes over
    }
  }
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
  core.variant = simd ? 'simd' : 'baseline';
  core.threads = 1;
  if (threadsError) core.threadsError = threadsError;
  return core;
}

const mtName = (files) => files.mtName || `${files.name}_mt`;

async function loadThreads(files, base) {
  let glue = files.mtGlue, wasm = files.mtWasm, worker = files.mtWorker;
  const name = mtName(files);
  if (base) {
    const folder = new URL(base.endsWith('/') ? base : base + '/', self.location.href);
    glue = new URL(`${name}.mjs`, folder);
    wasm = new URL(`${name}.wasm`, folder);
    worker = new URL(`${name}.worker.js`, folder);
  }
  const { default: create } = await import(/* @vite-ignore */ /* webpackIgnore: true */ glue.href);
  // A pthread worker that fails to load (refused by the page's CSP, a 404, an engine that cannot run it)
  // makes the glue print "worker sent an error!" and rethrow the worker's error event: the first settles
  // this load at once (the factory never would), and the rethrown event is kept from reaching the page
  // as this worker's own uncaught error.
  // The pthread worker's own uncaught error also reaches this worker's scope (an error event without
  // .error, as if thrown here, since no handler cancels it; also before the glue has set its handler on a
  // pool worker whose script failed at once): after the glue said so, or when it names the pthread worker's
  // script, that one is kept from the page too (else the page's Worker.onerror sees it: the pusher's
  // start() fails) and settles this load.
  let workerFailed, pthreadFailed = false;
  const failed = new Promise((_, reject) => { workerFailed = reject; });
  const onError = (ev) => {
    if (ev.error && typeof Worker === 'function' && ev.error.target instanceof Worker) ev.preventDefault();
    else if (!ev.error && (pthreadFailed || (ev.filename && ev.filename.split(/[?#]/)[0] === worker.href.split(/[?#]/)[0]))) {
      ev.preventDefault();
      pthreadFailed = true;
      workerFailed(new Error(`${name}: a pthread worker failed: ${ev.message}`));
    }
  };
  // Kept while the build starts, and after a failed start (its abandoned workers' errors are not the
  // page's); once it has started, a pthread's error is a real one and reaches the page as any other.
  self.addEventListener('error', onError);
  // The factory's options object becomes the module (Emscripten's MODULARIZE), whose PThread is there as
  // soon as the factory has run: after a failed start its pthread workers are terminated, not left running.
  const module = {
    // The pthread pool's size (wasm/bindings/module_threads.h): the threads the codecs will be given.
    threads: decoderThreads(),
    locateFile: (path) => (path.endsWith('.wasm') ? wasm.href : path.endsWith('.worker.js') ? worker.href : new URL(path, glue).href),
    // The pthread workers import the glue from here (a bundler's copy has a hashed name).
    mainScriptUrlOrBlob: glue.href,
    printErr: (text) => {
      if (/worker sent an error/.test(text)) {
        pthreadFailed = true;
        workerFailed(new Error(`${name}: ${text}`));
      }
      console.warn(text);
    },
  };
  let core;
  try {
    core = await withDeadline(Promise.race([failed, create(module)]), THREADS_START_MS, `the ${name} module`);
  } catch (err) {
    try {
      if (module.PThread) module.PThread.terminateAllThreads();
    } catch {}  // a pool half made: what could be ended was
    throw err;
  }
  self.removeEventListener('error', onError);
  core.simd = true;
  core.variant = 'mt';
  return core;
}
