// FLV demux on the same bytes, in one process: our C++ demuxer built as wasm (the embind module's
// whole-buffer call), the FLV demuxers of npm mpegts.js and flv.js run under Node, and the native
// figure of the same C++ from lw_bench's JSON. Prints a Markdown table and the ratios wasm/native and
// ours/peer; every implementation must first prove it parsed every tag of the file.
//
//   node --no-experimental-fetch bench/wasm/flv_demux.bench.mjs --flv FILE
//        [--native-json FILE] [--module build/wasm/wasm/bindings/livewasm_core.mjs] [--samples 15]
//        [--json-out FILE]
//
// bench/run.sh runs it with everything in place. Missing pieces (no native JSON, no wasm module yet)
// are reported as such in the table rather than failing the run; a wrong tag count does fail it.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { measureInterleaved, mbPerSecond, spread, markdownTable } from './measure.mjs';
import { walkFlvTags, ffprobePackets } from './flv_reference.mjs';
import { loadPeer, demuxWhole, PEERS } from './peer_flv_demuxers.mjs';
import { readNativeResults, nativeMBps } from './native_results.mjs';
import { loadOurModule, ourFlvDemuxer } from './our_module.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    flv: { type: 'string', default: process.env.LW_BENCH_FLV },
    'native-json': { type: 'string' },
    module: { type: 'string' },
    samples: { type: 'string', default: '15' },
    'json-out': { type: 'string' },
  },
});
if (!args.flv) throw new Error('--flv FILE (or LW_BENCH_FLV) is required; bench/run.sh makes one');

const file = readFileSync(args.flv);
// One ArrayBuffer holding exactly the file (a Buffer may sit inside a larger pooled one).
const arrayBuffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
const bytes = new Uint8Array(arrayBuffer);
const samples = Number(args.samples);
const failures = [];

// ---- What the file holds ------------------------------------------------------------------------
const walk = walkFlvTags(bytes);
const probe = ffprobePackets(args.flv);
if (walk.walkedBytes !== bytes.length || walk.samples !== probe.audio + probe.video) {
  throw new Error(`reference counts disagree: walk ${JSON.stringify(walk)}, ` +
    `ffprobe ${JSON.stringify(probe)}`);
}
console.log(`input: ${args.flv}, ${bytes.length} bytes, ${walk.tags} tags (${walk.script} script, ` +
  `${walk.video} video, ${walk.audio} audio, of which ${walk.sequenceHeaders} sequence headers and ` +
  `${walk.endOfSequence} end of sequence); ` +
  `ffprobe: ${probe.video} video + ${probe.audio} audio packets`);

const rows = [];  // { name, where, mbps, fast, slow, msPerCall, checked } or { name, where, missing }
const timed = {};  // key -> { fn, row }: measured together, round-robin, after every check
const addTimed = (key, fn, row) => { timed[key] = { fn, row }; rows.push(row); return row; };

// ---- Ours: native (lw_bench) and wasm (demuxFlvCount), fed whole and in 64 KiB pieces -------------
// The same C++ both ways. The wasm call also copies the buffer into wasm memory (the bytes arrive in
// JS); the native benchmark reads the file where it lies.
const variants = [
  { chunk: 0, nativeName: 'BM_FlvDemuxWholeFile', label: 'one feed' },
  { chunk: 64 << 10, nativeName: 'BM_FlvDemuxChunked/65536', label: '64 KiB feeds' },
];
const nativeResults = args['native-json'] && existsSync(args['native-json'])
  ? readNativeResults(args['native-json']) : undefined;
const ourModule = await loadOurModule(args.module, root);
const ours = {};    // label -> row (wasm)
const native = {};  // label -> row
for (const v of variants) {
  const nativeLabel = `livewasm C++ native, ${v.label}`;
  if (!nativeResults) {
    rows.push({ name: nativeLabel, where: 'lw_bench', missing: 'no --native-json' });
  } else {
    const mbps = nativeMBps(nativeResults, v.nativeName);
    const b = nativeResults.benchmarks.get(v.nativeName);
    if (mbps === undefined) {
      rows.push({ name: nativeLabel, where: 'lw_bench', missing: b?.error_message ?? `no ${v.nativeName}` });
    } else {
      if (b.tags !== walk.tags) failures.push(`native ${v.label}: ${b.tags} tags, file has ${walk.tags}`);
      native[v.label] = { name: nativeLabel, where: 'lw_bench', mbps,
        msPerCall: bytes.length / 1e6 / mbps * 1e3, checked: `${b.tags} tags` };
      rows.push(native[v.label]);
    }
  }
  const wasmLabel = `livewasm C++ wasm, ${v.label}`;
  const demux = ourModule.error ? ourModule : ourFlvDemuxer(ourModule, v.chunk);
  if (demux.error) {
    rows.push({ name: wasmLabel, where: 'Node', missing: demux.error });
    continue;
  }
  const got = demux.run(bytes);
  if (got.tags !== walk.tags || got.bytes !== bytes.length || got.warnings || got.errors) {
    failures.push(`wasm ${v.label}: ${JSON.stringify(got)}, file has ${walk.tags} tags`);
  }
  ours[v.label] = addTimed(`wasm-${v.chunk}`, () => demux.run(bytes),
    { name: `${wasmLabel} (${demux.describe.split(',')[0]})`, where: 'Node', checked: `${got.tags} tags` });
}

// ---- Peers ----------------------------------------------------------------------------------------
const peers = {};
for (const peerName of Object.keys(PEERS)) {
  const peer = await loadPeer(peerName, path.join(root, 'build/bench/peers'));
  // Verification pass with its logger's warnings captured (they would also show on the console).
  // Its info/debug lines ("Parsed onMetaData", once per file) are not part of the work measured.
  peer.Log.ENABLE_INFO = false;
  peer.Log.ENABLE_DEBUG = false;
  peer.Log.ENABLE_VERBOSE = false;
  const warnings = [];
  peer.Log.ENABLE_CALLBACK = true;
  const listener = (level, msg) => { if (level === 'warn' || level === 'error') warnings.push(msg); };
  peer.Log.emitter.on('log', listener);
  const got = demuxWhole(peer, arrayBuffer);
  peer.Log.emitter.off('log', listener);
  peer.Log.ENABLE_CALLBACK = false;
  const ok = got.video === probe.video && got.audio === probe.audio && got.consumed === bytes.length &&
    got.errors.length === 0 && got.scripts === walk.script;
  if (!ok) failures.push(`${peerName}: ${JSON.stringify(got)} vs ffprobe ${JSON.stringify(probe)}`);
  if (warnings.length) console.log(`${peerName} warnings: ${warnings.slice(0, 5).join('; ')}`);
  peers[peerName] = addTimed(peerName, () => demuxWhole(peer, arrayBuffer), {
    name: `${peerName} ${peer.version} FLVDemuxer (JS)`, where: 'Node',
    checked: `${got.video}+${got.audio} samples, ${got.trackMetadata} configs, ${got.scripts} script` });
}

// ---- Where the wasm time goes: the copy into wasm memory ----------------------------------------
// copy_from_js (wasm/bindings/js_bytes.h) resizes a std::vector (malloc + zero fill in wasm) and
// fills it with one TypedArray.set. The set alone, into a buffer allocated once, is the lower bound
// of that copy; it is timed with the others.
let copyIn;
if (ours['one feed']) {
  const target = new Uint8Array(bytes.length);
  copyIn = addTimed('copy', () => target.set(bytes), { name: 'copy-in lower bound', where: 'Node' });
  rows.pop();  // reported as a ratio, not as a demuxer
}

// ---- Measure everything on the Node side together ------------------------------------------------
const results = measureInterleaved(Object.fromEntries(Object.entries(timed).map(([k, t]) => [k, t.fn])),
  { samples });
for (const [key, r] of Object.entries(results)) {
  const s = spread(bytes.length, r.samples);
  Object.assign(timed[key].row, { mbps: mbPerSecond(bytes.length, r.msPerCall), fast: s.fast, slow: s.slow,
    msPerCall: r.msPerCall });
}

// ---- Report --------------------------------------------------------------------------------------
const fmt = (x, d = 0) => (x === undefined ? 'n/a' : x.toFixed(d));
const table = markdownTable(
  ['implementation', 'runs in', 'MB/s (median)', 'range of samples', 'ms per file', 'checked'],
  rows.map((r) => r.missing
    ? [r.name, r.where, 'pending', '', '', r.missing.length > 60 ? `${r.missing.slice(0, 57)}...` : r.missing]
    : [r.name, r.where, fmt(r.mbps), r.fast ? `${fmt(r.slow)}-${fmt(r.fast)}` : 'lw_bench median',
       fmt(r.msPerCall, 2), r.checked]));
const ratios = [];
const ratio = (label, a, b) => { if (a && b) ratios.push([label, (a.mbps / b.mbps).toFixed(2)]); };
for (const v of variants) ratio(`wasm / native, ${v.label}`, ours[v.label], native[v.label]);
for (const [name, peer] of Object.entries(peers)) {
  ratio(`ours wasm (one feed) / ${name}`, ours['one feed'], peer);
  ratio(`ours native (one feed) / ${name}`, native['one feed'], peer);
}
if (copyIn) {
  ratios.push(['TypedArray.set of the file (lower bound of the copy into wasm memory) / wasm one-feed time',
    `${(100 * copyIn.msPerCall / ours['one feed'].msPerCall).toFixed(0)} % ` +
    `(${copyIn.msPerCall.toFixed(2)} ms)`]);
}
console.log(`\nFLV demux, ${(bytes.length / 1e6).toFixed(2)} MB file, median of ${samples} samples ` +
  `taken round-robin (MB = 10^6 bytes)\n\n${table}\n`);
if (ratios.length) console.log(markdownTable(['ratio', 'value'], ratios) + '\n');
for (const why of new Set(rows.filter((r) => r.missing?.length > 60).map((r) => r.missing))) {
  console.log(`pending: ${why}`);
}
if (args['json-out']) {
  writeFileSync(args['json-out'], JSON.stringify({ file: args.flv, bytes: bytes.length, walk, probe, rows,
    ratios: Object.fromEntries(ratios), node: process.version }, null, 2));
}
if (failures.length) {
  console.error(`FAILED checks:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
