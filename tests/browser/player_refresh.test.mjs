// The player presents pictures on the display's refresh (worker/player_worker.js presentLoop): at most one
// picture per refresh, and every picture due before a refresh but superseded by a later one is counted
// dropped. A picture drawn between two refreshes and overwritten before the next would never be seen,
// although counted shown; that is what a fixed timer that draws whenever a picture is due does.
//
// To tell the two apart the test slows the player worker's refresh to about 16 Hz (its
// requestAnimationFrame, replaced in the worker through Playwright) while a 25 fps stream plays:
//   - shownFrames (netstatus) grows by no more than the refreshes that came in the window;
//   - the rest of the stream is counted in droppedFrames: shown + dropped covers the frames the stream
//     sent in the window;
//   - the frame numbers read from the canvas still go forward only, and every number missing from the
//     picture is covered by what the player reported dropped.
// Then the real refresh is given back and the player shows every frame again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, watchPlayback, nextNetstatus, unreportedGaps, sleep, until } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';

const SLOW_REFRESH_MS = 60;  // under the worker's REFRESH_LOST_MS (100), so the tick does not take over
const WATCH_MS = 4000;

const missing = playerMissing();

describe('the player presents on the display refresh', { skip: missing ?? false }, () => {
  let env;
  let pub;
  before(async () => {
    env = await startPlayerEnv();
    pub = await publishBarcode(env.nginx.url('refresh'));
    await waitPublished(env.nginx, 'refresh');
  });
  after(async () => {
    await pub?.stop();
    await env?.close();
  });

  test('with the refresh slowed to ~16 Hz, a 25 fps stream shows one picture per refresh and counts the rest dropped', async () => {
    const p = await env.addPlayer({ src: env.nginx.url('refresh'), autoplay: true, mode: 'RTC' }, { configure: { videoDecoder: 'wasm', audioDecoder: 'wasm' } });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      const worker = await until(() => p.page.workers().find((w) => /player_worker/.test(w.url())), { timeoutMs: 5000, what: 'the player worker' });
      await worker.evaluate((ms) => {
        const real = { raf: self.requestAnimationFrame.bind(self), caf: self.cancelAnimationFrame.bind(self) };
        self.lwRealRefresh = real;
        self.lwRefreshes = 0;
        self.requestAnimationFrame = (cb) => setTimeout(() => { self.lwRefreshes += 1; cb(performance.now()); }, ms);
        self.cancelAnimationFrame = (id) => clearTimeout(id);
      }, SLOW_REFRESH_MS);
      await sleep(500);  // the real refresh already asked for has come; the slow one runs

      const before0 = await nextNetstatus(p);
      const refreshes0 = await worker.evaluate(() => self.lwRefreshes);
      const w = await watchPlayback(p, { ms: WATCH_MS });
      const after0 = await nextNetstatus(p);
      const refreshes = (await worker.evaluate(() => self.lwRefreshes)) - refreshes0;
      const shown = after0.shownFrames - before0.shownFrames;
      const dropped = after0.droppedFrames - before0.droppedFrames;
      const seconds = (after0.t - before0.t) / 1000;
      console.log(`slow refresh: ${refreshes} refreshes, ${shown} shown, ${dropped} dropped in ${seconds.toFixed(2)} s; ` +
        `canvas: ${w.order.count} numbers (${w.order.first}..${w.order.last}), missing ${w.order.missing}, backwards ${w.order.backwards.length}`);

      assert.ok(refreshes >= 0.5 * seconds * 1000 / SLOW_REFRESH_MS, `the slowed refresh ran: ${refreshes} in ${seconds} s`);
      assert.ok(shown <= refreshes + 1, `no more pictures shown than refreshes: ${shown} shown, ${refreshes} refreshes`);
      assert.ok(shown + dropped >= 0.8 * seconds * pub.fps, `every frame of the stream is shown or counted dropped: ${shown} + ${dropped} in ${seconds} s at ${pub.fps} fps`);
      assert.ok(dropped >= 0.2 * seconds * pub.fps, `the frames a 16 Hz refresh cannot show are counted dropped: ${dropped}`);
      assert.deepEqual(w.order.backwards, [], 'frame numbers never go backwards');
      assert.equal(unreportedGaps(w), null);

      // The real refresh back: every frame shown again.
      await worker.evaluate(() => {
        self.requestAnimationFrame = self.lwRealRefresh.raf;
        self.cancelAnimationFrame = self.lwRealRefresh.caf;
      });
      await sleep(500);
      const w2 = await watchPlayback(p, { ms: WATCH_MS });
      console.log(`real refresh: ${w2.order.count} numbers, missing ${w2.order.missing}, dropped ${w2.dropped}`);
      assert.ok(w2.order.count >= 0.8 * WATCH_MS * pub.fps / 1000, `at the display's refresh the stream is shown whole: ${w2.order.count} numbers in ${WATCH_MS} ms`);
      assert.equal(unreportedGaps(w2), null);
    } finally {
      await p.remove();
    }
  });
});
