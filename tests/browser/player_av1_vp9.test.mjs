// Enhanced RTMP AV1 and VP9 over HTTP-FLV (issue 19): the barcode stream encoded by Debian's ffmpeg
// (libaom-av1 / libvpx-vp9) and muxed as 'av01' / 'vp09' by the core's flv::Muxer
// (lib/av1_vp9_fixtures.mjs), served in real time, on each decode path. Each asserts a normal start
// (2001 < 2002 < 2003 < 2004, no failure code), frame numbers read from the canvas in order with no gap
// the player did not report, the path netstatus names, the 1 kHz tone heard; and which on-demand module
// the page asked for (AV1 in wasm: livewasm_player_av1, only then; VP9 in wasm: livewasm_player_vp9, FFmpeg's
// VP9 decoder, only then; WebCodecs: none).
// And AV1 as Enhanced RTMP proper: the same E-FLV published in real time over RTMP by lw-rtmp-tool to
// node-media-server v4 (which takes and relays E-RTMP), played from rtmp:// through the gateway on both
// decode paths, with the same assertions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startPlayerEnv, playerMissing, watchPlayback, unreportedGaps, useHttpFlvPlayer } from './lib/player_env.mjs';
import { sleep } from '../interop/lib/tools.mjs';
import { FLV_MUX_TOOL, publishFlvFile } from './lib/publishers.mjs';
import { enhancedFlvFixture } from './lib/av1_vp9_fixtures.mjs';
import { toneReport } from './lib/picture_probe.mjs';
import { ROOT } from '../interop/lib/tools.mjs';

const missing = playerMissing({ gateway: false }) ?? (existsSync(FLV_MUX_TOOL) ? null : `${path.relative(ROOT, FLV_MUX_TOOL)} is not built (scripts/build.sh native)`);
const AV1_MODULE_FILE = path.join(ROOT, 'dist/wasm/livewasm_player_av1.wasm');
const VP9_MODULE_FILE = path.join(ROOT, 'dist/wasm/livewasm_player_vp9.wasm');
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);
const MODULE = { av1: /livewasm_player_av1(_simd)?\.(mjs|wasm)$/, vp9: /livewasm_player_vp9(_simd)?\.(mjs|wasm)$/, hevc: /livewasm_player_hevc(_simd)?\.(mjs|wasm)$/ };
const asked = (env, re) => env.srv.requests.filter((q) => re.test(q.path)).map((q) => q.path);

// One player on `src`: codes in order, frames in order with every gap reported, the decode path named,
// the AV1 module loaded only for AV1 in wasm, the tone heard.
async function playAndCheck(env, { src, codec, decoder }) {
  const av1Before = asked(env, MODULE.av1).length;
  const vp9Before = asked(env, MODULE.vp9).length;
  const p = await env.addPlayer({ src, autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: decoder, audioDecoder: 'auto' } });
  try {
    await p.waitCode(2004, { timeoutMs: 20000 });
    const w = await watchPlayback(p, { ms: 5000, audio: true });
    const tone = toneReport(w.audio.levels, { from: w.from });
    const net = w.net.at(-1) ?? {};
    console.log(`${codec}/${decoder}: codes ${JSON.stringify(w.codes)} frames ${w.order.count} (${w.order.first}..${w.order.last}) missing ${w.order.missing} dropped ${w.dropped} ` +
      `decoder ${net.videoDecoder} ${net.videoWidth}x${net.videoHeight} tone ${JSON.stringify(tone)}`);
    const at = [2001, 2002, 2003, 2004].map((c) => w.codes.indexOf(c));
    assert.ok(at.every((i) => i >= 0) && at[0] < at[1] && at[1] < at[2] && at[2] < at[3], `2001 < 2002 < 2003 < 2004: ${JSON.stringify(w.codes)}`);
    assert.deepEqual(w.codes.filter((c) => c < 0 || FAILURES.has(c)), [], 'no failure code');
    assert.deepEqual(w.picture.errors, [], 'the probe could read the canvas');
    assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
    assert.ok(w.order.count >= 50, `frames shown: ${w.order.count}`);
    assert.equal(unreportedGaps(w), null);
    assert.equal(net.videoDecoder, decoder, 'netstatus names the path that decodes');
    // netstatus's size: AV1 and VP9 records name none, so it is the shown picture's (the fixture is 320x240).
    assert.equal(`${net.videoWidth}x${net.videoHeight}`, '320x240', 'netstatus videoWidth x videoHeight');
    const av1Asked = asked(env, MODULE.av1).slice(av1Before);
    if (codec === 'av1' && decoder === 'wasm') {
      assert.ok(av1Asked.some((q) => q.endsWith('.wasm')) || av1Before > 0, `the AV1 module was loaded: ${JSON.stringify(av1Asked)}`);
    } else {
      assert.deepEqual(av1Asked, [], 'no AV1 module for a stream WebCodecs decodes');
    }
    const vp9Asked = asked(env, MODULE.vp9).slice(vp9Before);
    if (codec === 'vp9' && decoder === 'wasm') {
      assert.ok(vp9Asked.some((q) => q.endsWith('.wasm')) || vp9Before > 0, `the VP9 module was loaded: ${JSON.stringify(vp9Asked)}`);
    } else {
      assert.deepEqual(vp9Asked, [], 'no VP9 module for a stream WebCodecs decodes (or for AV1)');
    }
    assert.deepEqual(asked(env, MODULE.hevc), [], 'never the HEVC module');
    assert.ok(Math.abs(tone.hz - 1000) < 30 && tone.rms > 0.1, `the 1 kHz tone heard: ${JSON.stringify(tone)}`);
  } finally {
    await p.remove();
  }
}

const CASES = [
  { codec: 'av1', decoder: 'webcodecs' },
  { codec: 'vp9', decoder: 'webcodecs' },
  { codec: 'av1', decoder: 'wasm', skip: existsSync(AV1_MODULE_FILE) ? false : 'dist/wasm/livewasm_player_av1.wasm is not built (scripts/build.sh wasm)' },
  { codec: 'vp9', decoder: 'wasm', skip: existsSync(VP9_MODULE_FILE) ? false : 'dist/wasm/livewasm_player_vp9.wasm is not built (scripts/build.sh wasm)' },
];

describe('AV1 and VP9 Enhanced RTMP FLV over HTTP', { skip: missing ?? false }, () => {
  const http = useHttpFlvPlayer({ logLines: 40 });

  for (const { codec, decoder, skip } of CASES) {
    test(`${codec} over HTTP-FLV (${decoder})`, { skip: skip ?? false }, async () => {
    const { env, flvServer } = http;
      const fx = await enhancedFlvFixture({ codec, seconds: 10 });
      if (fx.missing) throw new Error(fx.missing);
      const route = `/${codec}-${decoder}.flv`;
      flvServer.set(route, readFileSync(fx.file));
      await playAndCheck(env, { src: flvServer.url(route), codec, decoder });
    });
  }
});


describe('AV1 Enhanced RTMP from node-media-server v4 through the gateway', { skip: missing ?? (playerMissing() ?? false) }, () => {
  let env;
  before(async () => {
    env = await startPlayerEnv({ nms: true, nginx: false });
  });
  after(async () => {
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-40).join('\n')}`);
    await env?.close();
  });

  for (const decoder of ['webcodecs', 'wasm']) {
    test(`av1 over rtmp:// (${decoder})`, { skip: decoder === 'wasm' && !existsSync(AV1_MODULE_FILE) ? 'dist/wasm/livewasm_player_av1.wasm is not built (scripts/build.sh wasm)' : false }, async () => {
      const fx = await enhancedFlvFixture({ codec: 'av1', seconds: 20 });
      if (fx.missing) throw new Error(fx.missing);
      const name = `av1-${decoder}`;
      const pub = publishFlvFile(env.nms.rtmpUrl(name), fx.file, { label: `publish AV1 E-FLV to node-media-server (${decoder})` });
      try {
        await sleep(1500);  // the publisher connects first (a player that comes earlier is held by the server)
        await playAndCheck(env, { src: env.nms.rtmpUrl(name), codec: 'av1', decoder });
      } finally {
        await pub.stop();
      }
    });
  }
});
