// The pusher's threads build (livewasm_pusher_mt: -msimd128 -pthread, OpenH264's slice threads) under Node:
// its PusherEngine with encoderThreads 2 writes FLV whose every H.264 frame holds 2 slices (ffmpeg counts them)
// and the slices are encoded on other threads than the caller's: the pool threads' CPU time (/proc/self/task)
// is a large share of the push's, which a build that ran them on the calling thread (a single-thread
// fallback compiled in, the slice mode ignored) would not show. encoderThreads 1: one slice, the calling
// thread does the work. The module's pthread worker runs as CommonJS under Node (the package is "type":
// "module"), so it is copied to a .cjs first, as bench/player/wasm_speed.mjs does. Each push runs in a child
// process of this file (LW_PUSHER_THREADS_CHILD=<threads>) that exits when done: the module's pthread workers
// would keep the test's own process alive, and the per-thread CPU is then the push's alone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadThreadsModule, moduleDir } from './load_module.mjs';
import { threadTicks } from '../../scripts/machine_load.mjs';
import { countCodedSlices } from '../interop/lib/tools.mjs';

const glue = path.join(moduleDir(), 'livewasm_pusher_mt.mjs');
const missing = existsSync(glue) ? null : `${glue} is not built (scripts/build.sh wasm)`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-pusher-threads-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// 1280x720 frames with texture that moves (enough work per frame for the thread accounting).
function frames(n, w, h) {
  const out = [];
  let seed = 1;
  for (let i = 0; i < n; i++) {
    const f = new Uint8Array((w * h * 3) / 2).fill(128);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        f[y * w + x] = 40 + ((x + y + 4 * i) % 160) + (seed >>> 28);
      }
    }
    out.push(f);
  }
  return out;
}

function slicesPerFrame(file) {
  const annexb = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', '-'],
    { maxBuffer: 256 << 20, timeout: 60000 });
  const slices = countCodedSlices(annexb);
  const packets = String(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=size', '-of', 'csv=p=0', file])).trim().split('\n').length;
  return { slices, packets, perFrame: slices / packets };
}

const W = 1280, H = 720, N = 60;
let core, pictures;

// In the child: one push, its result as one JSON line, exit.
async function push(threads) {
    core ??= await loadThreadsModule(glue);
    pictures ??= frames(8, W, H);
    const engine = new core.PusherEngine();
    try {
      const o = engine.open({ mode: 'FHD', aspect: '16:9', orientation: 'horizontal', minKbps: 2000, maxKbps: 2000,
        video: true, audio: false, cameraFps: 30, encoderThreads: threads });
      assert.ok(o.ok, o.error);
      assert.deepEqual([engine.target().width, engine.target().height, engine.target().encoderThreads], [W, H, threads]);
      engine.setEncoder('wasm', false);
      assert.ok(engine.beginConnection(0).ok);
      const chunks = [Buffer.from(engine.output())];
      engine.clearOutput();
      const before = threadTicks();
      for (let i = 0; i < N; i++) {
        const f = pictures[i % pictures.length];
        engine.frameBuffer(f.length).set(f);
        const r = engine.pushVideo({ format: 'I420', codedWidth: W, codedHeight: H, x: 0, y: 0, width: W, height: H, size: f.length }, (i * 1000) / 30);
        assert.ok(r.ok, r.error);
        chunks.push(Buffer.from(engine.output()));
        engine.clearOutput();
      }
      const afterTicks = threadTicks();
      const gained = [...afterTicks].map(([t, v]) => ({ t, ticks: v - (before.get(t) ?? 0) }));
      const main = gained.find((g) => g.t === String(process.pid))?.ticks ?? 0;
      const others = gained.filter((g) => g.t !== String(process.pid)).map((g) => g.ticks).sort((a, b) => b - a);
      const file = path.join(tmp, `threads-${threads}.flv`);
      writeFileSync(file, Buffer.concat(chunks));
      const s = slicesPerFrame(file);
      return { ...s, main, others, threadPool: core.pusherInfo().threadPool };
    } finally {
      engine.delete();
    }
}

if (process.env.LW_PUSHER_THREADS_CHILD) {
  const r = await push(Number(process.env.LW_PUSHER_THREADS_CHILD));
  process.stdout.write(`LW_RESULT ${JSON.stringify(r)}\n`);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}

// Runs one push in a child process (bounded: 180 s).
function pushInChild(threads) {
  const out = String(execFileSync(process.execPath, [fileURLToPath(import.meta.url)],
    { env: { ...process.env, LW_PUSHER_THREADS_CHILD: String(threads), NODE_TEST_CONTEXT: '' }, timeout: 180000, maxBuffer: 16 << 20 }));
  const line = out.split('\n').find((l) => l.startsWith('LW_RESULT '));
  assert.ok(line, `the child printed its result: ${out}`);
  const r = JSON.parse(line.slice('LW_RESULT '.length));
  console.log(`encoderThreads ${threads}: ${r.packets} frames, ${r.slices} slices; CPU ticks: calling thread ${r.main}, others ${JSON.stringify(r.others.slice(0, 6))}`);
  return r;
}

describe('livewasm_pusher_mt under Node', { skip: missing ?? false }, () => {
  test('encoderThreads 2: two slices in every frame, encoded on two other threads', async () => {
    const r = pushInChild(2);
    assert.equal(r.threadPool, 4, 'the module\'s pool: 4 threads');
    assert.equal(r.packets, N, 'every frame pushed');
    assert.equal(r.perFrame, 2, 'two slices per frame');
    const [a, b] = r.others;
    const total = r.main + r.others.reduce((x, y) => x + y, 0);
    assert.ok(a + b >= total * 0.4 && b >= total * 0.15,
      `the two busiest other threads did the slices: ${a} + ${b} of ${total} ticks (calling thread ${r.main})`);
  });

  test('encoderThreads 1: one slice per frame, encoded on the calling thread', async () => {
    const r = pushInChild(1);
    assert.equal(r.packets, N);
    assert.equal(r.perFrame, 1);
    const total = r.main + r.others.reduce((x, y) => x + y, 0);
    assert.ok(r.main >= total * 0.6, `the calling thread did most of it: ${r.main} of ${total} ticks`);
  });
});
