// livewasm-gateway: every upstream failure status (3001-3005) provoked by a real condition, each
// followed by close 4502 with a reason a person can read. The `ws` client stands in for the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNginxRtmp, freePort } from './lib/nginx.mjs';
import { makeFlv, sleep } from './lib/tools.mjs';
import { startGateway, openStream, pushFlv, publishLive, waitPublished, assertClose, metricValue } from './lib/gateway.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-gateway-upstream-'));
let nginx;
let gw;
let flv;
let closedPort;
const cleanup = [];

before(async () => {
  nginx = await startNginxRtmp();
  closedPort = await freePort();
  gw = await startGateway({
    upstreams: [`127.0.0.1:${nginx.port}`, `127.0.0.1:${nginx.httpPort}`, `127.0.0.1:${closedPort}`, 'nonexistent.invalid:1935'],
    args: ['--upstream-timeout-ms', '3000'],
  });
  flv = readFileSync(await makeFlv(path.join(tmp, 'in.flv'), { seconds: 6 }));
});

after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  try {
    const r = await gw?.stop();
    assert.equal(r?.code, 0, `gateway exit ${JSON.stringify(r)}`);
  } finally {
    await nginx?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});

// The status frame, then close 4502 whose reason names the same code.
async function expectFailure(c, code, { before = [], reasonRe, timeoutMs = 8000 } = {}) {
  const info = await c.waitClose(timeoutMs);
  assert.deepEqual(c.statuses(), [...before, code], `statuses in order (close ${info.code} ${info.reason})`);
  const st = c.messages('status').at(-1);
  assert.ok(typeof st.message === 'string' && st.message.length > 0, `status ${code} has a message`);
  assert.ok(typeof st.name === 'string' && st.name.length > 0, `status ${code} has a name`);
  assertClose(info, 4502, new RegExp(`^${code}\\b`), `after ${code}`);
  if (reasonRe) assert.match(info.reason, reasonRe);
  // "the same reason" (PROTOCOL.md): the close reason is the status message, after the code.
  assert.ok(`${code} ${st.message}`.startsWith(info.reason), `close reason "${info.reason}" vs status message "${st.message}"`);
  // The status came before the close.
  assert.ok(st._at <= info.at);
  return info;
}

for (const endpoint of ['play', 'push']) {
  test(`${endpoint}: a host name that does not resolve is 3001, then 4502`, async () => {
    const c = openStream(gw, endpoint, 'rtmp://nonexistent.invalid/live/x');
    cleanup.push(() => c.terminate());
    const info = await expectFailure(c, 3001);
    assert.ok(info.ms < 5000, `refused in ${info.ms} ms`);
  });

  test(`${endpoint}: a closed port is 3002, then 4502`, async () => {
    const c = openStream(gw, endpoint, `rtmp://127.0.0.1:${closedPort}/live/x`);
    cleanup.push(() => c.terminate());
    const info = await expectFailure(c, 3002);
    assert.ok(info.ms < 3000, `refused in ${info.ms} ms`);
  });

  test(`${endpoint}: a port that speaks HTTP (nginx's stat port) is 3003, then 4502`, async () => {
    const c = openStream(gw, endpoint, `rtmp://127.0.0.1:${nginx.httpPort}/live/x`);
    cleanup.push(() => c.terminate());
    const info = await expectFailure(c, 3003);
    assert.ok(info.ms < 4000, `failed in ${info.ms} ms`);
  });
}

test('3001 and 3002 reasons name the host and port the url gave', async () => {
  const a = openStream(gw, 'push', 'rtmp://nonexistent.invalid/live/x');
  const b = openStream(gw, 'push', `rtmp://127.0.0.1:${closedPort}/live/x`);
  cleanup.push(() => a.terminate(), () => b.terminate());
  const [ia, ib] = await Promise.all([a.waitClose(8000), b.waitClose(8000)]);
  assert.match(ia.reason, /nonexistent\.invalid:1935/, '3001 names the host');
  assert.match(ib.reason, new RegExp(`127\\.0\\.0\\.1:${closedPort}`), '3002 names host:port');
});

test('play: an application the server does not have is 3003, then 4502', async () => {
  const c = openStream(gw, 'play', nginx.url('x', 'nosuchapp'));
  cleanup.push(() => c.terminate());
  await expectFailure(c, 3003);
});

test('push: a second publisher of a name in use (first: ffmpeg) is 3004 after 1001, then 4502; the first goes on', async () => {
  const url = nginx.url('dup1');
  const pub = publishLive(url);
  cleanup.push(() => pub.stop());
  await waitPublished(nginx, 'dup1');
  const c = openStream(gw, 'push', url);
  cleanup.push(() => c.terminate());
  await c.waitOpen();
  const pushing = pushFlv(c, flv, { realtime: true }).catch((e) => e);
  const info = await expectFailure(c, 3004, { before: [1001], reasonRe: /BadName|already|in use/i });
  assert.ok(info.ms < 4000, `refused in ${info.ms} ms`);
  await pushing;
  assert.equal(pub.exit, null, 'the first publisher is still running');
  await waitPublished(nginx, 'dup1', 2000);
  await pub.stop();
});

test('push: a second publisher of a name in use (first: the gateway) is 3004, then 4502', async () => {
  const url = nginx.url('dup2');
  const first = openStream(gw, 'push', url);
  cleanup.push(() => first.terminate());
  await first.waitOpen();
  const firstPush = pushFlv(first, flv, { realtime: true });
  await first.waitStatus(1002, 5000);
  await waitPublished(nginx, 'dup2');
  const second = openStream(gw, 'push', url);
  cleanup.push(() => second.terminate());
  await second.waitOpen();
  const secondPush = pushFlv(second, flv, { realtime: true }).catch((e) => e);
  await expectFailure(second, 3004, { before: [1001] });
  await secondPush;
  assert.ok(first.open, 'the first pusher is unaffected');
  await firstPush;
  assert.deepEqual(first.statuses(), [1001, 1002]);
  assert.equal((await first.close()).code, 1000);
});

test('play: nginx killed mid-stream is 3005 after 2001, 2002, then 4502', async () => {
  const own = await startNginxRtmp();
  cleanup.push(() => own.stop());
  const ogw = await startGateway({ upstreams: [`127.0.0.1:${own.port}`] });
  cleanup.push(() => ogw.stop({ signal: 'SIGKILL' }));
  const url = own.url('kill1');
  const pub = publishLive(url);
  cleanup.push(() => pub.stop());
  await waitPublished(own, 'kill1');
  const c = openStream(ogw, 'play', url);
  cleanup.push(() => c.terminate());
  await c.waitStatus(2002, 5000);
  await c.waitFor(() => c.flv.media('video').length >= 10, { timeoutMs: 5000, what: 'media before the kill' });
  await own.stop({ kill: true });
  const info = await expectFailure(c, 3005, { before: [2001, 2002] });
  assert.ok(info.at - c.flv.tags.at(-1).at < 3000, 'reported soon after the last media');
  await pub.stop();
  assert.equal((await ogw.stop()).code, 0);
});

test('push: nginx killed mid-stream is 3005 after 1001, 1002, then 4502', async () => {
  const own = await startNginxRtmp();
  cleanup.push(() => own.stop());
  const ogw = await startGateway({ upstreams: [`127.0.0.1:${own.port}`] });
  cleanup.push(() => ogw.stop({ signal: 'SIGKILL' }));
  const c = openStream(ogw, 'push', own.url('kill2'));
  cleanup.push(() => c.terminate());
  await c.waitOpen();
  const pushing = pushFlv(c, flv, { realtime: true }).catch((e) => e);
  await c.waitStatus(1002, 5000);
  await sleep(1000);
  await own.stop({ kill: true });
  const info = await expectFailure(c, 3005, { before: [1001, 1002] });
  assert.ok(info.ms < 5000, `reported while the push was still running (${info.ms} ms)`);
  await pushing;
  assert.equal((await ogw.stop()).code, 0);
});

test('the status and close counters in /metrics match what clients saw', async () => {
  const text = await gw.metrics();
  const m = (name, labels) => metricValue(text, name, labels);
  assert.equal(m('lw_gateway_status_total', { code: '3001' }), 3);
  assert.equal(m('lw_gateway_status_total', { code: '3002' }), 3);
  assert.equal(m('lw_gateway_status_total', { code: '3003' }), 3);
  assert.equal(m('lw_gateway_status_total', { code: '3004' }), 2);
  assert.equal(m('lw_gateway_closes_total', { code: '4502' }), 11);
  assert.equal(m('lw_gateway_streams_active', { endpoint: 'push' }), 0);
  assert.equal(m('lw_gateway_streams_active', { endpoint: 'play' }), 0);
});
