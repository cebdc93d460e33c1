// Small hand-drawn time plots for the demo (no chart library): a sliding window (60 s) of a few series,
// y axis with its unit, a legend with each series' current value, and an optional band (e.g. the
// player's min-cache..max-cache). Fed from `netstatus` about once a second; a missing field, NaN or a
// string simply adds no point (a gap), it never throws and never draws at a NaN coordinate.
//
//   const plot = new TimePlot(canvas, { title: 'bitrate', unit: 'kbps', series: [{ key: 'v', label: 'video', color: '#e33' }] });
//   plot.push(performance.now() / 1000, { v: info.videoBitrate });  // keys not given add nothing
//   plot.draw();  // or drawPlot(ctx, plot.state(), now, width, height) with any 2D context

const GAP_S = 2.5;          // no point for this long: the line breaks
const PAD = { left: 44, right: 8, top: 34, bottom: 18 };
const FONT = '11px system-ui, sans-serif';

/** A finite number or null (netstatus fields may be absent, strings or NaN). */
export function finite(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The smallest "nice" axis top (1, 2, 2.5, 5 x 10^k) at or above v, never below `floor`. */
export function niceCeil(v, floor = 1) {
  const x = Math.max(finite(v) ?? 0, finite(floor) ?? 1, 1e-9);
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x - 1e-9) return m * p;
  return 10 * p;
}

/** Short text for a value: 1234 -> "1234", 12.345 -> "12.3", 0.5 -> "0.5". */
export function formatValue(v) {
  const x = finite(v);
  if (x === null) return '–';
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Math.round(x * 10) / 10);
}

export class TimePlot {
  /**
   * @param {HTMLCanvasElement | null} canvas  null for a plot that only keeps data (tests)
   * @param {{title: string, unit: string, series: {key: string, label: string, color: string, dash?: number[]}[],
   *          band?: {lo: string, hi: string, label: string, color: string}, windowS?: number, minTop?: number}} spec
   */
  constructor(canvas, spec) {
    this.canvas = canvas;
    this.spec = { windowS: 60, minTop: 1, ...spec };
    this.data = new Map(spec.series.map((s) => [s.key, []]));
    this.bandData = [];  // {t, lo, hi}
    this.latest = 0;
  }

  /** Adds the finite values among `values` at time `t` (seconds); anything else is skipped. */
  push(t, values) {
    const time = finite(t);
    if (time === null || !values || typeof values !== 'object') return;
    this.latest = Math.max(this.latest, time);
    for (const s of this.spec.series) {
      const v = finite(values[s.key]);
      if (v !== null) this.data.get(s.key).push({ t: time, v });
    }
    const band = this.spec.band;
    if (band) {
      const lo = finite(values[band.lo]);
      const hi = finite(values[band.hi]);
      if (lo !== null && hi !== null) this.bandData.push({ t: time, lo: Math.min(lo, hi), hi: Math.max(lo, hi) });
    }
    this.trim(time - this.spec.windowS - GAP_S);
  }

  trim(before) {
    const cut = (list) => { let i = 0; while (i < list.length && list[i].t < before) i++; if (i) list.splice(0, i); };
    for (const list of this.data.values()) cut(list);
    cut(this.bandData);
  }

  /** What drawPlot needs: the spec, the points and the band. */
  state() {
    return { spec: this.spec, data: this.data, bandData: this.bandData };
  }

  /** Draws on the plot's canvas at its CSS size (sharp on high-DPI screens). */
  draw(now = this.latest) {
    if (!this.canvas) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || this.canvas.width;
    const height = this.canvas.clientHeight || this.canvas.height;
    if (this.canvas.width !== Math.round(width * dpr)) this.canvas.width = Math.round(width * dpr);
    if (this.canvas.height !== Math.round(height * dpr)) this.canvas.height = Math.round(height * dpr);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawPlot(ctx, this.state(), now, width, height);
  }
}

/**
 * Draws one plot with any CanvasRenderingContext2D-like object.
 * @param {CanvasRenderingContext2D} ctx
 * @param {{spec: object, data: Map<string, {t: number, v: number}[]>, bandData: {t: number, lo: number, hi: number}[]}} state
 * @param {number} now  the right edge of the window, seconds
 */
export function drawPlot(ctx, { spec, data, bandData }, now, width, height) {
  const w = Math.max(1, (finite(width) ?? 300) - PAD.left - PAD.right);
  const h = Math.max(1, (finite(height) ?? 150) - PAD.top - PAD.bottom);
  const right = finite(now) ?? 0;
  const left = right - spec.windowS;
  ctx.clearRect(0, 0, PAD.left + w + PAD.right, PAD.top + h + PAD.bottom);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, PAD.left + w + PAD.right, PAD.top + h + PAD.bottom);

  // The axis top: the largest visible value (band included), rounded up to a nice number.
  let top = 0;
  for (const list of data.values()) for (const p of list) if (p.t >= left) top = Math.max(top, p.v);
  for (const b of bandData) if (b.t >= left) top = Math.max(top, b.hi);
  top = niceCeil(top * 1.05, spec.minTop);
  const x = (t) => PAD.left + ((t - left) / spec.windowS) * w;
  const y = (v) => PAD.top + h - (Math.max(0, Math.min(v, top)) / top) * h;

  drawAxes(ctx, spec, top, w, h, y);
  if (bandData.length) drawBand(ctx, spec.band, bandData.filter((b) => b.t >= left - GAP_S), x, y);
  for (const s of spec.series) drawLine(ctx, s, (data.get(s.key) || []).filter((p) => p.t >= left - GAP_S), x, y, left);
  drawLegend(ctx, spec, data);
}

function drawAxes(ctx, spec, top, w, h, y) {
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  ctx.strokeStyle = '#e4e4e4';
  ctx.fillStyle = '#555';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    const yy = Math.round(y(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, yy);
    ctx.lineTo(PAD.left + w, yy);
    ctx.stroke();
    ctx.fillText(formatValue(v), PAD.left - 4, yy);
  }
  // x: seconds ago, every 15 s of a 60 s window.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const step = spec.windowS / 4;
  for (let i = 0; i <= 4; i++) {
    const xx = PAD.left + (w * i) / 4;
    const ago = Math.round(spec.windowS - step * i);
    ctx.fillText(ago ? `-${ago} s` : 'now', Math.min(xx, PAD.left + w - 12), PAD.top + h + 4);
  }
  ctx.strokeStyle = '#999';
  ctx.beginPath();
  ctx.moveTo(PAD.left + 0.5, PAD.top);
  ctx.lineTo(PAD.left + 0.5, PAD.top + h + 0.5);
  ctx.lineTo(PAD.left + w, PAD.top + h + 0.5);
  ctx.stroke();
  // Title and unit, top left over the axis.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#222';
  ctx.font = `bold ${FONT}`;
  ctx.fillText(`${spec.title} (${spec.unit})`, 4, 13);
}

function drawBand(ctx, band, points, x, y) {
  if (!points.length) return;
  ctx.fillStyle = band.color;
  ctx.beginPath();
  // Steps: the band holds its value until the next sample (attributes change in steps).
  ctx.moveTo(x(points[0].t), y(points[0].hi));
  for (let i = 1; i < points.length; i++) {
    ctx.lineTo(x(points[i].t), y(points[i - 1].hi));
    ctx.lineTo(x(points[i].t), y(points[i].hi));
  }
  for (let i = points.length - 1; i >= 0; i--) {
    ctx.lineTo(x(points[i].t), y(points[i].lo));
    if (i > 0) ctx.lineTo(x(points[i].t), y(points[i - 1].lo));
  }
  ctx.closePath();
  ctx.fill();
}

function drawLine(ctx, s, points, x, y, left) {
  if (!points.length) return;
  ctx.strokeStyle = s.color;
  ctx.lineWidth = 1.75;
  ctx.setLineDash(s.dash || []);
  ctx.beginPath();
  let prev = null;
  for (const p of points) {
    const xx = x(Math.max(p.t, left));
    if (prev === null || p.t - prev.t > GAP_S) ctx.moveTo(xx, y(p.v));
    else ctx.lineTo(xx, y(p.v));
    prev = p;
  }
  ctx.stroke();
  // The newest point as a dot, so a single sample is visible too.
  const last = points[points.length - 1];
  ctx.fillStyle = s.color;
  ctx.fillRect(x(last.t) - 2, y(last.v) - 2, 4, 4);
  ctx.setLineDash([]);
}

// Under the title: a swatch, the label and the current value per series, left to right.
function drawLegend(ctx, spec, data) {
  ctx.font = FONT;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  let xx = 4;
  for (const s of spec.series) {
    const list = data.get(s.key) || [];
    const text = `${s.label} ${list.length ? formatValue(list[list.length - 1].v) : '–'}`;
    ctx.fillStyle = s.color;
    ctx.fillRect(xx, 21, 9, 8);
    xx += 12;
    ctx.fillStyle = '#333';
    ctx.fillText(text, xx, 29);
    xx += (ctx.measureText(text).width || text.length * 6) + 10;
  }
  if (spec.band) {
    ctx.fillStyle = spec.band.color;
    ctx.fillRect(xx, 21, 9, 8);
    ctx.fillStyle = '#333';
    ctx.fillText(spec.band.label, xx + 12, 29);
  }
}
