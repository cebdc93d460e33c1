// A digest of every decoded picture of an FLV's video track through the player module's
// WasmVideoDecoder (decodeAt + nextFrame, then flush): SHA-256 over the visible pixels of each frame in
// output order, Y rows then U rows then V rows (I420), the same bytes as
// `ffmpeg -i in.flv -f rawvideo -pix_fmt yuv420p - | sha256sum`. Two modules decode identically when
// their digests match (issue 20: the SIMD kernels must not change a pixel); ffmpegDigest is the same
// digest of Debian's ffmpeg (x86 asm) decoding the file.
//
//   node bench/player/wasm_digest.mjs <module.mjs> <in.flv> [threads]   (prints one JSON line: frames, sha256)
// threads: the decoder's threads in the threads build livewasm_player_mt (wasm_speed.mjs loads it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { flvVideoTrack } from './flv_track.mjs';
import { factoryOptions } from './wasm_speed.mjs';

export async function wasmDigest(modulePath, flvPath, threads = 1) {
  const { default: factory } = await import(pathToFileURL(modulePath).href);
  const core = await factory(factoryOptions(modulePath));
  const track = flvVideoTrack(readFileSync(flvPath));
  const vd = new core.WasmVideoDecoder();
  const c = vd.configure({ decoder: track.codec, description: track.config, threads });
  if (!c.ok) throw new Error(c.error);
  const hash = createHash('sha256');
  let frames = 0, width = 0, height = 0;
  const plane = (view, stride, w, h) => {
    for (let y = 0; y < h; y++) hash.update(view.subarray(y * stride, y * stride + w));
  };
  const take = () => {
    for (let f; (f = vd.nextFrame()); ) {
      frames++;
      width = f.width;
      height = f.height;
      const cw = (f.width + 1) >> 1, ch = (f.height + 1) >> 1;
      plane(f.y, f.strideY, f.width, f.height);
      plane(f.u, f.strideU, cw, ch);
      plane(f.v, f.strideV, cw, ch);
    }
  };
  for (const p of track.packets) {
    const r = vd.decode(p.data, p.ptsUs, p.key);
    if (!r.ok) throw new Error(r.error);
    take();
  }
  vd.flush();
  take();
  vd.delete();
  return { codec: track.codec, threads, frames, width, height, sha256: hash.digest('hex') };
}

export function ffmpegDigest(flvPath) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const p = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-threads', '1', '-i', flvPath,
      '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d) => hash.update(d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ sha256: hash.digest('hex') }) : reject(new Error(`ffmpeg exited ${code}`))));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [modulePath, flvPath, threads = '1'] = process.argv.slice(2);
  console.log(JSON.stringify(await wasmDigest(modulePath, flvPath, Number(threads))));
  process.exit(0);  // a threads build's pthread workers would keep Node running
}
