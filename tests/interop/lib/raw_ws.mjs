// A WebSocket client written from scratch on a net.Socket, for the hostile-client tests: it sends
// frames of any shape (including ones RFC 6455 forbids), and reads only when the test says so, so a
// test can be the client that asks for more than it reads.
//
//   const c = await rawConnect(gw.port, '/play?url=...');   // upgrade done (101 checked)
//   c.send(frame(1, Buffer.from('{"type":"ping","id":1}')));  // masked client frame, opcode 1 (text)
//   c.readSome();          // takes what the socket buffered (paused otherwise: the kernel window closes)
//   c.closeFrame           // {code, reason} once a close frame from the gateway was read
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';

// A masked client frame. `len` overrides the length field (a lie, for protocol-violation tests);
// `len64` forces the 8-byte length form with the given BigInt.
export function frame(opcode, payload = Buffer.alloc(0), { fin = true, len64 } = {}) {
  const mask = crypto.randomBytes(4);
  let head;
  if (len64 !== undefined) {
    head = Buffer.alloc(10);
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(len64, 2);
  } else if (payload.length < 126) {
    head = Buffer.alloc(2);
    head[1] = 0x80 | payload.length;
  } else if (payload.length < 65536) {
    head = Buffer.alloc(4);
    head[1] = 0x80 | 126;
    head.writeUInt16BE(payload.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  head[0] = (fin ? 0x80 : 0) | opcode;
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([head, mask, body]);
}

// Opens `target` on 127.0.0.1:port and completes the upgrade. The socket stays paused: nothing is
// read from it except by readSome() (or readAll(), which resumes it for good).
export function rawConnect(port, target, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`upgrade of ${target}: nothing within ${timeoutMs} ms`)); }, timeoutMs);
    s.once('error', (e) => { clearTimeout(timer); reject(e); });
    s.once('connect', () => {
      s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    let head = Buffer.alloc(0);
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      s.off('data', onData);
      s.pause();
      clearTimeout(timer);
      const status = head.toString('latin1', 0, head.indexOf('\r\n'));
      if (!/^HTTP\/1\.1 101/.test(status)) { s.destroy(); reject(new Error(`upgrade refused: ${status}`)); return; }
      const c = makeClient(s);
      c.feed(head.subarray(end + 4));
      resolve(c);
    };
    s.on('data', onData);
  });
}

function makeClient(s) {
  let buf = Buffer.alloc(0);
  const c = {
    socket: s,
    bytesRead: 0,
    textFrames: 0,
    binaryBytes: 0,
    closeFrame: null,   // {code, reason}
    ended: false,       // the gateway closed or reset the TCP connection
    error: null,
    feed(d) {
      if (!d.length) return;
      c.bytesRead += d.length;
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
        else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
        if (buf.length < off + len) return;
        const op = buf[0] & 0x0f;
        const payload = buf.subarray(off, off + len);
        if (op === 1) c.textFrames++;
        else if (op === 2 || op === 0) c.binaryBytes += len;
        else if (op === 8 && !c.closeFrame) {
          c.closeFrame = { code: len >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString('utf8') };
        }
        buf = buf.subarray(off + len);
      }
    },
    // Reads what is buffered, at most `max` bytes (undefined: all). Returns the bytes taken.
    readSome(max) {
      let n = 0;
      for (;;) {
        const d = max === undefined ? s.read() : s.read(Math.min(max - n, s.readableLength || 1) || 1);
        if (!d) break;
        c.feed(d);
        n += d.length;
        if (max !== undefined && n >= max) break;
      }
      return n;
    },
    readAll() { s.on('data', (d) => c.feed(d)); s.resume(); },
    // Writes; false when the kernel buffer is full (wait for 'drain').
    send(bytes) { return !s.destroyed && s.write(bytes); },
    destroy() { s.destroy(); },
  };
  s.on('end', () => { c.ended = true; });
  s.on('close', () => { c.ended = true; });
  s.on('error', (e) => { c.error = e; c.ended = true; });
  return c;
}

// The gateway's resident set size in bytes, from /proc/PID/status (VmRSS).
export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
