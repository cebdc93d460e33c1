// What <live-pusher> and <live-player> share: the mini-program's kebab-case attributes read into the
// engine's camelCase keys, events re-dispatched on the element as DOM CustomEvents and, for pages ported
// from the mini-program, to the global function a `bind<event>` attribute names (bindstatechange="onState"),
// and the `debug` overlay. A subclass names its engine, its attributes, events and code names.
import { attributeKey } from '../js-api/pusher_attributes.js';
import { DebugOverlay } from './debug_overlay.js';

export class LiveElement extends HTMLElement {
  /**
   * @param {{attributes: string[], events: string[], codeNames: Record<number, string>}} kind
   * @param {string} css the element's own style (the host box and its picture)
   */
  constructor(kind, css) {
    super();
    this.kind = kind;
    this.overlay = null;
    const text = `:host{display:inline-block;position:relative;width:300px;height:225px;background:#000;overflow:hidden}${css}`;
    const root = this.attachShadow({ mode: 'open' });
    // A constructed style sheet: a page whose Content-Security-Policy has no style-src 'unsafe-inline'
    // blocks a <style> element but not the CSSOM. The <style> is for engines without adoptedStyleSheets.
    if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.innerHTML = `<style>${text}</style>`;
    }
  }

  /** The attributes present on the element, as the engine's camelCase keys (validated by the engine). */
  readAttributes() {
    const raw = {};
    for (const name of this.kind.attributes) if (this.hasAttribute(name)) raw[attributeKey(name)] = this.getAttribute(name);
    return raw;
  }

  /** Relays the engine's events (`engine` is a LivePusher or a LivePlayer) to the element. */
  relayEvents(engine) {
    for (const type of this.kind.events) engine.addEventListener(type, (e) => this.relay(type, e.detail));
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

  /** Shows or removes the overlay as the engine's `debug` attribute says. */
  updateDebug(on) {
    if (on && !this.overlay) this.overlay = new DebugOverlay(this.shadowRoot, this.kind.codeNames);
    if (!on && this.overlay) {
      this.overlay.remove();
      this.overlay = null;
    }
  }
}
