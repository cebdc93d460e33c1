// livewasm-gateway under test: the binary in its own process group with its JSON log collected, the
// `ws` package standing in for the browser (/push and /play), an FLV tag reader for what comes back,
// an FLV pusher (paced by tag timestamps, or as fast as back-pressure allows), /metrics parsing, and
// the "healthy neighbour": a play stream beside a refusal that must not notice it.
//
//   const gw = await startGateway({ upstreams: [`127.0.0.1:${nginx.port}`], args: ['--max-message-bytes', '65536'] });
//   const c = openStream(gw, 'play', nginx.url('a'));        // {ws, statuses(), flv, closed, waitFor, ...}
//   await c.waitStatus(2002);
//   await gw.stop();                                         // SIGTERM, awaited; {code, signal}
//
// Test code may parse FLV tag headers (the product JS must not): that is how a test knows what it got.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { BUILD_DIR, httpGet, sleep } from './tools.mjs';

export const GATEWAY = `${BUILD_DIR}/gateway/livewasm-gateway`;

const now = () => performance.now();

// Rejects when `promise` has not settled within `ms`, naming what was awaited.
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Polls `pred` (sync or async) until it returns a truthy value, which is returned.
export async function until(pred, { timeoutMs = 10000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = now() + timeoutMs;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (now() > deadline) throw new Error(`${what}: not true within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// The gateway process

const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|runtime error:/;

// `wrap` runs the gateway through a command that execs it (e.g. ['prlimit', '--nofile=256:256', '--']),
// so the process id is still the gateway's. `binary` runs another copy (an installed package's);
// `config` puts `--config FILE` first, so the flags here override the file.
export async function startGateway({ args = [], upstreams = [], tls = null, drainTimeoutMs = 3000, startTimeoutMs = 10000, wrap = [], binary = GATEWAY, config = null } = {}) {
  assert.ok(existsSync(binary), `${binary} missing: run scripts/build.sh native`);
  const full = config ? ['--config', config, '--listen', '127.0.0.1:0'] : ['--listen', '127.0.0.1:0'];
  for (const u of upstreams) full.push('--allow-upstream', u);
  if (tls) full.push('--tls-cert', tls.cert, '--tls-key', tls.key);
  if (!args.includes('--drain-timeout-ms')) full.push('--drain-timeout-ms', String(drainTimeoutMs));
  full.push(...args);
  // Its own process group (detached), so nothing it might start outlives a test.
  const proc = wrap.length
    ? spawn(wrap[0], [...wrap.slice(1), binary, ...full], { stdio: ['ignore', 'ignore', 'pipe'], detached: true })
    : spawn(binary, full, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const logs = [];   // parsed JSON lines
  const other = [];  // anything else on stderr (a sanitizer's report, a usage error)
  readline.createInterface({ input: proc.stderr }).on('line', (line) => {
    try {
      const o = JSON.parse(line);
      o._at = now();
      logs.push(o);
    } catch {
      other.push(line);
    }
  });
  let exit = null;
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => {
    exit = { code, signal };
    resolve(exit);
  }));
  const listening = await within(Promise.race([
    until(() => logs.find((l) => l.event === 'listening'), { timeoutMs: startTimeoutMs, intervalMs: 10, what: 'gateway listening' }),
    exited.then((r) => { throw new Error(`gateway exited at start (${JSON.stringify(r)}): ${other.join('\n')} ${JSON.stringify(logs)}`); }),
  ]), startTimeoutMs + 1000, 'gateway start');
  const port = listening.port;
  assert.ok(Number.isInteger(port) && port > 0, `listening line has a port: ${JSON.stringify(listening)}`);
  const scheme = tls ? 's' : '';
  const group = (signal) => { try { process.kill(-proc.pid, signal); } catch {} };
  const gw = {
    proc,
    pid: proc.pid,
    port,
    args: full,
    logs,
    other,
    exited,
    get exit() { return exit; },
    httpUrl: (p) => `http${scheme}://127.0.0.1:${port}${p}`,
    wsUrl: (p) => `ws${scheme}://127.0.0.1:${port}${p}`,
    tls: !!tls,
    // Log lines with this event (and fields equal to `match`).
    events: (event, match = {}) => logs.filter((l) => l.event === event && Object.entries(match).every(([k, v]) => l[k] === v)),
    waitLog: (event, match = {}, timeoutMs = 10000) =>
      until(() => gw.events(event, match)[0], { timeoutMs, intervalMs: 20, what: `log event ${event} ${JSON.stringify(match)}` }),
    get: (p) => httpGet(gw.httpUrl(p)),
    metrics: async () => {
      const r = await httpGet(gw.httpUrl('/metrics'));
      assert.equal(r.status, 200, `/metrics answered ${r.status}`);
      return r.body;
    },
    metric: async (name, labels = {}) => metricValue(await gw.metrics(), name, labels),
    sanitizerReport: () => other.filter((l) => SANITIZER.test(l)),
    signal: (sig) => group(sig),
    // SIGTERM (drain) and wait for the exit; SIGKILL after timeoutMs. Throws if a sanitizer spoke.
    async stop({ signal = 'SIGTERM', timeoutMs = drainTimeoutMs + 5000 } = {}) {
      if (!exit) {
        group(signal);
        const timer = setTimeout(() => group('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      const report = gw.sanitizerReport();
      if (report.length) throw new Error(`sanitizer report from the gateway:\n${other.join('\n')}`);
      return exit;
    },
  };
  return gw;
}

// ---------------------------------------------------------------------------------------------
// HTTP: httpGet lives in tools.mjs (nginx.mjs uses it too); re-exported for the gateway tests.

export { httpGet };

// One sample of a Prometheus text exposition: name{labels} value. undefined when absent.
export function metricValue(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) have[k] = v;
    if (Object.entries(labels).every(([k, v]) => have[k] === String(v))) return Number(m[3]);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// FLV, read incrementally (what a player receives) or from a file (what a pusher sends)

function describeTag(buf, off, size, type) {
  const tag = { type: type === 8 ? 'audio' : type === 9 ? 'video' : type === 18 ? 'script' : `type${type}`, size };
  const b = off + 11;
  if (type === 9 && size >= 2) {
    tag.key = buf[b] >> 4 === 1;
    tag.codec = buf[b] & 0x0f;
    tag.seq = tag.codec === 7 && buf[b + 1] === 0;
  } else if (type === 8 && size >= 2) {
    tag.codec = buf[b] >> 4;
    tag.seq = tag.codec === 10 && buf[b + 1] === 0;
  } else if (type === 18 && size >= 3 && buf[b] === 2) {
    const n = buf.readUInt16BE(b + 1);
    if (3 + n <= size) tag.name = buf.toString('latin1', b + 3, b + 3 + n);  // AMF0 string: the script's name
  }
  return tag;
}

export class FlvReader {
  constructor() {
    this.buf = Buffer.alloc(0);
    this.header = null;  // {audio, video}
    this.tags = [];      // {type, ts, size, key, seq, codec, at}
    this.errors = [];
    this.bytes = 0;
  }

  feed(chunk, at = now()) {
    this.bytes += chunk.length;
    let buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let off = 0;
    if (!this.header) {
      if (buf.length < 13) { this.buf = buf; return; }
      if (buf.toString('latin1', 0, 3) !== 'FLV' || buf[3] !== 1) this.errors.push(`bad FLV signature ${buf.subarray(0, 4).toString('hex')}`);
      if (buf.readUInt32BE(5) !== 9) this.errors.push(`FLV data offset ${buf.readUInt32BE(5)}`);
      if (buf.readUInt32BE(9) !== 0) this.errors.push(`PreviousTagSize0 ${buf.readUInt32BE(9)}`);
      this.header = { audio: !!(buf[4] & 4), video: !!(buf[4] & 1) };
      off = 13;
    }
    while (buf.length - off >= 11) {
      const type = buf[off] & 0x1f;
      const size = buf.readUIntBE(off + 1, 3);
      if (buf.length - off < 15 + size) break;
      const ts = ((buf[off + 7] << 24) | buf.readUIntBE(off + 4, 3)) >>> 0;
      const streamId = buf.readUIntBE(off + 8, 3);
      const prev = buf.readUInt32BE(off + 11 + size);
      if (prev !== 11 + size && this.errors.length < 20) this.errors.push(`tag ${this.tags.length}: PreviousTagSize ${prev} != ${11 + size}`);
      if (streamId !== 0 && this.errors.length < 20) this.errors.push(`tag ${this.tags.length}: stream id ${streamId}`);
      if (![8, 9, 18].includes(type) && this.errors.length < 20) this.errors.push(`tag ${this.tags.length}: type ${type}`);
      this.tags.push({ ...describeTag(buf, off, size, type), ts, at });
      off += 15 + size;
    }
    this.buf = buf.subarray(off);
  }

  of(type) { return this.tags.filter((t) => t.type === type); }
  // Audio/video tags that are not sequence headers.
  media(type) { return this.tags.filter((t) => t.type === type && !t.seq); }
}

// Byte ranges of an FLV file's tags: {header: [0, 13), tags: [{type, ts, start, end}]} (end includes
// the PreviousTagSize field).
export function flvTags(data) {
  assert.equal(data.toString('latin1', 0, 3), 'FLV');
  const tags = [];
  let off = data.readUInt32BE(5) + 4;
  const headerEnd = off;
  while (data.length - off >= 15) {
    const type = data[off] & 0x1f;
    const size = data.readUIntBE(off + 1, 3);
    if (data.length - off < 15 + size) break;
    const ts = ((data[off + 7] << 24) | data.readUIntBE(off + 4, 3)) >>> 0;
    tags.push({ ...describeTag(data, off, size, type), ts, start: off, end: off + 15 + size });
    off += 15 + size;
  }
  return { headerEnd, tags };
}

// ---------------------------------------------------------------------------------------------
// The browser stand-in

// Opens a WebSocket to /push or /play for `rtmpUrl` (or any raw `target` path), collecting what comes.
export function openStream(gw, endpoint, rtmpUrl, opts = {}) {
  const target = `/${endpoint}?url=${encodeURIComponent(rtmpUrl)}`;
  return openRaw(gw, target, opts);
}

export function openRaw(gw, target, { origin, keepBytes = false, localAddress, label = target, wsOptions = {} } = {}) {
  const opened = now();
  const ws = new WebSocket(gw.wsUrl(target), {
    ...(origin ? { origin } : {}),
    ...(localAddress ? { localAddress } : {}),
    rejectUnauthorized: false,
    handshakeTimeout: 5000,
    ...wsOptions,
  });
  const c = {
    ws,
    label,
    texts: [],        // parsed JSON text frames with _at
    badText: [],      // text frames that were not JSON
    flv: new FlvReader(),
    chunks: keepBytes ? [] : null,
    binaryFrames: 0,
    openedAt: null,
    error: null,
    closeInfo: null,  // {code, reason, at}
    waiters: new Set(),
    statuses: () => c.texts.filter((m) => m.type === 'status').map((m) => m.code),
    messages: (type) => c.texts.filter((m) => m.type === type),
    bytes: () => Buffer.concat(c.chunks ?? []),
    get open() { return ws.readyState === WebSocket.OPEN; },
  };
  const check = () => {
    for (const w of c.waiters) {
      let ok = false;
      try { ok = w.pred(); } catch (e) { w.reject(e); c.waiters.delete(w); continue; }
      if (ok) { w.resolve(ok); c.waiters.delete(w); } else if (c.closeInfo && !w.afterClose) {
        w.reject(new Error(`${label}: closed (${c.closeInfo.code} ${c.closeInfo.reason}) before ${w.what}; statuses ${c.statuses()}`));
        c.waiters.delete(w);
      }
    }
  };
  ws.on('open', () => { c.openedAt = now(); check(); });
  ws.on('message', (data, isBinary) => {
    const at = now();
    if (isBinary) {
      c.binaryFrames++;
      c.chunks?.push(data);
      c.flv.feed(data, at);
    } else {
      const s = data.toString('utf8');
      try {
        const m = JSON.parse(s);
        m._at = at;
        c.texts.push(m);
      } catch {
        c.badText.push(s);
      }
    }
    check();
  });
  ws.on('error', (e) => { c.error = e; });
  c.closed = new Promise((resolve) => {
    ws.on('close', (code, reason) => {
      c.closeInfo = { code, reason: reason.toString('utf8'), at: now(), ms: Math.round(now() - opened) };
      check();
      resolve(c.closeInfo);
    });
  });
  // Resolves with pred()'s value when it becomes truthy; rejects on timeout, or when the socket
  // closes first (unless afterClose).
  c.waitFor = (pred, { timeoutMs = 10000, what = 'condition', afterClose = false } = {}) => {
    let w;
    const p = new Promise((resolve, reject) => { w = { pred, resolve, reject, what, afterClose }; });
    c.waiters.add(w);
    check();
    return within(p, timeoutMs, `${label}: ${what} (statuses ${c.statuses()}, ${c.flv.tags.length} tags)`).finally(() => c.waiters.delete(w));
  };
  c.waitStatus = (code, timeoutMs = 10000) =>
    c.waitFor(() => c.texts.find((m) => m.type === 'status' && m.code === code), { timeoutMs, what: `status ${code}` });
  c.waitOpen = (timeoutMs = 5000) => c.waitFor(() => c.openedAt !== null, { timeoutMs, what: 'open', afterClose: true })
    .then(() => { if (c.openedAt === null) throw new Error(`${label}: never opened (${c.error?.message})`); });
  c.waitClose = (timeoutMs = 10000) => within(c.closed, timeoutMs, `${label}: close (statuses ${c.statuses()})`);
  c.send = (data) => new Promise((resolve, reject) => ws.send(data, (e) => (e ? reject(e) : resolve())));
  c.sendJson = (o) => c.send(JSON.stringify(o));
  c.ping = async (id, timeoutMs = 5000) => {
    const before = c.messages('pong').length;
    await c.sendJson({ type: 'ping', id });
    return c.waitFor(() => c.messages('pong').slice(before).find((m) => JSON.stringify(m.id) === JSON.stringify(id)),
      { timeoutMs, what: `pong ${JSON.stringify(id)}` });
  };
  c.close = async (code = 1000, reason = 'done', timeoutMs = 5000) => {
    if (!c.closeInfo) {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(code, reason);
    }
    return within(c.closed, timeoutMs, `${label}: close handshake`).catch((e) => { ws.terminate(); throw e; });
  };
  c.terminate = () => { ws.terminate(); return c.closed; };
  return c;
}

// Sends an FLV file through a /push client: paced by the tags' timestamps (realtime) or as fast as
// back-pressure (the socket's bufferedAmount) allows. Frames never line up with tags: each batch is
// cut at an arbitrary point, so tags span frames. Resolves {bytes, ms} once everything left the socket.
export async function pushFlv(c, data, { realtime = true, chunkBytes = 16384, highWaterBytes = 256 << 10, speed = 1 } = {}) {
  const start = now();
  const ws = c.ws;
  let sent = 0;
  let cut = 7;
  const sendRange = (end) => {
    while (sent < end) {
      // Frames of at most chunkBytes, cut at a deterministic "random" place.
      cut = (cut * 1103515245 + 12345) % 2147483648;
      const size = Math.min(end - sent, 1 + (cut % chunkBytes));
      if (c.closeInfo) throw new Error(`push closed (${c.closeInfo.code} ${c.closeInfo.reason}) after ${sent} bytes`);
      ws.send(data.subarray(sent, sent + size));
      sent += size;
    }
  };
  if (realtime) {
    const { headerEnd, tags } = flvTags(data);
    sendRange(headerEnd);
    let i = 0;
    let due = 0;
    const ts0 = tags[0]?.ts ?? 0;
    while (i < tags.length) {
      due = Math.max(due, (tags[i].ts - ts0) / speed);
      const wait = start + due - now();
      if (wait > 1) await sleep(wait);
      let j = i;
      while (j < tags.length && (tags[j].ts - ts0) / speed <= now() - start) j++;
      if (j === i) j = i + 1;
      sendRange(tags[j - 1].end);
      i = j;
    }
    sendRange(data.length);
  } else {
    while (sent < data.length) {
      while (ws.bufferedAmount > highWaterBytes) {
        if (c.closeInfo) throw new Error(`push closed (${c.closeInfo.code} ${c.closeInfo.reason}) after ${sent} bytes`);
        await sleep(2);
      }
      sendRange(Math.min(data.length, sent + chunkBytes));
    }
  }
  await until(() => ws.bufferedAmount === 0 || c.closeInfo, { timeoutMs: 30000, intervalMs: 5, what: 'push socket drained' });
  return { bytes: sent, ms: now() - start };
}

// ---------------------------------------------------------------------------------------------
// The healthy neighbour: a play stream on the same gateway as a refusal, which must keep receiving
// media the whole time, with no drop and continuous timestamps.
//
//   const nb = await startNeighbour(gw, nginx.url('nb'));   // playing, media flowing
//   nb.mark('during'); ...provoke the refusal...; nb.mark('after');
//   await nb.check();   // waits afterMs more, closes it, asserts (throws with the per-window counts)

export async function startNeighbour(gw, rtmpUrl, { beforeMs = 1000, origin } = {}) {
  const c = openStream(gw, 'play', rtmpUrl, { label: 'neighbour', origin });
  await c.waitStatus(2002);
  await c.waitFor(() => c.flv.media('video').length >= 5 && c.flv.media('audio').length >= 5,
    { timeoutMs: 10000, what: 'neighbour media flowing' });
  const startedAt = c.flv.media('video')[0].at;
  const marks = [];
  const nb = {
    client: c,
    marks,
    mark(label) { marks.push({ label, at: now() }); },
    // Media received per window (for messages).
    windows(windowMs = 500, from = startedAt, to = now()) {
      const out = [];
      const video = c.flv.media('video');
      for (let t = from; t + windowMs <= to; t += windowMs) {
        const phase = [...marks].reverse().find((m) => m.at <= t + windowMs)?.label ?? 'before';
        out.push({ phase, t: Math.round(t - from), video: video.filter((v) => v.at >= t && v.at < t + windowMs).length });
      }
      return out;
    },
    async check({ afterMs = 1000, windowMs = 500, minVideoPerWindow = 3, maxTsGapMs = 200, maxArrivalGapMs = 450 } = {}) {
      await sleep(afterMs);
      const end = now();
      const stillOpen = c.open && !c.closeInfo;
      await c.close(1000, 'neighbour done').catch(() => {});
      const ws = nb.windows(windowMs, startedAt, end);
      const where = `\nwindows (${windowMs} ms): ${ws.map((w) => `${w.phase}@${w.t}:${w.video}`).join(' ')}`;
      assert.ok(stillOpen, `the neighbour was closed (${c.closeInfo?.code} ${c.closeInfo?.reason})${where}`);
      assert.deepEqual(c.statuses(), [2001, 2002], `the neighbour saw only 2001, 2002${where}`);
      assert.deepEqual(c.messages('drop'), [], 'the neighbour lost nothing (no drop message)');
      assert.deepEqual(c.flv.errors, [], 'the neighbour\'s FLV is well-formed');
      assert.ok(ws.length >= 2, `the neighbour ran long enough (${ws.length} windows)`);
      const thin = ws.filter((w) => w.video < minVideoPerWindow);
      assert.deepEqual(thin, [], `every ${windowMs} ms window has >= ${minVideoPerWindow} video tags${where}`);
      for (const type of ['video', 'audio']) {
        const tags = c.flv.media(type).filter((t) => t.at <= end);
        assert.ok(tags.length > 10, `neighbour ${type} tags: ${tags.length}`);
        for (let i = 1; i < tags.length; i++) {
          const d = tags[i].ts - tags[i - 1].ts;
          assert.ok(d >= (type === 'video' ? 1 : 0) && d <= maxTsGapMs,
            `neighbour ${type} timestamps continuous: tag ${i} ${tags[i - 1].ts} -> ${tags[i].ts}${where}`);
        }
        const arrivals = tags.filter((t) => t.at >= startedAt);
        let worst = 0;
        for (let i = 1; i < arrivals.length; i++) worst = Math.max(worst, arrivals[i].at - arrivals[i - 1].at);
        if (type === 'video') {
          assert.ok(worst <= maxArrivalGapMs, `neighbour video never paused more than ${maxArrivalGapMs} ms (worst ${Math.round(worst)})${where}`);
        }
      }
      // Media time kept up with wall time (nothing skipped, nothing stalled).
      const v = c.flv.media('video').filter((t) => t.at >= startedAt && t.at <= end);
      const mediaMs = v.at(-1).ts - v[0].ts;
      const wallMs = v.at(-1).at - v[0].at;
      assert.ok(Math.abs(mediaMs - wallMs) < 0.25 * wallMs + 300,
        `neighbour media time ${mediaMs} ms vs wall time ${Math.round(wallMs)} ms${where}`);
      return { windows: ws };
    },
  };
  await sleep(beforeMs);
  nb.mark('during');
  return nb;
}

// ---------------------------------------------------------------------------------------------
// ffmpeg as a long-running independent peer (publisher or recorder), stoppable

export function spawnFfmpeg(args, { label = 'ffmpeg' } = {}) {
  const p = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => { stderr += d; });
  let exit = null;
  const exited = new Promise((resolve) => p.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); }));
  return {
    proc: p,
    exited,
    get exit() { return exit; },
    get stderr() { return stderr; },
    label,
    async stop(timeoutMs = 5000) {
      if (exit) return exit;
      p.kill('SIGINT');
      const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

// ffmpeg publishing a live test pattern (+ a tone) to an RTMP url, in real time.
export function publishLive(url, { size = '320x240', rate = 25, gop = rate, audio = true, preset = 'ultrafast', noise = 0, bitrate } = {}) {
  const args = ['-re', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`];
  if (audio) args.push('-re', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100');
  if (noise) args.push('-vf', `noise=alls=${noise}:allf=t`);
  args.push('-c:v', 'libx264', '-preset', preset, '-tune', 'zerolatency', '-g', String(gop), '-bf', '0', '-threads', '1');
  if (bitrate) args.push('-b:v', bitrate);
  if (audio) args.push('-c:a', 'aac');
  args.push('-f', 'flv', url);
  return spawnFfmpeg(args, { label: `publish ${url}` });
}

// Waits until nginx-rtmp's /stat shows `name` with a publisher.
export async function waitPublished(nginx, name, timeoutMs = 10000) {
  return until(async () => {
    const xml = await nginx.stat().catch(() => '');
    for (const s of xml.split('<stream>').slice(1)) {
      if (s.includes(`<name>${name}</name>`) && s.includes('<publishing/>')) return s;
    }
    return null;
  }, { timeoutMs, intervalMs: 100, what: `nginx lists a publisher of ${name}` });
}

// The close code and reason every test asserts on: {code, reason} with a readable reason.
export function assertClose(info, code, reasonRe, what = '') {
  assert.ok(info, `${what}: closed`);
  assert.equal(info.code, code, `${what}: close code ${info.code} "${info.reason}"`);
  assert.ok(info.reason.length > 0 && info.reason.length <= 123, `${what}: a readable reason: "${info.reason}"`);
  if (reasonRe) assert.match(info.reason, reasonRe, `${what}: reason`);
}

// ---------------------------------------------------------------------------------------------
// A TCP relay in front of the RTMP server whose client->server direction can be stalled: a slow
// uplink, for back-pressure tests. {port, stall(), resume(), close(), upBytes}
export async function startStallableProxy(targetPort, targetHost = '127.0.0.1') {
  const pairs = new Set();
  let stalled = false;
  const proxy = {
    port: 0,
    upBytes: 0,
    stall() { stalled = true; for (const p of pairs) p.client.pause(); },
    resume() { stalled = false; for (const p of pairs) p.client.resume(); },
    close: () => new Promise((resolve) => {
      for (const p of pairs) { p.client.destroy(); p.server.destroy(); }
      server.close(() => resolve());
    }),
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, server: upstream };
    pairs.add(pair);
    client.on('data', (d) => { proxy.upBytes += d.length; upstream.write(d); });
    upstream.pipe(client);
    if (stalled) client.pause();
    const end = () => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  proxy.port = server.address().port;
  return proxy;
}
