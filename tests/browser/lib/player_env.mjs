// Everything a player test needs, started once per test file: nginx-rtmp, node-media-server (optional),
// the gateway allowed to reach both, the static server for the repo root (js-api/, worker/, web/,
// dist/wasm/, node_modules/mpegts.js/), and one Chromium with a page that has the probes of
// picture_probe.mjs, mpegts.js, and (when it loads) the livewasm package.
//
//   const env = await startPlayerEnv({ nms: true });
//   const p = await env.addPlayer({ src: env.nginx.url('a'), autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: 'wasm' } });
//   await p.waitCode(2004); const pic = await p.watchPicture({ srcWidth: 320, srcHeight: 240 });
//   (await p.read(pic)).frames, p.codes(), p.events('netstatus'), await p.remove();
//   const peer = await env.addMpegtsPeer(env.nms.httpFlvUrl('a'));     // the independent reference player
//   await env.close();
//
// The page keeps every event of every <live-player> in window.lwEvents[id] as {type, t, e (epoch ms), detail}.
import { after, before } from 'node:test';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, sleep } from '../../interop/lib/tools.mjs';
import { startNginxRtmp } from '../../interop/lib/nginx.mjs';
import { startGateway, GATEWAY, until, flvTags } from '../../interop/lib/gateway.mjs';
import { ENGINE, launchEngine, pageSetup } from './engines.mjs';
import { contractProblems } from './page_console.mjs';
import { startStaticServer } from './static_server.mjs';
import { startNodeMediaServer } from './node_media_server.mjs';
import { PROBE_SOURCE } from './picture_probe.mjs';

// LW_PLAYER_WASM_BASE (a folder under the repo root, e.g. build/wasm-<you>/wasm/bindings) points the
// page's configure({wasmBase}) at a player module built elsewhere than dist/wasm/ (a private build).
export const WASM_BASE = process.env.LW_PLAYER_WASM_BASE ? path.resolve(ROOT, process.env.LW_PLAYER_WASM_BASE) : path.join(ROOT, 'dist/wasm');
export const PLAYER_MODULE = path.join(WASM_BASE, 'livewasm_player.mjs');
const PLAYER_MODULES = [PLAYER_MODULE, path.join(WASM_BASE, 'livewasm_player_simd.mjs')];
export const PLAYER_API = path.join(ROOT, 'js-api/live_player.js');
export const PACKAGE_ENTRY = path.join(ROOT, 'js-api/index.js');
export const MPEGTS = path.join(ROOT, 'node_modules/mpegts.js/dist/mpegts.js');

// Why the player tests cannot run here, or null (a test file skips with this message).
export function playerMissing({ gateway = true } = {}) {
  const modules = PLAYER_MODULES.some((f) => existsSync(f)) ? [] : [PLAYER_MODULE];
  const missing = [PLAYER_API, PACKAGE_ENTRY, ...modules, ...(gateway ? [GATEWAY] : [])].filter((f) => !existsSync(f));
  return missing.length ? `the player is not built yet: ${missing.map((f) => path.relative(ROOT, f)).join(', ')} missing` : null;
}

export function peerMissing() {
  return existsSync(MPEGTS) ? null : `${path.relative(ROOT, MPEGTS)} missing (npm install)`;
}

// No inline script (the page runs under the Content-Security-Policy of tests/engines/csp.test.mjs too):
// the page's own code is served as /lw_player_page.js and /lw_player_import.js.
const PAGE = `<!doctype html><meta charset="utf-8"><title>player test</title>
<style>body { margin: 0; } live-player, video { display: inline-block; width: 320px; height: 240px; background: #000; }</style>
<body>
<script src="/node_modules/mpegts.js/dist/mpegts.js"></script>
<script src="/lw_probe.js"></script>
<script src="/lw_player_page.js"></script>
<script type="module" src="/lw_player_import.js"></script>`;
// Messages between page, worker and worklets are checked against their declarations on this page
// (worker/message_contract.js); a mismatch is logged with 'message contract (' and fails the env's close().
const PAGE_SCRIPT = `window.LIVEWASM_CHECK_MESSAGES = true;
window.addEventListener('error', (e) => console.error('window error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => console.error('unhandled rejection: ' + (e.reason && e.reason.stack || e.reason)));
window.lwEvents = {};
window.lwContexts = {};
window.lwPeers = {};
`;
const IMPORT_SCRIPT = `try {
  window.livewasm = await import('/js-api/index.js');
} catch (e) {
  window.lwImportError = String(e && e.stack || e);
}
window.lwReady = true;
`;

/**
 * @param {object} [o]
 * @param {boolean} [o.nginx]     start nginx-rtmp (default true)
 * @param {boolean} [o.nms]       start node-media-server (default false)
 * @param {boolean} [o.gateway]   start the gateway (default: when it is built)
 * @param {boolean} [o.isolated]  serve the page cross-origin isolated (COOP/COEP)
 * @param {string[]} [o.gatewayArgs]
 * @param {string} [o.engine]    engines.mjs configuration (default env LW_ENGINE, else 'chromium')
 * @param {Record<string, string>} [o.headers]  more response headers for every file served (e.g. a Content-Security-Policy)
 */
export async function startPlayerEnv({ nginx = true, nms = false, gateway = existsSync(GATEWAY), isolated = false, gatewayArgs = [], browserArgs = [], engine = ENGINE, headers = {} } = {}) {
  const env = { closers: [], engine };
  const setup = pageSetup(engine);
  const closeAll = async () => {
    const broken = env.browser ? contractProblems(env.browser) : '';
    for (const c of env.closers.reverse()) await c().catch((e) => console.log(`cleanup: ${e.message}`));
    env.closers = [];
    if (broken) throw new Error(`a message did not match its declaration (worker/*_messages.js):\n${broken}`);
  };
  try {
    if (nginx) {
      env.nginx = await startNginxRtmp();
      env.closers.push(() => env.nginx.stop({ kill: true }));
    }
    if (nms) {
      env.nms = await startNodeMediaServer();
      env.closers.push(() => env.nms.stop({ kill: true }));
    }
    if (gateway) {
      const upstreams = [];
      if (env.nginx) upstreams.push(`127.0.0.1:${env.nginx.port}`);
      if (env.nms) upstreams.push(`127.0.0.1:${env.nms.rtmpPort}`);
      env.gw = await startGateway({ upstreams, args: gatewayArgs });
      env.closers.push(() => env.gw.stop({ signal: 'SIGKILL' }));
      env.gatewayUrl = `ws://127.0.0.1:${env.gw.port}`;
    }
    env.srv = await startStaticServer({ isolated, headers, inject: setup.inject, pages: { ...setup.pages, '/player_test.html': PAGE, '/lw_probe.js': PROBE_SOURCE, '/lw_player_page.js': PAGE_SCRIPT, '/lw_player_import.js': IMPORT_SCRIPT } });
    env.closers.push(() => env.srv.close());
    env.browser = await launchEngine({ engine, args: browserArgs });
    env.closers.push(() => env.browser.close());
    await openTestPage(env);
  } catch (err) {
    await closeAll();
    throw err;
  }
  let next = 1;
  env.addPlayer = (attrs, opts) => addPlayer(env, `p${next++}`, attrs, opts);
  env.addMpegtsPeer = (url, opts) => addMpegtsPeer(env, `v${next++}`, url, opts);
  env.configure = (o) => env.page.evaluate((o) => window.livewasm.configure(o), o);
  env.close = closeAll;
  // A fresh test page in place of the current one (after a page process crash: WebKit's AudioData.copyTo).
  // The new page opens before the old one closes: a WebDriver session ends with its last window.
  env.reload = async () => {
    const old = env.page;
    await openTestPage(env);
    await old.close?.().catch(() => {});
  };
  // Waits until every player in `players` has had statechange `code`: one wait inside the page (its own
  // timer looks at the event logs every 250 ms), not one poll per player from here. With 16 players, 16
  // pollers each fetching a whole event log ten times a second were 160 page calls a second on a main
  // thread that also runs 16 players. Throws after timeoutMs naming the players without it and their codes.
  env.waitCodes = async (players, code, { timeoutMs = 40000 } = {}) => {
    const ids = players.map((p) => p.id);
    const missing = await env.page.evaluate(({ ids, code, timeoutMs }) => new Promise((resolve) => {
      const lacking = () => ids.filter((id) => !(window.lwEvents[id] ?? []).some((e) => e.type === 'statechange' && e.detail?.code === code));
      const deadline = performance.now() + timeoutMs;
      const look = () => {
        const left = lacking();
        if (!left.length || performance.now() > deadline) {
          resolve(left.map((id) => ({ id, codes: (window.lwEvents[id] ?? []).filter((e) => e.type === 'statechange').map((e) => e.detail?.code) })));
        } else setTimeout(look, 250);
      };
      look();
    }), { ids, code, timeoutMs });
    if (missing.length) {
      throw new Error(`statechange ${code} not within ${timeoutMs} ms for ${missing.length} of ${ids.length} players: ` +
        `${missing.map((m) => `${m.id} ${JSON.stringify(m.codes)}`).join('; ')}\nbrowser log (last 60 lines):\n${env.browser.logText().split('\n').slice(-60).join('\n')}`);
    }
  };
  env.probe = {
    read: (id) => env.page.evaluate((id) => window.lwProbe.read(id), id),
    stop: (id) => env.page.evaluate((id) => window.lwProbe.stop(id), id),
  };
  return env;
}

// The test page in a new tab: loaded, the package imported (or env.importError), configured.
async function openTestPage(env) {
  env.page = await env.browser.newPage();
  await env.page.goto(env.srv.url('/player_test.html'));
  await until(() => env.page.evaluate(() => window.lwReady === true && !!window.lwProbe), { timeoutMs: 15000, what: 'the test page loaded' })
    .catch((e) => { throw new Error(`${e.message}\nbrowser log:\n${env.browser.logText()}`); });
  env.importError = await env.page.evaluate(() => window.lwImportError ?? null);
  if (env.importError === null) {
    const options = {};
    if (env.gatewayUrl) options.gateway = env.gatewayUrl;
    if (process.env.LW_PLAYER_WASM_BASE) options.wasmBase = env.srv.url(`/${path.relative(ROOT, WASM_BASE).split(path.sep).join('/')}/`);
    await env.page.evaluate((o) => window.livewasm.configure(o), options);
  }
}

const EVENT_TYPES = ['statechange', 'netstatus', 'error', 'fullscreenchange', 'audiovolumenotify'];

// A <live-player> with these attributes (kebab-case; true = present), appended to the page, after
// configure(opts.configure) when given. Returns a handle for its events and probes.
async function addPlayer(env, id, attrs, { configure, style, context = false } = {}) {
  const page = env.page;
  if (env.importError) throw new Error(`the page could not import js-api/index.js: ${env.importError}`);
  if (configure) await env.configure(configure);
  await page.evaluate(({ id, attrs, style, types, context }) => {
    const el = document.createElement('live-player');
    el.id = id;
    if (style) el.setAttribute('style', style);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === true) el.setAttribute(k, '');
      else if (v !== false && v != null) el.setAttribute(k, String(v));
    }
    const log = (window.lwEvents[id] = []);
    for (const type of types) {
      el.addEventListener(type, (e) => {
        const t = performance.now();
        log.push({ type, t, e: performance.timeOrigin + t, detail: JSON.parse(JSON.stringify(e.detail ?? null)) });
        // Codes and errors go to the browser log; the periodic events (netstatus once a second, the
        // volume five times) do not: 16 players' console lines alone filled the page's main thread.
        if (type !== 'netstatus' && type !== 'audiovolumenotify') console.log(`[${id}] ${type} ${JSON.stringify(e.detail)}`);
      });
    }
    document.body.appendChild(el);
    if (context) window.lwContexts[id] = window.livewasm.createLivePlayerContext(id);
  }, { id, attrs, style, types: EVENT_TYPES, context });

  const all = () => page.evaluate((id) => window.lwEvents[id] ?? [], id);
  const p = {
    id,
    attrs,
    page,
    all,
    events: async (type) => (await all()).filter((e) => e.type === type),
    codes: async () => (await all()).filter((e) => e.type === 'statechange').map((e) => e.detail.code),
    netstatus: async () => (await all()).filter((e) => e.type === 'netstatus').map((e) => ({ t: e.t, ...e.detail.info })),
    waitCode: (code, { timeoutMs = 20000, after = -Infinity } = {}) =>
      p.waitEvent((e) => e.type === 'statechange' && e.detail.code === code && e.t > after, { timeoutMs, what: `statechange ${code}` }),
    async waitEvent(pred, { timeoutMs = 20000, what = 'event' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const events = await all();
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) {
          const codes = events.filter((e) => e.type === 'statechange').map((e) => e.detail.code);
          const errors = events.filter((e) => e.type === 'error').map((e) => JSON.stringify(e.detail));
          throw new Error(`[${id}] ${what}: not within ${timeoutMs} ms; codes so far ${JSON.stringify(codes)}; errors ${errors.join('; ')}\n` +
            `browser log (last 60 lines):\n${env.browser.logText().split('\n').slice(-60).join('\n')}`);
        }
        await sleep(100);
      }
    },
    // Starts the picture probe on what shows the element's pictures (videoSurface: its canvas, or the
    // <video> of the 'video' renderer).
    watchPicture: ({ srcWidth = 320, srcHeight = 240, fit = attrs['object-fit'] ?? 'contain' } = {}) =>
      page.evaluate(({ id, srcWidth, srcHeight, fit }) => {
        const el = document.getElementById(id);
        return window.lwProbe.watchPicture(el.videoSurface ?? el.videoCanvas, { srcWidth, srcHeight, fit });
      }, { id, srcWidth, srcHeight, fit }),
    // Starts the audio probe on player.audioNode once the player has one.
    async watchAudio(opts = {}, { timeoutMs = 15000 } = {}) {
      await until(() => page.evaluate((id) => !!document.getElementById(id)?.player?.audioNode, id), { timeoutMs, what: `[${id}] player.audioNode` });
      return page.evaluate(({ id, opts }) => {
        const pl = document.getElementById(id).player;
        return window.lwProbe.watchAudio(pl.audioContext, pl.audioNode, opts);
      }, { id, opts });
    },
    read: (probeId) => env.probe.read(probeId),
    // performance.now() on the page (for windows of time).
    now: () => page.evaluate(() => performance.now()),
    context: (method, arg) => page.evaluate(({ id, method, arg }) => {
      const ctx = window.lwContexts[id] ?? (window.lwContexts[id] = window.livewasm.createLivePlayerContext(id));
      return Promise.resolve(ctx[method](arg)).then((r) => JSON.parse(JSON.stringify(r ?? null, (k, v) => (typeof v === 'object' && v instanceof Blob ? `[Blob ${v.size}]` : v))),
        (e) => ({ failed: String(e && (e.errMsg || e.message) || e) }));
    }, { id, method, arg }),
    stop: () => p.context('stop'),
    remove: async () => {
      await p.stop().catch(() => {});
      await page.evaluate((id) => document.getElementById(id)?.remove(), id);
    },
  };
  return p;
}

// mpegts.js (the independent reference) playing an HTTP-FLV or WS-FLV url into a <video>, tuned for low
// delay (no stash buffer, latency chasing on). Events in window.lwPeers[id].events.
async function addMpegtsPeer(env, id, url, { hasAudio = true, hasVideo = true, config = {}, muted = false } = {}) {
  const page = env.page;
  await page.evaluate(({ id, url, hasAudio, hasVideo, config, muted }) => {
    const v = document.createElement('video');
    v.id = id;
    v.autoplay = true;
    v.muted = muted;
    v.playsInline = true;
    document.body.appendChild(v);
    const peer = (window.lwPeers[id] = { events: [], video: v });
    const mp = window.mpegts;
    const player = mp.createPlayer({ type: 'flv', isLive: true, url, hasAudio, hasVideo }, {
      enableWorker: false,
      enableStashBuffer: false,
      lazyLoad: false,
      liveBufferLatencyChasing: true,
      liveBufferLatencyMaxLatency: 0.8,
      liveBufferLatencyMinRemain: 0.2,
      ...config,
    });
    peer.player = player;
    for (const ev of [mp.Events.ERROR, mp.Events.MEDIA_INFO, mp.Events.LOADING_COMPLETE]) {
      player.on(ev, (...a) => {
        const t = performance.now();
        peer.events.push({ type: ev, t, e: performance.timeOrigin + t, detail: JSON.parse(JSON.stringify(a.length > 1 ? a : a[0] ?? null)) });
        console.log(`[${id}] mpegts ${ev} ${JSON.stringify(a).slice(0, 300)}`);
      });
    }
    player.attachMediaElement(v);
    player.load();
    Promise.resolve(player.play()).catch((e) => console.error(`[${id}] play(): ${e}`));
  }, { id, url, hasAudio, hasVideo, config, muted });
  const peer = {
    id,
    url,
    events: () => page.evaluate((id) => window.lwPeers[id].events, id),
    state: () => page.evaluate((id) => {
      const v = window.lwPeers[id].video;
      const b = v.buffered;
      return { currentTime: v.currentTime, readyState: v.readyState, paused: v.paused, width: v.videoWidth, height: v.videoHeight,
        bufferedEnd: b.length ? b.end(b.length - 1) : null, quality: v.getVideoPlaybackQuality?.() ? { dropped: v.getVideoPlaybackQuality().droppedVideoFrames, total: v.getVideoPlaybackQuality().totalVideoFrames } : null };
    }, id),
    waitPlaying: (timeoutMs = 15000) => until(() => page.evaluate((id) => {
      const v = window.lwPeers[id].video;
      return v.readyState >= 2 && v.currentTime > 0 && v.videoWidth > 0;
    }, id), { timeoutMs, what: `[${id}] mpegts.js playing ${url}` }).catch(async (e) => {
      throw new Error(`${e.message}; events ${JSON.stringify(await peer.events())}\nbrowser log:\n${env.browser.logText().split('\n').slice(-40).join('\n')}`);
    }),
    watchPicture: ({ srcWidth = 320, srcHeight = 240 } = {}) =>
      page.evaluate(({ id, srcWidth, srcHeight }) => window.lwProbe.watchPicture(window.lwPeers[id].video, { srcWidth, srcHeight }), { id, srcWidth, srcHeight }),
    // The element's sound through a MediaElementAudioSourceNode in a context of its own.
    watchAudio: (opts = {}) => page.evaluate(async ({ id, opts }) => {
      const peer = window.lwPeers[id];
      if (!peer.audioContext) {
        peer.audioContext = new AudioContext();
        peer.source = peer.audioContext.createMediaElementSource(peer.video);
        peer.source.connect(peer.audioContext.destination);
        await peer.audioContext.resume();
      }
      return window.lwProbe.watchAudio(peer.audioContext, peer.source, opts);
    }, { id, opts }),
    read: (probeId) => env.probe.read(probeId),
    remove: () => page.evaluate((id) => {
      const peer = window.lwPeers[id];
      try { peer.player.destroy(); } catch {}
      peer.audioContext?.close();
      peer.video.remove();
    }, id),
  };
  return peer;
}

// ---------------------------------------------------------------------------------------------
// An HTTP-FLV server of our own: serves an FLV Buffer as a live stream (tags paced by their timestamps),
// with CORS for the page, and `cut()` to break every open response mid-stream (a source that dies).
//
//   const srv = await startFlvHttpServer();  srv.set('/a.flv', data);  srv.url('/a.flv');  srv.cut();  await srv.close();
// One player page and an HTTP server for FLV files for the tests of a describe() block: started before
// them and closed after them (the last `logLines` lines of the browser's log printed). Its env and
// flvServer fields are set by the time the tests run.
export function useHttpFlvPlayer({ logLines = 40 } = {}) {
  const ctx = { env: null, flvServer: null };
  before(async () => {
    ctx.env = await startPlayerEnv({ nms: false, nginx: false, gateway: false });
    ctx.flvServer = await startFlvHttpServer();
  });
  after(async () => {
    await ctx.flvServer?.close();
    if (ctx.env) console.log(`browser log (last lines):\n${ctx.env.browser.logText().split('\n').slice(-logLines).join('\n')}`);
    await ctx.env?.close();
  });
  return ctx;
}

export async function startFlvHttpServer({ realtime = true } = {}) {
  const files = new Map();
  const open = new Set();
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, at: performance.now() });
    const cors = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    if (req.method === 'OPTIONS') { res.writeHead(204, { ...cors, 'Access-Control-Allow-Headers': '*' }); return res.end(); }
    const data = files.get(url.pathname);
    if (!data) { res.writeHead(404, cors); return res.end('not found\n'); }
    res.writeHead(200, { ...cors, 'Content-Type': 'video/x-flv' });
    open.add(res);
    res.on('close', () => open.delete(res));
    const { headerEnd, tags } = flvTags(data);
    res.write(data.subarray(0, headerEnd));
    const start = performance.now();
    const ts0 = tags.find((t) => t.type !== 'script')?.ts ?? 0;
    let i = 0;
    while (i < tags.length && !res.destroyed) {
      if (realtime) {
        const due = start + Math.max(0, tags[i].ts - ts0);
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
      }
      let j = i;
      while (j < tags.length && (!realtime || start + Math.max(0, tags[j].ts - ts0) <= performance.now() + 1)) j++;
      if (j === i) j = i + 1;
      if (res.destroyed) break;
      res.write(data.subarray(tags[i].start, tags[j - 1].end));
      i = j;
    }
    if (!res.destroyed) res.end();
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    port,
    requests,
    set: (p, data) => files.set(p, data),
    url: (p) => `http://127.0.0.1:${port}${p}`,
    openCount: () => open.size,
    // Breaks every open response (TCP reset), as a dying source would.
    cut: () => { for (const s of sockets) s.destroy(); },
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

// ---------------------------------------------------------------------------------------------
// Watching a player for a while: what it showed, what it said.

/**
 * Probes a playing player's picture (and sound when `audio`) for `ms` and returns
 * {picture, audio, order (picture_probe orderReport), dropped (droppedFrames reported during the window),
 *  net (netstatus infos during the window), codes (all statechange codes so far)}.
 */
export async function watchPlayback(p, { ms = 5000, audio = false, srcWidth = 320, srcHeight = 240, audioOpts } = {}) {
  const { orderReport } = await import('./picture_probe.mjs');
  const pic = await p.watchPicture({ srcWidth, srcHeight });
  const aud = audio ? await p.watchAudio(audioOpts) : null;
  const from = await p.now();
  await sleep(ms);
  const picture = await p.read(pic);
  const heard = aud ? await p.read(aud) : null;
  await p.page.evaluate((ids) => ids.forEach((id) => id && window.lwProbe.stop(id)), [pic, aud]);
  // Counters reported for the window: from the last netstatus before it (zero for a fresh player) to one
  // that came after it (netstatus is about once a second, so wait for the next one).
  await nextNetstatus(p, { timeoutMs: 2500 }).catch(() => {});
  const all = await p.netstatus();
  const base = all.filter((n) => n.t <= from).at(-1) ?? { droppedFrames: 0, skips: 0 };
  const net = all.filter((n) => n.t > from);
  const delta = (k) => (net.length ? (net.at(-1)[k] ?? 0) - (base[k] ?? 0) : 0);
  return { picture, audio: heard, order: orderReport(picture.frames), dropped: delta('droppedFrames'), skips: delta('skips'), net, codes: await p.codes(), from };
}

/** Waits for the player's next netstatus (one that comes after now) and returns it. */
export async function nextNetstatus(p, { timeoutMs = 3000 } = {}) {
  const t = await p.now();
  return until(async () => (await p.netstatus()).find((n) => n.t > t), { timeoutMs, what: 'a netstatus after now' });
}

// The gaps in the shown numbers are all explained by what the player reported as dropped, allowing for
// the probe's own sampling (a frame shown for less than one display refresh can be missed by it).
// Gaps the probe may have caused itself (it was not sampling: orderReport's `unexplained`) are left out.
// A jump to a later key frame is reported too when netstatus `skips` counts it: a gap within 1.5 s of a
// netstatus sample whose `skips` went up is taken as that jump.
export function unreportedGaps(w, { slack = 2 } = {}) {
  const jumped = (g) => w.net.some((n, i) => i > 0 && (n.skips ?? 0) > (w.net[i - 1].skips ?? 0) && Math.abs(n.t - g.t) <= 1500 + 1000);
  const gaps = w.order.unexplained.filter((g) => !jumped(g));
  const missing = gaps.reduce((s, g) => s + g.missing, 0);
  const allowance = w.dropped + slack + Math.ceil(0.02 * w.order.count);
  return missing > allowance
    ? `${missing} numbers missing (${JSON.stringify(gaps.slice(0, 8))}) but only ${w.dropped} frames reported dropped and ${w.skips} key-frame jumps (allowance ${allowance})`
    : null;
}

export { sleep, until };
