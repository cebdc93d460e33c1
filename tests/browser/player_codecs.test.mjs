// The legacy FLV sound formats of issue 19, judged from outside: Debian's ffmpeg publishes the barcode
// video (H.264) with G.711 A-law (8 kHz mono, FLV SoundFormat 7, as IP cameras and GB28181/RTSP bridges
// send it), G.711 µ-law (8), linear PCM s16le (3) and MP3 (2, libmp3lame) into nginx-rtmp; a
// <live-player src="rtmp://..."> plays each through the gateway on both audio decode paths
// (configure({audioDecoder}): 'wasm' = the core's G.711/PCM decoder and FFmpeg's MP3 in
// livewasm_player_mp3; 'webcodecs' = the browser's AudioDecoder, which takes 'alaw', 'ulaw', 'pcm-s16'
// and 'mp3' in Chromium). The video is decoded by WebCodecs in all eight: the wasm H.264 path is
// player_play's, and on this shared two-core machine it made the picture count (not the sound) the
// thing under test. Asserts, for each of the eight:
//   - 2001 < 2002 < 2003 < 2004 with no failure code (2102 would be a codec not played, 2101/2103/-2301);
//   - the frame numbers read from the canvas go forward only, every gap reported as a drop;
//   - the 1 kHz tone is heard at its pitch through player.audioNode (before issue 19: silence);
//   - netstatus names the audio decode path asked for.
// And the two legacy formats no decoder is shipped for, Nellymoser (SoundFormat 5, 8 kHz) and Speex (11,
// libspeex, 16 kHz): the player says so once (2102, naming the format) and plays the pictures without
// sound on both paths; nothing tries to decode them as something else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, watchPlayback, unreportedGaps } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { toneReport } from './lib/picture_probe.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';

const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);
const WATCH_MS = 5000;
const CODECS = [
  { name: 'G.711 A-law 8 kHz mono', audio: { codec: 'pcm_alaw', sampleRate: 8000, channels: 1 } },
  { name: 'G.711 mu-law 8 kHz mono', audio: { codec: 'pcm_mulaw', sampleRate: 8000, channels: 1 } },
  { name: 'PCM s16le 22.05 kHz mono', audio: { codec: 'pcm_s16le', sampleRate: 22050, channels: 1 } },
  { name: 'MP3 44.1 kHz stereo', audio: { codec: 'mp3', sampleRate: 44100, channels: 2, bitrate: '96k' } },
];

// Refused: no decoder in any module (FFmpeg's Nellymoser decoder and libspeex are not built; WebCodecs
// takes neither). The message names the format as the core's track_config.cc does.
const REFUSED = [
  { name: 'Nellymoser 8 kHz mono', audio: { codec: 'nellymoser', sampleRate: 8000, channels: 1 }, says: 'Nellymoser 8 kHz (FLV SoundFormat 5)' },
  { name: 'Speex 16 kHz mono', audio: { codec: 'libspeex', sampleRate: 16000, channels: 1 }, says: 'Speex (FLV SoundFormat 11)' },
];

const missing = playerMissing();

// The barcode with `c.audio`, published to nginx-rtmp as `stream` for the enclosing suite; returns a getter
// for the publisher.
function publishedDuringSuite(getEnv, stream, c) {
  let pub;
  before(async () => {
    pub = await publishBarcode(getEnv().nginx.url(stream), { audio: c.audio, label: `publish ${c.name}` });
    await waitPublished(getEnv().nginx, stream);
  });
  after(async () => {
    await pub?.stop();
  });
  return () => pub;
}

// A live <live-player> on `stream`: pictures through WebCodecs, audio through `decoder`.
function addLivePlayer(env, stream, decoder) {
  return env.addPlayer({ src: env.nginx.url(stream), autoplay: true, mode: 'live', 'min-cache': 1, 'max-cache': 3 },
    { configure: { videoDecoder: 'webcodecs', audioDecoder: decoder } });
}

// The frame numbers read from the canvas over `ms` of watching: readable, never backwards, at least half
// of those published, every gap reported.
function assertPicturesInOrder(w, fps, ms) {
  assert.deepEqual(w.picture.errors, [], 'the probe could read the canvas');
  assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
  const expected = ms * fps / 1000;
  assert.ok(w.order.count >= 0.5 * expected, `at least half the frames shown: ${w.order.count} of ~${expected}`);
  assert.equal(unreportedGaps(w), null);
}

describe('<live-player> plays G.711, PCM and MP3 from rtmp:// on both decode paths', { skip: missing ?? false }, () => {
  let env;
  before(async () => {
    env = await startPlayerEnv();
  });
  after(async () => {
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-40).join('\n')}`);
    await env?.close();
  });

  CODECS.forEach((c, i) => {
    describe(c.name, () => {
      const stream = `codec${i}`;
      const pub = publishedDuringSuite(() => env, stream, c);

      for (const decoder of ['wasm', 'webcodecs']) {
        test(`${decoder} audio decoder: codes in order, frames in order, the tone at 1 kHz`, async () => {
          const p = await addLivePlayer(env, stream, decoder);
          try {
            await p.waitCode(2004, { timeoutMs: 20000 });
            const w = await watchPlayback(p, { ms: WATCH_MS, audio: true });
            const codes = w.codes;
            const tone = toneReport(w.audio.levels, { from: w.from });
            const last = w.net.at(-1) ?? {};
            const failures = (await p.events('statechange')).filter((e) => FAILURES.has(e.detail.code)).map((e) => `${e.detail.code} ${e.detail.message}`);
            console.log(`${c.name}/${decoder}: codes ${JSON.stringify(codes)}; frames ${w.order.count} (${w.order.first}..${w.order.last}), ` +
              `missing ${w.order.missing}, dropped ${w.dropped}; tone ${JSON.stringify(tone)}; audioDecoder ${last.audioDecoder}, ` +
              `audioBitrate ${last.audioBitrate}, cacheMs ${last.cacheMs}; failures ${JSON.stringify(failures)}`);

            const at = [2001, 2002, 2003, 2004].map((code) => codes.indexOf(code));
            assert.ok(at.every((k) => k >= 0), `2001, 2002, 2003 and 2004 all came: ${JSON.stringify(codes)}`);
            assert.ok(at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `2001 < 2002 < 2003 < 2004: ${JSON.stringify(codes)}`);
            assert.deepEqual(codes.filter((code) => code < 0 || FAILURES.has(code)), [], `no failure code (2102: a sound format not played): ${JSON.stringify(failures)}`);

            assertPicturesInOrder(w, pub().fps, WATCH_MS);

            if ('audioDecoder' in last) assert.equal(last.audioDecoder, decoder, `netstatus audioDecoder: ${last.audioDecoder}`);
            assert.ok(tone.n >= 3, `the audio probe ran: ${JSON.stringify(tone)}`);
            assert.ok(tone.rms > 0.1, `the tone is audible: ${JSON.stringify(tone)}`);
            assert.ok(Math.abs(tone.hz - 1000) < 30, `the tone's pitch is 1 kHz: ${JSON.stringify(tone)}`);
          } finally {
            await p.remove();
          }
        });
      }
    });
  });
  REFUSED.forEach((c, i) => {
    describe(`${c.name}: refused with 2102, pictures without sound`, () => {
      const stream = `refused${i}`;
      const pub = publishedDuringSuite(() => env, stream, c);

      for (const decoder of ['wasm', 'webcodecs']) {
        test(`${decoder} audio decoder: 2102 once naming it, 2004, frames in order`, async () => {
          const p = await addLivePlayer(env, stream, decoder);
          try {
            await p.waitCode(2004, { timeoutMs: 20000 });
            const w = await watchPlayback(p, { ms: WATCH_MS / 2 });
            const states = (await p.events('statechange')).map((e) => e.detail);
            const refusals = states.filter((d) => d.code === 2102);
            console.log(`${c.name}/${decoder}: codes ${JSON.stringify(w.codes)}; 2102 ${JSON.stringify(refusals.map((d) => d.message))}; ` +
              `frames ${w.order.count} (${w.order.first}..${w.order.last}), missing ${w.order.missing}, dropped ${w.dropped}`);

            assert.equal(refusals.length, 1, `2102 exactly once: ${JSON.stringify(refusals)}`);
            assert.ok(refusals[0].message.includes(c.says) && /without sound/.test(refusals[0].message),
              `2102 names the format (${c.says}) and says the stream plays without sound: ${refusals[0].message}`);
            const codes = states.map((d) => d.code);
            const at = [2001, 2002, 2003, 2004].map((code) => codes.indexOf(code));
            assert.ok(at.every((k) => k >= 0) && at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `2001 < 2002 < 2003 < 2004: ${JSON.stringify(codes)}`);
            assert.deepEqual(codes.filter((code) => code < 0 || (FAILURES.has(code) && code !== 2102)), [], `no other failure code: ${JSON.stringify(codes)}`);

            assertPicturesInOrder(w, pub().fps, WATCH_MS / 2);
          } finally {
            await p.remove();
          }
        });
      }
    });
  });
});
