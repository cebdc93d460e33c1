// The demo's own plotting code (demo/plots.js, demo/netstatus_plots.js) run in Node against a recording
// 2D context: a plot never throws on missing fields, NaN, strings or Infinity, and never draws at a
// non-finite coordinate; and the demo's control table covers every attribute the elements observe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimePlot, drawPlot, niceCeil, formatValue } from '../../demo/plots.js';
import { PLOT_SPECS, pusherValues, playerValues } from '../../demo/netstatus_plots.js';
import { PUSHER_CONTROLS, PLAYER_CONTROLS } from '../../demo/attribute_table.js';
import { PUSHER_ATTRIBUTES, PUSHER_LIVE_ATTRIBUTES, normalizePusherAttributes, attributeKey } from '../../js-api/pusher_attributes.js';
import { PLAYER_ATTRIBUTES, PLAYER_LIVE_ATTRIBUTES, normalizePlayerAttributes } from '../../js-api/player_attributes.js';

// A CanvasRenderingContext2D stand-in that records every coordinate it is given.
function recordingContext() {
  const calls = [];
  const coords = (name) => (...args) => { calls.push({ name, args }); };
  const ctx = { calls, fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: '', textBaseline: '' };
  for (const name of ['clearRect', 'fillRect', 'moveTo', 'lineTo', 'fillText', 'beginPath', 'closePath', 'stroke', 'fill', 'setLineDash', 'setTransform']) {
    ctx[name] = coords(name);
  }
  ctx.measureText = (text) => ({ width: String(text).length * 6 });
  return ctx;
}

function nonFinite(ctx) {
  return ctx.calls.filter((c) => ['clearRect', 'fillRect', 'moveTo', 'lineTo', 'fillText'].includes(c.name))
    .filter((c) => c.args.some((a) => typeof a === 'number' && !Number.isFinite(a)));
}

const BAD = [undefined, null, NaN, Infinity, -Infinity, 'abc', '12', {}, [], true];

test('every demo plot survives missing fields, NaN, strings and Infinity, and draws only finite coordinates', () => {
  for (const spec of PLOT_SPECS) {
    const plot = new TimePlot(null, spec);
    const ctx = recordingContext();
    // Empty plot.
    drawPlot(ctx, plot.state(), 0, 420, 170);
    // Garbage in every key, then garbage netstatus through the demo's own mapping.
    let t = 0;
    for (const bad of BAD) {
      const values = {};
      for (const s of spec.series) values[s.key] = bad;
      if (spec.band) { values[spec.band.lo] = bad; values[spec.band.hi] = bad; }
      plot.push(t++, values);
      plot.push(t, bad);  // not even an object
      plot.push(bad, values);
      plot.push(t++, pusherValues(bad));
      plot.push(t++, playerValues(bad, bad));
      plot.push(t++, playerValues({ cacheMs: bad, targetMs: bad }, { mode: 'live', minCache: bad, maxCache: bad }));
    }
    drawPlot(ctx, plot.state(), t, 420, 170);
    drawPlot(ctx, plot.state(), NaN, NaN, undefined);
    // Real values mixed with holes, a single point, all-equal values, a huge spike.
    plot.push(t++, pusherValues({ videoBitrate: 800, audioBitrate: 48, targetBitrate: 900, videoFPS: 30, backlogMs: 20, netJitter: 3 }));
    plot.push(t++, playerValues({ videoBitrate: 790, cacheMs: 1200, targetMs: 1500, videoFPS: NaN, netJitter: 'x' }, { mode: 'live', minCache: 1, maxCache: 3 }));
    plot.push(t + 5, pusherValues({ videoBitrate: 1e12 }));
    for (const now of [t, t + 5, t + 1000, -5]) drawPlot(ctx, plot.state(), now, 420, 170);
    drawPlot(ctx, plot.state(), t, 1, 1);
    assert.deepEqual(nonFinite(ctx), [], `${spec.id}: drawn at a non-finite coordinate`);
    assert.ok(ctx.calls.some((c) => c.name === 'fillText'), `${spec.id}: axes and legend have text`);
  }
});

test('a plot keeps only finite points, inside its window', () => {
  const plot = new TimePlot(null, PLOT_SPECS.find((s) => s.id === 'buffer'));
  for (let t = 0; t < 200; t++) plot.push(t, playerValues({ cacheMs: t % 7 ? 1000 + t : NaN, targetMs: 1500 }, { mode: 'live', minCache: 1, maxCache: 3 }));
  const level = plot.state().data.get('cacheMs');
  assert.ok(level.every((p) => Number.isFinite(p.v)));
  assert.ok(level[0].t >= 199 - 60 - 2.5, `oldest point ${level[0].t} is inside the 60 s window`);
  assert.deepEqual(plot.state().bandData.at(-1), { t: 199, lo: 1000, hi: 3000 });
  // RTC ignores the cache attributes: no band.
  const rtc = new TimePlot(null, PLOT_SPECS.find((s) => s.id === 'buffer'));
  rtc.push(1, playerValues({ cacheMs: 300 }, { mode: 'RTC', minCache: 1, maxCache: 3 }));
  assert.equal(rtc.state().bandData.length, 0);
});

test('the line breaks over a gap and the axis top is a nice number above the data', () => {
  const plot = new TimePlot(null, { title: 't', unit: 'u', series: [{ key: 'a', label: 'a', color: '#000' }] });
  for (const t of [0, 1, 2, 10, 11]) plot.push(t, { a: 42 });
  const ctx = recordingContext();
  drawPlot(ctx, plot.state(), 11, 400, 150);
  // The series' path: 2 moveTo (start, after the 8 s gap) among the line's own calls after setLineDash([]).
  const lineStart = ctx.calls.findLastIndex((c) => c.name === 'setLineDash' && c.args[0].length === 0 && ctx.calls.slice(ctx.calls.indexOf(c)).some((d) => d.name === 'lineTo'));
  const path = ctx.calls.slice(lineStart).filter((c) => c.name === 'moveTo' || c.name === 'lineTo');
  assert.deepEqual(path.map((c) => c.name), ['moveTo', 'lineTo', 'lineTo', 'moveTo', 'lineTo']);
  assert.equal(niceCeil(42 * 1.05, 1), 50);
  assert.equal(niceCeil(0, 100), 100);
  assert.equal(niceCeil(NaN, NaN), 1);
  assert.equal(niceCeil(1201, 1), 2000);
  assert.equal(formatValue(NaN), '–');
  assert.equal(formatValue(1234.4), '1234');
  assert.equal(formatValue(12.34), '12.3');
});

test('the demo has a control for every attribute of <live-pusher> and <live-player>, with valid choices', () => {
  const names = (table) => table.map((r) => r.name).sort();
  assert.deepEqual(names(PUSHER_CONTROLS), [...PUSHER_ATTRIBUTES].sort());
  assert.deepEqual(names(PLAYER_CONTROLS), [...PLAYER_ATTRIBUTES].sort());
  // What a control says of when a change applies agrees with the element: what the element applies at
  // once is labelled live, and nothing labelled "next start" is applied at once. (A few more are live
  // for the demo's purpose without being in the element's set: background-mute is read when the page
  // hides, autopush/autoplay start the element.)
  for (const [table, liveSet] of [[PUSHER_CONTROLS, PUSHER_LIVE_ATTRIBUTES], [PLAYER_CONTROLS, PLAYER_LIVE_ATTRIBUTES]]) {
    for (const row of table) {
      if (liveSet.includes(row.name)) assert.equal(row.when, 'live', `${row.name} applies at once`);
      if (row.when === 'start') assert.ok(!liveSet.includes(row.name), `${row.name} is labelled next start`);
    }
  }
  // Every choice a control offers is accepted by the element (no `error` event from the demo itself).
  for (const [table, normalize] of [[PUSHER_CONTROLS, normalizePusherAttributes], [PLAYER_CONTROLS, normalizePlayerAttributes]]) {
    for (const row of table) {
      assert.ok(['live', 'start', 'first'].includes(row.when), `${row.name}: when`);
      const values = row.kind === 'select' ? row.options : row.kind === 'bool' ? ['true', 'false'] : row.kind === 'text' ? [] : [row.min, row.max, row.value];
      for (const v of values) {
        if (v === '') continue;
        const key = attributeKey(row.name);
        const { problems } = normalize({ [key]: String(v) });
        assert.deepEqual(problems.filter((p) => p.startsWith(`${key}:`)), [], `${row.name}=${v}`);
      }
    }
  }
});
