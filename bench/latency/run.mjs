// Glass-to-glass delay and time to first picture, in one browser (one clock):
//   our pusher -> gateway -> nginx-rtmp -> gateway -> our player (RTC and live, side by side), and
//   our pusher -> gateway -> node-media-server -> gateway -> our player (RTC), beside mpegts.js playing the
//   same stream from node-media-server's HTTP-FLV.
// The camera is the barcode fixture (tests/browser/lib/fixtures.mjs): each picture carries its frame
// number. The pusher's own preview <video> is watched as the reference "glass" (when each number is first
// shown locally); a player's delay for frame n is when it first shows n minus when the preview first
// showed n. Both are read by the same page-side probe (tests/browser/lib/picture_probe.mjs), so the
// preview's own display delay cancels and what remains is encode + network + server + buffer + decode.
//
//   node bench/latency/run.mjs [--seconds 20] [--out file.json]   (needs scripts/build.sh native + wasm)
//
// Per player it reports the delay (p5/p50/p95), the start-up stages (netstatus.startup, ms since play()),
// the wasm heap, and where the delay goes: the jitter buffer (netstatus cacheMs: newest media received minus
// media heard now, i.e. arrival -> play-out; targetMs: what the buffer aims at; netJitter), what the
// play-out did in the window (expand = underrun ms, accelerate = ms removed by time-stretching, skips,
// dropped/shown pictures), and the rest (delay - cacheMs: capture + encode + send + servers + decode + show).
// The machine's load average is printed with each run: other work shares the cores.
import { cameraFixture, toneFixture } from '../../tests/browser/lib/fixtures.mjs';
import { startPlayerEnv, sleep, until } from '../../tests/browser/lib/player_env.mjs';
import { summary } from '../../tests/browser/lib/picture_probe.mjs';
import { waitNmsPublished } from '../../tests/browser/lib/node_media_server.mjs';
import { waitPublished } from '../../tests/interop/lib/gateway.mjs';
import os from 'node:os';

const arg = (name, dflt) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const seconds = Number(arg('--seconds', 20));
const outFile = arg('--out', null);
const load = () => os.loadavg().map((x) => +x.toFixed(2));
const W = 640;
const H = 360;
const cam = await cameraFixture({ width: W, height: H, fps: 30, seconds: 40 });
const mic = await toneFixture({ seconds: 20 });
const env = await startPlayerEnv({ nms: true, browserArgs: [`--use-file-for-fake-video-capture=${cam.file}`, `--use-file-for-fake-audio-capture=${mic.file}`] });
const page = env.page;
// Experiments on the player's JavaScript without touching the tree: LW_BENCH_OVERRIDE="worker/x.js=/tmp/x.js,..."
// serves each listed repo file from another path (page and worker requests).
for (const pair of (process.env.LW_BENCH_OVERRIDE || '').split(',').filter(Boolean)) {
  const [file, replacement] = pair.split('=');
  const body = (await import('node:fs')).readFileSync(replacement);
  await page.context().route((url) => url.pathname === `/${file}`, (route) => { console.error(`override served: /${file}`); return route.fulfill({ status: 200, contentType: 'text/javascript', body }); });
  console.error(`override: /${file} <- ${replacement}`);
}

async function addPusher(id, url) {
  await page.evaluate(({ id, url }) => {
    const el = document.createElement('live-pusher');
    el.id = id;
    // horizontal + 9:16: the camera's own 16:9 picture, uncropped, so the barcode reads the same everywhere.
    for (const [k, v] of Object.entries({ url, mode: 'RTC', 'min-bitrate': 600, 'max-bitrate': 1500, aspect: '9:16', orientation: 'horizontal' })) el.setAttribute(k, String(v));
    el.style.cssText = 'width:640px;height:360px';
    document.body.appendChild(el);
    window.lwPusherStatus = window.lwPusherStatus || {};
    const log = (window.lwPusherStatus[id] = []);
    el.addEventListener('netstatus', (e) => log.push({ t: performance.now(), ...e.detail.info }));
    return window.livewasm.createLivePusherContext(id).start();
  }, { id, url });
  return page.evaluate((id) => {
    const video = document.getElementById(id).shadowRoot.querySelector('video');
    return window.lwProbe.watchPicture(video, { srcWidth: 640, srcHeight: 360 });
  }, id);
}

// The camera file loops (its numbers repeat every `cam.frames` frames), so a frame shown by a player at t
// is matched with the latest time the preview first showed that number before t.
function delaysAgainst(reference, frames, from) {
  const seen = new Map();  // n -> [times the preview began showing n]
  for (const f of reference) {
    if (!seen.has(f.n)) seen.set(f.n, []);
    seen.get(f.n).push(f.t);
  }
  const out = [];
  for (const f of frames) {
    if (f.t < from) continue;
    const times = (seen.get(f.n) || []).filter((r) => r <= f.t + 5);
    if (times.length) out.push(f.t - times[times.length - 1]);
  }
  return out;
}

const stat = (xs) => (xs.length ? summary(xs) : null);
const delta = (series, key) => (series.length > 1 && series[0][key] != null ? series.at(-1)[key] - series[0][key] : null);

// The netstatus samples inside [from, to] (plus the last one before, for counters) in one summary.
function netSummary(all, from, to) {
  const inside = all.filter((n) => n.t >= from && n.t <= to + 1500);
  const before = all.filter((n) => n.t < from).at(-1);
  const span = before ? [before, ...inside] : inside;
  const last = all.at(-1) || {};
  return {
    cacheMs: stat(inside.map((n) => n.cacheMs)), targetMs: stat(inside.map((n) => n.targetMs)), netJitterMs: stat(inside.map((n) => n.netJitter)),
    expandMs: delta(span, 'expandMs'), accelerateMs: delta(span, 'accelerateMs'), skips: delta(span, 'skips'),
    dropped: delta(span, 'droppedFrames'), shown: delta(span, 'shownFrames'), fps: stat(inside.map((n) => n.videoFPS)),
    decoders: `${last.videoDecoder}/${last.audioDecoder}`, startupMs: last.startup || null,
    wasmHeapMB: last.wasmHeapBytes ? +(last.wasmHeapBytes / 1048576).toFixed(1) : null,
    series: inside.map((n) => [Math.round(n.t - from), n.cacheMs, n.targetMs, n.netJitter, n.expandMs, n.accelerateMs, n.skips]),
  };
}

async function measure(label, refProbe, players, peers = [], pusherId = null) {
  await sleep(5000);  // settle: start-up bursts and catch-up are not the steady delay
  const loadBefore = load();
  const from = await page.evaluate(() => performance.now());
  await sleep(seconds * 1000);
  const to = await page.evaluate(() => performance.now());
  const loadAfter = load();
  const ref = (await env.probe.read(refProbe)).frames;
  const rows = [];
  for (const { name, probe, player } of [...players, ...peers]) {
    const frames = (await env.probe.read(probe)).frames;
    const d = delaysAgainst(ref, frames, from);
    // Delay over time, averaged per second (does it creep?).
    const perSecond = [];
    for (let s = 0; s < seconds; s++) {
      const ds = delaysAgainst(ref, frames.filter((f) => f.t >= from + s * 1000 && f.t < from + (s + 1) * 1000), from);
      perSecond.push(ds.length ? Math.round(ds.reduce((a, b) => a + b, 0) / ds.length) : null);
    }
    const net = player ? netSummary(await player.netstatus(), from, to) : null;
    const delayP50 = d.length ? summary(d).p50 : null;
    rows.push({ run: label, player: name, load: { before: loadBefore, after: loadAfter }, delayMs: summary(d), delayPerSecondMs: perSecond,
      restMs: net && net.cacheMs && delayP50 != null ? delayP50 - net.cacheMs.p50 : null, ...(net || {}) });
  }
  if (pusherId) {
    const ns = await page.evaluate((id) => window.lwPusherStatus[id] || [], pusherId);
    rows.push({ run: label, pusher: pusherId, netstatus: ns.at(-1) || null });
  }
  return rows;
}

const results = [];
try {
  // 1. nginx: RTC and live players on the same stream.
  const nginxUrl = env.nginx.url('g2g');
  const ref1 = await addPusher('pusher1', nginxUrl);
  await waitPublished(env.nginx, 'g2g', 15000);
  const rtc = await env.addPlayer({ src: nginxUrl, mode: 'RTC', autoplay: true }, { style: 'width:640px;height:360px' });
  const live = await env.addPlayer({ src: nginxUrl, mode: 'live', 'min-cache': 1, 'max-cache': 3, autoplay: true }, { style: 'width:640px;height:360px' });
  await rtc.waitCode(2004);
  await live.waitCode(2004);
  const pr = await rtc.watchPicture({ srcWidth: W, srcHeight: H, fit: 'contain' });
  const pl = await live.watchPicture({ srcWidth: W, srcHeight: H, fit: 'contain' });
  results.push(...await measure('nginx', ref1, [{ name: 'livewasm RTC', probe: pr, player: rtc }, { name: 'livewasm live (min-cache 1, max-cache 3)', probe: pl, player: live }], [], 'pusher1'));
  await rtc.remove();
  await live.remove();
  await page.evaluate(() => window.livewasm.createLivePusherContext('pusher1').stop());

  // 2. node-media-server: our RTC player through the gateway beside mpegts.js on its HTTP-FLV.
  const nmsUrl = `rtmp://127.0.0.1:${env.nms.rtmpPort}/live/g2g`;
  const ref2 = await addPusher('pusher2', nmsUrl);
  await waitNmsPublished(env.nms, 'g2g', { timeoutMs: 15000 });
  const ours = await env.addPlayer({ src: nmsUrl, mode: 'RTC', autoplay: true }, { style: 'width:640px;height:360px' });
  const peerId = await env.addMpegtsPeer(env.nms.httpFlvUrl ? env.nms.httpFlvUrl('g2g') : `http://127.0.0.1:${env.nms.httpPort}/live/g2g.flv`, { muted: true });
  await ours.waitCode(2004);
  const po = await ours.watchPicture({ srcWidth: W, srcHeight: H, fit: 'contain' });
  const peerVideoProbe = await page.evaluate((id) => window.lwProbe.watchPicture(window.lwPeers[id].video, { srcWidth: 640, srcHeight: 360 }), peerId.id || peerId);
  results.push(...await measure('node-media-server', ref2, [{ name: 'livewasm RTC (gateway rtmp://)', probe: po, player: ours }],
    [{ name: 'mpegts.js HTTP-FLV (<video>, latency chasing)', probe: peerVideoProbe }], 'pusher2'));
} finally {
  const text = JSON.stringify(results, (k, v) => (k === 'series' || k === 'delayPerSecondMs' ? JSON.stringify(v) : v), 1);
  console.log(text);
  if (outFile) (await import('node:fs')).writeFileSync(outFile, text);
  await env.close();
}
