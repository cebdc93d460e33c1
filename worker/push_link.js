// The pusher's connection: one WebSocket carrying FLV to the gateway's /push (gateway/PROTOCOL.md), or
// straight to a server that takes WebSocket-FLV publishing (a ws(s):// push URL). It turns what the
// gateway says into SPEC.md codes and owns the reconnect policy:
//   a broken link -> 1102, then up to three reconnects 1 s, 2 s, 4 s apart, each failure reported with
//   the gateway's 3001-3005 code; a push that begins again (1002) resets the count; the third failed
//   reconnect -> -1307 and the link stops. Refusals no retry can fix (a URL the gateway does not allow,
//   a malformed request) go to -1307 at once, with the gateway's reason.
import protocol from '../gateway/protocol.json' with { type: 'json' };

const RETRIES = 3;
const FIRST_BACKOFF_MS = 1000;
const { close } = protocol;
const FATAL_CLOSES = new Set([close.badRequest, close.originNotAllowed, close.upstreamNotAllowed, close.notFlv,
  close.badControlMessage, close.unsupportedData, close.messageTooBig, close.policyViolation]);

export class PushLink {
  /**
   * @param {{url: string, gateway: string, onState: (code: number, message: string) => void,
   *          onOpen: () => void, onAck?: (ack: object) => void, onClosed?: () => void}} options
   */
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.failures = 0;
    this.stopped = false;
    this.sentBytes = 0;
    this.ack = null;
    this.lastStatus = 0;
    this.retryTimer = 0;
    this.began = false;
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
      this.options.onState(-1307, String(err.message || err));
      this.stop();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.sentBytes = 0;
    this.ack = null;
    this.lastStatus = 0;
    this.began = false;
    socket.onopen = () => {
      if (direct) {  // no gateway to say 1001/1002: the socket is the connection
        this.options.onState(1001, 'connected to ' + this.options.url);
        this.options.onState(1002, 'publishing');
        this.began = true;
        this.failures = 0;
      }
      this.options.onOpen();
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === protocol.message.status) {
        this.lastStatus = message.code;
        if (message.code === 1002) {
          this.began = true;
          this.failures = 0;
        }
        this.options.onState(message.code, message.message || message.name || '');
      } else if (message.type === protocol.message.ack) {
        this.ack = message;
        if (this.options.onAck) this.options.onAck(message);
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.failed(event, direct);
    };
  }

  failed(event, direct) {
    const reason = event.reason || `WebSocket closed (${event.code})`;
    if (FATAL_CLOSES.has(event.code)) {
      this.options.onState(-1307, reason);
      this.stop();
      return;
    }
    // The gateway has already sent its 3001-3005 status. A direct server or a gateway that vanished
    // did not: name the failure ourselves.
    if (!(this.lastStatus >= 3001 && this.lastStatus <= 3005)) {
      this.options.onState(this.began ? 3005 : 3002, reason);
    }
    if (this.failures >= RETRIES) {
      this.options.onState(-1307, `${reason}; ${RETRIES} reconnects failed`);
      this.stop();
      return;
    }
    this.failures += 1;
    const delay = FIRST_BACKOFF_MS * 2 ** (this.failures - 1);
    this.options.onState(1102, `reconnecting (${this.failures}/${RETRIES}) in ${delay} ms: ${reason}`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
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

  // The link as the rate controller sees it (wasm/push/rate_controller.h LinkSample).
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
  }
}
