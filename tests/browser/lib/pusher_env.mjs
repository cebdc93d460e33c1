// Everything a pusher acceptance test needs, started once per test file: nginx-rtmp, the gateway
// allowed to reach it, the static server for the repo root (js-api/, worker/, web/, dist/wasm/), the
// fixtures and one Chromium with a page that has imported the package and configured the gateway.
//
//   const env = await startPushEnv({ camera: { noise: 8 } });
//   const p = await env.addPusher({ url: env.nginx.url('a'), mode: 'RTC', 'min-bitrate': 200, ... });
//   await p.waitCode(1002);
//   p.codes(), p.events('netstatus'), await p.stop();
//   await env.close();
//
// The page side keeps every event of every <live-pusher> it made in window.lwEvents[id] as
// {type, t (performance.now ms), detail}; start()'s outcome is recorded as a `start-result` event.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, sleep } from '../../interop/lib/tools.mjs';
import { startNginxRtmp } from '../../interop/lib/nginx.mjs';
import { startGateway, GATEWAY, until } from '../../interop/lib/gateway.mjs';
import { ENGINE, launchEngine, pageSetup } from './engines.mjs';
import { contractProblems } from './page_console.mjs';
import { startStaticServer } from './static_server.mjs';
import { cameraFixture, toneFixture } from './fixtures.mjs';

export const WASM_MODULE = path.join(ROOT, 'dist/wasm/livewasm_pusher.mjs');
export const PUSHER_ENTRY = path.join(ROOT, 'js-api/index.js');

// Why a pusher test cannot run here, or null (a test's before() throws with it: a missing build is a
// failure, not a skip). { wasm: false } for tests that end before the worker loads the module.
export function pusherMissing({ wasm = true } = {}) {
  const missing = [PUSHER_ENTRY, GATEWAY, ...(wasm ? [WASM_MODULE] : [])].filter((f) => !existsSync(f));
  return missing.length ? `not built yet: ${missing.map((f) => path.relative(ROOT, f)).join(', ')}` : null;
}

// No inline script (the page runs under the Content-Security-Policy of tests/engines/csp.test.mjs too).
const PAGE = `<!doctype html><meta charset="utf-8"><title>pusher test</title>
<style>live-pusher { display: block; width: 180px; height: 320px; }</style>
<body>
<script type="module" src="/lw_pusher_import.js"></script>
<script src="/lw_pusher_page.js"></script>`;
const IMPORT_SCRIPT = `import * as livewasm from '/js-api/index.js';
window.livewasm = livewasm;
window.lwEvents = {};
window.lwContexts = {};
window.lwReady = true;
`;
// Messages between page, worker and worklets are checked against their declarations on this page
// (worker/message_contract.js); a mismatch is logged with 'message contract (' and fails the env's close().
const PAGE_SCRIPT = `window.LIVEWASM_CHECK_MESSAGES = true;
window.addEventListener('error', (e) => console.error('window error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => console.error('unhandled rejection: ' + (e.reason && e.reason.stack || e.reason)));
`;

/**
 * @param {object} [o]
 * @param {object} [o.camera]  cameraFixture recipe
 * @param {object} [o.tone]    toneFixture recipe
 * @param {string[]} [o.gatewayArgs]
 * @param {(gwPort: number) => Promise<{port: number}>} [o.uplink]  e.g. a throttle proxy in front of the gateway
 * @param {string} [o.engine]  engines.mjs configuration (default env LW_ENGINE, else 'chromium'); outside Chromium the
 *   camera and microphone are the engine's own fakes (env.cam / env.mic describe Chromium's files only)
 * @param {Record<string, string>} [o.headers]  more response headers for every file served (e.g. a Content-Security-Policy)
 */
export async function startPushEnv({ camera = {}, tone = {}, gatewayArgs = [], uplink, engine = ENGINE, headers = {} } = {}) {
  const env = { closers: [], engine };
  const setup = pageSetup(engine);
  const closeAll = async () => {
    const broken = env.browser ? contractProblems(env.browser) : '';
    for (const c of env.closers.reverse()) await c().catch((e) => console.log(`cleanup: ${e.message}`));
    env.closers = [];
    if (broken) throw new Error(`a message did not match its declaration (worker/*_messages.js):\n${broken}`);
  };
  try {
    env.cam = await cameraFixture(camera);
    env.mic = await toneFixture(tone);
    env.nginx = await startNginxRtmp();
    env.closers.push(() => env.nginx.stop({ kill: true }));
    env.gw = await startGateway({ upstreams: [`127.0.0.1:${env.nginx.port}`], args: gatewayArgs });
    env.closers.push(() => env.gw.stop({ signal: 'SIGKILL' }));
    env.uplink = uplink ? await uplink(env.gw.port) : null;
    if (env.uplink) env.closers.push(() => env.uplink.close());
    env.gatewayUrl = `ws://127.0.0.1:${env.uplink ? env.uplink.port : env.gw.port}`;
    env.srv = await startStaticServer({ headers, inject: setup.inject, pages: { ...setup.pages, '/pusher_test.html': PAGE, '/lw_pusher_import.js': IMPORT_SCRIPT, '/lw_pusher_page.js': PAGE_SCRIPT } });
    env.closers.push(() => env.srv.close());
    env.browser = await launchEngine({ engine, videoFile: env.cam.file, audioFile: env.mic.file });
    env.closers.push(() => env.browser.close());
    env.page = await env.browser.newPage();
    await env.page.goto(env.srv.url('/pusher_test.html'));
    await until(() => env.page.evaluate(() => window.lwReady === true), { timeoutMs: 10000, what: 'the page imported js-api/index.js' })
      .catch((e) => { throw new Error(`${e.message}\nbrowser log:\n${env.browser.logText()}`); });
    await env.page.evaluate((gateway) => window.livewasm.configure({ gateway }), env.gatewayUrl);
  } catch (err) {
    await closeAll();
    throw err;
  }
  let next = 1;
  env.addPusher = (attrs, opts) => addPusher(env, `p${next++}`, attrs, opts);
  env.close = closeAll;
  return env;
}

// A <live-pusher> with these attributes (kebab-case), appended to the page; start() called unless
// {start: false}. Returns a handle for its events.
async function addPusher(env, id, attrs, { start = true } = {}) {
  const page = env.page;
  await page.evaluate(({ id, attrs, start }) => {
    const el = document.createElement('live-pusher');
    el.id = id;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === true) el.setAttribute(k, '');
      else if (v !== false && v != null) el.setAttribute(k, String(v));
    }
    const log = (window.lwEvents[id] = []);
    for (const type of ['statechange', 'netstatus', 'error']) {
      el.addEventListener(type, (e) => {
        log.push({ type, t: performance.now(), detail: JSON.parse(JSON.stringify(e.detail ?? null)) });
        // Codes and errors go to the browser log; the periodic events (netstatus once a second, the
        // volume five times) do not: 16 players' console lines alone filled the page's main thread.
        if (type !== 'netstatus' && type !== 'audiovolumenotify') console.log(`[${id}] ${type} ${JSON.stringify(e.detail)}`);
      });
    }
    document.body.appendChild(el);
    if (start) {
      const ctx = window.livewasm.createLivePusherContext(id);
      window.lwContexts[id] = ctx;
      ctx.start().then(
        (r) => log.push({ type: 'start-result', t: performance.now(), detail: { ok: true, result: JSON.parse(JSON.stringify(r ?? null)) } }),
        (e) => log.push({ type: 'start-result', t: performance.now(), detail: { ok: false, error: String(e && (e.errMsg || e.message) || e) } }),
      );
    }
  }, { id, attrs, start });

  const all = () => page.evaluate((id) => window.lwEvents[id] ?? [], id);
  const p = {
    id,
    attrs,
    all,
    events: async (type) => (await all()).filter((e) => e.type === type),
    codes: async () => (await all()).filter((e) => e.type === 'statechange').map((e) => e.detail.code),
    // Waits for a statechange with this code (or a predicate over all events); returns the event.
    waitCode: (code, { timeoutMs = 20000 } = {}) =>
      p.waitEvent((e) => e.type === 'statechange' && e.detail.code === code, { timeoutMs, what: `statechange ${code}` }),
    async waitEvent(pred, { timeoutMs = 20000, what = 'event' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const events = await all();
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) {
          const codes = events.filter((e) => e.type === 'statechange').map((e) => e.detail.code);
          const errors = events.filter((e) => e.type === 'error' || e.type === 'start-result').map((e) => JSON.stringify(e.detail));
          throw new Error(`[${id}] ${what}: not within ${timeoutMs} ms; codes so far ${JSON.stringify(codes)}; ${errors.join('; ')}\n` +
            `browser log:\n${env.browser.logText()}`);
        }
        await sleep(100);
      }
    },
    context: (method, arg) => page.evaluate(({ id, method, arg }) => {
      const ctx = window.lwContexts[id] ?? (window.lwContexts[id] = window.livewasm.createLivePusherContext(id));
      return Promise.resolve(ctx[method](arg)).then((r) => JSON.parse(JSON.stringify(r ?? null)), (e) => ({ failed: String(e && (e.errMsg || e.message) || e) }));
    }, { id, method, arg }),
    stop: () => p.context('stop'),
    remove: async () => {
      await p.stop().catch(() => {});
      await page.evaluate((id) => document.getElementById(id)?.remove(), id);
    },
  };
  return p;
}

// Indices of the first occurrence of each code in `codes` (-1 when absent).
export function firstIndex(codes, ...wanted) {
  return wanted.map((c) => codes.indexOf(c));
}

export { sleep };
