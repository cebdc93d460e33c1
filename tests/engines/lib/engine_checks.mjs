// What the engine tests share: which configuration runs (LW_ENGINE), what it is expected to do, the
// checks of a normal play start and of the picture read from a canvas, and a page that died
// (WebKit's page process crash) noticed and replaced before the next check.
import assert from 'node:assert/strict';
import { engineConfig } from '../../browser/lib/engines.mjs';
import { unreportedGaps } from '../../browser/lib/player_env.mjs';

export const CONFIG = engineConfig();
// Firefox without the mock audio context: AudioContext.resume() never settles on this machine, so no
// sound can be heard; the player must still show pictures (its silent clock) and the pusher must not hang.
export const SOUND = !(CONFIG.engine === 'firefox' && !CONFIG.mockAudio);
export const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);

export function assertStarted(codes, what) {
  const at = [2001, 2002, 2003, 2004].map((c) => codes.indexOf(c));
  assert.ok(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1])), `${what}: 2001 < 2002 < 2003 < 2004: ${JSON.stringify(codes)}`);
  assert.deepEqual(codes.filter((c) => c < 0 || FAILURES.has(c)), [], `${what}: no failure code`);
}

// watchPlayback's result: numbers read from the canvas, in order, the stream accounted for (each frame
// shown or reported dropped), pictures moving, gaps reported. The engines run on a loaded 2-core machine
// under Xvfb, where a player may have to drop frames (a live start catching up drops ~25 at once; WebKit
// at load 10+ drops half): dropping is allowed when it is reported; losing frames silently, stalling or
// showing them out of order is not.
export function assertShown(w, { ms, fps = 25, what }) {
  assert.deepEqual(w.picture.errors, [], `${what}: the probe could read the canvas`);
  assert.deepEqual(w.order.backwards, [], `${what}: frame numbers never go backwards`);
  const expected = (ms * fps) / 1000;
  const seen = `${w.order.count} shown (${w.order.first}..${w.order.last}), ${w.dropped} reported dropped, of ~${expected}; ` +
    `probe samples ${w.picture.samples}, unreadable ${w.picture.unreadable}`;
  assert.ok(w.order.count + w.dropped >= 0.6 * expected, `${what}: the stream is accounted for (shown or reported dropped): ${seen}`);
  assert.ok(w.order.count >= 0.2 * expected, `${what}: pictures move (a fifth of the frames shown at least): ${seen}`);
  assert.equal(unreportedGaps(w), null, what);
}

// A test body that leaves the page usable for the next one: if the page no longer answers (a crashed
// web process), the env's page is replaced, and the failure says so.
export async function withLivePage(env, fn) {
  try {
    return await fn();
  } finally {
    const alive = await env.page.evaluate(() => true).catch((e) => e);
    if (alive !== true) {
      console.log(`the page does not answer after the test (${String(alive?.message ?? alive).split('\n')[0]}): a new page for the next test`);
      await env.reload();
    }
  }
}

/** The last `n` lines of the browser log, for a failure message. */
export const lastLog = (env, n = 40) => env.browser.logText().split('\n').slice(-n).join('\n');
