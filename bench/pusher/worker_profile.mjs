// A CPU profile of the pusher worker while it pushes: a raw CDP connection to the browser endpoint
// (player_cost/cdp.mjs: the Playwright client cannot open a session on a worker target), attached to the dedicated worker whose
// URL holds "pusher_worker", Profiler.start for `ms`, self time summed per function. Wasm functions of a
// module built without names (dist/wasm/) show as "$funcN" / "wasm-function[N]" and are pooled as one
// "(wasm, unnamed)" row; run.sh's --profiling-funcs build names them.
import { connectCdp } from '../player_cost/cdp.mjs';

export async function profileWorker(endpoint, { ms = 5000, intervalUs = 500 } = {}) {
  const cdp = await connectCdp(endpoint);
  try {
    const [worker] = await cdp.attach((t) => t.type === 'worker' && t.url.includes('pusher_worker'));
    if (!worker) return { error: 'no pusher worker among the targets' };
    const { sessionId } = worker;
    await cdp.send('Profiler.enable', {}, sessionId);
    await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs }, sessionId);
    await cdp.send('Profiler.start', {}, sessionId);
    await new Promise((r) => setTimeout(r, ms));
    const { profile } = await cdp.send('Profiler.stop', {}, sessionId);
    return { rows: selfTime(profile) };
  } finally {
    await cdp.close();
  }
}

// Self time per function (unnamed wasm pooled), as shares of the busy (non-idle) samples, largest first;
// and `byCaller`: the same time charged to the innermost livewasm C++ function (lw::...) on the stack,
// which says which part of the pipeline it served (H264Encoder::encode = OpenH264, the frame converter =
// libyuv, the audio encoder = FFmpeg/libopus, the FLV muxer...), or to "JS" when no wasm is on the stack.
function selfTime(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const callerOf = (id) => {
    let wasm = false;
    for (let n = byId.get(id); n; n = byId.get(parent.get(n.id))) {
      const { functionName, url } = n.callFrame;
      if (functionName.startsWith('lw::')) return functionName.replace(/\(anonymous namespace\)/g, '{anon}').replace(/\(.*$/, '');
      if (url.endsWith('.wasm')) wasm = true;
    }
    return wasm ? '(wasm, no lw:: caller named)' : 'JS (worker, glue, Web APIs)';
  };
  const self = new Map(), byCaller = new Map();
  let busy = 0, all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const { functionName, url } = byId.get(id).callFrame;
    if (functionName === '(idle)' || functionName === '(root)') return;
    const name = /^(wasm-function\[|\$?func\d)/.test(functionName) ? '(wasm, unnamed)'
      : `${functionName || '(anonymous)'}${url ? ' ' + url.split('/').pop() : ''}`;
    self.set(name, (self.get(name) ?? 0) + dt);
    const caller = callerOf(id);
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + dt);
    busy += dt;
  });
  const shares = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, us]) => ({ fn, share: Math.round((us / busy) * 1000) / 10 }));
  return {
    busyShare: Math.round((busy / Math.max(1, all)) * 1000) / 1000,
    top: shares(self, 10),
    byCaller: shares(byCaller, 10),
  };
}
