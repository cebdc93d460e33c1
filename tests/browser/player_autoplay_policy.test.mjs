// A browser that keeps sound off until the user interacts (Chromium's default autoplay policy, which the
// other tests switch off): an autoplay <live-player> in the page's markup shows pictures at once, on a
// wall clock, with its AudioContext suspended; the first click anywhere on the page starts the sound, and
// the picture keeps going across the switch to the audio clock. docs/porting.md promises this.
//
// Playwright's page.evaluate runs scripts *with* a user gesture, which would unlock the sound by itself, so
// this test reads the page through a raw CDP Runtime.evaluate (no gesture) and acts only by a real click.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { startStaticServer } from './lib/static_server.mjs';
import { PROBE_SOURCE, orderReport, toneReport } from './lib/picture_probe.mjs';
import { sleep } from '../interop/lib/tools.mjs';
import { until, waitPublished } from '../interop/lib/gateway.mjs';

const missing = playerMissing();

const page = ({ src, gateway }) => `<!doctype html><meta charset="utf-8"><title>autoplay policy</title>
<script src="/lw_probe.js"></script>
<live-player id="p" src="${src}" gateway="${gateway}" autoplay mode="RTC" style="display:block;width:320px;height:240px"></live-player>
<script type="module">
import '/js-api/index.js';
window.codes = [];
document.getElementById('p').addEventListener('statechange', (e) => window.codes.push(e.detail.code));
</script>`;

describe('autoplay policy: sound waits for a gesture, pictures do not', { skip: missing ?? false }, () => {
  let env;
  let pub;
  let srv;
  before(async () => {
    // Replaces the harness's --autoplay-policy=no-user-gesture-required (browser.mjs).
    env = await startPlayerEnv({ browserArgs: ['--autoplay-policy=document-user-activation-required'] });
    pub = await publishBarcode(env.nginx.url('policy'));
    await waitPublished(env.nginx, 'policy');
    srv = await startStaticServer({ pages: { '/policy.html': page({ src: env.nginx.url('policy'), gateway: env.gatewayUrl }), '/lw_probe.js': PROBE_SOURCE } });
  });
  after(async () => {
    await pub?.stop();
    await srv?.close();
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-30).join('\n')}`);
    await env?.close();
  });

  test('pictures before any gesture; the first click starts the tone', async () => {
    const tab = await env.browser.newPage();
    const cdp = await tab.context().newCDPSession(tab);
    // Evaluates without a user gesture (CDP's default), awaiting promises, returning JSON values.
    const look = async (expression) => {
      const r = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true, userGesture: false });
      if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    };
    await tab.goto(srv.url('/policy.html'));
    await until(() => look('(window.codes || []).includes(2004)'), { timeoutMs: 20000, what: '2004 without any gesture' })
      .catch(async (e) => { throw new Error(`${e.message}; codes ${JSON.stringify(await look('window.codes'))}`); });
    const state = () => look(`document.getElementById('p').player.audioContext?.state ?? 'none'`);
    assert.equal(await state(), 'suspended', 'no gesture yet: the page\'s AudioContext is suspended');

    const watch = async (ms, audio) => {
      const pic = await look(`lwProbe.watchPicture(document.getElementById('p').videoSurface, { srcWidth: 320, srcHeight: 240 })`);
      const aud = audio ? await look(`(() => { const pl = document.getElementById('p').player; return lwProbe.watchAudio(pl.audioContext, pl.audioNode); })()`) : null;
      const from = await look('performance.now()');
      await sleep(ms);
      const picture = await look(`lwProbe.read(${JSON.stringify(pic)})`);
      const heard = aud ? await look(`lwProbe.read(${JSON.stringify(aud)})`) : null;
      await look(`[${JSON.stringify(pic)}, ${JSON.stringify(aud)}].forEach((id) => id && lwProbe.stop(id))`);
      return { order: orderReport(picture.frames), heard, from };
    };
    const silent = await watch(3000, false);
    assert.deepEqual(silent.order.backwards, [], 'frame numbers never go backwards');
    assert.ok(silent.order.count >= 0.5 * 3 * pub.fps, `pictures play without sound: ${silent.order.count} frames in 3 s`);
    assert.equal(await state(), 'suspended', 'still no sound: nothing but a gesture starts it');

    await tab.mouse.click(5, 5);
    await until(async () => (await state()) === 'running', { timeoutMs: 5000, what: 'the click resumed the AudioContext' });
    const loud = await watch(4000, true);
    const tone = toneReport(loud.heard.levels, { from: loud.from + 1000 });
    assert.ok(tone.n > 0 && Math.abs(tone.hz - 1000) < 30, `the 1 kHz tone is heard after the click: ${JSON.stringify(tone)}`);
    assert.deepEqual(loud.order.backwards, [], 'frame numbers never go backwards across the clock switch');
    assert.ok(loud.order.count >= 0.5 * 4 * pub.fps, `pictures keep playing: ${loud.order.count} frames in 4 s`);
    await tab.close();
  });
});
