// beauty and whiteness, judged on the pulled stream: three pushes of the same camera file at a fixed
// bitrate (min = max = 2000 kbit/s, so the size and the encoder's budget are the same in all three),
// 16:9 horizontal in SD (the 360 rung: 640x360, the camera's own size, so no scaling blurs the noise
// away) and a budget high enough that the encoder keeps fine texture for the filter to remove:
// 0/0, whiteness=9, beauty=9. Per-frame luma statistics (stream_reader.mjs frameStats):
//   - whiteness 9 lifts the mean luma: by at least MIN_LIFT (of 255) over the 0/0 push;
//   - beauty 9 smooths: the background's fine-texture energy (frameStats().texture: squared neighbour
//     differences up to 24 levels, outside the barcode's box; the camera file has temporal noise there,
//     the kind of texture skin smoothing exists to remove, while the pattern's strong edges are left out
//     of the measure because an edge-preserving filter keeps them) falls by at least MIN_SMOOTHING
//     relative to the 0/0 push, and the barcode still reads (edges are preserved).
// ("0 leaves frames bit-exact" is a unit test of the filters in wasm; a stream compared after lossy
// encoding cannot show it.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';
import { analyzeMedia, recordLive, sequenceReport } from './lib/stream_reader.mjs';

const MIN_LIFT = 5;
const MIN_SMOOTHING = 0.2;
const KBPS = 2000;

let env;
let dir;

before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'lw-picture-'));
  env = await startPushEnv({ camera: { noise: 8 } });
});

after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function pushAndMeasure(name, extra) {
  const p = await env.addPusher({ url: env.nginx.url(name), mode: 'SD', orientation: 'horizontal', 'min-bitrate': KBPS, 'max-bitrate': KBPS, ...extra });
  await p.waitCode(1002, { timeoutMs: 20000 });
  await sleep(1000);
  const file = path.join(dir, `${name}.flv`);
  const rec = recordLive(env.nginx.url(name), file, { seconds: 4 });
  await rec.done;
  await p.remove();
  const media = await analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height });
  const frames = media.video.frames;
  const mean = (k) => frames.reduce((a, f) => a + f.stats[k], 0) / frames.length;
  const r = { size: `${media.video.width}x${media.video.height}`, frames: frames.length, mean: mean('mean'), hf: mean('hf'), texture: mean('texture'),
    readable: sequenceReport(frames, env.cam.frames).read, kbps: media.video.kbps };
  console.log(`${name}: ${JSON.stringify(r)}`);
  return r;
}

describe('beauty and whiteness change the picture in the expected direction', () => {
  let base;
  before(async () => { base = await pushAndMeasure('plain', { beauty: 0, whiteness: 0 }); });

  test(`whiteness=9 lifts the mean luma by at least ${MIN_LIFT}`, async () => {
    const w = await pushAndMeasure('white', { beauty: 0, whiteness: 9 });
    assert.equal(w.size, base.size, 'same picture size');
    assert.ok(w.mean - base.mean >= MIN_LIFT, `mean luma ${base.mean.toFixed(1)} -> ${w.mean.toFixed(1)}`);
    assert.ok(w.readable >= w.frames * 0.9, `the barcode still reads: ${w.readable}/${w.frames}`);
  });

  test(`beauty=9 lowers the background's fine-texture energy by at least ${MIN_SMOOTHING * 100} %`, async () => {
    const b = await pushAndMeasure('beauty', { beauty: 9, whiteness: 0 });
    assert.equal(b.size, base.size, 'same picture size');
    assert.ok(b.texture <= base.texture * (1 - MIN_SMOOTHING), `background texture ${base.texture.toFixed(1)} -> ${b.texture.toFixed(1)} (hf ${base.hf.toFixed(1)} -> ${b.hf.toFixed(1)})`);
    assert.ok(b.readable >= b.frames * 0.9, `edges survive, the barcode still reads: ${b.readable}/${b.frames}`);
  });
});
