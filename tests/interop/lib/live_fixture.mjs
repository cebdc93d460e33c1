// A test file's private nginx-rtmp with one ffmpeg publisher live on `name` for the whole file, and the
// file's cleanups: registered as the file's before/after hooks.
//
//   const live = liveFixture('nb');                // in the file's top level
//   ... live.nginx.url('nb'), live.nginx.port, live.publisher.exit ...
//   live.cleanup.push(() => gw.stop());             // run in reverse order before nginx and ffmpeg stop
import { after, before } from 'node:test';
import { startNginxRtmp } from './nginx.mjs';
import { publishLive, waitPublished } from './gateway.mjs';

/** @param {string} name @param {{rate?: number, gop?: number, waitMs?: number}} o */
export function liveFixture(name, { rate = 30, gop = 30, waitMs } = {}) {
  const live = { nginx: null, publisher: null, cleanup: [] };
  before(async () => {
    live.nginx = await startNginxRtmp();
    live.publisher = publishLive(live.nginx.url(name), { rate, gop });
    await waitPublished(live.nginx, name, waitMs);
  });
  after(async () => {
    for (const f of live.cleanup.reverse()) await f().catch(() => {});
    await live.publisher?.stop();
    await live.nginx?.stop();
  });
  return live;
}
