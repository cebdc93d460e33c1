// The player's input: one FLV byte stream, whatever the source (DESIGN.md "one input path"):
//   rtmp://…         the gateway's /play WebSocket: binary FLV plus JSON text frames (gateway/PROTOCOL.md)
//   http(s)://….flv  a streaming fetch (HTTP-FLV)
//   ws(s)://….flv    a WebSocket straight from a server that offers WebSocket-FLV
// It turns what the source says into docs/api.md codes:
//   2001 connected (the gateway's status; for direct sources the response or the open socket),
//   2002 stream began (the gateway's status; for direct sources the first bytes),
//   2006 the publisher left (the gateway only: FLV itself has no end message, so an HTTP-FLV or WS-FLV
//        stream that ends is a broken link, not an end),
//   the RTMP server's ReconnectRequest (the gateway's `reconnect` message) -> 2103, then 2001/2002 of the new server,
//   a broken link -> 2103 and reconnects, -2301 when they are spent or the close is one no retry can fix:
//   the rule is the core's (wasm/core/push/reconnect_policy.h, core.ReconnectPolicy('player')); this file keeps
//   the socket, the fetch and the timer and tells the policy what happened (3001-3003 from the gateway
//   name a failure; media flowing again resets the count).
import protocol from '../gateway/protocol.json' with { type: 'json' };

const MEDIA_BYTES = 1024;  // more than an FLV header and a script tag: media is flowing
const { close } = protocol;

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
   *          onDrop: (info: object) => void, core: object, now?: () => number}} options
   *   onConnection: a new connection begins (a fresh FLV header follows)
   *   core: the player's wasm module (its ReconnectPolicy decides); now: the worker's clock in ms
   */
  constructor(options) {
    this.options = options;
    this.kind = sourceKind(options.url);
    this.policy = new options.core.ReconnectPolicy('player');
    this.now = options.now || (() => performance.now());
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
      this.stop();
      return;
    }
    this.connect();
  }

  connect() {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.began = false;
    this.connectionBytes = 0;
    this.policy.connecting();
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
      this.policy.began();
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
      this.options.onState(this.policy.unusable().code, String(err.message || err));
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
      else if (message.type === protocol.message.reconnect) this.serverReconnect(message);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.failed(event.reason || `WebSocket closed (${event.code})`, event.code);
    };
  }

  status(message) {
    if (this.policy) this.policy.status(message.code);
    if (message.code === 2002) {
      this.began = true;
      // A publisher that returns after 2006: the same connection carries a new stream.
      if (this.ended) this.options.onConnection();
      this.ended = false;
    }
    if (message.code === 2006) this.ended = true;
    this.options.onState(message.code, message.message || message.name || '');
  }

  // The RTMP server asked the gateway to reconnect (E-RTMP ReconnectRequest): the gateway does it on
  // this socket and starts a new FLV stream (a fresh header follows this message), then says 2001/2002
  // again. The page sees what a reconnect of its own raises first: 2103. No retry is counted: nothing broke.
  serverReconnect(message) {
    this.options.onState(2103, `the RTMP server asked for a reconnect to ${message.tcUrl}: ${message.message || ''}`);
    this.ended = false;
    this.options.onConnection();
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
    this.failed(reason, 0);
  }

  // closeCode: the WebSocket's close code, 0 for a fetch that ended or failed.
  failed(reason, closeCode) {
    const v = this.policy.closed(this.now(), closeCode);
    if (!v.retry) {
      this.options.onState(v.code, v.fatal ? reason : `${reason}; ${v.retries} reconnects failed`);
      this.stop();
      return;
    }
    this.options.onState(v.code, `reconnecting (${v.attempt}/${v.retries}) in ${v.delayMs} ms: ${reason}`);
    this.retryTimer = setTimeout(() => this.connect(), Math.max(0, v.retryAtMs - this.now()));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(close.normal, 'play stopped');
    if (this.abort) this.abort.abort();
    this.abort = null;
    if (this.policy) this.policy.delete();
    this.policy = null;
  }
}
