// The player module's WasmVideoDecoder under Node, one thread: every packet of an FLV's video track is
// placed in wasm memory once (as PlaySession holds them), then decodeAt + nextFrame (the views the
// renderer would upload) over the whole track, flush, repeat for `seconds`. Returns fps, and cpuFps: the
// frames over the CPU time the process used meanwhile (steadier than wall time on a machine shared with
// other work, which takes the CPU away but does not add to this process's CPU time).
//
//   node bench/player/wasm_speed.mjs <module.mjs> <in.flv> [seconds] [threads]   (prints one JSON line)
//
// threads: the decoder's threads (configure's `threads`), for the threads build livewasm_player_mt
// (FFmpeg's frame threads on its pthread pool); cpuFps then counts the CPU time of every thread of the
// process, fps is the wall-clock rate (what real time needs). Node runs Emscripten's pthread worker
// ({name}.worker.js) as CommonJS, which this package's "type": "module" forbids for a .js file: it is
// copied to a .cjs beside the system's temp files first. A thread that waits (the caller for a picture,
// a frame thread for its reference) blocks in Atomics.wait, here as in the player's worker (the glue
// spins only on a page's main thread): a --cpu-prof profile shows that wait as emscripten_futex_wait.
// load1 is the 1-minute load average at the start.
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { flvVideoTrack } from './flv_track.mjs';

// The threads build's factory options (its pthread worker as CommonJS, see above); {} for the others.
export function factoryOptions(modulePath) {
  const worker = modulePath.replace(/\.mjs$/, '.worker.js');
  if (!existsSync(worker)) return {};
  const cjs = path.join(mkdtempSync(path.join(tmpdir(), 'lw-pthread-')), 'worker.cjs');
  copyFileSync(worker, cjs);
  const glue = pathToFileURL(path.resolve(modulePath));
  // file: URLs for the rest, as the glue makes them itself (a bare path would go to fetch()).
  return { locateFile: (p) => (p.endsWith('.worker.js') ? cjs : new URL(p, glue).href), mainScriptUrlOrBlob: glue.href };
}

export async function wasmSpeed(modulePath, flvPath, seconds = 5, threads = 1) {
  const load1 = loadavg()[0];
  const { default: factory } = await import(pathToFileURL(modulePath).href);
  const core = await factory(factoryOptions(modulePath));
  const track = flvVideoTrack(readFileSync(flvPath));
  const placed = track.packets.map((p) => {
    const ptr = core._malloc(p.data.length);
    core.HEAPU8.set(p.data, ptr);
    return { ptr, size: p.data.length, ptsUs: p.ptsUs, key: p.key };
  });
  const vd = new core.WasmVideoDecoder();
  const c = vd.configure({ decoder: track.codec, description: track.config, threads });
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
  return { codec: track.codec, threads, threadPool: core.decoderInfo().threadPool, frames, runs, seconds: s, fps: frames / s,
    cpuSeconds: cpuS, cpuFps: frames / cpuS, load1, width, height, sink };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [modulePath, flvPath, seconds = '5', threads = '1'] = process.argv.slice(2);
  console.log(JSON.stringify(await wasmSpeed(modulePath, flvPath, Number(seconds), Number(threads))));
  process.exit(0);  // a threads build's pthread workers would keep Node running
}
