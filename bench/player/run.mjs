// The measuring half of bench/player/run.sh (which builds everything first): decode speed rows (wasm,
// native, Chromium), the wasm profile, the module sizes; prints markdown tables, writes results.json.
//
//   node bench/player/run.mjs --out build/bench/player [--skip chromium,noasm,wasm,profile] [--seconds 5]
//                             [--rounds 3]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { ROOT } from '../../tests/interop/lib/tools.mjs';
import { chromiumDecodeSpeed } from './chromium_speed.mjs';
import { profileTop } from './profile_top.mjs';
import { ffmpegDigest } from './wasm_digest.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const out = path.resolve(ROOT, opt('--out', 'build/bench/player'));
const skip = `,${opt('--skip', '')},`;
const seconds = Number(opt('--seconds', '5'));
const streams = ['720p', '1080p'].map((name) => ({ name, file: path.join(out, `h264_${name}.flv`) }));
const log = (s) => process.stderr.write(`[player-bench] ${s}\n`);

const rounds = Number(opt('--rounds', '3'));
const rows = [];
// Keeps the fastest of the rounds per (decoder, stream): load from other work on the shared machine
// only ever slows a run down. Each round runs every contender once, so a burst hits all of them alike.
function add(name, stream, r) {
  const row = { ...r, decoder: name, stream: stream.name, fps: Math.round(r.fps * 10) / 10 };
  const i = rows.findIndex((x) => x.decoder === name && x.stream === stream.name);
  if (i < 0) rows.push({ ...row, allFps: [row.fps] });
  else rows[i] = { ...(row.fps > rows[i].fps ? row : rows[i]), allFps: [...rows[i].allFps, row.fps] };
}

// Node processes, one per measurement (a fresh heap each time), one thread.
function nodeWasm(modulePath, stream) {
  return JSON.parse(execFileSync('node', [path.join(ROOT, 'bench/player/wasm_speed.mjs'), modulePath, stream.file, String(seconds)],
    { encoding: 'utf8' }));
}
function native(tool, stream, extra = []) {
  return JSON.parse(execFileSync(tool, [stream.file, '--seconds', String(seconds), ...extra], { encoding: 'utf8' }));
}

const B = (d) => path.join(ROOT, 'build/bench-player', d, 'wasm/bindings');
const wasmVariants = [
  { name: 'wasm player -O3 (Node)', file: path.join(B('wasm'), 'livewasm_player.mjs') },
  { name: 'wasm player_simd -O3 (Node)', file: path.join(B('wasm'), 'livewasm_player_simd.mjs') },
  { name: 'wasm player -Oz (Node)', file: path.join(B('wasm-oz'), 'livewasm_player.mjs') },
].filter((v) => existsSync(v.file));
const debian = path.join(ROOT, 'build/bench-player/lw-decode-speed-debian');
const noasm = path.join(ROOT, 'build/bench-player/lw-decode-speed-noasm');

for (let round = 1; round <= rounds; round++) {
  for (const s of streams) {
    log(`round ${round}/${rounds}: ${s.name}`);
    if (!skip.includes(',wasm,')) for (const v of wasmVariants) add(v.name, s, nodeWasm(v.file, s));
    add('native, Debian libavcodec (x86 asm)', s, native(debian, s));
    add('native, Debian libavcodec, SIMD off (av_force_cpu_flags(0))', s, native(debian, s, ['--no-simd']));
    if (!skip.includes(',noasm,') && existsSync(noasm)) add('native, same FFmpeg source, no asm (clang-14 -O3)', s, native(noasm, s));
  }
}
if (!skip.includes(',chromium,')) {
  log('chromium');
  for (const r of await chromiumDecodeSpeed(streams, { seconds })) {
    if (r.error) log(`chromium ${r.name}: ${r.error}`);
    else add('Chromium WebCodecs VideoDecoder, prefer-software, taskset -c 0', { name: r.name }, r);
  }
}

// Identical pictures: a digest of every decoded plane from each wasm module and from Debian's ffmpeg.
const digests = [];
if (!skip.includes(',wasm,')) {
  for (const s of streams) {
    log(`digests ${s.name}`);
    const ref = (await ffmpegDigest(s.file)).sha256;
    digests.push({ stream: s.name, decoder: 'Debian ffmpeg (x86 asm)', sha256: ref, same: true });
    for (const v of wasmVariants) {
      const r = JSON.parse(execFileSync('node', [path.join(ROOT, 'bench/player/wasm_digest.mjs'), v.file, s.file], { encoding: 'utf8' }));
      digests.push({ stream: s.name, decoder: v.name, frames: r.frames, sha256: r.sha256, same: r.sha256 === ref });
    }
  }
}

// Where the time goes: the -O3 modules with function names (baseline and _simd), 1080p.
const profiles = {};
for (const name of ['livewasm_player', 'livewasm_player_simd']) {
  const profModule = path.join(B('wasm-prof'), `${name}.mjs`);
  if (skip.includes(',profile,') || !existsSync(profModule)) continue;
  log(`profile ${name}`);
  const dir = path.join(out, `profile-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('node', ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(ROOT, 'bench/player/wasm_speed.mjs'), profModule,
    streams[1].file, String(seconds)]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  profiles[name] = profileTop(path.join(dir, file), 25);
}
const profile = profiles.livewasm_player ?? [];

// Sizes.
const sizes = [];
for (const [dir, label] of [['wasm', '-O3'], ['wasm-oz', '-Oz']]) {
  for (const f of ['livewasm_player.wasm', 'livewasm_player_simd.wasm', 'livewasm_player.mjs']) {
    const p = path.join(B(dir), f);
    if (!existsSync(p)) continue;
    const bytes = readFileSync(p);
    sizes.push({ file: f, link: label, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
}

writeFileSync(path.join(out, 'results.json'), JSON.stringify({ date: new Date().toISOString(), seconds, rows, digests, profile, profiles, sizes }, null, 1));

const fmt = (n) => n.toLocaleString('en-US');
console.log('\n| decoder | 720p fps | 1080p fps |\n|---|---|---|');
for (const name of [...new Set(rows.map((r) => r.decoder))]) {
  const cell = (st) => rows.find((r) => r.decoder === name && r.stream === st)?.fps ?? '-';
  console.log(`| ${name} | ${cell('720p')} | ${cell('1080p')} |`);
}
if (digests.length) {
  console.log('\nDecoded pictures (SHA-256 over every plane, output order):\n\n| stream | decoder | sha256 | same as Debian ffmpeg |\n|---|---|---|---|');
  for (const d of digests) console.log(`| ${d.stream} | ${d.decoder} | ${d.sha256.slice(0, 16)} | ${d.same ? 'yes' : '**NO**'} |`);
}
for (const [name, top] of Object.entries(profiles)) {
  console.log(`\nwasm profile of ${name}, 1080p (self time):\n\n| function | % |\n|---|---|`);
  for (const p of top) console.log(`| \`${p.name}\` | ${p.percent} |`);
}
console.log('\n| file | link | raw | gzip -9 |\n|---|---|---|---|');
for (const s of sizes) console.log(`| ${s.file} | ${s.link} | ${fmt(s.raw)} B | ${fmt(s.gzip)} B |`);
