// node-media-server v4 (npm devDependency) on loopback, as an independent RTMP-in / HTTP-FLV + WS-FLV-out
// server for the player tests and the glass-to-glass benchmark's mpegts.js peer.
//
//   const nms = await startNodeMediaServer();      // {rtmpPort, httpPort, rtmpUrl(name), httpFlvUrl(name), wsFlvUrl(name), ...}
//   publish to nms.rtmpUrl('a'); play nms.httpFlvUrl('a') or nms.wsFlvUrl('a')
//   await nms.stop();                              // SIGTERM (its own clean stop), awaited
//   await nms.stop({ kill: true });                // SIGKILL: every HTTP-FLV / WS-FLV connection breaks at once
//
// It runs in its own child process (own process group) so a test can kill it like a crashed server.
// URL scheme, read from its source (src/server/http_server.js, src/session/flv_session.js):
//   HTTP-FLV  GET http://HOST:HTTP/APP/NAME.flv           (express route "/:app/:name.flv")
//   WS-FLV    ws://HOST:HTTP/APP/NAME.flv                 (ws server on the same HTTP port; path up to '.')
//   RTMP      rtmp://HOST:RTMP/APP/NAME
// Behaviour worth knowing (src/server/broadcast_server.js): a new player first gets the FLV header,
// metadata, both sequence headers and the cached GOP (from the last key frame); when the publisher goes
// away, players stay attached (a 30 s "grace" for the publisher to come back) and the HTTP response is
// not ended, so "the publisher stopped" is invisible to an HTTP-FLV player: only killing the server
// (or the connection) ends the stream.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from '../../interop/lib/tools.mjs';
import { freePort, waitForPort } from '../../interop/lib/nginx.mjs';

export const NMS_DIR = path.join(ROOT, 'node_modules/node-media-server');

// The child: node-media-server's own class with a config of our ports, stopped cleanly on SIGTERM.
const CHILD = `
const NodeMediaServer = require(process.env.LW_NMS_DIR);
const config = JSON.parse(process.env.LW_NMS_CONFIG);
const nms = new NodeMediaServer(config, '');
nms.run();
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  Promise.resolve(nms.stop()).catch(() => {}).finally(() => setTimeout(() => process.exit(0), 100));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
`;

export async function startNodeMediaServer({ rtmpPort, httpPort, startTimeoutMs = 15000, gopCache = true } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-nms-'));
  rtmpPort = rtmpPort ?? (await freePort());
  httpPort = httpPort ?? (await freePort());
  const config = {
    bind: '127.0.0.1',
    notify: { url: '' },
    store: { path: path.join(dir, 'data'), maxHistory: 100 },
    auth: { play: false, publish: false, secret: '' },
    rtmp: { port: rtmpPort },
    http: { port: httpPort },
    webadmin: { enable: false },
    record: { auto: false, path: path.join(dir, 'record') },
  };
  void gopCache;  // v4 always caches the last GOP (no option); kept for callers that state their intent
  const proc = spawn(process.execPath, ['-e', CHILD], {
    cwd: dir,
    env: { ...process.env, LW_NMS_DIR: NMS_DIR, LW_NMS_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logs = [];
  for (const s of [proc.stdout, proc.stderr]) {
    readline.createInterface({ input: s }).on('line', (line) => {
      if (logs.length < 5000) logs.push(line);
      if (process.env.LW_NMS_ECHO) console.log(`[nms] ${line}`);
    });
  }
  let exit = null;
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); }));
  const early = exited.then((r) => { throw new Error(`node-media-server exited at start (${JSON.stringify(r)}):\n${logs.join('\n')}`); });
  await Promise.race([Promise.all([waitForPort(rtmpPort, startTimeoutMs), waitForPort(httpPort, startTimeoutMs)]), early]);
  early.catch(() => {});
  const group = (signal) => { try { process.kill(-proc.pid, signal); } catch {} };
  const onExit = () => group('SIGKILL');
  process.once('exit', onExit);
  let stopped = false;
  return {
    pid: proc.pid,
    rtmpPort,
    httpPort,
    dir,
    logs,
    exited,
    get exit() { return exit; },
    rtmpUrl: (name, app = 'live') => `rtmp://127.0.0.1:${rtmpPort}/${app}/${name}`,
    httpFlvUrl: (name, app = 'live') => `http://127.0.0.1:${httpPort}/${app}/${name}.flv`,
    wsFlvUrl: (name, app = 'live') => `ws://127.0.0.1:${httpPort}/${app}/${name}.flv`,
    // Whether it has logged a publisher of `name` (src/session/rtmp_session.js: "... start push /APP/NAME").
    published: (name, app = 'live') => logs.some((l) => l.endsWith(` start push /${app}/${name}`)),
    signal: (sig) => group(sig),
    async stop({ kill = false, timeoutMs = 5000 } = {}) {
      if (stopped) return exit;
      stopped = true;
      if (!exit) {
        if (kill) group('SIGKILL');
        else proc.kill('SIGTERM');
        const timer = setTimeout(() => group('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      group('SIGKILL');
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
      return exit;
    },
  };
}

// Waits until node-media-server's log shows a publisher of `name`.
export async function waitNmsPublished(nms, name, { timeoutMs = 10000, app = 'live' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!nms.published(name, app)) {
    if (Date.now() > deadline) throw new Error(`node-media-server shows no publisher of /${app}/${name} within ${timeoutMs} ms:\n${nms.logs.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
