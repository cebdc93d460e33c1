// Timing for the Node harnesses: warm up, then repeat, and report the median. The machine is shared
// and noisy (2 cores), so every figure is a median of several samples taken in the same process, and
// what we publish are ratios between figures measured in one run.
//
// A sample is a batch of calls long enough (>= minSampleMs) that timer resolution and one-off pauses do
// not dominate; its time per call is batch time / calls.

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Runs fn() repeatedly. Returns { msPerCall: median, samples: [ms per call...], calls }.
export function measure(fn, { warmupMs = 500, minSampleMs = 60, samples = 15 } = {}) {
  // Warm-up: at least 3 calls and warmupMs, so the JIT (or wasm tier-up) has settled.
  let calls = 0;
  const w0 = nowMs();
  while (calls < 3 || nowMs() - w0 < warmupMs) { fn(); calls++; }
  const perCallMs = (nowMs() - w0) / calls;
  const batch = Math.max(1, Math.ceil(minSampleMs / Math.max(perCallMs, 1e-6)));
  const out = [];
  for (let i = 0; i < samples; i++) {
    const t0 = nowMs();
    for (let j = 0; j < batch; j++) fn();
    out.push((nowMs() - t0) / batch);
  }
  return { msPerCall: median(out), samples: out, calls: batch };
}

// Measures several functions round-robin: each is warmed up, then sample i of every function is
// taken before sample i + 1 of any, so a burst of load from other processes on the shared machine
// hits all of them alike instead of whichever happened to be running. Returns { key: result } with
// results as measure() gives them.
export function measureInterleaved(fns, { warmupMs = 500, minSampleMs = 60, samples = 15 } = {}) {
  const state = {};
  for (const [key, fn] of Object.entries(fns)) {
    let calls = 0;
    const w0 = nowMs();
    while (calls < 3 || nowMs() - w0 < warmupMs) { fn(); calls++; }
    const perCallMs = (nowMs() - w0) / calls;
    state[key] = { batch: Math.max(1, Math.ceil(minSampleMs / Math.max(perCallMs, 1e-6))), out: [] };
  }
  for (let i = 0; i < samples; i++) {
    for (const [key, fn] of Object.entries(fns)) {
      const { batch, out } = state[key];
      const t0 = nowMs();
      for (let j = 0; j < batch; j++) fn();
      out.push((nowMs() - t0) / batch);
    }
  }
  return Object.fromEntries(Object.entries(state).map(([key, { batch, out }]) =>
    [key, { msPerCall: median(out), samples: out, calls: batch }]));
}

// Bytes per millisecond -> MB/s (10^6 bytes per second, the unit used throughout RESULTS.md).
export const mbPerSecond = (bytes, ms) => bytes / 1e6 / (ms / 1e3);

// Spread of the samples as MB/s at the slowest and fastest sample, for the table.
export function spread(bytes, samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { fast: mbPerSecond(bytes, s[0]), slow: mbPerSecond(bytes, s[s.length - 1]) };
}

// Prints rows (arrays of cells) as an aligned Markdown table; returns the text.
export function markdownTable(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const width = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r) => '| ' + r.map((cell, c) => cell.padEnd(width[c])).join(' | ') + ' |';
  const rule = '|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [line(all[0]), rule, ...all.slice(1).map(line)].join('\n');
}
