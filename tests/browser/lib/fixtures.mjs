// Fake camera and microphone files for Chromium (--use-file-for-fake-video-capture / -audio-capture),
// made once with Debian's ffmpeg and cached under build/browser-fixtures/, keyed by the recipe (a
// changed recipe or drawing code makes a new file; old ones can simply be deleted).
//
//   const cam = await cameraFixture();                     // 640x360, 30 fps, 10 s: {file, width, height, fps, frames}
//   const cam2 = await cameraFixture({ width: 1280, height: 720, fps: 20, seconds: 6, noise: 10 });
//   const mic = await toneFixture();                       // 1 kHz sine, 48 kHz mono: {file, frequencies, ...}
//   const mic2 = await toneFixture({ channels: 2, frequencies: [1000, 1500] });
//
// The camera file: testsrc2 (moving) with the frame-number barcode of barcode.mjs drawn over its centre
// (frame i carries number i mod 4096). Chromium loops the file and restarts it at frame 0 on each
// getUserMedia, so a reader sees numbers 0..frames-1 and then 0 again: `frames` is the wrap.
// A y4m is raw: 640x360 is 345,600 bytes a frame, 10 s at 30 fps about 104 MB. Keep files short.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, run } from '../../interop/lib/tools.mjs';
import { geqExpressions } from './barcode.mjs';

export const FIXTURE_DIR = path.join(ROOT, 'build/browser-fixtures');
const VERSION = 1;  // bump when the drawing changes in a way the recipe does not show

function cached(kind, recipe, ext) {
  const key = createHash('sha256').update(JSON.stringify({ VERSION, kind, recipe })).digest('hex').slice(0, 12);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  return path.join(FIXTURE_DIR, `${kind}-${key}.${ext}`);
}

async function make(file, args, what) {
  if (existsSync(file) && statSync(file).size > 0) return file;
  const tmp = path.join(path.dirname(file), `.tmp-${process.pid}-${path.basename(file)}`);  // keeps the extension ffmpeg reads
  const r = await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args, tmp], { timeoutMs: 300000 });
  if (r.code !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`ffmpeg could not make ${what} (${r.code}): ${r.stderr}`);
  }
  renameSync(tmp, file);  // atomic: a parallel maker or an interrupted run never leaves half a file
  return file;
}

/**
 * @param {{width?: number, height?: number, fps?: number, seconds?: number, noise?: number}} [recipe]
 *   noise: temporal luma noise strength (ffmpeg `noise` alls) over the background, 0 = none; for tests
 *   that need fine texture (beauty). The barcode is drawn after the noise, so it stays clean.
 */
export async function cameraFixture({ width = 640, height = 360, fps = 30, seconds = 10, noise = 0 } = {}) {
  const recipe = { width, height, fps, seconds, noise };
  const file = cached('camera', recipe, 'y4m');
  const { lum, cb, cr } = geqExpressions(width, height);
  const filters = [];
  if (noise) filters.push(`noise=c0s=${noise}:c0f=t`);
  filters.push(`geq=lum='${lum}':cb='${cb}':cr='${cr}'`);
  await make(file, [
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    '-vf', filters.join(','), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe',
  ], `camera fixture ${JSON.stringify(recipe)}`);
  return { file, ...recipe, frames: Math.round(fps * seconds) };
}

/**
 * @param {{sampleRate?: number, channels?: number, frequencies?: number[], amplitude?: number, seconds?: number}} [recipe]
 *   frequencies: one per channel (the last repeats); amplitude: peak, 0..1 of full scale.
 */
export async function toneFixture({ sampleRate = 48000, channels = 1, frequencies = [1000], amplitude = 0.5, seconds = 10 } = {}) {
  const recipe = { sampleRate, channels, frequencies, amplitude, seconds };
  const file = cached('tone', recipe, 'wav');
  const freq = (c) => frequencies[Math.min(c, frequencies.length - 1)];
  const exprs = Array.from({ length: channels }, (_, c) => `${amplitude}*sin(2*PI*${freq(c)}*t)`).join('|');
  await make(file, [
    '-f', 'lavfi', '-i', `aevalsrc=exprs=${exprs}:sample_rate=${sampleRate}:duration=${seconds}`,
    '-c:a', 'pcm_s16le', '-f', 'wav',
  ], `tone fixture ${JSON.stringify(recipe)}`);
  return { file, ...recipe };
}

/**
 * A still image of one flat colour (the pusher's waiting-image): {file, url (path under the repo root
 * for the static server), md5, width, height, color}. Flat, so a test can tell its frames from the
 * camera's in a pulled stream (no detail at all).
 */
export async function imageFixture({ width = 320, height = 240, color = '0x30C050', format = 'png' } = {}) {
  const recipe = { width, height, color, format };
  const file = cached('image', recipe, format);
  await make(file, ['-f', 'lavfi', '-i', `color=c=${color}:s=${width}x${height}`, '-frames:v', '1', ...(format === 'jpg' ? ['-q:v', '2'] : [])],
    `image fixture ${JSON.stringify(recipe)}`);
  const md5 = createHash('md5').update(readFileSync(file)).digest('hex');
  return { file, url: '/' + path.relative(ROOT, file).split(path.sep).join('/'), md5, ...recipe };
}
