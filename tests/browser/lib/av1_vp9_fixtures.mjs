// AV1 and VP9 Enhanced RTMP FLV files ('av01' / 'vp09') for the player's HTTP-FLV tests: the barcode
// mezzanine (publishers.mjs: frames carrying their number) encoded by Debian's ffmpeg (libaom-av1 or
// libvpx-vp9, into IVF: ffmpeg 5.1 cannot write either into FLV) with a 1 kHz AAC tone, muxed by the
// core's flv::Muxer through build/native/tools/lw-flv-mux --codec av1|vp9. Cached in build/browser-fixtures/
// by recipe, like publishers.mjs's files.
//
//   const fx = await enhancedFlvFixture({ codec: 'av1', seconds: 10 });   // {file, frames, ...} or {missing}
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, run } from '../../interop/lib/tools.mjs';
import { barcodeMezzanine, FIXTURE_DIR, FLV_MUX_TOOL } from './publishers.mjs';

const VERSION = 1;

// Real-time-speed settings, one thread, a key frame every second, no hidden (alt-ref) frames so that
// every IVF frame is one shown picture.
const ENCODERS = {
  av1: ['-c:v', 'libaom-av1', '-usage', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-b:v', '600k'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-auto-alt-ref', '0', '-b:v', '600k'],
};

async function ffmpeg(args, what) {
  const r = await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', '-threads', '1', ...args], { timeoutMs: 600000 });
  if (r.code !== 0) throw new Error(`ffmpeg could not make ${what} (${r.code} ${r.signal ?? ''}): ${r.stderr}`);
}

export async function enhancedFlvFixture({ codec = 'av1', seconds = 10, fps = 25 } = {}) {
  if (!ENCODERS[codec]) throw new Error(`enhancedFlvFixture: codec ${codec}`);
  if (!existsSync(FLV_MUX_TOOL)) return { missing: `${path.relative(ROOT, FLV_MUX_TOOL)} is not built (scripts/build.sh native)` };
  const recipe = { codec, seconds, fps, encoder: ENCODERS[codec] };
  const key = createHash('sha256').update(JSON.stringify({ VERSION, recipe })).digest('hex').slice(0, 12);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const file = path.join(FIXTURE_DIR, `${codec}-eflv-${key}.flv`);
  if (!(existsSync(file) && statSync(file).size > 0)) {
    const tmp = path.join(FIXTURE_DIR, `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}-${codec}.flv`);
    const ivf = `${tmp}.ivf`;
    const aac = `${tmp}.aac`;
    try {
      const mezz = await barcodeMezzanine({ fps });
      await ffmpeg(['-i', mezz.file, '-frames:v', String(seconds * fps), ...ENCODERS[codec], '-g', String(fps),
        '-keyint_min', String(fps), '-pix_fmt', 'yuv420p', '-f', 'ivf', ivf], `the ${codec} IVF`);
      await ffmpeg(['-f', 'lavfi', '-i', 'aevalsrc=exprs=0.5*sin(2*PI*1000*t):sample_rate=44100:channel_layout=mono', '-t', String(seconds),
        '-c:a', 'aac', '-b:a', '64k', '-f', 'adts', aac], 'the ADTS AAC');
      const r = await run(FLV_MUX_TOOL, ['--video', ivf, '--audio', aac, '--fps', String(fps), '--codec', codec, '--check', '-o', tmp]);
      if (r.code !== 0) throw new Error(`lw-flv-mux failed (${r.code}): ${r.stdout} ${r.stderr}`);
      renameSync(tmp, file);
    } finally {
      for (const f of [tmp, ivf, aac]) rmSync(f, { force: true });
    }
  }
  return { file, ...recipe, frames: seconds * fps };
}
