// The player's input: one FLV byte stream, whatever the source (DESIGN.md "one input path"):
//   rtmp://…         the gateway's /play WebSocket: binary FLV plus JSON text frames (gateway/PROTOCOL.md)
//   http(s)://….flv  a streaming fetch (HTTP-FLV)
//   ws(s)://….flv    a WebSocket straight from a server that offers WebSocket-FLV
// It turns what the source says into docs/api.md codes and owns the reconnect policy:
//   2001 connected (the gateway's status; for direct sources the response or the open socket),
//   2002 stream began (the gateway's status; for direct sources the first bytes),
//   2006 the publisher left (the gateway only: FLV itself has no end message, so an HTTP-FLV or WS-FLV
//        stream that ends is a broken link, not an end),
//   a broken link -> 2103, reconnects 1 s, 2 s, 4 s apart (3001-3003 from the gateway name the failure);
//   media flowing again resets the count; the third failed reconnect -> -2301 and the source stops.
import protocol from '../gateway/protocol.json' with { type: 'json' };

const RETRIES = 3;
const FIRST_BACKOFF_MS = 1000;
const MEDIA_BYTES = 1024;  // more than an FLV header and a script tag: media is flowing
const { close } = protocol;
// Refusals no retry can fix: the URL is not allowed or malformed.
const FATAL_CLOSES = new Set([close.badRequest, close.originNotAllowed, close.upstreamNotAllowed,
  close.badControlMessage, close.unsupportedData, close.policyViolation]);

export function sourceKind(url) {
  if (/^rtmps?:\/\//i.test(url)) return 'gateway';
  if (/^https?:\/\//i.test(url)) return 'http';
  if (/^wss?:\/\//i.test(url)) return 'ws';
  return null;
}

export class PlaySource {
  /**
   * @param {{url: string, gateway: string,
   *          onState: (code: number, message: string) => void,
   *          onData: (chunk: Uint8Array) => void,
   *          onConnection: () => void,
   *          onDrop: (info: object) => void}} options
   *   onConnection: a new connection begins (a fresh FLV header follows)
   */
  constructor(options) {
    this.options = options;
    this.kind = sourceKind(options.url);
    this.failures = 0;
    this.stopped = false;
    this.retryTimer = 0;
    this.socket = null;
    this.abort = null;
    this.generation = 0;
    this.receivedBytes = 0;
  }

  target() {
    const { url, gateway } = this.options;
    if (this.kind !== 'gateway') return url;
    if (!gateway) throw new Error('rtmp:// URLs need a gateway: configure({gateway}) or the gateway attribute');
    return `${gateway.replace(/\/+$/, '')}${protocol.paths.play}?${protocol.query.url}=${encodeURIComponent(url)}`;
  }

  start() {
    if (!this.kind) {
      this.options.onState(-2301, `unsupported src "${this.options.url}" (rtmp://, http(s)://….flv or ws(s)://….flv)`);
      this.stopped = true;
      return;
    }
    this.connect();
  }

  connect() {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.began = false;
    this.connectionBytes = 0;
    this.lastStatus = 0;
    this.options.onConnection();
    if (this.kind === 'http') this.fetchFlv(generation);
    else this.openSocket(generation);
  }

  // Media arrived on this connection: it works, so a later break starts a fresh count of retries. Only
  // media counts: the gateway sends the FLV header as soon as the socket opens, before the RTMP server
  // has answered (its 2002 status is what resets the count there), and a direct server may send a
  // header and die.
  data(generation, chunk) {
    if (generation !== this.generation || this.stopped) return;
    this.connectionBytes += chunk.byteLength;
    if (!this.began && this.kind !== 'gateway' && this.connectionBytes > MEDIA_BYTES) {
      this.began = true;
      this.failures = 0;
      this.options.onState(2002, 'stream began');
    }
    this.receivedBytes += chunk.byteLength;
    this.options.onData(chunk);
  }

  openSocket(generation) {
    let socket;
    try {
      socket = new WebSocket(this.target());
    } catch (err) {
      this.options.onState(-2301, String(err.message || err));
      this.stop();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      if (this.kind === 'ws') this.options.onState(2001, 'connected to ' + this.options.url);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') {
        this.data(generation, new Uint8Array(event.data));
        return;
      }
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === protocol.message.status) this.status(message);
      else if (message.type === protocol.message.drop) this.options.onDrop(message);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.failed(event.reason || `WebSocket closed (${event.code})`, FATAL_CLOSES.has(event.code));
    };
  }

  status(message) {
    this.lastStatus = message.code;
    if (message.code === 2002) {
      this.began = true;
      this.failures = 0;
      // A publisher that returns after 2006: the same connection carries a new stream.
      if (this.ended) this.options.onConnection();
      this.ended = false;
    }
    if (message.code === 2006) this.ended = true;
    this.options.onState(message.code, message.message || message.name || '');
  }

  async fetchFlv(generation) {
    const abort = new AbortController();
    this.abort = abort;
    let reason;
    try {
      const response = await fetch(this.options.url, { signal: abort.signal, cache: 'no-store' });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      if (generation !== this.generation) return;
      this.options.onState(2001, 'connected to ' + this.options.url);
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || generation !== this.generation || this.stopped) break;
        this.data(generation, value);
      }
      reason = 'the HTTP-FLV stream ended';  // FLV has no end message: an ended body is a broken stream
    } catch (err) {
      reason = String(err && err.message || err);
    }
    if (this.stopped || generation !== this.generation) return;
    this.failed(reason, false);
  }

  failed(reason, fatal) {
    if (fatal) {
      this.options.onState(-2301, reason);
      this.stop();
      return;
    }
    if (this.failures >= RETRIES) {
      this.options.onState(-2301, `${reason}; ${RETRIES} reconnects failed`);
      this.stop();
      return;
    }
    this.failures += 1;
    const delay = FIRST_BACKOFF_MS * 2 ** (this.failures - 1);
    this.options.onState(2103, `reconnecting (${this.failures}/${RETRIES}) in ${delay} ms: ${reason}`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(close.normal, 'play stopped');
    if (this.abort) this.abort.abort();
    this.abort = null;
  }
}
