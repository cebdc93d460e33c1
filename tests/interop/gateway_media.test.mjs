// livewasm-gateway carrying media both ways between the `ws` client (the browser's stand-in) and a real
// nginx-rtmp on loopback, judged by independent peers: ffmpeg (publisher, recorder) and ffprobe.
// Also: ping/pong and acks, push back-pressure (a stalled uplink), the url's own query reaching the server,
// TLS, and the SIGTERM drain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNginxRtmp } from './lib/nginx.mjs';
import { makeFlv, probe, run, sleep } from './lib/tools.mjs';
import {
  startGateway, openStream, pushFlv, flvTags, publishLive, waitPublished, assertClose, until, within, startStallableProxy,
} from './lib/gateway.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-gateway-media-'));
const SECONDS = 4;
const RATE = 25;
let nginx;
let gw;
let flvFile;
let flv;
const cleanup = [];

before(async () => {
  nginx = await startNginxRtmp();
  gw = await startGateway({ upstreams: [`127.0.0.1:${nginx.port}`] });
  flvFile = await makeFlv(path.join(tmp, 'in.flv'), { seconds: SECONDS, rate: RATE });
  flv = readFileSync(flvFile);
});

after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  try {
    const r = await gw?.stop();
    assert.equal(r?.code, 0, `gateway exit ${JSON.stringify(r)}`);
  } finally {
    await nginx?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('push: an ffmpeg-made FLV through /push reaches nginx whole (ffprobe live, recorder frame count), codes 1001 then 1002', async () => {
  const url = nginx.url('push1');
  const rec = path.join(tmp, 'push1-recorded.flv');
  // The independent player starts first: nginx answers Play.Start and waits for the publisher.
  const recorder = run('ffmpeg', ['-v', 'error', '-y', '-rw_timeout', '2000000', '-i', url, '-c', 'copy', '-f', 'flv', rec],
    { timeoutMs: 30000 });
  await sleep(500);
  const c = openStream(gw, 'push', url);
  cleanup.push(() => c.terminate());
  await c.waitOpen();
  const pushing = pushFlv(c, flv, { realtime: true });
  await c.waitStatus(1002, 5000);
  const live = probe(url, { timeoutMs: 15000 });
  const pushed = await pushing;
  assert.equal(pushed.bytes, flv.length);
  assert.ok(pushed.ms > (SECONDS - 1) * 1000, `paced in real time (${Math.round(pushed.ms)} ms)`);
  // Everything the client sent was received and written to the server before the client leaves.
  const last = await c.waitFor(() => c.messages('ack').find((a) => a.received === flv.length && a.queued === 0),
    { timeoutMs: 5000, what: 'an ack with everything received and nothing queued' });
  assert.ok(last.sent > 0.9 * flv.length, `sent ${last.sent} RTMP bytes for ${flv.length} FLV bytes`);
  const closed = await c.close(1000, 'done');
  assert.equal(closed.code, 1000);
  assert.deepEqual(c.statuses(), [1001, 1002], 'push codes in order');
  assert.match(c.messages('status')[0].name ?? '', /\S/, 'a status carries a name');

  const streams = await live;
  assert.deepEqual(streams.map((s) => s.codec_name).sort(), ['aac', 'h264'], 'ffprobe on nginx sees both codecs');
  const lv = streams.find((s) => s.codec_type === 'video');
  assert.equal(lv.width, 320);
  assert.equal(lv.height, 240);

  const r = await recorder;
  assert.equal(r.code, 0, r.stderr);
  const rs = await probe(rec, { countPackets: true });
  const v = rs.find((s) => s.codec_type === 'video');
  const a = rs.find((s) => s.codec_type === 'audio');
  assert.equal(v?.codec_name, 'h264');
  assert.equal(v.width, 320);
  assert.equal(v.height, 240);
  assert.equal(Number(v.nb_read_packets), SECONDS * RATE, 'every video frame reached the independent recorder');
  assert.equal(a?.codec_name, 'aac');
  assert.equal(Number(a.sample_rate), 44100);
  const sentAudio = flvTags(flv).tags.filter((t) => t.type === 'audio' && !t.seq).length;
  assert.equal(Number(a.nb_read_packets), sentAudio, 'every audio frame reached the independent recorder');
  // nginx no longer lists the stream: it was unpublished, not cut.
  await until(async () => !(await nginx.stat()).includes('<name>push1</name>'), { timeoutMs: 5000, what: 'push1 gone from nginx' });
  const open = gw.events('open').find((l) => l.url === url);
  assert.ok(open, 'an open log line with the url');
  const closeLog = await gw.waitLog('close', { conn: open.conn });
  assert.equal(closeLog.code, 1000);
  assert.equal(closeLog.client_in, flv.length, 'the gateway logged every byte the client sent');
});

test('play: a stream ffmpeg publishes arrives through /play as FLV that ffprobe accepts, continuous, codes 2001 then 2002, 2006 at its end', async () => {
  const url = nginx.url('play1');
  const pub = publishLive(url, { size: '640x360', rate: 30, gop: 30, preset: 'veryfast' });
  cleanup.push(() => pub.stop());
  await waitPublished(nginx, 'play1');
  const c = openStream(gw, 'play', url, { keepBytes: true });
  cleanup.push(() => c.terminate());
  await c.waitStatus(2002, 5000);
  await c.waitFor(() => c.flv.media('video').length >= 1, { timeoutMs: 5000, what: 'first video' });
  const t0 = c.flv.media('video')[0].at;
  await c.waitFor(() => c.flv.media('video').at(-1).at - t0 >= 4000, { timeoutMs: 10000, what: '4 s of video' });
  assert.deepEqual(c.statuses(), [2001, 2002], 'play codes in order');
  // What a player needs comes first: the FLV header, onMetaData, the sequence headers, then media.
  assert.deepEqual(c.flv.header, { audio: true, video: true });
  assert.deepEqual(c.flv.errors, []);
  // Per track: the sequence header before its first frame (nginx may send audio before video starts).
  for (const type of ['video', 'audio']) {
    const first = c.flv.tags.findIndex((t) => t.type === type && !t.seq);
    const head = c.flv.tags.slice(0, first);
    assert.ok(first > 0 && head.some((t) => t.type === type && t.seq), `${type} sequence header before ${type} media`);
    assert.ok(head.some((t) => t.type === 'script' && t.name === 'onMetaData'), `onMetaData before ${type} media`);
  }

  // The publisher leaves: 2006, and the connection stays open.
  await pub.stop();
  await c.waitStatus(2006, 5000);
  await sleep(300);
  assert.ok(c.open, 'the player stays connected after 2006');
  const closed = await c.close(1000, 'done');
  assert.equal(closed.code, 1000);

  const out = path.join(tmp, 'play1.flv');
  writeFileSync(out, c.bytes());
  const streams = await probe(out, { countPackets: true });
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  assert.equal(v?.codec_name, 'h264');
  assert.equal(v.width, 640);
  assert.equal(v.height, 360);
  assert.ok(Number(v.nb_read_packets) >= 4 * 30 * 0.9, `video packets: ${v.nb_read_packets}`);
  assert.equal(a?.codec_name, 'aac');
  assert.equal(Number(a.sample_rate), 44100);
  // ffprobe's view of the timestamps: video dts strictly increasing, no gap over 200 ms.
  const r = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=dts_time,flags',
    '-of', 'csv=p=0', out]);
  assert.equal(r.code, 0, r.stderr);
  const dts = r.stdout.trim().split('\n').map((l) => Number(l.split(',')[0]));
  assert.ok(dts.length >= 100, `${dts.length} video packets`);
  for (let i = 1; i < dts.length; i++) {
    const d = dts[i] - dts[i - 1];
    assert.ok(d > 0 && d <= 0.2, `video dts continuous at packet ${i}: ${dts[i - 1]} -> ${dts[i]}`);
  }
  assert.ok(dts.at(-1) - dts[0] >= 3.9, `${dts.at(-1) - dts[0]} s of video`);
});

test('ping answered by pong with the same id (push and play); acks on push grow to everything sent', async () => {
  const url = nginx.url('ack1');
  const c = openStream(gw, 'push', url);
  cleanup.push(() => c.terminate());
  await c.waitOpen();
  const p1 = await c.ping(42);
  assert.equal(p1.id, 42);
  assert.equal(typeof p1.queued, 'number');
  const p2 = await c.ping('abc-1');
  assert.equal(p2.id, 'abc-1');
  await c.waitStatus(1002, 5000);
  // Twice as fast as real time: long enough for several ack periods (250 ms).
  const pushed = await pushFlv(c, flv, { realtime: true, speed: 2 });
  const last = await c.waitFor(() => c.messages('ack').find((a) => a.received === flv.length && a.queued === 0),
    { timeoutMs: 5000, what: 'final ack' });
  const acks = c.messages('ack');
  assert.ok(acks.length >= 4, `${acks.length} acks over ${Math.round(pushed.ms)} ms`);
  for (const a of acks) {
    for (const f of ['received', 'sent', 'queued', 'acked']) assert.equal(typeof a[f], 'number', `ack.${f}: ${JSON.stringify(a)}`);
    assert.equal(typeof a.paused, 'boolean');
  }
  for (let i = 1; i < acks.length; i++) {
    assert.ok(acks[i].received >= acks[i - 1].received, 'received never shrinks');
    assert.ok(acks[i].sent >= acks[i - 1].sent, 'sent never shrinks');
  }
  assert.ok(acks.filter((a, i) => i > 0 && a.received > acks[i - 1].received).length >= 3, 'received grows over the push');
  assert.ok(acks.filter((a, i) => i > 0 && a.sent > acks[i - 1].sent).length >= 3, 'sent grows over the push');
  assert.ok(last.sent > 0.9 * flv.length);
  assert.equal(last.paused, false);
  await c.close();

  // The same on /play.
  const p = openStream(gw, 'play', url);
  cleanup.push(() => p.terminate());
  await p.waitStatus(2002, 5000);
  const pp = await p.ping(7);
  assert.equal(pp.id, 7);
  assert.equal(typeof pp.queued, 'number');
  assert.deepEqual(p.messages('ack'), [], 'no acks on play');
  await p.close();
});

test('push back-pressure: a stalled uplink pauses reading at --max-buffered-bytes (acks say so), then everything arrives', async () => {
  // About 9 MB (noise does not compress): more than the kernel's socket buffers hold.
  const heavyFile = path.join(tmp, 'heavy.flv');
  const mk = await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi',
    '-i', 'sine=sample_rate=44100', '-vf', 'noise=alls=60:allf=t', '-t', '8', '-c:v', 'libx264', '-preset', 'ultrafast',
    '-g', '25', '-bf', '0', '-threads', '1', '-c:a', 'aac', '-f', 'flv', heavyFile]);
  assert.equal(mk.code, 0, mk.stderr);
  const heavy = readFileSync(heavyFile);
  const proxy = await startStallableProxy(nginx.port);
  cleanup.push(() => proxy.close());
  const maxBuffered = 262144;
  const slow = 65536;
  const bgw = await startGateway({ upstreams: [`127.0.0.1:${proxy.port}`],
    args: ['--max-buffered-bytes', String(maxBuffered), '--push-slow-bytes', String(slow)] });
  cleanup.push(() => bgw.stop({ signal: 'SIGKILL' }));
  const c = openStream(bgw, 'push', `rtmp://127.0.0.1:${proxy.port}/live/bp`);
  cleanup.push(() => c.terminate());
  await c.waitOpen();
  await c.send(heavy.subarray(0, 13));
  await c.waitStatus(1002, 5000);
  proxy.stall();  // the RTMP server stops reading
  const pushing = pushFlv(c, heavy.subarray(13), { realtime: false, highWaterBytes: 1 << 20 });
  const paused = await c.waitFor(() => c.messages('ack').find((a) => a.paused), { timeoutMs: 15000, what: 'an ack with paused: true' });
  assert.ok(paused.queued > maxBuffered, `paused with ${paused.queued} queued`);
  // The crossing of --push-slow-bytes was reported (at once, not only on the period).
  assert.ok(c.messages('ack').some((a) => a.queued > slow), 'an ack reported the queue past --push-slow-bytes');
  await sleep(700);
  // While paused the gateway reads nothing more and its queue stays bounded.
  const during = c.messages('ack').filter((a) => a._at >= paused._at);
  for (const a of during) {
    assert.ok(a.queued <= maxBuffered + (128 << 10), `queue bounded while paused: ${a.queued}`);
    assert.equal(a.received, paused.received, 'nothing read while paused');
  }
  assert.ok(paused.received < heavy.length, 'paused before the end of the data');
  proxy.resume();
  await pushing;
  const last = await c.waitFor(() => c.messages('ack').find((a) => a.received === heavy.length && a.queued === 0),
    { timeoutMs: 15000, what: 'final ack after the uplink resumed' });
  assert.equal(last.paused, false);
  assert.ok(last.sent >= 0.98 * heavy.length, `sent ${last.sent} of ${heavy.length}`);
  const stat = await waitPublished(nginx, 'bp');
  const bytesIn = Number(/<bytes_in>(\d+)<\/bytes_in>/.exec(stat)?.[1]);
  assert.ok(bytesIn >= 0.98 * heavy.length, `nginx received ${bytesIn} bytes of ${heavy.length}`);
  assert.deepEqual(c.statuses(), [1001, 1002]);
  assert.equal((await c.close()).code, 1000);
  assert.equal((await bgw.stop()).code, 0);
});

test('the url\'s own query (txSecret, txTime) reaches nginx untouched; the stream is named without it', async () => {
  const query = 'txSecret=abc&txTime=5f00';
  const url = `${nginx.url('q1')}?${query}`;
  const c = openStream(gw, 'push', url);
  cleanup.push(() => c.terminate());
  await c.waitOpen();
  const pushing = pushFlv(c, flv, { realtime: true });
  await c.waitStatus(1002, 5000);
  const stat = (await waitPublished(nginx, 'q1'));
  assert.match(stat, /<name>q1<\/name>/, 'nginx split the name from the query');
  const all = await nginx.stat();
  assert.doesNotMatch(all, /<name>q1\?/);
  // Someone can play it by the bare name.
  const streams = await probe(nginx.url('q1'), { timeoutMs: 15000 });
  assert.deepEqual(streams.map((s) => s.codec_name).sort(), ['aac', 'h264']);
  await pushing;
  await c.close();
  // The gateway's log shows the full url, query intact.
  const open = gw.events('open').find((l) => l.endpoint === 'push' && String(l.url).includes('/q1'));
  assert.ok(open, 'an open log line for q1');
  assert.equal(open.url, url);
  // nginx itself logs the publish with its args.
  const log = nginx.errorLog();
  assert.match(log, new RegExp(`publish: name='q1' args='${query}'`), 'nginx received the query as the publish args');
});

test('TLS: wss:// with a self-signed certificate plays (2001, 2002, media); /healthz over https', async () => {
  const dir = path.join(tmp, 'tls');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await run('mkdir', ['-p', dir]);
  const r = await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', key, '-out', cert]);
  assert.equal(r.code, 0, r.stderr);
  const tgw = await startGateway({ upstreams: [`127.0.0.1:${nginx.port}`], tls: { cert, key } });
  cleanup.push(() => tgw.stop({ signal: 'SIGKILL' }));
  assert.equal(tgw.logs.find((l) => l.event === 'listening').tls, true);
  const url = nginx.url('tls1');
  const pub = publishLive(url);
  cleanup.push(() => pub.stop());
  await waitPublished(nginx, 'tls1');
  const h = await tgw.get('/healthz');
  assert.equal(h.status, 200);
  const c = openStream(tgw, 'play', url);
  cleanup.push(() => c.terminate());
  await c.waitStatus(2002, 5000);
  await c.waitFor(() => c.flv.media('video').length >= 25 && c.flv.media('audio').length >= 25,
    { timeoutMs: 10000, what: 'media over wss' });
  assert.deepEqual(c.statuses(), [2001, 2002]);
  assert.deepEqual(c.flv.errors, []);
  await c.close();
  await pub.stop();
  const ex = await tgw.stop();
  assert.equal(ex.code, 0);
});

test('SIGTERM drains: /healthz 200 before, the player gets 1001, the pusher is unpublished cleanly, exit 0', async () => {
  const dgw = await startGateway({ upstreams: [`127.0.0.1:${nginx.port}`], drainTimeoutMs: 5000 });
  cleanup.push(() => dgw.stop({ signal: 'SIGKILL' }));
  const h = await dgw.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.body.trim(), 'ok');
  const pubUrl = nginx.url('drain-pub');
  const pusher = openStream(dgw, 'push', pubUrl);
  cleanup.push(() => pusher.terminate());
  await pusher.waitOpen();
  const pushing = pushFlv(pusher, flv, { realtime: true }).catch((e) => e);
  await pusher.waitStatus(1002, 5000);
  const player = openStream(dgw, 'play', pubUrl);
  cleanup.push(() => player.terminate());
  await player.waitStatus(2002, 5000);
  await player.waitFor(() => player.flv.media('video').length >= 10, { timeoutMs: 5000, what: 'media before the drain' });
  await waitPublished(nginx, 'drain-pub');

  const t = Date.now();
  dgw.signal('SIGTERM');
  const [pc, uc] = await Promise.all([player.waitClose(5000), pusher.waitClose(5000)]);
  assertClose(pc, 1001, null, 'player');
  assertClose(uc, 1001, null, 'pusher');
  const ex = await within(dgw.exited, 8000, 'gateway exit after SIGTERM');
  assert.equal(ex.code, 0, `exit ${JSON.stringify(ex)}`);
  assert.ok(Date.now() - t < 5000, `drained in ${Date.now() - t} ms, before the drain timeout`);
  await pushing;
  const events = dgw.logs.map((l) => l.event);
  assert.ok(events.indexOf('draining') >= 0 && events.indexOf('stopped') > events.indexOf('draining'),
    `draining then stopped: ${events}`);
  assert.equal(dgw.events('drain-timeout').length, 0, 'ended before the drain timeout');
  // The pusher's stream was unpublished (nginx drops it), not left dangling.
  await until(async () => !(await nginx.stat()).includes('<name>drain-pub</name>'), { timeoutMs: 5000, what: 'drain-pub unpublished' });
  assert.deepEqual(dgw.sanitizerReport(), []);
});

test('/healthz turns 503 "draining" after SIGTERM while streams drain (PROTOCOL.md)', async () => {
  const dgw = await startGateway({ upstreams: [`127.0.0.1:${nginx.port}`], drainTimeoutMs: 3000 });
  cleanup.push(() => dgw.stop({ signal: 'SIGKILL' }));
  const url = nginx.url('drain-h');
  const pub = publishLive(url);
  cleanup.push(() => pub.stop());
  await waitPublished(nginx, 'drain-h');
  // A player that reads nothing keeps the drain going (its close cannot complete), so there is a
  // window in which a health check can be asked.
  const player = openStream(dgw, 'play', url);
  cleanup.push(() => player.terminate());
  await player.waitStatus(2002, 5000);
  player.ws._socket.pause();
  await sleep(300);
  dgw.signal('SIGTERM');
  await dgw.waitLog('draining', {}, 3000);
  const h = await dgw.get('/healthz').catch((e) => ({ error: e.code ?? e.message }));
  player.ws._socket.resume();
  await within(dgw.exited, 8000, 'gateway exit');
  assert.equal(h.status, 503, `GET /healthz while draining: ${JSON.stringify(h)}`);
  assert.equal(h.body.trim(), 'draining');
});
