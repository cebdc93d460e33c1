// Every core: --threads N runs N I/O threads, each with its own io_context and its own listening
// socket on the same port (SO_REUSEPORT), so the kernel spreads connections over them; the default is
// one thread per core the process may use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { liveFixture } from './lib/live_fixture.mjs';
import { run } from './lib/tools.mjs';
import { startGateway, openStream, assertClose } from './lib/gateway.mjs';

const live = liveFixture('threads', { waitMs: 15000 });
const { cleanup } = live;

test('the default is one I/O thread per usable core (nproc)', async () => {
  const cores = Number((await run('nproc', [])).stdout.trim());
  const gw = await startGateway({ upstreams: [`127.0.0.1:${live.nginx.port}`] });
  cleanup.push(() => gw.stop());
  assert.equal(gw.events('listening')[0].threads, cores, `threads in the listening line = nproc (${cores})`);
  const c = openStream(gw, 'play', live.nginx.url('threads'));
  await c.waitFor(() => c.flv.media('video').length >= 10, { timeoutMs: 10000, what: 'video' });
  await c.close();
  assert.equal((await gw.stop()).code, 0);
});

test('--threads 2: streams land on both threads, all play, SIGTERM drains every one of them', async () => {
  const gw = await startGateway({ upstreams: [`127.0.0.1:${live.nginx.port}`], args: ['--threads', '2'] });
  cleanup.push(() => gw.stop());
  assert.equal(gw.events('listening')[0].threads, 2);
  const tasks = readdirSync(`/proc/${gw.pid}/task`).length;
  assert.ok(tasks >= 2, `the process runs ${tasks} threads`);
  const players = [];
  for (let i = 0; i < 16; i++) players.push(openStream(gw, 'play', live.nginx.url('threads'), { label: `p${i}` }));
  await Promise.all(players.map((c) => c.waitFor(() => c.flv.media('video').length >= 15 && c.flv.media('audio').length >= 10,
    { timeoutMs: 15000, what: 'media' })));
  const opens = gw.events('open');
  assert.equal(opens.length, 16);
  const perThread = [0, 0];
  for (const o of opens) perThread[o.thread]++;
  assert.ok(perThread[0] > 0 && perThread[1] > 0, `the kernel spread 16 streams over both threads: ${perThread}`);
  console.log(`# streams per thread: ${perThread.join(' / ')}`);
  for (const c of players) assert.deepEqual(c.flv.errors, [], `${c.label}: well-formed FLV`);
  const exit = await gw.stop();
  assert.equal(exit.code, 0, `drained and exited 0 (${JSON.stringify(exit)})`);
  for (const c of players) assertClose(await c.waitClose(), 1001, null, c.label);
});
