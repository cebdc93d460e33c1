// The custom elements <live-pusher> and <live-player> (runtime web/live_pusher_element.js and
// web/live_player_element.js). The entries re-export them: `livewasm` (registered on import),
// `livewasm/pusher` and `livewasm/player` (registered by defineLivePusher() / defineLivePlayer()).
import type { LivePusher, LivePlayer } from './headless.js';
import type { PusherAttributeName, PlayerAttributeName } from './attributes.js';
import type { LivePusherEventMap, LivePlayerEventMap } from './events.js';

/** Events of `<live-pusher>`: the pusher's, re-dispatched on the element (the engine's `preview` is not). */
export interface LivePusherElementEventMap extends Omit<HTMLElementEventMap, 'error'>, Omit<LivePusherEventMap, 'preview'> {}

/** Events of `<live-player>`: the player's, re-dispatched on the element. */
export interface LivePlayerElementEventMap extends Omit<HTMLElementEventMap, 'error' | 'fullscreenchange'>, LivePlayerEventMap {}

/**
 * `<live-pusher>`: the mini-program tag as a custom element. Kebab-case attributes (`PusherAttributes`),
 * events `statechange`, `netstatus`, `error` as CustomEvents, and `bindstatechange="fnName"`,
 * `bindnetstatus`, `binderror` attributes that call a global function with the event. Shows the camera
 * preview; default size 300x225 px.
 */
export declare class LivePusherElement extends HTMLElement {
  /** Every attribute of `PusherAttributes`, kebab-case. */
  static readonly observedAttributes: PusherAttributeName[];
  /** The engine doing the work (its `attrs` are the attributes in force). */
  readonly pusher: LivePusher;
  /** The `<video part="preview">` in the shadow root that shows the camera. */
  readonly preview: HTMLVideoElement;
  /** Listens to an event of `LivePusherElementEventMap` (typed `detail`), or any other event. */
  addEventListener<K extends keyof LivePusherElementEventMap>(type: K, listener: (this: LivePusherElement, ev: LivePusherElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening. */
  removeEventListener<K extends keyof LivePusherElementEventMap>(type: K, listener: (this: LivePusherElement, ev: LivePusherElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * `<live-player>`: the mini-program tag as a custom element. Kebab-case attributes (`PlayerAttributes`),
 * events `statechange`, `netstatus`, `fullscreenchange`, `audiovolumenotify`, `error` as CustomEvents, and
 * `bind<event>="fnName"` attributes that call a global function with the event. Draws on a canvas;
 * default size 300x225 px.
 */
export declare class LivePlayerElement extends HTMLElement {
  /** Every attribute of `PlayerAttributes`, kebab-case. */
  static readonly observedAttributes: PlayerAttributeName[];
  /** The engine doing the work; null from the moment the element leaves the document (that player is destroyed) until it is connected again, when a new one is made. */
  readonly player: LivePlayer | null;
  /** The `<canvas part="video">` in the shadow root the player's worker draws on. */
  readonly videoCanvas: HTMLCanvasElement;
  /**
   * What shows the pictures: `videoCanvas`, or, with the `video` renderer, the `<video part="video">` that
   * took its place (same attributes).
   */
  readonly videoSurface: HTMLCanvasElement | HTMLVideoElement;
  /** Listens to an event of `LivePlayerElementEventMap` (typed `detail`), or any other event. */
  addEventListener<K extends keyof LivePlayerElementEventMap>(type: K, listener: (this: LivePlayerElement, ev: LivePlayerElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening. */
  removeEventListener<K extends keyof LivePlayerElementEventMap>(type: K, listener: (this: LivePlayerElement, ev: LivePlayerElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** Registers `<live-pusher>` under `name` (done on import with the default); does nothing if the name is taken. */
export declare function defineLivePusher(name?: string): void;

/** Registers `<live-player>` under `name` (done on import with the default); does nothing if the name is taken. */
export declare function defineLivePlayer(name?: string): void;
