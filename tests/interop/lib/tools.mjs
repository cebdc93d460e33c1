// Runs the project's native tools and Debian's ffmpeg/ffprobe for the interop tests.
import { spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUILD_DIR = process.env.LW_BUILD_DIR ? path.resolve(process.env.LW_BUILD_DIR) : path.join(ROOT, 'build/native');
export const RTMP_TOOL = path.join(BUILD_DIR, 'tools/lw-rtmp-tool');

// Runs a command to its end (or kills it after timeoutMs). Resolves {code, signal, stdout, stderr, ms}.
export function run(cmd, args, { timeoutMs = 60000 } = {}) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

// lw-rtmp-tool publish|play ...: its stdout is one JSON object per line; the last is the result.
export async function rtmpTool(args, opts) {
  const r = await run(RTMP_TOOL, args, opts);
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { ...r, events: lines.slice(0, -1), result: lines.at(-1) ?? {} };
}

// A short FLV from lavfi sources (x264 is used only here, as an external peer).
export async function makeFlv(file, { seconds = 4, size = '320x240', rate = 25, audio = true, video = true, bframes = 0 } = {}) {
  const args = ['-v', 'error', '-y'];
  if (video) args.push('-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`);
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100');
  args.push('-t', String(seconds));
  if (video) args.push('-c:v', 'libx264', '-g', String(rate), '-bf', String(bframes), '-threads', '1');
  if (audio) args.push('-c:a', 'aac');
  args.push('-f', 'flv', file);
  const r = await run('ffmpeg', args);
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return file;
}

// ffprobe's streams and packet counts of a file or URL.
export async function probe(input, { countPackets = false, timeoutMs = 30000 } = {}) {
  const args = ['-v', 'error', '-rw_timeout', '5000000', '-show_entries',
    'stream=codec_type,codec_name,width,height,sample_rate,channels' + (countPackets ? ',nb_read_packets' : ''),
    '-of', 'json'];
  if (countPackets) args.push('-count_packets');
  args.push(input);
  const r = await run('ffprobe', args, { timeoutMs });
  if (r.code !== 0) throw new Error(`ffprobe ${input} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout).streams;
}

// "video 40 1443 9c1d..." lines (lw-rtmp-tool --tags-out) grouped by type: [{ts, size, hash}].
export function tagsByType(text) {
  const out = { audio: [], video: [], data: [] };
  for (const line of text.split('\n').filter(Boolean)) {
    const [type, ts, size, hash] = line.split(' ');
    (out[type] ??= []).push({ ts: Number(ts), size: Number(size), hash });
  }
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The coded slices (NAL unit types 1 and 5) in an H.264 Annex B stream (ffmpeg -bsf:v h264_mp4toannexb -f h264).
export function countCodedSlices(annexb) {
  let slices = 0;
  for (let i = 0; i + 3 < annexb.length; i++) {
    if (annexb[i] === 0 && annexb[i + 1] === 0 && annexb[i + 2] === 1) {
      const type = annexb[i + 3] & 31;
      if (type === 1 || type === 5) slices++;
      i += 2;
    }
  }
  return slices;
}

// GET over node:http(s), not fetch: the test runner disables Node's fetch for the Emscripten glue.
// Resolves {status, headers, body}; a self-signed certificate is accepted (the TLS tests make one).
export function httpGet(url, { timeoutMs = 5000 } = {}) {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { agent: false, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}
