// How long a page with many players takes to answer a call, and what each player shows: N <live-player>s
// of one 480x360 25 fps barcode stream (nginx-rtmp through the gateway) in headless Chromium; after 2004
// from every player, every 3 s the time one page.evaluate(() => 1) took and the first four players'
// renderer, decoder, fps and drops from their last netstatus. A page whose answer grows without bound is a
// page some queue has taken over (bench/RESULTS.md, "Stop 29": 16 players through tracks on 2 cores).
//
//   node bench/player_cost/page_answer.mjs [--players 16] [--renderer auto|video|webgl2|2d|page] [--rounds 8] [--profile]
// --profile: a V8 CPU profile of the page's main thread over 5 s after the first round (self time, top 25).
import { startPlayerEnv, sleep } from '../../tests/browser/lib/player_env.mjs';
import { publishBarcode } from '../../tests/browser/lib/publishers.mjs';
import { waitPublished } from '../../tests/interop/lib/gateway.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('players', 16));
const RENDERER = arg('renderer', 'auto');
const ROUNDS = Number(arg('rounds', 8));
const PROFILE = process.argv.includes('--profile');

const env = await startPlayerEnv({ browserArgs: ['--window-size=1600,1000'] });
const pub = await publishBarcode(env.nginx.url('many'), { video: { width: 480, height: 360 } });
try {
  await waitPublished(env.nginx, 'many');
  await env.configure({ renderer: RENDERER });
  const players = [];
  for (let i = 0; i < N; i++) players.push(await env.addPlayer({ src: env.nginx.url('many'), autoplay: true }, { style: 'width:320px;height:240px' }));
  await env.waitCodes(players, 2004, { timeoutMs: 60000 });
  console.log(`${N} players, renderer ${RENDERER}: 2004 from every player`);
  const t0 = Date.now();
  for (let k = 0; k < ROUNDS; k++) {
    const s = Date.now();
    await env.page.evaluate(() => 1);
    const answer = Date.now() - s;
    const info = await env.page.evaluate(() => [...document.querySelectorAll('live-player')].slice(0, 4).map((e) => {
      const n = (window.lwEvents[e.id] ?? []).filter((x) => x.type === 'netstatus').at(-1)?.detail.info;
      return n ? `${n.renderer}/${n.videoDecoder} ${n.videoFPS} fps, dropped ${n.droppedFrames}` : '-';
    }));
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s: the page answered in ${answer} ms; ${info.join(' | ')}`);
    if (k === 0 && PROFILE) {
      const cdp = await env.page.context().newCDPSession(env.page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
      await sleep(5000);
      const { profile } = await cdp.send('Profiler.stop');
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map();
      profile.samples.forEach((id, i) => {
        const f = byId.get(id).callFrame;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
      });
      for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(us / 1000).toFixed(0)} ms ${key}`);
    }
    await sleep(3000);
  }
} finally {
  await pub.stop();
  await env.close();
}
