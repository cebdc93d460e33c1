// One wasm variant of the encoder benchmark, in its own Node process (one thread runs the wasm; V8's
// background compiler threads only tier it up, which the warm-up absorbs). Run by run.mjs:
//
//   node --no-experimental-fetch bench/pusher/wasm_speed.mjs --module GLUE.mjs --job JOB.json
//
// JOB.json: {video: [{name, file, width, height, kbps, frames, warmup}], audio: [{codec, quality,
// sampleRate, channels, seconds}]}. Prints one JSON object: {video: [result], audio: [result]} (wasm/bindings/
// bench_bindings.cc has the result fields).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { module: { type: 'string' }, job: { type: 'string' } } });
const job = JSON.parse(readFileSync(args.job, 'utf8'));
const core = await (await import(pathToFileURL(path.resolve(args.module)).href)).default();
if (typeof core.H264SpeedBench !== 'function') {
  throw new Error(`${args.module} has no H264SpeedBench (built before bench/pusher/bench_bindings.cc?)`);
}

function encode(v) {
  const yuv = readFileSync(v.file);
  const bench = new core.H264SpeedBench();
  try {
    bench.frames(yuv.length).set(yuv);
    return bench.run(v);
  } finally {
    bench.delete();
  }
}

const out = { video: [], audio: [] };
// Tier-up: the first calls run Liftoff code while TurboFan compiles the hot functions in the background.
if (job.video.length) encode({ ...job.video[0], frames: 60, warmup: 0 });
for (const v of job.video) out.video.push({ name: v.name, width: v.width, height: v.height, kbps: v.kbps, ...encode(v) });
for (const a of job.audio) {
  core.benchAudio({ ...a, seconds: 1 });  // warm-up
  out.audio.push({ ...a, ...core.benchAudio(a) });
}
process.stdout.write(JSON.stringify(out) + '\n');
