// The player in the engine of LW_ENGINE (Firefox plain or with mock audio, WebKitGTK with default flags;
// lib/engine_checks.mjs): rtmp:// through the gateway in live and RTC mode on both decode paths,
// HTTP-FLV and WS-FLV from node-media-server, then nginx killed. ffmpeg publishes the barcode stream
// (H.264 + a 1 kHz AAC tone); frame numbers are read from the player's canvas (in order, at least half
// shown, every gap reported as dropped) and the tone is heard through player.audioNode, except in plain
// Firefox, whose audio context never starts here: there the pictures must come on the silent clock.
// One browser for the file; a page that dies (WebKit's page process) is replaced for the next test.
// lw-runner: alone in webkit
// (scripts/lane_lock.mjs: WebKit's players judge pictures per second; beside the Chromium lane its wasm and
// WebCodecs cases failed every attempt in stop 29's runs.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, watchPlayback } from '../browser/lib/player_env.mjs';
import { publishBarcode } from '../browser/lib/publishers.mjs';
import { waitNmsPublished } from '../browser/lib/node_media_server.mjs';
import { toneReport } from '../browser/lib/picture_probe.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';
import { CONFIG, SOUND, assertStarted, assertShown, withLivePage, lastLog } from './lib/engine_checks.mjs';

const WATCH_MS = 4000;
const missing = playerMissing();

describe(`<live-player> in ${CONFIG.name}`, { skip: missing ?? false }, () => {
  let env;
  const pubs = [];
  before(async () => {
    env = await startPlayerEnv({ nms: true });
    console.log(`${CONFIG.name}: ${env.browser.engine} ${env.browser.version}`);
    pubs.push(await publishBarcode(env.nginx.url('play')), await publishBarcode(env.nms.rtmpUrl('src')));
    await waitPublished(env.nginx, 'play');
    await waitNmsPublished(env.nms, 'src');
  });
  after(async () => {
    for (const pub of pubs) await pub.kill().catch(() => {});
    if (env) console.log(`browser log (last lines):\n${lastLog(env, 60)}`);
    await env?.close();
  });

  const cases = [
    ...['wasm', 'webcodecs'].flatMap((decoder) => ['live', 'RTC'].map((mode) => ({ what: `rtmp:// ${mode}, ${decoder}`, src: () => env.nginx.url('play'), mode, decoder }))),
    { what: 'HTTP-FLV, wasm', src: () => env.nms.httpFlvUrl('src'), mode: 'RTC', decoder: 'wasm' },
    { what: 'WS-FLV, webcodecs', src: () => env.nms.wsFlvUrl('src'), mode: 'RTC', decoder: 'webcodecs' },
  ];
  for (const c of cases) {
    test(`${c.what}: codes in order, frames in order, gaps reported${SOUND ? ', tone heard' : ' (no sound device: pictures on the silent clock)'}`, () => withLivePage(env, async () => {
      const p = await env.addPlayer({ src: c.src(), autoplay: true, mode: c.mode }, { configure: { videoDecoder: c.decoder, audioDecoder: c.decoder } });
      try {
        await p.waitCode(2004, { timeoutMs: 20000 });
        const w = await watchPlayback(p, { ms: WATCH_MS, audio: SOUND, audioOpts: {} });
        // The tone over the windows that have sound: a live start (min-cache) is silent for its first ~2 s
        // in Firefox and WebKit while the picture already moves. No sound at all leaves no window.
        const tone = SOUND ? { ...toneReport(w.audio.levels.filter((l) => l.rms >= 0.01), { from: w.from }), silent: toneReport(w.audio.levels, { from: w.from }).silent } : null;
        const last = w.net.at(-1);
        console.log(`${c.what}: codes ${JSON.stringify(w.codes)}; frames ${w.order.count} (${w.order.first}..${w.order.last}) missing ${w.order.missing} dropped ${w.dropped}; ` +
          `tone ${JSON.stringify(tone)}; last netstatus ${JSON.stringify(last)}`);
        assertStarted(w.codes, c.what);
        assertShown(w, { ms: WATCH_MS, what: c.what });
        assert.equal(last?.videoWidth, 320, `netstatus videoWidth: ${JSON.stringify(last)}`);
        if ('videoDecoder' in (last ?? {})) assert.equal(last.videoDecoder, c.decoder, 'the decode path asked for');
        if (SOUND) {
          assert.ok(tone.n >= 3 && Math.abs(tone.hz - 1000) < 30 && tone.rms > 0.1, `the 1 kHz tone is heard: ${JSON.stringify(tone)}`);
        }
      } finally {
        await p.remove().catch(() => {});
      }
    }));
  }

  // The reconnect policy does not depend on the sound device: run once per engine (not again in firefox-mockaudio; ~40 s).
  const killSkip = CONFIG.name === 'firefox-mockaudio' ? 'run in the plain firefox configuration (same engine)' : false;
  test('nginx killed: 2103 three times, then -2301, nothing after it', { skip: killSkip }, () => withLivePage(env, async () => {
    const p = await env.addPlayer({ src: env.nginx.url('play'), autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: 'wasm', audioDecoder: 'wasm' } });
    try {
      await p.waitCode(2004);
      const killedAt = await p.now();
      await env.nginx.stop({ kill: true });
      await p.waitCode(-2301, { timeoutMs: 45000, after: killedAt });
      const codes = (await p.all()).filter((e) => e.type === 'statechange' && e.t > killedAt).map((e) => e.detail.code);
      console.log(`nginx killed: codes after ${JSON.stringify(codes)}`);
      const end = codes.indexOf(-2301);
      assert.equal(codes.slice(0, end).filter((c) => c === 2103).length, 3, `three 2103 before -2301: ${JSON.stringify(codes)}`);
      assert.deepEqual(codes.slice(end + 1).filter((c) => c === 2103 || c === 2004), [], 'nothing tries again after -2301');
    } finally {
      await p.remove().catch(() => {});
    }
  }));
});
