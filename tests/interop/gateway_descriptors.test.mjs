// livewasm-gateway at its open-file limit (issue 16): run under `prlimit --nofile=256:256` with 400
// idle sockets opened at once beside a healthy player. It fits --max-connections to the limit and
// says so, never spins on accept() (a handful of log lines, little CPU), /healthz keeps answering and
// the player keeps its 30 fps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { liveFixture } from './lib/live_fixture.mjs';
import { sleep } from './lib/tools.mjs';
import { startGateway, startNeighbour, until, within, openStream } from './lib/gateway.mjs';

const live = liveFixture('nb');
const { cleanup } = live;

// CPU seconds the process used (user + system), from /proc/PID/stat.
function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in clock ticks (USER_HZ 100)
}

function openIdle(port, n) {
  const sockets = [];
  for (let i = 0; i < n; i++) {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.on('error', () => {});
    sockets.push(s);
  }
  return sockets;
}

test('under an open-file limit of 256, 400 idle sockets neither spin the gateway nor keep /healthz or a player out', async () => {
  const gw = await startGateway({ upstreams: [`127.0.0.1:${live.nginx.port}`], wrap: ['prlimit', '--nofile=256:256', '--'] });
  cleanup.push(() => gw.stop({ signal: 'SIGKILL' }));
  const lowered = gw.events('max-connections-lowered')[0];
  assert.ok(lowered, `the gateway says it lowered --max-connections: ${JSON.stringify(gw.logs.slice(0, 3))}`);
  assert.equal(lowered.open_files, 256);
  assert.ok(lowered.to > 0 && lowered.to * 2 < 256, `two descriptors per stream fit in 256: ${JSON.stringify(lowered)}`);
  assert.equal(gw.events('listening')[0].max_connections, lowered.to);

  const nb = await startNeighbour(gw, live.nginx.url('nb'));
  cleanup.push(() => nb.client.terminate());
  const linesBefore = gw.logs.length + gw.other.length;
  const cpu0 = cpuSeconds(gw.pid);
  const t0 = Date.now();
  const idle = openIdle(gw.port, 400);
  cleanup.push(async () => idle.forEach((s) => s.destroy()));
  await until(() => idle.filter((s) => s.readyState === 'open' || s.destroyed).length === 400,
    { timeoutMs: 10000, what: '400 idle sockets connected' }).catch(() => {});
  // /healthz keeps answering while they sit there.
  const health = [];
  for (let i = 0; i < 6; i++) {
    const r = await within(gw.get('/healthz'), 3000, '/healthz').catch((e) => ({ status: e.message }));
    health.push(r.status);
    await sleep(400);
  }
  const cpu = cpuSeconds(gw.pid) - cpu0;
  const wall = (Date.now() - t0) / 1000;
  const lines = gw.logs.length + gw.other.length - linesBefore;
  const figures = `${lines} log lines, ${cpu.toFixed(2)} s CPU in ${wall.toFixed(1)} s, /healthz ${health.join(',')}, ` +
    `accept-failed ${gw.events('accept-failed').length}`;
  console.log(`# ${figures}`);
  idle.forEach((s) => s.destroy());
  // A new player gets in too.
  const late = openStream(gw, 'play', live.nginx.url('nb'), { label: 'late player' });
  cleanup.push(() => late.terminate());
  await late.waitStatus(2002, 10000);
  await late.waitFor(() => late.flv.media('video').length >= 10, { timeoutMs: 10000, what: 'late player media' });
  await late.close();
  nb.mark('after');
  await nb.check();
  assert.deepEqual(health, [200, 200, 200, 200, 200, 200], `/healthz answered throughout (${figures})`);
  assert.ok(lines < 50, `the log stays small (${figures})`);
  assert.ok(cpu < 0.5 * wall, `the gateway does not spin (${figures})`);
  const ex = await gw.stop();
  assert.equal(ex.code, 0, `gateway exit ${JSON.stringify(ex)}`);
});
