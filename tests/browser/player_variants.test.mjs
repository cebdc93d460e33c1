// Stream variants through nginx-rtmp and the gateway, each on both decode paths ('wasm' and 'webcodecs'):
//   - H.264 High with B-frames (-bf 2): composition times; the numbers still come in display order;
//   - AAC at 44.1 and 48 kHz, mono and stereo: the tone is heard at its pitch (a wrong resampling ratio
//     would shift it: 44.1 kHz played as 48 kHz is 1088 Hz) and level, the picture plays alongside;
//   - audio-only: playback begins (2004) and the tone is heard, with no video to wait for;
//   - video-only: the picture plays (numbers in order) with no audio to be the clock;
//   - a resolution change mid-stream (320x240 -> 640x480 -> 320x240, one RTMP stream, a new AVC sequence
//     header at each change, numbers continuing): the numbers continue across the change with no gap
//     the player did not report, and netstatus follows the size.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, watchPlayback, unreportedGaps, sleep } from './lib/player_env.mjs';
import { publishBarcode, resolutionChangeFlv, publishFlvFile } from './lib/publishers.mjs';
import { toneReport } from './lib/picture_probe.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';

const missing = playerMissing();
const DECODERS = ['wasm', 'webcodecs'];
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);

let env;
let n = 0;

// Publishes `recipe`, plays it with `decoder`, watches; returns the watch plus the handles.
async function playVariant(recipe, decoder, { watchMs = 4000, audio = true, picture = true, attrs = {} } = {}) {
  const name = `v${++n}`;
  const pub = await publishBarcode(env.nginx.url(name), recipe);
  try {
    await waitPublished(env.nginx, name);
    const p = await env.addPlayer({ src: env.nginx.url(name), autoplay: true, mode: 'RTC', ...attrs }, { configure: { videoDecoder: decoder, audioDecoder: decoder } });
    try {
      // Audio-only: wait for the stream to begin and listen; whether 2004 came is asserted afterwards, so a
      // missing 2004 and missing sound are told apart.
      await p.waitCode(picture ? 2004 : 2002, { timeoutMs: 20000 });
      if (!picture) await sleep(1500);
      const w = picture
        ? await watchPlayback(p, { ms: watchMs, audio })
        : await (async () => {
          const aud = await p.watchAudio();
          const from = await p.now();
          await sleep(watchMs);
          return { audio: await p.read(aud), codes: await p.codes(), from, net: await p.netstatus() };
        })();
      return { ...w, pub };
    } finally {
      await p.remove();
    }
  } finally {
    await pub.stop();
  }
}

function assertPicture(w, what) {
  assert.deepEqual(w.picture.errors, [], `${what}: the probe could read the canvas`);
  assert.deepEqual(w.order.backwards, [], `${what}: numbers never go backwards`);
  assert.ok(w.order.count >= 40, `${what}: frames shown: ${w.order.count}`);
  assert.equal(unreportedGaps(w), null, what);
}

function assertTone(w, what, { hz = 1000 } = {}) {
  const tone = toneReport(w.audio.levels, { from: w.from });
  assert.ok(tone.n >= 3, `${what}: the audio probe ran: ${JSON.stringify(tone)}`);
  assert.ok(Math.abs(tone.hz - hz) < 0.03 * hz, `${what}: pitch ${tone.hz?.toFixed(1)} Hz, expected ${hz}`);
  assert.ok(tone.rms > 0.1, `${what}: level rms ${tone.rms}`);
  return tone;
}

function assertNoFailure(w, what) {
  assert.deepEqual(w.codes.filter((c) => c < 0 || FAILURES.has(c)), [], `${what}: no failure code: ${JSON.stringify(w.codes)}`);
}

describe('stream variants play on both decode paths', { skip: missing ?? false }, () => {
  before(async () => { env = await startPlayerEnv(); });
  after(async () => {
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-40).join('\n')}`);
    await env?.close();
  });

  for (const decoder of DECODERS) {
    test(`H.264 High with B-frames (${decoder})`, async () => {
      const w = await playVariant({ video: { profile: 'high', bframes: 2 } }, decoder);
      console.log(`high+B/${decoder}: frames ${w.order.count} missing ${w.order.missing} dropped ${w.dropped} codes ${JSON.stringify(w.codes)}`);
      assertNoFailure(w, 'High B-frames');
      assertPicture(w, 'High B-frames');
      assertTone(w, 'High B-frames');
    });

    for (const [sampleRate, channels] of [[44100, 1], [44100, 2], [48000, 1], [48000, 2]]) {
      test(`AAC ${sampleRate} Hz ${channels === 1 ? 'mono' : 'stereo'} (${decoder})`, async () => {
        const w = await playVariant({ audio: { sampleRate, channels, frequency: 1000 } }, decoder);
        const tone = assertTone(w, `AAC ${sampleRate}/${channels}`);
        console.log(`aac ${sampleRate}/${channels}/${decoder}: tone ${JSON.stringify(tone)} frames ${w.order.count}`);
        assertNoFailure(w, 'AAC');
        assertPicture(w, 'AAC');
      });
    }

    test(`audio-only (${decoder})`, async () => {
      const w = await playVariant({ video: false }, decoder, { picture: false });
      const tone = assertTone(w, 'audio-only');
      console.log(`audio-only/${decoder}: tone ${JSON.stringify(tone)} codes ${JSON.stringify(w.codes)}`);
      assertNoFailure(w, 'audio-only');
      assert.ok(w.codes.includes(2004), `playback began (2004) with audio alone: ${JSON.stringify(w.codes)}`);
      assert.ok(w.codes.indexOf(2001) < w.codes.indexOf(2004), 'connected before playback began');
    });

    test(`video-only (${decoder})`, async () => {
      const w = await playVariant({ audio: false }, decoder, { audio: false });
      console.log(`video-only/${decoder}: frames ${w.order.count} missing ${w.order.missing} dropped ${w.dropped} codes ${JSON.stringify(w.codes)}`);
      assertNoFailure(w, 'video-only');
      assertPicture(w, 'video-only');
    });

    test(`resolution change mid-stream (${decoder})`, async () => {
      const fx = await resolutionChangeFlv();
      const name = `res${++n}`;
      const pub = publishFlvFile(env.nginx.url(name), fx.file);
      try {
        await waitPublished(env.nginx, name);
        const p = await env.addPlayer({ src: env.nginx.url(name), autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: decoder, audioDecoder: decoder } });
        try {
          await p.waitCode(2004, { timeoutMs: 20000 });
          // The file lasts sizes.length * segmentFrames / fps (12 s); watch until just before its end.
          const w = await watchPlayback(p, { ms: 9000 });
          const sizes = [...new Set(w.net.map((x) => `${x.videoWidth}x${x.videoHeight}`))];
          console.log(`reschange/${decoder}: frames ${w.order.count} (${w.order.first}..${w.order.last}) missing ${w.order.missing} dropped ${w.dropped} ` +
            `netstatus sizes ${sizes.join(' ')} codes ${JSON.stringify(w.codes)} gaps ${JSON.stringify(w.order.gaps)}`);
          assertNoFailure(w, 'resolution change');
          assertPicture(w, 'resolution change');
          const change = fx.changeAtFrame[0];
          assert.ok(w.order.first < change && w.order.last > change + 10, `the watch spans the change at frame ${change}: ${w.order.first}..${w.order.last}`);
          assert.ok(sizes.includes('640x480'), `netstatus reported the new size: ${sizes.join(' ')}`);
        } finally {
          await p.remove();
        }
      } finally {
        await pub.stop();
      }
    });
  }
});
