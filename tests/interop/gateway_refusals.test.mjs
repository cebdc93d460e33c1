// livewasm-gateway refusing what it must refuse, each with its close code and a readable reason, while
// a healthy play stream on the same gateway (the "neighbour") keeps receiving media, with no drop
// and continuous timestamps, before, during and after the refusal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startNginxRtmp, freePort } from './lib/nginx.mjs';
import { makeFlv, sleep } from './lib/tools.mjs';
import {
  startGateway, openStream, openRaw, publishLive, waitPublished, startNeighbour, assertClose, metricValue, until, within,
} from './lib/gateway.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-gateway-refusals-'));
let nginx;
let publisher;  // ffmpeg publishing the neighbour's stream for the whole file
let flv;
const cleanup = [];

before(async () => {
  nginx = await startNginxRtmp();
  publisher = publishLive(nginx.url('nb'));
  flv = readFileSync(await makeFlv(path.join(tmp, 'in.flv'), { seconds: 2 }));
  await waitPublished(nginx, 'nb');
});

after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await publisher?.stop();
  await nginx?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

// A gateway for one test, with the neighbour playing on it; `fn(gw, nb)` provokes the refusal.
async function withNeighbour(args, fn, { origin } = {}) {
  const gw = await startGateway({ upstreams: [`127.0.0.1:${nginx.port}`], args });
  cleanup.push(() => gw.stop({ signal: 'SIGKILL' }));
  assert.equal(publisher.exit, null, `the neighbour's publisher is running: ${publisher.stderr}`);
  const nb = await startNeighbour(gw, nginx.url('nb'), { origin });
  cleanup.push(() => nb.client.terminate());
  await fn(gw, nb);
  nb.mark('after');
  await nb.check();
  const ex = await gw.stop();
  assert.equal(ex.code, 0, `gateway exit ${JSON.stringify(ex)}`);
  return gw;
}

// Opens, expects a close with `code` and a reason, and no media nor status on the way.
async function refused(gw, open, code, reasonRe, what) {
  const c = open();
  cleanup.push(() => c.terminate());
  const info = await c.waitClose(8000);
  assertClose(info, code, reasonRe, what);
  assert.deepEqual(c.statuses(), [], `${what}: no status before a refusal`);
  return { c, info };
}

test('an upstream outside --allow-upstream is refused with 4404, before any connect', async () => {
  // Something listens there, so a connect would have succeeded: the refusal is the allowlist's.
  const other = net.createServer((s) => { connects++; s.destroy(); });
  let connects = 0;
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => other.close(r)));
  const port = other.address().port;
  const gw = await withNeighbour([], async (g) => {
    await refused(g, () => openStream(g, 'play', `rtmp://127.0.0.1:${port}/live/x`), 4404, new RegExp(`127\\.0\\.0\\.1:${port}`), 'other port');
    await refused(g, () => openStream(g, 'push', 'rtmp://example.com/live/x'), 4404, /example\.com/, 'other host');
    await refused(g, () => openStream(g, 'play', `rtmp://localhost:${nginx.port}/live/nb`), 4404, /localhost/, 'same port, host not as written');
  });
  assert.equal(connects, 0, 'the gateway never connected to a host outside the allowlist');
  assert.equal(gw.events('refused', { code: 4404 }).length, 3);
});

test('a disallowed Origin is refused with 4403; an allowed one plays; --require-origin refuses a request without one', async () => {
  await withNeighbour([], async (gw) => {
    await refused(gw, () => openStream(gw, 'play', nginx.url('nb'), { origin: 'http://evil.example' }), 4403, /evil\.example/, 'evil origin');
    await refused(gw, () => openStream(gw, 'push', nginx.url('x'), { origin: 'https://127.0.0.1:9' }), 4403, /not allowed/, 'https origin');
    const ok = openStream(gw, 'play', nginx.url('nb'), { origin: 'http://127.0.0.1:8080' });
    cleanup.push(() => ok.terminate());
    await ok.waitStatus(2002, 5000);
    await ok.close();
  });
  await withNeighbour(['--require-origin', '--allow-origin', 'http://page.example:*'], async (gw) => {
    await refused(gw, () => openStream(gw, 'play', nginx.url('nb')), 4403, /Origin/, 'no Origin under --require-origin');
    await refused(gw, () => openStream(gw, 'play', nginx.url('nb'), { origin: 'http://127.0.0.1:8080' }), 4403, /127\.0\.0\.1/,
      'a default origin no longer allowed once --allow-origin is given');
  }, { origin: 'http://page.example:3000' });
});

test('a message over --max-message-bytes is closed with 1009', async () => {
  await withNeighbour(['--max-message-bytes', '65536'], async (gw) => {
    const c = openStream(gw, 'push', nginx.url('big'));
    cleanup.push(() => c.terminate());
    await c.waitOpen();
    await c.send(flv.subarray(0, 13));
    await c.send(Buffer.alloc(100000, 0x41)).catch(() => {});
    const info = await c.waitClose(5000);
    assertClose(info, 1009, /65536/, 'oversized frame');
    // A text frame over the control-message limit is its own refusal (4422).
    const t = openStream(gw, 'play', nginx.url('nb'));
    cleanup.push(() => t.terminate());
    await t.waitStatus(2002, 5000);
    await t.send(JSON.stringify({ type: 'ping', id: 'x'.repeat(2000) }));
    assertClose(await t.waitClose(5000), 4422, /1024/, 'oversized control message');
  });
});

// Deterministic noise (the same bytes on every run).
function junk(n, seed = 12345) {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

test('garbage instead of FLV on /push (random bytes from the first byte) is closed with 4415', async () => {
  await withNeighbour([], async (gw) => {
    const a = openStream(gw, 'push', nginx.url('garbage1'));
    cleanup.push(() => a.terminate());
    await a.waitOpen();
    const bytes = junk(64 << 10);
    bytes[0] = 0x47;  // never "F"
    await a.send(bytes).catch(() => {});
    assertClose(await a.waitClose(5000), 4415, /FLV/i, 'random bytes');
    assert.ok(!a.statuses().includes(1002), `nothing was published: ${a.statuses()}`);
  });
});

test('a valid FLV header then garbage past --max-garbage-bytes is closed with 4415', async () => {
  await withNeighbour(['--max-garbage-bytes', '4096'], async (gw) => {
    const b = openStream(gw, 'push', nginx.url('garbage2'));
    cleanup.push(() => b.terminate());
    await b.waitOpen();
    await b.send(flv.subarray(0, 13));
    const bytes = junk(1 << 20);
    let sent = 0;
    for (; sent < bytes.length && !b.closeInfo; sent += 16384) {
      await b.send(bytes.subarray(sent, sent + 16384)).catch(() => {});
      await sleep(2);
    }
    const info = await b.waitClose(3000).catch(() => null);
    assert.ok(info, `still open after ${sent} bytes of garbage with --max-garbage-bytes 4096 (statuses ${b.statuses()}, ` +
      `last ack ${JSON.stringify(b.messages('ack').at(-1))})`);
    assertClose(info, 4415, /FLV/i, 'header then garbage');
  });
});

test('binary data on /play is closed with 1003', async () => {
  await withNeighbour([], async (gw) => {
    const p = openStream(gw, 'play', nginx.url('nb'));
    cleanup.push(() => p.terminate());
    await p.waitStatus(2002, 5000);
    await p.send(flv.subarray(0, 13));
    assertClose(await p.waitClose(5000), 1003, /play/, 'binary on /play');
  });
});

test('bad requests are closed with 4400: unknown path, missing url, unparsable url, other scheme, no stream name', async () => {
  await withNeighbour([], async (gw) => {
    const cases = [
      ['/nope', /unknown path/],
      ['/push', /missing url/],
      ['/play?url=', /url/],
      [`/play?url=${encodeURIComponent('http://127.0.0.1/live/x')}`, /rtmp|scheme/i],
      [`/play?url=${encodeURIComponent(`rtmp://127.0.0.1:${nginx.port}/live`)}`, /stream|url/i],
      ['/play?url=%zz', /escape/],
      [`/push?url=${encodeURIComponent(nginx.url('a'))}&url=${encodeURIComponent(nginx.url('b'))}`, /more than one/],
    ];
    for (const [target, re] of cases) await refused(gw, () => openRaw(gw, target), 4400, re, target);
    // Plain HTTP (no upgrade) to a stream path is a 400, an unknown path a 404.
    assert.equal((await gw.get(`/play?url=${encodeURIComponent(nginx.url('nb'))}`)).status, 400);
    assert.equal((await gw.get('/nope')).status, 404);
  });
});

test('more than --max-connections-per-ip from one address is refused with 4429; a slot frees on close', async () => {
  await withNeighbour(['--max-connections-per-ip', '2'], async (gw) => {
    const second = openStream(gw, 'play', nginx.url('nb'));
    cleanup.push(() => second.terminate());
    await second.waitStatus(2001, 5000);
    await refused(gw, () => openStream(gw, 'play', nginx.url('nb')), 4429, /2/, 'third from 127.0.0.1');
    // Another address is not counted with this one.
    const other = openStream(gw, 'play', nginx.url('nb'), { localAddress: '127.0.0.2' });
    cleanup.push(() => other.terminate());
    await other.waitStatus(2002, 5000);
    await other.close();
    await second.close();
    const again = openStream(gw, 'play', nginx.url('nb'));
    cleanup.push(() => again.terminate());
    await again.waitStatus(2002, 5000);
    await again.close();
    assert.equal(await gw.metric('lw_gateway_closes_total', { code: 4429 }), 1);
  });
});

test('more than --max-connections streams are refused with 1013', async () => {
  await withNeighbour(['--max-connections', '2'], async (gw) => {
    const second = openStream(gw, 'play', nginx.url('nb'));
    cleanup.push(() => second.terminate());
    await second.waitStatus(2001, 5000);
    await refused(gw, () => openStream(gw, 'play', nginx.url('nb'), { localAddress: '127.0.0.3' }), 1013, /limit/, 'third stream');
    await second.close();
  });
});

test('a player that never reads: drops, then reset after --write-stall-timeout-ms (4508), the neighbour unaffected', async () => {
  // A heavy stream (noise: about 1 MB/s) fills the kernel's socket buffers quickly.
  const heavy = publishLive(nginx.url('heavy'), { noise: 60, audio: true });
  cleanup.push(() => heavy.stop());
  await waitPublished(nginx, 'heavy');
  await withNeighbour(['--play-drop-bytes', '65536', '--write-stall-timeout-ms', '2000'], async (gw) => {
    const slow = openStream(gw, 'play', nginx.url('heavy'));
    cleanup.push(() => slow.terminate());
    await slow.waitStatus(2002, 5000);
    slow.ws._socket.pause();  // the page stops reading; the TCP window closes
    const t0 = Date.now();
    const line = await gw.waitLog('close', { code: 4508 }, 20000);
    assert.match(line.reason, /read nothing/);
    assert.ok(line.dropped_tags > 0, `tags were dropped before the reset: ${JSON.stringify(line)}`);
    assert.ok(Date.now() - t0 >= 2000, 'not before the stall timeout');
    assert.ok(gw.events('drop-began').length >= 1, 'drop-began logged');
    assert.ok(await gw.metric('lw_gateway_play_dropped_tags_total') > 0, 'dropped tags counted');
    assert.ok(await gw.metric('lw_gateway_play_drop_episodes_total') >= 1, 'drop episode counted');
    assert.equal(await gw.metric('lw_gateway_closes_total', { code: 4508 }), 1, 'the 4508 close counted');
    // The client's connection is gone (reset): once it reads again it sees the end, not more media.
    slow.ws._socket.resume();
    const info = await slow.waitClose(5000);
    assert.ok([1006, 4508].includes(info.code), `the slow client's connection ended (${info.code} ${info.reason})`);
    await until(async () => (await gw.metric('lw_gateway_streams_active', { endpoint: 'play' })) === 1,
      { timeoutMs: 3000, what: 'only the neighbour left' });
  });
  await heavy.stop();
});

test('a bad control message is closed with 4422; unknown types are ignored', async () => {
  await withNeighbour([], async (gw) => {
    const c = openStream(gw, 'play', nginx.url('nb'));
    cleanup.push(() => c.terminate());
    await c.waitStatus(2002, 5000);
    await c.sendJson({ type: 'future-thing', x: 1 });
    const pong = await c.ping(1);
    assert.equal(pong.id, 1, 'still answering after an unknown type');
    await c.send('not json');
    assertClose(await c.waitClose(5000), 4422, null, 'text that is not JSON');
    const d = openStream(gw, 'play', nginx.url('nb'));
    cleanup.push(() => d.terminate());
    await d.waitStatus(2002, 5000);
    await d.sendJson({ type: 'ping' });
    assertClose(await d.waitClose(5000), 4422, /id/, 'ping without an id');
  });
});
