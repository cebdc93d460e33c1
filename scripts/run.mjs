// The main command (scripts/run.sh runs it after the builds): on loopback, nginx-rtmp with a looping test
// stream the C++ core publishes (lw-rtmp-tool), livewasm-gateway beside it so pages can push and play
// rtmp:// over WebSocket, and a static server for the demo page (demo/index.html: a <live-pusher> and a
// <live-player> side by side). Prints the demo's URL first; Ctrl-C stops everything it started.
//
// Ports (env): LW_RTMP_PORT (1935), LW_STAT_PORT (8935), LW_GATEWAY_PORT (8090), LW_DEMO_PORT (8080).
//
// Every child runs in its own process group, so a Ctrl-C in the terminal reaches only this process,
// which then stops them in order (publisher, gateway with a short drain, static server, nginx) and
// waits for each to exit before it exits itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startNginxRtmp } from '../tests/interop/lib/nginx.mjs';
import { BUILD_DIR, RTMP_TOOL, makeFlv } from '../tests/interop/lib/tools.mjs';
import { startStaticServer } from '../tests/browser/lib/static_server.mjs';

const RTMP_PORT = Number(process.env.LW_RTMP_PORT ?? 1935);
const STAT_PORT = Number(process.env.LW_STAT_PORT ?? 8935);
const GATEWAY_PORT = Number(process.env.LW_GATEWAY_PORT ?? 8090);
const DEMO_PORT = Number(process.env.LW_DEMO_PORT ?? 8080);
const STREAM = process.env.LW_STREAM ?? 'demo';      // the looping test stream
const PUSHED = 'pushed';                              // what the demo's pusher pushes to
const GATEWAY = path.join(BUILD_DIR, 'gateway/livewasm-gateway');
const STOP_WAIT_MS = 5000;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-run-'));
const children = new Set();  // {name, proc, exited}
let nginx = null;
let web = null;
let stopping = false;

// A child in its own process group; `exited` resolves when it is gone.
function startChild(name, cmd, args, stdio) {
  const proc = spawn(cmd, args, { stdio, detached: true });
  const child = { name, proc, exited: new Promise((resolve) => proc.once('exit', resolve)) };
  proc.once('error', (err) => console.error(`[run] ${name}: ${err.message}`));
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

async function stopChild(child, signal = 'SIGTERM') {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const group = (sig) => { try { process.kill(-child.proc.pid, sig); } catch {} };
  group(signal);
  const timer = setTimeout(() => group('SIGKILL'), STOP_WAIT_MS);
  await child.exited;
  clearTimeout(timer);
  group('SIGKILL');  // anything it left in its group
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n[run] stopping ...');
  for (const child of [...children].filter((c) => c.name === 'publisher')) await stopChild(child);
  for (const child of [...children].filter((c) => c.name === 'gateway')) await stopChild(child);
  for (const child of [...children]) await stopChild(child);
  if (web) await web.close();
  if (nginx) await nginx.stop();
  nginx = null;
  rmSync(tmp, { recursive: true, force: true });
  console.log('[run] stopped');
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
process.on('SIGHUP', () => shutdown(0));
// An error on the way up or a crash: nothing this started may outlive it.
process.on('exit', () => {
  for (const child of children) try { process.kill(-child.proc.pid, 'SIGKILL'); } catch {}
  if (nginx) try { process.kill(-nginx.pid, 'SIGKILL'); } catch {}
});
async function fail(err) {
  if (err && err.code === 'EADDRINUSE') {
    console.error(`[run] port ${err.port} is in use (another run?); choose others with LW_RTMP_PORT, LW_STAT_PORT, LW_GATEWAY_PORT, LW_DEMO_PORT`);
  } else {
    console.error(`[run] ${err && err.stack ? err.stack : err}`);
  }
  await shutdown(1);
}

try {
  await main();
} catch (err) {
  await fail(err);
}

async function main() {
  const clip = await makeFlv(path.join(tmp, 'clip.flv'), { seconds: 30, size: '640x360', rate: 30 });
  nginx = await startNginxRtmp({ port: RTMP_PORT, httpPort: STAT_PORT });
  const url = nginx.url(STREAM);
  const pushUrl = nginx.url(PUSHED);

  // The test stream, republished whenever the clip ends.
  const publishLoop = () => {
    if (stopping) return;
    const p = startChild('publisher', RTMP_TOOL, ['publish', url, clip, '--realtime'], ['ignore', 'ignore', 'pipe']);
    readline.createInterface({ input: p.proc.stderr }).on('line', (line) => console.error(`[publisher] ${line}`));
    p.exited.then(() => { if (!stopping) setTimeout(publishLoop, 200); });
  };
  publishLoop();

  // The gateway: only this nginx is an allowed upstream; its JSON log goes to a file.
  const gatewayLog = path.join(tmp, 'gateway.log');
  const gw = startChild('gateway', 'sh', ['-c', `exec "$0" "$@" 2>>"${gatewayLog}"`, GATEWAY,
    '--listen', `127.0.0.1:${GATEWAY_PORT}`, '--drain-timeout-ms', '1500',
    '--allow-upstream', `127.0.0.1:${RTMP_PORT}`, '--allow-upstream', `localhost:${RTMP_PORT}`],
  ['ignore', 'inherit', 'inherit']);
  gw.exited.then((code) => {
    if (stopping) return;
    console.error(`[run] livewasm-gateway exited (${code}); see ${gatewayLog}`);
    shutdown(1);
  });
  const gateway = `ws://127.0.0.1:${GATEWAY_PORT}`;

  // The pages (demo/, js-api/, worker/, web/, dist/wasm/) from the repository root, cross-origin isolated
  // (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp on every response;
  // the demo loads nothing from another origin but the gateway's WebSocket, which COEP does not govern):
  // SharedArrayBuffer for the sound ring and the HEVC decoder's threads build (README "Threads").
  web = await startStaticServer({ port: DEMO_PORT, isolated: true });
  // Written out rather than percent-encoded, so a person can read it (URLSearchParams takes ':' and '/').
  const demoUrl = (play) => web.url(`/demo/index.html?push=${pushUrl}&play=${play}&gateway=${gateway}`);
  const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
  const playWs = `${gateway}/play?url=${encodeURIComponent(url)}`;

  console.log(`
livewasm is running on loopback. Open the demo (a pusher and a player side by side):

    ${bold(demoUrl(pushUrl))}

  press start on the pusher (camera + microphone -> wasm encoders -> gateway -> ${pushUrl});
  the player plays it back as soon as the push begins.

  the same demo with the player on the looping test stream:
                ${demoUrl(url)}
  watch what the pusher pushes:  ffplay ${pushUrl}
  test stream   ${url}
                open it with:  ffplay ${url}    (or VLC: Media > Open Network Stream)
  server stats  http://127.0.0.1:${STAT_PORT}/stat
  gateway       ${gateway}  (gateway/PROTOCOL.md: /push?url=rtmp://... and /play?url=rtmp://...)
                the test stream as FLV over WebSocket:  ${playWs}
                health http://127.0.0.1:${GATEWAY_PORT}/healthz   metrics http://127.0.0.1:${GATEWAY_PORT}/metrics
                log    ${gatewayLog}
Press Ctrl-C to stop.
`);
}
