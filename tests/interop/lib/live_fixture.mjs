// A test file's private nginx-rtmp with one ffmpeg publisher live on `name` for the whole file, and the
// file's cleanups: registered as the file's before/after hooks.
//
//   const live = liveFixture('nb');                // in the file's top level
//   ... live.nginx.url('nb'), live.nginx.port, live.publisher.exit ...
//   live.cleanup.push(() => gw.stop());             // run in reverse order before nginx and ffmpeg stop
//
// nginx and ffmpeg are the tests' peers, not what they test: when the stream is not listed as published
// in time (CI, stop 26: "nginx lists a publisher of down: not true within 15000 ms", before any gateway
// started), the failure says what the peers did (the publisher's exit and stderr, whether nginx still
// runs, its error log) and the setup is made once more on fresh ports, saying so in the output. A
// publisher that exits ends the wait at once instead of after waitMs.
import { after, before } from 'node:test';
import { performance } from 'node:perf_hooks';
import { startNginxRtmp } from './nginx.mjs';
import { publishLive, waitPublished } from './gateway.mjs';

const SETUP_ATTEMPTS = 2;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// One nginx and one publisher; resolves once nginx lists the stream, else stops both and throws why.
async function startLive(name, { rate, gop, waitMs }) {
  const nginx = await startNginxRtmp();
  const publisher = publishLive(nginx.url(name), { rate, gop });
  const deadline = performance.now() + waitMs;
  let problem = null;
  for (;;) {
    if (publisher.exit) { problem = `the publisher exited (${JSON.stringify(publisher.exit)})`; break; }
    try {
      await waitPublished(nginx, name, Math.min(500, Math.max(0, deadline - performance.now())));
      return { nginx, publisher };
    } catch (e) {
      if (performance.now() >= deadline) { problem = e.message; break; }
    }
  }
  let errorLog = '';
  try { errorLog = nginx.errorLog().trim().split('\n').slice(-6).join('\n'); } catch (e) { errorLog = String(e.message); }
  const why = `${problem}; publisher exit ${JSON.stringify(publisher.exit)}, stderr: ${publisher.stderr.trim().slice(-600) || '(none)'}; ` +
    `nginx (pid ${nginx.pid}, ports ${nginx.port}/${nginx.httpPort}) ${alive(nginx.pid) ? 'running' : 'gone'}, error.log:\n${errorLog}`;
  await publisher.stop();
  await nginx.stop();
  throw new Error(why);
}

/** @param {string} name @param {{rate?: number, gop?: number, waitMs?: number}} o */
export function liveFixture(name, { rate = 30, gop = 30, waitMs = 10000 } = {}) {
  const live = { nginx: null, publisher: null, cleanup: [] };
  before(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        Object.assign(live, await startLive(name, { rate, gop, waitMs }));
        return;
      } catch (e) {
        if (attempt >= SETUP_ATTEMPTS) throw e;
        console.log(`live fixture: nginx + publisher of ${name}, attempt ${attempt} failed, setting up again on fresh ports: ${e.message}`);
      }
    }
  });
  after(async () => {
    for (const f of live.cleanup.reverse()) await f().catch(() => {});
    await live.publisher?.stop();
    await live.nginx?.stop();
  });
  return live;
}
