// The pusher's wasm H.264 encoder with and without threads (issue 20): the shipped modules' PusherEngine (the
// worker's path: I420 in, OpenH264, FLV out) under Node at 1280x720, livewasm_pusher_simd (one thread) against
// livewasm_pusher_mt with encoderThreads 1 and 2 (one slice per thread):
//
//   node --no-experimental-fetch bench/pusher/threads_speed.mjs [frames.yuv] [rounds]
//
// frames.yuv: bench/pusher/run.sh's 720p frames (build/bench/pusher/frames-720p.yuv: testsrc2 + temporal luma
// noise, 60 frames, looped), made here with the same ffmpeg command when missing. Each round runs every
// contender once (150 timed frames after 10, 30 fps timestamps, 2000 kbit/s); per contender the best round's
// wall-clock fps (what real time needs) and its CPU time per frame (process.cpuUsage: every thread of the
// process, so the threads' own cost shows), the CPU time of the calling thread and of the busiest other
// thread (/proc/self/task: with 2 encoder threads, main + busiest is the critical path two free cores would
// run at), and the load average before and after. Prints a table and one JSON line.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { factoryOptions } from '../player/wasm_speed.mjs';
import { threadTicks } from '../../scripts/machine_load.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const W = 1280, H = 720, KBPS = 2000, FRAMES = 150, WARMUP = 10;
const file = process.argv[2] || path.join(root, 'build/bench/pusher/frames-720p.yuv');
const rounds = Number(process.argv[3] || 3);
if (!existsSync(file)) {
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=30`,
    '-frames:v', '60', '-vf', 'noise=c0s=8:c0f=t', '-pix_fmt', 'yuv420p', '-f', 'rawvideo', file]);
}
const yuv = readFileSync(file);
const frameSize = (W * H * 3) / 2;
const count = Math.floor(yuv.length / frameSize);

const dir = path.join(root, 'dist/wasm');
const load = async (name) => {
  const glue = path.join(dir, `${name}.mjs`);
  return (await import(pathToFileURL(glue).href)).default(factoryOptions(glue));
};
const cores = { simd: await load('livewasm_pusher_simd'), mt: await load('livewasm_pusher_mt') };
const contenders = [
  { name: 'livewasm_pusher_simd, 1 thread', core: 'simd', threads: 1 },
  { name: 'livewasm_pusher_mt, 1 thread', core: 'mt', threads: 1 },
  { name: 'livewasm_pusher_mt, 2 threads', core: 'mt', threads: 2 },
];

const MAIN = String(process.pid);

function run({ core, threads }) {
  const c = cores[core];
  const engine = new c.PusherEngine();
  try {
    const o = engine.open({ mode: 'FHD', aspect: '16:9', orientation: 'horizontal', minKbps: KBPS, maxKbps: KBPS,
      video: true, audio: false, cameraFps: 30, encoderThreads: threads });
    if (!o.ok) throw new Error(o.error);
    const t = engine.target();
    if (t.width !== W || t.height !== H) throw new Error(`target ${t.width}x${t.height}, not ${W}x${H}`);
    engine.setEncoder('wasm', false);
    engine.beginConnection(0);
    engine.clearOutput();
    let bytes = 0, t0 = 0, c0 = null, k0 = null;
    for (let i = 0; i < WARMUP + FRAMES; i++) {
      if (i === WARMUP) { t0 = performance.now(); c0 = process.cpuUsage(); k0 = threadTicks(); bytes = 0; }
      const at = (i % count) * frameSize;
      engine.frameBuffer(frameSize).set(yuv.subarray(at, at + frameSize));
      const r = engine.pushVideo({ format: 'I420', codedWidth: W, codedHeight: H, x: 0, y: 0, width: W, height: H, size: frameSize }, (i * 1000) / 30);
      if (!r.ok) throw new Error(r.error);
      bytes += engine.output().length;
      engine.clearOutput();
    }
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const k1 = threadTicks();
    let other = 0;
    for (const [t, v] of k1) if (t !== MAIN) other = Math.max(other, v - (k0.get(t) ?? 0));
    const ms = (ticks) => (ticks * 10) / FRAMES;
    return { fps: FRAMES / wall, cpuMsPerFrame: (cpu.user + cpu.system) / 1000 / FRAMES, mainMsPerFrame: ms(k1.get(MAIN) - k0.get(MAIN)),
      busiestOtherMsPerFrame: ms(other), kbps: (bytes * 8 * 30) / FRAMES / 1000, encoderThreads: t.encoderThreads };
  } finally {
    engine.delete();
  }
}

const load0 = loadavg()[0];
for (const c of contenders) run({ ...c });  // tier-up (Liftoff -> TurboFan) before the timed rounds
const results = contenders.map(() => []);
for (let r = 0; r < rounds; r++) contenders.forEach((c, i) => results[i].push(run(c)));
const load1 = loadavg()[0];
console.log(`1280x720 ${KBPS} kbit/s, ${FRAMES} frames after ${WARMUP}, best of ${rounds} rounds; load average ${load0.toFixed(2)} -> ${load1.toFixed(2)}`);
console.log('| module | encoder threads | fps (wall, best) | fps per round | CPU ms/frame, all threads | calling thread | busiest other thread | kbit/s |');
console.log('|---|---|---|---|---|---|---|---|');
const summary = contenders.map((c, i) => {
  const best = results[i].reduce((a, b) => (b.fps > a.fps ? b : a));
  console.log(`| ${c.name.split(',')[0]} | ${best.encoderThreads} | ${best.fps.toFixed(1)} | ${results[i].map((x) => x.fps.toFixed(1)).join(' / ')} | ` +
    `${best.cpuMsPerFrame.toFixed(2)} | ${best.mainMsPerFrame.toFixed(2)} | ${best.busiestOtherMsPerFrame.toFixed(2)} | ${best.kbps.toFixed(0)} |`);
  return { ...c, core: undefined, best, rounds: results[i] };
});
console.log(JSON.stringify({ width: W, height: H, kbps: KBPS, frames: FRAMES, load0, load1, summary }));
process.exit(0);
