// A TCP proxy on 127.0.0.1:0 with a token-bucket rate limit per direction, changeable while it runs:
// a slow uplink between the browser and the gateway (the browser connects to the proxy's port).
//
//   const tp = await startThrottleProxy(gw.port, { upKbps: 600 });   // client->server limited
//   tp.setRate('up', 300); tp.setRate('up', null);                  // kbit/s, null = unlimited
//   tp.bytes.up, tp.bytes.down; tp.connections
//   await tp.close();
//
// Back-pressure is real: when a direction's queue passes `highWaterBytes` the sending socket is paused,
// so TCP's own flow control pushes back on the sender (what a slow link does).
import net from 'node:net';

const TICK_MS = 5;

class Bucket {
  constructor(kbps, burstMs) {
    this.burstMs = burstMs;
    this.set(kbps);
  }
  set(kbps) {
    this.bytesPerMs = kbps == null ? Infinity : (kbps * 1000) / 8 / 1000;
    // Depth: burstMs of traffic, at least one full-size TCP segment, so slow rates still move.
    this.depth = kbps == null ? Infinity : Math.max(1460, this.bytesPerMs * this.burstMs);
    this.tokens = Math.min(this.tokens ?? 0, this.depth);
    this.last = performance.now();
  }
  refill() {
    const t = performance.now();
    if (this.bytesPerMs !== Infinity) this.tokens = Math.min(this.depth, this.tokens + (t - this.last) * this.bytesPerMs);
    this.last = t;
  }
  available() { return this.bytesPerMs === Infinity ? Infinity : Math.floor(this.tokens); }
  take(n) { if (this.bytesPerMs !== Infinity) this.tokens -= n; }
}

export async function startThrottleProxy(targetPort, { targetHost = '127.0.0.1', upKbps = null, downKbps = null, burstMs = 20, highWaterBytes = 64 << 10 } = {}) {
  const buckets = { up: new Bucket(upKbps, burstMs), down: new Bucket(downKbps, burstMs) };
  const pipes = new Set();
  const proxy = {
    port: 0,
    bytes: { up: 0, down: 0 },
    connections: 0,
    rates: { up: upKbps, down: downKbps },
    // kbit/s for 'up' (client->server) or 'down', null for unlimited.
    setRate(direction, kbps) {
      if (!(direction in buckets)) throw new Error(`direction is 'up' or 'down', not ${direction}`);
      buckets[direction].set(kbps);
      proxy.rates[direction] = kbps;
      for (const p of pipes) p.kick();
    },
    close: () => new Promise((resolve) => {
      clearInterval(timer);
      for (const p of pipes) p.destroy();
      server.close(() => resolve());
    }),
  };

  // One direction of one connection: from -> queue -> (tokens) -> to.
  function pipe(from, to, direction) {
    const queue = [];
    let queued = 0;
    let fromPaused = false;
    let ended = false;
    const p = {
      kick() {
        const bucket = buckets[direction];
        bucket.refill();
        while (queue.length && !to.destroyed) {
          const room = bucket.available();
          if (room <= 0) break;
          const head = queue[0];
          const n = Math.min(room, head.length);
          const slice = n === head.length ? queue.shift() : head.subarray(0, n);
          if (n < head.length) queue[0] = head.subarray(n);
          queued -= n;
          bucket.take(n);
          proxy.bytes[direction] += n;
          to.write(slice);
        }
        if (fromPaused && queued < highWaterBytes / 2 && to.writableLength < highWaterBytes) { fromPaused = false; from.resume(); }
        if (ended && !queue.length && !to.destroyed) to.end();
      },
      destroy() { from.destroy(); to.destroy(); },
      get idle() { return !queue.length; },
    };
    from.on('data', (d) => {
      queue.push(d);
      queued += d.length;
      if (queued >= highWaterBytes && !fromPaused) { fromPaused = true; from.pause(); }
      p.kick();
    });
    from.on('end', () => { ended = true; p.kick(); });
    to.on('drain', () => p.kick());
    return p;
  }

  const server = net.createServer((client) => {
    proxy.connections++;
    const upstream = net.connect(targetPort, targetHost);
    const up = pipe(client, upstream, 'up');
    const down = pipe(upstream, client, 'down');
    const pair = { kick() { up.kick(); down.kick(); }, destroy() { up.destroy(); } };
    pipes.add(pair);
    const end = () => { pipes.delete(pair); client.destroy(); upstream.destroy(); };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  const timer = setInterval(() => { for (const p of pipes) p.kick(); }, TICK_MS);
  timer.unref();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  proxy.port = server.address().port;
  return proxy;
}
