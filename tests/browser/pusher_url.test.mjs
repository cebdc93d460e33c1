// A push URL the library can judge by itself (issue 15 item 3: url="rtmp://" opened the camera, said
// start:ok, and -1307 came a second later from the gateway): start() fails at once with an errMsg that
// says what is wrong, an `error` event tells the page, and the camera never opens (no 1003). A URL only
// the server can refuse still goes to the server and gets the server's codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';

describe('push URLs judged before the camera opens', () => {
  let env;
  before(async () => {
    const missing = pusherMissing({ wasm: false });
    if (missing) throw new Error(missing);
    env = await startPushEnv();
  });
  after(async () => {
    await env?.close();
  });

  for (const [url, why] of [['rtmp://', /has no host/], ['rtmp://127.0.0.1', /no application and stream name/],
    ['rtmp://127.0.0.1/live', /no application and stream name/], ['http://127.0.0.1/live/x', /is not an rtmp:\/\/ or ws\(s\):\/\/ URL/]]) {
    test(`url="${url}": start fails at once, an error event, no camera`, async () => {
      const p = await env.addPusher({ url });
      const result = await p.waitEvent((e) => e.type === 'start-result', { timeoutMs: 5000, what: 'start() settled' });
      await sleep(300);
      const codes = await p.codes();
      const errors = (await p.events('error')).map((e) => e.detail.errMsg);
      await p.remove();
      assert.equal(result.detail.ok, false, `start() failed: ${JSON.stringify(result.detail)}`);
      assert.match(result.detail.error, new RegExp(`^start:fail url .*${why.source}`), `the errMsg says why: ${result.detail.error}`);
      assert.ok(errors.some((m) => /^url: /.test(m) && why.test(m)), `an error event names the url: ${JSON.stringify(errors)}`);
      assert.ok(!codes.includes(1003), `the camera did not open: ${JSON.stringify(codes)}`);
    });
  }

  test('a well-formed URL the server refuses still reaches the server (its codes, not a start failure)', async () => {
    const p = await env.addPusher({ url: env.nginx.url('judged-by-server') });
    await p.waitCode(1002, { timeoutMs: 20000 });
    const errors = (await p.events('error')).map((e) => e.detail.errMsg).filter((m) => /^url: /.test(m));
    await p.remove();
    assert.deepEqual(errors, []);
  });
});
