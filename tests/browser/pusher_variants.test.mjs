// Pusher variants, each judged on the stream ffmpeg pulls back from nginx:
//   - a page without MediaStreamTrackProcessor (the fallback: frames grabbed from a <video> and
//     transferred one by one): frame numbers still arrive in order;
//   - enable-camera=false: an audio-only stream (no video stream at all), the tone intact;
//   - audio-quality=high: AAC stereo at about 128 kbit/s (low is mono 48 kbit/s, the normal push test);
//   - orientation=horizontal with aspect 3:4: 4:3 pictures (480x360 at the 360 rung).
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
  dir = mkdtempSync(path.join(os.tmpdir(), 'lw-variants-'));
  env = await startPushEnv();
});
after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function pushAndPull(name, attrs, seconds = 4) {
  const p = await env.addPusher({ url: env.nginx.url(name), ...attrs });
  await p.waitCode(1002);
  await sleep(1000);
  const file = path.join(dir, `${name}.flv`);
  await recordLive(env.nginx.url(name), file, { seconds }).done;
  await p.remove();
  return analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height, expectHz: 1000 });
}

describe('pusher variants', () => {
  test('no MediaStreamTrackProcessor: the <video> fallback still delivers every frame in order', async () => {
    const page = await env.browser.newPage();
    await page.goto(env.srv.url('/pusher_test.html'));
    await page.waitForFunction(() => window.lwReady === true);
    const name = 'fallback';
    const result = await page.evaluate(async ({ gateway, url }) => {
      delete window.MediaStreamTrackProcessor;
      window.livewasm.configure({ gateway });
      const ctx = window.livewasm.createLivePusherContext({ url, mode: 'RTC', minBitrate: 300, maxBitrate: 600 });
      const codes = [];
      ctx.addEventListener('statechange', (e) => codes.push(e.detail.code));
      window.fallbackCodes = codes;
      await ctx.start();
      window.fallbackContext = ctx;
      return { started: true, codes };
    }, { gateway: env.gatewayUrl, url: env.nginx.url(name) });
    assert.ok(result.started);
    // Pushing (1002) before the recording starts: on a busy machine the push can take seconds to begin.
    await page.waitForFunction(() => window.fallbackCodes.includes(1002), null, { timeout: 20000 })
      .catch(async (e) => { throw new Error(`no 1002: codes ${JSON.stringify(await page.evaluate(() => window.fallbackCodes))}: ${e.message}`); });
    await sleep(1000);
    const file = path.join(dir, `${name}.flv`);
    await recordLive(env.nginx.url(name), file, { seconds: 4 }).done;
    await page.evaluate(() => window.fallbackContext.stop());
    await page.close();
    const media = await analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height });
    const seq = sequenceReport(media.video.frames, env.cam.frames);
    console.log(`fallback: ${media.video.frames.length} frames, ${media.video.fps} fps, ${JSON.stringify({ read: seq.read, maxGap: seq.maxGap, backwards: seq.backwards.length })}`);
    assert.ok(media.video.frames.length >= 4 * 15, `at least 15 fps through the fallback (${media.video.frames.length} in 4 s)`);
    assert.ok(seq.read >= media.video.frames.length * 0.95);
    assert.deepEqual(seq.backwards, []);
  });

  test('enable-camera=false: audio only', async () => {
    const media = await pushAndPull('audio-only', { 'enable-camera': 'false' });
    assert.equal(media.video, undefined, 'no video stream');
    assert.equal(media.audio.codec, 'aac');
    assert.ok(Math.abs(media.audio.frequency - 1000) < 10, `tone ${media.audio.frequency} Hz`);
  });

  test('audio-quality=high: AAC stereo at about 128 kbit/s', async () => {
    const media = await pushAndPull('hifi', { 'audio-quality': 'high' });
    assert.equal(media.audio.channels, 2);
    assert.ok(media.audio.kbps > 100 && media.audio.kbps < 150, `audio ${media.audio.kbps} kbit/s`);
    assert.ok(Math.abs(media.audio.frequency - 1000) < 10, `tone ${media.audio.frequency} Hz`);
  });

  test('orientation=horizontal, aspect=3:4: 4:3 pictures', async () => {
    const media = await pushAndPull('landscape', { orientation: 'horizontal', aspect: '3:4', mode: 'SD', 'min-bitrate': 500, 'max-bitrate': 500 });
    assert.deepEqual(media.video.sizes.map((s) => s.size), ['480x360']);
    const seq = sequenceReport(media.video.frames, env.cam.frames);
    assert.ok(seq.read >= media.video.frames.length * 0.95, `the barcode reads through the 4:3 crop: ${seq.read}/${media.video.frames.length}`);
  });
});
