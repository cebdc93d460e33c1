// The attributes of <live-pusher> and <live-player> (runtime: js-api/pusher_attributes.js and
// js-api/player_attributes.js). Keys are camelCase here; the HTML attribute is the kebab-case form
// (`minBitrate` <-> `min-bitrate`). A wrong value never throws: it falls back to the default and an
// `error` event (errCode 0) names it. `@extension` marks attributes the original does not have.

/** The attributes of `<live-pusher>` and of a headless pusher, with the values after validation. */
export interface PusherAttributes {
  /**
   * Push URL: `rtmp://host[:port]/app/stream[?query]` (through the gateway; the query, e.g. `txSecret`,
   * `txTime`, is passed through untouched), `rtmps://`, or a gateway `ws(s)://` URL.
   * @default ""
   */
  url: string;
  /**
   * Preset: `SD`, `HD`, `FHD` favour clarity and smoothness (30 fps, key frame every 2 s; the short side is
   * capped at 360, 540, 720); `RTC` favours low delay (key frame every 1 s, frames may be skipped).
   * @default "RTC"
   */
  mode: 'SD' | 'HD' | 'FHD' | 'RTC';
  /**
   * Start pushing as soon as the element is connected and `url` is set.
   * @default false
   */
  autopush: boolean;
  /**
   * Send silence instead of the microphone (applies at once to a running push).
   * @default false
   */
  muted: boolean;
  /**
   * false: audio-only stream (no camera, no video tags).
   * @default true
   */
  enableCamera: boolean;
  /**
   * Continuous focus where the camera offers it.
   * @default true
   */
  autoFocus: boolean;
  /**
   * `vertical` (width < height) or `horizontal` (the sides swap).
   * @default "vertical"
   */
  orientation: 'vertical' | 'horizontal';
  /**
   * Skin smoothing, 0 (off) to 9, applied before encoding (applies at once to a running push).
   * @default 0
   */
  beauty: number;
  /**
   * Whitening, 0 (off) to 9, applied before encoding (applies at once to a running push).
   * @default 0
   */
  whiteness: number;
  /**
   * Picture aspect `9:16` or `3:4`; with `orientation="horizontal"` they mean 16:9 / 4:3.
   * @default "9:16"
   */
  aspect: '9:16' | '3:4';
  /**
   * true: the camera zoomed in (where the track offers zoom).
   * @default false
   */
  zoom: boolean;
  /**
   * `front` / `back` camera (facingMode `user` / `environment`); `switchCamera()` toggles it.
   * @default "front"
   */
  devicePosition: 'front' | 'back';
  /**
   * Lowest video bitrate the rate adaptation may go to, kbps (50-20000; above `max-bitrate` it is lowered to it).
   * @default 200
   */
  minBitrate: number;
  /**
   * Highest video bitrate, kbps (50-20000). The picture size follows the bitrate (>= 1500 kbps: 720 short side).
   * @default 1000
   */
  maxBitrate: number;
  /**
   * `low`: speech (AAC mono 48 kbps, echo cancellation, noise suppression, gain control); `high`: music
   * (stereo 128 kbps, those off).
   * @default "low"
   */
  audioQuality: 'low' | 'high';
  /**
   * Image URL pushed instead of the camera while the page is hidden (twice a second, up to 3 minutes).
   * @default ""
   */
  waitingImage: string;
  /**
   * md5 of `waiting-image` (32 hex digits); a mismatch is an `error` event (10004) and the image is not used.
   * @default ""
   */
  waitingImageHash: string;
  /**
   * Send silence instead of the microphone while the page is hidden.
   * @default false
   */
  backgroundMute: boolean;
  /**
   * Translucent overlay with live metrics and the event log.
   * @default false
   */
  debug: boolean;
  /**
   * The gateway (`ws://` or `wss://`) rtmp:// URLs go through for this element; `""` uses `configure({gateway})`.
   * @default ""
   * @extension
   */
  gateway: string;
  /**
   * Audio codec: `aac` (any RTMP server) or `opus` (Enhanced RTMP, for servers that take it).
   * @default "aac"
   * @extension
   */
  audioCodec: 'aac' | 'opus';
  /**
   * Video encoder: `auto` (the browser's hardware H.264 encoder, else OpenH264 in wasm), `wasm`, `webcodecs`;
   * `""` uses `configure({videoEncoder})`.
   * @default ""
   * @extension
   */
  videoEncoder: '' | 'auto' | 'wasm' | 'webcodecs';
  /**
   * Video codec: `h264` (any RTMP server), or `av1`, `vp9`, `hevc` as Enhanced RTMP (FourCC `av01`, `vp09`,
   * `hvc1`; for servers that take it, e.g. node-media-server v4, SRS 6) where the browser's `VideoEncoder`
   * encodes it (Chromium: AV1 and VP9 in software; HEVC needs a hardware encoder). Where it does not, the push
   * is H.264 and an `error` event with `ErrorCodes.VIDEO_CODEC_UNSUPPORTED` (10005) says so, once. Taken at start().
   * @default "h264"
   * @extension
   */
  videoCodec: 'h264' | 'av1' | 'vp9' | 'hevc';
}

/** The attributes of `<live-player>` and of a headless player, with the values after validation. */
export interface PlayerAttributes {
  /**
   * Source: `rtmp://` / `rtmps://` (through the gateway), `http(s)://….flv` (HTTP-FLV) or `ws(s)://….flv`
   * (WebSocket-FLV). HLS is out of scope. On an element, a new src plays at once when `autoplay` is set, and
   * an emptied or removed src stops playback.
   * @default ""
   */
  src: string;
  /**
   * `live`: the delay stays between `min-cache` and `max-cache`; `RTC`: lowest delay (about 500 ms), the
   * cache attributes are ignored.
   * @default "live"
   */
  mode: 'live' | 'RTC';
  /**
   * Play as soon as the element is connected and `src` is set. Where the browser's autoplay policy holds
   * sound back until the user interacts, pictures play at once and the sound starts on the first click,
   * tap or key press on the page.
   * @default false
   */
  autoplay: boolean;
  /**
   * Mute the sound.
   * @default false
   */
  muted: boolean;
  /**
   * `vertical` or `horizontal` (rotates the picture).
   * @default "vertical"
   */
  orientation: 'vertical' | 'horizontal';
  /**
   * `contain` (letterbox, black bars) or `fillCrop` (fill the box, crop the overflow).
   * @default "contain"
   */
  objectFit: 'contain' | 'fillCrop';
  /**
   * Mute while the page is hidden.
   * @default false
   */
  backgroundMute: boolean;
  /**
   * Smallest buffering delay in seconds (0-60, live mode). About 1 for ~1 Mbps camera streams, 3 for game streams.
   * @default 1
   */
  minCache: number;
  /**
   * Largest buffering delay in seconds (0-60, live mode); above it playback speeds up (up to 10 %) until back.
   * @default 3
   */
  maxCache: number;
  /**
   * `speaker` / `ear`. Accepted; browsers choose the output device for the page, not per element.
   * @default "speaker"
   */
  soundMode: 'speaker' | 'ear';
  /**
   * Pause when the page is navigated away (`pagehide`) and resume when it is shown again (`pageshow`).
   * @default true
   */
  autoPauseIfNavigate: boolean;
  /**
   * Pause when a native page covers this one. Accepted; the web has no native pages.
   * @default true
   */
  autoPauseIfOpenNative: boolean;
  /**
   * `push`, `pop` or both (space or comma separated; an array from script). Accepted and validated only: on
   * the web the page opens the browser's picture-in-picture with the context's `requestPictureInPicture()`.
   * @default ""
   */
  pictureInPictureMode: '' | 'push' | 'pop' | 'push pop' | 'pop push';
  /**
   * Overlay with live metrics and the event log.
   * @default false
   */
  debug: boolean;
  /**
   * The gateway (`ws://` or `wss://`) rtmp:// sources go through for this element; `""` uses `configure({gateway})`.
   * @default ""
   * @extension
   */
  gateway: string;
  /**
   * Video decoder: `auto` (WebCodecs where the browser takes the codec, FFmpeg in wasm otherwise), `wasm`,
   * `webcodecs`; `""` uses `configure({videoDecoder})`.
   * @default ""
   * @extension
   */
  videoDecoder: '' | 'auto' | 'wasm' | 'webcodecs';
  /**
   * Audio decoder: as `video-decoder`; `""` uses `configure({audioDecoder})`.
   * @default ""
   * @extension
   */
  audioDecoder: '' | 'auto' | 'wasm' | 'webcodecs';
}

/** `minBitrate` -> `min-bitrate`: the HTML attribute name of a camelCase key. */
export type KebabCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `-${Lowercase<H>}`}${KebabCase<T>}`
  : S;

/** Every `<live-pusher>` HTML attribute name (kebab-case), e.g. `'min-bitrate'`. */
export type PusherAttributeName = KebabCase<keyof PusherAttributes>;
/** Every `<live-player>` HTML attribute name (kebab-case), e.g. `'min-cache'`. */
export type PlayerAttributeName = KebabCase<keyof PlayerAttributes>;

/** The same attributes with kebab-case keys (`{'min-bitrate': 300}`). */
export type KebabKeys<T> = { [K in keyof T as KebabCase<K & string>]: T[K] };

/** Attributes given to `new LivePusher({...})` and `pusher.set({...})`: any subset, camelCase keys. */
export type PusherAttributesInit = Partial<PusherAttributes>;

/** Attributes given to `new LivePlayer({...})` and `player.set({...})`; `pictureInPictureMode` may also be an array. */
export type PlayerAttributesInit = Partial<Omit<PlayerAttributes, 'pictureInPictureMode'>> & {
  pictureInPictureMode?: PlayerAttributes['pictureInPictureMode'] | ReadonlyArray<'push' | 'pop'>;
};

/** Attributes given to `createLivePusherContext({...})`: camelCase or kebab-case keys (`{'min-bitrate': 300}`). */
export type PusherContextInit = PusherAttributesInit & Partial<KebabKeys<PusherAttributes>>;

/** Attributes given to `createLivePlayerContext({...})`: camelCase or kebab-case keys. */
export type PlayerContextInit = PlayerAttributesInit & Partial<KebabKeys<PlayerAttributesInit>>;
