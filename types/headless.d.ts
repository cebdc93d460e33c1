// livewasm without custom elements (`import ... from 'livewasm/headless'`, runtime js-api/headless.js):
// configure(), the contexts, the headless engines and the code tables. Nothing is registered on import.
import type {
  PusherAttributes, PlayerAttributes, PusherAttributesInit, PlayerAttributesInit, PusherContextInit, PlayerContextInit,
} from './attributes.js';
import type { LivePusherEventMap, LivePlayerEventMap, PlayerTrack } from './events.js';

export * from './codes.js';
export * from './attributes.js';
export * from './netstatus.js';
export * from './events.js';

// ---- configuration ------------------------------------------------------------------------------

/** The global configuration (`configure()`, `currentConfig()`). */
export interface LivewasmConfig {
  /**
   * The gateway (`ws://` or `wss://`) that rtmp:// URLs go through; an element's `gateway` attribute overrides it.
   * @default ""
   */
  gateway: string;
  /**
   * Where the wasm modules are: `""` for the package's own files (`dist/wasm/`, found by the workers through
   * `new URL(..., import.meta.url)`, so bundlers copy them), else a folder URL holding
   * `livewasm_{pusher,player,player_hevc}{,_simd}.{mjs,wasm}` (a relative URL is resolved against the page
   * when set; `livewasm_player_hevc` is fetched only for HEVC streams decoded in wasm).
   * @default ""
   */
  wasmBase: string;
  /**
   * The pusher's video encoder: `auto` (the browser's hardware H.264 encoder first, else OpenH264 in wasm),
   * `wasm` (OpenH264 only) or `webcodecs` (the browser's encoder).
   * @default "auto"
   */
  videoEncoder: 'auto' | 'wasm' | 'webcodecs';
  /**
   * The player's video decoder: `auto` (WebCodecs where the browser takes the codec, FFmpeg in wasm
   * otherwise), `wasm` (FFmpeg only) or `webcodecs` (FFmpeg still for codecs the browser lacks).
   * @default "auto"
   */
  videoDecoder: 'auto' | 'wasm' | 'webcodecs';
  /**
   * The player's audio decoder: as `videoDecoder`.
   * @default "auto"
   */
  audioDecoder: 'auto' | 'wasm' | 'webcodecs';
  /**
   * The player's renderer: `auto` (the best the engine offers: `video`, a `<video>` in the element's
   * place showing a track the worker writes the pictures to, where the page can make one (Chromium's
   * MediaStreamTrackGenerator, a player in the document, at most 4 such players per core on a page:
   * every frame passes through the page's main thread); else `webgl2`, else `2d` on the worker's
   * OffscreenCanvas, else `page`: the worker hands each picture to the page, which draws it), or one of
   * `video`, `webgl2`, `2d`, `page` first (falling back in that order where the engine lacks it).
   * @default "auto"
   */
  renderer: 'auto' | 'video' | 'webgl2' | '2d' | 'page';
}

/**
 * Sets global options (any subset) and returns the whole configuration. Throws a TypeError on an unknown
 * option. Example: `configure({gateway: 'wss://gw.example.com'})`.
 */
export declare function configure(options?: Partial<LivewasmConfig>): LivewasmConfig;

/** The global configuration now (a copy). */
export declare function currentConfig(): LivewasmConfig;

// ---- context results ----------------------------------------------------------------------------

/** A context method's success result: `{errMsg: '<operation>:ok'}` (e.g. `'start:ok'`). */
export interface OkResult<Op extends string> {
  /** `'<operation>:ok'`. */
  errMsg: `${Op}:ok`;
}

/** A context method's failure result: `{errMsg: '<operation>:fail <reason>'}` (e.g. `'start:fail no url'`). */
export interface FailResult<Op extends string> {
  /** `'<operation>:fail <reason>'`. */
  errMsg: `${Op}:fail ${string}`;
}

/** What a context method's Promise rejects with: an Error whose `message` and `errMsg` are the failure's errMsg. */
export interface ContextError<Op extends string> extends Error {
  /** `'<operation>:fail <reason>'`, as `message`. */
  errMsg: `${Op}:fail ${string}`;
}

/**
 * The callbacks every context method takes, as in the original. `success` or `fail`, then `complete`, are
 * called; the method also returns a Promise (given `fail` or `complete`, its rejection is handled for you).
 */
export interface CallbackOptions<Op extends string, R = OkResult<Op>> {
  /** Called with the success result. */
  success?: (result: R) => void;
  /** Called with the failure result. */
  fail?: (result: FailResult<Op>) => void;
  /** Called after `success` or `fail`, with the same result. */
  complete?: (result: R | FailResult<Op>) => void;
}

/** A picture taken by `snapshot()`. */
export interface SnapshotInfo {
  /** A `blob:` URL of a PNG of the picture (revoke it with `URL.revokeObjectURL` when done). */
  tempImagePath: string;
  /** Picture width, pixels. */
  width: number;
  /** Picture height, pixels. */
  height: number;
}

/** The success result of `snapshot()`: `errMsg: 'snapshot:ok'` and the picture. */
export interface SnapshotResult extends OkResult<'snapshot'>, SnapshotInfo {}

/** The success result of the pusher's `switchCamera()`. */
export interface SwitchCameraResult extends OkResult<'switchCamera'> {
  /** The camera now in use. */
  devicePosition: 'front' | 'back';
}

/** Options of the player's `mute()`. */
/** `selectTrack`: which track of the stream plays (Enhanced RTMP v2 Multitrack; a livewasm extension). */
export interface SelectTrackOptions extends CallbackOptions<'selectTrack'> {
  kind: 'video' | 'audio';
  /** A track id of the stream (`getTracks`); fails with `'selectTrack:fail invalid: no video track 3 in the stream (tracks: 0, 1)'` otherwise. */
  id: number;
}

/** The success result of `getTracks`. */
export interface GetTracksResult extends OkResult<'getTracks'> {
  tracks: PlayerTrack[];
}

export interface MuteOptions extends CallbackOptions<'mute'> {
  /**
   * true mutes, false unmutes.
   * @default true
   */
  muted?: boolean;
}

/** Options of the player's `requestFullScreen()`. */
export interface RequestFullScreenOptions extends CallbackOptions<'requestFullScreen'> {
  /**
   * 0: portrait; 90 or -90: landscape (the screen orientation is locked where the browser allows).
   * @default 0
   */
  direction?: 0 | 90 | -90;
}

// ---- the pusher ---------------------------------------------------------------------------------

/**
 * The pusher engine (an EventTarget): camera and microphone to an RTMP server through a worker.
 * `<live-pusher>` wraps one (`element.pusher`); a headless context makes one.
 */
export declare class LivePusher extends EventTarget {
  /** @param attributes camelCase keys; wrong values fall back to their defaults (an `error` event names them). */
  constructor(attributes?: PusherAttributesInit);
  /** The attributes in force, validated. */
  readonly attrs: Readonly<PusherAttributes>;
  /** true from `start()` until `stop()` (or -1307). */
  readonly running: boolean;
  /** true between `pause()` and `resume()`. */
  readonly paused: boolean;
  /** Updates attributes; `beauty`, `whiteness` and `muted` apply at once to a running push, the rest at the next start. */
  set(attributes: PusherAttributesInit): void;
  /** Opens the camera and microphone and starts pushing to `url`; rejects when a device is denied or `url` is empty. */
  start(): Promise<void>;
  /** Stops pushing and releases the devices. */
  stop(): Promise<void>;
  /** Releases the camera and microphone; the connection stays and the last picture is repeated once a second. */
  pause(): Promise<void>;
  /** Reopens the devices after `pause()`. */
  resume(): Promise<void>;
  /** Toggles `devicePosition` (front <-> back) and, while pushing, switches the camera. */
  switchCamera(): Promise<{ devicePosition: 'front' | 'back' }>;
  /** A PNG of the picture being pushed (after beauty/whiteness), or of the camera before the push has one. */
  snapshot(): Promise<SnapshotInfo>;
  /** Listens to an event of `LivePusherEventMap` (typed `detail`), or any other event. */
  addEventListener<K extends keyof LivePusherEventMap>(type: K, listener: (this: LivePusher, ev: LivePusherEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening. */
  removeEventListener<K extends keyof LivePusherEventMap>(type: K, listener: (this: LivePusher, ev: LivePusherEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * The pusher's context (the original's LivePusherContext). Every method takes `{success, fail, complete}`
 * and returns a Promise of the success result.
 */
export declare class LivePusherContext {
  constructor(pusher: LivePusher);
  /** The engine this context drives. */
  readonly pusher: LivePusher;
  /** Starts pushing (camera, microphone, connection). Fails with e.g. `'start:fail no url'`, `'start:fail camera: NotAllowedError'`. */
  start(options?: CallbackOptions<'start'>): Promise<OkResult<'start'>>;
  /** Stops pushing and releases the devices. */
  stop(options?: CallbackOptions<'stop'>): Promise<OkResult<'stop'>>;
  /** Pauses: the devices are released, the connection stays, the last picture is repeated. */
  pause(options?: CallbackOptions<'pause'>): Promise<OkResult<'pause'>>;
  /** Resumes after `pause`. */
  resume(options?: CallbackOptions<'resume'>): Promise<OkResult<'resume'>>;
  /** Switches between the front and the back camera; the result names the camera now in use. */
  switchCamera(options?: CallbackOptions<'switchCamera', SwitchCameraResult>): Promise<SwitchCameraResult>;
  /** Takes a PNG of the picture being pushed. */
  snapshot(options?: CallbackOptions<'snapshot', SnapshotResult>): Promise<SnapshotResult>;
  /** Listens to the pusher's events (a headless pusher has no element to listen on). */
  addEventListener<K extends keyof LivePusherEventMap>(type: K, listener: (this: LivePusher, ev: LivePusherEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening. */
  removeEventListener<K extends keyof LivePusherEventMap>(type: K, listener: (this: LivePusher, ev: LivePusherEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * The context of `<live-pusher id="...">` (throws when there is no such element). With no argument, the
 * page's `<live-pusher>` as the mini-program's `wx.createLivePusherContext()` (one per page), or a new
 * headless pusher when the page has none. Given attributes (camelCase or kebab-case keys), a new headless pusher.
 */
export declare function createLivePusherContext(idOrAttributes?: string | PusherContextInit): LivePusherContext;

// ---- the player ---------------------------------------------------------------------------------

/**
 * The player engine (an EventTarget): a stream to a canvas and the page's sound through a worker.
 * `<live-player>` wraps one (`element.player`); a headless context makes one.
 */
export declare class LivePlayer extends EventTarget {
  /** @param attributes camelCase keys; wrong values fall back to their defaults (an `error` event names them). */
  constructor(attributes?: PlayerAttributesInit);
  /** The attributes in force, validated. */
  readonly attrs: Readonly<PlayerAttributes>;
  /** The canvas the worker draws on: the element's, or (headless) one made on the first `play()`, not in the document. */
  readonly videoCanvas: HTMLCanvasElement | null;
  /** true from `play()` until `stop()` (or -2301). */
  readonly playing: boolean;
  /** true between `pause()` and `resume()`. */
  readonly paused: boolean;
  /** Gives the canvas to draw on; only before the first `play()` (it is transferred to the worker). */
  attachCanvas(canvas: HTMLCanvasElement): void;
  /** Updates attributes; `mode`, the caches, `object-fit`, `orientation` and `muted` apply while playing. */
  set(attributes: PlayerAttributesInit): void;
  /** Starts playing `src`; rejects when `src` is empty. */
  play(): Promise<void>;
  /** Stops playing (the worker stays for the next `play()`). */
  stop(): Promise<void>;
  /** Pauses, keeping the last picture; rejects when not playing. */
  pause(): Promise<void>;
  /** Resumes from the live edge after `pause()`; rejects when not playing. */
  resume(): Promise<void>;
  /** Mutes (true, the default) or unmutes. */
  mute(muted?: boolean): Promise<void>;
  /** A PNG of the picture on the canvas; rejects when not playing. */
  snapshot(): Promise<SnapshotInfo>;
  /** Makes `element` (default: the canvas) full screen; `direction` 90 or -90 asks for landscape. */
  requestFullScreen(element?: HTMLElement | null, direction?: number): Promise<void>;
  /** Leaves full screen; rejects when not full screen. */
  exitFullScreen(): Promise<void>;
  /** Shows the canvas's stream in the browser's picture-in-picture window. */
  requestPictureInPicture(): Promise<void>;
  /** Leaves picture-in-picture; rejects when not in it. */
  exitPictureInPicture(): Promise<void>;
  /** The stream's tracks as last reported (Enhanced RTMP v2 Multitrack); [] before any media. */
  getTracks(): PlayerTrack[];
  /**
   * Plays track `id` of `kind`: video from that track's next key frame (the old one plays until then), audio
   * from its next packet; a `trackchange` event says when. Rejects when not playing or the stream has no such track.
   */
  selectTrack(choice: { kind: 'video' | 'audio'; id: number }): Promise<void>;
  /** Ends the player for good: the worker and the sound node go. */
  destroy(): void;
  /** Listens to an event of `LivePlayerEventMap` (typed `detail`), or any other event. */
  addEventListener<K extends keyof LivePlayerEventMap>(type: K, listener: (this: LivePlayer, ev: LivePlayerEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening. */
  removeEventListener<K extends keyof LivePlayerEventMap>(type: K, listener: (this: LivePlayer, ev: LivePlayerEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * The player's context (the original's LivePlayerContext). Every method takes `{success, fail, complete}`
 * and returns a Promise of the success result.
 */
export declare class LivePlayerContext {
  constructor(player: LivePlayer, element?: HTMLElement | null);
  /** The engine this context drives. */
  readonly player: LivePlayer;
  /** The `<live-player>` element, or null for a headless player. */
  readonly element: HTMLElement | null;
  /** Starts playing `src`. Fails with e.g. `'play:fail no src'`. */
  play(options?: CallbackOptions<'play'>): Promise<OkResult<'play'>>;
  /** Stops playing. */
  stop(options?: CallbackOptions<'stop'>): Promise<OkResult<'stop'>>;
  /** Pauses, keeping the last picture. */
  pause(options?: CallbackOptions<'pause'>): Promise<OkResult<'pause'>>;
  /** Resumes from the live edge. */
  resume(options?: CallbackOptions<'resume'>): Promise<OkResult<'resume'>>;
  /** Mutes (`muted` true, the default) or unmutes (`muted: false`). */
  mute(options?: MuteOptions): Promise<OkResult<'mute'>>;
  /** Makes the element full screen; `direction` 90 or -90 asks for landscape. */
  requestFullScreen(options?: RequestFullScreenOptions): Promise<OkResult<'requestFullScreen'>>;
  /** Leaves full screen. */
  exitFullScreen(options?: CallbackOptions<'exitFullScreen'>): Promise<OkResult<'exitFullScreen'>>;
  /** Takes a PNG of the picture shown. */
  snapshot(options?: CallbackOptions<'snapshot', SnapshotResult>): Promise<SnapshotResult>;
  /** Shows the picture in the browser's picture-in-picture window. */
  requestPictureInPicture(options?: CallbackOptions<'requestPictureInPicture'>): Promise<OkResult<'requestPictureInPicture'>>;
  /** Leaves picture-in-picture. */
  exitPictureInPicture(options?: CallbackOptions<'exitPictureInPicture'>): Promise<OkResult<'exitPictureInPicture'>>;
  /** The stream's tracks (Enhanced RTMP v2 Multitrack; a livewasm extension): `{errMsg: 'getTracks:ok', tracks}`. */
  getTracks(options?: CallbackOptions<'getTracks', GetTracksResult>): Promise<GetTracksResult>;
  /**
   * Chooses the track of `kind` that plays (a livewasm extension): video switches at that track's next key frame,
   * seamlessly, audio at its next packet; `trackchange` says when it happened.
   */
  selectTrack(options: SelectTrackOptions): Promise<OkResult<'selectTrack'>>;
  /** Listens to the player's events (a headless player has no element to listen on). */
  addEventListener<K extends keyof LivePlayerEventMap>(type: K, listener: (this: LivePlayer, ev: LivePlayerEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening. */
  removeEventListener<K extends keyof LivePlayerEventMap>(type: K, listener: (this: LivePlayer, ev: LivePlayerEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * The context of `<live-player id="...">` (throws when there is no such element). With no argument, the
 * page's `<live-player>` as the mini-program's `wx.createLivePlayerContext()` (one per page), or a new
 * headless player when the page has none. Given attributes (camelCase or kebab-case keys), a new headless player.
 */
export declare function createLivePlayerContext(idOrAttributes?: string | PlayerContextInit): LivePlayerContext;
