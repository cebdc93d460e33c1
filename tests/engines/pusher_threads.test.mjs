// The pusher's wasm encoder on a cross-origin isolated page (COOP same-origin + COEP require-corp), in the
// engine of LW_ENGINE (lib/engine_checks.mjs), as tests/browser/pusher_threads.test.mjs does in Chromium: a
// push with video-encoder="wasm" (the engine's own fake camera), pulled back from nginx by ffmpeg. Firefox has
// SharedArrayBuffer on such a page: the pusher loads the threads build livewasm_pusher_mt (and its pthread
// worker) and the stream has one slice per encoder thread; WebKitGTK has none even there (README's engine
// table): the single-thread livewasm_pusher_simd, one slice per frame, never the threads build. It pushes
// either way (1002, H.264 at netstatus's size, frames at a live rate).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pushInWasm, pusherThreadsMissing, threadsFor } from '../browser/lib/pusher_threads.mjs';
import { CONFIG } from './lib/engine_checks.mjs';

const missing = pusherThreadsMissing();
const threads = CONFIG.engine !== 'webkit';

describe(`the pusher's wasm encoder on a cross-origin isolated page in ${CONFIG.name}`, { skip: missing ?? false }, () => {
  test(threads ? 'SharedArrayBuffer: the threads build livewasm_pusher_mt, one slice per thread' : 'no SharedArrayBuffer: livewasm_pusher_simd, still pushes', async () => {
    const r = await pushInWasm({ isolated: true });
    assert.equal(r.page.coi, true, 'the page is cross-origin isolated');
    assert.equal(r.page.sab, threads, `SharedArrayBuffer ${threads ? 'exists' : 'does not exist'} on the isolated page`);
    assert.ok(r.codes.includes(1002), `the push began (1002): ${JSON.stringify(r.codes)}`);
    assert.deepEqual(r.codes.filter((c) => c === 1107 || c === -1307 || c === -1301), [], 'no failed start, no switch to the browser\'s encoder');
    const v = r.got.streams.find((s) => s.codec_type === 'video');
    assert.equal(v?.codec_name, 'h264', `H.264 video: ${JSON.stringify(r.got.streams)}`);
    assert.ok(v.width > 0 && v.width === r.net.videoWidth && v.height === r.net.videoHeight, `the size netstatus reports: ${v.width}x${v.height} vs ${r.net.videoWidth}x${r.net.videoHeight}`);
    assert.ok(r.got.frames >= 5 * 10 && r.got.fps >= 10, `frames at a live rate: ${r.got.frames} (${r.got.fps.toFixed(1)} fps)`);
    if (threads) {
      for (const f of ['.mjs', '.wasm', '.worker.js']) {
        assert.ok(r.asked.mt.some((q) => q.endsWith(f)), `the threads build's ${f} was loaded: ${JSON.stringify(r.asked.mt)}`);
      }
      assert.deepEqual(r.asked.simd, [], 'not the single-thread build');
      assert.equal(r.got.slices, threadsFor(r.page.cores), `slices per frame = encoder threads (${threadsFor(r.page.cores)} for ${r.page.cores} cores)`);
    } else {
      assert.deepEqual(r.asked.mt, [], 'never the threads build');
      assert.ok(r.asked.simd.some((q) => q.endsWith('.wasm')), `the SIMD build was loaded: ${JSON.stringify(r.asked.simd)}`);
      assert.equal(r.got.slices, 1, 'one slice per frame');
    }
  });
});
