// ffmpeg publishers for the player tests: live streams whose every picture carries its frame number
// (the barcode of barcode.mjs, so readBarcode reads it back from any canvas or <video>), pushed in real
// time (-re) to an RTMP URL (nginx-rtmp or node-media-server). ffmpeg with libx264 is a GPL test peer
// outside the product.
//
//   const pub = await publishBarcode(nginx.url('a'), { video: { profile: 'high', bframes: 2 }, audio: { sampleRate: 48000, channels: 2 } });
//   pub.frameAt(epochMs)      // the frame number the publisher was encoding at that moment (progress fit)
//   pub.freeze(); pub.thaw(); // SIGSTOP / SIGCONT
//   await pub.stop();         // SIGINT: ffmpeg ends the RTMP stream properly (FCUnpublish / deleteStream)
//   await pub.kill();         // SIGKILL: the TCP connection just breaks
//
// The pictures come from a cached "mezzanine" (build/browser-fixtures/): 4096 frames (the barcode's
// modulo) of testsrc2 with the barcode drawn by geq, encoded near-losslessly once (the geq filter costs
// ~10 ms a 320x240 frame, too much to run live beside Chromium on two shared cores). The publisher loops
// it (-stream_loop -1), so frame i of the live stream carries i mod 4096 and numbers never jump.
//
// Variants (recipe keys): video {width, height, fps, gop, profile 'baseline'|'main'|'high', bframes,
// bitrate} or false; audio {codec, sampleRate, channels, frequency, bitrate} or false; avsync: a white band over
// the top eighth of the picture (outside the barcode) on the first frame of every second and a 1 kHz
// burst (50 ms) at the start of every second of the same timeline (both keyed to the stream time t).
//
// Also: resolutionChangeFlv() (one FLV whose picture size changes mid-stream, numbers continuing)
// published with publishFlvFile(); hevcFlvFixture() (an HEVC FLV through build/native/tools/lw-flv-mux);
// flvWithCorruptTag() (an FLV file with one video tag body overwritten with garbage).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { BUILD_DIR, ROOT, run } from '../../interop/lib/tools.mjs';
import { flvTags } from '../../interop/lib/gateway.mjs';
import { geqExpressions, MODULO } from './barcode.mjs';

export const FIXTURE_DIR = path.join(ROOT, 'build/browser-fixtures');
export const FLV_MUX_TOOL = process.env.LW_FLV_MUX ? path.resolve(ROOT, process.env.LW_FLV_MUX) : path.join(BUILD_DIR, 'tools/lw-flv-mux');
export const RTMP_TOOL = path.join(BUILD_DIR, 'tools/lw-rtmp-tool');
const VERSION = 1;
export const WRAP = MODULO;  // frame numbers repeat after this many frames

const epochNow = () => performance.timeOrigin + performance.now();

function cachedPath(kind, recipe, ext) {
  const key = createHash('sha256').update(JSON.stringify({ VERSION, kind, recipe })).digest('hex').slice(0, 12);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  return path.join(FIXTURE_DIR, `${kind}-${key}.${ext}`);
}

// Runs a maker `fn(tmpFile)` unless `file` exists; atomic rename so a parallel maker never sees half a file.
async function makeOnce(file, fn) {
  if (existsSync(file) && statSync(file).size > 0) return file;
  const tmp = path.join(path.dirname(file), `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}-${path.basename(file)}`);
  try {
    await fn(tmp);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return file;
}

async function ffmpeg(args, what, timeoutMs = 600000) {
  const r = await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], { timeoutMs });
  if (r.code !== 0) throw new Error(`ffmpeg could not make ${what} (${r.code} ${r.signal ?? ''}): ${r.stderr}`);
  return r;
}

/** The looped picture source: {file, width, height, fps, frames}. First call takes ~40-60 s (cached). */
export async function barcodeMezzanine({ width = 320, height = 240, fps = 25 } = {}) {
  const recipe = { width, height, fps, frames: WRAP };
  const file = cachedPath('mezzanine', recipe, 'mkv');
  const { lum, cb, cr } = geqExpressions(width, height);
  await makeOnce(file, (tmp) => ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-vf', `geq=lum='${lum}':cb='${cb}':cr='${cr}'`, '-frames:v', String(WRAP),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '8', '-g', String(fps), '-pix_fmt', 'yuv420p', '-threads', '2',
    '-f', 'matroska', tmp,
  ], `the barcode mezzanine ${JSON.stringify(recipe)}`));
  return { file, ...recipe };
}

export const DEFAULT_VIDEO = Object.freeze({ width: 320, height: 240, fps: 25, gop: 25, profile: 'baseline', bframes: 0, bitrate: '600k' });
export const DEFAULT_AUDIO = Object.freeze({ sampleRate: 44100, channels: 1, frequency: 1000, bitrate: '64k' });

// The flash band and the beep, shared by the publisher and the tests that detect them.
export const AVSYNC = Object.freeze({ beepHz: 1000, beepMs: 50, flashBand: 1 / 8, periodMs: 1000 });

function videoArgs(v, avsync) {
  const filters = [];
  if (v.width !== 320 || v.height !== 240) filters.push(`scale=${v.width}:${v.height}:flags=bicubic`);
  if (avsync) {
    // Black band normally, white on the frame(s) of the first 1/fps s of each second.
    filters.push(`drawbox=x=0:y=0:w=iw:h=ih*${AVSYNC.flashBand}:color=black:t=fill`);
    filters.push(`drawbox=x=0:y=0:w=iw:h=ih*${AVSYNC.flashBand}:color=white:t=fill:enable='lt(mod(t+0.001,1),${(1 / v.fps).toFixed(4)})'`);
  }
  const args = [];
  if (filters.length) args.push('-vf', filters.join(','));
  const preset = v.profile === 'baseline' ? 'ultrafast' : 'veryfast';
  args.push('-c:v', 'libx264', '-preset', preset, '-profile:v', v.profile, '-pix_fmt', 'yuv420p', '-threads', '1',
    '-g', String(v.gop), '-keyint_min', String(v.gop), '-sc_threshold', '0', '-bf', String(v.bframes));
  if (!v.bframes) args.push('-tune', 'zerolatency');
  if (v.bitrate) args.push('-b:v', v.bitrate, '-maxrate', v.bitrate, '-bufsize', v.bitrate);
  return args;
}

function audioSource(a, avsync) {
  const chans = Array.from({ length: a.channels }, () => (avsync
    ? `if(lt(mod(t,1),${AVSYNC.beepMs / 1000}),0.6*sin(2*PI*${AVSYNC.beepHz}*t),0)`
    : `0.5*sin(2*PI*${a.frequency}*t)`));
  return `aevalsrc=exprs='${chans.join('|')}':sample_rate=${a.sampleRate}:channel_layout=${a.channels === 1 ? 'mono' : 'stereo'}`;
}

// audio.codec: 'aac' (default), 'mp3' (libmp3lame), or a PCM codec ffmpeg's FLV muxer takes: 'pcm_alaw',
// 'pcm_mulaw' (G.711; the muxer wants 8 kHz), 'pcm_s16le', 'pcm_u8'.
function audioCodecArgs(a) {
  const codec = a.codec ?? 'aac';
  if (codec === 'aac') return ['-c:a', 'aac', '-b:a', a.bitrate];
  if (codec === 'mp3') return ['-c:a', 'libmp3lame', '-b:a', a.bitrate];
  return ['-c:a', codec];
}

/**
 * Publishes a live barcode stream to `url` until stopped (or `seconds`).
 * @returns handle {ff (spawnFfmpeg-like), recipe, startedAt (epoch ms), progress [{at, frame}], frameAt(epochMs),
 *   waitFrames(n), freeze(), thaw(), stop(), kill(), stderr}
 */
export async function publishBarcode(url, { video = {}, audio = {}, avsync = false, seconds, label } = {}) {
  const v = video === false ? null : { ...DEFAULT_VIDEO, ...video };
  const a = audio === false ? null : { ...DEFAULT_AUDIO, ...audio };
  if (!v && !a) throw new Error('publishBarcode: neither video nor audio');
  const args = ['-nostdin', '-hide_banner', '-v', 'error', '-stats_period', '0.1', '-progress', 'pipe:1'];
  let mezz = null;
  if (v) {
    mezz = await barcodeMezzanine({ fps: v.fps });
    args.push('-re', '-stream_loop', '-1', '-i', mezz.file);
  }
  if (a) args.push('-re', '-f', 'lavfi', '-i', audioSource(a, avsync));
  if (v) args.push('-map', '0:v:0');
  if (a) args.push('-map', `${v ? 1 : 0}:a:0`);
  if (seconds) args.push('-t', String(seconds));
  if (v) args.push(...videoArgs(v, avsync));
  if (a) args.push(...audioCodecArgs(a), '-ar', String(a.sampleRate), '-ac', String(a.channels));
  args.push('-f', 'flv', '-flvflags', 'no_duration_filesize', url);
  return spawnPublisher('ffmpeg', args, { recipe: { video: v, audio: a, avsync }, fps: v?.fps ?? 0, label: label ?? `publish ${url}` });
}

// A long-running ffmpeg (or lw-rtmp-tool) whose `-progress` lines give (time, frame) pairs.
function spawnPublisher(cmd, args, { recipe, fps, label }) {
  const startedAt = epochNow();
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { if (stderr.length < 100000) stderr += d; });
  const progress = [];  // {at: epoch ms, frame}
  readline.createInterface({ input: proc.stdout }).on('line', (line) => {
    const m = /^frame=(\d+)/.exec(line);
    if (m) progress.push({ at: epochNow(), frame: Number(m[1]) });
  });
  let exit = null;
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); }));
  let frozen = false;
  const pub = {
    proc,
    pid: proc.pid,
    label,
    recipe,
    fps,
    startedAt,
    progress,
    exited,
    get exit() { return exit; },
    get stderr() { return stderr; },
    // Epoch ms at which frame 0 left the encoder, from the progress lines (each: frames out so far at
    // that moment). The earliest (smallest) estimate is the one least delayed by pipe/scheduling.
    frameZeroAt() {
      const pts = progress.filter((p) => p.frame > 0);
      if (!pts.length || !fps) return null;
      return Math.min(...pts.map((p) => p.at - (p.frame - 1) * 1000 / fps));
    },
    // The (unwrapped) frame number the publisher had just encoded at `epochMs` (null before the fit exists).
    frameAt(epochMs) {
      const t0 = pub.frameZeroAt();
      return t0 === null ? null : Math.floor((epochMs - t0) * fps / 1000);
    },
    async waitFrames(n, timeoutMs = 20000) {
      const deadline = Date.now() + timeoutMs;
      while (!(progress.at(-1)?.frame >= n)) {
        if (exit) throw new Error(`${label}: exited (${JSON.stringify(exit)}) before frame ${n}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`${label}: not at frame ${n} within ${timeoutMs} ms: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    freeze() { if (!exit) { proc.kill('SIGSTOP'); frozen = true; } },
    thaw() { if (!exit) { proc.kill('SIGCONT'); frozen = false; } },
    async stop(timeoutMs = 5000) {
      if (exit) return exit;
      if (frozen) pub.thaw();
      proc.kill('SIGINT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      return exit;
    },
    async kill() {
      if (exit) return exit;
      proc.kill('SIGKILL');
      return exited;
    },
  };
  return pub;
}

// ---------------------------------------------------------------------------------------------
// Files: the resolution change, HEVC, garbage

// Encodes frames [from, from + count) of the mezzanine at a size into an FLV (H.264 + AAC tone).
async function segmentFlv(file, { from, count, width, height, fps = 25, gop = 25, audio = true }) {
  const mezz = await barcodeMezzanine({ fps });
  const args = ['-i', mezz.file];
  if (audio) args.push('-f', 'lavfi', '-i', `aevalsrc=exprs=0.5*sin(2*PI*1000*t):sample_rate=44100:channel_layout=mono`);
  args.push('-map', '0:v:0', '-vf', `trim=start_frame=${from}:end_frame=${from + count},setpts=PTS-STARTPTS,scale=${width}:${height}`);
  if (audio) args.push('-map', '1:a:0', '-t', String(count / fps));
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-g', String(gop), '-bf', '0', '-threads', '1', '-b:v', '600k');
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
  args.push('-f', 'flv', file);
  await ffmpeg(args, `segment ${from}+${count} at ${width}x${height}`);
}

// Writes an FLV tag's 24-bit timestamp + extension.
function setTs(buf, off, ts) {
  buf.writeUIntBE(ts & 0xffffff, off + 4, 3);
  buf[off + 7] = (ts >>> 24) & 0xff;
}

/**
 * One FLV whose picture size changes mid-stream: `sizes` segments of `segmentFrames` frames each, the
 * barcode numbers continuing across the change (segment k starts at frame k * segmentFrames), each segment
 * with its own AVC sequence header (a new one at the change, as a re-configured encoder sends), audio
 * continuing. {file, sizes, segmentFrames, fps, changeAtFrame: [...]}. Publish with publishFlvFile().
 */
export async function resolutionChangeFlv({ sizes = [[320, 240], [640, 480], [320, 240]], segmentFrames = 100, fps = 25 } = {}) {
  const recipe = { sizes, segmentFrames, fps };
  const file = cachedPath('reschange', recipe, 'flv');
  await makeOnce(file, async (tmp) => {
    const parts = [];
    for (let k = 0; k < sizes.length; k++) {
      const seg = `${tmp}.${k}.flv`;
      await segmentFlv(seg, { from: k * segmentFrames, count: segmentFrames, width: sizes[k][0], height: sizes[k][1], fps });
      parts.push(readFileSync(seg));
      rmSync(seg, { force: true });
    }
    const out = [];
    const first = parts[0];
    const { headerEnd } = flvTags(first);
    out.push(first.subarray(0, headerEnd));
    for (let k = 0; k < parts.length; k++) {
      const offset = Math.round(k * segmentFrames * 1000 / fps);
      for (const t of flvTags(parts[k]).tags) {
        if (t.type === 'script' && k > 0) continue;  // one onMetaData (its size is the first segment's)
        const tag = Buffer.from(parts[k].subarray(t.start, t.end));
        setTs(tag, 0, t.ts + offset);
        out.push(tag);
      }
    }
    writeFileSync(tmp, Buffer.concat(out));
  });
  return { file, sizes, segmentFrames, fps, changeAtFrame: sizes.slice(1).map((_, k) => (k + 1) * segmentFrames) };
}

/**
 * Publishes an FLV file in real time to an RTMP URL with the project's lw-rtmp-tool (tags sent as they
 * are, so a mid-stream sequence header reaches the server unchanged; ffmpeg -c copy would drop it).
 */
export function publishFlvFile(url, file, { label } = {}) {
  if (!existsSync(RTMP_TOOL)) throw new Error(`${RTMP_TOOL} missing: run scripts/build.sh native`);
  const pub = spawnPublisher(RTMP_TOOL, ['publish', url, file, '--realtime'], { recipe: { file }, fps: 0, label: label ?? `publish ${file} -> ${url}` });
  return pub;
}

/**
 * An HEVC FLV (H.265 Annex B from ffmpeg/libx265, no B-frames, + AAC) muxed by the core's flv::Muxer through
 * build/native/tools/lw-flv-mux, signalling 'legacy' (codec id 12) or 'enhanced' ('hvc1').
 * Returns {file, ...} or {missing: reason} while the tool is not built.
 */
export async function hevcFlvFixture({ signalling = 'enhanced', seconds = 8, fps = 25, width = 320, height = 240 } = {}) {
  if (!existsSync(FLV_MUX_TOOL)) return { missing: `${path.relative(ROOT, FLV_MUX_TOOL)} is not built yet (helper B's lw-flv-mux; scripts/build.sh native)` };
  const recipe = { signalling, seconds, fps, width, height };
  const file = cachedPath('hevc', recipe, 'flv');
  await makeOnce(file, async (tmp) => {
    const mezz = await barcodeMezzanine({ fps });
    const h265 = `${tmp}.h265`;
    const aac = `${tmp}.aac`;
    const frames = seconds * fps;
    try {
      await ffmpeg(['-i', mezz.file, '-frames:v', String(frames), ...(width !== 320 || height !== 240 ? ['-vf', `scale=${width}:${height}`] : []),
        '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', `bframes=0:keyint=${fps}:min-keyint=${fps}:log-level=error`,
        '-pix_fmt', 'yuv420p', '-f', 'hevc', h265], 'the HEVC elementary stream');
      await ffmpeg(['-f', 'lavfi', '-i', 'aevalsrc=exprs=0.5*sin(2*PI*1000*t):sample_rate=44100:channel_layout=mono', '-t', String(seconds),
        '-c:a', 'aac', '-b:a', '64k', '-f', 'adts', aac], 'the ADTS AAC');
      const r = await run(FLV_MUX_TOOL, ['--video', h265, '--audio', aac, '--fps', String(fps), '--signalling', signalling, '--codec', 'hevc', '--check', '-o', tmp]);
      if (r.code !== 0) throw new Error(`lw-flv-mux failed (${r.code}): ${r.stdout} ${r.stderr}`);
    } finally {
      rmSync(h265, { force: true });
      rmSync(aac, { force: true });
    }
  });
  return { file, ...recipe, frames: seconds * fps };
}

/** A plain H.264 + AAC barcode FLV file of `seconds` (for HTTP serving tests): {file, frames, fps}. */
export async function barcodeFlvFile({ seconds = 10, fps = 25 } = {}) {
  const recipe = { seconds, fps };
  const file = cachedPath('barcodeflv', recipe, 'flv');
  await makeOnce(file, (tmp) => segmentFlv(tmp, { from: 0, count: seconds * fps, width: 320, height: 240, fps }));
  return { file, frames: seconds * fps, fps };
}

/**
 * A copy of an FLV where the body of one video tag in the middle (not a key frame, not a sequence header)
 * is overwritten with garbage; the FLV tag structure (sizes, timestamps) stays valid, so the demuxer takes
 * the tag and only decoding fails. keepFraming: keep the AVCC NAL lengths and headers too (slice data
 * only: decoders may conceal that silently). Returns {data: Buffer, corruptTs (ms), corruptIndex (video
 * frame index = the barcode number of that frame)}.
 */
export function flvWithCorruptTag(data, { atFraction = 0.5, seed = 1, keepFraming = false } = {}) {
  const out = Buffer.from(data);
  const { tags } = flvTags(out);
  const video = tags.filter((t) => t.type === 'video' && !t.seq);
  let i = Math.floor(video.length * atFraction);
  while (i < video.length && video[i].key) i++;
  const t = video[i];
  // Keep the 5-byte AVC video tag header (frame type, packet type, composition time), each NAL unit's
  // 4-byte length and its 1-byte header; trash the slice data, so the FLV and the AVCC framing stay valid
  // and only the decoder can tell.
  // Without keepFraming the whole body after that header is garbage, NAL lengths included (what a broken
  // relay or a bit flip in transit produces; decoders are made to report it rather than conceal it).
  let x = seed >>> 0;
  const end = t.end - 4;  // before PreviousTagSize
  if (!keepFraming) {
    for (let q = t.start + 11 + 5; q < end; q++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out[q] = x >>> 24;
    }
    return { data: out, corruptTs: t.ts, corruptIndex: i };
  }
  for (let p = t.start + 11 + 5; p + 4 <= end;) {
    const len = out.readUInt32BE(p);
    if (len < 1 || p + 4 + len > end) break;
    for (let q = p + 4 + 1; q < p + 4 + len; q++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out[q] = x >>> 24;
    }
    p += 4 + len;
  }
  return { data: out, corruptTs: t.ts, corruptIndex: i };
}
