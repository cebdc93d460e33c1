// The `debug` overlay (docs/api.md "attributes": `debug`): a translucent panel over the element with the live
// netstatus fields and the last state codes by name. Plain DOM, no dependencies.
const MAX_EVENTS = 8;

export class DebugOverlay {
  /** @param {HTMLElement | ShadowRoot} parent @param {Record<number, string>} codeNames */
  constructor(parent, codeNames) {
    this.codeNames = codeNames;
    this.root = document.createElement('div');
    this.root.setAttribute('part', 'debug');
    this.root.style.cssText = 'position:absolute;left:0;top:0;max-width:100%;max-height:100%;overflow:hidden;' +
      'background:rgba(0,0,0,0.55);color:#fff;font:11px/1.35 ui-monospace,monospace;padding:4px 6px;' +
      'pointer-events:none;white-space:pre;z-index:1;';
    this.metrics = document.createElement('div');
    this.log = document.createElement('div');
    this.root.append(this.metrics, this.log);
    parent.appendChild(this.root);
    this.events = [];
  }

  netstatus(info) {
    const order = ['videoBitrate', 'audioBitrate', 'videoFPS', 'videoGOP', 'netSpeed', 'netJitter', 'videoWidth', 'videoHeight'];
    const extra = Object.keys(info).filter((k) => !order.includes(k));
    this.metrics.textContent = [...order, ...extra]
      .filter((k) => k in info)
      .map((k) => `${k}: ${typeof info[k] === 'number' ? Math.round(info[k] * 10) / 10 : info[k]}`)
      .join('\n');
  }

  state(code, message) {
    const name = this.codeNames[code] || '';
    const time = new Date().toISOString().slice(11, 23);
    this.events.push(`${time} ${code} ${name}${message ? ' ' + message.slice(0, 80) : ''}`);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    this.log.textContent = '\n' + this.events.join('\n');
  }

  remove() {
    this.root.remove();
  }
}
