// <live-pusher>: the mini-program tag as a custom element (docs/api.md "<live-pusher> attributes", "Elements"). Attributes are the
// original's (kebab-case); events are DOM CustomEvents (`statechange`, `netstatus`, `error`) and
// `bindstatechange="fnName"` style attributes (web/live_element.js). The element shows the camera
// preview; the work is done by a LivePusher (`element.pusher`).
import { LivePusher } from '../js-api/live_pusher.js';
import { PUSHER_ATTRIBUTES, PUSHER_LIVE_ATTRIBUTES, attributeKey } from '../js-api/pusher_attributes.js';
import { PusherCodeNames } from '../js-api/codes.js';
import { LiveElement } from './live_element.js';

const LIVE_ATTRIBUTES = new Set(PUSHER_LIVE_ATTRIBUTES);
const KIND = { attributes: PUSHER_ATTRIBUTES, events: ['statechange', 'netstatus', 'error'], codeNames: PusherCodeNames };

export class LivePusherElement extends LiveElement {
  static get observedAttributes() {
    return PUSHER_ATTRIBUTES;
  }

  constructor() {
    super(KIND, 'video{width:100%;height:100%;object-fit:cover;display:block}');
    this.preview = document.createElement('video');
    this.preview.setAttribute('part', 'preview');
    this.preview.muted = true;
    this.preview.playsInline = true;
    this.preview.autoplay = true;
    this.shadowRoot.append(this.preview);
    this.pusher = new LivePusher(this.readAttributes());
    this.pusher.addEventListener('preview', (e) => { this.preview.srcObject = e.detail.stream; });
    this.relayEvents(this.pusher);
  }

  connectedCallback() {
    this.updateDebug(this.pusher.attrs.debug);
    if (this.pusher.attrs.autopush && this.pusher.attrs.url) this.pusher.start().catch(() => {});
  }

  disconnectedCallback() {
    this.pusher.stop();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value) return;
    this.pusher.set({ [attributeKey(name)]: value === null ? undefined : value });
    if (name === 'debug') this.updateDebug(this.pusher.attrs.debug);
    if (!this.isConnected || LIVE_ATTRIBUTES.has(name)) return;
    if ((name === 'url' || name === 'autopush') && this.pusher.attrs.autopush && this.pusher.attrs.url) {
      this.pusher.stop().then(() => this.pusher.start()).catch(() => {});
    }
  }
}

export function defineLivePusher(name = 'live-pusher') {
  if (!customElements.get(name)) customElements.define(name, LivePusherElement);
}
