// What a pushed stream really holds, judged by Debian's ffmpeg/ffprobe (independent of our code):
// the frame numbers of the camera fixture's barcode, frame by frame, the picture sizes, the tone's
// frequency and level, and the average bitrates from packet sizes.
//
//   const rec = recordLive(nginx.url('a'), file);        // ffmpeg -c copy to an FLV while the push runs
//   ... await rec.stop();                                 // or await rec.done (ends with -t / the stream)
//   const r = await analyzeMedia(file, { srcWidth: 640, srcHeight: 360, expectHz: 1000 });
//   r.video: {width, height, sizes, frames: [{pts, number, width, height}], fps, kbps, keyframes}
//   r.audio: {sampleRate, channels, frequency, rmsDb, toneDb, kbps}
//   sequenceReport(r.video.frames, cam.frames)            // order and gaps, unwrapping the file's loop
//   pullLive(url, { seconds: 5 })                         // record + analyze in one
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { RTMP_TOOL, run } from '../../interop/lib/tools.mjs';
import { spawnFfmpeg } from '../../interop/lib/gateway.mjs';
import { readBarcode } from './barcode.mjs';

const RW_TIMEOUT = ['-rw_timeout', '5000000'];  // without it, a missing stream hangs ffmpeg forever
const isUrl = (input) => /^[a-z]+:\/\//.test(input);

async function ffprobeJson(input, args) {
  const r = await run('ffprobe', ['-v', 'error', ...(isUrl(input) ? RW_TIMEOUT : []), ...args, '-of', 'json', input], { timeoutMs: 120000 });
  if (r.code !== 0) throw new Error(`ffprobe ${input} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export async function probeStreams(input) {
  return (await ffprobeJson(input, ['-show_entries', 'stream=index,codec_type,codec_name,width,height,sample_rate,channels,r_frame_rate,avg_frame_rate'])).streams ?? [];
}

// Every packet: {type: 'video'|'audio', pts (s), size (bytes), key}
export async function readPackets(input) {
  const j = await ffprobeJson(input, ['-show_entries', 'packet=codec_type,pts_time,dts_time,size,flags']);
  return (j.packets ?? []).map((p) => ({
    type: p.codec_type,
    pts: Number(p.pts_time ?? p.dts_time),
    size: Number(p.size),
    key: (p.flags ?? '').includes('K'),
  }));
}

// Average bitrate of a list of packets over their time span (plus one packet's duration).
export function averageKbps(packets) {
  if (packets.length < 2) return null;
  const t0 = packets[0].pts;
  const t1 = packets.at(-1).pts;
  const step = (t1 - t0) / (packets.length - 1);
  const bits = packets.reduce((s, p) => s + p.size * 8, 0);
  return bits / (t1 - t0 + step) / 1000;
}

// Bitrate per whole second of media time: [{second, kbps}]
export function kbpsPerSecond(packets) {
  const out = new Map();
  for (const p of packets) {
    const s = Math.floor(p.pts);
    out.set(s, (out.get(s) ?? 0) + p.size * 8 / 1000);
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([second, kbps]) => ({ second, kbps }));
}

// Decodes the first video stream to gray frames (all at the first frame's size: ffmpeg scales later
// frames of another size to it, which keeps the picture's geometry) and reads each frame's barcode.
// srcWidth/srcHeight: the camera fixture's size, for the crop geometry (barcode.mjs).
export async function readVideoFrames(input, { srcWidth, srcHeight } = {}) {
  const j = await ffprobeJson(input, ['-select_streams', 'v:0', '-show_entries', 'frame=pts_time,pkt_dts_time,width,height,key_frame']);
  const info = (j.frames ?? []).map((f) => ({
    pts: Number(f.pts_time ?? f.pkt_dts_time),
    width: f.width,
    height: f.height,
    key: f.key_frame === 1,
  }));
  if (!info.length) return { width: 0, height: 0, sizes: [], frames: [] };
  const width = info[0].width;
  const height = info[0].height;
  const frameBytes = width * height;
  const geo = { width, height, srcWidth: srcWidth ?? width, srcHeight: srcHeight ?? height };
  const numbers = [];
  const stats = [];
  await new Promise((resolve, reject) => {
    const p = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', ...(isUrl(input) ? RW_TIMEOUT : []), '-i', input,
      '-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = Buffer.alloc(0);
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdout.on('data', (d) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      while (pending.length >= frameBytes) {
        const frame = pending.subarray(0, frameBytes);
        numbers.push(readBarcode(frame, geo).number);
        stats.push(frameStats(frame, width, height));
        pending = pending.subarray(frameBytes);
      }
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg decode of ${input} failed (${code}): ${stderr}`))));
  });
  const frames = numbers.map((number, i) => ({ pts: info[i]?.pts ?? null, number, width: info[i]?.width, height: info[i]?.height, key: info[i]?.key, stats: stats[i] }));
  const sizes = [];
  for (const f of info) {
    const s = `${f.width}x${f.height}`;
    if (sizes.at(-1)?.size !== s) sizes.push({ size: s, from: f.pts });
  }
  return { width, height, sizes, frames };
}

// Per-frame luma statistics for the picture tests: the mean; the high-frequency energy `hf` (mean
// squared difference between horizontal and vertical neighbours) of the background, i.e. outside a
// centred box of 0.7 x the short side that holds the barcode, and away from the borders; `texture`,
// the same over small differences only (|d| <= 24: fine texture and noise, not the test pattern's
// edges, which an edge-preserving smoother must keep); and the
// standard deviation `centerStd` inside the central box of 0.4 x the short side (the barcode's cells:
// large for a camera frame, near 0 for a flat picture however it was fitted to the frame).
export function frameStats(luma, width, height) {
  let sum = 0;
  for (let i = 0; i < width * height; i++) sum += luma[i];
  const short = Math.min(width, height);
  const box = (k) => [width / 2 - short * k, width / 2 + short * k, height / 2 - short * k, height / 2 + short * k];
  const [bx0, bx1, by0, by1] = box(0.35);
  let hf = 0;
  let n = 0;
  let tex = 0;
  let tn = 0;
  for (let y = Math.floor(height * 0.05); y < Math.floor(height * 0.95) - 1; y++) {
    for (let x = Math.floor(width * 0.05); x < Math.floor(width * 0.95) - 1; x++) {
      if (x >= bx0 && x <= bx1 && y >= by0 && y <= by1) continue;
      const v = luma[y * width + x];
      const dx = v - luma[y * width + x + 1];
      const dy = v - luma[(y + 1) * width + x];
      hf += dx * dx + dy * dy;
      n++;
      if (dx >= -24 && dx <= 24) { tex += dx * dx; tn++; }
      if (dy >= -24 && dy <= 24) { tex += dy * dy; tn++; }
    }
  }
  const [cx0, cx1, cy0, cy1] = box(0.2).map(Math.round);
  let cs = 0;
  let cs2 = 0;
  let cn = 0;
  for (let y = cy0; y < cy1; y++) {
    for (let x = cx0; x < cx1; x++) {
      const v = luma[y * width + x];
      cs += v;
      cs2 += v * v;
      cn++;
    }
  }
  const cm = cn ? cs / cn : 0;
  return { mean: sum / (width * height), hf: n ? hf / n : 0, texture: tn ? tex / tn : 0, centerStd: cn ? Math.sqrt(Math.max(0, cs2 / cn - cm * cm)) : 0 };
}

// Decodes the first audio stream to mono s16 at its own rate and measures the tone: frequency by
// zero crossings (interpolated) over everything after `skipS`, level as RMS in dBFS, and the share of
// the power at `expectHz` (Goertzel, in dB relative to the total; near 0 dB for a clean tone).
export async function readAudio(input, { expectHz, skipS = 0.3 } = {}) {
  const streams = await probeStreams(input);
  const a = streams.find((s) => s.codec_type === 'audio');
  if (!a) return null;
  const sampleRate = Number(a.sample_rate);
  const r = await runBinary('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', ...(isUrl(input) ? RW_TIMEOUT : []), '-i', input,
    '-map', '0:a:0', '-ac', '1', '-f', 's16le', '-acodec', 'pcm_s16le', '-']);
  const all = new Int16Array(r.buffer, r.byteOffset, Math.floor(r.length / 2));
  const samples = all.subarray(Math.min(all.length, Math.floor(skipS * sampleRate)));
  return { codec: a.codec_name, sampleRate, channels: a.channels, seconds: all.length / sampleRate, ...measureTone(samples, sampleRate, expectHz) };
}

export function measureTone(samples, sampleRate, expectHz) {
  const n = samples.length;
  if (n < 2) return { frequency: null, rmsDb: -Infinity, toneDb: null };
  let energy = 0;
  for (let i = 0; i < n; i++) energy += (samples[i] / 32768) ** 2;
  const rms = Math.sqrt(energy / n);
  // Rising zero crossings, with the crossing point interpolated between samples.
  let first = null;
  let last = null;
  let count = 0;
  for (let i = 1; i < n; i++) {
    if (samples[i - 1] < 0 && samples[i] >= 0) {
      const t = i - 1 + (-samples[i - 1]) / (samples[i] - samples[i - 1]);
      if (first === null) first = t;
      else count++;
      last = t;
    }
  }
  const frequency = count > 0 ? (count * sampleRate) / (last - first) : null;
  let toneDb = null;
  if (expectHz) {
    // Goertzel at expectHz: |X(f)|^2 * 2 / N^2 is the power of a sine at f; compare with the mean power.
    const w = (2 * Math.PI * expectHz) / sampleRate;
    const coeff = 2 * Math.cos(w);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s0 = samples[i] / 32768 + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = (s1 * s1 + s2 * s2 - coeff * s1 * s2) * 2 / (n * n);
    toneDb = 10 * Math.log10(power / (energy / n));
  }
  return { frequency, rmsDb: 20 * Math.log10(rms || 1e-12), toneDb };
}

/**
 * The tone's frequency as the median of `segments` equal parts' zero-crossing estimates: a real-time
 * source that lost one 10 ms buffer on a busy machine shifts the whole-window estimate by about 1 %
 * (one phase jump in 0.4 s), but only the one part that holds the jump.
 */
export function medianFrequency(samples, sampleRate, { segments = 8 } = {}) {
  const size = Math.floor(samples.length / segments);
  const fs = [];
  for (let i = 0; i < segments; i++) {
    const f = measureTone(samples.subarray(i * size, (i + 1) * size), sampleRate).frequency;
    if (f != null) fs.push(f);
  }
  fs.sort((a, b) => a - b);
  return fs.length ? fs[Math.floor(fs.length / 2)] : null;
}

function runBinary(cmd, args, timeoutMs = 120000) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let stderr = '';
    p.stdout.on('data', (d) => chunks.push(d));
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${stderr}`));
      else resolve(Buffer.concat(chunks));
    });
  });
}

/**
 * Everything at once, for a file (FLV, or anything ffmpeg reads) or a URL.
 * @param {string} input
 * @param {{srcWidth?: number, srcHeight?: number, expectHz?: number}} [o]
 */
export async function analyzeMedia(input, { srcWidth, srcHeight, expectHz } = {}) {
  const packets = await readPackets(input);
  const vp = packets.filter((p) => p.type === 'video');
  const ap = packets.filter((p) => p.type === 'audio');
  const out = { packets: { video: vp.length, audio: ap.length } };
  if (vp.length) {
    const v = await readVideoFrames(input, { srcWidth, srcHeight });
    const span = v.frames.length > 1 ? v.frames.at(-1).pts - v.frames[0].pts : 0;
    out.video = {
      ...v,
      fps: span > 0 ? (v.frames.length - 1) / span : null,
      kbps: averageKbps(vp),
      kbpsPerSecond: kbpsPerSecond(vp),
      keyframes: vp.filter((p) => p.key).map((p) => p.pts),
      seconds: span,
    };
  }
  if (ap.length) out.audio = { ...(await readAudio(input, { expectHz })), kbps: averageKbps(ap) };
  return out;
}

// Frame numbers in order, unwrapping the fixture's loop (`wrap` frames; the file restarts at 0).
// Returns {read, unreadable, sequence: unwrapped numbers, backwards: [{i, from, to}], maxGap (largest
// step - 1 = frames missing between two read frames), repeats, loopRepeats, first, last}.
// loopRepeats: frame 0 twice where the file loops. That one is the camera's: Chromium's file capture
// (media/capture/video/file_video_capture_device.cc, Y4mFileParser::GetNextFrame) reads frame 0 again at
// the end of the file without moving past it, so the device itself delivers 299, 0, 0, 1. It is not
// counted in `repeats`, which a pusher that sends a picture twice would grow.
export function sequenceReport(frames, wrap) {
  const nums = frames.map((f) => f.number);
  const read = nums.filter((n) => n !== null);
  const sequence = [];
  const backwards = [];
  let repeats = 0;
  let loopRepeats = 0;
  let maxGap = 0;
  let base = 0;
  let prev = null;
  for (let i = 0; i < nums.length; i++) {
    const n = nums[i];
    if (n === null) continue;
    let u = base + n;
    if (prev !== null) {
      // A step back by more than half the loop is the file wrapping around.
      if (u < prev - wrap / 2) { base += wrap; u += wrap; }
      if (u === prev && n === 0) loopRepeats++;
      else if (u === prev) repeats++;
      else if (u < prev) backwards.push({ i, from: prev, to: u });
      else maxGap = Math.max(maxGap, u - prev - 1);
    }
    sequence.push(u);
    prev = u;
  }
  return { read: read.length, unreadable: nums.length - read.length, sequence, backwards, repeats, loopRepeats, maxGap, first: sequence[0], last: sequence.at(-1) };
}

// ffmpeg copying a live stream into an FLV file (no re-encoding) until stop() or `seconds`.
// {file, done (resolves with ffmpeg's exit), stop()}
export function recordLive(url, file, { seconds } = {}) {
  const args = [...RW_TIMEOUT, '-i', url, '-map', '0', '-c', 'copy'];
  if (seconds) args.push('-t', String(seconds));
  args.push('-f', 'flv', '-y', file);
  const ff = spawnFfmpeg(args, { label: `record ${url}` });
  return {
    file,
    ffmpeg: ff,
    done: ff.exited,
    stop: () => ff.stop(),
    bytes: () => { try { return statSync(file).size; } catch { return 0; } },
  };
}

// Records `seconds` of a live stream and analyzes it. The temp folder is removed unless `keep`.
export async function pullLive(url, { seconds = 5, keep = false, ...opts } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-pull-'));
  const file = path.join(dir, 'pulled.flv');
  try {
    const rec = recordLive(url, file, { seconds });
    const exit = await rec.done;
    if (exit.code !== 0) throw new Error(`recording ${url} failed (${JSON.stringify(exit)}): ${rec.ffmpeg.stderr}`);
    const r = await analyzeMedia(file, opts);
    return { ...r, file: keep ? file : null };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

// What a player that joins `url` is told in script data, read by the core's AMF0 decoder
// (lw-rtmp-tool play --tags-out): [{ts, name, props}] with props the ECMA array's numbers, strings and
// booleans, e.g. {width: 640, height: 360, framerate: 30, encoder: 'Lavf59'}.
export async function readScriptData(url, { seconds = 2 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-meta-'));
  try {
    const tags = path.join(dir, 'tags.txt');
    const r = await run(RTMP_TOOL, ['play', url, path.join(dir, 'out.flv'), '--duration-ms', String(seconds * 1000), '--tags-out', tags],
      { timeoutMs: seconds * 1000 + 15000 });
    if (r.code !== 0) throw new Error(`lw-rtmp-tool play ${url} failed (${r.code}): ${r.stdout} ${r.stderr}`);
    return readFileSync(tags, 'utf8').split('\n').filter((l) => l.startsWith('data ')).map(parseDataLine);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// "data 0 312 <hash> 'onMetaData' ecma{width: 640, stereo: false, encoder: 'x'}" -> {ts, name, props}.
function parseDataLine(line) {
  const [, ts, , , rest] = line.match(/^data (\d+) (\d+) (\S+) (.*)$/) ?? [];
  const name = rest?.match(/^'((?:[^'\\]|\\.)*)'/)?.[1] ?? '';
  const props = {};
  const body = rest?.slice(rest.indexOf('{') + 1) ?? '';
  for (const m of body.matchAll(/(?:^|, )([A-Za-z0-9_$.|-]+|'(?:[^'\\]|\\.)*'): ('(?:[^'\\]|\\.)*'|true|false|null|-?[0-9.e+-]+)/g)) {
    const key = m[1].replace(/^'|'$/g, '');
    const v = m[2];
    props[key] = v.startsWith("'") ? v.slice(1, -1) : v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : Number(v);
  }
  return { ts: Number(ts), name, props };
}
