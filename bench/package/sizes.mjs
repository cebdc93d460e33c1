// What the package weighs and what a page downloads, raw, gzip (zlib's default level 6, what web
// servers usually send) and Brotli (quality 11, what a server sends of files compressed ahead of time;
// quality 5, about what one compressing on the fly uses): each dist/wasm file, then per page (a player page, a pusher page) the JS and the
// wasm it loads in a browser with wasm SIMD (Chromium; the baseline module where SIMD is missing is the
// same size within a few %):
//   - unbundled: the import graphs as the browser fetches them from node_modules/livewasm (main thread
//     from js-api/index.js, which registers both elements; the side's worker; its worklet; its module);
//   - with --vite: `vite build` of a player-only ('livewasm/player') and a pusher-only ('livewasm/pusher')
//     app made from `npm pack` (offline install, vite from npm's cache or the repo's), all of dist/assets.
// The player's HEVC module (livewasm_player_hevc, loaded besides the player's only for an HEVC stream
// decoded in wasm) and its other on-demand decoder modules (livewasm_player_mp3, _av1, _vp9, _flac_ac3, likewise)
// are rows of their own, outside the totals.
//
//   node bench/package/sizes.mjs [--vite] [--json] [--dir <folder with the dist/wasm files>]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = new Set(process.argv.slice(2));
// --dir: the modules of another build (e.g. build/<dir>/wasm/bindings) instead of dist/wasm (the Vite
// figures always pack the repo, so dist/wasm).
const dirArg = process.argv.indexOf('--dir');
const wasmDir = dirArg > 0 ? path.resolve(process.argv[dirArg + 1]) : path.join(ROOT, 'dist/wasm');

const brotli = (data, quality) => brotliCompressSync(data, { params: {
  [zlibConstants.BROTLI_PARAM_QUALITY]: quality, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } }).length;
const KINDS = ['raw', 'gzip', 'br11', 'br5'];
const sizeOf = (file) => {
  const data = readFileSync(file);
  return { raw: data.length, gzip: gzipSync(data).length, br11: brotli(data, 11), br5: brotli(data, 5) };
};
const sum = (list) => list.reduce((a, s) => Object.fromEntries(KINDS.map((k) => [k, a[k] + s[k]])),
  Object.fromEntries(KINDS.map((k) => [k, 0])));
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const row = (name, s) => `| ${name} | ${KINDS.map((k) => `${s[k].toLocaleString('en')} (${kb(s[k])})`).join(' | ')} |`;

// The files a module pulls in: static imports and re-exports (relative), JSON included.
function importGraph(entry) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.js')) return;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) {
      walk(path.resolve(path.dirname(file), m[1] ?? m[2]));
    }
  };
  walk(path.join(ROOT, entry));
  return [...seen];
}

function unbundled() {
  const page = importGraph('js-api/index.js');
  const sides = {
    player: { worker: importGraph('worker/player_worker.js'), worklet: 'web/pcm_playback_worklet.js', module: 'livewasm_player_simd', extra: 'livewasm_player_hevc_simd', mp3: 'livewasm_player_mp3_simd',
      onDemand: { AV1: 'livewasm_player_av1_simd', VP9: 'livewasm_player_vp9_simd', 'FLAC/AC-3/E-AC-3': 'livewasm_player_flac_ac3_simd' } },
    pusher: { worker: importGraph('worker/pusher_worker.js'), worklet: 'web/pcm_capture_worklet.js', module: 'livewasm_pusher_simd' },
  };
  const out = {};
  for (const [name, s] of Object.entries(sides)) {
    const parts = {
      'page JS (js-api/index.js graph)': sum(page.map(sizeOf)),
      [`worker JS (worker/${name}_worker.js graph)`]: sum(s.worker.map(sizeOf)),
      [`worklet (${s.worklet})`]: sizeOf(path.join(ROOT, s.worklet)),
      [`glue ${s.module}.mjs`]: sizeOf(path.join(wasmDir, `${s.module}.mjs`)),
      [`wasm ${s.module}.wasm`]: sizeOf(path.join(wasmDir, `${s.module}.wasm`)),
    };
    out[name] = { parts, js: sum(Object.entries(parts).filter(([k]) => !k.startsWith('wasm')).map(([, v]) => v)), total: sum(Object.values(parts)) };
    if (s.extra) out[name].hevc = sum(['mjs', 'wasm'].map((x) => sizeOf(path.join(wasmDir, `${s.extra}.${x}`))));
    if (s.mp3) out[name].mp3 = sum(['mjs', 'wasm'].map((x) => sizeOf(path.join(wasmDir, `${s.mp3}.${x}`))));
    if (s.onDemand) {
      out[name].onDemand = Object.fromEntries(Object.entries(s.onDemand).filter(([, m]) => readdirSync(wasmDir).includes(`${m}.wasm`))
        .map(([codec, m]) => [codec, { module: m, size: sum(['mjs', 'wasm'].map((x) => sizeOf(path.join(wasmDir, `${m}.${x}`)))) }]));
    }
  }
  return out;
}

function sh(cmd, argv, cwd) {
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', timeout: 180000 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

function viteBuilt() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-sizes-'));
  try {
    const tarball = path.join(tmp, JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', tmp], ROOT).stdout)[0].filename);
    const viteVersion = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/vite/package.json'), 'utf8')).version;
    const out = {};
    for (const [name, main] of Object.entries({
      player: "import { configure, defineLivePlayer } from 'livewasm/player';\nconfigure({ gateway: 'wss://example.invalid' });\ndefineLivePlayer();\n",
      pusher: "import { configure, defineLivePusher } from 'livewasm/pusher';\nconfigure({ gateway: 'wss://example.invalid' });\ndefineLivePusher();\n",
    })) {
      const dir = path.join(tmp, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
      writeFileSync(path.join(dir, 'main.js'), main);
      const pkg = (dev) => JSON.stringify({ name, private: true, type: 'module', dependencies: { livewasm: `file:${tarball}` }, ...(dev ? { devDependencies: { vite: viteVersion } } : {}) });
      writeFileSync(path.join(dir, 'package.json'), pkg(true));
      if (spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' }).status !== 0) {
        writeFileSync(path.join(dir, 'package.json'), pkg(false));
        sh('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir);
        symlinkSync(path.join(ROOT, 'node_modules/vite'), path.join(dir, 'node_modules/vite'));
      }
      sh(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir);
      const assets = path.join(dir, 'dist/assets');
      const files = readdirSync(assets).filter((f) => statSync(path.join(assets, f)).isFile()).sort();
      // What Chromium (SIMD) loads for an H.264 stream: every asset but the baseline modules and HEVC's and MP3's.
      const loaded = files.filter((f) => !/^livewasm_(player|pusher|player_hevc|player_mp3|player_av1|player_vp9|player_flac_ac3)-/.test(f) &&
        !/^livewasm_player_(hevc|mp3|av1|vp9|flac_ac3)_simd-/.test(f));
      const parts = Object.fromEntries(loaded.map((f) => [f, sizeOf(path.join(assets, f))]));
      const hevc = files.filter((f) => /^livewasm_player_hevc_simd-/.test(f));
      out[name] = { parts, js: sum(Object.entries(parts).filter(([f]) => f.endsWith('.js') || f.endsWith('.mjs')).map(([, v]) => v)),
        total: sum(Object.values(parts)), dist: sum(files.map((f) => sizeOf(path.join(assets, f)))),
        ...(hevc.length ? { hevc: sum(hevc.map((f) => sizeOf(path.join(assets, f)))) } : {}) };
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const modules = Object.fromEntries(readdirSync(wasmDir).filter((f) => /^livewasm_(player|pusher|player_hevc|player_mp3|player_av1|player_vp9|player_flac_ac3)(_simd)?\.(mjs|wasm)$/.test(f)).sort()
  .map((f) => [f, sizeOf(path.join(wasmDir, f))]));
const result = { modules, unbundled: unbundled(), vite: args.has('--vite') ? viteBuilt() : null };

if (args.has('--json')) {
  console.log(JSON.stringify(result, null, 1));
} else {
  const table = (title, entries) => [`${title}`, '', '| file | raw bytes | gzip bytes | Brotli q11 bytes | Brotli q5 bytes |',
    '|---|---|---|---|---|', ...entries.map(([k, v]) => row(k, v)), ''].join('\n');
  console.log(table('dist/wasm (the package ships these; livewasm_core is not shipped)', Object.entries(modules)));
  for (const kind of ['unbundled', 'vite']) {
    if (!result[kind]) continue;
    for (const [side, r] of Object.entries(result[kind])) {
      console.log(table(`${side} page, ${kind === 'vite' ? `vite build of a ${side}-only app (what Chromium loads)` : 'unbundled from node_modules/livewasm (Chromium, SIMD)'}`,
        [...Object.entries(r.parts), ['**JS total**', r.js], ['**total**', r.total],
          ...(r.hevc ? [['*HEVC stream in wasm only: + livewasm_player_hevc_simd (glue + wasm)*', r.hevc]] : []),
          ...(r.mp3 ? [['*MP3 stream in wasm only: + livewasm_player_mp3_simd (glue + wasm)*', r.mp3]] : []),
          ...Object.entries(r.onDemand || {}).map(([codec, o]) => [`*${codec} stream in wasm only: + ${o.module} (glue + wasm)*`, o.size])]));
    }
  }
}
