// Self-tests of the browser-test harness (tests/browser/lib): what the pusher's acceptance tests rely
// on must itself be shown to work, on this machine's Chromium, before it judges the product.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { run } from '../interop/lib/tools.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { startStaticServer } from './lib/static_server.mjs';
import { cameraFixture, toneFixture } from './lib/fixtures.mjs';
import { PAGE_SOURCE, encodeBits, readBarcode } from './lib/barcode.mjs';
import { measureTone, medianFrequency, readVideoFrames, readAudio, sequenceReport } from './lib/stream_reader.mjs';
import { startThrottleProxy } from './lib/throttle_proxy.mjs';
import { startNginxRtmp } from '../interop/lib/nginx.mjs';
import { spawnFfmpeg, waitPublished } from '../interop/lib/gateway.mjs';
import { analyzeMedia, recordLive } from './lib/stream_reader.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>harness</title><body>
<script>
${PAGE_SOURCE}
window.visibilityLog = [document.visibilityState];
document.addEventListener('visibilitychange', () => visibilityLog.push(document.visibilityState));
</script>`;

let cam;
let mic;
let srv;
let browser;
let page;

before(async () => {
  cam = await cameraFixture();
  mic = await toneFixture();
  srv = await startStaticServer({ pages: { '/harness.html': PAGE } });
  browser = await launchBrowser({ videoFile: cam.file, audioFile: mic.file });
  page = await browser.newPage();
  await page.goto(srv.url('/harness.html'));
});

after(async () => {
  if (browser) console.log(`browser log:\n${browser.logText()}`);
  await browser?.close();
  await srv?.close();
});

describe('fixtures', () => {
  test('every frame of the camera fixture carries its number, read back after ffmpeg decodes it', async () => {
    const v = await readVideoFrames(cam.file);
    assert.equal(v.width, 640);
    assert.equal(v.height, 360);
    assert.equal(v.frames.length, cam.frames);
    const wrong = v.frames.map((f, i) => ({ i, n: f.number })).filter((f) => f.n !== f.i);
    assert.deepEqual(wrong, [], 'frame i reads i');
  });

  test('the barcode survives the centred crops and scales the pusher makes (9:16 and 3:4, both orientations)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-crop-'));
    try {
      // [crop w:h of the 640x360 source, output size]
      const cases = [['202:360', '180x320'], ['202:360', '360x640'], ['270:360', '270x360'], ['480:360', '320x240'], ['640:360', '1280x720']];
      for (const [crop, size] of cases) {
        const out = path.join(dir, `${size}.mkv`);
        const [w, h] = size.split('x');
        const r = await run('ffmpeg', ['-v', 'error', '-y', '-i', cam.file, '-frames:v', '60', '-vf', `crop=${crop},scale=${w}:${h}`,
          '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', out]);
        assert.equal(r.code, 0, r.stderr);
        const v = await readVideoFrames(out, { srcWidth: 640, srcHeight: 360 });
        const seq = sequenceReport(v.frames, cam.frames);
        assert.equal(seq.unreadable, 0, `${crop} -> ${size}: every frame readable`);
        assert.deepEqual(seq.sequence, Array.from({ length: 60 }, (_, i) => i), `${crop} -> ${size}: numbers 0..59`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the reader rejects what is not a code (check nibble, contrast)', () => {
    const w = 64;
    const flat = new Uint8Array(w * w).fill(128);
    assert.equal(readBarcode(flat, { width: w, height: w }).number, null, 'flat grey');
    // Draw code 1234 with one data bit flipped: the check nibble no longer matches.
    const bits = encodeBits(1234);
    bits[3] ^= 1;
    const img = new Uint8Array(w * w).fill(128);
    for (let k = 0; k < 16; k++) {
      const x0 = 16 + (k % 4) * 8;
      const y0 = 16 + Math.floor(k / 4) * 8;
      for (let y = y0; y < y0 + 8; y++) for (let x = x0; x < x0 + 8; x++) img[y * w + x] = bits[k] ? 235 : 16;
    }
    assert.equal(readBarcode(img, { width: w, height: w }).number, null, 'one bit flipped');
    bits[3] ^= 1;
    for (let k = 0; k < 16; k++) {
      const x0 = 16 + (k % 4) * 8;
      const y0 = 16 + Math.floor(k / 4) * 8;
      for (let y = y0; y < y0 + 8; y++) for (let x = x0; x < x0 + 8; x++) img[y * w + x] = bits[k] ? 235 : 16;
    }
    assert.equal(readBarcode(img, { width: w, height: w }).number, 1234, 'the intact code');
  });

  test('the tone fixture holds its frequency', async () => {
    const a = await readAudio(mic.file, { expectHz: 1000 });
    assert.equal(a.sampleRate, 48000);
    assert.equal(a.channels, 1);
    assert.ok(Math.abs(a.frequency - 1000) < 1, `frequency ${a.frequency}`);
    assert.ok(Math.abs(a.rmsDb - -9.03) < 0.1, `a 0.5 peak sine is -9.03 dBFS RMS: ${a.rmsDb}`);
  });
});

describe('static server', () => {
  const get = (port, rawPath) => new Promise((resolve, reject) => {
    // A raw request: node's http client would normalise `..` away.
    const s = net.connect(port, '127.0.0.1', () => s.write(`GET ${rawPath} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('end', () => {
      const [head, ...body] = data.split('\r\n\r\n');
      const status = Number(head.split(' ')[1]);
      const headers = Object.fromEntries(head.split('\r\n').slice(1).map((l) => [l.split(':')[0].toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: body.join('\r\n\r\n') });
    });
    s.on('error', reject);
  });

  test('MIME types, no escape from the root, COOP/COEP when asked', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lw-static-'));
    const outside = mkdtempSync(path.join(os.tmpdir(), 'lw-outside-'));
    try {
      const files = { 'a.js': 'x', 'a.mjs': 'x', 'a.wasm': 'x', 'a.html': 'x', 'a.json': '{}', 'a.y4m': 'x', 'a.wav': 'x', 'a.png': 'x', 'a.jpg': 'x' };
      for (const [f, body] of Object.entries(files)) writeFileSync(path.join(root, f), body);
      writeFileSync(path.join(outside, 'secret.txt'), 'secret');
      symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
      const s = await startStaticServer({ root });
      const want = { js: 'text/javascript', mjs: 'text/javascript', wasm: 'application/wasm', html: 'text/html', json: 'application/json',
        y4m: 'video/x-yuv4mpeg', wav: 'audio/wav', png: 'image/png', jpg: 'image/jpeg' };
      for (const [ext, type] of Object.entries(want)) {
        const r = await get(s.port, `/a.${ext}`);
        assert.equal(r.status, 200, ext);
        assert.ok(r.headers['content-type'].startsWith(type), `${ext}: ${r.headers['content-type']}`);
        assert.equal(r.headers['cross-origin-opener-policy'], undefined);
      }
      const secretName = path.basename(outside);
      for (const p of ['/../' + secretName + '/secret.txt', '/%2e%2e/' + secretName + '/secret.txt', '/a/../../' + secretName + '/secret.txt', '/link.txt', '/..%2f' + secretName + '%2fsecret.txt']) {
        const r = await get(s.port, p);
        assert.ok(r.status === 403 || r.status === 404, `${p}: ${r.status}`);
        assert.ok(!r.body.includes('secret\n') && r.body !== 'secret', `${p} leaked the file`);
      }
      assert.equal((await get(s.port, '/missing.js')).status, 404);
      await s.close();
      const iso = await startStaticServer({ root, isolated: true });
      const r = await get(iso.port, '/a.html');
      assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
      assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
      await iso.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('compress: br or gzip as the request accepts (br first), identity otherwise; the browser gets the bytes', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lw-static-'));
    const raw = Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7) % 13 + (i % 100 === 0 ? 200 : 0)));
    const getBytes = (port, p, acceptEncoding) => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: p, headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
      }).on('error', reject);
    });
    try {
      writeFileSync(path.join(root, 'm.wasm'), raw);
      writeFileSync(path.join(root, 'p.png'), raw);
      writeFileSync(path.join(root, 't.html'), '<!doctype html><title>t</title>');
      const plain = await startStaticServer({ root });
      assert.equal((await getBytes(plain.port, '/m.wasm', 'gzip, br')).headers['content-encoding'], undefined, 'off by default');
      await plain.close();
      const s = await startStaticServer({ root, compress: true });
      const br = await getBytes(s.port, '/m.wasm', 'gzip, deflate, br');
      assert.equal(br.headers['content-encoding'], 'br');
      assert.ok(br.body.length < raw.length / 4, `br ${br.body.length} of ${raw.length}`);
      assert.ok(brotliDecompressSync(br.body).equals(raw));
      const gz = await getBytes(s.port, '/m.wasm', 'gzip, deflate');
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.ok(gunzipSync(gz.body).equals(raw));
      assert.equal((await getBytes(s.port, '/m.wasm', 'br;q=0, gzip')).headers['content-encoding'], 'gzip');
      const none = await getBytes(s.port, '/m.wasm', '');
      assert.equal(none.headers['content-encoding'], undefined);
      assert.ok(none.body.equals(raw));
      assert.equal((await getBytes(s.port, '/p.png', 'br')).headers['content-encoding'], undefined, 'images are sent as they are');
      assert.deepEqual(s.requests.slice(0, 2).map((r) => r.encoding), ['br', 'gzip']);
      await s.close();
      const g = await startStaticServer({ root, compress: ['gzip'] });
      assert.equal((await getBytes(g.port, '/m.wasm', 'br, gzip')).headers['content-encoding'], 'gzip');
      const p = await browser.newPage();
      try {
        await p.goto(g.url('/t.html'));
        const got = await p.evaluate(async () => Array.from(new Uint8Array(await (await fetch('/m.wasm')).arrayBuffer())).slice(0, 300));
        assert.deepEqual(got, Array.from(raw.subarray(0, 300)));
        assert.equal(g.requests.find((r) => r.path === '/m.wasm' && r.bytes < raw.length)?.encoding, 'gzip', 'the browser was sent gzip');
      } finally {
        await p.close();
        await g.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a page served with isolated: true is cross-origin isolated (SharedArrayBuffer exists)', async () => {
    const iso = await startStaticServer({ isolated: true, pages: { '/iso.html': '<!doctype html><title>iso</title>' } });
    const p = await browser.newPage();
    try {
      await p.goto(iso.url('/iso.html'));
      assert.deepEqual(await p.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer]), [true, 'function']);
      await p.goto(srv.url('/harness.html'));
      assert.deepEqual(await p.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer]), [false, 'undefined']);
    } finally {
      await p.close();
      await iso.close();
    }
  });
});

describe('fake devices in the page', () => {
  test('camera: MediaStreamTrackProcessor frames, copied to I420 within visibleRect, carry 0, 1, 2, ... in order', async () => {
    const r = await page.evaluate(async (count) => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      const track = stream.getVideoTracks()[0];
      const settings = track.getSettings();
      const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
      const frames = [];
      for (let i = 0; i < count; i++) {
        const { value: frame } = await reader.read();
        const rect = frame.visibleRect;
        // The frame's own format (I420 from the fake camera; Chromium refuses a conversion to a non-RGB
        // format): plane 0 is luma either way.
        const buf = new Uint8Array(frame.allocationSize({ rect }));
        const layout = await frame.copyTo(buf, { rect });
        const code = readBarcode(buf.subarray(layout[0].offset), { width: rect.width, height: rect.height, stride: layout[0].stride });
        frames.push({ number: code.number, ts: frame.timestamp, format: frame.format, coded: [frame.codedWidth, frame.codedHeight],
          rect: [rect.x, rect.y, rect.width, rect.height] });
        frame.close();
      }
      reader.cancel();
      track.stop();
      return { settings: { width: settings.width, height: settings.height, frameRate: settings.frameRate }, frames };
    }, 45);
    console.log(`camera: settings ${JSON.stringify(r.settings)}; first frame ${JSON.stringify(r.frames[0])}`);
    assert.deepEqual([r.settings.width, r.settings.height], [640, 360]);
    assert.ok(Math.abs(r.settings.frameRate - 30) < 1, `frame rate ${r.settings.frameRate}`);
    for (const f of r.frames) {
      assert.deepEqual(f.rect.slice(2), [640, 360], 'the visible size is the file\'s');
      assert.ok(['I420', 'I420A', 'NV12'].includes(f.format), `luma is plane 0: ${f.format}`);
    }
    const seq = sequenceReport(r.frames, cam.frames);
    assert.equal(seq.unreadable, 0, `every frame readable: ${JSON.stringify(r.frames.map((f) => f.number))}`);
    assert.deepEqual(seq.backwards, []);
    assert.ok(seq.first <= 5, `the file restarts at frame 0 on getUserMedia (first read ${seq.first})`);
    assert.ok(seq.maxGap <= 2, `consecutive numbers (largest gap ${seq.maxGap}): ${seq.sequence}`);
    // Media timestamps step at the file's rate.
    const steps = r.frames.slice(1).map((f, i) => f.ts - r.frames[i].ts);
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    assert.ok(Math.abs(mean - 33333) < 3000, `mean frame step ${mean} us`);
  });

  test('camera: each getUserMedia restarts the file at frame 0', async () => {
    const firsts = [];
    for (let i = 0; i < 2; i++) {
      firsts.push(await page.evaluate(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true });
        const track = stream.getVideoTracks()[0];
        const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
        const { value: frame } = await reader.read();
        const rect = frame.visibleRect;
        // The frame's own format (I420 from the fake camera; Chromium refuses a conversion to a non-RGB
        // format): plane 0 is luma either way.
        const buf = new Uint8Array(frame.allocationSize({ rect }));
        const layout = await frame.copyTo(buf, { rect });
        const n = readBarcode(buf.subarray(layout[0].offset), { width: rect.width, height: rect.height, stride: layout[0].stride }).number;
        frame.close();
        track.stop();
        return n;
      }));
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const n of firsts) assert.ok(n !== null && n <= 5, `first frame after getUserMedia is near 0: ${firsts}`);
  });

  test('microphone: the fake mic reaches an AudioWorklet at the tone\'s frequency', async () => {
    const worklet = `registerProcessor('tap', class extends AudioWorkletProcessor {
      process(inputs) { const ch = inputs[0][0]; if (ch) this.port.postMessage(ch.slice(0)); return true; } });`;
    for (const processing of [false, true]) {
      const r = await page.evaluate(async ({ worklet, processing }) => {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing } });
        const ctx = new AudioContext({ sampleRate: 48000 });
        await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([worklet], { type: 'text/javascript' })));
        const node = new AudioWorkletNode(ctx, 'tap');
        const chunks = [];
        node.port.onmessage = (e) => chunks.push(e.data);
        ctx.createMediaStreamSource(stream).connect(node);
        node.connect(ctx.destination);
        await new Promise((res) => setTimeout(res, 1500));
        const settings = stream.getAudioTracks()[0].getSettings();
        stream.getTracks().forEach((t) => t.stop());
        await ctx.close();
        const all = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
        let o = 0;
        for (const c of chunks) { all.set(c, o); o += c.length; }
        return { rate: ctx.sampleRate, settings: { sampleRate: settings.sampleRate, channelCount: settings.channelCount }, samples: Array.from(all.subarray(Math.min(all.length, 24000))) };
      }, { worklet, processing });
      const pcm = Int16Array.from(r.samples, (x) => Math.round(Math.max(-1, Math.min(1, x)) * 32767));
      const m = measureTone(pcm, r.rate, 1000);
      const hz = medianFrequency(pcm, r.rate);
      console.log(`microphone (processing ${processing}): ${JSON.stringify(r.settings)}, ${pcm.length} samples, ${hz?.toFixed(2)} Hz ` +
        `(whole window ${m.frequency?.toFixed(2)}), ${m.rmsDb.toFixed(1)} dBFS, tone ${m.toneDb?.toFixed(2)} dB`);
      assert.ok(pcm.length > 24000, `samples arrived: ${pcm.length}`);
      assert.ok(Math.abs(hz - 1000) < 5, `frequency ${hz} (median of 8 parts; whole window ${m.frequency})`);
      assert.ok(m.toneDb > -1, `the power is in the tone: ${m.toneDb} dB`);
    }
  });

  test('allowDevices: camera and microphone are refused separately with NotAllowedError', async () => {
    const gum = (c) => page.evaluate(async (c) => {
      try {
        const s = await navigator.mediaDevices.getUserMedia(c);
        s.getTracks().forEach((t) => t.stop());
        return 'ok';
      } catch (e) {
        return e.name;
      }
    }, c);
    try {
      await browser.allowDevices({ camera: false });
      assert.deepEqual([await gum({ video: true }), await gum({ audio: true })], ['NotAllowedError', 'ok'], 'camera refused, mic allowed');
      await browser.allowDevices({ microphone: false });
      assert.deepEqual([await gum({ video: true }), await gum({ audio: true })], ['ok', 'NotAllowedError'], 'mic refused, camera allowed');
      await browser.allowDevices({ camera: false, microphone: false, origin: page });
      assert.deepEqual([await gum({ video: true }), await gum({ audio: true })], ['NotAllowedError', 'NotAllowedError']);
    } finally {
      await browser.allowDevices();
    }
    assert.deepEqual([await gum({ video: true }), await gum({ audio: true })], ['ok', 'ok'], 'both allowed again');
  });

  test('hide/show: visibilitychange fires both ways with document.visibilityState hidden, then visible', async () => {
    await page.evaluate(() => { window.visibilityLog = [document.visibilityState]; });
    await browser.hide(page);
    assert.equal(await page.evaluate(() => document.hidden), true);
    await browser.show(page);
    assert.deepEqual(await page.evaluate(() => window.visibilityLog), ['visible', 'hidden', 'visible']);
  });

  test('console messages and page errors reach the log', async () => {
    await page.evaluate(() => { console.log('harness-log-marker'); setTimeout(() => { throw new Error('harness-error-marker'); }); });
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(browser.logs.some((l) => l.text.includes('harness-log-marker')), 'console.log collected');
    assert.ok(browser.errors().some((l) => l.text.includes('harness-error-marker')), 'page error collected');
  });
});

describe('stream reader', () => {
  test('ffmpeg standing in for the pusher (9:16 crop, 360x640, 500 kbit/s, AAC): numbers, size, tone, bitrate read back from nginx', async () => {
    const nginx = await startNginxRtmp();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-reader-'));
    const pub = spawnFfmpeg(['-re', '-i', cam.file, '-re', '-i', mic.file, '-vf', 'crop=202:360,scale=360:640',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-bf', '0', '-b:v', '500k', '-maxrate', '500k', '-bufsize', '500k',
      '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', nginx.url('reader')], { label: 'stand-in pusher' });
    try {
      await waitPublished(nginx, 'reader');
      const file = path.join(dir, 'reader.flv');
      const rec = recordLive(nginx.url('reader'), file, { seconds: 4 });
      const exit = await rec.done;
      assert.equal(exit.code, 0, rec.ffmpeg.stderr);
      const m = await analyzeMedia(file, { srcWidth: 640, srcHeight: 360, expectHz: 1000 });
      const seq = sequenceReport(m.video.frames, cam.frames);
      console.log(`stand-in: ${m.video.width}x${m.video.height}, ${m.video.frames.length} frames, ${seq.read} read, gap ${seq.maxGap}, ` +
        `${m.video.kbps.toFixed(0)} kbit/s video, ${m.audio.frequency.toFixed(1)} Hz, ${m.audio.kbps.toFixed(0)} kbit/s audio`);
      assert.deepEqual([m.video.width, m.video.height], [360, 640]);
      assert.ok(m.video.frames.length >= 90, `frames: ${m.video.frames.length}`);  // -t 4 counts from the first packet, audio or video
      assert.equal(seq.unreadable, 0, 'every frame readable');
      assert.deepEqual(seq.backwards, []);
      assert.equal(seq.maxGap, 0, 'no frame missing');
      assert.ok(Math.abs(m.video.fps - 30) < 1, `fps ${m.video.fps}`);
      assert.ok(Math.abs(m.audio.frequency - 1000) < 5, `tone ${m.audio.frequency}`);
      assert.ok(m.video.kbps > 350 && m.video.kbps < 650, `video ${m.video.kbps} kbit/s for 500 asked`);
      assert.ok(m.audio.kbps > 50 && m.audio.kbps < 80, `audio ${m.audio.kbps} kbit/s for 64 asked`);
    } finally {
      await pub.stop();
      await nginx.stop({ kill: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('throttle proxy', () => {
  test('limits throughput to within 15 % of the set rate, changeable at run time', async () => {
    let received = 0;
    const sink = net.createServer((s) => s.on('data', (d) => { received += d.length; }));
    await new Promise((r) => sink.listen(0, '127.0.0.1', r));
    const tp = await startThrottleProxy(sink.address().port, { upKbps: 2000 });
    const client = net.connect(tp.port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    let sending = true;
    const chunk = Buffer.alloc(16384, 7);
    const pump = () => { while (sending && client.write(chunk)); };
    client.on('drain', pump);
    pump();
    const measure = async (ms) => {
      const b0 = received;
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, ms));
      return ((received - b0) * 8) / (performance.now() - t0);  // kbit/s
    };
    try {
      await new Promise((r) => setTimeout(r, 300));
      const at2000 = await measure(2500);
      tp.setRate('up', 500);
      await new Promise((r) => setTimeout(r, 300));
      const at500 = await measure(2500);
      tp.setRate('up', null);
      await new Promise((r) => setTimeout(r, 100));
      const unlimited = await measure(500);
      console.log(`throttle: set 2000 -> ${at2000.toFixed(0)} kbit/s, set 500 -> ${at500.toFixed(0)} kbit/s, unlimited -> ${unlimited.toFixed(0)} kbit/s`);
      assert.ok(Math.abs(at2000 - 2000) <= 300, `2000 kbit/s set, ${at2000} measured`);
      assert.ok(Math.abs(at500 - 500) <= 75, `500 kbit/s set, ${at500} measured`);
      assert.ok(unlimited > 20000, `unlimited is fast: ${unlimited}`);
    } finally {
      sending = false;
      client.destroy();
      await tp.close();
      await new Promise((r) => sink.close(r));
    }
  });
});
