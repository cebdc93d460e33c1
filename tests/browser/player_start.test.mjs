// How a live play starts, seen on the canvas from before the first picture: an HTTP-FLV source that
// sends a file at its own pace from the first key frame (a plain HTTP server, as a CDN edge that has
// no GOP cache would), `mode="live"`, on both decode paths.
//
// What a viewer must not see: the first picture held still while the buffer fills, then a jump over the
// frames that were buffered behind it (the player either plays the first GOP from its key frame or
// starts at the live edge; both are continuous from the first picture on). Asserted on frame numbers
// read from the barcode of every picture the probe saw, never on wall-clock time:
//   - the first picture's number is below FIRST_MAX (a start at the key frame or up to one GOP later);
//   - between the first picture and 4 s later, no gap of more than MAX_GAP numbers that the probe's
//     own sampling cannot explain (orderReport's `unexplained`), no key-frame skip reported, and no run
//     of drops (a reported jump is still a jump; before the fix: 24 frames dropped after a 2 s hold).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startPlayerEnv, playerMissing, startFlvHttpServer, sleep } from './lib/player_env.mjs';
import { barcodeFlvFile } from './lib/publishers.mjs';
import { orderReport } from './lib/picture_probe.mjs';

const missing = playerMissing({ gateway: false });
const MAX_GAP = 3;
const WATCH_MS = 4000;

describe('a live HTTP-FLV start shows no held picture and no jump', { skip: missing ?? false }, () => {
  let env;
  let flvServer;
  let fx;
  before(async () => {
    env = await startPlayerEnv({ nginx: false, gateway: false });
    flvServer = await startFlvHttpServer();
    fx = await barcodeFlvFile({ seconds: 12 });
    flvServer.set('/paced.flv', readFileSync(fx.file));
  });
  after(async () => {
    await flvServer?.close();
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-30).join('\n')}`);
    await env?.close();
  });

  for (const decoder of ['wasm', 'webcodecs']) {
    test(`paced HTTP-FLV, mode="live", ${decoder} decoding`, async () => {
      const p = await env.addPlayer({ src: flvServer.url('/paced.flv'), autoplay: true, mode: 'live' },
        { configure: { videoDecoder: decoder, audioDecoder: decoder } });
      try {
        // Connected (2001) comes after the renderer is settled (a <video> may have taken the canvas's
        // place) and before any picture (2003 needs media): the probe watches what will show them.
        await p.waitCode(2001, { timeoutMs: 20000 });
        const pic = await p.watchPicture();
        const first = await p.waitCode(2003, { timeoutMs: 20000 });
        await sleep(WATCH_MS + 1500);
        const picture = await p.read(pic);
        const shown = picture.frames.filter((f) => f.n != null && f.t <= first.t + WATCH_MS + 1000);
        const order = orderReport(shown, { frameMs: 1000 / fx.fps });
        const net = await p.netstatus();
        const last = net.filter((n) => n.t <= first.t + WATCH_MS).at(-1) ?? {};
        const held = shown.length > 1 ? shown.find((f) => f.n !== shown[0].n)?.t - shown[0].t : null;
        console.log(`${decoder}: codes ${JSON.stringify(await p.codes())} first picture ${order.first} held ${Math.round(held)} ms; ` +
          `gaps ${JSON.stringify(order.gaps.slice(0, 6))}; shown ${order.count} (${order.first}..${order.last}); ` +
          `dropped ${last.droppedFrames} skips ${last.skips} cache ${last.cacheMs}`);
        assert.deepEqual(picture.errors, [], 'the probe could read the canvas');
        assert.ok(order.count >= 50, `pictures shown: ${order.count}`);
        assert.ok(order.first < fx.fps * 1.5, `the first picture is the key frame or at most a GOP after it: ${order.first}`);
        assert.deepEqual(order.backwards, [], 'never backwards');
        const jumps = order.unexplained.filter((g) => g.missing > MAX_GAP);
        assert.deepEqual(jumps, [], `no jump after the first picture (held ${Math.round(held)} ms first)`);
        assert.equal(last.skips ?? 0, 0, 'no key-frame jump reported');
        // A frame dropped for want of time on a busy machine is a different matter (2105, counted).
        assert.ok((last.droppedFrames ?? 0) <= MAX_GAP * 2, `no run of drops: ${last.droppedFrames} dropped`);
      } finally {
        await p.remove();
      }
    });
  }
});
