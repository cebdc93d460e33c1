// What the whole machine did over a stretch of time, read from /proc: CPU busy and stolen by the host
// (/proc/stat, percent of all CPUs' time) and the share of time some task waited for a CPU
// (/proc/pressure/cpu "some"). scripts/node-tests.mjs prints it with a failed test; the benches print
// every figure beside the load it was measured under (this 2-core machine is shared).
//
//   const done = watchLoad();  ...;  done() -> {seconds, busyPct, stealPct, waitPct}
//   threadTicks() -> Map(thread id -> CPU clock ticks): each thread of this process (a wasm threads build's
//   pthreads are threads of Node's process)
import { readdirSync, readFileSync } from 'node:fs';

function cpuTimes() {
  try {
    // cpu  user nice system idle iowait irq softirq steal
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), idle: f[3] + f[4], steal: f[7] };
  } catch {
    return null;
  }
}

function pressureUs() {
  try {
    return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))[1]);
  } catch {
    return null;
  }
}

export function watchLoad() {
  const t0 = performance.now();
  const cpu0 = cpuTimes();
  const psi0 = pressureUs();
  return () => {
    const ms = performance.now() - t0;
    const cpu1 = cpuTimes();
    const psi1 = pressureUs();
    const dt = cpu0 && cpu1 ? cpu1.total - cpu0.total : 0;
    const r = (x) => (x == null ? null : Math.round(x));
    return {
      seconds: Math.round(ms / 100) / 10,
      busyPct: r(dt > 0 ? 100 - (100 * (cpu1.idle - cpu0.idle)) / dt : null),
      stealPct: r(dt > 0 ? (100 * (cpu1.steal - cpu0.steal)) / dt : null),
      waitPct: r(psi0 != null && psi1 != null && ms > 0 ? (psi1 - psi0) / 10 / ms : null),
    };
  };
}

export const loadText = (l) => `busy ${l.busyPct} %, steal ${l.stealPct} %, CPU wait ${l.waitPct} %`;

// As scripts/node-tests.mjs prints it beside a failed attempt.
export function loadSentence(l) {
  const pct = (x) => (x == null ? 'n/a' : `${x} %`);
  return `${l.seconds.toFixed(0)} s: CPU busy ${pct(l.busyPct)}, stolen by the host ${pct(l.stealPct)}, tasks waiting for a CPU ${pct(l.waitPct)}`;
}

// CPU clock ticks (USER_HZ, 100 a second), user + system, of each thread of this process.
export function threadTicks() {
  const out = new Map();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const f = readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(t, Number(f[11]) + Number(f[12]));
    } catch { /* the thread ended */ }
  }
  return out;
}
