// The player's other inputs: HTTP-FLV (streaming fetch) and WS-FLV straight from node-media-server, and
// an HEVC FLV file (muxed by the core's flv::Muxer via build/native/tools/lw-flv-mux from an ffmpeg/libx265
// stream) served over HTTP in real time, in both HEVC signallings (legacy codec id 12, Enhanced 'hvc1').
// Each asserts a normal start (2001 < 2002 < 2003 < 2004, no failure code), frame numbers in order with
// no gap the player did not report, and (with audio) the 1 kHz tone heard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startPlayerEnv, playerMissing, watchPlayback, unreportedGaps, startFlvHttpServer } from './lib/player_env.mjs';
import { publishBarcode, hevcFlvFixture, FLV_MUX_TOOL } from './lib/publishers.mjs';
import { waitNmsPublished } from './lib/node_media_server.mjs';
import { toneReport } from './lib/picture_probe.mjs';
import { ROOT } from '../interop/lib/tools.mjs';

const missing = playerMissing({ gateway: false });
const hevcMissing = existsSync(FLV_MUX_TOOL) ? null : `${path.relative(ROOT, FLV_MUX_TOOL)} is not built yet (helper B's lw-flv-mux): no HEVC FLV to serve`;
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);

function assertNormalStart(codes, what) {
  const at = [2001, 2002, 2003, 2004].map((c) => codes.indexOf(c));
  assert.ok(at.every((i) => i >= 0) && at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `${what}: 2001 < 2002 < 2003 < 2004: ${JSON.stringify(codes)}`);
  assert.deepEqual(codes.filter((c) => c < 0 || FAILURES.has(c)), [], `${what}: no failure code`);
}

// The HEVC module (livewasm_player_hevc, loaded only for an HEVC stream decoded in wasm) as the static
// server saw it asked for.
const HEVC_MODULE = /livewasm_player_hevc(_simd)?\.(mjs|wasm)$/;
const hevcRequests = (env) => env.srv.requests.filter((q) => HEVC_MODULE.test(q.path));

function assertPicture(w, what) {
  assert.deepEqual(w.picture.errors, [], `${what}: the probe could read the canvas`);
  assert.deepEqual(w.order.backwards, [], `${what}: numbers never go backwards`);
  assert.ok(w.order.count >= 50, `${what}: frames shown: ${w.order.count}`);
  assert.equal(unreportedGaps(w), null, what);
}

describe('HTTP-FLV and WS-FLV from node-media-server, HEVC FLV over HTTP', { skip: missing ?? false }, () => {
  let env;
  let pub;
  let flvServer;
  before(async () => {
    env = await startPlayerEnv({ nms: true, nginx: false, gateway: false });
    pub = await publishBarcode(env.nms.rtmpUrl('src'));
    await waitNmsPublished(env.nms, 'src');
    flvServer = await startFlvHttpServer();
  });
  after(async () => {
    await pub?.stop();
    await flvServer?.close();
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-40).join('\n')}`);
    await env?.close();
  });

  for (const kind of ['HTTP-FLV', 'WS-FLV']) {
    for (const decoder of ['wasm', 'webcodecs']) {
      test(`${kind} from node-media-server (${decoder})`, async () => {
        const url = kind === 'HTTP-FLV' ? env.nms.httpFlvUrl('src') : env.nms.wsFlvUrl('src');
        const p = await env.addPlayer({ src: url, autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: decoder, audioDecoder: decoder } });
        try {
          await p.waitCode(2004, { timeoutMs: 20000 });
          const w = await watchPlayback(p, { ms: 5000, audio: true });
          const tone = toneReport(w.audio.levels, { from: w.from });
          console.log(`${kind}/${decoder}: codes ${JSON.stringify(w.codes)} frames ${w.order.count} missing ${w.order.missing} dropped ${w.dropped} skips ${w.skips} tone ${JSON.stringify(tone)} ` +
            `gaps ${JSON.stringify(w.order.gaps)} net ${JSON.stringify(w.net.map((x) => [Math.round(x.t), x.droppedFrames, x.skips, x.cacheMs]))}`);
          assertNormalStart(w.codes, kind);
          assertPicture(w, kind);
          assert.ok(Math.abs(tone.hz - 1000) < 30 && tone.rms > 0.1, `${kind}: the 1 kHz tone heard: ${JSON.stringify(tone)}`);
        } finally {
          await p.remove();
        }
      });
    }
  }

  for (const signalling of ['legacy', 'enhanced']) {
    test(`HEVC FLV (${signalling === 'legacy' ? 'codec id 12' : "Enhanced 'hvc1'"}) over HTTP`, { skip: hevcMissing ?? false }, async () => {
      // The H.264 plays above (and none before them) never asked for the HEVC module.
      if (signalling === 'legacy') assert.deepEqual(hevcRequests(env), [], 'H.264 streams did not load the HEVC module');
      const fx = await hevcFlvFixture({ signalling, seconds: 10 });
      if (fx.missing) throw new Error(fx.missing);
      const route = `/hevc-${signalling}.flv`;
      flvServer.set(route, readFileSync(fx.file));
      // 'auto': WebCodecs where the browser takes HEVC, FFmpeg in wasm otherwise (headless Chromium on
      // Linux has no HEVC decoder, so this is the wasm path here).
      const p = await env.addPlayer({ src: flvServer.url(route), autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: 'auto', audioDecoder: 'auto' } });
      try {
        await p.waitCode(2004, { timeoutMs: 20000 });
        const w = await watchPlayback(p, { ms: 5000, audio: true });
        const tone = toneReport(w.audio.levels, { from: w.from });
        console.log(`hevc ${signalling}: codes ${JSON.stringify(w.codes)} frames ${w.order.count} (${w.order.first}..${w.order.last}) missing ${w.order.missing} dropped ${w.dropped} tone ${JSON.stringify(tone)}`);
        const at = [2001, 2002, 2003, 2004].map((c) => w.codes.indexOf(c));
        assert.ok(at.every((i) => i >= 0) && at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `2001 < 2002 < 2003 < 2004: ${JSON.stringify(w.codes)}`);
        assert.deepEqual(w.codes.filter((c) => c === 2101 || c === 2102), [], 'no decode failure');
        assertPicture(w, `HEVC ${signalling}`);
        assert.equal(w.net.at(-1)?.videoWidth, 320);
        // Decoded in wasm (this Chromium's WebCodecs takes no HEVC): through the HEVC module.
        const asked = hevcRequests(env).map((q) => q.path);
        if (w.net.at(-1)?.videoDecoder === 'wasm') {
          assert.ok(asked.some((q) => q.endsWith('.wasm')) && asked.some((q) => q.endsWith('.mjs')),
            `the HEVC stream loaded the HEVC module: ${JSON.stringify(asked)}`);
        }
        assert.ok(Math.abs(tone.hz - 1000) < 30 && tone.rms > 0.1, `the 1 kHz tone heard: ${JSON.stringify(tone)}`);
      } finally {
        await p.remove();
      }
    });
  }
});
