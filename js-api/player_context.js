// LivePlayerContext (docs/api.md): createLivePlayerContext(id) finds <live-player id=...>; without
// an id, the page's <live-player> (the mini-program's one per page) or, with none or with an object of
// attributes, a headless player. Each method takes
// {success, fail, complete} and returns a Promise (callbacks.js).
import { LivePlayer } from './live_player.js';
import { callbackOrPromise } from './callbacks.js';

export class LivePlayerContext {
  /** @param {LivePlayer} player @param {HTMLElement | null} element */
  constructor(player, element = null) {
    this.player = player;
    this.element = element;
  }
  play(options) { return callbackOrPromise('play', options, () => this.player.play()); }
  stop(options) { return callbackOrPromise('stop', options, () => this.player.stop()); }
  pause(options) { return callbackOrPromise('pause', options, () => this.player.pause()); }
  resume(options) { return callbackOrPromise('resume', options, () => this.player.resume()); }
  mute(options) {
    return callbackOrPromise('mute', options, () => this.player.mute(!(options && options.muted === false)));
  }
  requestFullScreen(options) {
    const direction = options && Number.isFinite(options.direction) ? options.direction : 0;
    return callbackOrPromise('requestFullScreen', options, () => this.player.requestFullScreen(this.element, direction));
  }
  exitFullScreen(options) { return callbackOrPromise('exitFullScreen', options, () => this.player.exitFullScreen()); }
  snapshot(options) { return callbackOrPromise('snapshot', options, () => this.player.snapshot()); }
  requestPictureInPicture(options) {
    return callbackOrPromise('requestPictureInPicture', options, () => this.player.requestPictureInPicture());
  }
  exitPictureInPicture(options) {
    return callbackOrPromise('exitPictureInPicture', options, () => this.player.exitPictureInPicture());
  }
  // Enhanced RTMP v2 Multitrack (a livewasm extension): the stream's tracks, and the choice of one.
  getTracks(options) { return callbackOrPromise('getTracks', options, () => ({ tracks: this.player.getTracks() })); }
  selectTrack(options) {
    const { kind, id } = options || {};
    return callbackOrPromise('selectTrack', options, () => this.player.selectTrack({ kind, id }));
  }
  // Headless players have no element to listen on: events come from the context.
  addEventListener(...args) { this.player.addEventListener(...args); }
  removeEventListener(...args) { this.player.removeEventListener(...args); }
}

/**
 * @param {string | Record<string, unknown>} [idOrAttributes] an element id; nothing: the page's
 *   <live-player> (as the mini-program's `wx.createLivePlayerContext()`, one per page), or a headless player when
 *   the page has none; an object: attributes of a headless player (camelCase or kebab-case keys)
 */
export function createLivePlayerContext(idOrAttributes) {
  const pageElement = idOrAttributes === undefined && typeof document !== 'undefined' ? document.querySelector('live-player') : null;
  if (typeof idOrAttributes === 'string' || pageElement) {
    const element = pageElement || document.getElementById(idOrAttributes);
    if (!element || !element.player) {
      throw new Error(`createLivePlayerContext: ${element ? 'the element is not upgraded yet (import livewasm first)' : `no <live-player id="${idOrAttributes}">`}`);
    }
    return new LivePlayerContext(element.player, element);
  }
  const attributes = {};
  for (const [k, v] of Object.entries(idOrAttributes || {})) attributes[k.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
  return new LivePlayerContext(new LivePlayer(attributes));
}
