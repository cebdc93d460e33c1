// docs/porting.md runs: the port it shows (the ```html port/index.html block) is cut out of the guide,
// pointed at this test's nginx-rtmp and gateway, served, and used as a person would. "Go live" pushes
// the fake camera (frame-number barcode), the page's own statechange handlers move its status line to
// "live, watching" once the player it fills in shows a picture, the player shows the camera's frames in
// order, the snapshot button fills the <img>, "End" stops the push. The guide's claim that the Page({...})
// object is the mini-program's code with only the lines marked "// was:" changed is checked too, and so is
// that the port keeps every attribute the WXML template set.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, sleep } from '../interop/lib/tools.mjs';
import { until } from '../interop/lib/gateway.mjs';
import { startPushEnv, pusherMissing } from './lib/pusher_env.mjs';
import { startStaticServer } from './lib/static_server.mjs';
import { PROBE_SOURCE, orderReport } from './lib/picture_probe.mjs';

const GUIDE = readFileSync(path.join(ROOT, 'docs/porting.md'), 'utf8');

/** The fenced block whose info string is `<lang> <name>` (e.g. "html port/index.html"). */
function block(name) {
  const m = new RegExp('```\\w+ ' + name.replace(/[./]/g, '\\$&') + '\\n([\\s\\S]*?)\\n```').exec(GUIDE);
  if (!m) throw new Error(`docs/porting.md has no block named ${name}`);
  return m[1];
}

/** The lines of the `Page({ ... });` call in a block. */
function pageObject(source) {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Page({'));
  const end = lines.findIndex((l, i) => i > start && l === '});');
  assert.ok(start >= 0 && end > start, 'a Page({...}); call');
  return lines.slice(start, end + 1);
}

test('the port\'s Page({...}) is the mini-program\'s page.js, changed only on lines that say what they were', () => {
  const original = pageObject(block('mini-program/page.js'));
  const port = pageObject(block('port/index.html'));
  assert.equal(port.length, original.length, 'same number of lines');
  let changed = 0;
  for (let i = 0; i < port.length; i++) {
    if (port[i] === original[i]) continue;
    changed++;
    const was = / \/\/ was: (.*)$/.exec(port[i]);
    assert.ok(was, `line ${i + 1} differs without a "// was:" note:\n  port: ${port[i]}\n  mini-program: ${original[i]}`);
    assert.equal(was[1], original[i].trim(), `line ${i + 1}: the note quotes the mini-program's line`);
  }
  assert.ok(changed >= 1 && changed <= 4, `${changed} changed lines`);
});

test('the port keeps every attribute the WXML template set on the two tags', () => {
  const tagAttributes = (source, tag) => {
    const m = new RegExp(`<${tag}\\b([^>]*)>`).exec(source);
    assert.ok(m, `<${tag}>`);
    return new Set([...m[1].matchAll(/\s([a-z-]+)(?==|\s|\/|$)/g)].map((a) => a[1]));
  };
  const port = block('port/index.html');
  const setByRender = new Set([...port.matchAll(/(\w+)\.setAttribute\('([a-z-]+)'/g)].map((m) => m[2]));
  for (const tag of ['live-pusher', 'live-player']) {
    const wanted = tagAttributes(block('mini-program/page.wxml'), tag);
    const have = new Set([...tagAttributes(port, tag), ...setByRender]);
    const missing = [...wanted].filter((a) => !have.has(a));
    assert.deepEqual(missing, [], `<${tag}> attributes the port lost`);
  }
});

let env;
let srv;
before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the port cannot run: ${missing}`);
  env = await startPushEnv();
  // The guide's page with this test's addresses; the import map points at the package in this checkout
  // (served from the repository root, as node_modules/livewasm would be).
  const html = block('port/index.html')
    .replace('./node_modules/livewasm/js-api/index.js', '/js-api/index.js')
    .replace("'ws://127.0.0.1:8090'", `'${env.gatewayUrl}'`)
    .replace("'rtmp://127.0.0.1:1935/live/anchor'", `'${env.nginx.url('anchor')}'`);
  assert.ok(html.includes(env.gatewayUrl) && html.includes(env.nginx.url('anchor')), 'the addresses were replaced');
  srv = await startStaticServer({ pages: { '/port/index.html': html } });
});
after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await srv?.close();
  await env?.close();
});

test('the ported page goes live, watches itself, snapshots and ends', async () => {
  const page = await env.browser.newPage();
  await page.goto(srv.url('/port/index.html'));
  const status = () => page.textContent('#status');
  await until(async () => (await status()) === 'ready', { timeoutMs: 10000, what: 'the page rendered its data ("ready")' });

  await page.click('text=Go live');
  await until(async () => (await status()) === 'live, watching', {
    timeoutMs: 30000, what: `the status line reaches "live, watching" (pusher 1002 set the player's src, player 2004)`,
  }).catch(async (e) => { throw new Error(`${e.message}; status is "${await status()}"`); });
  // The player's src is the pushed stream, set by onPushState on 1002.
  assert.equal(await page.getAttribute('#player', 'src'), env.nginx.url('anchor'));

  // The player shows the camera: frame numbers read from its canvas go forward.
  await page.addScriptTag({ content: PROBE_SOURCE });
  const probe = await page.evaluate(({ w, h }) => window.lwProbe.watchPicture(document.getElementById('player').videoSurface,
    { srcWidth: w, srcHeight: h, fit: 'fillCrop' }), { w: env.cam.width, h: env.cam.height });
  await sleep(4000);
  const pic = await page.evaluate((id) => window.lwProbe.read(id), probe);
  const order = orderReport(pic.frames, { frameMs: 1000 / env.cam.fps });
  assert.ok(order.count >= 20, `frame numbers read from the player in 4 s: ${order.count} (unreadable samples ${pic.unreadable})`);
  assert.deepEqual(order.backwards, [], 'frame numbers never go backwards');
  assert.ok(order.last > order.first, `frame numbers advance (${order.first} -> ${order.last})`);
  // netstatus reached the page's handlers.
  assert.ok(Number(await page.textContent('#kbps')) > 0, 'the pusher\'s videoBitrate is shown');
  assert.ok(Number(await page.textContent('#fps')) > 0, 'the player\'s videoFPS is shown');

  await page.click('text=Snapshot');
  await until(() => page.evaluate(() => {
    const img = document.getElementById('shot');
    return img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0;
  }), { timeoutMs: 10000, what: 'the snapshot <img> shows a PNG' });
  const shot = await page.evaluate(() => [document.getElementById('shot').naturalWidth, document.getElementById('shot').naturalHeight]);
  assert.equal(shot[0] * 4, shot[1] * 3, `the snapshot is the pushed 3:4 picture (${shot.join('x')})`);

  await page.click('text=End');
  assert.equal(await status(), 'ended');
  await until(async () => !/<name>anchor<\/name>/.test(await env.nginx.stat()), { timeoutMs: 10000, what: 'nginx no longer lists the stream' });
  await page.close();
});
