// Chromium's WebCodecs VideoDecoder (software: hardwareAcceleration 'prefer-software'; Chromium decodes
// H.264 with its own FFmpeg) on the same FLV track as the wasm and native rows. The whole browser runs
// under `taskset -c 0` (a wrapper script as LW_CHROMIUM, so every process and thread inherits it): one
// core, like the wasm decoder, though Chromium may still split the work over threads on that core. Packets are
// fed as fast as the decoder takes them (at most 8 queued); each output frame is closed at once. The
// figure is wall time over whole passes of the track (flush between), and the CPU time all of
// Chromium's processes spent meanwhile.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { startStaticServer } from '../../tests/browser/lib/static_server.mjs';
import { ROOT } from '../../tests/interop/lib/tools.mjs';
import { diff, snapshot, total } from '../pusher/proc_cpu.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>decoder speed</title><script type="module">
import { flvVideoTrack } from '/bench/player/flv_track.mjs';
let track = null;
window.load = async (url) => {
  track = flvVideoTrack(new Uint8Array(await (await fetch(url)).arrayBuffer()));
  return { codec: track.codecString, packets: track.packets.length };
};
let dec = null, st = null;
async function pass() {
  for (const p of track.packets) {
    while (dec.decodeQueueSize >= 8) await new Promise((r) => dec.addEventListener('dequeue', r, { once: true }));
    dec.decode(new EncodedVideoChunk({ type: p.key ? 'key' : 'delta', timestamp: p.ptsUs, data: p.data }));
  }
  await dec.flush();
}
// Configures a decoder and decodes the track once (warm-up, outside the measured window).
window.open = async () => {
  const config = { codec: track.codecString, description: track.config, hardwareAcceleration: 'prefer-software',
                   optimizeForLatency: false };
  const support = await VideoDecoder.isConfigSupported(config);
  if (!support.supported) return { error: 'not supported: ' + track.codecString };
  st = { frames: 0, error: '', width: 0, height: 0 };
  dec = new VideoDecoder({
    output: (f) => { st.frames++; st.width = f.displayWidth; st.height = f.displayHeight; f.close(); },
    error: (e) => { st.error = String(e); },
  });
  dec.configure(config);
  await pass();
  return { error: st.error };
};
window.run = async (seconds) => {
  st.frames = 0;
  const t0 = performance.now();
  let runs = 0;
  do { await pass(); runs++; } while (performance.now() - t0 < seconds * 1000 && !st.error);
  const s = (performance.now() - t0) / 1000;
  dec.close();
  return { frames: st.frames, runs, seconds: s, fps: st.frames / s, width: st.width, height: st.height, error: st.error };
};
window.ready = true;
</script>`;

// browser.mjs reads LW_CHROMIUM when it is first imported: set it before.
async function loadLauncher(oneCore) {
  if (oneCore) {
    const dir = path.join(ROOT, 'build/bench-player');
    mkdirSync(dir, { recursive: true });
    const wrapper = path.join(dir, 'chromium-cpu0.sh');
    const real = process.env.LW_CHROMIUM ?? '/usr/bin/chromium';
    writeFileSync(wrapper, `#!/bin/sh\nexec taskset -c 0 ${real} "$@"\n`);
    chmodSync(wrapper, 0o755);
    process.env.LW_CHROMIUM = wrapper;
  }
  return (await import('../../tests/browser/lib/browser.mjs')).launchBrowser;
}

/** @param {{name, file}[]} streams  FLV files; @returns rows {name, fps, cpuMs, ...} */
export async function chromiumDecodeSpeed(streams, { seconds = 5, oneCore = true } = {}) {
  const srv = await startStaticServer({ root: ROOT, pages: { '/decoder_speed.html': PAGE } });
  const launchBrowser = await loadLauncher(oneCore);
  const browser = await launchBrowser({});
  const rows = [];
  try {
    const page = await browser.newPage();
    await page.goto(srv.url('/decoder_speed.html'));
    await page.waitForFunction(() => window.ready === true, null, { timeout: 10000 });
    for (const s of streams) {
      const info = await page.evaluate((url) => window.load(url), '/' + path.relative(ROOT, s.file));
      const opened = await page.evaluate(() => window.open());
      if (opened.error) {
        rows.push({ name: s.name, codec: info.codec, oneCore, error: opened.error });
        continue;
      }
      const before = snapshot(browser.pid);
      const r = await page.evaluate((sec) => window.run(sec), seconds);
      const cpu = diff(before, snapshot(browser.pid));
      rows.push({ name: s.name, codec: info.codec, oneCore, ...r, cpuMs: Math.round(total(cpu.processes)) });
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  return rows;
}
