// Scale-out, shown: two gateways behind Debian's nginx as a TCP balancer (`stream {}`), one nginx-rtmp
// behind them, players spread over both through the balancer's one address. One gateway is sent SIGTERM
// mid-stream: its players are closed with 1001 (going away), reconnect the way the player does
// (docs/api.md 2103: after 1 s, 2 s, 4 s) through the same balancer address, land on the other gateway
// and receive media again, with timestamps going on from where they were; the other gateway's own
// players never notice. gateway/README.md "Scaling out" describes this layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startNginxRtmp } from './lib/nginx.mjs';
import { startTcpBalancer } from './lib/balancer.mjs';
import { sleep } from './lib/tools.mjs';
import { startGateway, openStream, publishLive, waitPublished, until, within } from './lib/gateway.mjs';

const PLAYERS = 8;
const RETRY_MS = [1000, 2000, 4000];  // the player's 2103 schedule (docs/api.md)
const now = () => performance.now();

let nginx;
let publisher;
let gwA;
let gwB;
let lb;
const players = [];

// A player as the library's is (worker/play_source.js): one WebSocket at a time through the balancer;
// when the other side closes it, 2103 and a new connection after 1 s, 2 s, 4 s (the count starts again
// at 2002); after three failures, or at once on a refusal no retry can fix, -2301.
const CLOSE = JSON.parse(readFileSync(new URL('../../gateway/protocol.json', import.meta.url), 'utf8')).close;
const FATAL = new Set([CLOSE.badRequest, CLOSE.originNotAllowed, CLOSE.upstreamNotAllowed,
  CLOSE.badControlMessage, CLOSE.unsupportedData, CLOSE.policyViolation]);
function reconnectingPlayer(label, rtmpUrl) {
  const p = { label, sessions: [], failed: null, stopped: false, events: [] };
  const connect = async () => {
    for (let failures = 0; !p.stopped;) {
      const c = openStream(lb, 'play', rtmpUrl, { label: `${label}#${p.sessions.length}` });
      p.sessions.push(c);
      const info = await c.closed;
      if (p.stopped) return;
      if (c.statuses().includes(2002)) failures = 0;
      if (FATAL.has(info.code) || failures >= RETRY_MS.length) {
        p.failed = info;
        p.events.push({ code: -2301, closed: info.code, reason: info.reason, at: now() });
        return;
      }
      p.events.push({ code: 2103, closed: info.code, reason: info.reason, at: now() });
      await sleep(RETRY_MS[failures++]);
    }
  };
  p.done = connect();
  p.current = () => p.sessions.at(-1);
  p.stop = async () => {
    p.stopped = true;
    await p.current().close(1000, 'done').catch(() => p.current().terminate());
    await within(p.done, 5000, `${label} stopped`);
  };
  return p;
}

const playActive = (gw) => gw.metric('lw_gateway_streams_active', { endpoint: 'play' });

before(async () => {
  nginx = await startNginxRtmp();
  publisher = publishLive(nginx.url('scale'), { rate: 30, gop: 30 });
  await waitPublished(nginx, 'scale', 15000);
  const upstreams = [`127.0.0.1:${nginx.port}`];
  gwA = await startGateway({ upstreams });
  gwB = await startGateway({ upstreams });
  lb = await startTcpBalancer([gwA.port, gwB.port]);
});

after(async () => {
  for (const p of players) await p.stop().catch(() => {});
  await lb?.stop();
  await gwA?.stop().catch(() => {});
  await gwB?.stop().catch(() => {});
  await publisher?.stop();
  await nginx?.stop();
});

test('two gateways behind an nginx TCP balancer: players spread, one gateway drains, its players reconnect through the other and play on', async () => {
  // Players open one after another through the balancer's single address.
  for (let i = 0; i < PLAYERS; i++) {
    const p = reconnectingPlayer(`player${i}`, nginx.url('scale'));
    players.push(p);
    await p.current().waitStatus(2002, 10000);
  }
  await Promise.all(players.map((p) => p.current().waitFor(() => p.current().flv.media('video').length >= 15,
    { timeoutMs: 15000, what: 'video flowing' })));
  const onA = await playActive(gwA);
  const onB = await playActive(gwB);
  assert.equal(onA + onB, PLAYERS, `every player is on one of the gateways (A ${onA}, B ${onB})`);
  assert.ok(onA >= 1 && onB >= 1, `the balancer spread the players over both gateways (A ${onA}, B ${onB})`);

  // Mid-stream, gateway A is taken out as on a deploy: SIGTERM.
  const firstSessions = players.map((p) => p.current());
  const signalledAt = now();
  gwA.signal('SIGTERM');
  const exitA = await within(gwA.exited, 15000, 'gateway A exit after SIGTERM');
  assert.equal(exitA.code, 0, `gateway A drained and exited 0 (${JSON.stringify(exitA)})`);
  assert.deepEqual(gwA.sanitizerReport(), []);

  // A's close frames pass through the balancer: they may reach the players a moment after A's exit is seen.
  await until(() => firstSessions.filter((s) => s.closeInfo).length >= onA, { timeoutMs: 5000, intervalMs: 20, what: `A's ${onA} players closed` })
    .catch(() => {});  // the count is asserted below
  const moved = players.filter((p, i) => firstSessions[i].closeInfo);
  const stayed = players.filter((p, i) => !firstSessions[i].closeInfo);
  assert.equal(moved.length, onA, `exactly A's ${onA} players were closed (${moved.length})`);
  for (const p of moved) {
    const info = firstSessions[players.indexOf(p)].closeInfo;
    assert.equal(info.code, 1001, `${p.label}: closed with 1001 going away (${info.code} ${info.reason})`);
  }

  // Each moved player reconnects through the balancer and receives media again.
  for (const p of moved) {
    await until(() => p.failed || p.sessions.length > 1 && p.current().flv.media('video').length >= 30,
      { timeoutMs: 20000, intervalMs: 50, what: `${p.label} playing again after the reconnect (sessions ${p.sessions.length}, events ${JSON.stringify(p.events)})` });
  }
  assert.equal(await playActive(gwB), PLAYERS, 'all players are on gateway B now');

  const gaps = [];
  for (const p of moved) {
    const old = firstSessions[players.indexOf(p)];
    const fresh = p.current();
    assert.equal(p.failed, null, `${p.label} never gave up (${JSON.stringify(p.events)})`);
    assert.equal(p.events[0]?.code, 2103, `${p.label}: reconnecting (2103) after the close`);
    assert.deepEqual(fresh.statuses().slice(0, 2), [2001, 2002], `${p.label}: the new connection starts playing (2001, 2002)`);
    assert.deepEqual(fresh.flv.errors, [], `${p.label}: well-formed FLV after the reconnect`);
    const before = old.flv.media('video');
    const afterV = fresh.flv.media('video');
    // The stream went on while the player was away: the new connection's pictures are later ones.
    assert.ok(afterV[0].ts > before.at(-1).ts,
      `${p.label}: timestamps advance across the reconnect (${before.at(-1).ts} -> ${afterV[0].ts})`);
    for (let i = 1; i < afterV.length; i++) {
      assert.ok(afterV[i].ts > afterV[i - 1].ts, `${p.label}: video timestamps increase after the reconnect (${afterV[i - 1].ts} -> ${afterV[i].ts})`);
    }
    gaps.push(Math.round(afterV[0].at - before.at(-1).at));
  }
  // The players on B never noticed: one connection each, media throughout.
  for (const p of stayed) {
    assert.equal(p.sessions.length, 1, `${p.label} on gateway B kept its connection`);
    const v = p.current().flv.media('video').filter((t) => t.at >= signalledAt);
    assert.ok(v.length >= 30, `${p.label} on gateway B kept receiving video (${v.length} tags since the SIGTERM)`);
    let worst = 0;
    for (let i = 1; i < v.length; i++) worst = Math.max(worst, v[i].at - v[i - 1].at);
    assert.ok(worst < 1000, `${p.label} on gateway B never paused a second (worst ${Math.round(worst)} ms)`);
  }
  console.log(`# spread A ${onA} / B ${onB}; moved players' gap from last picture on A to first on B (ms): ${gaps.join(', ')}`);
});
