// The gateway's hot path per delivered tag: system calls (perf stat on the raw_syscalls and per-call
// tracepoints) and heap allocations (bench/gateway/malloc_count.c preloaded, read with SIGUSR2),
// divided by the tags relayed over the same window (lw_gateway_tags_total).
//   node bench/gateway/hotpath.mjs [--players 100] [--seconds 8] [--plain-reads] [--threads 1] [--gateway PATH]
// --gateway: another build of livewasm-gateway (e.g. a copy kept from before a change).
// --plain-reads runs the gateway with LW_GATEWAY_PLAIN_READS=1 (the previous upstream read path).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { startNginxRtmp, freePort, waitForPort } from '../../tests/interop/lib/nginx.mjs';
import { BUILD_DIR, ROOT, run } from '../../tests/interop/lib/tools.mjs';
import { watchLoad, loadText } from '../../scripts/machine_load.mjs';

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const PLAYERS = Number(arg('--players', 100));
const SECONDS = Number(arg('--seconds', 8));
const PLAIN = process.argv.includes('--plain-reads');
// --heaptrack FILE: run the gateway under heaptrack instead (where the allocations come from).
const HEAPTRACK = arg('--heaptrack', null);
const GATEWAY = arg('--gateway', path.join(BUILD_DIR, 'gateway/livewasm-gateway'));
const THREADS = arg('--threads', '1');
// --gateway-args "...": extra flags for the gateway (e.g. "--coalesce-audio-ms 40").
const GATEWAY_ARGS = arg('--gateway-args', '').split(/\s+/).filter(Boolean);
const LOAD = path.join(BUILD_DIR, 'bench/lw-gateway-load');
const CLIP = path.join(ROOT, 'build/bench/clip_1mbps.flv');
const SHIM = path.join(os.tmpdir(), `lw-malloc-count-${process.pid}.so`);
const COUNT_FILE = path.join(os.tmpdir(), `lw-malloc-count-${process.pid}.txt`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!existsSync(CLIP)) throw new Error(`${CLIP} missing: run bench/gateway/run.sh --quick once`);
execFileSync('gcc', ['-O2', '-shared', '-fPIC', '-o', SHIM, path.join(ROOT, 'bench/gateway/malloc_count.c')]);

const metrics = (port) => new Promise((resolve, reject) => {
  http.get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
    let body = '';
    res.on('data', (d) => { body += d; });
    res.on('end', () => resolve(body));
  }).on('error', reject);
});
const tags = async (port) => Number(/^lw_gateway_tags_total (\d+)/m.exec(await metrics(port))[1]);
async function allocations(pid) {
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 50; ++i) {
    await sleep(20);
    try { const v = readFileSync(COUNT_FILE, 'utf8'); if (v.endsWith('\n')) return Number(v); } catch {}
  }
  throw new Error('no allocation count');
}

const nginx = await startNginxRtmp({ workerConnections: 20000 });
const url = nginx.url('hot');
const publisher = spawn('ffmpeg', ['-v', 'error', '-re', '-stream_loop', '-1', '-i', CLIP, '-c', 'copy', '-f', 'flv', url],
  { stdio: 'ignore', detached: true });
await sleep(2000);
const port = await freePort();
const gw = spawn(HEAPTRACK ? 'heaptrack' : GATEWAY, [...(HEAPTRACK ? ['-o', HEAPTRACK, GATEWAY] : []), '--listen', `127.0.0.1:${port}`, '--allow-upstream', `127.0.0.1:${nginx.port}`,
  '--max-connections-per-ip', '100000', '--threads', THREADS, '--log-level', 'warn', ...GATEWAY_ARGS], {
  stdio: 'ignore', detached: true,
  env: { ...process.env, ...(HEAPTRACK ? {} : { LD_PRELOAD: SHIM }), MALLOC_COUNT_FILE: COUNT_FILE, ...(PLAIN ? { LW_GATEWAY_PLAIN_READS: '1' } : {}) },
});
await waitForPort(port);
const load = spawn(LOAD, ['--target', 'gateway', '--ws', `127.0.0.1:${port}`, '--rtmp', url, '--players', String(PLAYERS),
  '--duration-s', String(SECONDS + 6), '--warmup-s', '2', '--connect-rate', '400'], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
load.stdout.on('data', (d) => { out += d; });
const loadDone = new Promise((r) => load.on('exit', r));
await sleep((PLAYERS / 400) * 1000 + 3000);

const tracepoints = ['raw_syscalls:sys_enter', ...['recvmsg', 'recvfrom', 'read', 'sendmsg', 'sendto', 'write', 'writev',
  'epoll_wait', 'epoll_ctl', 'timerfd_settime', 'futex'].map((s) => `syscalls:sys_enter_${s}`)];
const allocations_ = allocations;
const allocationsOf = async (pid) => (HEAPTRACK ? 0 : allocations_(pid));
// The gateway's CPU time (utime + stime, clock ticks of 10 ms) over the same window.
const cpuTicks = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
const cpu0 = HEAPTRACK ? 0 : cpuTicks(gw.pid);
const w0 = process.hrtime.bigint();
const a0 = await allocationsOf(gw.pid);
const t0 = await tags(port);
const machine = watchLoad();
const perf = HEAPTRACK ? { stderr: (await new Promise((r) => setTimeout(r, SECONDS * 1000)), '') } : await run('perf', ['stat', '-x', ',', '-e', tracepoints.join(','), '-p', String(gw.pid), '--', 'sleep', String(SECONDS)],
  { timeoutMs: (SECONDS + 30) * 1000 });
const m = machine();
const t1 = await tags(port);
const a1 = await allocationsOf(gw.pid);
const cpuS = HEAPTRACK ? 0 : (cpuTicks(gw.pid) - cpu0) / 100;
const wallS = Number(process.hrtime.bigint() - w0) / 1e9;
await loadDone;
const counts = {};
for (const line of perf.stderr.split('\n')) {
  const f = line.split(',');
  if (f.length > 3 && /^\d+$/.test(f[0])) counts[f[2].replace(/^(raw_)?syscalls:sys_enter_?/, '') || 'all'] = Number(f[0]);
}
const dt = t1 - t0;
const perTag = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, +(v / dt).toFixed(3)]));
const res = JSON.parse(out.trim().split('\n').at(-1) || '{}');
console.log(JSON.stringify({
  read_path: PLAIN ? 'async_read_some (LW_GATEWAY_PLAIN_READS)' : 'recvmsg + SO_TIMESTAMPNS + TCP_INQ',
  gateway: [GATEWAY, ...GATEWAY_ARGS].join(' '), threads: Number(THREADS), players: PLAYERS, connected: res.connected, seconds: SECONDS, tags: dt,
  gateway_cpu_cores: +(cpuS / wallS).toFixed(3), cpu_us_per_tag: +((cpuS * 1e6) / dt).toFixed(2),
  syscalls_per_tag: perTag, allocations_per_tag: +((a1 - a0) / dt).toFixed(3), machine: loadText(m),
}, null, 1));

if (HEAPTRACK) {
  // Only the gateway itself: heaptrack's wrapper must live on to write its file.
  const ps = execFileSync('ps', ['-o', 'pid=,comm=', '-g', String(gw.pid)], { encoding: 'utf8' });
  const child = ps.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1]?.startsWith('livewasm-gatew'));
  if (child) process.kill(Number(child[0]), 'SIGTERM');
  await new Promise((r) => gw.on('exit', r));
}
for (const p of [gw, publisher]) { try { process.kill(-p.pid, 'SIGTERM'); } catch {} }
await sleep(1500);
await nginx.stop();
