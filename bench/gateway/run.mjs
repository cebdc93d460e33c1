// The gateway load benchmark (bench/gateway/run.sh): a private nginx-rtmp, ffmpeg publishing a
// ~1 Mbit/s H.264+AAC clip in a loop (-c copy: almost no CPU), then for each N and each relay
// (livewasm-gateway, websockify, and no relay: N players straight from nginx-rtmp) one run of
// lw-gateway-load, sampling the relay's and nginx's CPU time and PSS from /proc over the measured
// window, and the machine's load over the same window (scripts/machine_load.mjs).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { startNginxRtmp, freePort, waitForPort } from '../../tests/interop/lib/nginx.mjs';
import { BUILD_DIR, ROOT, run } from '../../tests/interop/lib/tools.mjs';
import { watchLoad } from '../../scripts/machine_load.mjs';

const quick = process.argv.includes('--quick');
const SERIES = (process.env.LW_GATEWAY_SERIES ?? (quick ? '20 100' : '50 200 500 1000 1500 2000'))
  .split(/\s+/).filter(Boolean).map(Number);
const SECONDS = Number(process.env.LW_GATEWAY_SECONDS ?? (quick ? 4 : 10));
// LW_GATEWAY_THREADS="1 2": one gateway per thread count, each measured at every N (same run).
const THREADS = (process.env.LW_GATEWAY_THREADS ?? '1').split(/\s+/).filter(Boolean);
// LW_GATEWAY_BIN: another build of the gateway (e.g. a copy kept from before a change);
// LW_GATEWAY_ARGS: extra flags for it (e.g. "--coalesce-audio-ms 40").
const GATEWAY = process.env.LW_GATEWAY_BIN || path.join(BUILD_DIR, 'gateway/livewasm-gateway');
const GATEWAY_ARGS = (process.env.LW_GATEWAY_ARGS ?? '').split(/\s+/).filter(Boolean);
const LOAD = path.join(BUILD_DIR, 'bench/lw-gateway-load');
const CLIP = path.join(ROOT, 'build/bench/clip_1mbps.flv');
const CLK_TCK = 100;

// --- /proc sampling over a process and its descendants
// One pass over /proc: pid -> parent pid.
function parents() {
  const map = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      map.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  return map;
}
function tree(pid) {
  const ppid = parents();
  const all = [pid];
  for (let i = 0; i < all.length; ++i) {
    for (const [p, parent] of ppid) if (parent === all[i]) all.push(p);
  }
  return all;
}
function cpuSeconds(pids) {
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);  // utime, stime
    } catch {}
  }
  return ticks / CLK_TCK;
}
// Proportional set size: forked workers (websockify) share their parent's pages, which RSS would
// count once per process.
function rssBytes(pids) {
  let kb = 0;
  for (const p of pids) {
    try {
      const m = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
      if (m) kb += Number(m[1]);
    } catch {}
  }
  return kb * 1024;
}

// The gateway's own histogram of gateway-in to client-out (lw_gateway_play_latency_seconds).
function getMetrics(port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
function latencyBuckets(text) {
  const out = [];
  for (const m of text.matchAll(/^lw_gateway_play_latency_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)) {
    out.push([m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000, Number(m[2])]);
  }
  return out;
}
// Percentile of the delta between two cumulative histograms: the upper edge of its bucket (ms).
function bucketPercentile(before, after, p) {
  const total = after.at(-1)[1] - before.at(-1)[1];
  if (total <= 0) return null;
  for (let i = 0; i < after.length; ++i) {
    if (after[i][1] - before[i][1] >= p * total) return after[i][0] === Infinity ? '>1000' : after[i][0];
  }
  return null;
}

function startProcess(cmd, args, name) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let err = '';
  p.stderr.on('data', (d) => { err += d; if (err.length > 1e6) err = err.slice(-1e5); });
  p.on('exit', (code, sig) => { if (!p.stopping) console.error(`[bench] ${name} exited (${code ?? sig}): ${err.slice(-500)}`); });
  p.stderrText = () => err;
  return p;
}
async function stopProcess(p) {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.stopping = true;
  const done = new Promise((r) => p.once('exit', r));
  try { process.kill(-p.pid, 'SIGTERM'); } catch {}
  const t = setTimeout(() => { try { process.kill(-p.pid, 'SIGKILL'); } catch {} }, 5000);
  await done;
  clearTimeout(t);
}

// --- setup
if (!existsSync(CLIP)) {
  console.error('[bench] making the 1 Mbit/s clip (60 s, 640x360 30 fps H.264 + AAC)');
  const r = await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100', '-t', '60',
    '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '900k', '-maxrate', '1M', '-bufsize', '1M', '-g', '30',
    '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', CLIP], { timeoutMs: 300000 });
  if (r.code !== 0) throw new Error(r.stderr);
}
const nginx = await startNginxRtmp({ workerConnections: 20000 });
const rtmpUrl = nginx.url('bench');
const publisher = startProcess('ffmpeg', ['-v', 'error', '-re', '-stream_loop', '-1', '-i', CLIP, '-c', 'copy',
  '-f', 'flv', rtmpUrl], 'ffmpeg');
await new Promise((r) => setTimeout(r, 2000));

const gateways = [];
for (const threads of THREADS) {
  const port = await freePort();
  const proc = startProcess(GATEWAY, ['--listen', `127.0.0.1:${port}`, '--allow-upstream', `127.0.0.1:${nginx.port}`,
    '--max-connections', '100000', '--max-connections-per-ip', '100000', '--threads', threads, '--log-level', 'warn', ...GATEWAY_ARGS], 'gateway');
  gateways.push({ threads, port, proc });
}
const wsPort = await freePort();
const websockify = startProcess('websockify', [`127.0.0.1:${wsPort}`, `127.0.0.1:${nginx.port}`], 'websockify');
for (const g of gateways) await waitForPort(g.port);
await waitForPort(wsPort);
const nginxWorkers = () => tree(nginx.pid);

const relays = [
  ...gateways.map((g) => ({ name: 'livewasm-gateway', label: `livewasm-gateway --threads ${g.threads}${GATEWAY_ARGS.length ? ' ' + GATEWAY_ARGS.join(' ') : ''}`, target: 'gateway', port: g.port, proc: g.proc })),
  { name: 'websockify', target: 'websockify', port: wsPort, proc: websockify },
  // No relay: the players straight from nginx-rtmp; the "relay" CPU and PSS are nginx's own.
  { name: 'direct', label: 'direct nginx-rtmp', target: 'direct', port: nginx.port, proc: { pid: nginx.pid } },
];
// LW_GATEWAY_RELAYS="livewasm-gateway" measures one relay only.
const only = process.env.LW_GATEWAY_RELAYS?.split(/\s+/).filter(Boolean);
if (only) relays.splice(0, relays.length, ...relays.filter((r) => only.includes(r.name)));
const results = [];
for (const n of SERIES) {
  for (const relay of relays) {
    const pids = () => tree(relay.proc.pid);
    // The previous run's connections (websockify: worker processes) must be gone first.
    for (let i = 0; i < 100 && relay.target !== 'direct' && pids().length > 1; ++i) await new Promise((r) => setTimeout(r, 100));
    const idleRss = rssBytes(pids());
    const load = spawn(LOAD, ['--target', relay.target, '--ws', `127.0.0.1:${relay.port}`, '--rtmp', rtmpUrl,
      '--players', String(n), '--duration-s', String(SECONDS), '--warmup-s', '2', '--connect-rate', '400'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => load.on('exit', r));
    let out = '';
    let err = '';
    load.stdout.on('data', (d) => { out += d; });
    load.stderr.on('data', (d) => { err += d; });
    // Sample the measured window: it starts after the ramp and the 2 s warm-up.
    const rampMs = (n / 400) * 1000 + 2000;
    await new Promise((r) => setTimeout(r, rampMs + 300));
    const h0 = relay.target === 'gateway' ? latencyBuckets(await getMetrics(relay.port)) : null;
    const c0 = cpuSeconds(pids());
    const n0 = cpuSeconds(nginxWorkers());
    const l0 = cpuSeconds([load.pid]);
    const t0 = process.hrtime.bigint();
    const machine = watchLoad();
    await new Promise((r) => setTimeout(r, SECONDS * 1000 - 600));
    const m = machine();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const relayCpu = (cpuSeconds(pids()) - c0) / wall;
    const nginxCpu = (cpuSeconds(nginxWorkers()) - n0) / wall;
    const loadCpu = (cpuSeconds([load.pid]) - l0) / wall;
    const rss = rssBytes(pids());
    const h1 = h0 ? latencyBuckets(await getMetrics(relay.port)) : null;
    const code = await exited;
    let res = {};
    try { res = JSON.parse(out.trim().split('\n').at(-1)); } catch { res = { error: `${code} ${err.slice(-300)}` }; }
    const row = {
      relay: relay.label ?? relay.name, n, ...res, loadavg_1m: +os.loadavg()[0].toFixed(1),
      machine_busy_pct: m.busyPct, machine_wait_pct: m.waitPct,
      relay_cpu: +relayCpu.toFixed(3), nginx_cpu: +nginxCpu.toFixed(3), load_cpu: +loadCpu.toFixed(3),
      rss_mb: +(rss / 2 ** 20).toFixed(1), rss_per_conn_kb: +(((rss - idleRss) / n) / 1024).toFixed(1),
      streams_per_core: relayCpu > 0 ? Math.round(n / relayCpu) : null,
      cpu_ms_per_mbit: res.mbps > 0 ? +((relayCpu * 1000) / res.mbps).toFixed(2) : null,
      inside_p50_ms: h0 ? bucketPercentile(h0, h1, 0.5) : null,
      inside_p99_ms: h0 ? bucketPercentile(h0, h1, 0.99) : null,
    };
    results.push(row);
    console.log(JSON.stringify(row));
    // Let the relay close the N connections before the next run.
    await new Promise((r) => setTimeout(r, 1500 + n));
  }
}

console.log('\n| relay | N | connected | relay CPU (cores) | Mbit/s out | streams/core | CPU ms per Mbit | added vs direct p50 / p99 (ms) | gateway socket-in to out p50 / p99 (ms) | PSS/conn (KiB) | nginx CPU | load-gen CPU | machine busy / CPU wait % | load avg 1 min |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const inside = r.inside_p50_ms === null ? '-' : `≤${r.inside_p50_ms} / ≤${r.inside_p99_ms}`;
  console.log(`| ${r.relay} | ${r.n} | ${r.connected ?? '-'} | ${r.relay_cpu} | ${r.mbps ?? '-'} | ${r.streams_per_core ?? '-'} | ${r.cpu_ms_per_mbit ?? '-'} | ` +
    `${r.p50_ms ?? '-'} / ${r.p99_ms ?? '-'} | ${inside} | ${r.rss_per_conn_kb} | ${r.nginx_cpu} | ${r.load_cpu} | ${r.machine_busy_pct} / ${r.machine_wait_pct} | ${r.loadavg_1m} |`);
}

for (const g of gateways) await stopProcess(g.proc);
await stopProcess(websockify);
await stopProcess(publisher);
await nginx.stop();
