// The demo's event log: every statechange of both elements with its code name (js-api/codes.js), the
// `error` events, fullscreen changes and the context methods' results, newest first.
import { PusherCodeNames, PlayerCodeNames } from '../js-api/codes.js';

const MAX_LINES = 400;

export class EventLog {
  /** @param {HTMLElement} list an element that takes one child per line */
  constructor(list) {
    this.list = list;
    this.t0 = performance.now();
  }

  /** @param {'pusher'|'player'} source @param {string} text @param {'info'|'warn'|'error'|'ok'} [level] */
  add(source, text, level = 'info') {
    const line = document.createElement('div');
    line.className = `line ${source} ${level}`;
    const s = ((performance.now() - this.t0) / 1000).toFixed(1).padStart(6, ' ');
    line.textContent = `${s} s  ${source.padEnd(6, ' ')}  ${text}`;
    this.list.prepend(line);
    while (this.list.childElementCount > MAX_LINES) this.list.lastElementChild.remove();
  }

  /** A statechange: "1002 PUSH_EVT_PUSH_BEGIN message". */
  state(source, { code, message } = {}) {
    const names = source === 'pusher' ? PusherCodeNames : PlayerCodeNames;
    const name = names[code] || 'UNKNOWN_CODE';
    const level = code < 0 || /_ERR_/.test(name) ? 'error' : /WARNING/.test(name) ? 'warn' : 'info';
    this.add(source, `${code} ${name}${message && message !== name ? `  ${message}` : ''}`, level);
  }

  error(source, { errCode, errMsg } = {}) {
    this.add(source, `error ${errCode ?? ''} ${errMsg ?? ''}`, 'error');
  }

  /** A context method's result object ({errMsg: "start:ok", ...}). */
  result(source, result) {
    const r = result || {};
    const ok = /:ok$/.test(r.errMsg || '');
    const extra = Object.entries(r).filter(([k]) => k !== 'errMsg').map(([k, v]) => `${k}=${typeof v === 'string' && v.length > 60 ? v.slice(0, 57) + '...' : JSON.stringify(v)}`);
    this.add(source, `${r.errMsg || 'no result'}${extra.length ? '  ' + extra.join(' ') : ''}`, ok ? 'ok' : 'error');
  }
}
