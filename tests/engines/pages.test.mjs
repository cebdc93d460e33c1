// The two pages a person opens, in the engine of LW_ENGINE: the demo (demo/index.html, the URL the main
// command prints) and the port of docs/porting.md, driven through the DOM (element.click(): WebDriver
// pages have no Playwright locators), with the engine's own fake camera. The demo: start -> the event
// log shows 1002; play -> 2004, the player's picture is not black and netstatus counts frames; a
// control reaches its element. The port: "Go live" -> its status line reaches "live, watching"
// (pusher 1002 set the player's src, player 2004), the snapshot <img> fills, "End" ends.
// One browser for the file; plain Firefox (no audio context) must get through both too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startPushEnv, pusherMissing } from '../browser/lib/pusher_env.mjs';
import { pageSetup } from '../browser/lib/engines.mjs';
import { startStaticServer } from '../browser/lib/static_server.mjs';
import { ROOT } from '../interop/lib/tools.mjs';
import { until } from '../interop/lib/gateway.mjs';
import { CONFIG } from './lib/engine_checks.mjs';

let env;
let portSrv;
before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pages cannot run: ${missing}`);
  env = await startPushEnv();
  console.log(`${CONFIG.name}: ${env.browser.engine} ${env.browser.version}`);
  const guide = readFileSync(path.join(ROOT, 'docs/porting.md'), 'utf8');
  const port = /```html port\/index\.html\n([\s\S]*?)\n```/.exec(guide)?.[1];
  assert.ok(port, 'docs/porting.md has the port/index.html block');
  const html = port.replace('./node_modules/livewasm/js-api/index.js', '/js-api/index.js')
    .replace("'ws://127.0.0.1:8090'", `'${env.gatewayUrl}'`)
    .replace("'rtmp://127.0.0.1:1935/live/anchor'", `'${env.nginx.url('anchor')}'`);
  const setup = pageSetup();
  portSrv = await startStaticServer({ inject: setup.inject, pages: { ...setup.pages, '/port/index.html': html } });
});
after(async () => {
  if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-60).join('\n')}`);
  await portSrv?.close();
  await env?.close();
});

// In the page: clicks the first element matching `selector` (and, when given, whose text is `text`).
const click = (page, selector, text = null) => page.evaluate(({ selector, text }) => {
  const el = [...document.querySelectorAll(selector)].find((e) => text === null || e.textContent.trim() === text);
  if (!el) throw new Error(`nothing to click: ${selector} ${text ?? ''}`);
  el.click();
}, { selector, text });
const textOf = (page, selector) => page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);

test('demo: start pushes (1002), play plays (2004) a picture that is not black, a control reaches its element', async () => {
  const page = await env.browser.newPage();
  const q = new URLSearchParams({ push: env.nginx.url('demo'), play: env.nginx.url('demo'), gateway: env.gatewayUrl });
  await page.goto(env.srv.url(`/demo/index.html?${q}`));
  const log = () => textOf(page, '#log');
  const failLog = async () => `\nevent log:\n${await log()}\nbrowser log:\n${env.browser.logText().split('\n').slice(-40).join('\n')}`;
  try {
    await until(() => page.evaluate(() => !!window.demo && !!document.querySelector('live-player')?.player), { timeoutMs: 15000, what: 'the demo set itself up' });
    await page.evaluate(() => {
      const f = document.getElementById('follow');
      f.checked = false;
      f.dispatchEvent(new Event('change', { bubbles: true }));
      document.getElementById('player').addEventListener('netstatus', (e) => { window.demoTestInfo = e.detail.info; });
    });
    await click(page, '#pusher-methods button[data-method="start"]');
    await until(async () => (await log()).includes('1002 PUSH_EVT_PUSH_BEGIN'), { timeoutMs: 30000, what: 'the log shows 1002' })
      .catch(async (e) => { throw new Error(e.message + await failLog()); });
    await click(page, '#player-methods button[data-method="play"]');
    await until(async () => (await log()).includes('2004 PLAY_EVT_PLAY_BEGIN'), { timeoutMs: 25000, what: 'the log shows 2004' })
      .catch(async (e) => { throw new Error(e.message + await failLog()); });
    // Frames flowing: a live player with min-cache 1 shows its first picture at once and may then buffer a
    // few seconds (Firefox: 2-3 s at cacheMs 0 while the data came; WebKit's pusher starts slowly).
    await until(() => page.evaluate(() => (window.demoTestInfo?.videoFPS ?? 0) > 5), { timeoutMs: 20000, what: 'the player\'s netstatus counts frames' })
      .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await page.evaluate(() => window.demoTestInfo ?? null))}${await failLog()}`); });
    // The player's picture, copied from its canvas on the page: luma mean and spread.
    const picture = await page.evaluate(() => {
      const src = (document.getElementById('player').videoSurface ?? document.getElementById('player').videoCanvas);
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 64;
      const g = c.getContext('2d', { willReadFrequently: true });
      g.drawImage(src, 0, 0, 64, 64);
      const px = g.getImageData(0, 0, 64, 64).data;
      let sum = 0, lo = 255, hi = 0;
      for (let i = 0; i < px.length; i += 4) {
        const y = (px[i] * 77 + px[i + 1] * 150 + px[i + 2] * 29) >> 8;
        sum += y; lo = Math.min(lo, y); hi = Math.max(hi, y);
      }
      return { mean: Math.round(sum / (px.length / 4)), spread: hi - lo, info: window.demoTestInfo ?? null };
    });
    console.log(`demo player picture: ${JSON.stringify(picture)}`);
    // Not black: the engines' fake cameras differ (Firefox: one flat colour, e.g. mean 124 spread 1; WebKit:
    // a dark picture with bright marks, mean 12 spread 253), so either a lit picture or one with detail.
    assert.ok(picture.mean > 40 || picture.spread > 40, `the player's picture is not black: ${JSON.stringify(picture)}${await failLog()}`);
    await page.evaluate(() => {
      const s = document.querySelector('#player-controls select[data-attr="object-fit"]');
      s.value = 'fillCrop';
      s.dispatchEvent(new Event('change', { bubbles: true }));
    });
    assert.equal(await page.evaluate(() => document.getElementById('player').player.attrs.objectFit), 'fillCrop', 'a control reaches the element');
    await click(page, '#pusher-methods button[data-method="stop"]');
    await until(async () => /stop:ok/.test(await textOf(page, '#pusher-result')), { timeoutMs: 10000, what: 'stop result shown' });
  } finally {
    await page.close();
  }
});

test('the ported page goes live, watches itself, snapshots and ends', async () => {
  const page = await env.browser.newPage();
  await page.goto(portSrv.url('/port/index.html'));
  const status = () => textOf(page, '#status');
  try {
    await until(async () => (await status()) === 'ready', { timeoutMs: 15000, what: 'the page rendered its data ("ready")' });
    await click(page, 'button', 'Go live');
    await until(async () => (await status()) === 'live, watching', { timeoutMs: 35000, what: 'the status line reaches "live, watching"' })
      .catch(async (e) => { throw new Error(`${e.message}; status is "${await status()}"\n${env.browser.logText().split('\n').slice(-40).join('\n')}`); });
    await click(page, 'button', 'Snapshot');
    await until(() => page.evaluate(() => {
      const img = document.getElementById('shot');
      return img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0;
    }), { timeoutMs: 10000, what: 'the snapshot <img> shows a picture' });
    await click(page, 'button', 'End');
    assert.equal(await status(), 'ended');
    await until(async () => !/<name>anchor<\/name>/.test(await env.nginx.stat()), { timeoutMs: 10000, what: 'nginx no longer lists the stream' });
  } finally {
    await page.close();
  }
});
