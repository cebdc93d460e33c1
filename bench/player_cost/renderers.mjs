#!/usr/bin/env node
// One livewasm player per (decoder, renderer) at a size, the same stream and window for each: what each
// renderer costs (bench/RESULTS.md, Player cost, Renderers). Headless Chromium, the bench's stream file
// (streams.mjs) looped to nginx-rtmp, played through the gateway in a 640x360 <live-player>.
//
//   node bench/player_cost/renderers.mjs [SIZE] [DECODER:RENDERER,...] [ROUNDS]
//   node bench/player_cost/renderers.mjs 720 webcodecs:webgl2,webcodecs:2d,wasm:webgl2,wasm:2d 1
import { startPlayerEnv, sleep } from '../../tests/browser/lib/player_env.mjs';
import { waitPublished } from '../../tests/interop/lib/gateway.mjs';
import { streamFile, publishCopy } from './streams.mjs';
import { startCpuWindow } from './browser_cpu.mjs';

const SETTLE_MS = 5000;
const WINDOW_MS = 10000;
const size = Number(process.argv[2] || 720);
const combos = (process.argv[3] || 'webcodecs:webgl2,webcodecs:2d,wasm:webgl2,wasm:2d').split(',').map((s) => s.split(':'));
const rounds = Number(process.argv[4] || 1);

const env = await startPlayerEnv();
const src = await streamFile(size);
const pub = publishCopy(src.file, [env.nginx.url('renderers')]);
try {
  await waitPublished(env.nginx, 'renderers');
  console.log(`| decoder / renderer | cores | by process | shown fps | dropped | busiest threads |`);
  console.log(`|---|---|---|---|---|---|`);
  for (let r = 0; r < rounds; r++) {
    for (const [decoder, renderer] of combos) {
      const p = await env.addPlayer({ src: env.nginx.url('renderers'), autoplay: true },
        { style: 'width:640px;height:360px', configure: { videoDecoder: decoder, audioDecoder: decoder, renderer } });
      await p.waitCode(2004, { timeoutMs: 20000 });
      await sleep(SETTLE_MS);
      const n0 = (await p.events('netstatus')).at(-1).detail.info;
      const cpu = startCpuWindow(env.browser.pid);
      await sleep(WINDOW_MS);
      const c = cpu.stop();
      const n1 = (await p.events('netstatus')).at(-1).detail.info;
      const fps = ((n1.shownFrames - n0.shownFrames) * 1000) / WINDOW_MS;
      console.log(`| ${decoder} / ${n1.renderer} | ${c.cores} | ${JSON.stringify(c.byType)} | ${fps.toFixed(1)} | ${n1.droppedFrames - n0.droppedFrames} | ${JSON.stringify(c.threads.slice(0, 4))} |`);
      await p.remove();
      await sleep(1000);
    }
  }
} finally {
  await pub.stop?.();
  await env.close();
}
