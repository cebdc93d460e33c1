// Rate adaptation against a throttled uplink: a token-bucket TCP proxy (lib/throttle_proxy.mjs) sits
// between the browser and the gateway, so the slowdown reaches the pusher the way a slow uplink does
// (the WebSocket's bufferedAmount grows, the gateway's acks fall behind what was sent). One RTC push,
// 200-1200 kbit/s, through four phases:
//   1. unthrottled: the target stays high (>= 700, where RTC starts);
//   2. 400 kbit/s: within STEP_DOWN_MS the encoder's target is under the link (<= 400 - audio), the picture
//      steps down the ladder with it (below the 540 rung), and the backlog drains (< 1 s by the end);
//   3. 120 kbit/s, below min-bitrate + audio: 1101 once (not once per update), frames are dropped;
//   4. unthrottled again: the target probes back up to >= 900 within RECOVER_MS, without another 1101.
// Meanwhile ffmpeg records the stream from nginx: the frame numbers it carries never go backwards
// (drops leave gaps, never reorder) and ffprobe reads the size changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';
import { startThrottleProxy } from './lib/throttle_proxy.mjs';
import { analyzeMedia, recordLive, sequenceReport } from './lib/stream_reader.mjs';

const MIN = 200;
const MAX = 1200;
const AUDIO = 48;
const STEP_DOWN_MS = 5000;
const RECOVER_MS = 25000;

let env;
let dir;
before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'lw-adapt-'));
  env = await startPushEnv({ camera: { noise: 8 }, uplink: (port) => startThrottleProxy(port) });
});
after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lastStatus = async (p) => (await p.events('netstatus')).at(-1)?.detail.info;

async function waitStatus(p, pred, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await lastStatus(p);
    if (info && pred(info)) return info;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last netstatus ${JSON.stringify(info)}`);
    await sleep(200);
  }
}

describe('rate adaptation on a throttled uplink (RTC, 200-1200 kbit/s)', () => {
  test('steps down with the link, raises 1101 once below min, drops frames, probes back up', async () => {
    const p = await env.addPusher({ url: env.nginx.url('adapt'), mode: 'RTC', 'min-bitrate': MIN, 'max-bitrate': MAX });
    await p.waitCode(1002);
    const rec = recordLive(env.nginx.url('adapt'), path.join(dir, 'adapt.flv'), { seconds: 40 });

    // 1. unthrottled
    await sleep(4000);
    const free = await lastStatus(p);
    assert.ok(free.targetBitrate >= 700, `unthrottled target ${free.targetBitrate}`);

    // 2. 400 kbit/s
    env.uplink.setRate('up', 400);
    const slowStart = Date.now();
    const stepped = await waitStatus(p, (i) => i.targetBitrate <= 400 - AUDIO, STEP_DOWN_MS, 'step down under 400 kbit/s');
    console.log(`stepped down after ${Date.now() - slowStart} ms: ${JSON.stringify(stepped)}`);
    await sleep(6000);
    const settled = await lastStatus(p);
    assert.ok(Math.min(settled.videoWidth, settled.videoHeight) < 540, `picture stepped down the ladder: ${JSON.stringify(settled)}`);
    assert.ok(settled.backlogMs < 1000, `backlog drained: ${JSON.stringify(settled)}`);
    assert.ok(!(await p.codes()).includes(1101), 'no 1101 while the link carries min-bitrate');

    // 3. 120 kbit/s: below min-bitrate plus audio
    const droppedBefore = settled.droppedFrames;
    env.uplink.setRate('up', 120);
    await p.waitCode(1101, { timeoutMs: 8000 });
    await sleep(3000);
    const starved = await lastStatus(p);
    assert.equal(starved.targetBitrate, MIN, 'at min-bitrate');
    assert.ok(starved.droppedFrames > droppedBefore, `frames dropped: ${droppedBefore} -> ${starved.droppedFrames}`);
    assert.equal((await p.codes()).filter((c) => c === 1101).length, 1, '1101 once per episode');

    // 4. recovered
    env.uplink.setRate('up', null);
    const recoverStart = Date.now();
    const recovered = await waitStatus(p, (i) => i.targetBitrate >= 900, RECOVER_MS, 'probe back up to 900');
    console.log(`recovered after ${Date.now() - recoverStart} ms: ${JSON.stringify(recovered)}`);
    assert.equal((await p.codes()).filter((c) => c === 1101).length, 1, 'no 1101 while recovering');
    const codes = await p.codes();
    assert.ok(!codes.some((c) => c < 0 || c === 1102), `no error and no reconnect: ${codes}`);

    await rec.done.catch(() => {});
    await p.remove();
    const media = await analyzeMedia(path.join(dir, 'adapt.flv'), { srcWidth: env.cam.width, srcHeight: env.cam.height });
    const seq = sequenceReport(media.video.frames, env.cam.frames);
    console.log(`recorded: sizes ${JSON.stringify(media.video.sizes)}; ${JSON.stringify({ read: seq.read, unreadable: seq.unreadable, maxGap: seq.maxGap, backwards: seq.backwards.length })}`);
    assert.ok(media.video.sizes.length >= 2, 'the recorded stream changes size with the ladder');
    assert.deepEqual(seq.backwards, [], "frame numbers never go backwards");
  });
});
