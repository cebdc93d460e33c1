// The page hidden while pushing (the window minimised through CDP: a real visibilitychange, see
// lib/browser.mjs): 5000; with a `waiting-image` whose md5 matches `waiting-image-hash`, that picture
// goes out while hidden; with a wrong hash the element raises `error` and the picture is NOT pushed.
// Visible again: the camera's frames (barcodes) come back.
//
// Telling frames apart in the pulled stream: the waiting image is one flat colour, so its frames have
// no barcode and a flat centre (frameStats().centerStd < FLAT_STD, whether the pusher crops the image
// or letterboxes it); every camera frame has a readable barcode there (black and white cells).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';
import { imageFixture } from './lib/fixtures.mjs';
import { analyzeMedia, recordLive } from './lib/stream_reader.mjs';

const FLAT_STD = 6;

let env;
let dir;
let image;

before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'lw-hidden-'));
  image = await imageFixture();
  env = await startPushEnv({ camera: { noise: 8 } });
});

after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Pushes, records, hides the page for `hiddenMs` in the middle, shows it again; returns the events and
// the pulled frames classified as camera / image / other.
async function hideDuringPush(name, extra) {
  const p = await env.addPusher({ url: env.nginx.url(name), mode: 'RTC', 'min-bitrate': 200, 'max-bitrate': 1000, ...extra });
  await p.waitCode(1002, { timeoutMs: 20000 });
  await sleep(1000);
  const file = path.join(dir, `${name}.flv`);
  const rec = recordLive(env.nginx.url(name), file, { seconds: 9 });
  await sleep(2000);
  await env.browser.hide(env.page);
  const hidden = await p.waitCode(5000, { timeoutMs: 5000 });
  await sleep(3500);
  await env.browser.show(env.page);
  await rec.done;
  const events = await p.all();
  await p.remove();
  const media = await analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height });
  const frames = media.video?.frames ?? [];
  const kind = (f) => (f.number !== null ? 'camera' : f.stats.centerStd < FLAT_STD ? 'image' : 'other');
  const kinds = frames.map(kind);
  // Runs of the same kind, for messages: camera*52 image*7 camera*40
  const runs = [];
  for (const k of kinds) {
    if (runs.at(-1)?.kind === k) runs.at(-1).n++;
    else runs.push({ kind: k, n: 1 });
  }
  const summary = runs.map((r) => `${r.kind}*${r.n}`).join(' ');
  console.log(`${name}: ${summary}; centre std of the non-camera frames ${JSON.stringify(frames.filter((f) => f.number === null).slice(0, 8).map((f) => Math.round(f.stats.centerStd)))}; ` +
    `codes ${JSON.stringify(events.filter((e) => e.type === 'statechange').map((e) => e.detail.code))}; ` +
    `errors ${JSON.stringify(events.filter((e) => e.type === 'error').map((e) => e.detail))}`);
  return { events, hidden, frames, kinds, runs, summary };
}

describe('page hidden while pushing', () => {
  test('hidden -> 5000; visible again -> the camera\'s frames resume', async () => {
    const r = await hideDuringPush('hidden-plain', {});
    assert.ok(r.hidden, '5000 arrived');
    const lastCamera = r.kinds.lastIndexOf('camera');
    assert.ok(lastCamera >= 0 && r.runs.at(-1).kind === 'camera', `camera frames at the end: ${r.summary}`);
    assert.ok(!r.kinds.includes('image'), `no waiting image without one: ${r.summary}`);
  });

  test('waiting-image with the right hash: that picture goes out while hidden, then the camera again', async () => {
    const r = await hideDuringPush('hidden-image', { 'waiting-image': image.url, 'waiting-image-hash': image.md5 });
    assert.deepEqual(r.events.filter((e) => e.type === 'error'), [], 'no error');
    const firstImage = r.kinds.indexOf('image');
    assert.ok(firstImage > 0, `image frames while hidden: ${r.summary}`);
    assert.ok(r.kinds.slice(0, firstImage).includes('camera'), `camera before: ${r.summary}`);
    assert.ok(r.kinds.slice(r.kinds.lastIndexOf('image')).includes('camera'), `camera after: ${r.summary}`);
  });

  test('waiting-image with a wrong hash: an error event, and the picture is not pushed', async () => {
    const wrong = image.md5.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const r = await hideDuringPush('hidden-wrong-hash', { 'waiting-image': image.url, 'waiting-image-hash': wrong });
    const errors = r.events.filter((e) => e.type === 'error');
    assert.ok(errors.length >= 1, 'an error event');
    assert.match(JSON.stringify(errors.map((e) => e.detail)), /hash|md5/i, 'the error says the hash does not match');
    assert.ok(!r.kinds.includes('image'), `the waiting image was not pushed: ${r.summary}`);
  });
});
