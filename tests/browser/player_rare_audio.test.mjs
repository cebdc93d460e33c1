// FLAC, AC-3 and E-AC-3 as Enhanced RTMP FourCC audio ('fLaC', 'ac-3', 'ec-3', issue 19) over HTTP-FLV:
// the barcode video (H.264) with a 1 kHz tone encoded by Debian's ffmpeg (-c:a flac / ac3 / eac3,
// elementary streams) and muxed by the core's flv::Muxer (lw-flv-mux --audio in.flac|in.ac3|in.eac3),
// served in real time. Each case asserts a normal start (2001 < 2002 < 2003 < 2004, no failure code: 2102
// would be the codec refused), the frame numbers in order, the tone heard at its pitch through
// player.audioNode, the audio path netstatus names, and the on-demand module: livewasm_player_flac_ac3 asked
// for exactly when the audio is decoded in wasm.
//   - FLAC on both paths (WebCodecs takes 'flac' in Chromium: the case fails if it did not);
//   - AC-3 and E-AC-3 in wasm; and AC-3 with audioDecoder 'auto', which takes WebCodecs where the browser
//     says AudioDecoder.isConfigSupported('ac-3') and the module otherwise (the path it took is logged).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { playerMissing, watchPlayback, unreportedGaps, useHttpFlvPlayer, WASM_BASE } from './lib/player_env.mjs';
import { FLV_MUX_TOOL, FIXTURE_DIR, barcodeMezzanine } from './lib/publishers.mjs';
import { toneReport } from './lib/picture_probe.mjs';
import { ROOT, run } from '../interop/lib/tools.mjs';

const MODULE_FILE = path.join(WASM_BASE, 'livewasm_player_flac_ac3.wasm');
const missing = playerMissing({ gateway: false }) ??
  (existsSync(FLV_MUX_TOOL) ? null : `${path.relative(ROOT, FLV_MUX_TOOL)} is not built (scripts/build.sh native)`) ??
  (existsSync(MODULE_FILE) ? null : `${path.relative(ROOT, MODULE_FILE)} is not built (scripts/build.sh wasm)`);
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);
const MODULE = /livewasm_player_flac_ac3(_simd)?\.(mjs|wasm)$/;
const WATCH_MS = 4000;
const SECONDS = 8;
const FPS = 25;

const AUDIO = {
  flac: { ext: 'flac', args: ['-c:a', 'flac', '-f', 'flac'], rate: 48000 },
  ac3: { ext: 'ac3', args: ['-c:a', 'ac3', '-b:a', '96k', '-f', 'ac3'], rate: 48000 },
  eac3: { ext: 'eac3', args: ['-c:a', 'eac3', '-b:a', '96k', '-f', 'eac3'], rate: 44100 },
};

async function ffmpeg(args, what) {
  const r = await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', '-threads', '1', ...args], { timeoutMs: 300000 });
  if (r.code !== 0) throw new Error(`ffmpeg could not make ${what} (${r.code} ${r.signal ?? ''}): ${r.stderr}`);
}

// The barcode (H.264 Annex B) and a 1 kHz mono tone in `codec`, muxed by lw-flv-mux; cached by recipe.
async function rareAudioFlv(codec) {
  const a = AUDIO[codec];
  const recipe = { v: 1, codec, a, seconds: SECONDS, fps: FPS };
  const key = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const file = path.join(FIXTURE_DIR, `rare-audio-${codec}-${key}.flv`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  const tmp = path.join(FIXTURE_DIR, `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}-${codec}.flv`);
  const h264 = `${tmp}.h264`;
  const audio = `${tmp}.${a.ext}`;
  try {
    const mezz = await barcodeMezzanine({ fps: FPS });
    await ffmpeg(['-i', mezz.file, '-frames:v', String(SECONDS * FPS), '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline',
      '-bf', '0', '-g', String(FPS), '-b:v', '600k', '-pix_fmt', 'yuv420p', '-f', 'h264', h264], 'the H.264 stream');
    await ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=exprs=0.5*sin(2*PI*1000*t):sample_rate=${a.rate}:channel_layout=mono`, '-t', String(SECONDS),
      ...a.args, audio], `the ${codec} stream`);
    const r = await run(FLV_MUX_TOOL, ['--video', h264, '--audio', audio, '--fps', String(FPS), '--check', '-o', tmp]);
    if (r.code !== 0) throw new Error(`lw-flv-mux failed (${r.code}): ${r.stdout} ${r.stderr}`);
    renameSync(tmp, file);
  } finally {
    for (const f of [tmp, h264, audio]) rmSync(f, { force: true });
  }
  return file;
}

const CASES = [
  { codec: 'flac', decoder: 'wasm' },
  { codec: 'flac', decoder: 'webcodecs' },
  { codec: 'ac3', decoder: 'wasm' },
  { codec: 'eac3', decoder: 'wasm' },
  { codec: 'ac3', decoder: 'auto' },
];

describe('FLAC, AC-3 and E-AC-3 Enhanced RTMP audio over HTTP-FLV', { skip: missing ?? false }, () => {
  const http = useHttpFlvPlayer({ logLines: 40 });

  for (const { codec, decoder } of CASES) {
    test(`${codec} (${decoder} audio decoder): codes in order, frames in order, the tone at 1 kHz`, async () => {
    const { env, flvServer } = http;
      const route = `/${codec}-${decoder}.flv`;
      flvServer.set(route, readFileSync(await rareAudioFlv(codec)));
      const before = env.srv.requests.filter((q) => MODULE.test(q.path)).length;
      const p = await env.addPlayer({ src: flvServer.url(route), autoplay: true, mode: 'RTC' },
        { configure: { videoDecoder: 'webcodecs', audioDecoder: decoder } });
      try {
        await p.waitCode(2004, { timeoutMs: 20000 });
        const w = await watchPlayback(p, { ms: WATCH_MS, audio: true });
        const tone = toneReport(w.audio.levels, { from: w.from });
        const net = w.net.at(-1) ?? {};
        const failures = [...new Set((await p.events('statechange')).filter((e) => FAILURES.has(e.detail.code)).map((e) => `${e.detail.code} ${e.detail.message}`))];
        const asked = env.srv.requests.filter((q) => MODULE.test(q.path)).slice(before).map((q) => q.path);
        console.log(`${codec}/${decoder}: codes ${JSON.stringify(w.codes)} frames ${w.order.count} (${w.order.first}..${w.order.last}) ` +
          `missing ${w.order.missing} dropped ${w.dropped} audioDecoder ${net.audioDecoder} tone ${JSON.stringify(tone)} ` +
          `module ${JSON.stringify(asked)} failures ${JSON.stringify(failures)}`);
        const at = [2001, 2002, 2003, 2004].map((c) => w.codes.indexOf(c));
        assert.ok(at.every((i) => i >= 0) && at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `2001 < 2002 < 2003 < 2004: ${JSON.stringify(w.codes)}`);
        assert.deepEqual(failures, [], 'no failure code (2102: the codec refused, or its decoder missing)');
        assert.deepEqual(w.codes.filter((c) => c < 0 || FAILURES.has(c)), [], 'no failure code while watched');
        assert.deepEqual(w.picture.errors, [], 'the probe could read the canvas');
        assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
        assert.ok(w.order.count >= 0.5 * WATCH_MS * FPS / 1000, `frames shown: ${w.order.count}`);
        assert.equal(unreportedGaps(w), null);
        const path_ = decoder === 'auto' ? net.audioDecoder : decoder;
        assert.ok(['wasm', 'webcodecs'].includes(path_), `netstatus audioDecoder: ${net.audioDecoder}`);
        assert.equal(net.audioDecoder, path_, 'netstatus names the audio path that decodes');
        if (path_ === 'wasm') {
          assert.ok(asked.some((q) => q.endsWith('.wasm')) || before > 0, `the FLAC/AC-3 module was loaded: ${JSON.stringify(asked)}`);
        } else {
          assert.deepEqual(asked, [], 'no FLAC/AC-3 module for audio WebCodecs decodes');
        }
        assert.ok(tone.n >= 3, `the audio probe ran: ${JSON.stringify(tone)}`);
        assert.ok(tone.rms > 0.1, `the tone is audible: ${JSON.stringify(tone)}`);
        assert.ok(Math.abs(tone.hz - 1000) < 30, `the tone's pitch is 1 kHz: ${JSON.stringify(tone)}`);
      } finally {
        await p.remove();
      }
    });
  }
});
