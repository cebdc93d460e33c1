// A/V sync: ffmpeg publishes a source where a flash (a white band over the top eighth of the picture, on the
// first frame of each second) and a beep (1 kHz, 50 ms, at the start of each second) are aligned in the
// source timeline. The picture probe times each flash on the player's canvas (requestAnimationFrame time of
// the first sample that shows it), the audio probe (an AudioWorklet tapping player.audioNode) times each
// beep onset in the AudioContext's time, mapped to performance.now() with getOutputTimestamp(), i.e. when
// it is heard. The skew is audio minus video, per flash.
// Asserts: at least 5 pairs, the median |skew| under 40 ms, and every pair under 40 ms plus one display
// refresh (17 ms: the picture probe sees a new picture only at the next animation frame, so one flash
// time can be late by up to a refresh). Live and RTC mode, both decode paths.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, sleep } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { avSkew } from './lib/picture_probe.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';

const LIMIT_MS = 40;
const REFRESH_MS = 17;
const WATCH_MS = 8000;
const missing = playerMissing();

describe('A/V sync: flash and beep together', { skip: missing ?? false }, () => {
  let env;
  let pub;
  before(async () => {
    env = await startPlayerEnv();
    pub = await publishBarcode(env.nginx.url('av'), { avsync: true });
    await waitPublished(env.nginx, 'av');
  });
  after(async () => {
    await pub?.stop();
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-30).join('\n')}`);
    await env?.close();
  });

  for (const decoder of ['wasm', 'webcodecs']) {
    for (const mode of ['RTC', 'live']) {
      test(`${mode}, ${decoder}: skew under ${LIMIT_MS} ms`, async () => {
        const p = await env.addPlayer({ src: env.nginx.url('av'), autoplay: true, mode }, { configure: { videoDecoder: decoder, audioDecoder: decoder } });
        try {
          await p.waitCode(2004, { timeoutMs: 20000 });
          await sleep(2500);  // past the start (steady state: live mode has filled its cache, RTC has caught up)
          const pic = await p.watchPicture();
          const aud = await p.watchAudio();
          await sleep(WATCH_MS);
          const picture = await p.read(pic);
          const audio = await p.read(aud);
          const skew = avSkew(picture.flashes, audio.onsets);
          console.log(`avsync ${mode}/${decoder}: flashes ${picture.flashes.length}, beeps ${audio.onsets.length}, pairs ${skew.pairs}, ` +
            `skews ms ${JSON.stringify(skew.skews.map((x) => Math.round(x)))}, median ${skew.median?.toFixed(1)}, max |skew| ${skew.maxAbs?.toFixed(1)}`);
          assert.ok(skew.pairs >= 5, `flash/beep pairs: ${skew.pairs} (flashes ${picture.flashes.length}, beeps ${audio.onsets.length})`);
          const abs = skew.skews.map(Math.abs).sort((a, b) => a - b);
          assert.ok(abs[Math.floor(abs.length / 2)] < LIMIT_MS, `median |skew| under ${LIMIT_MS} ms: ${JSON.stringify(skew.skews.map(Math.round))}`);
          assert.ok(skew.maxAbs < LIMIT_MS + REFRESH_MS, `every |skew| under ${LIMIT_MS} + ${REFRESH_MS} ms: ${JSON.stringify(skew.skews.map(Math.round))}`);
        } finally {
          await p.remove();
        }
      });
    }
  }
});
