// Shutdown with streams still open: a second SIGTERM during a drain stops the I/O threads at once, so
// connections are still owned by pending handlers when main() ends. They must be destroyed while the
// Server they report to (metrics, stream table, per-address counts) is alive: destroyed with their
// io_context after the Server, they wrote to freed memory. The ASan build reports that (gw.stop()
// throws on a sanitizer report); the native build runs under valgrind here for the same check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { liveFixture } from './lib/live_fixture.mjs';
import { startGateway, openStream, within } from './lib/gateway.mjs';

const asan = /asan/.test(process.env.LW_BUILD_DIR ?? '');
const valgrind = !asan && existsSync('/usr/bin/valgrind') ? ['/usr/bin/valgrind', '-q', '--error-exitcode=99', '--'] : [];
const live = liveFixture('down', { waitMs: 15000 });
const { cleanup } = live;

for (const threads of [1, 2]) {
  test(`--threads ${threads}: a second SIGTERM while 12 players play exits cleanly${valgrind.length ? ' (valgrind)' : ''}`, async () => {
    const gw = await startGateway({ upstreams: [`127.0.0.1:${live.nginx.port}`], args: ['--threads', String(threads)],
      wrap: valgrind, startTimeoutMs: 60000, drainTimeoutMs: 10000 });
    cleanup.push(() => gw.stop());
    const players = [];
    for (let i = 0; i < 12; i++) players.push(openStream(gw, 'play', live.nginx.url('down'), { label: `p${i}` }));
    await Promise.all(players.map((c) => c.waitFor(() => c.flv.media('video').length >= 5, { timeoutMs: 60000, what: 'video' })));
    // The players stop reading, so the drain cannot finish (their close frames go unanswered): the
    // second signal finds every stream open.
    for (const c of players) c.ws._socket.pause();
    gw.signal('SIGTERM');
    await gw.waitLog('draining', {}, 30000);
    gw.signal('SIGTERM');
    // Waited for, not signalled again (a third SIGTERM after the signal set is gone would kill it).
    const exit = await within(gw.exited, 60000, 'gateway exit after the second SIGTERM');
    const report = gw.sanitizerReport();
    assert.deepEqual(report, [], `sanitizer report:\n${gw.other.slice(0, 40).join('\n')}`);
    assert.deepEqual(exit, { code: 0, signal: null },
      `exit ${JSON.stringify(exit)}; ${gw.other.filter((l) => /Invalid|freed|ERROR|==\d+==/.test(l)).slice(0, 12).join('\n')}`);
    assert.ok(gw.events('stopped').some((l) => l.reason === 'second signal'),
      `stopped by the second signal, streams still open: ${JSON.stringify(gw.events('stopped'))}`);
    for (const c of players) c.ws.terminate();
  });
}
