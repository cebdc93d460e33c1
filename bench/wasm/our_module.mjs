// Loads our embind module (built by `scripts/build.sh wasm` into build/wasm/) under Node and exposes
// the calls the harness measures. Debian's Emscripten 3.1.6 glue fetch()es the .wasm when fetch
// exists, which Node 20 cannot do for files: run Node with --no-experimental-fetch (TOOLCHAIN.md;
// bench/run.sh does). Returns { error } instead of throwing when the module is not there yet, so the
// harness can still report the other columns.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The module's glue: the --module argument, else the baseline (non-SIMD) module that
// `scripts/build.sh wasm` writes (wasm/bindings/CMakeLists.txt: target livewasm_core).
export const DEFAULT_MODULE = 'build/wasm/wasm/bindings/livewasm_core.mjs';
function findGlue(explicit, root) {
  const glue = path.resolve(root, explicit || DEFAULT_MODULE);
  return existsSync(glue) ? glue : undefined;
}

export async function loadOurModule(explicit, root) {
  const glue = findGlue(explicit, root);
  if (!glue) return { error: `no ${explicit || DEFAULT_MODULE} (scripts/build.sh wasm)` };
  try {
    const factory = glue.endsWith('.mjs')
      ? (await import(pathToFileURL(glue).href)).default
      : createRequire(import.meta.url)(glue);
    const module = typeof factory === 'function' ? await factory() : factory;
    return { module, glue };
  } catch (e) {
    const hint = typeof fetch === 'function' ? ' (run Node with --no-experimental-fetch)' : '';
    return { error: `loading ${path.relative(root, glue)} failed: ${e.message}${hint}` };
  }
}

// Module.demuxFlvCount(bytes, chunkSize) (tests/wasm/module/flv_bindings.cc): copies the buffer into wasm
// memory once, demuxes it there feeding chunkSize pieces (0: one piece) and returns counts
// {tags, audioTags, videoTags, scriptTags, tagBytes, bytes, warnings, errors}: no JS<->wasm crossing
// per tag. Returns { run(Uint8Array) -> counts, describe } or { error }.
export function ourFlvDemuxer({ module }, chunkSize = 0) {
  if (typeof module.demuxFlvCount !== 'function') {
    return { error: 'the module has no demuxFlvCount (whole-buffer FLV demux) call' };
  }
  return {
    run: (bytes) => module.demuxFlvCount(bytes, chunkSize),
    describe: chunkSize ? `demuxFlvCount, ${chunkSize}-byte feeds` : 'demuxFlvCount, one feed',
  };
}
