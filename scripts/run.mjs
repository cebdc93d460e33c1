// The main job as it stands (issue 3): nginx-rtmp on loopback with a live stream published by the
// core's RTMP session (lw-rtmp-tool), looping a test clip. Later issues add the gateway and the demo
// page here. Ctrl-C stops everything this started.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNginxRtmp } from '../tests/interop/lib/nginx.mjs';
import { RTMP_TOOL, makeFlv } from '../tests/interop/lib/tools.mjs';

const RTMP_PORT = Number(process.env.LW_RTMP_PORT ?? 1935);
const STAT_PORT = Number(process.env.LW_STAT_PORT ?? 8935);
const STREAM = process.env.LW_STREAM ?? 'demo';

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

console.log(`
livewasm is running (foundation: the RTMP session of the C++ core, publishing to nginx-rtmp):
  live stream   ${url}
                open it with:  ffplay ${url}    (or VLC: Media > Open Network Stream)
  server stats  http://127.0.0.1:${STAT_PORT}/stat
Press Ctrl-C to stop.
`);

async function shutdown() {
  if (stopping) return;
  stopping = true;
  publisher?.kill('SIGTERM');
  await nginx.stop();
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
