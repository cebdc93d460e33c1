// Reads lw_bench's JSON output (--benchmark_format=json or --benchmark_out=FILE): one figure per
// benchmark, the median aggregate when it ran with repetitions, else the single run.
import { readFileSync } from 'node:fs';

export function readNativeResults(file) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const byName = new Map();
  for (const b of json.benchmarks) {
    // "BM_X/real_time_median" -> "BM_X": UseRealTime() and aggregates only decorate the name.
    const name = (b.run_name ?? b.name.replace(/_(mean|median|stddev|cv)$/, '')).replace(/\/real_time$/, '');
    if (b.run_type === 'aggregate' && b.aggregate_name !== 'median') continue;
    const have = byName.get(name);
    if (have && have.run_type === 'aggregate') continue;  // a median beats single repetitions
    byName.set(name, b);
  }
  return { context: json.context, benchmarks: byName };
}

// MB/s (10^6 bytes/s) of one benchmark, or undefined when it is absent or skipped.
export function nativeMBps(results, name) {
  const b = results.benchmarks.get(name);
  if (!b || b.error_occurred || b.bytes_per_second === undefined) return undefined;
  return b.bytes_per_second / 1e6;
}
