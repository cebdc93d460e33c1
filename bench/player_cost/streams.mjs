// The bench's streams: testsrc2 + a tone, H.264 (libx264 veryfast zerolatency, GOP 2 s, no B-frames) +
// AAC 96k at 30 fps, encoded once per size into build/player-cost/ (ffmpeg and libx264 are a test peer,
// outside the product), then published in real time (-re, looped, -c copy) to nginx-rtmp and to
// node-media-server at once (one ffmpeg, tee muxer: both servers get the same packets at the same time).
// Encoding ahead keeps a live 1080p x264 encoder off the two cores the players are measured on.
//
//   const src = await streamFile(720);                                   // {file, width, height, fps, bitrate}
//   const pub = publishCopy(src.file, [nginx.url('s720'), nms.rtmpUrl('s720')]);  // spawnFfmpeg handle
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, run } from '../../tests/interop/lib/tools.mjs';
import { spawnFfmpeg } from '../../tests/interop/lib/gateway.mjs';

export const FPS = 30;
export const SIZES = Object.freeze({
  360: { width: 640, height: 360, bitrate: '1000k' },
  720: { width: 1280, height: 720, bitrate: '2500k' },
  1080: { width: 1920, height: 1080, bitrate: '5000k' },
});
const SECONDS = 20;  // a multiple of the GOP: the loop restarts on a key frame
const DIR = path.join(ROOT, 'build/player-cost');

export async function streamFile(height) {
  const s = SIZES[height];
  if (!s) throw new Error(`no stream of ${height}p (sizes: ${Object.keys(SIZES).join(', ')})`);
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `testsrc2-${s.width}x${s.height}-${FPS}fps-${s.bitrate}-${SECONDS}s.flv`);
  if (!(existsSync(file) && statSync(file).size > 0)) {
    const tmp = `${file}.tmp-${process.pid}.flv`;
    const r = await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=${s.width}x${s.height}:rate=${FPS}`,
      '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100',
      '-t', String(SECONDS), '-map', '0:v', '-map', '1:a',
      '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
      '-g', String(2 * FPS), '-keyint_min', String(2 * FPS), '-sc_threshold', '0', '-bf', '0',
      '-b:v', s.bitrate, '-maxrate', s.bitrate, '-bufsize', s.bitrate,
      '-c:a', 'aac', '-b:a', '96k', '-ac', '2', '-f', 'flv', tmp], { timeoutMs: 900000 });
    if (r.code !== 0) { rmSync(tmp, { force: true }); throw new Error(`ffmpeg could not encode ${height}p: ${r.stderr}`); }
    renameSync(tmp, file);
  }
  return { file, fps: FPS, ...s };
}

/** ffmpeg sending `file` looped in real time, unchanged, to every RTMP url. */
export function publishCopy(file, urls) {
  const tee = urls.map((u) => `[f=flv:flvflags=no_duration_filesize:onfail=ignore]${u}`).join('|');
  return spawnFfmpeg(['-re', '-stream_loop', '-1', '-i', file, '-map', '0', '-c', 'copy', '-f', 'tee', tee], { label: `publish ${path.basename(file)}` });
}
