// A reconnect that succeeds: nginx is killed mid-push and a new one starts on the same port at once.
// The pusher reports the break (3005, 1102), reconnects (1001, 1002 again), and the new connection
// carries the same stream: ffmpeg pulls it from the new server and finds a key frame first, the camera's
// frame numbers advancing in order, and no error code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';
import { startNginxRtmp } from '../interop/lib/nginx.mjs';
import { analyzeMedia, recordLive, sequenceReport } from './lib/stream_reader.mjs';

let env;
let dir;
let second;
before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'lw-reconnect-'));
  env = await startPushEnv();
});
after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await second?.stop({ kill: true }).catch(() => {});
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the server comes back: 3005, 1102, then 1001 and 1002 again, and the stream goes on', async () => {
  const p = await env.addPusher({ url: env.nginx.url('again'), mode: 'RTC', 'min-bitrate': 300, 'max-bitrate': 600 });
  await p.waitCode(1002);
  await sleep(2000);
  const port = env.nginx.port;
  await env.nginx.stop({ kill: true });
  second = await startNginxRtmp({ port });
  // Wait for the second 1002 (the first was the original push).
  const deadline = Date.now() + 15000;
  for (;;) {
    const codes = await p.codes();
    if (codes.filter((c) => c === 1002).length >= 2) break;
    if (Date.now() > deadline) throw new Error(`no second 1002: ${codes}`);
    await sleep(200);
  }
  const codes = await p.codes();
  console.log(`codes: ${codes}`);
  const broke = codes.indexOf(1102);
  assert.ok(broke > 0, '1102 after the break');
  assert.ok(codes.slice(0, broke).includes(3005), '3005 before 1102');
  assert.deepEqual(codes.slice(codes.lastIndexOf(1001)), [1001, 1002], 'connected and publishing again');
  assert.ok(!codes.some((c) => c < 0), 'no error code');

  await sleep(1000);
  const file = path.join(dir, 'again.flv');
  await recordLive(second.url('again'), file, { seconds: 4 }).done;
  await p.remove();
  const media = await analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height });
  const seq = sequenceReport(media.video.frames, env.cam.frames);
  console.log(`after the reconnect: ${media.video.frames.length} frames, ${JSON.stringify({ read: seq.read, maxGap: seq.maxGap, backwards: seq.backwards.length })}`);
  assert.ok(media.video.frames.length >= 4 * 20, 'the stream goes on at the camera rate');
  assert.ok(seq.read >= media.video.frames.length * 0.95);
  assert.deepEqual(seq.backwards, []);
  assert.ok(media.video.keyframes.length > 0 && media.video.keyframes[0] <= media.video.frames[0].pts + 0.001, 'a key frame first');
});
