// <live-player>: the mini-program tag as a custom element (SPEC.md sections 2 and 4). Attributes are the
// original's (kebab-case); events are DOM CustomEvents (`statechange`, `netstatus`, `fullscreenchange`,
// `audiovolumenotify`, `error`) and, for pages ported from the mini-program, `bindstatechange="fnName"`
// style attributes call a global function with the event. The element holds the canvas the player's
// worker draws on (default size 300x225); the work is done by a LivePlayer.
import { LivePlayer } from '../js-api/live_player.js';
import { PLAYER_ATTRIBUTES, attributeKey } from '../js-api/player_attributes.js';
import { PlayerCodeNames } from '../js-api/codes.js';
import { DebugOverlay } from './debug_overlay.js';

const LIVE_ATTRIBUTES = new Set(['muted', 'mode', 'min-cache', 'max-cache', 'object-fit', 'orientation', 'background-mute',
  'sound-mode', 'picture-in-picture-mode', 'auto-pause-if-navigate', 'auto-pause-if-open-native', 'debug']);
const BIND_EVENTS = ['statechange', 'netstatus', 'fullscreenchange', 'audiovolumenotify', 'error'];

export class LivePlayerElement extends HTMLElement {
  static get observedAttributes() {
    return PLAYER_ATTRIBUTES;
  }

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<style>:host{display:inline-block;position:relative;width:300px;height:225px;' +
      'background:#000;overflow:hidden}canvas{width:100%;height:100%;display:block}</style>';
    this.overlay = null;
    this.makePlayer();
  }

  // A canvas can be handed to a worker once: a player that was destroyed gets a fresh canvas.
  makePlayer() {
    const canvas = document.createElement('canvas');
    canvas.setAttribute('part', 'video');
    canvas.width = 300;
    canvas.height = 225;
    if (this.videoCanvas) this.videoCanvas.replaceWith(canvas);
    else this.shadowRoot.prepend(canvas);
    this.videoCanvas = canvas;
    this.player = new LivePlayer(this.readAttributes());
    this.player.attachCanvas(canvas);
    for (const type of BIND_EVENTS) this.player.addEventListener(type, (e) => this.relay(type, e.detail));
  }

  readAttributes() {
    const raw = {};
    for (const name of PLAYER_ATTRIBUTES) if (this.hasAttribute(name)) raw[attributeKey(name)] = this.getAttribute(name);
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
    if (!this.player) this.makePlayer();
    this.updateDebug();
    if (this.player.attrs.autoplay && this.player.attrs.src) this.player.play().catch(() => {});
  }

  disconnectedCallback() {
    this.player.destroy();
    this.player = null;
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value || !this.player) return;
    this.player.set({ [attributeKey(name)]: value === null ? undefined : value });
    if (name === 'debug') this.updateDebug();
    if (!this.isConnected || LIVE_ATTRIBUTES.has(name)) return;
    if ((name === 'src' || name === 'autoplay') && this.player.attrs.autoplay && this.player.attrs.src) {
      this.player.play().catch(() => {});
    }
  }

  updateDebug() {
    const on = this.player && this.player.attrs.debug;
    if (on && !this.overlay) this.overlay = new DebugOverlay(this.shadowRoot, PlayerCodeNames);
    if (!on && this.overlay) {
      this.overlay.remove();
      this.overlay = null;
    }
  }
}

export function defineLivePlayer(name = 'live-player') {
  if (!customElements.get(name)) customElements.define(name, LivePlayerElement);
}
