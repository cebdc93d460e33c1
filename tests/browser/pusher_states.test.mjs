// State codes from real conditions: a denied camera (-1301) or microphone (-1302), a stream name that
// already has a publisher (3004), and the RTMP server killed in the middle of a push (1102 and a 300x
// code for each failed reconnect, then -1307). One browser, nginx and gateway for the file; the killed
// server comes last and is restarted on the same port afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNginxRtmp } from '../interop/lib/nginx.mjs';
import { publishLive, waitPublished } from '../interop/lib/gateway.mjs';
import { startPushEnv, pusherMissing, sleep } from './lib/pusher_env.mjs';

let env;

before(async () => {
  const missing = pusherMissing({ wasm: false });  // denial ends before the worker loads the module
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  env = await startPushEnv();
});

after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
});

const attrs = (name) => ({ url: env.nginx.url(name), mode: 'RTC', 'min-bitrate': 200, 'max-bitrate': 1000 });

describe('device denial', () => {
  test('camera denied -> -1301 (and an error event), no push', async () => {
    await env.browser.allowDevices({ camera: false });
    try {
      const p = await env.addPusher(attrs('denied-camera'));
      const ev = await p.waitCode(-1301, { timeoutMs: 10000 });
      assert.match(ev.detail.message, /NotAllowedError/, `the message names the cause: ${ev.detail.message}`);
      await p.waitEvent((e) => e.type === 'start-result', { what: 'start() settled' });
      const all = await p.all();
      assert.equal(all.find((e) => e.type === 'start-result').detail.ok, false, 'start() fails');
      assert.ok(all.some((e) => e.type === 'error'), 'an error event');
      const codes = await p.codes();
      assert.ok(!codes.includes(1003) && !codes.includes(1001) && !codes.includes(1002), `no camera, no connection: ${codes}`);
      await p.remove();
    } finally {
      await env.browser.allowDevices();
    }
  });

  test('microphone denied -> -1302 (the camera opened first: 1003), no push', async () => {
    await env.browser.allowDevices({ microphone: false });
    try {
      const p = await env.addPusher(attrs('denied-mic'));
      const ev = await p.waitCode(-1302, { timeoutMs: 10000 });
      assert.match(ev.detail.message, /NotAllowedError/, `the message names the cause: ${ev.detail.message}`);
      await p.waitEvent((e) => e.type === 'start-result', { what: 'start() settled' });
      const codes = await p.codes();
      assert.ok(!codes.includes(-1301), `the camera was not blamed: ${codes}`);
      assert.ok(!codes.includes(1002), `no push: ${codes}`);
      await p.remove();
    } finally {
      await env.browser.allowDevices();
    }
  });
});

describe('server conditions', () => {
  before(() => {
    const missing = pusherMissing();
    if (missing) throw new Error(`the pusher cannot push: ${missing}`);
  });

  test('a second publisher on the same name -> 3004', async () => {
    const ff = publishLive(env.nginx.url('taken'));
    try {
      await waitPublished(env.nginx, 'taken');
      const p = await env.addPusher(attrs('taken'));
      await p.waitCode(3004, { timeoutMs: 20000 });
      const codes = await p.codes();
      assert.ok(codes.indexOf(1003) < codes.indexOf(3004), `camera opened first: ${codes}`);
      assert.ok(!codes.includes(1002), `the push never began: ${codes}`);
      await p.remove();
      assert.equal(ff.exit, null, 'the first publisher is still there');
    } finally {
      await ff.stop();
    }
  });

  test('an error thrown in the pusher worker after it started reaches the page as an error event', async () => {
    const p = await env.addPusher(attrs('throws'));
    await p.waitCode(1002, { timeoutMs: 30000 });
    // What the browser fires at the Worker object when code in the worker throws and nothing catches it.
    await env.page.evaluate((id) => {
      const worker = document.getElementById(id).pusher.worker;
      worker.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught Error: a defect in the worker' }));
    }, p.id);
    const e = await p.waitEvent((x) => x.type === 'error' && /pusher worker: .*a defect in the worker/.test(JSON.stringify(x.detail)),
      { timeoutMs: 5000, what: 'the error event' });
    assert.equal(e.detail.errCode, 0, JSON.stringify(e.detail));
    await p.remove();
  });

  test('nginx killed mid-push -> 1102, a 300x code per failed retry, then -1307', async () => {
    const p = await env.addPusher(attrs('killed'));
    await p.waitCode(1002, { timeoutMs: 20000 });
    await sleep(2000);
    const before = (await p.codes()).length;
    const port = env.nginx.port;
    await env.nginx.stop({ kill: true });
    try {
      await p.waitCode(-1307, { timeoutMs: 60000 });
      const after = (await p.all()).filter((e) => e.type === 'statechange').slice(before);
      const codes = after.map((e) => e.detail.code);
      console.log(`after the kill: ${JSON.stringify(after.map((e) => [e.detail.code, Math.round(e.t), e.detail.message]))}`);
      const firstReconnect = codes.indexOf(1102);
      assert.ok(firstReconnect >= 0, `1102 after the kill: ${codes}`);
      assert.equal(codes.at(-1), -1307, `-1307 is the last code: ${codes}`);
      assert.ok(!codes.includes(1002), `no push began again: ${codes}`);
      const failures = codes.slice(firstReconnect, -1).filter((c) => c >= 3001 && c <= 3005);
      assert.ok(failures.length >= 3, `a 300x code for each of three failed reconnects: ${codes}`);
      assert.ok(codes.filter((c) => c === -1307).length === 1, `-1307 once: ${codes}`);
      // Growing back-off: the gaps between the 300x failures after the first 1102 do not shrink.
      const times = after.slice(firstReconnect).filter((e) => e.detail.code >= 3001 && e.detail.code <= 3005).map((e) => e.t);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1] * 0.8, `back-off grows: gaps ${gaps.map(Math.round)} ms`);
    } finally {
      // Same port: the gateway allows only that upstream (env's closer stops whatever env.nginx is).
      env.nginx = await startNginxRtmp({ port });
      await p.remove();
    }
  });
});
