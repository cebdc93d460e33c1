// The measuring half of bench/pusher/run.sh (which builds what this runs; see there for the steps).
//
//   node bench/pusher/run.mjs --out build/bench/pusher [--skip ,push,chromium,]
//
// Plain node: Playwright needs fetch(); the wasm runs in children started with --no-experimental-fetch.
// Env: LW_NOASM_OPENH264_DIR (folder with the no-asm libopenh264.so.7; run.sh sets it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../tests/interop/lib/tools.mjs';

const { values: args } = parseArgs({ options: { out: { type: 'string', default: 'build/bench/pusher' }, skip: { type: 'string', default: '' } } });
const out = path.resolve(ROOT, args.out);
const skip = new Set(args.skip.split(',').filter(Boolean));
mkdirSync(out, { recursive: true });

// ~1 Mbit/s at 360p, scaled with the picture's height. The frames: testsrc2 (a moving pattern) with the
// 1107 test's temporal luma noise; '720p-noisy' adds strong noise on every plane (harder for the motion
// search and the entropy coder) to show whether the ratios hold on busier pictures.
const LIGHT = 'noise=c0s=8:c0f=t';
const SIZES = [
  { name: '360p', width: 640, height: 360, kbps: 1000, filter: LIGHT },
  { name: '540p', width: 960, height: 540, kbps: 1500, filter: LIGHT },
  { name: '720p', width: 1280, height: 720, kbps: 2000, filter: LIGHT },
  { name: '720p-noisy', width: 1280, height: 720, kbps: 2000, filter: 'noise=alls=20:allf=t' },
];
const FRAMES = 150;  // timed encodes per repetition (5 s of 30 fps video, IDR every 60)
const WARMUP = 10;
const REPS = 3;      // the machine is shared: each row keeps its fastest repetition (all are in results.json)
const DISTINCT = 60;
const AUDIO = [
  { codec: 'aac', quality: 'low', sampleRate: 48000, channels: 1, seconds: 30 },
  { codec: 'aac', quality: 'high', sampleRate: 48000, channels: 2, seconds: 30 },
  { codec: 'opus', quality: 'low', sampleRate: 48000, channels: 1, seconds: 30 },
  { codec: 'opus', quality: 'high', sampleRate: 48000, channels: 2, seconds: 30 },
];
const NATIVE = path.join(ROOT, 'build/bench-pusher/native/bench/lw-encoder-speed');
const WASM_DIR = path.join(ROOT, 'build/bench-pusher/wasm/wasm/bindings');
const WASM_PROF = path.join(ROOT, 'build/bench-pusher/wasm-prof/wasm/bindings/livewasm_core_simd.mjs');
const log = (s) => process.stderr.write(`[pusher-bench] ${s}\n`);
const results = { machine: machine(), sizes: SIZES, frames: FRAMES, warmup: WARMUP, distinct: DISTINCT };

function machine() {
  const cpu = os.cpus();
  return { cpu: cpu[0]?.model, cores: cpu.length, node: process.version, date: new Date().toISOString().slice(0, 10), loadavg: os.loadavg() };
}

function run(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

// ---- the frames: ffmpeg, the 1107 test's camera texture (testsrc2 + temporal luma noise) ----------
function frames({ name, width, height, filter }) {
  const file = path.join(out, `frames-${name}.yuv`);
  const cmd = ['-nostdin', '-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`,
    '-frames:v', String(DISTINCT), '-vf', filter, '-pix_fmt', 'yuv420p', '-f', 'rawvideo', file];
  const stamp = `${file}.cmd`;
  if (!existsSync(file) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== cmd.join(' ')) {
    log(`making ${path.relative(ROOT, file)}`);
    run('ffmpeg', cmd);
    writeFileSync(stamp, cmd.join(' '));
  }
  return file;
}
const sizes = SIZES.map((s) => ({ ...s, file: frames(s), frames: FRAMES, warmup: WARMUP }));

// The fastest of the repetitions, with every repetition's seconds.
function fastest(runs) {
  const ok = runs.filter((x) => !x.error);
  if (!ok.length) return runs[0];
  const best = ok.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...best, allSeconds: ok.map((x) => Math.round(x.seconds * 1e4) / 1e4) };
}

// ---- native and wasm, in REPS rounds ---------------------------------------------------------------
// Each round runs every contender once (native asm, native C, wasm, wasm SIMD), so a burst of load from
// the machine's other users hits one round of all of them rather than all rounds of one; each row then
// keeps its fastest round.
function native(libDir) {
  const env = libDir ? { LD_LIBRARY_PATH: libDir } : {};
  const video = sizes.map((s) => ({ name: s.name, width: s.width, height: s.height, kbps: s.kbps,
    ...JSON.parse(run(NATIVE, ['h264', s.file, s.width, s.height, s.kbps, FRAMES, WARMUP].map(String), env)) }));
  return { video, lib: run('ldd', [NATIVE], env).split('\n').find((l) => l.includes('libopenh264'))?.trim() };
}
function wasm(glue, job, nodeFlags = []) {
  const jobFile = path.join(out, 'wasm-job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  return JSON.parse(run(process.execPath, ['--no-experimental-fetch', ...nodeFlags, path.join(ROOT, 'bench/pusher/wasm_speed.mjs'),
    '--module', glue, '--job', jobFile]));
}
const noasmDir = process.env.LW_NOASM_OPENH264_DIR;
const contenders = [
  ...(skip.has('native') ? [] : [
    ['nativeAsm', () => native(null)],
    ...(noasmDir && existsSync(path.join(noasmDir, 'libopenh264.so.7')) ? [['nativeC', () => native(noasmDir)]] : []),
    ['nativeAudio', () => ({ audio: AUDIO.map((a) => ({ ...a,
      ...JSON.parse(run(NATIVE, ['audio', a.codec, a.quality, a.sampleRate, a.channels, a.seconds].map(String))) })) })],
  ]),
  ...(skip.has('wasm') ? [] : [
    ['wasm', () => wasm(path.join(WASM_DIR, 'livewasm_core.mjs'), { video: sizes, audio: AUDIO })],
    ['wasmSimd', () => wasm(path.join(WASM_DIR, 'livewasm_core_simd.mjs'), { video: sizes, audio: AUDIO })],
  ]),
];
const rounds = new Map(contenders.map(([k]) => [k, []]));
for (let round = 1; round <= REPS; round++) {
  log(`round ${round}/${REPS}: ${contenders.map(([k]) => k).join(', ')}`);
  for (const [key, fn] of contenders) rounds.get(key).push(fn());
}
// Row i of each list, fastest over the rounds.
const merge = (runs, list) => runs[0][list]?.map((_, i) => fastest(runs.map((r) => r[list][i])));
for (const [key, runs] of rounds) {
  results[key] = { ...runs[0], video: merge(runs, 'video'), audio: merge(runs, 'audio') };
}
// nativeAudio is a list of rows (the tables read it so).
if (results.nativeAudio) results.nativeAudio = results.nativeAudio.audio;

// ---- the same bitstream from every OpenH264 build: FNV-1a 64 of all the encoded bytes, every round -----
// wasm, wasm SIMD (hand-written kernels) and native C must be byte-identical (the kernels are bit-exact
// replacements); Debian's asm is reported beside them. A difference fails the run (exit code 1).
results.bitstream = sizes.map((s, i) => {
  const row = { name: s.name };
  for (const [key, runs] of rounds) {
    if (!runs[0].video) continue;
    const d = [...new Set(runs.map((r) => r.video[i]?.digest))];
    row[key] = d.length === 1 ? d[0] : d;  // a list: the rounds of one build disagreed
  }
  const must = ['wasm', 'wasmSimd', 'nativeC'].filter((k) => k in row).map((k) => row[k]);
  row.identical = must.length > 1 && must.every((d) => typeof d === 'string' && d === must[0]);
  row.asmIdentical = typeof row.nativeAsm === 'string' && row.nativeAsm === must[0];
  return row;
});
const bitstreamFailed = results.bitstream.some((b) => !b.identical && ['wasm', 'wasmSimd', 'nativeC'].filter((k) => k in b).length > 1);

// ---- where the wasm time goes: node --cpu-prof over the 720p run, self time per function -----------
function profile() {
  const dir = path.join(out, 'prof');
  rmSync(dir, { recursive: true, force: true });
  const s720 = sizes.find((s) => s.name === '720p');
  wasm(WASM_PROF, { video: [{ ...s720, frames: 300 }], audio: [] }, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200']);
  const prof = JSON.parse(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))), 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let sum = 0;
  prof.samples.forEach((id, i) => {
    const name = byId.get(id).callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)' || name === '(root)') return;
    const dt = prof.timeDeltas[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + dt);
    sum += dt;
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([fn, us]) => ({ fn, share: Math.round((us / sum) * 1000) / 10 }));
}
if (!skip.has('profile') && existsSync(WASM_PROF)) {
  log('profile: wasm SIMD 720p (--cpu-prof)');
  results.profile720 = profile();
}

// ---- Chromium WebCodecs --------------------------------------------------------------------------------
if (!skip.has('chromium')) {
  log('Chromium WebCodecs VideoEncoder');
  const { chromiumSpeed } = await import('./chromium_speed.mjs');
  results.chromium = await chromiumSpeed(sizes, { frames: 2 * FRAMES, warmup: WARMUP });
}

// ---- real pushes ----------------------------------------------------------------------------------------
if (!skip.has('push')) {
  log('pushes in Chromium (1280x720 30 fps camera)');
  const { pushCpu } = await import('./push_cpu.mjs');
  // The module with function names when it is there (the worker profile can name the hot code; the
  // code is the same -O3 build), else what the product ships: dist/wasm/.
  const named = ['livewasm_pusher.mjs', 'livewasm_pusher_simd.mjs'].every((f) => existsSync(path.join(path.dirname(WASM_PROF), f)));
  const wasmBase = named ? '/' + path.relative(ROOT, path.dirname(WASM_PROF)) + '/' : null;
  results.pushModule = wasmBase ?? '/dist/wasm/';
  const fhd = { mode: 'FHD', orientation: 'horizontal', 'min-bitrate': 1800, 'max-bitrate': 1800 };
  results.push = await pushCpu([
    { name: 'fhd-auto', attrs: fhd, profile: true },
    { name: 'fhd-webcodecs', attrs: { ...fhd, 'video-encoder': 'webcodecs' } },
    { name: 'rtc-360p', attrs: { mode: 'RTC', orientation: 'horizontal', 'min-bitrate': 300, 'max-bitrate': 600 } },
  ], { wasmBase });
}

results.machine.loadavgAfter = os.loadavg();
writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 1));
report(results);
if (bitstreamFailed) {
  console.error('\nFAIL: the OpenH264 builds gave different bitstreams for the same frames (see "bitstream" above)');
  process.exitCode = 1;
}

// ---- tables ---------------------------------------------------------------------------------------------
function report(r) {
  const fps = (row) => (row && !row.error ? row.frames / row.seconds : NaN);
  const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');
  const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
  const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  const pad = (cells, w) => cells.map((c, i) => String(c).padStart(w[i] ?? 10)).join(' ');
  const at = (list, s) => list?.find((x) => x.name === s.name);
  const chrome = (s, mode) => r.chromium?.find((x) => x.name === s.name && x.latencyMode === mode);
  console.log(`\n== H.264 encode, OpenH264 2.3.1 via H264Encoder, one thread, frames/s, fastest of ${REPS} x ${r.frames} frames (after ${r.warmup}); ${r.machine.cores} cores, ${r.machine.cpu}, load ${r.machine.loadavg.map((x) => x.toFixed(1)).join(' ')})`);
  const w = [11, 10, 5, 6, 6, 6, 6, 6, 7, 7, 7, 8];
  console.log(pad(['content', 'size', 'kbps', 'wasm', 'wasm+S', 'C', 'asm', 'Cr rt', 'Cr qual', 'wasm/C', 'wasmS/C', 'wasmS/asm'], w));
  for (const s of SIZES) {
    const v = { wasm: fps(at(r.wasm?.video, s)), simd: fps(at(r.wasmSimd?.video, s)), c: fps(at(r.nativeC?.video, s)), asm: fps(at(r.nativeAsm?.video, s)) };
    const crt = fps(chrome(s, 'realtime')), cq = fps(chrome(s, 'quality'));
    console.log(pad([s.name, `${s.width}x${s.height}`, s.kbps, f0(v.wasm), f0(v.simd), f0(v.c), f0(v.asm), f0(crt), f0(cq),
      f2(v.c / v.wasm), f2(v.c / v.simd), f2(v.asm / v.simd)], w));
  }
  console.log('  (ratios: how many times slower wasm is; C = the same Debian source natively without asm, clang-14 -O3;');
  console.log('   asm = Debian\'s libopenh264.so.7; Cr = Chromium WebCodecs software, wall-clock fps, may use >1 thread)');
  if (r.chromium) {
    console.log('\n== Chromium WebCodecs: CPU of all Chromium processes per frame (ms) vs the native library alone');
    for (const c of r.chromium) {
      const asm = at(r.nativeAsm?.video, c);
      console.log(`  ${c.name.padEnd(10)} ${c.latencyMode.padEnd(8)} ${c.error ? c.error : `${f2(c.cpuMs / c.frames)} ms CPU/frame (wall ${f2((c.seconds * 1000) / c.frames)} ms, ${f2(c.cpuMs / (c.seconds * 1000))} cores), ` +
        `${c.produced}/${c.frames} frames out, ${f0((c.bytes * 8 * 30) / c.produced / 1000)} kbit/s; native asm ${asm ? f2((asm.seconds * 1000) / asm.frames) : '-'} ms`}`);
    }
  }
  if (r.bitstream) {
    console.log('\n== bitstream identity (FNV-1a 64 of all encoded bytes, every round): ' + r.bitstream.map((b) =>
      `${b.name} ${b.identical ? 'wasm = wasm SIMD = C' : `DIFFERENT ${JSON.stringify(b)}`}${'nativeAsm' in b ? (b.asmIdentical ? ' = asm' : ', asm differs') : ''} (${b.wasmSimd ?? b.nativeC})`).join('; '));
  }
  const kbpsOf = (row) => (row ? f0((row.bytes * 8 * 30) / Math.max(1, row.produced) / 1000) : '-');
  console.log('\n== bitrate reached (kbit/s): ' + SIZES.map((s) => `${s.name} wasm ${kbpsOf(at(r.wasm?.video, s))} asm ${kbpsOf(at(r.nativeAsm?.video, s))}`).join('; '));
  if (r.wasm || r.nativeAudio) {
    console.log('\n== audio encode speed, x realtime (48 kHz input, 10 ms blocks)');
    const aw = [6, 6, 4, 6, 9, 9, 9, 12];
    console.log(pad(['codec', 'qual', 'ch', 'kbps', 'wasm', 'native', 'nat/wasm', 'wasm %core'], aw));
    for (const a of AUDIO) {
      const find = (list) => list?.find((x) => x.codec === a.codec && x.quality === a.quality);
      const xw = find(r.wasm?.audio), xn = find(r.nativeAudio);
      const rt = (x) => (x && !x.error ? x.audioSeconds / x.seconds : NaN);
      console.log(pad([a.codec, a.quality, a.channels, xw?.bitrateKbps ?? xn?.bitrateKbps ?? '-', f0(rt(xw)), f0(rt(xn)), f2(rt(xn) / rt(xw)), f2(100 / rt(xw))], aw));
    }
  }
  if (r.profile720) {
    console.log('\n== where the wasm time goes (SIMD build, 1280x720, node --cpu-prof self time)');
    for (const p of r.profile720) console.log(`  ${String(p.share).padStart(5)} %  ${p.fn}`);
  }
  if (r.push) {
    console.log(`\n== real pushes in Chromium, 1280x720 30 fps camera, module ${r.pushModule} (cores = CPU seconds per second; 1 = one core)`);
    const i = r.push.idle;
    console.log(`  idle page: ${f2(i.cores)} cores`);
    for (const p of r.push.rows) {
      if (p.error) { console.log(`  ${p.name}: ${p.error}`); continue; }
      console.log(`  ${p.name.padEnd(14)} ${p.size} ${p.fps} fps ${p.kbps} kbit/s, encoder ${p.encoder}; codes ${JSON.stringify(p.codes)}` +
        `${p.switchedAfterMs != null ? ` (1107 after ${p.switchedAfterMs} ms)` : ''}`);
      if (p.fps < 27) console.log(`  ${''.padEnd(14)} WARNING: under 27 fps in the window: the camera or the machine did not keep up (busy host?); re-run before quoting`);
      console.log(`  ${''.padEnd(14)} worker thread ${f2(p.worker)} cores; all Chromium ${f2(p.cores)} (${p.byProcess.map(([k, v]) => `${k} ${f2(v)}`).join(', ')})`);
      console.log(`  ${''.padEnd(14)} top threads: ${p.topThreads.slice(0, 5).map(([k, v]) => `${k} ${f2(v)}`).join(', ')}`);
      const wp = p.workerProfile;
      if (wp) {
        console.log(`  ${''.padEnd(14)} worker profile (5 s, self time): ${wp.error ?? `busy ${f2(wp.rows.busyShare)}; ` +
          wp.rows.top.slice(0, 8).map((x) => `${x.fn.replace(/\(anonymous namespace\)/g, '{anon}').replace(/(.)\(.*$/, '$1').slice(0, 48)} ${x.share} %`).join(', ')}`);
        if (wp.rows) console.log(`  ${''.padEnd(14)} by caller: ${wp.rows.byCaller.map((x) => `${x.fn} ${x.share} %`).join(', ')}`);
      }
    }
  }
}
