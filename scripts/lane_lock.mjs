// The lanes' CPU lock: scripts/test.sh runs two lanes of test files side by side on one machine, and a
// file that needs the machine to itself (it judges a live rate while its browser alone needs most of
// the cores) runs while the other lane waits between its files.
//
// A file asks for that with a line in its first comment block:
//
//   // lw-runner: alone in webkit, chromium      (the LW_ENGINE configurations it applies to)
//
// Every file of every lane holds the lock at LW_LANE_LOCK for its attempt: shared, or exclusive when it
// runs alone. Without LW_LANE_LOCK (one lane, or a file run by hand) nothing is locked. The lock is
// flock(1) held by a child process (`flock MODE LOCK cat`): it goes when we close the child's stdin, and
// with our process if it dies. A turnstile taken around each acquisition keeps a waiting exclusive file
// from being passed by the other lane's next shared one. A wait is bounded by the holder's file bound
// (node-tests.mjs kills an attempt after LW_FILE_TIMEOUT_S), and a lock goes with the process that held it.
//
// Why (stop 30, measured): WebKitGTK pushing its 1280x720 mock camera under Xvfb uses 1.6 cores (the
// preview <video> alone 1.1, composited by llvmpipe). Beside the Chromium lane it got 2-4 fps instead of
// 28 and the push tests failed every attempt.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MARK = /^\/\/ lw-runner: alone in (.+)$/m;

// The configurations a test file asks to run alone in (its header's `lw-runner: alone in` line).
export function aloneIn(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const end = lines.findIndex((l) => !l.startsWith('//') && l.trim() !== '');
  const head = lines.slice(0, end < 0 ? lines.length : end).join('\n');
  const m = MARK.exec(head);
  return m ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
}

// Holds `lock` (mode 'shared' or 'exclusive') until the returned release() is called.
function hold(lock, mode) {
  return new Promise((resolve, reject) => {
    const child = spawn('flock', [mode === 'exclusive' ? '-x' : '-s', lock, 'sh', '-c', 'echo held; exec cat >/dev/null'],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`flock ${lock} ended (${code}) before it held the lock`)));
    child.stdout.once('data', () => {
      child.removeAllListeners('exit');
      resolve(() => new Promise((done) => { child.once('exit', done); child.stdin.end(); }));
    });
  });
}

/**
 * Takes the lanes' lock for one attempt of `file` in configuration `engine`. Resolves with
 * {release(), waitedMs, alone}; a no-op without LW_LANE_LOCK.
 */
export async function acquireLane(file, engine, lock = process.env.LW_LANE_LOCK) {
  const alone = aloneIn(file).includes(engine);
  if (!lock) return { release: async () => {}, waitedMs: 0, alone };
  const t0 = Date.now();
  const releaseTurnstile = await hold(`${lock}.turnstile`, 'exclusive');
  let release;
  try {
    release = await hold(lock, alone ? 'exclusive' : 'shared');
  } finally {
    await releaseTurnstile();
  }
  return { release, waitedMs: Date.now() - t0, alone };
}
