// The <live-player> attributes (docs/api.md) as one validated object. Wrong values never throw:
// each is replaced by its default and reported in `problems`, which the player turns into an `error`
// event (a page must hear about `mode="fast"`, not get a silent default).
import { attributeKey } from './pusher_attributes.js';

export { attributeKey };

/** Defaults of docs/api.md, plus the extensions (marked). */
export const PLAYER_DEFAULTS = Object.freeze({
  src: '',
  mode: 'live',
  autoplay: false,
  muted: false,
  orientation: 'vertical',
  objectFit: 'contain',
  backgroundMute: false,
  minCache: 1,
  maxCache: 3,
  soundMode: 'speaker',
  autoPauseIfNavigate: true,
  autoPauseIfOpenNative: true,
  pictureInPictureMode: '',
  debug: false,
  // Extensions (not in the original): the gateway for this element; the decoders ('auto', 'wasm',
  // 'webcodecs'; '' follows configure()).
  gateway: '',
  videoDecoder: '',
  audioDecoder: '',
});

export const PLAYER_ATTRIBUTES = Object.keys(PLAYER_DEFAULTS).map((k) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
// The attributes a playing player applies at once (<live-player>); any other change is taken at the next
// play (src and autoplay start an autoplay element; an empty src stops it). The demo labels its controls
// from this.
export const PLAYER_LIVE_ATTRIBUTES = Object.freeze(['muted', 'mode', 'min-cache', 'max-cache', 'object-fit', 'orientation',
  'background-mute', 'sound-mode', 'picture-in-picture-mode', 'auto-pause-if-navigate', 'auto-pause-if-open-native', 'debug']);

function bool(value) {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return false;
  const s = String(value).trim().toLowerCase();
  return s !== 'false' && s !== '0' && s !== 'no' && s !== 'off';
}

/**
 * @param {Record<string, unknown>} raw camelCase keys, values as given (strings from attributes)
 * @returns {{attrs: typeof PLAYER_DEFAULTS, problems: string[]}}
 */
export function normalizePlayerAttributes(raw) {
  const attrs = { ...PLAYER_DEFAULTS };
  const problems = [];
  const pick = (key, ok, convert, why) => {
    if (!(key in raw) || raw[key] === undefined || raw[key] === null) return;
    const v = convert(raw[key]);
    if (ok(v)) attrs[key] = v;
    else problems.push(`${key}: ${JSON.stringify(raw[key])} ${why}; using ${JSON.stringify(attrs[key])}`);
  };
  const str = (v) => String(v).trim();
  const num = (v) => (typeof v === 'number' ? v : Number(String(v).trim()));
  pick('src', (v) => v === '' || /^(rtmps?|https?|wss?):\/\//i.test(v), str, 'is not an rtmp://, http(s):// or ws(s):// URL');
  pick('mode', (v) => v === 'live' || v === 'RTC', (v) => (str(v).toUpperCase() === 'RTC' ? 'RTC' : str(v).toLowerCase()), 'is not live or RTC');
  for (const key of ['autoplay', 'muted', 'backgroundMute', 'autoPauseIfNavigate', 'autoPauseIfOpenNative', 'debug']) {
    pick(key, () => true, bool, '');
  }
  pick('orientation', (v) => v === 'vertical' || v === 'horizontal', str, 'is not vertical or horizontal');
  pick('objectFit', (v) => v === 'contain' || v === 'fillCrop', str, 'is not contain or fillCrop');
  pick('minCache', (v) => Number.isFinite(v) && v >= 0 && v <= 60, num, 'is not a number of seconds (0-60)');
  pick('maxCache', (v) => Number.isFinite(v) && v > 0 && v <= 60, num, 'is not a number of seconds (0-60)');
  pick('soundMode', (v) => v === 'speaker' || v === 'ear', str, 'is not speaker or ear');
  pick('pictureInPictureMode', (v) => v.split(/[\s,]+/).every((m) => ['', 'push', 'pop'].includes(m)),
    (v) => (Array.isArray(v) ? v.join(' ') : str(v).replace(/[[\]"']/g, ' ').trim()), 'is not push, pop or both');
  pick('gateway', (v) => v === '' || /^wss?:\/\//i.test(v), str, 'is not a ws:// or wss:// URL');
  pick('videoDecoder', (v) => ['', 'auto', 'wasm', 'webcodecs'].includes(v), (v) => str(v).toLowerCase(), 'is not auto, wasm or webcodecs');
  pick('audioDecoder', (v) => ['', 'auto', 'wasm', 'webcodecs'].includes(v), (v) => str(v).toLowerCase(), 'is not auto, wasm or webcodecs');
  if (attrs.minCache > attrs.maxCache) {
    problems.push(`min-cache ${attrs.minCache} is above max-cache ${attrs.maxCache}; using ${attrs.maxCache} for both`);
    attrs.minCache = attrs.maxCache;
  }
  return { attrs, problems };
}
