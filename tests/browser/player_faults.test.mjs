// Faults, each provoked for real and judged by the state codes and the picture:
//   - the publisher frozen (SIGSTOP) for 3 s: the player reports buffering or a stutter (2007 or 2105)
//     after the freeze began, and once thawed (SIGCONT) the numbers move on past the freeze, no -2301;
//   - the publisher stopping (ffmpeg ends the RTMP stream: unpublish): 2006, not -2301;
//   - an HTTP-FLV source cut mid-stream and gone (the server resets the connection and stops listening):
//     -2301 after the reconnect tries (2103), never 2006 (FLV has no end message);
//   - garbage in the stream (one video tag's body replaced by noise, the FLV structure intact): 2101, and
//     playback goes on: later frame numbers are shown, no -2301 while the source lasts;
//   - nginx killed (SIGKILL, the RTMP server gone): 2103 three times, then -2301, and nothing after it.
// nginx is killed last: the other faults use it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startPlayerEnv, playerMissing, startFlvHttpServer, sleep } from './lib/player_env.mjs';
import { publishBarcode, barcodeFlvFile, flvWithCorruptTag } from './lib/publishers.mjs';
import { until, waitPublished } from '../interop/lib/gateway.mjs';

const missing = playerMissing();
const DECODER = process.env.LW_PLAYER_DECODER ?? 'auto';

describe('faults: the player reports what happened and recovers where it can', { skip: missing ?? false }, () => {
  let env;
  let flvServer;
  let n = 0;
  before(async () => {
    env = await startPlayerEnv();
    flvServer = await startFlvHttpServer();
  });
  after(async () => {
    await flvServer?.close();
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-50).join('\n')}`);
    await env?.close();
  });

  const play = (src, attrs = {}) => env.addPlayer({ src, autoplay: true, mode: 'RTC', ...attrs }, { configure: { videoDecoder: DECODER, audioDecoder: DECODER } });
  const after_ = (events, t) => events.filter((e) => e.type === 'statechange' && e.t > t).map((e) => e.detail.code);

  test('publisher frozen (SIGSTOP) then resumed (SIGCONT): 2007 or 2105, then playing again', async () => {
    const name = `freeze${++n}`;
    const pub = await publishBarcode(env.nginx.url(name));
    try {
      await waitPublished(env.nginx, name);
      const p = await play(env.nginx.url(name));
      try {
        await p.waitCode(2004);
        const pic = await p.watchPicture();
        await sleep(2000);
        const frozenAt = await p.now();
        pub.freeze();
        await sleep(3000);
        const thawedAt = await p.now();
        pub.thaw();
        await sleep(4000);
        const shown = (await p.read(pic)).frames;
        const events = await p.all();
        const during = after_(events, frozenAt).filter((c, i, a) => a.indexOf(c) === i);
        const before = shown.filter((f) => f.t < frozenAt).at(-1)?.n;
        const afterThaw = shown.filter((f) => f.t > thawedAt + 1000).map((f) => f.n);
        console.log(`freeze: codes after the freeze ${JSON.stringify(after_(events, frozenAt))}; last number before ${before}; after thaw ${afterThaw.slice(0, 3)}..${afterThaw.at(-1)}`);
        assert.ok(during.includes(2007) || during.includes(2105), `2007 or 2105 after the freeze: ${JSON.stringify(during)}`);
        assert.ok(!during.includes(-2301), 'no -2301 for a 3 s freeze');
        assert.ok(afterThaw.length > 10 && afterThaw.at(-1) > before + 25, `numbers move on after the thaw: ${before} -> ${afterThaw.at(-1)}`);
      } finally {
        await p.remove();
      }
    } finally {
      await pub.stop();
    }
  });

  test('publisher stopping (RTMP unpublish): 2006, not -2301', async () => {
    const name = `end${++n}`;
    const pub = await publishBarcode(env.nginx.url(name));
    try {
      await waitPublished(env.nginx, name);
      const p = await play(env.nginx.url(name));
      try {
        await p.waitCode(2004);
        await sleep(1500);
        const stoppedAt = await p.now();
        await pub.stop();
        await p.waitCode(2006, { timeoutMs: 15000, after: stoppedAt });
        await sleep(1000);
        const codes = after_(await p.all(), stoppedAt);
        console.log(`publisher stop: codes after ${JSON.stringify(codes)}`);
        assert.ok(!codes.includes(-2301), `2006 and no -2301: ${JSON.stringify(codes)}`);
      } finally {
        await p.remove();
      }
    } finally {
      await pub.stop();
    }
  });

  test('HTTP-FLV source cut and gone: -2301 (after 2103 tries), not 2006', async () => {
    const fx = await barcodeFlvFile({ seconds: 20 });
    const srv = await startFlvHttpServer();
    srv.set('/cut.flv', readFileSync(fx.file));
    const p = await play(srv.url('/cut.flv'));
    try {
      await p.waitCode(2004);
      await sleep(2000);
      const cutAt = await p.now();
      await srv.close();  // resets the open response and refuses every reconnect
      await p.waitCode(-2301, { timeoutMs: 30000, after: cutAt });
      const codes = after_(await p.all(), cutAt);
      console.log(`HTTP-FLV cut: codes after ${JSON.stringify(codes)}`);
      assert.ok(!codes.includes(2006), `-2301, never 2006: ${JSON.stringify(codes)}`);
      assert.ok(codes.indexOf(2103) >= 0 && codes.indexOf(2103) < codes.indexOf(-2301), `reconnect tries (2103) before -2301: ${JSON.stringify(codes)}`);
    } finally {
      await p.remove();
      await srv.close().catch(() => {});
    }
  });

  for (const decoder of ['wasm', 'webcodecs']) {
    test(`garbage in the stream (${decoder}): 2101, playback continues`, async () => {
      const fx = await barcodeFlvFile({ seconds: 20 });
      const bad = flvWithCorruptTag(readFileSync(fx.file), { atFraction: 0.25 });
      const route = `/garbage-${decoder}.flv`;
      flvServer.set(route, bad.data);
      const p = await env.addPlayer({ src: flvServer.url(route), autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: decoder, audioDecoder: decoder } });
      try {
        await p.waitCode(2004);
        const pic = await p.watchPicture();
        // The bad frame is at 5 s of the file: well before its end (20 s), so the source lasts.
        // The file plays from its start; 5 s past the bad frame is still well before the file's end.
        // Waits (rather than sleeping a fixed time) until 50 frames past the bad one have been shown, so that
        // a machine busy with other jobs makes the test slower, not red; the file lasts 20 s.
        const pastBad = (frames) => frames.filter((f) => f.n > bad.corruptIndex);
        await until(async () => {
          const later = pastBad((await p.read(pic)).frames);
          return later.length > 20 && later.at(-1).n > bad.corruptIndex + 50;
        }, { timeoutMs: bad.corruptTs + 12000, what: 'frames past the garbage' }).catch(() => {});
        const shown = (await p.read(pic)).frames;
        const events = await p.all();
        const codes = events.filter((e) => e.type === 'statechange').map((e) => e.detail.code);
        const failed = events.find((e) => e.type === 'statechange' && e.detail.code === 2101);
        const later = shown.filter((f) => f.n > bad.corruptIndex).map((f) => f.n);
        console.log(`garbage/${decoder} at frame ${bad.corruptIndex} (${bad.corruptTs} ms): codes ${JSON.stringify(codes)}; numbers after it: ${later.slice(0, 3)}..${later.at(-1)}; ` +
          `messages ${JSON.stringify(events.filter((e) => e.type === 'statechange' && e.detail.code > 2004).map((e) => e.detail.message))}`);
        assert.ok(failed, `a decode failure (2101) reported for the garbage frame: ${JSON.stringify(codes)}`);
        assert.ok(!codes.includes(-2301) && !codes.includes(2103), `playback goes on (no reconnect, no -2301): ${JSON.stringify(codes)}`);
        assert.ok(later.length > 20 && later.at(-1) > bad.corruptIndex + 50, `frames after the garbage are shown: up to ${later.at(-1)} (garbage at ${bad.corruptIndex})`);
      } finally {
        await p.remove();
      }
    });
  }

  test('nginx killed: 2103 three times, then -2301', async () => {
    const name = `kill${++n}`;
    const pub = await publishBarcode(env.nginx.url(name));
    try {
      await waitPublished(env.nginx, name);
      const p = await play(env.nginx.url(name));
      try {
        await p.waitCode(2004);
        await sleep(1500);
        const killedAt = await p.now();
        await env.nginx.stop({ kill: true });
        await p.waitCode(-2301, { timeoutMs: 45000, after: killedAt });
        await sleep(2000);
        const codes = after_(await p.all(), killedAt);
        console.log(`nginx killed: codes after ${JSON.stringify(codes)}`);
        const end = codes.indexOf(-2301);
        assert.equal(codes.slice(0, end).filter((c) => c === 2103).length, 3, `three 2103 before -2301: ${JSON.stringify(codes)}`);
        assert.ok(!codes.includes(2006), `not an end of stream (2006): ${JSON.stringify(codes)}`);
        assert.deepEqual(codes.slice(end + 1).filter((c) => c === 2103 || c === 2004), [], 'nothing tries again after -2301');
      } finally {
        await p.remove();
      }
    } finally {
      await pub.kill();
    }
  });
});
