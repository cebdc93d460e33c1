// LivePusherContext methods as a page uses them (docs/api.md): results are
// {errMsg: "<op>:ok", ...} or {errMsg: "<op>:fail <reason>"}, the {success, fail, complete} callbacks
// run, and each method does what it says, judged from the stream nginx receives:
//   - snapshot: a blob: URL of a PNG the size the pusher encodes (the ladder's size), with width/height;
//   - pause: the connection stays (no 1102, the gateway sees no idle push) and the camera is released:
//     the stream goes on with a frozen picture (the same frame number repeated); resume: the camera's
//     frames flow again (numbers advance);
//   - switchCamera: devicePosition flips and the push goes on;
//   - a method that cannot run fails with "<op>:fail ..." through `fail` and `complete`.
// And the encoder ladder: FHD at 1800 kbit/s asks for 720x1280 at 30 fps. One such push keeps up in
// wasm on this machine; four on one page (two cores) do not, so the pushers raise 1107 and continue on
// the browser's own encoder, the frame numbers still advancing in the stream. RTC at 360p never does.
// lw-runner: alone in chromium
// (scripts/lane_lock.mjs: its 1107 test runs four 720x1280 wasm encodes on a 2-core machine: 64 % busy alone
// in stop 30's run, and beside WebKit it pushed 2.5 fps.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';
import { analyzeMedia, recordLive, sequenceReport } from './lib/stream_reader.mjs';

let env;
let dir;
before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'lw-context-'));
  env = await startPushEnv({ camera: { noise: 8 } });  // texture makes the encoders work (the 1107 test)
});
after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function record(name, seconds) {
  const file = path.join(dir, `${name}.flv`);
  const rec = recordLive(env.nginx.url(name), file, { seconds });
  return async () => {
    await rec.done.catch(() => {});
    return analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height });
  };
}

describe('LivePusherContext', () => {
  test('snapshot, pause/resume, switchCamera: results, callbacks and what the stream shows', async () => {
    const p = await env.addPusher({ url: env.nginx.url('ctx'), mode: 'RTC', 'min-bitrate': 300, 'max-bitrate': 600 });
    await p.waitCode(1002);
    const done = await record('ctx', 14);
    await sleep(2000);

    const snap = await p.context('snapshot');
    assert.equal(snap.errMsg, 'snapshot:ok');
    assert.match(snap.tempImagePath, /^blob:/);
    const status = (await p.events('netstatus')).at(-1).detail.info;
    assert.deepEqual([snap.width, snap.height], [status.videoWidth, status.videoHeight]);
    const png = await env.page.evaluate(async (url) => {
      const blob = await (await fetch(url)).blob();
      const bitmap = await createImageBitmap(blob);
      return { type: blob.type, width: bitmap.width, height: bitmap.height };
    }, snap.tempImagePath);
    assert.deepEqual(png, { type: 'image/png', width: snap.width, height: snap.height });

    // Callbacks: success and complete with the same result object.
    const calls = await env.page.evaluate((id) => new Promise((resolve) => {
      const seen = [];
      window.lwContexts[id].snapshot({
        success: (r) => seen.push(['success', r.errMsg]),
        fail: (r) => seen.push(['fail', r.errMsg]),
        complete: (r) => { seen.push(['complete', r.errMsg]); resolve(seen); },
      });
    }), p.id);
    assert.deepEqual(calls, [['success', 'snapshot:ok'], ['complete', 'snapshot:ok']]);

    const paused = await p.context('pause');
    assert.equal(paused.errMsg, 'pause:ok');
    await sleep(4000);
    const resumed = await p.context('resume');
    assert.equal(resumed.errMsg, 'resume:ok');
    await sleep(3000);

    const switched = await p.context('switchCamera');
    assert.equal(switched.errMsg, 'switchCamera:ok');
    assert.equal(switched.devicePosition, 'back');
    await sleep(2000);

    const codes = await p.codes();
    assert.ok(!codes.some((c) => c < 0 || c === 1102 || (c >= 3001 && c <= 3005)), `the connection stayed up: ${codes}`);

    const media = await done();
    const frames = media.video.frames;
    const t0 = frames[0].pts;
    // While paused the stream carries the frozen picture: frame numbers repeat; after resume they advance.
    const numbers = frames.map((f) => f.number).filter((n) => n !== null);
    let repeats = 0;
    for (let i = 1; i < numbers.length; i++) if (numbers[i] === numbers[i - 1]) repeats++;
    assert.ok(repeats >= 2, `the paused stream repeats its last picture (${repeats} repeats)`);
    const seq = sequenceReport(frames, env.cam.frames);
    assert.ok(seq.read >= frames.length * 0.9, `readable ${seq.read}/${frames.length}`);
    assert.ok(frames.at(-1).pts - t0 > 8, 'the stream went on through pause, resume and switch');
    await p.remove();
  });

  test('a method that cannot run fails through fail and complete', async () => {
    const result = await env.page.evaluate(() => new Promise((resolve) => {
      const ctx = window.livewasm.createLivePusherContext({ url: 'rtmp://127.0.0.1:1/live/x' });
      const seen = [];
      ctx.pause({
        success: (r) => seen.push(['success', r.errMsg]),
        fail: (r) => seen.push(['fail', r.errMsg]),
        complete: (r) => { seen.push(['complete', r.errMsg]); resolve(seen); },
      });
    }));
    assert.deepEqual(result, [['fail', 'pause:fail not pushing'], ['complete', 'pause:fail not pushing']]);
  });
});

// The ladder tests need OpenH264 in wasm to fall behind the camera under their load. With the wasm SIMD
// kernels (OpenH264's, and FFmpeg's AAC encoder in the -msimd128 build) four 720p pushes can keep up on
// this machine's two cores when nothing else runs (no 1107 in 14 s, three attempts, CI run at 9cf9ee0).
// When the code does not come, the pushes' own netstatus says which case it is: every push encoding at the
// camera's rate is the premise not holding (the test is skipped and says so), any push behind it without
// the code is the defect the test is there for (it fails).
async function codeOrKeptUp(t, ps, code, timeoutMs) {
  try {
    // The event, and the push that raised it (event.pusher).
    return await Promise.any(ps.map((p) => p.waitCode(code, { timeoutMs }).then((event) => Object.assign(event, { pusher: p }))));
  } catch {
    const rates = [];
    for (const p of ps) {
      const net = (await p.events('netstatus')).slice(-5).map((e) => e.detail.info?.videoFPS ?? 0);
      rates.push(net.length ? net.reduce((a, b) => a + b, 0) / net.length : 0);
    }
    const text = rates.map((r) => r.toFixed(1)).join(', ');
    if (rates.every((r) => r >= 27)) {
      t.skip(`the wasm encoders kept up on this machine (${text} fps over the last 5 s), so there was nothing for ${code} to say`);
      return null;
    }
    assert.fail(`no ${code} in ${timeoutMs / 1000} s although a push fell behind the camera: ${text} fps over the last 5 s`);
  }
}

describe('encoder ladder', () => {
  test('four 720x1280 pushes at 30 fps are too much for wasm on 2 cores: 1107, the browser encoder carries on', async (t) => {
    // One 720p push keeps up in wasm here (about 30 fps with SIMD); four on one page share two cores.
    const ps = [];
    const names = ['fhd-a', 'fhd-b', 'fhd-c', 'fhd-d'];
    for (const n of names) {
      ps.push(await env.addPusher({ url: env.nginx.url(n), mode: 'FHD', 'min-bitrate': 1800, 'max-bitrate': 1800 }));
    }
    for (const p of ps) await p.waitCode(1002);
    // Whichever falls behind first switches; that relieves the others, which may then keep up.
    const switched = await codeOrKeptUp(t, ps, 1107, 14000);
    if (!switched) {
      for (const p of ps) await p.remove();
      return;
    }
    const name = names[ps.indexOf(switched.pusher)];
    console.log(`1107 from ${name}: ${switched.detail.message}`);
    // The push that switched is the one whose stream must carry on in the browser's encoder.
    const media = await (await record(name, 6))();
    const codes = [];
    for (const p of ps) codes.push(await p.codes());
    for (const p of ps) await p.remove();
    console.log(`codes: ${JSON.stringify(codes)}`);
    const frames = media.video.frames;
    const tail = frames.filter((f) => f.pts > frames.at(-1).pts - 4);
    const seq = sequenceReport(tail, env.cam.frames);
    const gaps = tail.slice(1).map((f, i) => f.pts - tail[i].pts);
    const maxGap = gaps.length ? Math.max(...gaps) : Infinity;
    console.log(`last 4 s: ${tail.length} frames, largest gap ${maxGap.toFixed(3)} s, ${JSON.stringify({ read: seq.read, maxGap: seq.maxGap, backwards: seq.backwards.length })}; sizes ${JSON.stringify(media.video.sizes)}`);
    assert.deepEqual(media.video.sizes.map((s) => s.size), ['720x1280']);
    // The stream carries on: no stall. Not a frame rate: four 720p encodes share two cores with the other
    // lane's browsers (CPU 99 % busy, a task waiting 88 % of the time in the stop-29 CI run, where this
    // push made 4.75 fps); what the test is for is a push that stalls or stops after the switch.
    assert.ok(tail.length >= 8 && maxGap <= 1, `frames keep coming after the switch: ${tail.length} frames in 4 s, largest gap ${maxGap.toFixed(3)} s`);
    assert.deepEqual(seq.backwards, []);
  });

  test('videoEncoder pinned to wasm stays wasm when it cannot keep up: 1101 says so once, never 1107', async (t) => {
    // The same load as above, with the encoder pinned: the ladder must not switch (a page that pins wasm
    // has its reasons: the licence, a browser encoder it does not trust); it warns with 1101 instead.
    const ps = [];
    for (const n of ['pin-a', 'pin-b', 'pin-c', 'pin-d']) {
      ps.push(await env.addPusher({ url: env.nginx.url(n), mode: 'FHD', 'min-bitrate': 1800, 'max-bitrate': 1800, 'video-encoder': 'wasm' }));
    }
    for (const p of ps) await p.waitCode(1002);
    const warned = await codeOrKeptUp(t, ps, 1101, 20000);
    if (!warned) {
      for (const p of ps) await p.remove();
      return;
    }
    console.log(`1101: ${warned.detail.message}`);
    await sleep(2000);
    const codes = [];
    const encoders = [];
    for (const p of ps) {
      codes.push(await p.codes());
      encoders.push(await env.page.evaluate((id) => document.getElementById(id).pusher.encoders.videoEncoder, p.id));
    }
    for (const p of ps) await p.remove();
    console.log(`codes: ${JSON.stringify(codes)}; encoders ${JSON.stringify(encoders)}`);
    assert.match(warned.detail.message, /pinned to wasm/);
    assert.ok(codes.every((c) => !c.includes(1107)), `no 1107 with the encoder pinned: ${JSON.stringify(codes)}`);
    assert.ok(encoders.every((e) => !/webcodecs/i.test(e)), `every push still encodes in wasm: ${JSON.stringify(encoders)}`);
    for (const c of codes) assert.ok(c.filter((x) => x === 1101).length <= 3, `1101 once per slow spell, not per frame: ${JSON.stringify(c)}`);
  });

  test('RTC at 360p stays on wasm: no 1107', async () => {
    const p = await env.addPusher({ url: env.nginx.url('rtc'), mode: 'RTC', 'min-bitrate': 300, 'max-bitrate': 600 });
    await p.waitCode(1002);
    await sleep(6000);
    const codes = await p.codes();
    await p.remove();
    assert.ok(!codes.includes(1107), `codes ${codes}`);
  });
});
