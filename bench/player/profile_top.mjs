// Self time per function of a V8 .cpuprofile (node --cpu-prof), largest first, as percentages of the
// sampled time: where the wasm decoder spends its time (the module built with --profiling-funcs).
//
//   node bench/player/profile_top.mjs <file.cpuprofile> [count]   -> [{name, percent}]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function profileTop(file, count = 20) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  let totalUs = 0;
  prof.samples.forEach((id, i) => {
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anonymous'})`;
    const us = dt[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + us);
    totalUs += us;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, percent: Math.round((1000 * us) / totalUs) / 10 }));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of profileTop(process.argv[2], Number(process.argv[3] ?? 25))) console.log(`${String(r.percent).padStart(5)}%  ${r.name}`);
}
