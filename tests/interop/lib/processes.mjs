// The processes of this machine as /proc shows them, for tests that must prove what they started is
// gone: the main command's children, a browser's process group. A zombie (state Z) counts as gone: a
// child reparented to an init that does not reap it stays one, and kill(pid, 0) would still find it.
import { readFileSync, readdirSync } from 'node:fs';

/** {state, ppid, pgrp, comm} of one process, or null when there is none. */
export function processStat(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its closing parenthesis.
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), comm };
}

/** Map pid -> processStat of every process now. */
export function processTable() {
  const table = new Map();
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const p = processStat(e);
    if (p) table.set(Number(e), p);
  }
  return table;
}

/** Whether the process is running (exists and is not a zombie). */
export function alive(pid) {
  const p = processStat(pid);
  return p !== null && p.state !== 'Z';
}

/** Whether a live process is left in the process group. */
export function groupAlive(pgid) {
  for (const p of processTable().values()) if (p.pgrp === pgid && p.state !== 'Z') return true;
  return false;
}

/** Every live descendant of `root`: [{pid, comm}]. */
export function descendants(root) {
  const table = processTable();
  const out = [];
  const walk = (pid) => {
    for (const [child, p] of table) {
      if (p.ppid === pid && p.state !== 'Z') {
        out.push({ pid: child, comm: p.comm });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}
