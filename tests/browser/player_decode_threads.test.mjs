// H.264 and HEVC decoded in wasm with threads (issue 20), in the engine of LW_ENGINE (Chromium in the browser
// tier; tests/engines/decode_threads.test.mjs runs the isolated case in Firefox and WebKitGTK). The barcode
// stream (HEVC: lib/publishers.mjs hevcFlvFixture; H.264: barcodeFlvFile) served over HTTP in real time, the
// wasm path forced (videoDecoder 'wasm'), on these pages:
// - cross-origin isolated (COOP same-origin + COEP require-corp on every response): the player loads
//   livewasm_player_mt (FFmpeg's frame threads, worker/load_core.js useThreads), its .wasm and its pthread
//   worker (.worker.js), decodes with 2+ threads (netstatus videoDecoderThreads), and never loads
//   livewasm_player_hevc_simd for HEVC;
// - the same page not isolated: the single-thread decoders (HEVC: livewasm_player_hevc_simd; H.264: the
//   player's own module), never the threads build;
// - isolated and served with README's Content-Security-Policy (worker-src 'self', no 'unsafe-eval'): the
//   threads build still (HEVC; the same module and worker serve H.264);
// - isolated, but the threads build's pthread worker throws when it starts (as a worker the page's CSP refuses,
//   or one an engine cannot start): the single-thread decoder takes over and the stream plays.
// Each: a normal start (2001 < 2002 < 2003 < 2004, no failure code), frame numbers read from the canvas
// in order with every gap reported, netstatus videoDecoder 'wasm'.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPlayed, brokenWorkerBase, decodeThreadsMissing, playInWasm } from './lib/decode_threads.mjs';
import { POLICY } from './lib/csp_policy.mjs';

const missing = decodeThreadsMissing();
const NAMES = { hevc: 'HEVC', h264: 'H.264' };
const SINGLE = { hevc: 'livewasm_player_hevc_simd', h264: "the player's own module" };

for (const codec of ['hevc', 'h264']) {
  describe(`${NAMES[codec]} in wasm with threads where the page is cross-origin isolated`, { skip: missing ?? false }, () => {
    test(`${NAMES[codec]}, isolated page: livewasm_player_mt (and its pthread worker), 2+ decoding threads`, async () => {
      const r = await playInWasm({ codec, isolated: true });
      assert.deepEqual(r.isolation, { coi: true, sab: true }, 'the page is cross-origin isolated');
      assertPlayed(r, 'isolated');
      for (const f of ['.mjs', '.wasm', '.worker.js']) {
        assert.ok(r.asked.mt.some((q) => q.endsWith(f)), `the threads build's ${f} was loaded: ${JSON.stringify(r.asked.mt)}`);
      }
      assert.ok(r.net.videoDecoderThreads >= 2, `netstatus videoDecoderThreads: ${r.net.videoDecoderThreads}`);
      if (codec === 'hevc') assert.deepEqual(r.asked.simd, [], 'not the SIMD single-thread build');
      assert.deepEqual(r.asked.baseline, [], 'not the baseline build');
    });

    // The same module and pthread worker for both codecs: checked once.
    test(`${NAMES[codec]}, isolated under README's Content-Security-Policy: the threads build starts its pthread workers ('self')`, { skip: codec !== 'hevc' }, async () => {
      // README's policy with the HTTP-FLV host in connect-src, as README's table asks.
      const policy = POLICY.replace("connect-src 'self'", "connect-src 'self' http://127.0.0.1:*");
      const r = await playInWasm({ codec, isolated: true, headers: { 'Content-Security-Policy': policy } });
      assertPlayed(r, 'isolated, CSP');
      assert.ok(r.asked.mt.some((q) => q.endsWith('.worker.js')) && r.asked.mt.some((q) => q.endsWith('.wasm')), `the threads build was loaded: ${JSON.stringify(r.asked.mt)}`);
      assert.ok(r.net.videoDecoderThreads >= 2, `netstatus videoDecoderThreads: ${r.net.videoDecoderThreads}`);
    });

    test(`${NAMES[codec]}, the same page not isolated: ${SINGLE[codec]}, never the threads build`, async () => {
      const r = await playInWasm({ codec, isolated: false });
      assert.deepEqual(r.isolation, { coi: false, sab: false }, 'the page is not cross-origin isolated');
      assertPlayed(r, 'not isolated');
      assert.ok(r.asked.simd.some((q) => q.endsWith('.wasm')), `the SIMD build was loaded: ${JSON.stringify(r.asked.simd)}`);
      assert.deepEqual(r.asked.mt, [], 'never the threads build');
      assert.equal(r.net.videoDecoderThreads, 1, 'one decoding thread');
    });

    test(`${NAMES[codec]}, isolated, but the pthread worker does not start: ${SINGLE[codec]} takes over and the stream plays`, async () => {
      const r = await playInWasm({ codec, isolated: true, wasmBase: brokenWorkerBase() });
      assertPlayed(r, 'broken pthread worker');
      assert.ok(r.asked.mt.some((q) => q.endsWith('.worker.js')), `the threads build was tried: ${JSON.stringify(r.asked.mt)}`);
      assert.ok(r.asked.simd.some((q) => q.endsWith('.wasm')), `the SIMD build was loaded: ${JSON.stringify(r.asked.simd)}`);
      assert.equal(r.net.videoDecoderThreads, 1, 'one decoding thread');
    });
  });
}
