// <live-player>: the mini-program tag as a custom element (docs/api.md "<live-player> attributes", "Elements"). Attributes are the
// original's (kebab-case); events are DOM CustomEvents (`statechange`, `netstatus`, `fullscreenchange`,
// `audiovolumenotify`, `error`) and `bindstatechange="fnName"` style attributes (web/live_element.js).
// The element holds the canvas the player's worker draws on (default size 300x225); the work is done by
// a LivePlayer (`element.player`).
import { LivePlayer } from '../js-api/live_player.js';
import { PLAYER_ATTRIBUTES, PLAYER_LIVE_ATTRIBUTES, attributeKey } from '../js-api/player_attributes.js';
import { PlayerCodeNames } from '../js-api/codes.js';
import { LiveElement } from './live_element.js';

const LIVE_ATTRIBUTES = new Set(PLAYER_LIVE_ATTRIBUTES);
const KIND = {
  attributes: PLAYER_ATTRIBUTES,
  events: ['statechange', 'netstatus', 'fullscreenchange', 'audiovolumenotify', 'error', 'trackchange'],
  codeNames: PlayerCodeNames,
};

export class LivePlayerElement extends LiveElement {
  static get observedAttributes() {
    return PLAYER_ATTRIBUTES;
  }

  constructor() {
    super(KIND, 'canvas,video{width:100%;height:100%;display:block}');
    this.videoCanvas = null;
    this.player = null;
    this.makePlayer();
  }

  // A canvas can be handed to a worker once: a player that was destroyed gets a fresh canvas.
  makePlayer() {
    const canvas = document.createElement('canvas');
    canvas.setAttribute('part', 'video');
    canvas.width = 300;
    canvas.height = 225;
    if (this.videoCanvas) this.videoCanvas.replaceWith(canvas);
    else this.shadowRoot.append(canvas);
    this.videoCanvas = canvas;
    this.player = new LivePlayer(this.readAttributes());
    this.player.attachCanvas(canvas);
    this.player.onCanvasReplaced = (fresh) => { this.videoCanvas = fresh; };  // the page draws on a fresh one
    this.relayEvents(this.player);
  }

  /** What shows the pictures: `videoCanvas`, or the <video> of the player's 'video' renderer. */
  get videoSurface() {
    return this.player ? this.player.surface : this.videoCanvas;
  }

  connectedCallback() {
    if (!this.player) this.makePlayer();
    this.updateDebug(this.player.attrs.debug);
    if (this.player.attrs.autoplay && this.player.attrs.src) this.player.play().catch(() => {});
  }

  disconnectedCallback() {
    this.player.destroy();
    this.player = null;
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value || !this.player) return;
    this.player.set({ [attributeKey(name)]: value === null ? undefined : value });
    if (name === 'debug') this.updateDebug(this.player.attrs.debug);
    if (!this.isConnected || LIVE_ATTRIBUTES.has(name)) return;
    // As the mini-program's tag: a src emptied or removed ends playback.
    if (name === 'src' && !this.player.attrs.src) {
      this.player.stop().catch(() => {});
      return;
    }
    if ((name === 'src' || name === 'autoplay') && this.player.attrs.autoplay && this.player.attrs.src) {
      this.player.play().catch(() => {});
    }
  }
}

export function defineLivePlayer(name = 'live-player') {
  if (!customElements.get(name)) customElements.define(name, LivePlayerElement);
}
