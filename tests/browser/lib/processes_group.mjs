// A child process in a process group of its own, killed (the whole group) when this test process
// exits, however it exits: the helper processes of the non-Chromium engines (Xvfb, WebKitWebDriver and
// the MiniBrowser it starts, Firefox) must not outlive a test that was stopped by its runner.
//
//   const g = spawnGroup('Xvfb', [...], { stdio: [...] });   g.proc, g.exited (a promise), g.exit
//   await g.stop();                                          // SIGTERM, then SIGKILL after graceMs
import { spawn } from 'node:child_process';
import { groupAlive } from '../../interop/lib/processes.mjs';
import { exitOnSignals } from './browser.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function spawnGroup(cmd, args, { graceMs = 3000, ...options } = {}) {
  const proc = spawn(cmd, args, { ...options, detached: true });
  const g = { proc, pid: proc.pid, exit: null };
  g.exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => { g.exit = { code, signal }; resolve(g.exit); });
    proc.once('error', (err) => { g.exit = { error: err.message }; resolve(g.exit); });
  });
  g.signal = (signal) => { try { process.kill(-proc.pid, signal); } catch {} };
  const onExit = () => g.signal('SIGKILL');
  process.once('exit', onExit);
  exitOnSignals();
  let stopping = null;
  g.stop = () => (stopping ??= (async () => {
    g.signal('SIGTERM');
    const timer = setTimeout(() => g.signal('SIGKILL'), graceMs);
    await g.exited;
    clearTimeout(timer);
    g.signal('SIGKILL');  // children left in the group (MiniBrowser's web processes, Firefox's content processes)
    for (let i = 0; i < 150 && proc.pid && groupAlive(proc.pid); i++) await sleep(20);
    process.removeListener('exit', onExit);
  })());
  return g;
}
