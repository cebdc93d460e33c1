// Every attribute of <live-pusher> and <live-player> (docs/api.md "attributes", plus the extensions) as
// the demo's controls: the kind of control, its choices and when the element takes a change. `when` is
// what the elements do (web/live_*_element.js, js-api/live_*.js):
//   live   applied to a running push / a playing player at once
//   start  stored at once, used at the next start() / play()
//   first  the player's decoders are chosen when its worker starts (the first play): the demo
//          re-creates the <live-player> to apply a change ("new player")
// Plain data, importable in Node (tests/browser/demo_plots.test.mjs checks it covers every attribute).

const bool = (name, value, when, note) => ({ name, kind: 'bool', value, when, note });
const select = (name, options, value, when, note) => ({ name, kind: 'select', options, value, when, note });
const number = (name, min, max, step, value, unit, when, note) => ({ name, kind: 'number', min, max, step, value, unit, when, note });
const range = (name, min, max, value, when, note) => ({ name, kind: 'range', min, max, step: 1, value, when, note });
const text = (name, value, when, note, placeholder = '') => ({ name, kind: 'text', value, when, note, placeholder });

export const PUSHER_CONTROLS = Object.freeze([
  text('url', '', 'start', 'push URL (with autopush: restarts at once); the demo fills it from ?push=', 'rtmp://host/app/stream'),
  text('gateway', '', 'start', 'extension: WebSocket gateway for rtmp://', 'ws://host:port'),
  select('mode', ['RTC', 'SD', 'HD', 'FHD'], 'RTC', 'start', 'preset: RTC = low delay'),
  number('min-bitrate', 50, 20000, 50, 200, 'kbps', 'start', 'lowest video bitrate'),
  number('max-bitrate', 50, 20000, 50, 1000, 'kbps', 'start', 'highest video bitrate (picks the size)'),
  select('aspect', ['9:16', '3:4'], '9:16', 'start', 'horizontal: 16:9 / 4:3'),
  select('orientation', ['vertical', 'horizontal'], 'vertical', 'start', ''),
  range('beauty', 0, 9, 0, 'live', 'skin smoothing before encoding'),
  range('whiteness', 0, 9, 0, 'live', 'whitening before encoding'),
  select('device-position', ['front', 'back'], 'front', 'start', 'switchCamera() flips it live'),
  bool('enable-camera', true, 'start', 'off: audio-only stream'),
  bool('muted', false, 'live', 'sends silence'),
  select('audio-quality', ['low', 'high'], 'low', 'start', 'high: stereo, music'),
  select('audio-codec', ['aac', 'opus'], 'aac', 'start', 'extension: opus = Enhanced RTMP'),
  select('video-encoder', ['', 'auto', 'wasm', 'webcodecs'], '', 'start', 'extension: "" follows configure()'),
  select('video-codec', ['h264', 'av1', 'vp9', 'hevc'], 'h264', 'start', 'extension: av1/vp9/hevc = Enhanced RTMP (browser encoder; else H.264 + 10005)'),
  bool('auto-focus', true, 'start', 'where the camera offers it'),
  bool('zoom', false, 'start', 'where the camera offers it'),
  bool('background-mute', false, 'live', 'read when the page is hidden'),
  text('waiting-image', '', 'start', 'pushed while the page is hidden', 'image URL'),
  text('waiting-image-hash', '', 'start', 'md5 of that image', '32 hex digits'),
  bool('autopush', false, 'live', 'set with a url: (re)starts the push'),
  bool('debug', false, 'live', 'overlay with metrics and codes'),
]);

export const PLAYER_CONTROLS = Object.freeze([
  text('src', '', 'start', 'play URL (with autoplay: plays at once); the demo fills it from ?play=', 'rtmp:// http(s)://….flv ws(s)://….flv'),
  text('gateway', '', 'start', 'extension: WebSocket gateway for rtmp://', 'ws://host:port'),
  select('mode', ['live', 'RTC'], 'live', 'live', 'RTC: ~500 ms, ignores the cache'),
  number('min-cache', 0, 60, 0.1, 1, 's', 'live', 'smallest buffering delay'),
  number('max-cache', 0.1, 60, 0.1, 3, 's', 'live', 'largest buffering delay'),
  select('object-fit', ['contain', 'fillCrop'], 'contain', 'live', 'contain: letterbox'),
  select('orientation', ['vertical', 'horizontal'], 'vertical', 'live', 'horizontal rotates the picture'),
  bool('muted', false, 'live', ''),
  bool('background-mute', false, 'live', 'mutes while the page is hidden'),
  select('sound-mode', ['speaker', 'ear'], 'speaker', 'live', 'accepted; no output-device choice on the web yet'),
  select('picture-in-picture-mode', ['', 'push', 'pop', 'push pop'], '', 'live', 'accepted; the PiP button uses the browser\'s'),
  bool('auto-pause-if-navigate', true, 'live', 'pauses on pagehide'),
  bool('auto-pause-if-open-native', true, 'live', 'accepted; no native pages on the web'),
  select('video-decoder', ['', 'auto', 'wasm', 'webcodecs'], '', 'first', 'extension: "" follows configure()'),
  select('audio-decoder', ['', 'auto', 'wasm', 'webcodecs'], '', 'first', 'extension: "" follows configure()'),
  bool('autoplay', false, 'live', 'set with a src: plays'),
  bool('debug', false, 'live', 'overlay with metrics and codes'),
]);

export const WHEN_TEXT = Object.freeze({
  live: 'live',
  start: 'next start',
  first: 'new player',
});
