// A raw CDP connection to the browser endpoint, for what Playwright's client cannot reach: sessions on
// the player's dedicated worker targets (heap, profiler). Flat sessions: one socket, a sessionId per target.
//
//   const cdp = await connectCdp(env.browser.endpoint);
//   const workers = await cdp.attach((t) => t.type === 'worker' && t.url.includes('player_worker'));
//   await cdp.send('Runtime.getHeapUsage', {}, workers[0].sessionId);
//   await cdp.close();
import WebSocket from 'ws';

export async function connectCdp(endpoint, { timeoutMs = 10000 } = {}) {
  const ws = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CDP ${endpoint}: no connection in ${timeoutMs} ms`)), timeoutMs);
    ws.once('open', () => { clearTimeout(timer); resolve(); });
    ws.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
  let next = 1;
  const pending = new Map();
  ws.on('message', (data) => {
    const m = JSON.parse(data);
    const p = m.id && pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.error) p.reject(new Error(`${p.method}: ${m.error.message}`));
    else p.resolve(m.result);
  });
  const send = (method, params = {}, sessionId, { timeoutMs: ms = 30000 } = {}) => new Promise((resolve, reject) => {
    const id = next++;
    const timer = setTimeout(() => { pending.delete(id); reject(new Error(`${method}: no answer in ${ms} ms`)); }, ms);
    pending.set(id, { resolve, reject, method, timer });
    ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  });
  const sessions = [];
  return {
    send,
    /** Attaches to every target `pick` accepts: [{targetId, type, url, sessionId}]. */
    async attach(pick) {
      const { targetInfos } = await send('Target.getTargets');
      const out = [];
      for (const t of targetInfos.filter(pick)) {
        const { sessionId } = await send('Target.attachToTarget', { targetId: t.targetId, flatten: true });
        sessions.push(sessionId);
        out.push({ targetId: t.targetId, type: t.type, url: t.url, sessionId });
      }
      return out;
    },
    async close() {
      for (const s of sessions) await send('Target.detachFromTarget', { sessionId: s }, undefined, { timeoutMs: 3000 }).catch(() => {});
      ws.close();
    },
  };
}

/** JS heap in use (bytes) of each target `pick` accepts, summed: {bytes, targets}. */
export async function heapUsed(endpoint, pick) {
  const cdp = await connectCdp(endpoint);
  try {
    const targets = await cdp.attach(pick);
    let bytes = 0;
    for (const t of targets) bytes += (await cdp.send('Runtime.getHeapUsage', {}, t.sessionId)).usedSize;
    return { bytes, targets: targets.length };
  } finally {
    await cdp.close();
  }
}
