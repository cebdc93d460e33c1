// The demo page (demo/index.html) opened as a person would: the URL the main command prints (push, play
// and gateway in its query), start on the pusher (the fake camera carries the frame-number barcode of
// fixtures.mjs), play on the player. Checked from page screenshots decoded here in Node: the player's
// area shows the camera picture (not black, frame numbers advancing); the event log names 1002 and 2004;
// the plots have drawn their lines; a control reaches the element's attribute.
// LW_UPDATE_DOCS_SCREENSHOT=1 writes docs/demo.png (the whole demo while it pushes and plays).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';
import { readBarcode } from './lib/barcode.mjs';
import { decodePng } from './lib/png.mjs';
import { ROOT } from '../interop/lib/tools.mjs';
import { until } from '../interop/lib/gateway.mjs';
import { POLICY } from './lib/csp_policy.mjs';

const CAMERA = { width: 640, height: 360, fps: 30, seconds: 10 };
const SCREENSHOT = path.join(ROOT, 'docs/demo.png');

let env;
let page;
before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the demo cannot run: ${missing}`);
  // Served as a site behind a strict Content-Security-Policy would serve it (README's policy): the demo,
  // its workers, worklets and wasm must work without 'unsafe-eval' or inline script.
  env = await startPushEnv({ camera: CAMERA, headers: { 'Content-Security-Policy': POLICY } });
  page = await env.browser.newPage();
  await page.setViewportSize({ width: 1440, height: 1000 });
});
after(async () => {
  if (env && process.env.LW_DEMO_TEST_LOG) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
});

// The URL scripts/run.mjs prints, with this harness's ports.
function demoUrl() {
  const push = env.nginx.url('demo');
  const q = new URLSearchParams({ push, play: push, gateway: env.gatewayUrl });
  return env.srv.url(`/demo/index.html?${q}`);
}

const logText = () => page.textContent('#log');
const failLog = async () => `\nevent log:\n${await logText()}\nbrowser log:\n${env.browser.logText()}`;

test('demo: start pushes, play shows the camera picture, the log names the codes, the plots draw', async () => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.lwViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.lwViolations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto(demoUrl());
  await until(() => page.evaluate(() => !!window.demo && !!document.querySelector('live-player')?.player), { timeoutMs: 10000, what: 'the demo set itself up' });
  await page.evaluate(() => document.getElementById('player').addEventListener('netstatus', (e) => { window.demoTestInfo = e.detail.info; }));
  // The follow checkbox would play by itself on 1002; this test clicks play as a person would.
  await page.uncheck('#follow');
  await page.click('#pusher-methods button[data-method="start"]');
  await until(async () => (await logText()).includes('1002 PUSH_EVT_PUSH_BEGIN'), { timeoutMs: 25000, what: 'the log shows 1002' })
    .catch(async (e) => { throw new Error(e.message + await failLog()); });
  assert.match(await page.textContent('#pusher-result'), /start:ok/);
  await page.click('#player-methods button[data-method="play"]');
  await until(async () => (await logText()).includes('2004 PLAY_EVT_PLAY_BEGIN'), { timeoutMs: 25000, what: 'the log shows 2004' })
    .catch(async (e) => { throw new Error(e.message + await failLog()); });
  const log = await logText();
  for (const line of ['1003 PUSH_EVT_OPEN_CAMERA_SUCC', '1001 PUSH_EVT_CONNECT_SUCC', '2001 PLAY_EVT_CONNECT_SUCC', 'play:ok']) {
    assert.ok(log.includes(line), `the log has "${line}"${await failLog()}`);
  }

  // The player's picture, from screenshots: the camera (not black) with frame numbers advancing.
  const box = await page.locator('#player').boundingBox();
  const reads = [];
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && new Set(reads.filter((r) => r.n !== null).map((r) => r.n)).size < 4) {
    reads.push(await readPlayerPicture(box));
    await sleep(400);
  }
  const numbers = reads.filter((r) => r.n !== null).map((r) => r.n);
  console.log(`player picture reads: ${JSON.stringify(reads)}`);
  const summary = JSON.stringify(reads.map(({ n, mean, spread }) => ({ n, mean, spread })));
  assert.ok(reads.some((r) => r.mean > 40 && r.spread > 60), `the player's area is not black: ${summary}${await failLog()}`);
  assert.ok(new Set(numbers).size >= 3, `frame numbers read from the player's area: ${summary}${await failLog()}`);
  // Advancing: consecutive distinct reads go forward (the camera file loops every `frames` frames).
  const frames = CAMERA.fps * CAMERA.seconds;
  const steps = numbers.slice(1).map((n, i) => (n - numbers[i] + frames) % frames).filter((d) => d !== 0);
  assert.ok(steps.every((d) => d < frames / 2), `frame numbers go forward: ${numbers.join(' ')}`);

  // The plots: after a few netstatus ticks, series colours inside the plot areas (below the legend).
  await sleep(3000);
  const drawn = await page.evaluate(() => {
    const out = {};
    for (const canvas of document.querySelectorAll('canvas[data-plot]')) {
      const g = canvas.getContext('2d');
      const dpr = canvas.width / canvas.clientWidth;
      const top = Math.ceil(36 * dpr);
      const px = g.getImageData(0, top, canvas.width, canvas.height - top).data;
      // Saturated pixels: the series (axes, grid and text are grey).
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) {
        const max = Math.max(px[i], px[i + 1], px[i + 2]);
        const min = Math.min(px[i], px[i + 1], px[i + 2]);
        if (max - min > 60) coloured++;
      }
      out[canvas.dataset.plot] = coloured;
    }
    return out;
  });
  for (const id of ['bitrate', 'fps', 'buffer', 'delay']) assert.ok(drawn[id] > 30, `plot ${id} drew its lines: ${JSON.stringify(drawn)}`);

  if (process.env.LW_UPDATE_DOCS_SCREENSHOT === '1') {
    await sleep(20000);  // a fuller picture of the plots
    await page.check('#follow');  // as a person finds it
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const size = statSync(SCREENSHOT).size;
    console.log(`wrote ${path.relative(ROOT, SCREENSHOT)} (${size} bytes)`);
    assert.ok(size < 300 * 1024, `docs/demo.png is ${size} bytes`);
  }
  assert.deepEqual(errors, [], 'no uncaught errors on the demo page');
  assert.deepEqual(await page.evaluate(() => window.lwViolations), [], 'no Content-Security-Policy violation');
});

test('demo: changing a control sets the attribute on the element, live where the element takes it live', async () => {
  await page.selectOption('#player-controls select[data-attr="object-fit"]', 'fillCrop');
  assert.equal(await page.getAttribute('#player', 'object-fit'), 'fillCrop');
  assert.equal(await page.evaluate(() => document.getElementById('player').player.attrs.objectFit), 'fillCrop');
  await page.fill('#pusher-controls input[data-attr="beauty"]', '5');
  assert.equal(await page.getAttribute('#pusher', 'beauty'), '5');
  assert.equal(await page.evaluate(() => document.getElementById('pusher').pusher.attrs.beauty), 5);
  await page.uncheck('#pusher-controls input[data-attr="enable-camera"]');
  assert.equal(await page.getAttribute('#pusher', 'enable-camera'), 'false');
  await page.fill('#player-controls input[data-attr="max-cache"]', '4.5');
  await page.locator('#player-controls input[data-attr="max-cache"]').dispatchEvent('change');
  assert.equal(await page.evaluate(() => document.getElementById('player').player.attrs.maxCache), 4.5);
  // Each control says when it takes effect.
  const whens = await page.$$eval('.controls .when', (els) => els.map((e) => e.textContent));
  assert.ok(whens.includes('live') && whens.includes('next start') && whens.includes('next play'), whens.join(','));
  // A decoder is chosen when the player's worker starts: the demo re-creates the player, which plays.
  await page.evaluate(() => { window.demoOldPlayer = document.getElementById('player'); });
  await page.selectOption('#player-controls select[data-attr="video-decoder"]', 'wasm');
  assert.equal(await page.evaluate(() => document.getElementById('player') !== window.demoOldPlayer && !window.demoOldPlayer.isConnected), true, 'a new <live-player>');
  assert.equal(await page.getAttribute('#player', 'video-decoder'), 'wasm');
  assert.equal(await page.getAttribute('#player', 'object-fit'), 'fillCrop', 'the other attributes carried over');
  const begun = (await logText()).split('2004 PLAY_EVT_PLAY_BEGIN').length;
  await page.click('#player-methods button[data-method="play"]');
  await until(async () => (await logText()).split('2004 PLAY_EVT_PLAY_BEGIN').length > begun, { timeoutMs: 20000, what: 'the new player plays' })
    .catch(async (e) => { throw new Error(e.message + await failLog()); });
  // The snapshot button shows its callback result.
  await page.click('#player-methods button[data-method="snapshot"]');
  await until(async () => /snapshot:ok/.test(await page.textContent('#player-result')), { timeoutMs: 5000, what: 'snapshot result shown' });
  await page.click('#pusher-methods button[data-method="stop"]');
  await until(async () => /stop:ok/.test(await page.textContent('#pusher-result')), { timeoutMs: 5000, what: 'stop result shown' });
});

// A screenshot of the player's box, decoded: the mean and spread of its luma, and the frame number
// read from the picture's content rectangle (contain: the video's aspect centred in the box).
async function readPlayerPicture(box) {
  const png = await page.screenshot({ clip: box, scale: 'css', animations: 'allow' });
  const img = decodePng(png);
  const luma = new Uint8Array(img.width * img.height);
  let sum = 0;
  let lo = 255;
  let hi = 0;
  for (let i = 0, j = 0; i < luma.length; i++, j += 4) {
    const y = (img.data[j] * 77 + img.data[j + 1] * 150 + img.data[j + 2] * 29) >> 8;
    luma[i] = y;
    sum += y;
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  }
  const info = await page.evaluate(() => window.demoTestInfo);
  const vw = info?.videoWidth || 9;
  const vh = info?.videoHeight || 16;
  const s = Math.min(img.width / vw, img.height / vh);
  const cw = Math.round(vw * s);
  const ch = Math.round(vh * s);
  const x0 = Math.round((img.width - cw) / 2);
  const y0 = Math.round((img.height - ch) / 2);
  const code = readBarcode(luma.subarray(y0 * img.width + x0), { width: cw, height: ch, stride: img.width, srcWidth: CAMERA.width, srcHeight: CAMERA.height });
  return { n: code.number, mean: Math.round(sum / luma.length), spread: hi - lo };
}


test('demo: by default the player plays what the pusher pushes as soon as the push begins', async () => {
  await page.addInitScript(() => {
    window.lwViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.lwViolations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto(demoUrl());
  assert.equal(await page.isChecked('#follow'), true);
  await page.click('#pusher-methods button[data-method="start"]');
  await until(async () => (await logText()).includes('2004 PLAY_EVT_PLAY_BEGIN'), { timeoutMs: 30000, what: 'the player began by itself' })
    .catch(async (e) => { throw new Error(e.message + await failLog()); });
  await page.click('#pusher-methods button[data-method="stop"]');
  await page.close();
});
