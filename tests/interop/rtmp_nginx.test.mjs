// The core's RTMP client session (through the native driver lw-rtmp-tool) against a real nginx-rtmp
// on loopback, judged by independent peers: Debian's ffmpeg as player/recorder and ffprobe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startNginxRtmp, freePort } from './lib/nginx.mjs';
import { RTMP_TOOL, makeFlv, probe, rtmpTool, run, sleep, tagsByType } from './lib/tools.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-rtmp-interop-'));
const SECONDS = 4;
const RATE = 25;
let nginx;
let flv;
let sent;  // the tags of `flv` as the publisher sends them

before(async () => {
  assert.ok(existsSync(RTMP_TOOL), `${RTMP_TOOL} missing: run scripts/build.sh native`);
  nginx = await startNginxRtmp();
  flv = await makeFlv(path.join(tmp, 'in.flv'), { seconds: SECONDS, rate: RATE });
});

after(async () => {
  await nginx?.stop();
});

test('publish: ffmpeg, playing from nginx, records what our session published and ffprobe accepts it', async () => {
  const url = nginx.url('pub1');
  const rec = path.join(tmp, 'pub1-recorded.flv');
  // An independent player starts first (nginx answers Play.Start and waits for the publisher).
  const recorder = run('ffmpeg', ['-v', 'error', '-y', '-rw_timeout', '3000000', '-i', url, '-c', 'copy', '-f', 'flv', rec],
    { timeoutMs: 30000 });
  await sleep(500);
  const pub = await rtmpTool(['publish', url, flv, '--realtime', '--tags-out', path.join(tmp, 'pub1.txt')]);
  assert.equal(pub.code, 0, pub.stdout + pub.stderr);
  assert.deepEqual(pub.events.map((e) => e.state_code), [1001, 1002], 'push codes in order');
  await recorder;
  const streams = await probe(rec, { countPackets: true });
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  assert.equal(v?.codec_name, 'h264');
  assert.equal(v.width, 320);
  assert.equal(v.height, 240);
  assert.equal(Number(v.nb_read_packets), SECONDS * RATE, 'every video frame reached the independent player');
  assert.equal(a?.codec_name, 'aac');
  assert.equal(Number(a.sample_rate), 44100);
});

test('publish: ffprobe sees the live stream on nginx while we publish', async () => {
  const url = nginx.url('pub2');
  const pub = rtmpTool(['publish', url, flv, '--realtime']);
  await sleep(800);
  const streams = await probe(url);
  const pubResult = await pub;
  assert.equal(pubResult.code, 0, pubResult.stdout);
  assert.deepEqual(streams.map((s) => s.codec_name).sort(), ['aac', 'h264']);
  assert.equal(streams.find((s) => s.codec_type === 'video').width, 320);
});

test('play: a second session receives exactly the tags the first one published', async () => {
  const url = nginx.url('loop1');
  const played = path.join(tmp, 'loop1-played.txt');
  const out = path.join(tmp, 'loop1.flv');
  const player = rtmpTool(['play', url, out, '--duration-ms', String(SECONDS * 1000 + 6000), '--tags-out', played]);
  await sleep(500);
  const pubTags = path.join(tmp, 'loop1-sent.txt');
  const pub = await rtmpTool(['publish', url, flv, '--realtime', '--tags-out', pubTags]);
  assert.equal(pub.code, 0, pub.stdout);
  const play = await player;
  assert.equal(play.code, 0, play.stdout + play.stderr);
  const codes = play.events.map((e) => e.state_code);
  assert.deepEqual(codes.slice(0, 2), [2001, 2002], 'play codes in order');
  assert.ok(codes.includes(2006), `the end of the publisher is reported as 2006: ${codes}`);
  const a = tagsByType(readFileSync(pubTags, 'utf8'));
  const b = tagsByType(readFileSync(played, 'utf8'));
  for (const type of ['video', 'audio']) {
    assert.ok(a[type].length > 0);
    assert.equal(b[type].length, a[type].length, `${type} tag count`);
    assert.deepEqual(b[type].map((t) => t.hash), a[type].map((t) => t.hash), `${type} bodies are byte-identical`);
    const offset = b[type][0].ts - a[type][0].ts;
    assert.deepEqual(b[type].map((t) => t.ts - offset), a[type].map((t) => t.ts), `${type} timestamps keep their spacing`);
  }
  // What the player wrote with the core's FLV muxer is a file ffprobe accepts.
  const streams = await probe(out, { countPackets: true });
  assert.equal(Number(streams.find((s) => s.codec_type === 'video').nb_read_packets), SECONDS * RATE);
});

test('a query string (txSecret/txTime) passes through and the stream is named without it', async () => {
  const url = nginx.url('q1') + '?txSecret=abc123&txTime=5F000000';
  const pub = rtmpTool(['publish', url, flv, '--realtime']);
  await sleep(1000);
  const stat = await nginx.stat();
  const r = await pub;
  assert.equal(r.code, 0, r.stdout);
  assert.match(stat, /<name>q1<\/name>/, 'nginx split the name from the query');
  assert.doesNotMatch(stat, /<name>q1\?/);
});

test('a second publisher on a name in use gets 3004 at once, the first goes on', async () => {
  const url = nginx.url('dup1');
  const first = rtmpTool(['publish', url, flv, '--realtime']);
  await sleep(800);
  const second = await rtmpTool(['publish', url, flv, '--realtime'], { timeoutMs: 15000 });
  assert.equal(second.code, 2, second.stdout);
  assert.equal(second.result.state_code, 3004, second.stdout);
  assert.match(second.result.reason, /BadName|Already publishing/i);
  assert.ok(second.ms < SECONDS * 1000, `refused quickly (${second.ms} ms), not at the end of the first stream`);
  const r1 = await first;
  assert.equal(r1.code, 0, r1.stdout);
});

test('a port that speaks HTTP, not RTMP, is a handshake failure (3003), quickly', async () => {
  const server = http.createServer((req, res) => res.end('not rtmp'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  try {
    const r = await rtmpTool(['publish', `rtmp://127.0.0.1:${port}/live/x`, flv, '--timeout-ms', '5000'], { timeoutMs: 20000 });
    assert.equal(r.code, 2, r.stdout);
    assert.equal(r.result.state_code, 3003, r.stdout);
  } finally {
    server.close();
  }
});

test('a closed port is a connection failure (3002)', async () => {
  const port = await freePort();
  const r = await rtmpTool(['play', `rtmp://127.0.0.1:${port}/live/x`, path.join(tmp, 'none.flv')], { timeoutMs: 20000 });
  assert.equal(r.code, 2, r.stdout);
  assert.equal(r.result.state_code, 3002, r.stdout);
});

test('nginx killed mid-stream: the publisher reports the broken link (3005)', async () => {
  const own = await startNginxRtmp();
  try {
    const pub = rtmpTool(['publish', own.url('kill1'), flv, '--realtime'], { timeoutMs: 20000 });
    await sleep(1200);
    await own.stop({ kill: true });
    const r = await pub;
    assert.equal(r.code, 2, r.stdout);
    assert.deepEqual(r.events.map((e) => e.state_code).slice(0, 2), [1001, 1002]);
    assert.equal(r.result.state_code, 3005, r.stdout);
  } finally {
    await own.stop();
  }
});
