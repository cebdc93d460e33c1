// The bench's markdown: one row per (stream, players, kind) over its rounds, with the ratio of its
// whole-browser CPU to mpegts.js's in the same run (same stream, same player count).
const KIND_NAMES = {
  webcodecs: 'livewasm WebCodecs (rtmp)',
  wasm: 'livewasm wasm (rtmp)',
  'webcodecs-flv': 'livewasm WebCodecs (HTTP-FLV)',
  'wasm-flv': 'livewasm wasm (HTTP-FLV)',
  mpegts: 'mpegts.js (MSE)',
};
const name = (kind, rs) => `${KIND_NAMES[kind] ?? kind}${rs[0].transport && kind !== 'webcodecs' && kind !== 'wasm' ? `, ${rs[0].transport}` : ''}`;

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const f2 = (x) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(2));
const f1 = (x) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(1));
const mb = (x) => (x == null ? '–' : (x / 1048576).toFixed(1));

function groups(rows) {
  const m = new Map();
  for (const r of rows) {
    const k = `${r.stream}|${r.count}|${r.kind}`;
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(r);
  }
  return m;
}

export function markdown(rows) {
  const g = groups(rows.filter((r) => !r.error));
  const mpegtsCores = (stream, count) => mean((g.get(`${stream}|${count}|mpegts`) ?? []).map((r) => r.cpu.cores));
  const out = [
    '| stream | players | player | cores (each round) | x mpegts.js | renderer | gpu | audio | browser | worker thread(s) | frames/s per player (mean, min) | shown / sent | dropped reported | page heap MB | worker heap MB | wasm heap MB | load: busy, steal, wait % |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [k, rs] of g) {
    const [stream, count, kind] = k.split('|');
    const cores = mean(rs.map((r) => r.cpu.cores));
    const ref = mpegtsCores(stream, count);
    const by = (t) => mean(rs.map((r) => r.cpu.byType[t] ?? 0));
    const worker = mean(rs.map((r) => r.cpu.threads.filter(([n]) => n.startsWith('renderer:DedicatedWorker')).reduce((a, [, v]) => a + v, 0)));
    const fr = rs.map((r) => r.frames);
    const shown = fr.reduce((a, f) => a + f.shown, 0), sent = fr.reduce((a, f) => a + f.sent, 0), dropped = fr.reduce((a, f) => a + f.dropped, 0);
    const load = rs.map((r) => `${r.load.busyPct}/${r.load.stealPct}/${r.load.waitPct}`).join(', ');
    out.push(`| ${stream} | ${count} | ${name(kind, rs)} | ${rs.map((r) => f2(r.cpu.cores)).join(', ')} | ${kind === 'mpegts' || !ref ? '' : f2(cores / ref)} | ${f2(by('renderer'))} | ${f2(by('gpu-process'))} | ${f2(by('utility/audio'))} | ${f2(by('browser'))} | ${kind === 'mpegts' ? '' : f2(worker)} | ${f1(mean(rs.map((r) => r.fps.mean)))}, ${f1(Math.min(...rs.map((r) => r.fps.min)))} | ${sent ? `${Math.round((100 * shown) / sent)} %` : '–'} | ${dropped} | ${mb(mean(rs.map((r) => r.heap.pageBytes)))} | ${kind === 'mpegts' ? '' : mb(mean(rs.map((r) => r.heap.workerBytes)))} | ${kind === 'mpegts' ? '' : mb(mean(rs.map((r) => r.heap.wasmBytes)))} | ${load} |`);
  }
  const failed = rows.filter((r) => r.error || r.startErrors);
  for (const r of failed) out.push(`\n${r.stream} x${r.count} ${r.kind}: ${r.error ?? r.startErrors.join('; ')}`);
  return out.join('\n');
}

/** The busiest threads of each kind at one stream/count, for the "by thread" lines. */
export function threadLines(rows) {
  const g = groups(rows.filter((r) => !r.error));
  const out = [];
  for (const [k, rs] of g) {
    const sums = new Map();
    for (const r of rs) for (const [n, v] of r.cpu.threads) sums.set(n, (sums.get(n) ?? 0) + v / rs.length);
    const top = [...sums].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, v]) => `${n} ${f2(v)}`).join(', ');
    out.push(`- ${k.replace(/\|/g, ' x')}: ${top}`);
  }
  return out.join('\n');
}
