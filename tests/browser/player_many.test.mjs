// Sixteen <live-player>s on one page (four per core: see PLAYERS), all playing one 360p stream (the barcode source scaled 1.5x to
// 480x360, 25 fps, from nginx-rtmp through the gateway), in headless Chromium on this shared 2-core
// machine: every frame of every player is accounted for (issue 18). The frame rate is not asserted here
// (bench/player_cost/run.mjs measures it); what is asserted is that a player never loses a frame silently.
//
// For each player, over a window of ~10 s between two of its netstatus samples A and B:
//   - the frames the stream sent between A and B are read from the canvas: the barcode numbers shown at
//     A and at B (publishers.mjs: frame i carries i mod 4096), so the count does not depend on latency;
//   - shownFrames + droppedFrames (netstatus) grew by at least that count, less EDGE_SLACK;
//   - the numbers on the canvas never go backwards, and every number missing from it is covered by what
//     the player reported dropped (player_env unreportedGaps).
// The number shown at a moment X is known within a bracket: the last number the picture probe saw at or
// before X (lo: it was on screen by then) and the first it saw after X (hi: the picture only moves forward).
// The stream's count between A and B is at least lo(B) - hi(A); that is what is covered.
// EDGE_SLACK (6 frames, 240 ms of stream) is for what the bracket does not hold: a netstatus sample is
// taken in the worker and timed when the page receives it (a busy main thread delays it by tens of ms, and
// the probe's sample is taken a moment after its rAF time), and frames too late to decode are counted
// dropped when they are passed over, up to the decoder's lead (150 ms) before their turn on screen.
// A silent loss grows with the window (a worker that skips one picture in ten without counting it loses
// 25 in 10 s) and is caught; a few frames at the window's edges are not mistaken for one.
// More counted than the bracket's upper end (hi(B) - lo(A)) is printed, not asserted: frames dropped on
// arrival (a full queue) or up to a key frame are counted when they are passed over, ahead of the picture.
// A player told by the gateway that it dropped frames (2107, the viewer's link was too slow) is excused
// from the count for that window: those frames never reached it, and it said so.
// lw-runner: alone in chromium
// (scripts/lane_lock.mjs: 4 players per core in one page keep the machine 80 % busy; beside the other lane its
// first attempt failed in stop 29's CI and stop 30's run.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startPlayerEnv, playerMissing, unreportedGaps, sleep } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { orderReport } from './lib/picture_probe.mjs';
import { waitPublished } from '../interop/lib/gateway.mjs';

// Four players per core, at most 16: the 16 on 4 cores or more, 8 on this project's 2-core test
// machine. On 2 cores (AMD EPYC, stop 29) 16 players of 360p were past what the machine decodes and
// composites in headless Chromium with software GL: on the worker's WebGL2 canvas 5-9 fps each, through
// tracks a page that took minutes to answer (js-api/video_track_surface.js); 8 played at 22-25 fps each.
// What is asserted (every frame shown or reported dropped) holds at any rate; a machine past its
// capacity only made the run end by the file's bound, saying nothing about the player.
const PLAYERS = Math.min(16, 4 * os.cpus().length);
const SIZE = { width: 480, height: 360 };
const WINDOW_MS = 10000;
const EDGE_SLACK = 6;

const missing = playerMissing();

// lo/hi of the number on screen at page time x (see the top), from the probe's entries and their unwrapped numbers.
function bracket(frames, seq, x) {
  let i = -1;
  while (i + 1 < frames.length && frames[i + 1].t <= x) i++;
  if (i < 0) return null;
  return { lo: seq[i], hi: i + 1 < seq.length ? seq[i + 1] : seq[i] };
}

describe(`${PLAYERS} players of 360p on one page`, { skip: missing ?? false }, () => {
  let env;
  let pub;
  let counted = null;  // per player, from the first test: {id, dropped, sentLo, codes (all so far)}
  before(async () => {
    env = await startPlayerEnv({ browserArgs: ['--window-size=1600,1000'] });
    pub = await publishBarcode(env.nginx.url('many'), { video: SIZE });
    await waitPublished(env.nginx, 'many');
  });
  after(async () => {
    await pub?.stop();
    await env?.close();
  });

  test('every frame of every player is shown or reported dropped, and no picture goes backwards', async () => {
    // Each step says when it ended (seconds since the test began), so that a run that is cut off shows where.
    const began = Date.now();
    const step = (what) => console.log(`[${((Date.now() - began) / 1000).toFixed(1)} s] ${what}`);
    const players = [];
    for (let i = 0; i < PLAYERS; i++) {
      players.push(await env.addPlayer({ src: env.nginx.url('many'), autoplay: true }, { style: 'width:320px;height:240px' }));
    }
    step(`${PLAYERS} players added`);
    await env.waitCodes(players, 2004, { timeoutMs: 60000 });
    step('2004 from every player');
    await sleep(3000);
    const probes = [];
    for (const p of players) probes.push(await p.watchPicture({ srcWidth: SIZE.width, srcHeight: SIZE.height }));
    step('picture probes started');
    await sleep(2000);
    const t0 = await env.page.evaluate(() => performance.now());
    await sleep(WINDOW_MS);
    const t1 = await env.page.evaluate(() => performance.now());
    await sleep(2000);  // a netstatus after t1 for every player (about one a second)
    const pictures = [];
    for (const id of probes) pictures.push(await env.probe.read(id));
    await env.page.evaluate((ids) => ids.forEach((id) => window.lwProbe.stop(id)), probes);
    step('probes read');

    const problems = [];
    const lines = [];
    counted = [];
    for (let k = 0; k < PLAYERS; k++) {
      const p = players[k];
      const pic = pictures[k];
      const net = await p.netstatus();
      const a = net.filter((n) => n.t <= t0).at(-1);
      const b = net.find((n) => n.t >= t1);
      const order = orderReport(pic.frames, { frameMs: 1000 / pub.fps });
      const events = await p.all();
      const codes = events.filter((e) => e.type === 'statechange' && e.t > (a?.t ?? t0) && e.t <= (b?.t ?? t1)).map((e) => e.detail.code);
      if (!a || !b) { problems.push(`${p.id}: no netstatus around the window (${net.length} samples)`); continue; }
      const ba = bracket(pic.frames, order.sequence, a.t);
      const bb = bracket(pic.frames, order.sequence, b.t);
      if (!ba || !bb) { problems.push(`${p.id}: the probe saw no picture by ${a.t.toFixed(0)} ms (${pic.frames.length} numbers, ${pic.unreadable} unreadable)`); continue; }
      const shown = b.shownFrames - a.shownFrames;
      const dropped = b.droppedFrames - a.droppedFrames;
      const sentLo = bb.lo - ba.hi;
      const sentHi = bb.hi - ba.lo;
      const seconds = (b.t - a.t) / 1000;
      lines.push(`${p.id}: ${seconds.toFixed(1)} s: shown ${shown} + dropped ${dropped} = ${shown + dropped}; stream sent ${sentLo}..${sentHi} ` +
        `(canvas ${order.first}..${order.last}, ${order.count} numbers, ${order.missing} missing, ${order.backwards.length} backwards); ` +
        `${(shown / seconds).toFixed(1)} fps; probe ${pic.samples} samples, ${pic.skipped} skipped; codes ${JSON.stringify(codes)}`);
      counted.push({ id: p.id, dropped, sentLo, codes: events.filter((e) => e.type === 'statechange').map((e) => e.detail.code) });
      if (order.backwards.length) problems.push(`${p.id}: numbers went backwards: ${JSON.stringify(order.backwards.slice(0, 5))}`);
      if (sentLo < 10) problems.push(`${p.id}: the picture hardly moved in the window (${ba.hi} -> ${bb.lo})`);
      const excused = codes.includes(2107);
      if (!excused && shown + dropped < sentLo - EDGE_SLACK) {
        problems.push(`${p.id}: ${sentLo - shown - dropped} frames unaccounted for: the stream sent at least ${sentLo}, the player reported ${shown} shown + ${dropped} dropped`);
      }
      // The gaps on the canvas between A and B, against the drops reported between A and B.
      const inWindow = orderReport(pic.frames.filter((f) => f.t > a.t && f.t <= b.t), { frameMs: 1000 / pub.fps });
      const w = { order: inWindow, dropped, skips: b.skips - a.skips, net: net.filter((n) => n.t >= a.t && n.t <= b.t) };
      const gaps = excused ? null : unreportedGaps(w);
      if (gaps) problems.push(`${p.id}: ${gaps}`);
    }
    console.log(lines.join('\n'));
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join('\n')}\n\n${lines.join('\n')}`);
  });

  // 2105 PLAY_WARNING_VIDEO_PLAY_LAG (docs/api.md); issue 18: "a frame dropped under load is reported in
  // netstatus and by 2105, never silent". The core raises it when, in a second of playback, at least 5
  // and a fifth of the pictures due were dropped (wasm/core/play/playout.cc check_drops): a player whose
  // window dropped a fifth or more must have said so.
  test('a player that drops a fifth of its frames or more says so with 2105', () => {
    if (!counted) return;
    const silent = counted.filter((c) => c.sentLo > 0 && c.dropped >= 0.2 * c.sentLo && c.dropped >= 10 && !c.codes.includes(2105));
    assert.deepEqual(silent.map((c) => `${c.id}: ${c.dropped} of ${c.sentLo} dropped, codes ${JSON.stringify(c.codes)}`), []);
  });
});
