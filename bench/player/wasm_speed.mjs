// The player module's WasmVideoDecoder under Node, one thread: every packet of an FLV's video track is
// placed in wasm memory once (as PlaySession holds them), then decodeAt + nextFrame (the views the
// renderer would upload) over the whole track, flush, repeat for `seconds`. Returns fps, and cpuFps: the
// frames over the CPU time the process used meanwhile (steadier than wall time on a machine shared with
// other work, which takes the CPU away but does not add to this process's CPU time).
//
//   node bench/player/wasm_speed.mjs <module.mjs> <in.flv> [seconds]   (prints one JSON line)
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { flvVideoTrack } from './flv_track.mjs';

export async function wasmSpeed(modulePath, flvPath, seconds = 5) {
  const { default: factory } = await import(pathToFileURL(modulePath).href);
  const core = await factory();
  const track = flvVideoTrack(readFileSync(flvPath));
  const placed = track.packets.map((p) => {
    const ptr = core._malloc(p.data.length);
    core.HEAPU8.set(p.data, ptr);
    return { ptr, size: p.data.length, ptsUs: p.ptsUs, key: p.key };
  });
  const vd = new core.WasmVideoDecoder();
  const c = vd.configure({ decoder: track.codec, description: track.config });
  if (!c.ok) throw new Error(c.error);
  let frames = 0, sink = 0, width = 0, height = 0, runs = 0;
  const take = () => {
    for (let f; (f = vd.nextFrame()); ) frames++, (sink += f.y[0]), (width = f.width), (height = f.height);
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let t = t0;
  do {
    for (const p of placed) {
      const r = vd.decodeAt(p.ptr, p.size, p.ptsUs, p.key);
      if (!r.ok) throw new Error(r.error);
      take();
    }
    vd.flush();
    take();
    runs++;
    t = performance.now();
  } while (t - t0 < seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  vd.delete();
  for (const p of placed) core._free(p.ptr);
  const s = (t - t0) / 1000;
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return { codec: track.codec, frames, runs, seconds: s, fps: frames / s, cpuSeconds: cpuS, cpuFps: frames / cpuS, width, height, sink };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [modulePath, flvPath, seconds = '5'] = process.argv.slice(2);
  console.log(JSON.stringify(await wasmSpeed(modulePath, flvPath, Number(seconds))));
}
