// <live-pusher>: the mini-program tag as a custom element (SPEC.md sections 1 and 4). Attributes are the
// original's (kebab-case); events are DOM CustomEvents (`statechange`, `netstatus`, `error`) and, for
// pages ported from the mini-program, `bindstatechange="fnName"` style attributes call a global
// function with the event. The element shows the camera preview; the work is done by a LivePusher.
import { LivePusher } from '../js-api/live_pusher.js';
import { PUSHER_ATTRIBUTES, attributeKey } from '../js-api/pusher_attributes.js';
import { PusherCodeNames } from '../js-api/codes.js';
import { DebugOverlay } from './debug_overlay.js';

const LIVE_ATTRIBUTES = new Set(['beauty', 'whiteness', 'muted']);
const BIND_EVENTS = ['statechange', 'netstatus', 'error'];

export class LivePusherElement extends HTMLElement {
  static get observedAttributes() {
    return PUSHER_ATTRIBUTES;
  }

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<style>:host{display:inline-block;position:relative;width:300px;height:225px;' +
      'background:#000;overflow:hidden}video{width:100%;height:100%;object-fit:cover;display:block}</style>' +
      '<video part="preview" muted playsinline autoplay></video>';
    this.preview = shadow.querySelector('video');
    this.pusher = new LivePusher(this.readAttributes());
    this.overlay = null;
    this.pusher.addEventListener('preview', (e) => { this.preview.srcObject = e.detail.stream; });
    for (const type of BIND_EVENTS) {
      this.pusher.addEventListener(type, (e) => this.relay(type, e.detail));
    }
  }

  readAttributes() {
    const raw = {};
    for (const name of PUSHER_ATTRIBUTES) if (this.hasAttribute(name)) raw[attributeKey(name)] = this.getAttribute(name);
    return raw;
  }

  relay(type, detail) {
    if (this.overlay) {
      if (type === 'statechange') this.overlay.state(detail.code, detail.message);
      if (type === 'netstatus') this.overlay.netstatus(detail.info);
    }
    const event = new CustomEvent(type, { detail });
    this.dispatchEvent(event);
    const bound = this.getAttribute('bind' + type);
    if (bound && typeof globalThis[bound] === 'function') globalThis[bound](event);
  }

  connectedCallback() {
    this.updateDebug();
    if (this.pusher.attrs.autopush && this.pusher.attrs.url) this.pusher.start().catch(() => {});
  }

  disconnectedCallback() {
    this.pusher.stop();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value) return;
    const key = attributeKey(name);
    this.pusher.set({ [key]: value === null ? undefined : value });
    if (name === 'debug') this.updateDebug();
    if (!this.isConnected || LIVE_ATTRIBUTES.has(name) || name === 'debug') return;
    if ((name === 'url' || name === 'autopush') && this.pusher.attrs.autopush && this.pusher.attrs.url) {
      this.pusher.stop().then(() => this.pusher.start()).catch(() => {});
    }
  }

  updateDebug() {
    const on = this.pusher.attrs.debug;
    if (on && !this.overlay) this.overlay = new DebugOverlay(this.shadowRoot, PusherCodeNames);
    if (!on && this.overlay) {
      this.overlay.remove();
      this.overlay = null;
    }
  }
}

export function defineLivePusher(name = 'live-pusher') {
  if (!customElements.get(name)) customElements.define(name, LivePusherElement);
}
