// The player's four renderers (wasm/core/play/renderer_choice.h), each asked for with configure({renderer})
// in Chromium, on both decode paths: the <video> fed with a generated track (Chromium's default), the 2D
// OffscreenCanvas in the worker (what WebKit and headless Firefox get by detection) and the page drawing
// the VideoFrames the worker hands over (engines with no canvas context in workers); WebGL2 below. For
// each: the state codes of a normal start, netstatus `renderer` names the one asked for, the frame numbers
// read from what shows the pictures (the element's videoSurface) go forward only, most of the stream is
// shown and every gap is reported dropped.
//
// Then a renderer that fails while playing: the WebGL2 context of the worker is lost for real (the
// WEBGL_lose_context extension, called from the worker through Playwright). The player must say so with
// 2106, hand drawing to the page on a fresh canvas that takes the old one's place in the element, and
// go on showing the stream in order. And the <video>'s track stopped by the page while playing: 2106, the
// page draws on a canvas that takes the <video>'s place.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, watchPlayback, nextNetstatus, unreportedGaps, until } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';

const WATCH_MS = 4000;
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2106]);
const missing = playerMissing();

describe('<live-player> renderers', { skip: missing ?? false }, () => {
  let env;
  let pub;
  before(async () => {
    env = await startPlayerEnv();
    pub = await publishBarcode(env.nginx.url('renderers'));
    await waitPublished(env.nginx, 'renderers');
  });
  after(async () => {
    await pub?.stop();
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-30).join('\n')}`);
    await env?.close();
  });

  for (const renderer of ['video', '2d', 'page']) {
    for (const decoder of ['wasm', 'webcodecs']) {
      test(`renderer ${renderer}, ${decoder} decoders: plays in order, every gap reported`, async () => {
        const p = await env.addPlayer({ src: env.nginx.url('renderers'), autoplay: true, mode: 'RTC' },
          { configure: { videoDecoder: decoder, audioDecoder: decoder, renderer } });
        try {
          await p.waitCode(2004, { timeoutMs: 20000 });
          const w = await watchPlayback(p, { ms: WATCH_MS });
          const last = await nextNetstatus(p);
          console.log(`${renderer}/${decoder}: frames ${w.order.count} (${w.order.first}..${w.order.last}), missing ${w.order.missing}, dropped ${w.dropped}; renderer ${last.renderer}`);
          assert.deepEqual(w.codes.filter((c) => c < 0 || FAILURES.has(c)), [], `no failure code: ${JSON.stringify(w.codes)}`);
          assert.equal(last.renderer, renderer, 'netstatus names the renderer asked for');
          assert.equal(last.videoDecoder, decoder);
          assert.deepEqual(w.picture.errors, [], 'the probe could read the canvas');
          assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
          assert.ok(w.order.count >= 0.5 * WATCH_MS * pub.fps / 1000, `at least half the frames shown: ${w.order.count}`);
          assert.equal(unreportedGaps(w), null);
        } finally {
          await p.remove();
        }
      });
    }
  }

  test('auto: Chromium makes a generated video track for a player in the document, so the video renderer is chosen', async () => {
    const p = await env.addPlayer({ src: env.nginx.url('renderers'), autoplay: true, mode: 'RTC' }, { configure: { renderer: 'auto' } });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      assert.equal((await nextNetstatus(p)).renderer, 'video');
      const shown = await p.page.evaluate((id) => {
        const el = document.getElementById(id);
        const v = el.videoSurface;
        return { tag: v.tagName, part: v.getAttribute('part'), inShadow: el.shadowRoot.contains(v), canvasGone: !el.videoCanvas.isConnected, size: [v.videoWidth, v.videoHeight] };
      }, p.id);
      assert.deepEqual(shown, { tag: 'VIDEO', part: 'video', inShadow: true, canvasGone: true, size: [320, 240] }, JSON.stringify(shown));
    } finally {
      await p.remove();
    }
  });

  test('tracks for at most 4 players per core on a page: past that a player draws in its worker; a place given back is offered again', async () => {
    // The page's places are filled here without players (offerVideoTrack holds one until it is settled),
    // then a real player starts: it must not get a track. Sixteen players through tracks on 2 cores left
    // the page minutes behind (js-api/video_track_surface.js).
    const held = await env.page.evaluate(async () => {
      const m = await import('/js-api/video_track_surface.js');
      const c = document.body.appendChild(document.createElement('canvas'));
      let n = 0;
      while (m.offerVideoTrack(c) && n < 100) n++;
      c.remove();
      window.lwTrackPlaces = m;
      window.lwTrackHeld = n;
      return { n, most: m.mostVideoTracks(), cores: navigator.hardwareConcurrency };
    });
    assert.equal(held.most, 4 * held.cores, JSON.stringify(held));
    assert.equal(held.n, held.most, `the page offers exactly ${held.most} places: ${JSON.stringify(held)}`);
    // One player with renderer 'auto': the renderer its netstatus names once it plays.
    const rendererOfOne = async () => {
      const p = await env.addPlayer({ src: env.nginx.url('renderers'), autoplay: true, mode: 'RTC' }, { configure: { renderer: 'auto' } });
      try {
        await p.waitCode(2004, { timeoutMs: 20000 });
        return (await nextNetstatus(p)).renderer;
      } finally {
        await p.remove();
      }
    };
    try {
      assert.equal(await rendererOfOne(), '2d', 'no place left: the worker\'s own canvas (2D before software WebGL2)');
    } finally {
      await env.page.evaluate(() => { for (let i = 0; i < window.lwTrackHeld; i++) window.lwTrackPlaces.settleVideoTrackOffer(); });
    }
    assert.equal(await rendererOfOne(), 'video', 'the places given back: a track again');
  });

  test('2d before software WebGL2: headless Chromium has only SwiftShader, so without a video track the 2D renderer is chosen', async () => {
    // As Firefox and WebKit: no MediaStreamTrackGenerator in the page.
    await env.page.evaluate(() => { window.lwGenerator = window.MediaStreamTrackGenerator; delete window.MediaStreamTrackGenerator; });
    const p = await env.addPlayer({ src: env.nginx.url('renderers'), autoplay: true, mode: 'RTC' }, { configure: { renderer: 'auto' } });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      const gl = await p.page.evaluate(() => {
        const c = new OffscreenCanvas(1, 1).getContext('webgl2');
        const info = c && c.getExtension('WEBGL_debug_renderer_info');
        return c ? String(c.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : c.RENDERER)) : null;
      });
      assert.match(gl, /SwiftShader/i, `this machine's WebGL2 is software: ${gl}`);
      assert.equal((await nextNetstatus(p)).renderer, '2d');
    } finally {
      await env.page.evaluate(() => { window.MediaStreamTrackGenerator = window.lwGenerator; });
      await p.remove();
    }
  });

  test('the video track stopped while playing: 2106, the page draws on a canvas in the <video>\'s place, the stream goes on in order', async () => {
    const p = await env.addPlayer({ src: env.nginx.url('renderers'), autoplay: true, mode: 'RTC' }, { configure: { renderer: 'video' } });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      assert.equal((await nextNetstatus(p)).renderer, 'video');
      await p.page.evaluate((id) => {
        const el = document.getElementById(id);
        window.lwOldVideo = el.videoSurface;
        el.player.videoTrack.generator.stop();
      }, p.id);
      await p.waitCode(2106, { timeoutMs: 10000 });
      const message = (await p.events('statechange')).find((e) => e.detail.code === 2106).detail.message;
      assert.match(message, /renderer video failed/, `2106 says which renderer failed: ${message}`);
      await until(() => p.page.evaluate((id) => {
        const el = document.getElementById(id);
        return el.videoSurface === el.videoCanvas && el.videoCanvas.tagName === 'CANVAS' && el.shadowRoot.contains(el.videoCanvas) &&
          el.videoCanvas.getAttribute('part') === 'video' && !window.lwOldVideo.isConnected;
      }, p.id), { timeoutMs: 5000, what: 'a canvas in the <video>\'s place' });
      const w = await watchPlayback(p, { ms: WATCH_MS });
      const last = await nextNetstatus(p);
      console.log(`after the track stopped: renderer ${last.renderer}; frames ${w.order.count} (${w.order.first}..${w.order.last}), missing ${w.order.missing}, dropped ${w.dropped}`);
      assert.equal(last.renderer, 'page');
      assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
      assert.ok(w.order.count >= 0.5 * WATCH_MS * pub.fps / 1000, `the stream goes on: ${w.order.count} frames shown`);
      assert.equal(unreportedGaps(w), null);
    } finally {
      await p.remove();
    }
  });

  test('a WebGL2 context lost while playing: 2106, the page draws on a fresh canvas, the stream goes on in order', async () => {
    const p = await env.addPlayer({ src: env.nginx.url('renderers'), autoplay: true, mode: 'RTC' },
      { configure: { videoDecoder: 'wasm', audioDecoder: 'wasm', renderer: 'webgl2' } });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      const first = await nextNetstatus(p);
      assert.equal(first.renderer, 'webgl2', 'Chromium draws with WebGL2 in the worker when asked');
      const oldCanvas = await p.page.evaluate((id) => { window.lwOldCanvas = document.getElementById(id).videoCanvas; return true; }, p.id);
      assert.ok(oldCanvas);
      const worker = await until(() => p.page.workers().find((w) => /player_worker/.test(w.url())), { timeoutMs: 5000, what: 'the player worker' });
      await worker.evaluate(() => {
        const draw = WebGL2RenderingContext.prototype.drawArrays;
        WebGL2RenderingContext.prototype.drawArrays = function lose(...args) {
          WebGL2RenderingContext.prototype.drawArrays = draw;
          this.getExtension('WEBGL_lose_context').loseContext();
          return draw.apply(this, args);
        };
      });
      await p.waitCode(2106, { timeoutMs: 10000 });
      const message = (await p.events('statechange')).find((e) => e.detail.code === 2106).detail.message;
      assert.match(message, /renderer webgl2 failed.*lost/, `2106 says which renderer failed and why: ${message}`);
      const swapped = await until(() => p.page.evaluate((id) => {
        const el = document.getElementById(id);
        return el.videoCanvas !== window.lwOldCanvas && el.shadowRoot.contains(el.videoCanvas) && !window.lwOldCanvas.isConnected;
      }, p.id), { timeoutMs: 5000, what: 'the element shows a fresh canvas' });
      assert.ok(swapped);
      const w = await watchPlayback(p, { ms: WATCH_MS });
      const last = await nextNetstatus(p);
      console.log(`after the loss: renderer ${last.renderer}; frames ${w.order.count} (${w.order.first}..${w.order.last}), missing ${w.order.missing}, dropped ${w.dropped}`);
      assert.equal(last.renderer, 'page');
      assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
      assert.ok(w.order.count >= 0.5 * WATCH_MS * pub.fps / 1000, `the stream goes on: ${w.order.count} frames shown`);
      assert.equal(unreportedGaps(w), null);
    } finally {
      await p.remove();
    }
  });
});
