#!/usr/bin/env node
// What a player costs a page, beside mpegts.js (issue 18): headless Debian Chromium, ffmpeg looping a
// pre-encoded testsrc2 stream (streams.mjs) to nginx-rtmp (livewasm plays rtmp:// through the gateway)
// and to node-media-server (HTTP-FLV for mpegts.js), one kind of player at a time on a fresh page
// (scenario.mjs), interleaved in rounds. Prints a markdown table, writes JSON.
//
//   node bench/player_cost/run.mjs                                  # everything (about 20 minutes)
//   node bench/player_cost/run.mjs --single 720 --many none --rounds 1 --window 8
//   node bench/player_cost/run.mjs --single none --many 360 --counts 16 --kinds wasm,mpegts
//
// Options: --single SIZES (360,720,1080 | none), --many SIZES (360,720 | none), --counts 4,9,16,
// --kinds webcodecs,wasm,mpegts (also webcodecs-flv, wasm-flv: livewasm on the same HTTP-FLV),
// --rounds N (single streams, default 2), --many-rounds N (default 1), --settle S (6), --window S (12),
// --mode live|RTC (the <live-player> mode, default live), --json FILE (default build/player-cost/results.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { ROOT } from '../../tests/interop/lib/tools.mjs';
import { startPlayerEnv, playerMissing, peerMissing, sleep } from '../../tests/browser/lib/player_env.mjs';
import { waitPublished } from '../../tests/interop/lib/gateway.mjs';
import { waitNmsPublished } from '../../tests/browser/lib/node_media_server.mjs';
import { streamFile, publishCopy } from './streams.mjs';
import { measure, KINDS } from './scenario.mjs';
import { markdown, threadLines } from './table.mjs';
import { watchLoad, loadText } from '../../scripts/machine_load.mjs';

function parseArgs(argv) {
  const o = { single: [360, 720, 1080], many: [360, 720], counts: [4, 9, 16], kinds: ['webcodecs', 'wasm', 'mpegts'], rounds: 2, manyRounds: 1,
    settle: 6, window: 12, mode: 'live', json: path.join(ROOT, 'build/player-cost/results.json') };
  const list = (v) => (v === 'none' ? [] : v.split(',').map((x) => (/^\d+$/.test(x) ? Number(x) : x)));
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--single') o.single = list(v);
    else if (a === '--many') o.many = list(v);
    else if (a === '--counts') o.counts = list(v);
    else if (a === '--kinds') o.kinds = list(v);
    else if (a === '--rounds') o.rounds = Number(v);
    else if (a === '--many-rounds') o.manyRounds = Number(v);
    else if (a === '--settle') o.settle = Number(v);
    else if (a === '--window') o.window = Number(v);
    else if (a === '--mode') o.mode = v;
    else if (a === '--json') o.json = path.resolve(v);
    else { console.error(`unknown option ${a} (see the top of ${path.relative(process.cwd(), process.argv[1])})`); process.exit(2); }
    i++;
  }
  for (const k of o.kinds) if (!KINDS.includes(k)) { console.error(`unknown kind ${k} (${KINDS.join(', ')})`); process.exit(2); }
  return o;
}

function machine() {
  const cpu = os.cpus();
  const chromium = (() => { try { return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return null; } })();
  return { cpus: cpu.length, model: cpu[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), chromium, node: process.version };
}

async function main() {
  const o = parseArgs(process.argv);
  const livewasm = o.kinds.some((k) => k !== 'mpegts');
  const missing = (livewasm ? playerMissing() : null) ?? peerMissing();
  if (missing) { console.error(missing); process.exit(1); }
  const sizes = [...new Set([...o.single, ...o.many])];
  const files = {};
  for (const h of sizes) files[h] = await streamFile(h);
  const env = await startPlayerEnv({ nms: true, browserArgs: ['--window-size=1600,1000'] });
  const pubs = [];
  const rows = [];
  // Cut short (Ctrl-C, a signal: the browser harness turns those into exit), take what was started along:
  // the browser and node-media-server go by their own exit handlers, these would be left running.
  const leftovers = () => {
    for (const p of pubs) try { p.proc.kill('SIGKILL'); } catch {}
    for (const pid of [env.nginx?.pid, env.gw?.pid]) if (pid) try { process.kill(-pid, 'SIGKILL'); } catch {}
  };
  process.once('exit', leftovers);
  const started = new Date();
  const whole = watchLoad();
  mkdirSync(path.dirname(o.json), { recursive: true });
  try {
    for (const h of sizes) {
      const name = `s${h}`;
      pubs.push(publishCopy(files[h].file, [env.nginx.url(name), env.nms.rtmpUrl(name)]));
      await waitPublished(env.nginx, name, 15000);
      await waitNmsPublished(env.nms, name, { timeoutMs: 15000 });
    }
    await sleep(2000);
    const servers = { nginx: { group: env.nginx.pid }, nms: { group: env.nms.pid }, ...(env.gw ? { gateway: { group: env.gw.pid } } : {}) };
    const one = async (h, count, kind, round) => {
      const stream = { name: `s${h}`, fps: files[h].fps };
      const label = `${h}p x${count} ${kind} round ${round}`;
      let row;
      try {
        row = await measure(env, { kind, count, stream, settleMs: o.settle * 1000, windowMs: o.window * 1000, mode: o.mode,
          servers: { ...servers, ffmpeg: { pid: pubs[sizes.indexOf(h)].proc.pid } } });
      } catch (err) {
        row = { kind, count, stream: stream.name, error: String(err.message).split('\n')[0] };
      }
      row.round = round;
      row.height = h;
      rows.push(row);
      writeFileSync(o.json, JSON.stringify({ partial: true, options: o, rows }, null, 1));  // what is measured so far, if the run is cut
      console.log(row.error ? `${label}: ${row.error}` :
        `${label}: ${row.cpu.cores} cores (${Object.entries(row.cpu.byType).map(([k, v]) => `${k} ${v}`).join(', ')}), ` +
        `${row.fps.mean} fps (min ${row.fps.min}), shown ${row.frames.shown}/${row.frames.sent} sent, dropped ${row.frames.dropped}; ${loadText(row.load)}` +
        (row.startErrors ? `; start: ${row.startErrors.join('; ')}` : ''));
    };
    for (let r = 1; r <= o.rounds; r++) for (const h of o.single) for (const k of o.kinds) await one(h, 1, k, r);
    for (let r = 1; r <= o.manyRounds; r++) for (const h of o.many) for (const n of o.counts) for (const k of o.kinds) await one(h, n, k, r);
  } finally {
    for (const p of pubs) await p.stop().catch(() => {});
    await env.close();
    process.removeListener('exit', leftovers);
  }
  const result = { command: `node bench/player_cost/run.mjs ${process.argv.slice(2).join(' ')}`.trim(), started: started.toISOString(),
    options: o, machine: machine(), load: whole(), rows };
  mkdirSync(path.dirname(o.json), { recursive: true });
  writeFileSync(o.json, JSON.stringify(result, null, 1));
  console.log(`\n${result.command}\n${result.started}; whole run: ${loadText(result.load)} over ${result.load.seconds} s; ${result.machine.cpus} CPUs ${result.machine.model}; ${result.machine.chromium}\n`);
  console.log(markdown(rows));
  console.log(`\nBusiest threads (cores):\n${threadLines(rows)}`);
  console.log(`\nJSON: ${path.relative(process.cwd(), o.json)}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
