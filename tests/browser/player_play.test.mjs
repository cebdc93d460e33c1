// The player's basic play, judged from outside: ffmpeg publishes a barcode stream (H.264 baseline + AAC)
// to nginx-rtmp; a <live-player src="rtmp://..."> plays it through the gateway, in live and RTC mode, on
// both decode paths (configure({videoDecoder, audioDecoder}) 'wasm' = FFmpeg in wasm, 'webcodecs').
// Asserts, for each of the four:
//   - the state codes of a normal start come in order: 2001 < 2002 < 2003 < 2004, with no failure code
//     (negative, 2101/2102 decode failures, 2103 reconnect) on the way;
//   - the frame numbers read from the player's canvas go forward only, most of the stream is shown, and
//     every number skipped is covered by the droppedFrames the player reported (netstatus) in the window;
//   - the picture is the stream's (netstatus videoWidth/videoHeight 320x240) and netstatus carries every
//     field of the contract as a number;
//   - the tone is heard at its pitch (1 kHz) through player.audioNode.
// The delay from the publisher's encoder to the shown picture is logged (bench/ measures it properly).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, watchPlayback, unreportedGaps } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { delays, summary, toneReport } from './lib/picture_probe.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';

const NET_KEYS = ['videoBitrate', 'audioBitrate', 'videoFPS', 'videoGOP', 'netSpeed', 'netJitter', 'videoWidth', 'videoHeight',
  'cacheMs', 'targetMs', 'droppedFrames', 'shownFrames'];
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);
const WATCH_MS = 5000;

const missing = playerMissing();

describe('<live-player> plays rtmp:// through the gateway', { skip: missing ?? false }, () => {
  let env;
  let pub;
  before(async () => {
    env = await startPlayerEnv();
    pub = await publishBarcode(env.nginx.url('play'));
    await waitPublished(env.nginx, 'play');
  });
  after(async () => {
    await pub?.stop();
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-40).join('\n')}`);
    await env?.close();
  });

  for (const decoder of ['wasm', 'webcodecs']) {
    for (const mode of ['live', 'RTC']) {
      test(`${mode} mode, ${decoder} decoders: codes in order, frames in order, gaps reported, tone heard`, async () => {
        const p = await env.addPlayer({ src: env.nginx.url('play'), autoplay: true, mode, 'min-cache': 1, 'max-cache': 3 },
          { configure: { videoDecoder: decoder, audioDecoder: decoder } });
        try {
          await p.waitCode(2004, { timeoutMs: 20000 });
          const w = await watchPlayback(p, { ms: WATCH_MS, audio: true });
          const codes = w.codes;
          const delay = summary(delays(w.picture.frames, pub));
          const tone = toneReport(w.audio.levels, { from: w.from });
          console.log(`${mode}/${decoder}: codes ${JSON.stringify(codes)}; frames ${w.order.count} (${w.order.first}..${w.order.last}), missing ${w.order.missing}, ` +
            `dropped ${w.dropped}; delay ms ${JSON.stringify(delay)}; tone ${JSON.stringify(tone)}; last netstatus ${JSON.stringify(w.net.at(-1))}`);

          const at = [2001, 2002, 2003, 2004].map((c) => codes.indexOf(c));
          assert.ok(at.every((i) => i >= 0), `2001, 2002, 2003 and 2004 all came: ${JSON.stringify(codes)}`);
          assert.ok(at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `2001 < 2002 < 2003 < 2004: ${JSON.stringify(codes)}`);
          assert.deepEqual(codes.filter((c) => c < 0 || FAILURES.has(c)), [], 'no failure code in a normal play');

          assert.deepEqual(w.picture.errors, [], 'the probe could read the canvas');
          assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
          const expected = WATCH_MS * pub.fps / 1000;
          assert.ok(w.order.count >= 0.5 * expected, `at least half the frames shown: ${w.order.count} of ~${expected} (unreadable samples ${w.picture.unreadable}/${w.picture.samples})`);
          assert.equal(unreportedGaps(w), null);

          assert.ok(w.net.length >= 2, `netstatus about once a second: ${w.net.length} in ${WATCH_MS} ms`);
          const last = w.net.at(-1);
          for (const k of NET_KEYS) assert.equal(typeof last[k], 'number', `netstatus ${k} is a number: ${JSON.stringify(last)}`);
          // The decode path asked for is the one used (the worker names it in netstatus, beyond the contract).
          if ('videoDecoder' in last) assert.equal(last.videoDecoder, decoder, `netstatus videoDecoder: ${last.videoDecoder}`);
          if ('audioDecoder' in last) assert.equal(last.audioDecoder, decoder, `netstatus audioDecoder: ${last.audioDecoder}`);
          assert.equal(last.videoWidth, 320);
          assert.equal(last.videoHeight, 240);
          assert.ok(last.videoFPS > 15 && last.videoFPS < 35, `videoFPS ${last.videoFPS} (stream: 25)`);

          assert.ok(tone.n >= 3, `the audio probe ran: ${JSON.stringify(tone)}`);
          assert.ok(Math.abs(tone.hz - 1000) < 30, `the tone's pitch is 1 kHz: ${tone.hz}`);
          assert.ok(tone.rms > 0.1, `the tone is audible: rms ${tone.rms}`);
        } finally {
          await p.remove();
        }
      });
    }
  }
});
