// The pusher's wasm encoder with threads (issue 20), in the engine of LW_ENGINE (Chromium in the browser tier;
// tests/engines/pusher_threads.test.mjs runs the same checks in Firefox and WebKitGTK). A push with the wasm
// encoder pinned (video-encoder="wasm"), pulled back from nginx by ffmpeg, on three pages:
// - cross-origin isolated (COOP same-origin + COEP require-corp on every response): the pusher's worker loads
//   livewasm_pusher_mt (worker/load_core.js useThreads), its .wasm and its pthread worker, not
//   livewasm_pusher_simd, and the stream has one slice per thread in every frame (the cores, 1..4: OpenH264's
//   slice threads at work);
// - the same page not isolated: livewasm_pusher_simd, one slice per frame, never the threads build;
// - isolated, but the threads build's pthread worker throws when it starts: the SIMD build takes over;
// - isolated with video-encoder="webcodecs": the threads build is loaded and the browser's encoder takes its
//   pictures from the module's shared memory (engine.picture() into new VideoFrame()).
// Each: 1002, H.264 at netstatus's size, frames at a live rate, the camera's frame numbers in order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { brokenWorkerBase, pushInWasm, pusherThreadsMissing, threadsFor } from './lib/pusher_threads.mjs';

const missing = pusherThreadsMissing();

// The stream is right: pushed (1002, no error), H.264 of the size netstatus reports, a live rate and,
// from Chromium's barcode camera, frame numbers that never go backwards.
export function assertPushed({ codes, errors, net, got }, what) {
  assert.ok(codes.includes(1002), `${what}: the push began (1002): ${JSON.stringify(codes)}`);
  assert.deepEqual(codes.filter((c) => c < 0 || c === 1107), [], `${what}: no failure code and no switch to the browser's encoder`);
  assert.deepEqual(errors, [], `${what}: no error event`);
  const v = got.streams.find((s) => s.codec_type === 'video');
  assert.equal(v?.codec_name, 'h264', `${what}: H.264 video: ${JSON.stringify(got.streams)}`);
  assert.ok(v.width > 0 && v.width === net.videoWidth && v.height === net.videoHeight, `${what}: the size netstatus reports: ${v.width}x${v.height} vs ${net.videoWidth}x${net.videoHeight}`);
  assert.ok(got.frames >= 5 * 10 && got.fps >= 10, `${what}: frames at a live rate: ${got.frames} (${got.fps.toFixed(1)} fps)`);
  assert.ok(got.keys >= 1, `${what}: a key frame in the window`);
  if (got.sequence) {
    assert.deepEqual(got.sequence.backwards, [], `${what}: frame numbers never go backwards`);
    assert.ok(got.sequence.read >= got.decoded * 0.95, `${what}: the barcode reads: ${got.sequence.read}/${got.decoded}`);
  }
}

describe('the pusher\'s wasm encoder with threads where the page is cross-origin isolated', { skip: missing ?? false }, () => {
  test('isolated page: livewasm_pusher_mt (and its pthread worker), one slice per thread, not the single-thread build', async () => {
    const r = await pushInWasm({ isolated: true });
    assert.deepEqual([r.page.coi, r.page.sab], [true, true], 'the page is cross-origin isolated');
    assert.ok(r.page.cores > 1, `more than one core (${r.page.cores}): else load_core.js keeps one thread`);
    assertPushed(r, 'isolated');
    for (const f of ['.mjs', '.wasm', '.worker.js']) {
      assert.ok(r.asked.mt.some((q) => q.endsWith(f)), `the threads build's ${f} was loaded: ${JSON.stringify(r.asked.mt)}`);
    }
    assert.deepEqual(r.asked.simd, [], 'not the SIMD single-thread build');
    assert.deepEqual(r.asked.baseline, [], 'not the baseline build');
    assert.equal(r.got.slices, threadsFor(r.page.cores), `slices per frame = encoder threads (${threadsFor(r.page.cores)})`);
  });

  test('the same page not isolated: livewasm_pusher_simd, one slice per frame, never the threads build', async () => {
    const r = await pushInWasm({ isolated: false });
    assert.deepEqual([r.page.coi, r.page.sab], [false, false], 'the page is not cross-origin isolated');
    assertPushed(r, 'not isolated');
    assert.ok(r.asked.simd.some((q) => q.endsWith('.wasm')), `the SIMD build was loaded: ${JSON.stringify(r.asked.simd)}`);
    assert.deepEqual(r.asked.mt, [], 'never the threads build');
    assert.equal(r.got.slices, 1, 'one slice per frame');
  });

  test('isolated, but the pthread worker does not start: the SIMD build takes over and the push goes on', async () => {
    const r = await pushInWasm({ isolated: true, wasmBase: brokenWorkerBase() });
    assertPushed(r, 'broken pthread worker');
    assert.ok(r.asked.mt.some((q) => q.endsWith('.worker.js')), `the threads build was tried: ${JSON.stringify(r.asked.mt)}`);
    assert.ok(r.asked.simd.some((q) => q.endsWith('.wasm')), `then the SIMD build was loaded: ${JSON.stringify(r.asked.simd)}`);
    assert.equal(r.got.slices, 1, 'one slice per frame');
  });

  test('isolated, video-encoder="webcodecs": the threads build loaded, the browser\'s encoder pushes from its shared memory', async () => {
    const r = await pushInWasm({ isolated: true, videoEncoder: 'webcodecs' });
    assertPushed(r, 'isolated, webcodecs');
    assert.ok(r.asked.mt.some((q) => q.endsWith('.wasm')), `the threads build was loaded: ${JSON.stringify(r.asked.mt)}`);
    assert.notEqual(r.encoder, 'openh264', `the browser's encoder, not OpenH264: ${r.encoder}`);
  });
});
