// The npm package as a user meets it: `npm pack` of the repo, installed from the tarball (no network) into
//   - a fresh Vite 7 app (vite from npm, no vite.config) whose main.js imports 'livewasm', calls
//     configure({gateway}) and adds a <live-player src="rtmp://...">: `vite build`, the built dist/ served
//     as static files, and a real stream played in headless Chromium from it;
//   - a plain page, no bundler: <script type="module"> importing ./node_modules/livewasm/js-api/index.js;
//   - the same app under `vite` (dev), with the one line of configuration dev mode needs;
//   - a fresh webpack 5 app with webpack's defaults (production mode, ./src/index.js -> dist/): it hashes
//     every asset's name, so its stats map the names back for the download checks;
//   - a player-only and a pusher-only Vite app ('livewasm/player', 'livewasm/pusher'), whose builds must
//     hold only their own side's worker and wasm.
// For the two played pages: the state codes 2001, 2002, 2004 come in that order, the frame numbers read
// from the player's canvas advance (picture_probe.mjs), nothing the page asks for is missing, and the page
// downloads the player's wasm and never the pusher's (nor livewasm_core, which is not in the package), nor,
// for this H.264 stream, the HEVC module.
//
//   node --test tests/package/        (needs dist/wasm: scripts/build.sh wasm; the gateway: scripts/build.sh native)
//
// Vite and webpack come from npm's cache (`npm install --offline`, the version of the repo's devDependency);
// where the cache does not have it the app uses the repo's node_modules copy instead, and the log says so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { ROOT } from '../interop/lib/tools.mjs';
import { freePort, startNginxRtmp } from '../interop/lib/nginx.mjs';
import { startGateway, GATEWAY, until, waitPublished } from '../interop/lib/gateway.mjs';
import { launchBrowser } from '../browser/lib/browser.mjs';
import { startStaticServer } from '../browser/lib/static_server.mjs';
import { PROBE_SOURCE, orderReport } from '../browser/lib/picture_probe.mjs';
import { publishBarcode, WRAP } from '../browser/lib/publishers.mjs';

// livewasm_player_hevc: FFmpeg's HEVC decoder alone (decoder bindings, no session), which the player
// worker loads only for an HEVC stream it decodes in wasm; livewasm_player_mp3 likewise for MP3,
// livewasm_player_av1 (dav1d) for AV1, livewasm_player_vp9 for VP9, livewasm_player_flac_ac3 for FLAC, AC-3, E-AC-3.
const MODULES = ['livewasm_pusher', 'livewasm_player', 'livewasm_player_hevc', 'livewasm_player_mp3', 'livewasm_player_av1',
  'livewasm_player_vp9', 'livewasm_player_flac_ac3'];
const HEVC_MODULE = /livewasm_player_hevc/;
// livewasm_player_mt: the video decoders' threads build (FFmpeg's H.264 and HEVC, frame threads) for cross-origin isolated
// pages, with Emscripten's pthread worker; livewasm_pusher_mt: the pusher's (OpenH264's slice threads).
const MT_MODULES = ['livewasm_player_mt', 'livewasm_pusher_mt'];
const WASM_FILES = [...MODULES.flatMap((m) => [`${m}.mjs`, `${m}.wasm`, `${m}_simd.mjs`, `${m}_simd.wasm`]),
  ...MT_MODULES.flatMap((m) => [`${m}.mjs`, `${m}.wasm`, `${m}.worker.js`])];
// What a user needs and nothing else (package.json "files", plus what npm always adds).
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^THIRD_PARTY_NOTICES\.md$/, /^js-api\/[a-z0-9_]+\.js$/, /^web\/[a-z0-9_]+\.js$/,
  /^worker\/[a-z0-9_]+\.js$/, /^types\/[a-z0-9_]+\.d\.ts$/, /^gateway\/protocol\.json$/,
  ...WASM_FILES.map((f) => new RegExp(`^dist/wasm/${f.replaceAll('.', '\\.')}$`))];
const versionOf = (pkg) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const VITE_VERSION = versionOf('vite');
const WEBPACK_VERSION = versionOf('webpack');
const WATCH_MS = 3000;
const FPS = 25;

function missingBuild() {
  const wasm = WASM_FILES.filter((f) => !existsSync(path.join(ROOT, 'dist/wasm', f))).map((f) => `dist/wasm/${f}`);
  if (wasm.length) return `the package needs the wasm modules, run scripts/build.sh wasm (missing: ${wasm.join(', ')})`;
  if (!existsSync(GATEWAY)) return `the gateway is not built, run scripts/build.sh native (missing: ${path.relative(ROOT, GATEWAY)})`;
  return null;
}

function sh(cmd, args, cwd, { allowFail = false } = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

const write = (dir, files) => {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
};

// The page script both played pages share: a <live-player> with the src and gateway of the query string,
// its events kept in window.lwEvents (the built app has no ports baked in).
const PLAYER_PAGE_SCRIPT = (importLine) => `${importLine}
const q = new URLSearchParams(location.search);
configure({ gateway: q.get('gateway'), ...(q.get('wasmBase') ? { wasmBase: q.get('wasmBase') } : {}) });
window.lwEvents = [];
const player = document.createElement('live-player');
player.id = 'player';
player.setAttribute('src', q.get('src'));
player.setAttribute('mode', 'RTC');
player.setAttribute('autoplay', '');
for (const type of ['statechange', 'error']) {
  player.addEventListener(type, (e) => {
    window.lwEvents.push({ type, detail: JSON.parse(JSON.stringify(e.detail)) });
    console.log(type + ' ' + JSON.stringify(e.detail));
  });
}
document.body.appendChild(player);
`;
const HTML = (script) => `<!doctype html>
<html><head><meta charset="utf-8"><title>livewasm package test</title>
<style>live-player { display: block; width: 320px; height: 240px; }</style></head>
<body>
${script}
</body></html>
`;

// An app with one bundler (`tool`: 'vite' or 'webpack'): the bundler from npm's cache when it is there (a
// fresh project), else linked from the repo.
function createApp(dir, tarball, files, tool = 'vite') {
  const version = { vite: VITE_VERSION, webpack: WEBPACK_VERSION }[tool];
  const manifest = (dev) => JSON.stringify({ name: path.basename(dir), private: true, ...(tool === 'vite' ? { type: 'module' } : {}),
    dependencies: { livewasm: `file:${tarball}` }, ...(dev ? { devDependencies: { [tool]: version } } : {}) }, null, 2);
  write(dir, { 'package.json': manifest(true), ...files });
  const r = sh('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir, { allowFail: true });
  if (r.status === 0) return `${tool} from the npm cache`;
  write(dir, { 'package.json': manifest(false) });
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir);
  symlinkSync(path.join(ROOT, 'node_modules', tool), path.join(dir, 'node_modules', tool));
  return `${tool} linked from the repo (npm install --offline could not install ${tool}@${version}: ${r.stderr.trim().split('\n').at(-1)})`;
}
const createViteApp = (dir, tarball, files) => createApp(dir, tarball, files, 'vite');

// webpack with its defaults (the config a user gets without writing one: production, ./src/index.js,
// dist/main.js). Returns the emitted asset names mapped to the files they came from.
const WEBPACK_BUILD = `const webpack = require('webpack');
const fs = require('fs');
webpack({ mode: 'production' }, (err, stats) => {
  if (err || stats.hasErrors()) { console.error(err || stats.toString('errors-only')); process.exit(1); }
  const names = {};
  for (const a of stats.toJson({ all: false, assets: true }).assets) names[a.name] = a.info.sourceFilename || a.name;
  fs.writeFileSync('dist/asset-names.json', JSON.stringify(names, null, 1));
});
`;
function webpackBuild(dir) {
  write(path.join(dir, 'dist'), { 'index.html': HTML('<script src="main.js"></script>') });
  sh(process.execPath, ['build.cjs'], dir);
  return JSON.parse(readFileSync(path.join(dir, 'dist/asset-names.json'), 'utf8'));
}

function viteBuild(dir) {
  sh(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir);
  return readdirSync(path.join(dir, 'dist/assets')).sort();
}

const missing = missingBuild();

describe('the npm package', () => {
  let tmp;
  let tarball;
  let packed;
  let apps;
  before(() => {
    if (missing) throw new Error(missing);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-package-'));
    const r = sh('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
    packed = JSON.parse(r.stdout)[0];
    tarball = path.join(tmp, packed.filename);

    apps = {};
    const vite = createViteApp(path.join(tmp, 'vite-app'), tarball, {
      'index.html': HTML('<script type="module" src="./main.js"></script>'),
      'main.js': PLAYER_PAGE_SCRIPT("import { configure } from 'livewasm';"),
    });
    console.log(`vite-app: ${vite}`);
    apps.vite = { dir: path.join(tmp, 'vite-app'), assets: viteBuild(path.join(tmp, 'vite-app')) };

    const webpackDir = path.join(tmp, 'webpack-app');
    mkdirSync(path.join(webpackDir, 'src'), { recursive: true });
    write(path.join(webpackDir, 'src'), { 'index.js': PLAYER_PAGE_SCRIPT("import { configure } from 'livewasm';") });
    console.log(`webpack-app: ${createApp(webpackDir, tarball, { 'build.cjs': WEBPACK_BUILD }, 'webpack')}`);
    apps.webpack = { dir: webpackDir, names: webpackBuild(webpackDir) };

    createViteApp(path.join(tmp, 'player-app'), tarball, {
      'index.html': HTML('<script type="module" src="./main.js"></script>'),
      'main.js': PLAYER_PAGE_SCRIPT("import { configure, defineLivePlayer } from 'livewasm/player';\ndefineLivePlayer();"),
    });
    apps.player = { assets: viteBuild(path.join(tmp, 'player-app')) };
    createViteApp(path.join(tmp, 'pusher-app'), tarball, {
      'index.html': HTML('<live-pusher url="rtmp://127.0.0.1/live/x"></live-pusher><script type="module" src="./main.js"></script>'),
      'main.js': "import { configure, defineLivePusher } from 'livewasm/pusher';\nconfigure({ gateway: 'ws://127.0.0.1:1' });\ndefineLivePusher();\n",
    });
    apps.pusher = { assets: viteBuild(path.join(tmp, 'pusher-app')) };

    const plain = path.join(tmp, 'plain-page');
    write(plain, {
      'package.json': JSON.stringify({ name: 'plain-page', private: true, dependencies: { livewasm: `file:${tarball}` } }, null, 2),
      'index.html': HTML(`<script type="module">\n${PLAYER_PAGE_SCRIPT("import { configure } from './node_modules/livewasm/js-api/index.js';")}</script>`),
    });
    sh('npm', ['install', '--offline', '--no-audit', '--no-fund'], plain);
    apps.plain = { dir: plain };
  });
  after(() => {
    if (tmp && !process.env.LW_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.log(`kept ${tmp}`);
  });

  test('npm pack ships only what a user needs: the API, elements, workers, worklets, types and the two modules', () => {
    const files = packed.files.map((f) => f.path).sort();
    console.log(`${packed.filename}: ${files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
    assert.deepEqual(files.filter((f) => !ALLOWED.some((re) => re.test(f))), [], 'nothing outside the allowed set');
    for (const f of ['package.json', 'README.md', 'THIRD_PARTY_NOTICES.md', 'js-api/index.js', 'js-api/headless.js',
      'js-api/player.js', 'js-api/pusher.js', 'types/index.d.ts', 'types/headless.d.ts', 'types/player.d.ts', 'types/pusher.d.ts',
      'web/pcm_capture_worklet.js', 'web/pcm_playback_worklet.js', 'worker/pusher_worker.js', 'worker/player_worker.js',
      'gateway/protocol.json', ...WASM_FILES.map((w) => `dist/wasm/${w}`)]) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    // Every relative import of the shipped JS resolves inside the tarball.
    for (const f of files.filter((p) => p.endsWith('.js'))) {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]));
        assert.ok(files.includes(target), `${f} imports ${m[1]}, which is in the tarball`);
      }
    }
  });

  test('the worklets are self-contained (no imports: AudioWorklet modules are copied as they are)', () => {
    for (const f of ['web/pcm_capture_worklet.js', 'web/pcm_playback_worklet.js']) {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      assert.doesNotMatch(text, /^\s*(import|export)\b|\bimport\s*\(/m, `${f} has no import or export`);
    }
  });

  // Each side's module holds what its worker calls and nothing of the other side (the pusher's has none of
  // FFmpeg's decoders either, the player's no encoder and no HEVC: wasm/bindings/codec_registry.cc and the
  // modules' *_codecs.cc lists), and the pusher's still finds its encoders.
  test('the pusher module encodes (AAC through FFmpeg, Opus) and has no decoder; the player module has no encoder, HEVC is in its own', async () => {
    for (const simd of ['', '_simd']) {
      const { default: createPusher } = await import(pathToFileURL(path.join(ROOT, `dist/wasm/livewasm_pusher${simd}.mjs`)).href);
      const pusher = await createPusher();
      assert.deepEqual(['WasmVideoDecoder', 'WasmAudioDecoder', 'FlvDemuxer', 'PlaySession', 'h264RoundTrip'].filter((k) => k in pusher), [],
        `livewasm_pusher${simd} has none of the player's or the tests' bindings`);
      for (const [audioCodec, name] of [['aac', /aac/], ['opus', /opus/]]) {
        const engine = new pusher.PusherEngine();
        const opened = engine.open({ mode: 'RTC', video: true, audio: true, audioCodec, sampleRate: 48000, channels: 1 });
        assert.deepEqual(opened, { ok: true }, `livewasm_pusher${simd} opens ${audioCodec}`);
        assert.match(engine.audioEncoderName(), name);
        engine.audioBuffer(480).fill(0.25);
        assert.deepEqual(engine.pushAudio(480, 0), { ok: true }, `livewasm_pusher${simd} encodes ${audioCodec}`);
        engine.delete();
      }
      // FFmpeg's decoders name their sources in their assertion texts: present in the player's, absent here.
      const sources = (file, re) => [...new Set(readFileSync(path.join(ROOT, 'dist/wasm', file)).toString('latin1').match(re) ?? [])];
      const decoderSources = (file) => sources(file, /src\/libavcodec\/(h264dec|hevcdec|aacdec[a-z_]*|opus[a-z_]*dec)\.c/g);
      assert.deepEqual(decoderSources(`livewasm_pusher${simd}.wasm`), [], `livewasm_pusher${simd}.wasm links no FFmpeg decoder`);
      assert.ok(decoderSources(`livewasm_player${simd}.wasm`).includes('src/libavcodec/h264dec.c'), `the check sees the player's H.264 decoder`);
      assert.deepEqual(decoderSources(`livewasm_player_hevc${simd}.wasm`), ['src/libavcodec/hevcdec.c'], `livewasm_player_hevc${simd}.wasm links the HEVC decoder alone`);
      assert.ok(sources(`livewasm_pusher${simd}.wasm`, /src\/libavcodec\/aacenc\.c/g).length === 1, 'the check sees the pusher\'s AAC encoder');
      for (const m of [`livewasm_player${simd}`, `livewasm_player_hevc${simd}`]) {
        assert.deepEqual(sources(`${m}.wasm`, /src\/libavcodec\/(aacenc|encode)\.c/g), [], `${m}.wasm links no FFmpeg encoder`);
      }
      assert.deepEqual(sources(`livewasm_player${simd}.wasm`, /src\/libavcodec\/hevc[a-z_]*\.c/g), [], `livewasm_player${simd}.wasm links no HEVC decoder`);
      const { default: createPlayer } = await import(pathToFileURL(path.join(ROOT, `dist/wasm/livewasm_player${simd}.mjs`)).href);
      const player = await createPlayer();
      assert.ok('PlaySession' in player && !('PusherEngine' in player), `livewasm_player${simd} plays and does not push`);
      assert.deepEqual(player.decoderInfo().decoders, ['h264', 'aac', 'opus'], `livewasm_player${simd}: H.264, AAC, Opus`);
      const { default: createHevc } = await import(pathToFileURL(path.join(ROOT, `dist/wasm/livewasm_player_hevc${simd}.mjs`)).href);
      const hevc = await createHevc();
      assert.ok('WasmVideoDecoder' in hevc && !('PlaySession' in hevc) && !('PusherEngine' in hevc), `livewasm_player_hevc${simd} only decodes`);
      assert.deepEqual(hevc.decoderInfo().decoders, ['hevc'], `livewasm_player_hevc${simd}: HEVC`);
    }
  });

  test('a player-only Vite build holds no pusher wasm, a pusher-only one no player wasm', () => {
    const has = (assets, name) => assets.some((a) => a.startsWith(`${name}-`) || a.startsWith(`${name}_simd-`));
    console.log(`player-app assets: ${apps.player.assets.join(' ')}\npusher-app assets: ${apps.pusher.assets.join(' ')}`);
    assert.ok(has(apps.player.assets, 'livewasm_player'), 'the player app has the player wasm');
    assert.ok(has(apps.player.assets, 'livewasm_player_hevc'), 'the player app has the HEVC module (loaded for HEVC streams only)');
    // The threads build's three files, the 3 KB pthread worker as a file of its own (not a data: URL).
    for (const f of ['livewasm_player_mt-', 'livewasm_player_mt.worker-']) {
      assert.ok(apps.player.assets.some((a) => a.startsWith(f)), `the player app has ${f}*: ${apps.player.assets.join(' ')}`);
    }
    assert.ok(!has(apps.player.assets, 'livewasm_pusher'), 'the player app has no pusher wasm');
    assert.ok(!apps.player.assets.some((a) => a.startsWith('pusher_worker')), 'the player app has no pusher worker');
    assert.ok(has(apps.pusher.assets, 'livewasm_pusher'), 'the pusher app has the pusher wasm');
    for (const f of ['livewasm_pusher_mt-', 'livewasm_pusher_mt.worker-']) {
      assert.ok(apps.pusher.assets.some((a) => a.startsWith(f)), `the pusher app has ${f}*: ${apps.pusher.assets.join(' ')}`);
    }
    assert.ok(!has(apps.pusher.assets, 'livewasm_player'), 'the pusher app has no player wasm');
    assert.ok(!apps.pusher.assets.some((a) => a.startsWith('player_worker')), 'the pusher app has no player worker');
    for (const assets of [apps.vite.assets, apps.player.assets, apps.pusher.assets]) {
      assert.ok(!assets.some((a) => a.startsWith('livewasm_core')), 'no livewasm_core anywhere');
    }
  });

  describe('plays a stream from the installed package', () => {
    let nginx;
    let gw;
    let pub;
    let browser;
    before(async () => {
      if (missing) throw new Error(missing);
      nginx = await startNginxRtmp();
      gw = await startGateway({ upstreams: [`127.0.0.1:${nginx.port}`] });
      pub = await publishBarcode(nginx.url('pkg'), { video: { fps: FPS } });
      await waitPublished(nginx, 'pkg');
      browser = await launchBrowser();
    });
    after(async () => {
      if (browser) console.log(`browser log (last lines):\n${browser.logText().split('\n').slice(-30).join('\n')}`);
      await browser?.close();
      await pub?.stop();
      await gw?.stop({ signal: 'SIGKILL' });
      await nginx?.stop({ kill: true });
    });

    // Opens the page at `origin` (a static server of `root`, or a running server's URL) and watches it play.
    async function playFrom(root, { origin = null, query: extra = {} } = {}) {
      const srv = origin ? null : await startStaticServer({ root });
      const page = await browser.newPage();
      try {
        const query = new URLSearchParams({ src: nginx.url('pkg'), gateway: `ws://127.0.0.1:${gw.port}`, ...extra });
        await page.goto(origin ? `${origin}/index.html?${query}` : srv.url(`/index.html?${query}`));
        const codes = async () => (await page.evaluate(() => window.lwEvents ?? [])).filter((e) => e.type === 'statechange').map((e) => e.detail.code);
        await until(async () => (await codes()).includes(2004), { timeoutMs: 45000, what: 'statechange 2004' })
          .catch(async (e) => { throw new Error(`${e.message}; codes ${JSON.stringify(await codes())}\n${browser.logText().split('\n').slice(-30).join('\n')}`); });
        await page.addScriptTag({ content: PROBE_SOURCE });
        const probe = await page.evaluate(() => window.lwProbe.watchPicture(document.getElementById('player').videoSurface,
          { srcWidth: 320, srcHeight: 240, fit: 'contain' }));
        await new Promise((r) => setTimeout(r, WATCH_MS));
        const picture = await page.evaluate((id) => window.lwProbe.read(id), probe);
        const errors = (await page.evaluate(() => window.lwEvents)).filter((e) => e.type === 'error');
        // The sound worklet loaded (a failed addModule leaves the player silent, not failed).
        const sound = await page.evaluate(() => !!document.getElementById('player').player?.audioNode);
        return { codes: await codes(), order: orderReport(picture.frames, { wrap: WRAP }), picture, errors, sound, requests: srv ? [...srv.requests] : null };
      } finally {
        await page.close().catch(() => {});
        await srv?.close();
      }
    }

    // `names`: a bundler's hashed asset names -> the files they came from (webpack), for the download checks.
    function judge(what, r, { wasmFrom = null, names = null } = {}) {
      const asked = (r.requests ?? []).map((q) => (names?.[q.path.slice(1)] ? `/${names[q.path.slice(1)]}` : q.path));
      console.log(`${what}: codes ${JSON.stringify(r.codes)}; frames ${r.order.count} (${r.order.first}..${r.order.last}), ` +
        `backwards ${r.order.backwards.length}; sound ${r.sound}; requests ${r.requests ? asked.join(' ') : '(not seen)'}`);
      const at = [2001, 2002, 2004].map((c) => r.codes.indexOf(c));
      assert.ok(at.every((i) => i >= 0) && at[0] < at[1] && at[1] < at[2], `2001, 2002, 2004 in order: ${JSON.stringify(r.codes)}`);
      assert.deepEqual(r.errors, [], 'no error event');
      assert.ok(r.order.count >= 0.4 * WATCH_MS * FPS / 1000, `the picture shows advancing frame numbers: ${r.order.count} in ${WATCH_MS} ms`);
      assert.deepEqual(r.order.backwards, [], 'frame numbers never go backwards');
      assert.ok(r.sound, 'the sound worklet loaded (player.audioNode)');
      if (!r.requests) return;
      assert.deepEqual(r.requests.filter((q) => q.status >= 400).map((q) => `${q.path} ${q.status}`), [], 'nothing the page asked for is missing');
      assert.ok(asked.some((p) => /livewasm_player(_simd)?[-.][^/]*wasm$/.test(p)), 'the page downloaded the player wasm');
      if (wasmFrom) assert.ok(asked.every((p) => !/\.wasm$/.test(p) || p.startsWith(wasmFrom)), `every wasm came from ${wasmFrom}`);
      assert.deepEqual(asked.filter((p) => /livewasm_(pusher|core)/.test(p)), [], 'the page downloaded no pusher (or core) module');
      assert.deepEqual(asked.filter((p) => HEVC_MODULE.test(p)), [], 'an H.264 stream downloaded no HEVC module');
    }

    test('a fresh Vite app: vite build, then the built dist/ plays rtmp:// through the gateway', async () => {
      judge('vite-app', await playFrom(path.join(apps.vite.dir, 'dist')));
    });

    test('a fresh webpack 5 app with webpack\'s defaults: the built dist/ plays rtmp:// through the gateway', async () => {
      judge('webpack-app', await playFrom(path.join(apps.webpack.dir, 'dist')), { names: apps.webpack.names });
    });

    test('configure({wasmBase}) still points the player at wasm hosted elsewhere (relative to the page)', async () => {
      const dist = path.join(apps.vite.dir, 'dist');
      const hosted = path.join(dist, 'hosted');
      mkdirSync(hosted, { recursive: true });
      for (const f of WASM_FILES) copyFileSync(path.join(apps.vite.dir, 'node_modules/livewasm/dist/wasm', f), path.join(hosted, f));
      judge('vite-app, wasmBase hosted/', await playFrom(dist, { query: { wasmBase: 'hosted/' } }), { wasmFrom: '/hosted/' });
    });

    test('a plain <script type="module"> page importing ./node_modules/livewasm/js-api/index.js plays it too', async () => {
      judge('plain-page', await playFrom(apps.plain.dir));
    });

    // `vite` (dev) pre-bundles dependencies with esbuild into node_modules/.vite/deps/, which moves the
    // modules away from the workers and wasm their `new URL(…, import.meta.url)` name: the worker 404s.
    // The least a user adds is `optimizeDeps: { exclude: ['livewasm'] }`; this pins that it is enough.
    test('vite dev plays with one line of configuration: optimizeDeps.exclude livewasm', async () => {
      const dir = apps.vite.dir;
      writeFileSync(path.join(dir, 'vite.config.js'), "export default { optimizeDeps: { exclude: ['livewasm'] } };\n");
      const port = await freePort();
      const dev = spawn(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      dev.stdout.on('data', (d) => (out += d));
      dev.stderr.on('data', (d) => (out += d));
      try {
        // Vite colours its banner when the environment asks for colour (FORCE_COLOR, as some CI
        // runners set), which splits `127.0.0.1:` from the port with escapes: read it without them.
        await until(() => stripVTControlCharacters(out).includes(`127.0.0.1:${port}`), { timeoutMs: 60000, what: 'the vite dev server' })
          .catch((e) => { throw new Error(`${e.message}:\n${out}`); });
        judge('vite dev', await playFrom(null, { origin: `http://127.0.0.1:${port}` }));
      } finally {
        const exited = new Promise((resolve) => (dev.exitCode !== null ? resolve() : dev.once('exit', resolve)));
        dev.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (dev.exitCode === null && dev.signalCode === null) dev.kill('SIGKILL');
        rmSync(path.join(dir, 'vite.config.js'), { force: true });
      }
    });
  });
});
