// The pusher's connection: one WebSocket carrying FLV to the gateway's /push (gateway/PROTOCOL.md), or
// straight to a server that takes WebSocket-FLV publishing (a ws(s):// push URL). It turns what the
// gateway says into the product's codes. The reconnect rule (retries, backoff, which closes stop at
// once, 1102 / 3002 / 3005 / -1307) is the core's (wasm/core/push/reconnect_policy.h, core.ReconnectPolicy):
// this file keeps the socket and the timer and tells the policy what happened.
import protocol from '../gateway/protocol.json' with { type: 'json' };

const { close } = protocol;

export class PushLink {
  /**
   * @param {{url: string, gateway: string, onState: (code: number, message: string) => void,
   *          onOpen: () => void, onAck?: (ack: object) => void, onClosed?: () => void,
   *          core: object, now: () => number}} options
   *   core: the pusher's wasm module (its ReconnectPolicy decides); now: the worker's clock in ms
   */
  constructor(options) {
    this.options = options;
    this.policy = new options.core.ReconnectPolicy('pusher');
    this.socket = null;
    this.stopped = false;
    this.sentBytes = 0;
    this.ack = null;
    this.retryTimer = 0;
  }

  target() {
    const { url, gateway } = this.options;
    if (/^wss?:\/\//i.test(url)) return url;  // a server that takes WS-FLV publishing itself
    if (!gateway) throw new Error('rtmp:// URLs need a gateway: configure({gateway}) or the gateway attribute');
    const base = gateway.replace(/\/+$/, '');
    return `${base}${protocol.paths.push}?${protocol.query.url}=${encodeURIComponent(url)}`;
  }

  connect() {
    if (this.stopped) return;
    const direct = /^wss?:\/\//i.test(this.options.url);
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
    this.sentBytes = 0;
    this.ack = null;
    this.policy.connecting();
    socket.onopen = () => {
      if (direct) {  // no gateway to say 1001/1002: the socket is the connection
        this.options.onState(1001, 'connected to ' + this.options.url);
        this.options.onState(1002, 'publishing');
        if (this.policy) this.policy.began();
      }
      this.options.onOpen();
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === protocol.message.status) {
        if (this.policy) this.policy.status(message.code);
        this.options.onState(message.code, message.message || message.name || '');
      } else if (message.type === protocol.message.reconnect) {
        // The RTMP server asked the gateway to reconnect (E-RTMP ReconnectRequest): the gateway does it
        // on this socket, holding the frames meanwhile, and says 1001/1002 again when the new server took
        // the stream. The page sees what a reconnect of its own raises first: 1102.
        this.options.onState(1102, `the RTMP server asked for a reconnect to ${message.tcUrl}: ${message.message || ''}`);
      } else if (message.type === protocol.message.ack) {
        this.ack = message;
        if (this.options.onAck) this.options.onAck(message);
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.failed(event);
    };
  }

  failed(event) {
    const reason = event.reason || `WebSocket closed (${event.code})`;
    const v = this.policy.closed(this.options.now(), event.code);
    // The gateway has already sent its 3001-3005 status; a direct server or a gateway that vanished did
    // not, and the policy names the failure (failureCode).
    if (v.failureCode) this.options.onState(v.failureCode, reason);
    if (!v.retry) {
      this.options.onState(v.code, v.fatal ? reason : `${reason}; ${v.retries} reconnects failed`);
      this.stop();
      return;
    }
    this.options.onState(v.code, `reconnecting (${v.attempt}/${v.retries}) in ${v.delayMs} ms: ${reason}`);
    this.retryTimer = setTimeout(() => this.connect(), Math.max(0, v.retryAtMs - this.options.now()));
  }

  get open() {
    return !!this.socket && this.socket.readyState === WebSocket.OPEN;
  }

  get bufferedAmount() {
    return this.socket ? this.socket.bufferedAmount : 0;
  }

  send(bytes) {
    if (!this.open || bytes.length === 0) return false;
    this.socket.send(bytes);
    this.sentBytes += bytes.length;
    return true;
  }

  // The link as the rate controller sees it (wasm/core/push/rate_controller.h LinkSample).
  sample(nowMs) {
    const ack = this.ack;
    return {
      nowMs,
      sentBytes: this.sentBytes,
      bufferedBytes: this.bufferedAmount,
      ackedReceived: ack ? ack.received : -1,
      ackedQueued: ack ? ack.queued : -1,
      ackedPaused: ack ? !!ack.paused : false,
    };
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(close.normal, 'push stopped');
    if (this.options.onClosed) this.options.onClosed();
    if (this.policy) this.policy.delete();
    this.policy = null;
  }
}
