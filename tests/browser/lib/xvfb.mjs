// An X display of its own for a browser that needs one: Firefox under Xvfb has WebGL (llvmpipe), headless
// Firefox has none; WebKitGTK has no headless mode at all. Xvfb picks a free display number itself
// (-displayfd) and listens on no TCP port.
//
//   const x = await startXvfb();   x.display (':N'), await x.stop();
import { spawnGroup } from './processes_group.mjs';

export async function startXvfb({ size = '1600x1100x24', startTimeoutMs = 10000 } = {}) {
  const g = spawnGroup('Xvfb', ['-displayfd', '3', '-screen', '0', size, '-nolisten', 'tcp', '-noreset'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const stderr = [];
  g.proc.stderr.on('data', (b) => { if (stderr.length < 50) stderr.push(String(b)); });
  try {
    const n = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Xvfb gave no display within ${startTimeoutMs} ms: ${stderr.join('')}`)), startTimeoutMs);
      let got = '';
      g.proc.stdio[3].on('data', (b) => {
        got += b;
        if (got.includes('\n')) { clearTimeout(timer); resolve(Number(got.trim())); }
      });
      g.exited.then((e) => { clearTimeout(timer); reject(new Error(`Xvfb exited at start (${JSON.stringify(e)}): ${stderr.join('')}`)); });
    });
    return { display: `:${n}`, pid: g.pid, stop: g.stop };
  } catch (err) {
    await g.stop();
    throw err;
  }
}
