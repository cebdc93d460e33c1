// What a page author meets in the page's own code (issue 15, items 1 and 2):
//   - a `success` or `fail` callback that throws: the exception reaches the page as an uncaught error
//     (window's `error` event), `complete` still runs, and the Promise settles as the operation did;
//   - a wrong attribute value gives one `error` event, not two: at play() for the values the element
//     had before, at once for a value set while it plays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing } from './lib/player_env.mjs';

const missing = playerMissing({ gateway: false });

describe("the page's callbacks and error events", { skip: missing ?? false }, () => {
  let env;
  before(async () => {
    env = await startPlayerEnv({ nginx: false, gateway: false });
  });
  after(async () => {
    await env?.close();
  });

  test('a success callback that throws: uncaught on the page, complete runs, the Promise resolves', async () => {
    const r = await env.page.evaluate(async () => {
      const el = document.createElement('live-player');
      el.id = 'cb1';
      document.body.appendChild(el);
      const uncaught = [];
      const onError = (e) => { uncaught.push(String(e.error && e.error.message || e.message)); e.preventDefault(); };
      window.addEventListener('error', onError);
      const seen = [];
      const ctx = window.livewasm.createLivePlayerContext('cb1');
      const outcome = await ctx.mute({
        success: () => { seen.push('success'); throw new Error('a bug in the page: success'); },
        complete: (res) => seen.push(`complete ${res.errMsg}`),
      }).then((res) => `resolved ${res.errMsg}`, (err) => `rejected ${err.errMsg || err.message}`);
      await new Promise((res) => setTimeout(res, 50));
      window.removeEventListener('error', onError);
      el.remove();
      return { uncaught, seen, outcome };
    });
    assert.deepEqual(r.seen, ['success', 'complete mute:ok']);
    assert.equal(r.outcome, 'resolved mute:ok');
    assert.deepEqual(r.uncaught, ['a bug in the page: success'], 'the exception reached window.onerror');
  });

  test('a fail callback that throws: uncaught on the page, complete runs, the Promise rejects with the operation\'s reason', async () => {
    const r = await env.page.evaluate(async () => {
      const el = document.createElement('live-player');
      el.id = 'cb2';
      document.body.appendChild(el);
      const uncaught = [];
      const onError = (e) => { uncaught.push(String(e.error && e.error.message || e.message)); e.preventDefault(); };
      window.addEventListener('error', onError);
      const seen = [];
      const ctx = window.livewasm.createLivePlayerContext('cb2');
      const outcome = await ctx.pause({
        fail: (res) => { seen.push(`fail ${res.errMsg}`); throw new Error('a bug in the page: fail'); },
        complete: (res) => seen.push(`complete ${res.errMsg}`),
      }).then((res) => `resolved ${res.errMsg}`, (err) => `rejected ${err.errMsg}`);
      await new Promise((res) => setTimeout(res, 50));
      window.removeEventListener('error', onError);
      el.remove();
      return { uncaught, seen, outcome };
    });
    assert.deepEqual(r.seen, ['fail pause:fail not playing', 'complete pause:fail not playing']);
    assert.equal(r.outcome, 'rejected pause:fail not playing');
    assert.deepEqual(r.uncaught, ['a bug in the page: fail']);
  });

  test('a wrong attribute value is one error event: at play() for the markup, at once while playing', async () => {
    const r = await env.page.evaluate(async () => {
      const errors = [];
      const el = document.createElement('live-player');
      el.id = 'attrs1';
      el.addEventListener('error', (e) => errors.push(e.detail.errMsg));
      el.setAttribute('object-fit', 'stretch');
      el.setAttribute('mode', 'fast');
      el.setAttribute('src', 'http://127.0.0.1:1/none.flv');
      el.setAttribute('autoplay', '');
      document.body.appendChild(el);  // autoplay: play()
      await new Promise((res) => setTimeout(res, 500));
      const atPlay = [...errors];
      el.setAttribute('orientation', 'sideways');
      await new Promise((res) => setTimeout(res, 300));
      el.remove();
      return { atPlay, all: errors };
    });
    const count = (list, re) => list.filter((m) => re.test(m)).length;
    assert.equal(count(r.atPlay, /objectFit: "stretch"/), 1, `object-fit told once: ${JSON.stringify(r.atPlay)}`);
    assert.equal(count(r.atPlay, /mode: "fast"/), 1, `mode told once: ${JSON.stringify(r.atPlay)}`);
    assert.equal(count(r.all, /orientation: "sideways"/), 1, `a wrong value set while playing is told once: ${JSON.stringify(r.all)}`);
    assert.equal(count(r.all, /objectFit: "stretch"/), 1, `and the earlier ones are not told again: ${JSON.stringify(r.all)}`);
  });
});
