// The play latency histogram (lw_gateway_play_latency_seconds) starts when media reached the
// gateway's upstream socket (kernel receive time, split by the media clock: gateway/arrival_clock.h),
// not when the gateway got round to reading it. A gateway stopped (SIGSTOP) while nginx-rtmp keeps
// sending must count that wait: stamped at read time, the first frame after SIGCONT would look fresh;
// stamped with the kernel time alone, it would look ~tens of ms old (TCP merges the queued segments
// and keeps the newest one's time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveFixture } from './lib/live_fixture.mjs';
import { startGateway, openStream, metricValue } from './lib/gateway.mjs';

const STALL_MS = 800;
const live = liveFixture('lat', { waitMs: 15000 });
const { cleanup } = live;

function histogram(text) {
  const count = metricValue(text, 'lw_gateway_play_latency_seconds_count');
  const over = (le) => count - metricValue(text, 'lw_gateway_play_latency_seconds_bucket', { le });
  return { count, sum: metricValue(text, 'lw_gateway_play_latency_seconds_sum'), over };
}

test(`a gateway stopped for ${STALL_MS} ms while media arrives counts that wait in its latency histogram`, async () => {
  const gw = await startGateway({ upstreams: [`127.0.0.1:${live.nginx.port}`], args: ['--threads', '1'] });
  cleanup.push(() => gw.stop());
  const c = openStream(gw, 'play', live.nginx.url('lat'));
  await c.waitFor(() => c.flv.media('video').length >= 45, { timeoutMs: 15000, what: '45 video frames' });
  const before = histogram(await gw.metrics());
  assert.ok(before.count >= 30, `samples before the stall: ${before.count}`);
  assert.equal(before.over('1'), 0, 'no sample over 1 s while nothing stalled (the clock makes up no waits)');

  const framesBefore = c.flv.media('video').length;
  gw.signal('SIGSTOP');
  const stoppedAt = Date.now();
  await new Promise((r) => setTimeout(r, STALL_MS));
  gw.signal('SIGCONT');
  const stalledMs = Date.now() - stoppedAt;
  await c.waitFor(() => c.flv.media('video').length >= framesBefore + 45, { timeoutMs: 15000, what: '45 more video frames' });

  const after = histogram(await gw.metrics());
  const overHalf = after.over('0.5') - before.over('0.5');
  const addedSum = after.sum - before.sum;
  console.log(`# before: mean ${(1000 * before.sum / before.count).toFixed(1)} ms, over 10 ms ${before.over("0.01")}, over 50 ms ${before.over("0.05")}`);
  console.log(`# stalled ${stalledMs} ms; samples ${before.count} -> ${after.count}, ` +
    `over 0.5 s: ${overHalf}, over 0.25 s: ${after.over('0.25') - before.over('0.25')}, sum +${addedSum.toFixed(3)} s`);
  assert.ok(overHalf >= 1, `a sample over 0.5 s for the frames that waited ${stalledMs} ms in the socket (got ${overHalf})`);
  assert.ok(addedSum >= (STALL_MS * 0.6) / 1000, `the histogram's sum grew by the wait: +${addedSum.toFixed(3)} s`);
  assert.equal(after.over('2'), 0, `no sample beyond what anything waited (${stalledMs} ms)`);
  assert.deepEqual(c.flv.errors, []);
  await c.close();
  assert.equal((await gw.stop()).code, 0);
});
