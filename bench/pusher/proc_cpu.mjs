// CPU time of Chromium's processes and threads from /proc (Linux), for the encoder and push benchmarks.
// A snapshot lists every thread of every process in one process group (launchBrowser starts Chromium as
// its own group) with its process type (browser, renderer, gpu-process, utility, zygote) and thread name
// (comm: at most 15 characters, e.g. "DedicatedWorker", "ThreadPoolForeg", "CrRendererMain");
// diff() of two snapshots gives the CPU milliseconds spent in between, per thread.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

function statFields(file) {
  const stat = readFileSync(file, 'utf8');
  // pid (comm) state ...: comm may hold spaces and parentheses, so split after the last ')'.
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), f: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

function processType(pid) {
  try {
    // Zygote children rewrite their title into one space-separated string: search the whole text.
    const m = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    return m ? m[1] : 'browser';
  } catch {
    return 'gone';
  }
}

/**
 * @returns {Map<string, {pid, tid, type, name, ms}>} keyed by "pid/tid"; "pid/all" rows hold the whole
 *   process (which, unlike the thread rows, keeps the time of threads that ended)
 */
export function snapshot(pgid) {
  const threads = new Map();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let st;
    try {
      st = statFields(`/proc/${e}/stat`);
    } catch {
      continue;
    }
    if (Number(st.f[2]) !== pgid) continue;  // fields after comm: state ppid pgrp ...
    const type = processType(e);
    threads.set(`${e}/all`, { pid: Number(e), tid: 0, type, name: '(process)', ms: (Number(st.f[11]) + Number(st.f[12])) * TICK_MS });
    let tids = [];
    try {
      tids = readdirSync(`/proc/${e}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const t = statFields(`/proc/${e}/task/${tid}/stat`);
        // utime, stime: fields 14 and 15 of stat = indices 11 and 12 after comm.
        const ms = (Number(t.f[11]) + Number(t.f[12])) * TICK_MS;
        threads.set(`${e}/${tid}`, { pid: Number(e), tid: Number(tid), type, name: t.comm, ms });
      } catch {
        // the thread ended between the listing and the read
      }
    }
  }
  return threads;
}

/**
 * CPU ms between two snapshots (threads that started in between count from 0): {threads, processes}.
 * Process rows include threads that ended in between; thread rows do not.
 */
export function diff(before, after) {
  const threads = [], processes = [];
  for (const [key, t] of after) {
    const row = { ...t, ms: t.ms - (before.get(key)?.ms ?? 0) };
    if (row.ms > 0) (row.tid ? threads : processes).push(row);
  }
  return { threads, processes };
}

/** Sums of diff() rows by a key function, largest first: [[key, ms]]. */
export function sumBy(rows, key) {
  const m = new Map();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.ms);
  return [...m].sort((a, b) => b[1] - a[1]);
}

export const total = (rows) => rows.reduce((s, r) => s + r.ms, 0);
