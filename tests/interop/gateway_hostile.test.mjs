// livewasm-gateway against clients written to hurt it (issue 16), each beside a healthy player (the
// "neighbour", 30 fps from ffmpeg through nginx-rtmp) that must keep its stream the whole time:
// - a /play client that floods {"type":"ping"} while reading slowly, and one that reads nothing:
//   closed with 4509 (clientBacklog), and the gateway's memory comes back after they leave;
// - WebSocket protocol errors (a frame length with the top bit set, invalid UTF-8 in a text frame):
//   closed at once with 1002 / 1007, and the log line and closes_total say the same code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveFixture } from './lib/live_fixture.mjs';
import { BUILD_DIR, sleep } from './lib/tools.mjs';
import { startGateway, startNeighbour, until, metricValue } from './lib/gateway.mjs';
import { frame, rawConnect, rssBytes } from './lib/raw_ws.mjs';

const live = liveFixture('nb');
const { cleanup } = live;
const MB = 1 << 20;

async function withNeighbour(args, fn) {
  const gw = await startGateway({ upstreams: [`127.0.0.1:${live.nginx.port}`], args });
  cleanup.push(() => gw.stop({ signal: 'SIGKILL' }));
  assert.equal(live.publisher.exit, null, `the neighbour's publisher is running: ${live.publisher.stderr}`);
  const nb = await startNeighbour(gw, live.nginx.url('nb'));
  cleanup.push(() => nb.client.terminate());
  await fn(gw, nb);
  nb.mark('after');
  await nb.check();
  const ex = await gw.stop();
  assert.equal(ex.code, 0, `gateway exit ${JSON.stringify(ex)}`);
  return gw;
}

const playTarget = (name) => `/play?url=${encodeURIComponent(live.nginx.url(name))}`;

// The gateway's log line for the connection whose client port is `port`.
function connOf(gw, port) {
  return gw.events('open').find((l) => l.peer === `127.0.0.1:${port}`)?.conn;
}

// Sends pings as fast as the socket takes them for at most `ms`, or until the gateway ends the
// connection; reads `readBytes` every 100 ms (0: never). Samples the gateway's RSS meanwhile.
async function pingFlood(gw, c, { ms, readBytes, rss }) {
  const started = Date.now();
  let id = 0;
  let lastRead = 0;
  let pings = 0;
  while (!c.ended && !c.closeFrame && Date.now() - started < ms) {
    if (c.socket.writableLength < MB) {
      const batch = [];
      for (let i = 0; i < 256; i++) batch.push(frame(1, Buffer.from(`{"type":"ping","id":${++id}}`)));
      c.send(Buffer.concat(batch));
      pings += 256;
    }
    if (readBytes && Date.now() - lastRead >= 100) {
      lastRead = Date.now();
      c.readSome(readBytes);
    }
    rss.peak = Math.max(rss.peak, rssBytes(gw.pid));
    await sleep(1);
  }
  return { pings, ms: Date.now() - started };
}

// The interop tier runs this file again against the gateway built with ASan + UBSan (LW_BUILD_DIR=build/asan).
// There RSS says nothing about the gateway's own bounds (ASan keeps freed memory in its quarantine, up to
// 256 MB), so only the verdicts are checked; and the sanitized gateway answers pings no faster than the
// slow reader takes the answers (about 10,000 a second here), so that client's queue never fills and
// nothing is there to close: it runs on the plain build only.
const ASAN = /(^|\/)asan(\/|$)/.test(BUILD_DIR);

for (const [label, readBytes] of [['reads 32 KiB every 100 ms', 32 << 10], ['reads nothing', 0]]) {
  const skip = ASAN && readBytes ? 'the sanitized gateway is slower than this reader: its queue never fills' : false;
  test(`a /play client flooding pings that ${label} is closed with 4509 and its memory returns`, { skip }, async () => {
    await withNeighbour([], async (gw) => {
      const baseline = rssBytes(gw.pid);
      const rss = { peak: baseline };
      const c = await rawConnect(gw.port, playTarget('nb'));
      cleanup.push(async () => c.destroy());
      const conn = await until(() => connOf(gw, c.socket.localPort), { what: 'open log line of the flooder' });
      const flood = await pingFlood(gw, c, { ms: 15000, readBytes, rss });
      // The gateway's verdict, from its log (a client that reads nothing never sees the close frame).
      const closeLine = await gw.waitLog('close', { conn }, 5000).catch(() => null);
      if (readBytes) {
        // It keeps reading slowly: the close frame reaches it.
        await until(() => { c.readSome(readBytes); return c.closeFrame || c.ended; }, { timeoutMs: 10000, intervalMs: 100, what: 'close frame read' })
          .catch(() => {});
      } else {
        await until(() => c.ended, { timeoutMs: 10000, intervalMs: 100, what: 'connection ended' }).catch(() => {});
      }
      c.destroy();
      const during = rss.peak;
      // Memory comes back once it is gone (the neighbour still plays).
      let afterRss = rssBytes(gw.pid);
      await until(() => (afterRss = rssBytes(gw.pid)) < baseline + 8 * MB, { timeoutMs: 5000, intervalMs: 100, what: 'rss back' }).catch(() => {});
      const figures = `RSS baseline ${(baseline / MB).toFixed(1)} MB, peak ${(during / MB).toFixed(1)} MB, after ${(afterRss / MB).toFixed(1)} MB; ` +
        `${flood.pings} pings in ${flood.ms} ms; ${c.textFrames} text frames read`;
      console.log(`# ${label}: ${figures}`);
      assert.ok(closeLine, `the gateway closed the flooder (${figures})`);
      assert.equal(closeLine.code, 4509, `close code in the log: ${JSON.stringify(closeLine)}`);
      assert.match(closeLine.reason, /read/, 'the reason says the client did not read');
      // The close frame waits behind what the kernel already holds for the client (megabytes at 320 KB/s),
      // so the gateway resets the connection after its drain timeout; a close frame that did arrive says 4509.
      assert.ok(c.ended, `the connection ended (${figures})`);
      if (c.closeFrame) assert.equal(c.closeFrame.code, 4509, `the close frame read (${figures})`);
      if (!ASAN) {
        assert.ok(during < baseline + 32 * MB, `RSS stayed bounded while flooded (${figures})`);
        assert.ok(afterRss < baseline + 8 * MB, `RSS came back near its baseline (${figures})`);
      }
      assert.equal(await gw.metric('lw_gateway_closes_total', { code: 4509 }), 1, 'closes_total counts the 4509');
      assert.equal(gw.events('close', { code: 4509 }).length, 1, 'one 4509 close logged');
    });
  });
}

// Opens a raw /play client, lets `act` misbehave, and returns what the gateway answered: the close
// frame the client read, and the gateway's close log line for it.
async function misbehave(gw, act, what) {
  const c = await rawConnect(gw.port, playTarget('nb'));
  cleanup.push(async () => c.destroy());
  c.readAll();
  const conn = await until(() => connOf(gw, c.socket.localPort), { what: `open log line (${what})` });
  // The stream is playing (media flows) before the client misbehaves.
  await until(() => c.binaryBytes > 0, { timeoutMs: 10000, what: `media before ${what}` });
  act(c);
  const line = await gw.waitLog('close', { conn }, 5000).catch(() => null);
  await until(() => c.closeFrame || c.ended, { timeoutMs: 5000, what: `${what}: closed` }).catch(() => {});
  c.destroy();
  return { c, line };
}

test('WebSocket protocol errors close at once with 1002 / 1007, and the log and closes_total say so', async () => {
  await withNeighbour([], async (gw) => {
    // RFC 6455 5.2: "the most significant bit MUST be 0" in a 64-bit length.
    const top = await misbehave(gw, (c) => c.send(frame(2, Buffer.alloc(0), { len64: 0x8000000000000001n }).subarray(0, 14)), 'top bit');
    assert.equal(top.c.closeFrame?.code, 1002, `a length with its top bit set: close frame ${JSON.stringify(top.c.closeFrame)}`);
    assert.match(top.c.closeFrame.reason, /most significant bit/);
    assert.equal(top.line?.code, 1002, `logged as 1002: ${JSON.stringify(top.line)}`);

    // A text frame that is not UTF-8: Beast answers 1007.
    const utf = await misbehave(gw, (c) => c.send(frame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))), 'invalid UTF-8');
    assert.equal(utf.c.closeFrame?.code, 1007, `invalid UTF-8: close frame ${JSON.stringify(utf.c.closeFrame)}`);
    assert.equal(utf.line?.code, 1007, `logged as 1007: ${JSON.stringify(utf.line)}`);

    // A reserved opcode: Beast answers 1002.
    const op = await misbehave(gw, (c) => c.send(frame(3, Buffer.from('x'))), 'reserved opcode');
    assert.equal(op.c.closeFrame?.code, 1002, `reserved opcode: close frame ${JSON.stringify(op.c.closeFrame)}`);
    assert.equal(op.line?.code, 1002, `logged as 1002: ${JSON.stringify(op.line)}`);

    // The client closes (1001, as a page going away does): the code it sent is the one logged.
    const away = await misbehave(gw, (c) => { const b = Buffer.alloc(2); b.writeUInt16BE(1001); c.send(frame(8, b)); }, 'client close 1001');
    assert.equal(away.line?.code, 1001, `a client's 1001 is logged as 1001: ${JSON.stringify(away.line)}`);

    // The TCP connection just ends (no close frame): 1006, never sent on the wire.
    const lost = await misbehave(gw, (c) => c.socket.resetAndDestroy(), 'reset');
    assert.equal(lost.line?.code, 1006, `a lost connection is logged as 1006: ${JSON.stringify(lost.line)}`);

    const m = await gw.metrics();
    const count = (code) => metricValue(m, 'lw_gateway_closes_total', { code });
    assert.deepEqual([count(1002), count(1007), count(1001), count(1006)], [2, 1, 1, 1],
      'closes_total{code} counts each close with the logged code');
    // Every logged close is counted once, with the same code.
    const logged = {};
    for (const l of gw.events('close')) logged[l.code] = (logged[l.code] ?? 0) + 1;
    for (const [code, n] of Object.entries(logged)) assert.equal(count(code), n, `closes_total{code="${code}"}`);
  });
});
