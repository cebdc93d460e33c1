// H.264 and HEVC decoded in wasm on a cross-origin isolated page (COOP same-origin + COEP require-corp), in
// the engine of LW_ENGINE (lib/engine_checks.mjs), as tests/browser/player_decode_threads.test.mjs does in
// Chromium: the barcode stream as FLV over HTTP, the wasm path forced. Firefox has SharedArrayBuffer on such
// a page: the player loads the threads build livewasm_player_mt (and its pthread worker) and decodes with 2+
// threads; WebKitGTK has none even there (README's engine table): the single-thread decoders (HEVC:
// livewasm_player_hevc_simd; H.264: the player's own module), never the threads build. The picture plays
// either way (a normal start, frames in order, every gap reported).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPlayed, decodeThreadsMissing, playInWasm } from '../browser/lib/decode_threads.mjs';
import { CONFIG } from './lib/engine_checks.mjs';

const missing = decodeThreadsMissing();
const threads = CONFIG.engine !== 'webkit';

for (const [codec, name] of [['hevc', 'HEVC'], ['h264', 'H.264']]) {
  describe(`${name} in wasm on a cross-origin isolated page in ${CONFIG.name}`, { skip: missing ?? false }, () => {
    test(threads ? `${name}, SharedArrayBuffer: the threads build livewasm_player_mt` : `${name}, no SharedArrayBuffer: the single-thread decoder`, async () => {
      const r = await playInWasm({ codec, isolated: true });
      assert.equal(r.isolation.coi, true, 'the page is cross-origin isolated');
      assert.equal(r.isolation.sab, threads, `SharedArrayBuffer ${threads ? 'exists' : 'does not exist'} on the isolated page`);
      assertPlayed(r, CONFIG.name);
      if (threads) {
        for (const f of ['.mjs', '.wasm', '.worker.js']) {
          assert.ok(r.asked.mt.some((q) => q.endsWith(f)), `the threads build's ${f} was loaded: ${JSON.stringify(r.asked.mt)}`);
        }
        assert.ok(r.net.videoDecoderThreads >= 2, `netstatus videoDecoderThreads: ${r.net.videoDecoderThreads}`);
        if (codec === 'hevc') assert.deepEqual(r.asked.simd, [], 'not the single-thread build');
      } else {
        assert.deepEqual(r.asked.mt, [], 'never the threads build');
        assert.ok(r.asked.simd.some((q) => q.endsWith('.wasm')), `the SIMD build was loaded: ${JSON.stringify(r.asked.simd)}`);
        assert.equal(r.net.videoDecoderThreads, 1, 'one decoding thread');
      }
    });
  });
}
