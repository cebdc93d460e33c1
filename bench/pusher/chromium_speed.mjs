// Chromium's own H.264 encoder (WebCodecs VideoEncoder, software: Debian's Chromium links Debian's
// libopenh264.so.7, the very library lw-encoder-speed measures natively) on the same I420 frames as the
// wasm and native rows. The pusher's own encoder config (worker/webcodecs_encoder.js encoderConfig),
// with latencyMode 'realtime' (what the pusher uses) or 'quality'. Frames are fed as fast as the encoder
// takes them (at most 4 queued), timestamps 30 fps apart; the figure is wall time from the first timed
// encode() to flush(), plus the CPU time all of Chromium's processes spent meanwhile (/proc), since the
// browser may encode on more than one thread.
import { launchBrowser } from '../../tests/browser/lib/browser.mjs';
import { startStaticServer } from '../../tests/browser/lib/static_server.mjs';
import { ROOT } from '../../tests/interop/lib/tools.mjs';
import path from 'node:path';
import { diff, snapshot, sumBy, total } from './proc_cpu.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>encoder speed</title><script type="module">
import { encoderConfig } from '/worker/webcodecs_encoder.js';
let yuv = null, enc = null, st = null;
window.load = async (url) => { yuv = new Uint8Array(await (await fetch(url)).arrayBuffer()); return yuv.length; };
window.openEncoder = async (o) => {
  const config = { ...encoderConfig({ width: o.width, height: o.height, kbps: o.kbps, fps: 30, hardware: false }), latencyMode: o.latencyMode };
  const { supported } = await VideoEncoder.isConfigSupported(config);
  if (!supported) return { error: 'not supported: ' + JSON.stringify(config) };
  st = { o, n: 0, produced: 0, bytes: 0, keys: 0, error: '', frameSize: o.width * o.height * 3 / 2 };
  enc = new VideoEncoder({
    output: (c) => { st.produced++; st.bytes += c.byteLength; if (c.type === 'key') st.keys++; },
    error: (e) => { st.error = String(e); },
  });
  enc.configure(config);
  await feed(o.warmup);
  return { codec: config.codec };
};
async function feed(count) {
  const { width, height } = st.o, distinct = yuv.length / st.frameSize;
  for (let i = 0; i < count && !st.error; i++, st.n++) {
    while (enc.encodeQueueSize >= 4) await new Promise((r) => enc.addEventListener('dequeue', r, { once: true }));
    const off = (st.n % distinct) * st.frameSize;
    const f = new VideoFrame(yuv.subarray(off, off + st.frameSize), { format: 'I420', codedWidth: width, codedHeight: height, timestamp: Math.round(st.n * 1e6 / 30) });
    enc.encode(f, { keyFrame: st.n % 60 === 0 });
    f.close();
  }
  await enc.flush();
}
window.timed = async () => {
  const p0 = st.produced, b0 = st.bytes, k0 = st.keys, t0 = performance.now();
  await feed(st.o.frames);
  const seconds = (performance.now() - t0) / 1000;
  enc.close();
  return { seconds, frames: st.o.frames, produced: st.produced - p0, bytes: st.bytes - b0, keys: st.keys - k0, error: st.error };
};
window.ready = true;
</script>`;

/**
 * @param {{name, width, height, kbps, file}[]} sizes  frames files under the repo root
 * @param {{latencyModes?: string[], frames?: number, warmup?: number}} o
 * @returns {Promise<object[]>} one row per size and latency mode
 */
export async function chromiumSpeed(sizes, { latencyModes = ['realtime', 'quality'], frames = 120, warmup = 10 } = {}) {
  const srv = await startStaticServer({ root: ROOT, pages: { '/encoder_speed.html': PAGE } });
  const browser = await launchBrowser({});
  const rows = [];
  try {
    const page = await browser.newPage();
    await page.goto(srv.url('/encoder_speed.html'));
    await page.waitForFunction(() => window.ready === true, null, { timeout: 10000 });
    for (const s of sizes) {
      await page.evaluate((url) => window.load(url), '/' + path.relative(ROOT, s.file));
      for (const latencyMode of latencyModes) {
        const opened = await page.evaluate((o) => window.openEncoder(o), { ...s, latencyMode, frames, warmup });
        if (opened.error) {
          rows.push({ name: s.name, width: s.width, height: s.height, kbps: s.kbps, latencyMode, error: opened.error });
          continue;
        }
        const before = snapshot(browser.pid);
        const r = await page.evaluate(() => window.timed());
        const cpu = diff(before, snapshot(browser.pid));
        rows.push({
          name: s.name, width: s.width, height: s.height, kbps: s.kbps, latencyMode, codec: opened.codec, ...r,
          cpuMs: total(cpu.processes),
          cpuByThread: sumBy(cpu.threads, (t) => `${t.type}:${t.name}`).slice(0, 4).map(([k, ms]) => [k, Math.round(ms)]),
        });
      }
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  return rows;
}
