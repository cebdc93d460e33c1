// The pusher's CPU cost in a real push: headless Chromium, a 1280x720 30 fps fake camera (the 1107 test's
// texture: testsrc2 + luma noise), a <live-pusher> through the gateway to nginx-rtmp (startPushEnv).
// For each scenario the pusher starts, settles, then CPU time is read from /proc over a window: per
// thread (the worker is the renderer's "DedicatedWorker" thread; WebCodecs encodes on renderer
// ThreadPool threads) and per process (which also keeps the time of threads that ended), against the
// same page with no pusher. The state codes (1107: wasm could not keep up, the browser's encoder took
// over) and the last netstatus say what the window measured.
import { startPushEnv, pusherMissing, sleep } from '../../tests/browser/lib/pusher_env.mjs';
import { diff, snapshot, sumBy, total } from './proc_cpu.mjs';
import { profileWorker } from './worker_profile.mjs';

async function measure(env, windowMs) {
  const before = snapshot(env.browser.pid);
  const t0 = Date.now();
  await sleep(windowMs);
  const cpu = diff(before, snapshot(env.browser.pid));
  const ms = Date.now() - t0;
  const share = (x) => Math.round((x / ms) * 1000) / 1000;  // cores (1 = one core busy all the window)
  const worker = cpu.threads.filter((t) => t.type === 'renderer' && t.name.startsWith('DedicatedWorker'));
  return {
    windowMs: ms,
    cores: share(total(cpu.processes)),
    byProcess: sumBy(cpu.processes, (p) => p.type).map(([k, v]) => [k, share(v)]),
    worker: share(total(worker)),
    topThreads: sumBy(cpu.threads, (t) => `${t.type}:${t.name}`).slice(0, 8).map(([k, v]) => [k, share(v)]),
  };
}

/**
 * @param {{name: string, attrs: object, profile?: boolean}[]} scenarios  <live-pusher> attributes (url is
 *   filled in); profile: after the CPU window, a 5 s CPU profile of the worker (worker_profile.mjs)
 * @param {{settleMs?: number, windowMs?: number, wasmBase?: string}} [o]  wasmBase: URL path of the module
 *   folder under the repo root, e.g. '/build/bench-pusher/wasm-prof/wasm/bindings/' (default: dist/wasm/)
 * @returns {Promise<{idle: object, rows: object[]}>}
 */
export async function pushCpu(scenarios, { settleMs = 5000, windowMs = 10000, wasmBase = null } = {}) {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  const env = await startPushEnv({ camera: { width: 1280, height: 720, fps: 30, seconds: 10, noise: 8 } });
  try {
    // wasmBase: a folder under the repo root holding livewasm_pusher{,_simd}.{mjs,wasm} (default dist/wasm/).
    if (wasmBase) await env.page.evaluate((u) => window.livewasm.configure({ wasmBase: u }), env.srv.url(wasmBase));
    await sleep(1000);
    const idle = await measure(env, Math.min(windowMs, 5000));
    const rows = [];
    for (const s of scenarios) {
      const p = await env.addPusher({ url: env.nginx.url(s.name), ...s.attrs });
      const row = { name: s.name, attrs: s.attrs };
      try {
        const started = await p.waitCode(1002, { timeoutMs: 20000 });
        await sleep(settleMs);
        const windowStart = await env.page.evaluate(() => performance.now());
        Object.assign(row, await measure(env, windowMs));
        const events = await p.all();
        const states = events.filter((e) => e.type === 'statechange');
        row.codes = states.map((e) => e.detail.code);
        const switched = states.find((e) => e.detail.code === 1107);
        if (switched) {
          row.switchedAfterMs = Math.round(switched.t - started.t);
          row.switchedBeforeWindow = switched.t < windowStart;
          row.switchMessage = switched.detail.message;
        }
        const net = events.filter((e) => e.type === 'netstatus' && e.t >= windowStart).map((e) => e.detail.info);
        const last = net.at(-1) ?? {};
        row.size = `${last.videoWidth}x${last.videoHeight}`;
        row.fps = net.length ? Math.round((net.reduce((a, n) => a + n.videoFPS, 0) / net.length) * 10) / 10 : null;
        row.kbps = net.length ? Math.round(net.reduce((a, n) => a + n.videoBitrate, 0) / net.length) : null;
        if (s.profile) row.workerProfile = await profileWorker(env.browser.endpoint).catch((e) => ({ error: e.message }));
        row.encoder = await env.page.evaluate((id) => {
          const el = document.getElementById(id);
          return el && el.pusher && el.pusher.encoders ? el.pusher.encoders.videoEncoder ?? null : null;
        }, p.id).catch(() => null);
      } catch (err) {
        row.error = String(err.message).split('\n')[0];
      }
      rows.push(row);
      await p.remove();
      await sleep(1500);
    }
    return { idle, rows };
  } finally {
    await env.close();
  }
}
