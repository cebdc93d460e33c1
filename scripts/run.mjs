// The main job as it stands (issues 3 and 4): nginx-rtmp on loopback with a live stream published by
// the core's RTMP session (lw-rtmp-tool), looping a test clip, and livewasm-gateway beside it so that
// pages can push and play rtmp:// over WebSocket. Issue 7 adds the demo page here. Ctrl-C stops
// everything this started.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNginxRtmp } from '../tests/interop/lib/nginx.mjs';
import { BUILD_DIR, RTMP_TOOL, makeFlv } from '../tests/interop/lib/tools.mjs';
import { startStaticServer } from '../tests/browser/lib/static_server.mjs';

const RTMP_PORT = Number(process.env.LW_RTMP_PORT ?? 1935);
const STAT_PORT = Number(process.env.LW_STAT_PORT ?? 8935);
const STREAM = process.env.LW_STREAM ?? 'demo';
const GATEWAY_PORT = Number(process.env.LW_GATEWAY_PORT ?? 8090);
const GATEWAY = path.join(BUILD_DIR, 'gateway/livewasm-gateway');
const DEMO_PORT = Number(process.env.LW_DEMO_PORT ?? 8080);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-run-'));
const clip = await makeFlv(path.join(tmp, 'clip.flv'), { seconds: 30, size: '640x360', rate: 30 });
const nginx = await startNginxRtmp({ port: RTMP_PORT, httpPort: STAT_PORT });
const url = nginx.url(STREAM);

let publisher = null;
let stopping = false;
function publishLoop() {
  if (stopping) return;
  publisher = spawn(RTMP_TOOL, ['publish', url, clip, '--realtime'], { stdio: ['ignore', 'pipe', 'inherit'] });
  publisher.stdout.on('data', (d) => {
    for (const line of String(d).split('\n').filter(Boolean)) console.log(`[publisher] ${line}`);
  });
  publisher.on('exit', () => setTimeout(publishLoop, 200));
}
publishLoop();

// The gateway: only this nginx is an allowed upstream; its JSON log goes to a file.
const gatewayLog = path.join(tmp, 'gateway.log');
const gateway = spawn('sh', ['-c', `exec "$0" "$@" 2>>"${gatewayLog}"`, GATEWAY,
  '--listen', `127.0.0.1:${GATEWAY_PORT}`,
  '--allow-upstream', `127.0.0.1:${RTMP_PORT}`, '--allow-upstream', `localhost:${RTMP_PORT}`],
  { stdio: ['ignore', 'inherit', 'inherit'] });
gateway.on('exit', (code, signal) => {
  if (!stopping) {
    console.error(`livewasm-gateway exited (${code ?? signal}); see ${gatewayLog}`);
    shutdown(1);
  }
});
const playWs = `ws://127.0.0.1:${GATEWAY_PORT}/play?url=${encodeURIComponent(url)}`;

// The pages (demo/, js-api/, worker/, web/, dist/wasm/) from the repository root.
const web = await startStaticServer({ port: DEMO_PORT });
const pushUrl = nginx.url('pushed');
const gatewayParam = encodeURIComponent(`ws://127.0.0.1:${GATEWAY_PORT}`);
const demo = `${web.url('/demo/pusher.html')}?url=${encodeURIComponent(pushUrl)}&gateway=${gatewayParam}`;
const playerDemo = `${web.url('/demo/player.html')}?src=${encodeURIComponent(url)}&gateway=${gatewayParam}&autoplay`;

console.log(`
livewasm is running: nginx-rtmp with a live stream the C++ core publishes, livewasm-gateway beside it,
and the demo pages
  player demo   ${playerDemo}
                (this live stream -> gateway -> wasm jitter buffer and decoders in a worker -> canvas + AudioWorklet)
  pusher demo   ${demo}
                (camera + microphone -> wasm encoders in a worker -> gateway -> ${pushUrl})
                watch what it pushes:  ffplay ${pushUrl}
  live stream   ${url}
                open it with:  ffplay ${url}    (or VLC: Media > Open Network Stream)
  server stats  http://127.0.0.1:${STAT_PORT}/stat
  gateway       ws://127.0.0.1:${GATEWAY_PORT}  (gateway/PROTOCOL.md: /push?url=rtmp://... and /play?url=rtmp://...)
                this stream as FLV over WebSocket:  ${playWs}
                health http://127.0.0.1:${GATEWAY_PORT}/healthz   metrics http://127.0.0.1:${GATEWAY_PORT}/metrics
                log    ${gatewayLog}
Press Ctrl-C to stop.
`);

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  publisher?.kill('SIGTERM');
  if (gateway.exitCode === null) {
    gateway.kill('SIGTERM');  // drains: open streams are closed with 1001
    await new Promise((resolve) => gateway.once('exit', resolve));
  }
  await web.close();
  await nginx.stop();
  rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
