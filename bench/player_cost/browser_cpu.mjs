// CPU of every Chromium process (and thread) over a window, from /proc (bench/pusher/proc_cpu.mjs reads
// it), as cores: CPU seconds per second of wall time. Processes are grouped by --type= (browser,
// renderer, gpu-process, zygote) with utility processes split by --utility-sub-type (audio, network,
// storage...); threads by process type and thread name (comm: DedicatedWorker, ThreadPoolForeg,
// Compositor, CrRendererMain, VizCompositorTh...). Servers (gateway, nginx, node-media-server, the ffmpeg
// publisher) are read alongside, outside the browser's total.
//
//   const w = startCpuWindow(browserPid, {gateway: {group}, ffmpeg: {pid}...});  ...;  w.stop() -> {ms, cores, byType, threads, servers}
import { readFileSync } from 'node:fs';
import { diff, snapshot, sumBy, total } from '../pusher/proc_cpu.mjs';

const subTypes = new Map();
function kind(row) {
  if (row.type !== 'utility') return row.type;
  if (!subTypes.has(row.pid)) {
    let sub = 'other';
    try {
      const m = /--utility-sub-type=([\w.]+)/.exec(readFileSync(`/proc/${row.pid}/cmdline`, 'utf8'));
      if (m) sub = m[1].split('.')[0];  // audio.mojom.AudioService -> audio
    } catch {}
    subTypes.set(row.pid, sub);
  }
  return `utility/${subTypes.get(row.pid)}`;
}

const TICK_MS = 10;  // USER_HZ is 100 on Linux
// A server's CPU ms: a process group's ({group}) or one process's ({pid}).
function serverMs(s) {
  if (s.group) return total([...snapshot(s.group).values()].filter((t) => t.tid === 0));
  try {
    const f = readFileSync(`/proc/${s.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** servers: {name: {group: pgid} | {pid}} (nginx, nms and the gateway run as their own process groups). */
export function startCpuWindow(browserPid, servers = {}) {
  const t0 = performance.now();
  const before = snapshot(browserPid);
  const serversBefore = Object.fromEntries(Object.entries(servers).map(([k, pg]) => [k, serverMs(pg)]));
  return {
    stop() {
      const after = snapshot(browserPid);
      const ms = performance.now() - t0;
      const cores = (x) => Math.round((x / ms) * 1000) / 1000;
      const d = diff(before, after);
      return {
        ms: Math.round(ms),
        cores: cores(total(d.processes)),
        byType: Object.fromEntries(sumBy(d.processes, kind).map(([k, v]) => [k, cores(v)])),
        threads: sumBy(d.threads, (t) => `${kind(t)}:${t.name}`).slice(0, 12).map(([k, v]) => [k, cores(v)]),
        servers: Object.fromEntries(Object.entries(servers).map(([k, pg]) => [k, cores(serverMs(pg) - serversBefore[k])])),
      };
    },
  };
}
