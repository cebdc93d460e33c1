// LivePlayerContext and the element's attributes, judged from what the page shows and hears:
//   - pause keeps the last picture (the numbers stop), resume continues from the live edge (the numbers
//     jump ahead by about the paused time, not replayed);
//   - snapshot gives a blob: URL of a PNG with the canvas's size; mute silences the element's output
//     (the GainNode after player.audioNode) while audiovolumenotify keeps reporting the stream's level;
//   - requestFullScreen / exitFullScreen / exitPictureInPicture answer like the original
//     ({errMsg: "<op>:ok"} or "<op>:fail <reason>"), through callbacks and Promises;
//   - object-fit="fillCrop" fills the element (no black bars), contain letterboxes; the debug overlay shows
//     the netstatus fields and the codes by name; a wrong attribute value is an error event with a default;
//   - 16 players on one page (four per core: 8 on 2 cores, as player_many.test.mjs; one shared AudioContext) all show moving pictures;
//   - a src the gateway cannot reach: 3002 from the gateway, then 2103 three times and -2301.
import { after, before, describe, test } from 'node:test';
import { decodePng } from './lib/png.mjs';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startPlayerEnv, playerMissing, sleep, until } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { orderReport } from './lib/picture_probe.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';
import { freePort } from '../interop/lib/nginx.mjs';

// What is on screen in a region of the player (a screenshot of the element, so the canvas a worker draws
// on or the <video> of the 'video' renderer with its CSS): the mean of R, G and B over the rows y0..y1 and
// columns x0..x1 that `region(width, height)` gives.
async function meanOnScreen(p, region) {
  const box = await p.page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, p.id);
  const img = decodePng(await p.page.screenshot({ clip: box, scale: 'css', animations: 'allow' }));
  const { x0, x1, y0, y1 } = region(img.width, img.height);
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const j = (y * img.width + x) * 4;
      sum += img.data[j] + img.data[j + 1] + img.data[j + 2];
      n++;
    }
  }
  return sum / n / 3;
}

// Four players per core, at most 16 (as player_many.test.mjs, which says why).
const MANY = Math.min(16, 4 * os.cpus().length);
const missing = playerMissing();

describe('LivePlayerContext, attributes, many players', { skip: missing ?? false }, () => {
  let env;
  let pub;
  let closed;  // a port nothing listens on, allowed as an upstream so the gateway tries it
  before(async () => {
    closed = await freePort();
    env = await startPlayerEnv({ gatewayArgs: ['--allow-upstream', `127.0.0.1:${closed}`] });
    pub = await publishBarcode(env.nginx.url('ctx'));
    await waitPublished(env.nginx, 'ctx');
  });
  after(async () => {
    await pub?.stop();
    await env?.close();
  });

  const numbersIn = async (p, probe, fromT, toT) => (await p.read(probe)).frames.filter((f) => f.t >= fromT && f.t <= toT);

  test('pause keeps the picture, resume goes on from the live edge; snapshot; mute; fullscreen and PiP results', async () => {
    const p = await env.addPlayer({ src: env.nginx.url('ctx'), autoplay: true, mode: 'RTC', debug: true }, { context: true, style: 'width:320px;height:240px' });
    try {
      await p.waitCode(2004);
      const probe = await p.watchPicture({ srcWidth: 320, srcHeight: 240 });
      await sleep(1500);
      assert.deepEqual(await p.context('pause'), { errMsg: 'pause:ok' });
      const pausedAt = await p.now();
      await sleep(3000);
      const duringPause = await numbersIn(p, probe, pausedAt + 500, pausedAt + 3000);
      assert.ok(duringPause.length <= 1, `the picture stays while paused: ${JSON.stringify(duringPause.map((f) => f.n))}`);
      const lastBefore = (await numbersIn(p, probe, 0, pausedAt + 300)).at(-1).n;
      assert.deepEqual(await p.context('resume'), { errMsg: 'resume:ok' });
      const resumedAt = await p.now();
      await sleep(2500);
      const after = await numbersIn(p, probe, resumedAt, resumedAt + 2500);
      assert.ok(after.length > 10, `moving again after resume: ${after.length} numbers`);
      const jump = after[0].n - lastBefore;
      // 25 fps: 3 s paused is 75 frames; the live edge is ahead by about that (not 1-2 frames later).
      assert.ok(jump > 40, `resume continues from the live edge: ${lastBefore} -> ${after[0].n}`);

      const snap = await p.page.evaluate(async (id) => {
        const r = await window.lwContexts[id].snapshot();
        const blob = await (await fetch(r.tempImagePath)).blob();
        const bytes = new Uint8Array(await blob.arrayBuffer()).slice(0, 8);
        return { errMsg: r.errMsg, url: r.tempImagePath.slice(0, 5), width: r.width, height: r.height, type: blob.type, magic: Array.from(bytes.slice(1, 4)) };
      }, p.id);
      assert.equal(snap.errMsg, 'snapshot:ok');
      assert.equal(snap.url, 'blob:');
      assert.equal(snap.type, 'image/png');
      assert.deepEqual(snap.magic, [0x50, 0x4e, 0x47], 'a PNG');
      assert.ok(snap.width >= 300 && snap.height >= 225, `snapshot size ${snap.width}x${snap.height}`);

      // mute: the element's output gain goes to 0, and audiovolumenotify reports what is heard: 0 while
      // muted (issue 15 item 6: it kept reporting the stream's level), the tone again once unmuted.
      const volumes = (await p.events('audiovolumenotify')).map((e) => e.detail.volume);
      assert.ok(volumes.length > 10 && volumes.some((v) => v > 20), `audiovolumenotify reports the tone: ${volumes.slice(-10)}`);
      const muted = await p.page.evaluate(async (id) => {
        const el = document.getElementById(id);
        const r = await window.lwContexts[id].mute();
        return { r, gain: el.player.gain.gain.value };
      }, p.id);
      assert.deepEqual(muted, { r: { errMsg: 'mute:ok' }, gain: 0 });
      const since = (await p.events('audiovolumenotify')).length;
      await sleep(1200);
      const whileMuted = (await p.events('audiovolumenotify')).slice(since).map((e) => e.detail.volume);
      assert.ok(whileMuted.length >= 3 && whileMuted.every((v) => v === 0), `0 while muted: ${whileMuted}`);
      await p.page.evaluate((id) => window.lwContexts[id].mute({ muted: false }), p.id);
      const since2 = (await p.events('audiovolumenotify')).length;
      await sleep(1200);
      const unmuted = (await p.events('audiovolumenotify')).slice(since2).map((e) => e.detail.volume);
      assert.ok(unmuted.some((v) => v > 20), `the tone again once unmuted: ${unmuted}`);

      // Headless Chromium refuses fullscreen without a user gesture: the result says so, both ways.
      const fs = await p.page.evaluate(async (id) => {
        const ctx = window.lwContexts[id];
        const viaCallback = await new Promise((resolve) => ctx.requestFullScreen({ direction: 90, success: resolve, fail: resolve }));
        const exit = await ctx.exitFullScreen().then((r) => r, (e) => ({ errMsg: e.errMsg }));
        const pip = await ctx.exitPictureInPicture().then((r) => r, (e) => ({ errMsg: e.errMsg }));
        return { viaCallback, exit, pip };
      }, p.id);
      assert.match(fs.viaCallback.errMsg, /^requestFullScreen:(ok|fail .+)$/);
      assert.match(fs.exit.errMsg, /^exitFullScreen:(ok|fail .+)$/);
      assert.match(fs.pip.errMsg, /^exitPictureInPicture:fail .+/);

      // debug: the overlay names the codes and shows netstatus.
      const overlay = await p.page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector('[part=debug]')?.textContent ?? '', p.id);
      assert.match(overlay, /PLAY_EVT_PLAY_BEGIN/);
      assert.match(overlay, /videoFPS: \d/);
    } finally {
      await p.remove();
    }
  });

  test('object-fit: fillCrop fills the element, contain letterboxes; a wrong value is an error with the default', async () => {
    // A 320x240 (4:3) stream in a 400x200 (2:1) element: contain leaves black bars left and right.
    const bars = async (fit) => {
      const p = await env.addPlayer({ src: env.nginx.url('ctx'), autoplay: true, mode: 'RTC', 'object-fit': fit }, { style: 'width:400px;height:200px' });
      try {
        await p.waitCode(2004);
        await sleep(500);
        // The left edge, halfway down.
        return await meanOnScreen(p, (w, h) => ({ x0: 2, x1: 12, y0: Math.round(h / 2) - 20, y1: Math.round(h / 2) + 20 }));
      } finally {
        await p.remove();
      }
    };
    const contain = await bars('contain');
    const fill = await bars('fillCrop');
    assert.ok(contain < 5, `contain: black bar at the left edge (mean ${contain.toFixed(1)})`);
    assert.ok(fill > 20, `fillCrop: picture at the left edge (mean ${fill.toFixed(1)})`);

    const bad = await env.addPlayer({ src: env.nginx.url('ctx'), 'object-fit': 'stretch', mode: 'fast' });
    try {
      const errors = await bad.page.evaluate((id) => new Promise((resolve) => {
        const el = document.getElementById(id);
        const seen = [];
        el.addEventListener('error', (e) => seen.push(e.detail.errMsg));
        el.player.play().finally(() => setTimeout(() => resolve(seen), 200));
      }), bad.id);
      assert.ok(errors.some((m) => /objectFit: "stretch".*using "contain"/.test(m)), JSON.stringify(errors));
      assert.ok(errors.some((m) => /mode: "fast".*using "live"/.test(m)), JSON.stringify(errors));
    } finally {
      await bad.remove();
    }
  });

  test('orientation: horizontal turns the picture a quarter, on the video track and on the 2D canvas', async () => {
    // A 320x240 (4:3) stream in a 240x320 element: upright, contain leaves black bars above and below;
    // turned, the picture (now 3:4) fills the element to its top edge.
    const topEdge = async (orientation, renderer) => {
      const p = await env.addPlayer({ src: env.nginx.url('ctx'), autoplay: true, mode: 'RTC', orientation },
        { style: 'width:240px;height:320px', configure: { renderer } });
      try {
        await p.waitCode(2004);
        await sleep(500);
        const used = (await p.netstatus()).at(-1)?.renderer;
        // The top edge, in the middle.
        const mean = await meanOnScreen(p, (w) => ({ x0: Math.round(w / 2) - 40, x1: Math.round(w / 2) + 40, y0: 2, y1: 12 }));
        return { mean, used };
      } finally {
        await p.remove();
      }
    };
    for (const renderer of ['video', '2d']) {
      const upright = await topEdge('vertical', renderer);
      const turned = await topEdge('horizontal', renderer);
      console.log(`orientation on ${renderer}: upright top edge ${upright.mean.toFixed(1)}, turned ${turned.mean.toFixed(1)} (renderers ${upright.used}, ${turned.used})`);
      assert.equal(turned.used, renderer);
      assert.ok(upright.mean < 5, `${renderer}, vertical: black bar at the top (mean ${upright.mean.toFixed(1)})`);
      assert.ok(turned.mean > 20, `${renderer}, horizontal: the turned picture reaches the top (mean ${turned.mean.toFixed(1)})`);
    }
  });

  test(`${MANY} players on one page all show moving pictures`, async () => {
    const players = [];
    // Each step says when it ended (seconds since the test began), so that a run that is cut off shows where.
    const began = Date.now();
    const step = (what) => console.log(`[${((Date.now() - began) / 1000).toFixed(1)} s] ${what}`);
    try {
      for (let i = 0; i < MANY; i++) {
        players.push(await env.addPlayer({ src: env.nginx.url('ctx'), autoplay: true, mode: 'RTC' },
          { style: 'width:160px;height:120px', configure: { videoDecoder: 'webcodecs', audioDecoder: 'webcodecs' } }));
      }
      step(`${MANY} players added`);
      await env.waitCodes(players, 2004, { timeoutMs: 60000 });
      step('2004 from every player');
      const probes = [];
      for (const p of players) probes.push(await p.watchPicture({ srcWidth: 320, srcHeight: 240 }));
      await sleep(4000);
      const counts = [];
      const sampling = [];
      for (let i = 0; i < players.length; i++) {
        const pic = await players[i].read(probes[i]);
        counts.push(orderReport(pic.frames).count);
        sampling.push(`${pic.samples}/${pic.skipped}`);
      }
      await env.page.evaluate((ids) => ids.forEach((id) => window.lwProbe.stop(id)), probes);
      step('probes read');
      const contexts = await env.page.evaluate(() => new Set([...document.querySelectorAll('live-player')].map((e) => e.player.audioContext)).size);
      console.log(`${MANY} players: numbers read in 4 s per player ${JSON.stringify(counts)}; probe samples/skipped ${sampling.join(' ')}; AudioContexts ${contexts}`);
      assert.equal(contexts, 1, 'one AudioContext for the page');
      assert.ok(counts.every((c) => c >= 10), `every player's picture moves: ${JSON.stringify(counts)}`);
    } finally {
      for (const p of players) await p.remove();
      step('players removed');
    }
  });

  test('an upstream that refuses: 3002, then 2103 three times, then -2301', async () => {
    const p = await env.addPlayer({ src: `rtmp://127.0.0.1:${closed}/live/x`, autoplay: true });
    try {
      await p.waitCode(-2301, { timeoutMs: 30000 });
      const codes = await p.codes();
      assert.ok(codes.includes(3002), `the gateway's 3002: ${JSON.stringify(codes)}`);
      assert.equal(codes.filter((c) => c === 2103).length, 3, `three reconnects: ${JSON.stringify(codes)}`);
      assert.equal(codes.at(-1), -2301);
      await sleep(1500);
      assert.equal((await p.codes()).length, codes.length, 'nothing after -2301');
    } finally {
      await p.remove();
    }
  });
});

void until;
