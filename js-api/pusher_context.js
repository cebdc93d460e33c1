// LivePusherContext (docs/api.md): createLivePusherContext(id) finds <live-pusher id=...>; without
// an id, the page's <live-pusher> (the mini-program's one per page) or, with none or with an object of
// attributes, a headless pusher. Each method takes
// {success, fail, complete} and returns a Promise (callbacks.js).
import { LivePusher } from './live_pusher.js';
import { callbackOrPromise } from './callbacks.js';

export class LivePusherContext {
  /** @param {LivePusher} pusher */
  constructor(pusher) {
    this.pusher = pusher;
  }
  start(options) { return callbackOrPromise('start', options, () => this.pusher.start()); }
  stop(options) { return callbackOrPromise('stop', options, () => this.pusher.stop()); }
  pause(options) { return callbackOrPromise('pause', options, () => this.pusher.pause()); }
  resume(options) { return callbackOrPromise('resume', options, () => this.pusher.resume()); }
  switchCamera(options) { return callbackOrPromise('switchCamera', options, () => this.pusher.switchCamera()); }
  snapshot(options) { return callbackOrPromise('snapshot', options, () => this.pusher.snapshot()); }
  // Headless pushers have no element to listen on: events come from the context.
  addEventListener(...args) { this.pusher.addEventListener(...args); }
  removeEventListener(...args) { this.pusher.removeEventListener(...args); }
}

/**
 * @param {string | Record<string, unknown>} [idOrAttributes] an element id; nothing: the page's
 *   <live-pusher> (as the mini-program's `wx.createLivePusherContext()`, one per page), or a headless pusher when
 *   the page has none; an object: attributes of a headless pusher (camelCase or kebab-case keys)
 */
export function createLivePusherContext(idOrAttributes) {
  const pageElement = idOrAttributes === undefined && typeof document !== 'undefined' ? document.querySelector('live-pusher') : null;
  if (typeof idOrAttributes === 'string' || pageElement) {
    const element = pageElement || document.getElementById(idOrAttributes);
    if (!element || !element.pusher) {
      throw new Error(`createLivePusherContext: ${element ? 'the element is not upgraded yet (import livewasm first)' : `no <live-pusher id="${idOrAttributes}">`}`);
    }
    return new LivePusherContext(element.pusher);
  }
  const attributes = {};
  for (const [k, v] of Object.entries(idOrAttributes || {})) attributes[k.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
  return new LivePusherContext(new LivePusher(attributes));
}
