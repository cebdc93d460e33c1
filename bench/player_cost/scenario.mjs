// One measurement: a fresh page (reloaded), `count` players of one kind on one stream, started, left to
// settle, then a window in which nothing talks to the page: CPU of every Chromium process from /proc,
// frames shown and reported dropped per player, the machine's load; after it the heaps.
//
// Kinds (what plays):
//   webcodecs      livewasm, configure({videoDecoder: 'webcodecs', audioDecoder: 'webcodecs'}), rtmp:// via the gateway
//   wasm           livewasm, both decoders 'wasm', rtmp:// via the gateway
//   webcodecs-flv  livewasm (WebCodecs) playing node-media-server's HTTP-FLV, the same URL as mpegts.js
//   wasm-flv       livewasm (wasm) playing that HTTP-FLV
//   mpegts         mpegts.js 1.8 (MSE) in a <video>, node-media-server's HTTP-FLV (no worker, low-latency config of player_env)
// (HTTP-FLV kinds take WebSocket-FLV above 6 players on a page: see `transport` below)
//
// Frames: livewasm from its netstatus (shownFrames, droppedFrames) between the last sample at or before
// the window's start and the last at or before its end; mpegts.js from getVideoPlaybackQuality() read at
// both ends (shown = total - dropped). Sent: the stream's 30 fps over the same span (ffmpeg -re).
import { sleep, until } from '../../tests/browser/lib/player_env.mjs';
import { heapUsed } from './cdp.mjs';
import { startCpuWindow } from './browser_cpu.mjs';
import { watchLoad } from '../../scripts/machine_load.mjs';

export const KINDS = ['webcodecs', 'wasm', 'mpegts', 'webcodecs-flv', 'wasm-flv'];

const decoders = (kind) => (kind.startsWith('webcodecs') ? 'webcodecs' : 'wasm');

function layout(count) {
  if (count === 1) return { w: 640, h: 360 };
  return { w: 320, h: 180 };  // 4, 9, 16 players: a grid of 320x180 tiles (a 1600x1000 window holds 5 across)
}

async function freshPage(env) {
  await env.page.reload({ timeout: 60000 });
  await until(() => env.page.evaluate(() => window.lwReady === true && !!window.lwProbe), { timeoutMs: 15000, what: 'the page reloaded' });
  const err = await env.page.evaluate(() => window.lwImportError ?? null);
  if (err) throw new Error(`the page could not import livewasm: ${err}`);
}

// A page call with a bound: a renderer saturated by players may take long to answer, never forever.
function bounded(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: the page did not answer in ${ms / 1000} s`)), ms); })])
    .finally(() => clearTimeout(timer));
}

// The counters of every player now, read in one evaluate: [{t, shown, dropped, ...}] in player order.
function readCounters(env, ids) {
  return bounded(env.page.evaluate((ids) => ids.map(({ id, kind }) => {
    const t = performance.now();
    if (kind === 'mpegts') {
      const q = window.lwPeers[id].video.getVideoPlaybackQuality();
      return { t, shown: q.totalVideoFrames - q.droppedVideoFrames, dropped: q.droppedVideoFrames };
    }
    const ns = (window.lwEvents[id] ?? []).filter((e) => e.type === 'netstatus');
    const last = ns.at(-1);
    if (!last) return { t, shown: 0, dropped: 0, none: true };
    const i = last.detail.info;
    return { t: last.t, shown: i.shownFrames, dropped: i.droppedFrames, wasmHeapBytes: i.wasmHeapBytes, videoDecoder: i.videoDecoder, audioDecoder: i.audioDecoder, size: `${i.videoWidth}x${i.videoHeight}` };
  }), ids), 30000, 'reading the counters');
}

/**
 * @param env  startPlayerEnv({nms: true}) with browserArgs ['--window-size=1600,1000']
 * @param {{kind: string, count: number, stream: {name: string, fps: number}, settleMs: number, windowMs: number, servers: object, mode?: string}} s
 */
export async function measure(env, { kind, count, stream, settleMs, windowMs, servers = {}, mode = 'live' }) {
  await freshPage(env);
  const { w, h } = layout(count);
  const style = `width:${w}px;height:${h}px;display:inline-block`;
  const row = { kind, count, stream: stream.name, settleMs, windowMs };
  const ids = [];
  const rtmp = !kind.endsWith('-flv') && kind !== 'mpegts';
  // Chromium keeps at most 6 HTTP/1.1 connections per host: more HTTP-FLV players than that on one page
  // wait for a connection forever, so they take node-media-server's WebSocket-FLV of the same stream.
  const transport = rtmp ? 'rtmp' : count > 6 ? 'ws-flv' : 'http-flv';
  const src = rtmp ? env.nginx.url(stream.name) : transport === 'ws-flv' ? env.nms.wsFlvUrl(stream.name) : env.nms.httpFlvUrl(stream.name);
  row.transport = transport;
  if (kind !== 'mpegts') await env.configure({ gateway: env.gatewayUrl, videoDecoder: decoders(kind), audioDecoder: decoders(kind) });
  const started = [];
  for (let i = 0; i < count; i++) {
    if (kind === 'mpegts') {
      const peer = await env.addMpegtsPeer(src);
      await env.page.evaluate(({ id, style }) => document.getElementById(id).setAttribute('style', style), { id: peer.id, style });
      ids.push({ id: peer.id, kind });
      started.push(peer.waitPlaying(30000));
    } else {
      const p = await env.addPlayer({ src, autoplay: true, mode }, { style });
      ids.push({ id: p.id, kind });
      started.push(p.waitCode(2004, { timeoutMs: 30000 }));
    }
  }
  const results = await Promise.allSettled(started);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) row.startErrors = failed.map((r) => String(r.reason.message).split('\n')[0]).slice(0, 3);
  await sleep(settleMs);

  const c0 = await readCounters(env, ids);
  const load = watchLoad();
  const cpu = startCpuWindow(env.browser.pid, servers);
  await sleep(windowMs);
  Object.assign(row, { cpu: cpu.stop(), load: load() });
  const c1 = await readCounters(env, ids);

  row.players = c1.map((b, i) => {
    const a = c0[i];
    const s = (b.t - a.t) / 1000;
    const shown = b.shown - a.shown;
    const dropped = b.dropped - a.dropped;
    const sent = Math.round(s * stream.fps);
    return { seconds: Math.round(s * 100) / 100, shown, dropped, sent, fps: s > 0 ? Math.round((shown / s) * 10) / 10 : null,
      ...(b.wasmHeapBytes != null ? { wasmHeapBytes: b.wasmHeapBytes, videoDecoder: b.videoDecoder, audioDecoder: b.audioDecoder, size: b.size } : {}),
      ...(b.none ? { noNetstatus: true } : {}) };
  });
  const fps = row.players.map((p) => p.fps ?? 0);
  row.fps = { mean: Math.round((fps.reduce((a, b) => a + b, 0) / fps.length) * 10) / 10, min: Math.min(...fps) };
  row.frames = row.players.reduce((a, p) => ({ shown: a.shown + p.shown, dropped: a.dropped + p.dropped, sent: a.sent + p.sent }), { shown: 0, dropped: 0, sent: 0 });
  // State codes of the livewasm players (2105 stutter, 2106 decoder fallback...) after 2004.
  if (kind !== 'mpegts') {
    row.codes = await bounded(env.page.evaluate((ids) => {
      const n = {};
      for (const { id } of ids) for (const e of window.lwEvents[id] ?? []) if (e.type === 'statechange') n[e.detail.code] = (n[e.detail.code] ?? 0) + 1;
      return n;
    }, ids), 30000, 'reading the codes').catch((e) => ({ error: e.message }));
  }
  // Heaps after the CPU window (the CDP calls cost time of their own).
  const pageHeap = await heapUsed(env.browser.endpoint, (t) => t.type === 'page' && t.url.includes('player_test.html')).catch((e) => ({ error: e.message }));
  const workerHeap = await heapUsed(env.browser.endpoint, (t) => t.type === 'worker' && t.url.includes('player_worker')).catch((e) => ({ error: e.message }));
  row.heap = { pageBytes: pageHeap.bytes ?? null, workerBytes: workerHeap.bytes ?? null, workers: workerHeap.targets ?? null,
    wasmBytes: row.players.reduce((a, p) => a + (p.wasmHeapBytes ?? 0), 0) || null };
  // Leave nothing playing for the next measurement (the reload also ends it).
  await bounded(env.page.evaluate(() => {
    for (const el of document.querySelectorAll('live-player')) el.remove();
    for (const peer of Object.values(window.lwPeers)) { try { peer.player.destroy(); } catch {} peer.video.remove(); }
  }), 30000, 'removing the players').catch(() => {});
  return row;
}
