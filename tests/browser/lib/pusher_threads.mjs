// Pushing with the wasm encoder (video-encoder="wasm") from a fresh page, cross-origin isolated or not, and what
// the page asked for of the pusher module's builds (tests/browser/pusher_threads.test.mjs in Chromium,
// tests/engines/pusher_threads.test.mjs in Firefox and WebKitGTK): the threads build livewasm_pusher_mt
// encodes one slice per thread (OpenH264's slice threads), so the slices per frame of the stream ffmpeg
// pulls back from nginx say how many threads encoded it.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPushEnv, pusherMissing, sleep } from './pusher_env.mjs';
import { analyzeMedia, probeStreams, readPackets, recordLive, sequenceReport } from './stream_reader.mjs';
import { ROOT, countCodedSlices } from '../../interop/lib/tools.mjs';

const WASM_DIR = path.join(ROOT, 'dist/wasm');
const MT_FILES = ['livewasm_pusher_mt.mjs', 'livewasm_pusher_mt.wasm', 'livewasm_pusher_mt.worker.js'];
export const pusherThreadsMissing = () => pusherMissing() ??
  (MT_FILES.every((f) => existsSync(path.join(WASM_DIR, f))) ? null : 'dist/wasm/livewasm_pusher_mt.* is not built (scripts/build.sh wasm)');
export const PUSHER_VARIANT = { mt: /livewasm_pusher_mt\.(mjs|wasm|worker\.js)$/, simd: /livewasm_pusher_simd\.(mjs|wasm)$/, baseline: /livewasm_pusher\.(mjs|wasm)$/ };
export const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const RECORD_S = 5;

// A wasmBase folder under the served root: the shipped pusher modules, with the threads build's pthread
// worker replaced by one that throws as it starts.
export function brokenWorkerBase() {
  const dir = path.join(ROOT, 'build/browser-fixtures/pusher-mt-broken-worker');
  mkdirSync(dir, { recursive: true });
  for (const stem of ['livewasm_pusher', 'livewasm_pusher_simd', 'livewasm_pusher_mt']) {
    for (const ext of ['.mjs', '.wasm']) copyFileSync(path.join(WASM_DIR, stem + ext), path.join(dir, stem + ext));
  }
  writeFileSync(path.join(dir, 'livewasm_pusher_mt.worker.js'), "throw new Error('this pthread worker does not start (test)');\n");
  return '/' + path.relative(ROOT, dir).split(path.sep).join('/') + '/';
}

// Coded slices (NAL types 1 and 5) per video packet of an FLV file: ffmpeg writes the H.264 as Annex B.
function slicesPerFrame(file, frames) {
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', '-'],
      { encoding: 'buffer', maxBuffer: 256 << 20, timeout: 60000 }, (err, out) => {
        if (err) return reject(err);
        resolve(frames ? countCodedSlices(out) / frames : 0);
      });
  });
}

/**
 * Pushes RTC (360p) with the wasm encoder pinned (or `videoEncoder`) on a fresh page; records RECORD_S s from nginx.
 * @param {{isolated: boolean, wasmBase?: string, engine?: string, videoEncoder?: 'wasm'|'webcodecs'}} o
 */
export async function pushInWasm({ isolated, wasmBase = '', engine, videoEncoder = 'wasm' } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-pusher-threads-'));
  const env = await startPushEnv({ headers: isolated ? ISOLATED : {}, ...(engine ? { engine } : {}) });
  try {
    const page = await env.page.evaluate(() => ({ coi: self.crossOriginIsolated, sab: typeof SharedArrayBuffer === 'function', cores: navigator.hardwareConcurrency }));
    if (wasmBase) await env.page.evaluate((wasmBase) => window.livewasm.configure({ wasmBase }), wasmBase);
    const p = await env.addPusher({ url: env.nginx.url('threads'), mode: 'RTC', 'min-bitrate': 300, 'max-bitrate': 600, 'video-encoder': videoEncoder });
    await p.waitCode(1002, { timeoutMs: 30000 });
    await sleep(1500);
    const file = path.join(dir, 'threads.flv');
    const rec = recordLive(env.nginx.url('threads'), file, { seconds: RECORD_S });
    const exit = await rec.done;
    if (exit.code !== 0) throw new Error(`ffmpeg pulled the push: ${JSON.stringify(exit)} ${rec.ffmpeg.stderr}`);
    const net = (await p.events('netstatus')).at(-1)?.detail?.info ?? {};
    const codes = await p.codes();
    const errors = (await p.events('error')).map((e) => e.detail);
    const encoder = await env.page.evaluate((id) => document.getElementById(id).pusher?.encoders?.videoEncoder, p.id).catch(() => undefined);
    await p.remove();
    const streams = await probeStreams(file);
    const video = (await readPackets(file)).filter((q) => q.type === 'video');
    const span = video.length > 1 ? video.at(-1).pts - video[0].pts : 0;
    const got = { streams, frames: video.length, fps: span > 0 ? (video.length - 1) / span : 0, keys: video.filter((q) => q.key).length };
    got.slices = await slicesPerFrame(file, video.length);
    // Chromium's fake camera is the barcode file: the frame numbers in order.
    if (env.cam && env.engine === 'chromium') {
      const media = await analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height });
      got.sequence = sequenceReport(media.video.frames, env.cam.frames);
      got.decoded = media.video.frames.length;
    }
    const asked = Object.fromEntries(Object.keys(PUSHER_VARIANT).map((v) => [v, env.srv.requests.filter((q) => PUSHER_VARIANT[v].test(q.path)).map((q) => q.path)]));
    console.log(`isolated ${isolated} (crossOriginIsolated ${page.coi}, SharedArrayBuffer ${page.sab}, cores ${page.cores}): codes ${JSON.stringify(codes)} ` +
      `encoder ${encoder} frames ${got.frames} (${got.fps.toFixed(1)} fps) slices/frame ${got.slices.toFixed(2)} ` +
      `${got.sequence ? `read ${got.sequence.read} backwards ${got.sequence.backwards.length} maxGap ${got.sequence.maxGap} ` : ''}` +
      `netstatus ${net.videoWidth}x${net.videoHeight} asked ${JSON.stringify(asked)}`);
    return { page, codes, errors, net, got, asked, encoder };
  } catch (err) {
    err.message += `\nbrowser log (last lines):\n${env.browser.logText().split('\n').slice(-40).join('\n')}`;
    throw err;
  } finally {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The expected encoder threads for a page: load_core.js decoderThreads() (cores, 1..4).
export const threadsFor = (cores) => Math.max(1, Math.min(4, Math.floor(cores) || 1));
