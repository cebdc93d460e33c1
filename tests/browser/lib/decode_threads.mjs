// Playing the barcode stream as H.264 or HEVC in wasm on a fresh page, cross-origin isolated or not, and what
// the page asked for of the decoders' builds: the threads build livewasm_player_mt, the single-thread ones
// (HEVC: livewasm_player_hevc{,_simd}; H.264: the player's own module, always loaded for its session)
// (tests/browser/player_decode_threads.test.mjs in Chromium, tests/engines/decode_threads.test.mjs in Firefox
// and WebKitGTK).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startPlayerEnv, playerMissing, watchPlayback, unreportedGaps, startFlvHttpServer, WASM_BASE } from './player_env.mjs';
import { FLV_MUX_TOOL, barcodeFlvFile, hevcFlvFixture } from './publishers.mjs';
import { ROOT } from '../../interop/lib/tools.mjs';

const MT_FILES = ['livewasm_player_mt.mjs', 'livewasm_player_mt.wasm', 'livewasm_player_mt.worker.js'];
export const decodeThreadsMissing = () => playerMissing({ gateway: false }) ??
  (existsSync(FLV_MUX_TOOL) ? null : `${path.relative(ROOT, FLV_MUX_TOOL)} is not built (scripts/build.sh native)`) ??
  (MT_FILES.every((f) => existsSync(path.join(WASM_BASE, f))) ? null : 'dist/wasm/livewasm_player_mt.* is not built (scripts/build.sh wasm)');
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);
// The builds a page may ask for: the threads build, and the single-thread decoders' module of the codec.
export const VARIANTS = {
  hevc: { mt: /livewasm_player_mt\.(mjs|wasm|worker\.js)$/, simd: /livewasm_player_hevc_simd\.(mjs|wasm)$/, baseline: /livewasm_player_hevc\.(mjs|wasm)$/ },
  h264: { mt: /livewasm_player_mt\.(mjs|wasm|worker\.js)$/, simd: /livewasm_player_simd\.(mjs|wasm)$/, baseline: /livewasm_player\.(mjs|wasm)$/ },
};

// The requests of one variant's files since `from` (an index into srv.requests).
export const variantAsked = (env, codec, variant, from = 0) => env.srv.requests.slice(from).filter((q) => VARIANTS[codec][variant].test(q.path)).map((q) => q.path);

// A wasmBase folder under the served root: the shipped player and HEVC modules, with the threads build's
// pthread worker replaced by one that throws as it starts.
export function brokenWorkerBase() {
  const dir = path.join(ROOT, 'build/browser-fixtures/player-mt-broken-worker');
  mkdirSync(dir, { recursive: true });
  for (const stem of ['livewasm_player', 'livewasm_player_simd', 'livewasm_player_hevc', 'livewasm_player_hevc_simd', 'livewasm_player_mt']) {
    for (const ext of ['.mjs', '.wasm']) copyFileSync(path.join(WASM_BASE, stem + ext), path.join(dir, stem + ext));
  }
  writeFileSync(path.join(dir, 'livewasm_player_mt.worker.js'), "throw new Error('this pthread worker does not start (test)');\n");
  return '/' + path.relative(ROOT, dir).split(path.sep).join('/') + '/';
}

/**
 * Plays the barcode fixture (codec 'hevc' or 'h264') in wasm on a fresh page and returns what the page asked
 * for.
 * @param {{codec: string, isolated: boolean, wasmBase?: string, headers?: object}} o  headers: more response
 *   headers (a CSP)
 */
export async function playInWasm({ codec, isolated, wasmBase = '', headers = {} }) {
  const fx = codec === 'hevc' ? await hevcFlvFixture({ signalling: 'enhanced', seconds: 10 }) : await barcodeFlvFile({ seconds: 10 });
  if (fx.missing) throw new Error(fx.missing);
  const env = await startPlayerEnv({ nginx: false, nms: false, gateway: false, isolated, headers });
  const flv = await startFlvHttpServer();
  try {
    const isolation = await env.page.evaluate(() => ({ coi: self.crossOriginIsolated, sab: typeof SharedArrayBuffer === 'function' }));
    flv.set('/stream.flv', readFileSync(fx.file));
    const p = await env.addPlayer({ src: flv.url('/stream.flv'), autoplay: true, mode: 'RTC' },
      { configure: { videoDecoder: 'wasm', audioDecoder: 'auto', ...(wasmBase ? { wasmBase } : {}) } });
    await p.waitCode(2004, { timeoutMs: 30000 });
    const w = await watchPlayback(p, { ms: 5000 });
    const net = w.net.at(-1) ?? {};
    const asked = Object.fromEntries(Object.keys(VARIANTS[codec]).map((v) => [v, variantAsked(env, codec, v)]));
    console.log(`${codec} isolated ${isolated} (crossOriginIsolated ${isolation.coi}, SharedArrayBuffer ${isolation.sab}): codes ${JSON.stringify(w.codes)} ` +
      `frames ${w.order.count} (${w.order.first}..${w.order.last}) missing ${w.order.missing} dropped ${w.dropped} decoder ${net.videoDecoder} ` +
      `asked ${JSON.stringify(asked)}`);
    await p.remove();
    return { w, net, asked, isolation, env };
  } finally {
    await flv.close();
    await env.close();
  }
}

// The picture is right: a normal start, frames in order, every gap reported, decoded in wasm.
export function assertPlayed({ w, net }, what) {
  const at = [2001, 2002, 2003, 2004].map((c) => w.codes.indexOf(c));
  assert.ok(at.every((i) => i >= 0) && at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `${what}: 2001 < 2002 < 2003 < 2004: ${JSON.stringify(w.codes)}`);
  assert.deepEqual(w.codes.filter((c) => c < 0 || FAILURES.has(c)), [], `${what}: no failure code`);
  assert.deepEqual(w.picture.errors, [], `${what}: the probe could read the canvas`);
  assert.deepEqual(w.order.backwards, [], `${what}: frame numbers never go backwards`);
  assert.ok(w.order.count >= 50, `${what}: frames shown: ${w.order.count}`);
  assert.equal(unreportedGaps(w), null, `${what}: every gap reported`);
  assert.equal(net.videoDecoder, 'wasm', `${what}: netstatus names the wasm path`);
}

