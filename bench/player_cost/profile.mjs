#!/usr/bin/env node
// Where a livewasm player's time goes: one player of a stream (720p by default) on each decoder path,
// started and settled as in run.mjs, then a CPU profile (CDP Profiler, sampled every 200 us) of the page
// and of the player's worker at the same time. Prints the top self-time functions of each as cores
// (CPU seconds per second of the window; "(idle)" left out) and saves the .cpuprofile files for DevTools.
// The GPU process runs no JS: run.mjs's per-thread /proc figures cover it.
//
//   node bench/player_cost/profile.mjs [--size 720] [--kinds webcodecs,wasm] [--settle 6] [--seconds 10] [--top 15]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../tests/interop/lib/tools.mjs';
import { startPlayerEnv, playerMissing, sleep, until } from '../../tests/browser/lib/player_env.mjs';
import { waitPublished } from '../../tests/interop/lib/gateway.mjs';
import { streamFile, publishCopy } from './streams.mjs';
import { connectCdp } from './cdp.mjs';
import { watchLoad, loadText } from '../../scripts/machine_load.mjs';

const OUT = path.join(ROOT, 'build/player-cost');

/** Self time per function name (wasm functions without names pooled), as cores over the profile. */
export function selfTime(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const us = new Map();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    let name = f.functionName || '(anonymous)';
    if (/^(\$func\d+|wasm-function\[\d+\])$/.test(name)) name = '(wasm, unnamed)';
    else if (f.url) name += ` ${f.url.split('/').pop()}`;
    us.set(name, (us.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const span = profile.endTime - profile.startTime;
  const busy = [...us].filter(([n]) => n !== '(idle)').reduce((a, [, v]) => a + v, 0);
  return {
    seconds: Math.round(span / 1e4) / 100,
    busyCores: Math.round((busy / span) * 1000) / 1000,
    top: [...us].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, v]) => ({ name, cores: Math.round((v / span) * 1000) / 1000 })),
  };
}

async function profileBoth(endpoint, ms) {
  const cdp = await connectCdp(endpoint);
  try {
    const targets = await cdp.attach((t) => (t.type === 'page' && t.url.includes('player_test.html')) || (t.type === 'worker' && t.url.includes('player_worker')));
    for (const t of targets) {
      await cdp.send('Profiler.enable', {}, t.sessionId);
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 }, t.sessionId);
    }
    await Promise.all(targets.map((t) => cdp.send('Profiler.start', {}, t.sessionId)));
    await sleep(ms);
    const out = [];
    for (const t of targets) out.push({ type: t.type, profile: (await cdp.send('Profiler.stop', {}, t.sessionId, { timeoutMs: 60000 })).profile });
    return out;
  } finally {
    await cdp.close();
  }
}

async function main() {
  const o = { size: 720, kinds: ['webcodecs', 'wasm'], settle: 6, seconds: 10, top: 15 };
  for (let i = 2; i < process.argv.length; i += 2) {
    const [a, v] = [process.argv[i], process.argv[i + 1]];
    if (a === '--size') o.size = Number(v);
    else if (a === '--kinds') o.kinds = v.split(',');
    else if (a === '--settle') o.settle = Number(v);
    else if (a === '--seconds') o.seconds = Number(v);
    else if (a === '--top') o.top = Number(v);
    else { console.error(`unknown option ${a}`); process.exit(2); }
  }
  const missing = playerMissing();
  if (missing) { console.error(missing); process.exit(1); }
  const src = await streamFile(o.size);
  const env = await startPlayerEnv({ browserArgs: ['--window-size=1600,1000'] });
  const name = `s${o.size}`;
  const pub = publishCopy(src.file, [env.nginx.url(name)]);
  const results = {};
  try {
    await waitPublished(env.nginx, name, 15000);
    for (const kind of o.kinds) {
      await env.page.reload();
      await until(() => env.page.evaluate(() => window.lwReady === true), { timeoutMs: 15000, what: 'the page reloaded' });
      await env.configure({ gateway: env.gatewayUrl, videoDecoder: kind, audioDecoder: kind });
      const p = await env.addPlayer({ src: env.nginx.url(name), autoplay: true }, { style: 'width:640px;height:360px;display:block' });
      await p.waitCode(2004, { timeoutMs: 30000 });
      await sleep(o.settle * 1000);
      const load = watchLoad();
      const profiles = await profileBoth(env.browser.endpoint, o.seconds * 1000);
      results[kind] = { load: load() };
      for (const { type, profile } of profiles) {
        const file = path.join(OUT, `profile-${o.size}p-${kind}-${type}.cpuprofile`);
        mkdirSync(OUT, { recursive: true });
        writeFileSync(file, JSON.stringify(profile));
        results[kind][type] = { file: path.relative(ROOT, file), ...selfTime(profile, o.top) };
      }
      await p.remove();
    }
  } finally {
    await pub.stop().catch(() => {});
    await env.close();
  }
  for (const [kind, r] of Object.entries(results)) {
    console.log(`\n### ${o.size}p, livewasm ${kind}: ${loadText(r.load)}`);
    for (const type of ['page', 'worker']) {
      const t = r[type];
      if (!t) { console.log(`\n(no ${type} profile)`); continue; }
      console.log(`\n${type} (${t.file}): ${t.busyCores} cores of JS/wasm/GC/program over ${t.seconds} s\n\n| self time, cores | function |\n|---|---|`);
      for (const e of t.top) console.log(`| ${e.cores.toFixed(3)} | \`${e.name}\` |`);
    }
  }
  writeFileSync(path.join(OUT, `profile-${o.size}p.json`), JSON.stringify(results, null, 1));
}

if (import.meta.url === `file://${process.argv[1]}`) main().catch((err) => { console.error(err); process.exit(1); });
