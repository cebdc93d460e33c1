// What a page shows and plays, measured on the page: a picture probe (frame numbers from the barcode of
// barcode.mjs, and a flash detector) and an audio probe (beep onsets from an AudioWorklet), with the times
// on the page's clock (performance.now()) and as epoch ms (performance.timeOrigin + now, the same clock
// Node's publishers use: publishers.mjs frameAt()), plus the Node-side analysis of what they recorded.
//
// Page side (inject PROBE_SOURCE with page.addScriptTag({content: PROBE_SOURCE}) or page.evaluate):
//   const id = lwProbe.watchPicture(el, {srcWidth: 320, srcHeight: 240, fit: 'contain'})
//       el: a <canvas> (the player's videoCanvas: sampled with drawImage every requestAnimationFrame) or a
//       <video> (sampled on requestVideoFrameCallback, timed with its expectedDisplayTime)
//   const aid = await lwProbe.watchAudio(audioContext, audioNode)   // taps the node (a fan-out; no change)
//   lwProbe.read(id) -> {frames: [{n, t, e, tp}], flashes: [{t, e}], samples, skipped (over the probes'
//       main-thread budget), unreadable, lastN, sizes}
//   lwProbe.read(aid) -> {onsets: [{t, e, ctxTime}], blocks, peak}
//   lwProbe.stop(id)
// `frames` gets an entry whenever the number read changes (t: when it was first seen); `flashes` one per
// rise of the top band's mean luma above mid-grey (publishers.mjs AVSYNC: a white band over the top 1/8
// on the first frame of each second).
//
// Node side:
//   orderReport(frames, {wrap, frameMs}) -> {count, first, last, backwards, gaps: [{after, missing, t, blindMs}], missing,
//                                    unexplained (gaps larger than the probe's own blind time could cause), maxGap}
//   avSkew(flashes, onsets)       -> {pairs, skews (ms, audio minus video), median, meanAbs, maxAbs}
//   delays(frames, publisher)     -> [ms]: shown (epoch) minus the moment the publisher encoded that frame
//   percentile(xs, p)
import { PAGE_SOURCE as BARCODE_SOURCE } from './barcode.mjs';
import { AVSYNC } from './publishers.mjs';

// The worklet: reports the first sample of each beep (|x| over a threshold after >= quietMs of quiet).
export const ONSET_WORKLET_SOURCE = `
class LwOnsetProbe extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = (options && options.processorOptions) || {};
    this.threshold = o.threshold || 0.05;
    this.quietFrames = Math.round((o.quietMs || 300) * sampleRate / 1000);
    this.quiet = this.quietFrames;   // frames of quiet so far (start armed)
    this.blocks = 0;
    this.peak = 0;
    this.sumSq = 0;     // since the last stats message: energy, zero crossings, frames
    this.crossings = 0;
    this.frames = 0;
    this.last = 0;
  }
  process(inputs, outputs) {
    const input = inputs[0];
    this.blocks++;
    if (input && input.length) {
      const ch = input[0];
      for (let i = 0; i < ch.length; i++) {
        const a = Math.abs(ch[i]);
        if (a > this.peak) this.peak = a;
        this.sumSq += ch[i] * ch[i];
        if ((ch[i] >= 0) !== (this.last >= 0)) this.crossings++;
        this.last = ch[i];
        if (a >= this.threshold) {
          if (this.quiet >= this.quietFrames) this.port.postMessage({ type: 'onset', frame: currentFrame + i, sampleRate });
          this.quiet = 0;
        } else {
          this.quiet++;
        }
      }
    }
    this.frames += 128;
    if (this.blocks % 100 === 0) {
      // Level and frequency (zero crossings / 2 per second) over the last 100 blocks.
      this.port.postMessage({ type: 'stats', blocks: this.blocks, peak: this.peak, frame: currentFrame,
        rms: Math.sqrt(this.sumSq / this.frames), hz: this.crossings / 2 / (this.frames / sampleRate) });
      this.sumSq = 0;
      this.crossings = 0;
      this.frames = 0;
    }
    return true;
  }
}
registerProcessor('lw-onset-probe', LwOnsetProbe);
`;

// Page-side code, written as a function so a syntax error shows here; installed as window.lwProbe.
function installProbe(onsetWorkletSource, flashBand) {
  if (window.lwProbe) return;
  const probes = new Map();
  let nextId = 1;
  // Main-thread time for all probes together: at most BUDGET of each WINDOW_MS. A sample (drawImage of the
  // picture into a small canvas, getImageData, the barcode read) costs a few ms; 16 players at 25 fps are
  // 400 samples a second, more than the main thread has, and then the page's own work and every call from
  // the test waited behind them (stop 28's CI: player_many and player_context's 16 players never ended).
  // Over the budget a sample is skipped; the next one's `tp` (the previous sample's time) still says how
  // long the probe was not looking, so the analysis counts a frame missed then as the probe's, not a drop.
  const WINDOW_MS = 500;
  const BUDGET = 0.4;
  const cost = { start: 0, used: 0 };
  function overBudget(now) {
    if (now - cost.start >= WINDOW_MS) { cost.start = now; cost.used = 0; }
    return cost.used >= WINDOW_MS * BUDGET;
  }
  function charge(t0) { cost.used += performance.now() - t0; }
  const epoch = (t) => performance.timeOrigin + t;

  function contentRect(el, srcWidth, srcHeight, fit) {
    const w = el.videoWidth || el.width;
    const h = el.videoHeight || el.height;
    if (el.videoWidth) return { x: 0, y: 0, w, h };  // drawImage(video) draws the intrinsic picture
    const a = srcWidth / srcHeight;
    if (fit === 'fill' || !srcWidth) return { x: 0, y: 0, w, h };
    const s = fit === 'fillCrop' ? Math.max(w / srcWidth, h / srcHeight) : Math.min(w / srcWidth, h / srcHeight);
    const cw = srcWidth * s;
    const ch = srcHeight * s;
    void a;
    return { x: (w - cw) / 2, y: (h - ch) / 2, w: cw, h: ch };
  }

  // A <canvas> whose control went to a worker shows the worker's last committed frame; its width/height
  // attributes need not follow that frame's size, so the picture is taken as an ImageBitmap first.
  async function sampleCanvas(p, t) {
    if (p.busy) return;
    if (overBudget(performance.now())) { p.skipped++; return; }
    p.busy = true;
    try {
      const bmp = await createImageBitmap(p.el);
      const t0 = performance.now();
      try {
        sample(p, t, bmp);
      } finally {
        bmp.close();
        charge(t0);
      }
    } catch (e) {
      if (p.errors.length < 20) p.errors.push(String(e && e.message || e));
    } finally {
      p.busy = false;
    }
  }

  function sample(p, t, bitmap) {
    const el = bitmap || p.el;
    const r = contentRect(el, p.srcWidth, p.srcHeight, p.fit);
    if (!(r.w >= 8 && r.h >= 8)) { p.empty++; return; }
    // Sample at the content's own aspect, at most 320 wide (enough for the 4x4 code and the band).
    const sw = Math.max(16, Math.min(320, Math.round(r.w)));
    const sh = Math.max(12, Math.round(sw * r.h / r.w));
    if (p.canvas.width !== sw || p.canvas.height !== sh) { p.canvas.width = sw; p.canvas.height = sh; }
    const g = p.ctx;
    try {
      if (el.videoWidth) g.drawImage(el, 0, 0, sw, sh);
      else g.drawImage(el, r.x, r.y, r.w, r.h, 0, 0, sw, sh);
    } catch (e) {
      if (p.errors.length < 20) p.errors.push(String(e && e.message || e));
      return;
    }
    const px = g.getImageData(0, 0, sw, sh).data;
    const luma = p.luma && p.luma.length === sw * sh ? p.luma : (p.luma = new Uint8Array(sw * sh));
    for (let i = 0, j = 0; i < luma.length; i++, j += 4) luma[i] = (px[j] * 77 + px[j + 1] * 150 + px[j + 2] * 29) >> 8;
    p.samples++;
    const key = `${el.videoWidth || el.width}x${el.videoHeight || el.height}`;
    p.sizes[key] = (p.sizes[key] || 0) + 1;
    // eslint-disable-next-line no-undef
    const code = readBarcode(luma, { width: sw, height: sh });
    if (code.number === null) p.unreadable++;
    else if (code.number !== p.lastN) {
      p.lastN = code.number;
      // tp: the previous sample's time: between tp and t the probe was not looking (a loaded machine
      // runs animation frames late), so frames shown only then are the probe's miss, not the player's.
      p.frames.push({ n: code.number, t, e: epoch(t), tp: p.prevT });
    }
    p.prevT = t;
    // The flash band: mean luma of the top `flashBand` of the picture, skipping the edges.
    const bandRows = Math.max(1, Math.floor(sh * flashBand) - 1);
    let sum = 0;
    let count = 0;
    for (let y = 0; y < bandRows; y++) for (let x = 2; x < sw - 2; x += 2) { sum += luma[y * sw + x]; count++; }
    const mean = count ? sum / count : 0;
    const lit = mean > 128;
    if (lit && !p.lit) p.flashes.push({ t, e: epoch(t), mean });
    p.lit = lit;
  }

  function watchPicture(el, { srcWidth = 0, srcHeight = 0, fit = 'contain' } = {}) {
    const id = `pic${nextId++}`;
    const canvas = document.createElement('canvas');
    const p = {
      kind: 'picture', el, srcWidth, srcHeight, fit, canvas,
      ctx: canvas.getContext('2d', { willReadFrequently: true }),
      frames: [], flashes: [], samples: 0, skipped: 0, unreadable: 0, empty: 0, lastN: null, lit: false, errors: [], sizes: {},
      running: true, luma: null, busy: false, prevT: null,
    };
    probes.set(id, p);
    if (el instanceof HTMLVideoElement && 'requestVideoFrameCallback' in el) {
      // One sample per new video frame, timed when the compositor shows it.
      const onFrame = (now, meta) => {
        if (!p.running) return;
        const t0 = performance.now();
        if (overBudget(t0)) p.skipped++;
        else {
          sample(p, meta.expectedDisplayTime || now);
          charge(t0);
        }
        el.requestVideoFrameCallback(onFrame);
      };
      el.requestVideoFrameCallback(onFrame);
    } else {
      // The canvas's picture is whatever was presented last; the rAF time is the start of the frame in
      // which this sample's content is on screen.
      const onRaf = (t) => {
        if (!p.running) return;
        sampleCanvas(p, t);
        requestAnimationFrame(onRaf);
      };
      requestAnimationFrame(onRaf);
    }
    return id;
  }

  let workletUrl = null;
  const loaded = new WeakMap();
  async function watchAudio(ctx, node, { threshold = 0.05, quietMs = 300 } = {}) {
    if (!workletUrl) workletUrl = URL.createObjectURL(new Blob([onsetWorkletSource], { type: 'text/javascript' }));
    if (!loaded.get(ctx)) { loaded.set(ctx, ctx.audioWorklet.addModule(workletUrl)); }
    await loaded.get(ctx);
    const id = `aud${nextId++}`;
    const probe = new AudioWorkletNode(ctx, 'lw-onset-probe', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { threshold, quietMs } });
    const sink = ctx.createGain();
    sink.gain.value = 0;  // pulled by the destination, heard by nobody
    node.connect(probe);
    probe.connect(sink).connect(ctx.destination);
    const p = { kind: 'audio', ctx, node, probe, sink, onsets: [], stats: null, levels: [] };
    probe.port.onmessage = (m) => {
      const d = m.data;
      if (d.type === 'stats') {
        p.stats = d;
        const t = performance.now();
        if (p.levels.length < 20000) p.levels.push({ t, e: epoch(t), rms: d.rms, hz: d.hz });
        return;
      }
      // Context time -> page time at which that sample is heard: the output timestamp says which context
      // time is being output at which performance.now().
      const ctxTime = d.frame / d.sampleRate;
      const ts = ctx.getOutputTimestamp();
      const t = ts.performanceTime + (ctxTime - ts.contextTime) * 1000;
      p.onsets.push({ t, e: epoch(t), ctxTime, stamp: { contextTime: ts.contextTime, performanceTime: ts.performanceTime } });
    };
    probes.set(id, p);
    return id;
  }

  function read(id) {
    const p = probes.get(id);
    if (!p) return null;
    if (p.kind === 'audio') return { onsets: p.onsets, stats: p.stats, levels: p.levels, sampleRate: p.ctx.sampleRate, state: p.ctx.state, baseLatency: p.ctx.baseLatency, outputLatency: p.ctx.outputLatency };
    return { frames: p.frames, flashes: p.flashes, samples: p.samples, skipped: p.skipped, unreadable: p.unreadable, empty: p.empty, lastN: p.lastN, errors: p.errors.slice(0, 5), sizes: p.sizes };
  }

  function stop(id) {
    const p = probes.get(id);
    if (!p) return;
    if (p.kind === 'audio') { try { p.node.disconnect(p.probe); } catch {} p.probe.disconnect(); p.sink.disconnect(); }
    p.running = false;
  }

  window.lwProbe = { watchPicture, watchAudio, read, stop };
}

export const PROBE_SOURCE = `${BARCODE_SOURCE}\n(${installProbe.toString()})(${JSON.stringify(ONSET_WORKLET_SOURCE)}, ${AVSYNC.flashBand});\n`;

// ---------------------------------------------------------------------------------------------
// Node-side analysis

/**
 * Frame numbers in the order shown (each entry a change of number), unwrapped modulo `wrap`.
 * gaps: places where numbers were skipped ({after: unwrapped number before the gap, missing: count});
 * a number can also be missed by the probe itself when two frames are shown within one sample period,
 * so callers compare `missing` with what the player reported dropped plus a sampling allowance.
 */
export function orderReport(frames, { wrap = 4096, frameMs = 40 } = {}) {
  const seq = [];
  const backwards = [];
  const gaps = [];
  let base = 0;
  let prev = null;
  for (const f of frames) {
    let u = base + f.n;
    if (prev !== null && u < prev - wrap / 2) { base += wrap; u += wrap; }
    if (prev !== null) {
      if (u < prev) backwards.push({ from: prev, to: u, t: f.t });
      else if (u > prev + 1) gaps.push({ after: prev, missing: u - prev - 1, t: f.t, blindMs: f.tp == null ? 0 : f.t - f.tp });
    }
    seq.push(u);
    prev = prev === null ? u : Math.max(prev, u);
  }
  const missing = gaps.reduce((s, g) => s + g.missing, 0);
  // Gaps the probe itself could have caused: no more frames missing than fit in the time it was not
  // sampling (blindMs: from the previous sample to the one that saw the number after the gap), plus one:
  // frames reach the screen at display refreshes, so at 25 fps on 60 Hz one is up for 33 ms and the next
  // for 50 ms, and a blind time holds one more of them than its length divided by 40 ms (stop 30's run:
  // 18 missing in a 699.9 ms blind time, 12 of them reported dropped, failed as unexplained).
  const probeMiss = (g) => g.missing <= Math.floor(g.blindMs / frameMs) + 1;
  const unexplained = gaps.filter((g) => !probeMiss(g));
  return { count: seq.length, first: seq[0] ?? null, last: seq.at(-1) ?? null, sequence: seq, backwards, gaps, missing,
    unexplained, unexplainedMissing: unexplained.reduce((s, g) => s + g.missing, 0),
    maxGap: gaps.reduce((m, g) => Math.max(m, g.missing), 0) };
}

/** Pairs each flash with the nearest beep onset (within maxMs): skew = audio - video in ms. */
export function avSkew(flashes, onsets, { maxMs = 400 } = {}) {
  const pairs = [];
  for (const f of flashes) {
    let best = null;
    for (const o of onsets) if (!best || Math.abs(o.t - f.t) < Math.abs(best.t - f.t)) best = o;
    if (best && Math.abs(best.t - f.t) <= maxMs) pairs.push({ video: f.t, audio: best.t, skew: best.t - f.t });
  }
  const skews = pairs.map((p) => p.skew);
  const abs = skews.map(Math.abs);
  return { pairs: pairs.length, skews, median: percentile(skews, 50), meanAbs: abs.length ? abs.reduce((a, b) => a + b, 0) / abs.length : null,
    maxAbs: abs.length ? Math.max(...abs) : null };
}

/** Delay of each shown frame: shown (epoch ms) minus when the publisher encoded that frame (frameAt fit). */
export function delays(frames, publisher, { wrap = 4096 } = {}) {
  const t0 = publisher.frameZeroAt();
  if (t0 === null) return [];
  const fps = publisher.fps;
  const out = [];
  for (const f of frames) {
    // The unwrapped number nearest to what the publisher was at when the frame was shown.
    const at = Math.floor((f.e - t0) * fps / 1000);
    let u = f.n + wrap * Math.round((at - f.n) / wrap);
    if (u > at + 1) u -= wrap;
    out.push(f.e - (t0 + u * 1000 / fps));
  }
  return out;
}

export function percentile(xs, p) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))));
  return s[i];
}

export function summary(xs) {
  if (!xs.length) return null;
  const r = (x) => Math.round(x);
  return { n: xs.length, p5: r(percentile(xs, 5)), p50: r(percentile(xs, 50)), p95: r(percentile(xs, 95)), max: r(Math.max(...xs)), min: r(Math.min(...xs)) };
}

/** The tone the audio probe heard after page time `from`: {n, hz (median), rms (median), silent (windows under 0.01)}. */
export function toneReport(levels, { from = -Infinity } = {}) {
  const ls = levels.filter((l) => l.t >= from);
  return { n: ls.length, hz: percentile(ls.map((l) => l.hz), 50), rms: percentile(ls.map((l) => l.rms), 50), silent: ls.filter((l) => l.rms < 0.01).length };
}
