// The pusher demo page the main command serves (demo/pusher.html): opened as a person would, with the
// push URL and gateway in its query, the start button pushes; its event log shows the codes by name,
// and nginx receives the stream.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPushEnv, pusherMissing } from './lib/pusher_env.mjs';
import { until } from '../interop/lib/gateway.mjs';

let env;
before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  env = await startPushEnv();
});
after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
});

test('demo/pusher.html: start pushes, the log names the codes, nginx has the stream', async () => {
  const page = await env.browser.newPage();
  const url = env.nginx.url('demo');
  await page.goto(env.srv.url(`/demo/pusher.html?url=${encodeURIComponent(url)}&gateway=${encodeURIComponent(env.gatewayUrl)}`));
  await page.click('#start');
  await until(async () => (await page.textContent('#log')).includes('1002 PUSH_EVT_PUSH_BEGIN'), { timeoutMs: 20000, what: 'the demo log shows 1002' });
  const log = await page.textContent('#log');
  assert.match(log, /1003 PUSH_EVT_OPEN_CAMERA_SUCC/);
  assert.match(log, /1001 PUSH_EVT_CONNECT_SUCC/);
  await until(async () => /<name>demo<\/name>/.test(await env.nginx.stat()), { timeoutMs: 10000, what: 'nginx lists the stream' });
  // The debug overlay shows live netstatus fields.
  await until(async () => page.evaluate(() => /videoBitrate: \d+/.test(document.getElementById('pusher').shadowRoot.textContent)),
    { timeoutMs: 5000, what: 'the debug overlay shows netstatus' });
  await page.click('#stop');
  await page.close();
});
