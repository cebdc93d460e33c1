// Time to first picture from a cold cache, with the player's module served compressed: one
// <live-player autoplay> on a page, playing an HTTP-FLV file (H.264 + AAC, a key frame first) from a local
// server; measured on the page from appending the element to its 2004 ("playing": the first picture is
// shown). Each run is a fresh headless Chromium (empty HTTP cache and no compiled wasm kept from a
// previous run; the static server also says no-store), and the runs of the module folders alternate.
// An untimed run per folder comes first (the static server compresses each file once, on its first
// request; a real server would send files compressed ahead of time). Reported per folder: the median and the spread (min-max) over the runs, the wasm bytes the browser
// was sent and in which Content-Encoding, and the worker's own startup stages (netstatus `startup`, ms
// since play(), which starts after the module is loaded and compiled).
//
//   node bench/package/first_picture.mjs --dirs build/h18-before,dist/wasm [--runs 7] [--encoding br|gzip|identity]
//        [--decoder auto|wasm] [--throttle-kbps 20000] [--json]
//
// --dirs: module folders under the repo root (each holding livewasm_player{,_simd}.{mjs,wasm} as
// dist/wasm does; the page's configure({wasmBase}) points at one per run). --encoding: what the static
// server offers (br also offers gzip; the browser's Accept-Encoding decides). --throttle-kbps: DevTools
// network emulation of the page (also applied to its worker's fetches) at that throughput, 0 ms extra
// latency; off by default (loopback).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../../tests/browser/lib/browser.mjs';
import { startStaticServer } from '../../tests/browser/lib/static_server.mjs';
import { startFlvHttpServer } from '../../tests/browser/lib/player_env.mjs';
import { ROOT, sleep } from '../../tests/interop/lib/tools.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const dirs = opt('dirs', 'dist/wasm').split(',').filter(Boolean);
const runs = Number(opt('runs', '7'));
const encoding = opt('encoding', 'br');
const decoder = opt('decoder', 'auto');
const throttleKbps = Number(opt('throttle-kbps', '0'));
const asJson = argv.includes('--json');

for (const d of dirs) {
  for (const f of ['livewasm_player.mjs', 'livewasm_player_simd.wasm']) {
    if (!existsSync(path.join(ROOT, d, f))) throw new Error(`${d}/${f} missing`);
  }
}

// The stream: 4 s of testsrc2 320x240 at 25 fps (key frame every second) with a 1 kHz tone, made once.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-first-picture-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const flvFile = path.join(tmp, 'a.flv');
execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=4',
  '-f', 'lavfi', '-i', 'sine=f=1000:r=44100:d=4', '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency',
  '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', flvFile]);
const flv = await startFlvHttpServer({ realtime: true });
flv.set('/a.flv', readFileSync(flvFile));

const PAGE = `<!doctype html><meta charset="utf-8"><title>first picture</title>
<body><script type="module">
window.lwEvents = [];
try {
  window.livewasm = await import('/js-api/index.js');
  window.lwReady = true;
} catch (e) {
  window.lwImportError = String(e && e.stack || e);
}
</script>`;
const srv = await startStaticServer({ compress: encoding === 'identity' ? false : encoding === 'gzip' ? ['gzip'] : true,
  pages: { '/fp.html': PAGE } });

async function oneRun(dir) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    if (throttleKbps > 0) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      const bytesPerSecond = (throttleKbps * 1000) / 8;
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
    }
    const before = srv.requests.length;
    await page.goto(srv.url('/fp.html'));
    const deadline = Date.now() + 20000;
    while (!(await page.evaluate(() => window.lwReady === true || !!window.lwImportError))) {
      if (Date.now() > deadline) throw new Error('the page did not load js-api/index.js within 20 s');
      await sleep(50);
    }
    const importError = await page.evaluate(() => window.lwImportError ?? null);
    if (importError) throw new Error(importError);
    const wasmBase = srv.url(`/${dir.split(path.sep).join('/').replace(/\/?$/, '/')}`);
    await page.evaluate(({ wasmBase, decoder }) => window.livewasm.configure({ wasmBase, ...(decoder === 'wasm' ? { videoDecoder: 'wasm' } : {}) }), { wasmBase, decoder });
    await page.evaluate((src) => {
      const el = document.createElement('live-player');
      for (const type of ['statechange', 'netstatus']) {
        el.addEventListener(type, (e) => window.lwEvents.push({ type, t: performance.now(), detail: JSON.parse(JSON.stringify(e.detail ?? null)) }));
      }
      el.setAttribute('src', src);
      el.setAttribute('autoplay', '');
      el.setAttribute('mode', 'RTC');
      window.lwAppended = performance.now();
      document.body.appendChild(el);
    }, flv.url('/a.flv'));
    let shown = null;
    let startup = null;
    const waitUntil = Date.now() + 30000;
    for (;;) {
      const r = await page.evaluate(() => ({ appended: window.lwAppended, events: window.lwEvents }));
      const hit = r.events.find((e) => e.type === 'statechange' && e.detail.code === 2004);
      const net = r.events.filter((e) => e.type === 'netstatus' && e.detail?.info?.startup?.shown !== undefined);
      if (hit && !shown) shown = hit.t - r.appended;
      if (shown !== null && net.length) {
        startup = net[0].detail.info.startup;
        break;
      }
      if (Date.now() > waitUntil) {
        throw new Error(`no 2004 within 30 s: ${JSON.stringify(r.events.filter((e) => e.type === 'statechange').map((e) => e.detail))}\n` +
          browser.logText().split('\n').slice(-30).join('\n'));
      }
      await sleep(50);
    }
    const wasm = srv.requests.slice(before).filter((q) => q.path.endsWith('.wasm'));
    return { shownMs: Math.round(shown), startup, wasm: wasm.map((q) => ({ file: path.basename(q.path), encoding: q.encoding ?? 'identity', bytes: q.bytes ?? null })) };
  } finally {
    await browser.close();
  }
}

const results = Object.fromEntries(dirs.map((d) => [d, []]));
try {
  // One untimed run per folder first: the server compresses each file on its first request (Brotli 11
  // of a 1.7 MB module takes seconds), as a server with files compressed ahead of time would not.
  for (const d of dirs) await oneRun(d);
  for (let i = 0; i < runs; i++) {
    // Alternate the order each round so that neither folder always runs first on a warming machine.
    for (const d of i % 2 ? [...dirs].reverse() : dirs) {
      const r = await oneRun(d);
      results[d].push(r);
      if (!asJson) console.error(`run ${i + 1} ${d}: first picture ${r.shownMs} ms; ${r.wasm.map((w) => `${w.file} ${w.encoding} ${w.bytes ?? 'raw'}`).join(', ')}; startup ${JSON.stringify(r.startup)}`);
    }
  }
} finally {
  await srv.close();
  await flv.close();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = Object.fromEntries(Object.entries(results).map(([d, list]) => {
  const shown = list.map((r) => r.shownMs);
  const stage = (k) => median(list.map((r) => r.startup?.[k]).filter((v) => typeof v === 'number'));
  return [d, { runs: list.length, medianMs: median(shown), minMs: Math.min(...shown), maxMs: Math.max(...shown), shownMs: shown,
    wasm: list[0]?.wasm, startupMedian: Object.fromEntries(['connected', 'firstByte', 'keyFrame', 'decoded', 'shown'].map((k) => [k, stage(k)])) }];
}));
if (asJson) {
  console.log(JSON.stringify({ encoding, decoder, throttleKbps, summary }, null, 1));
} else {
  console.log(`time to first picture (append -> 2004), encoding offered: ${encoding}, video decoder: ${decoder}, ${throttleKbps ? `throttled to ${throttleKbps} kbit/s` : 'loopback'}, ${runs} runs each`);
  console.log('| modules | median ms | min-max ms | wasm sent | worker startup medians (ms since play()) |');
  console.log('|---|---|---|---|---|');
  for (const [d, s] of Object.entries(summary)) {
    console.log(`| ${d} | ${s.medianMs} | ${s.minMs}-${s.maxMs} | ${(s.wasm ?? []).map((w) => `${w.file} ${w.encoding} ${w.bytes?.toLocaleString('en') ?? ''}`).join(', ')} | ${Object.entries(s.startupMedian).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  }
}
