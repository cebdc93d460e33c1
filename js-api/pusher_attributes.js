// The <live-pusher> attributes (docs/api.md) as one validated object. Wrong values never throw:
// each is replaced by its default and reported in `problems`, which the pusher turns into an `error`
// event (a page must hear about `aspect="16:10"`, not get a silent default).

const MODES = ['SD', 'HD', 'FHD', 'RTC'];
const VIDEO_CODECS = ['h264', 'av1', 'vp9', 'hevc'];

/** Defaults of docs/api.md, plus the extensions (marked). */
export const PUSHER_DEFAULTS = Object.freeze({
  url: '',
  mode: 'RTC',
  autopush: false,
  muted: false,
  enableCamera: true,
  autoFocus: true,
  orientation: 'vertical',
  beauty: 0,
  whiteness: 0,
  aspect: '9:16',
  zoom: false,
  devicePosition: 'front',
  minBitrate: 200,
  maxBitrate: 1000,
  audioQuality: 'low',
  waitingImage: '',
  waitingImageHash: '',
  backgroundMute: false,
  debug: false,
  // Extensions (not in the original): the gateway for this element; the audio codec ('aac', or 'opus'
  // as Enhanced RTMP for servers that take it); the video encoder ('auto', 'wasm', 'webcodecs'); the
  // video codec ('h264', or 'av1' / 'vp9' / 'hevc' as Enhanced RTMP where the browser encodes it,
  // else H.264 and the error event 10005).
  gateway: '',
  audioCodec: 'aac',
  videoEncoder: '',
  videoCodec: 'h264',
});

// kebab-case attribute -> camelCase key.
export function attributeKey(name) {
  return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
export const PUSHER_ATTRIBUTES = Object.keys(PUSHER_DEFAULTS).map((k) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
// The attributes a running push applies at once (<live-pusher>); any other change is taken at the next
// start (url and autopush restart an autopush element). The demo labels its controls from this.
export const PUSHER_LIVE_ATTRIBUTES = Object.freeze(['beauty', 'whiteness', 'muted', 'debug']);

function bool(value) {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return false;
  const s = String(value).trim().toLowerCase();
  return s !== 'false' && s !== '0' && s !== 'no' && s !== 'off';  // present attribute "" is true
}

/**
 * @param {Record<string, unknown>} raw camelCase keys, values as given (strings from attributes)
 * @returns {{attrs: typeof PUSHER_DEFAULTS, problems: string[]}}
 */
/**
 * What is wrong with a push URL that the page can tell by itself, or null. rtmp(s):// needs a host, an
 * application and a stream name (rtmp://host[:port]/app/stream); ws(s):// (a server that takes WS-FLV
 * publishing) needs a host. Whether the server takes it is the server's to say (its codes).
 * @param {string} url @returns {string | null}
 */
export function pushUrlProblem(url) {
  const m = /^(rtmps?|wss?):\/\/([^/?#]*)([^?#]*)/i.exec(url);
  if (!m) return 'is not an rtmp:// or ws(s):// URL';
  const host = m[2].replace(/^[^@]*@/, '');  // userinfo is not the host
  if (!host || /^:/.test(host)) return 'has no host';
  if (/^rtmp/i.test(m[1]) && m[3].split('/').filter(Boolean).length < 2) return 'has no application and stream name (rtmp://host/app/stream)';
  return null;
}

export function normalizePusherAttributes(raw) {
  const attrs = { ...PUSHER_DEFAULTS };
  const problems = [];
  const pick = (key, ok, convert, why) => {
    if (!(key in raw) || raw[key] === undefined) return;
    const v = convert(raw[key]);
    if (ok(v)) attrs[key] = v;
    else problems.push(`${key}: ${JSON.stringify(raw[key])} ${why}; using ${JSON.stringify(attrs[key])}`);
  };
  const str = (v) => String(v).trim();
  const num = (v) => (typeof v === 'number' ? v : Number(String(v).trim()));
  if (raw.url !== undefined) {  // the reason is the URL's own (pushUrlProblem)
    const url = str(raw.url);
    const why = url === '' ? null : pushUrlProblem(url);
    if (why) problems.push(`url: ${JSON.stringify(raw.url)} ${why}; using ""`);
    else attrs.url = url;
  }
  pick('mode', (v) => MODES.includes(v), (v) => str(v).toUpperCase(), 'is not SD, HD, FHD or RTC');
  for (const key of ['autopush', 'muted', 'enableCamera', 'autoFocus', 'zoom', 'backgroundMute', 'debug']) {
    pick(key, () => true, bool, '');
  }
  pick('orientation', (v) => v === 'vertical' || v === 'horizontal', str, 'is not vertical or horizontal');
  pick('beauty', (v) => Number.isFinite(v) && v >= 0 && v <= 9, num, 'is not a number 0-9');
  pick('whiteness', (v) => Number.isFinite(v) && v >= 0 && v <= 9, num, 'is not a number 0-9');
  pick('aspect', (v) => v === '9:16' || v === '3:4', str, 'is not 9:16 or 3:4');
  pick('devicePosition', (v) => v === 'front' || v === 'back', str, 'is not front or back');
  pick('minBitrate', (v) => Number.isFinite(v) && v >= 50 && v <= 20000, num, 'is not a bitrate in kbps (50-20000)');
  pick('maxBitrate', (v) => Number.isFinite(v) && v >= 50 && v <= 20000, num, 'is not a bitrate in kbps (50-20000)');
  pick('audioQuality', (v) => v === 'low' || v === 'high', str, 'is not low or high');
  pick('waitingImage', () => true, str, '');
  pick('waitingImageHash', (v) => v === '' || /^[0-9a-fA-F]{32}$/.test(v), str, 'is not an md5 (32 hex digits)');
  pick('gateway', (v) => v === '' || /^wss?:\/\//i.test(v), str, 'is not a ws:// or wss:// URL');
  pick('audioCodec', (v) => v === 'aac' || v === 'opus', (v) => str(v).toLowerCase(), 'is not aac or opus');
  pick('videoCodec', (v) => VIDEO_CODECS.includes(v), (v) => str(v).toLowerCase(), 'is not h264, av1, vp9 or hevc');
  pick('videoEncoder', (v) => ['', 'auto', 'wasm', 'webcodecs'].includes(v), (v) => str(v).toLowerCase(), 'is not auto, wasm or webcodecs');
  if (attrs.minBitrate > attrs.maxBitrate) {
    problems.push(`min-bitrate ${attrs.minBitrate} is above max-bitrate ${attrs.maxBitrate}; using ${attrs.maxBitrate} for both`);
    attrs.minBitrate = attrs.maxBitrate;
  }
  attrs.beauty = Math.round(attrs.beauty);
  attrs.whiteness = Math.round(attrs.whiteness);
  return { attrs, problems };
}

// The camera size to ask for: enough for the largest picture the ladder can reach at max-bitrate.
export function cameraConstraints(attrs) {
  const wantHd = attrs.maxBitrate >= 800;
  const video = {
    facingMode: attrs.devicePosition === 'back' ? 'environment' : 'user',
    width: { ideal: wantHd ? 1280 : 640 },
    height: { ideal: wantHd ? 720 : 360 },
    frameRate: { ideal: 30, max: 30 },
  };
  // Asked for in landscape whatever the orientation: desktop cameras only offer landscape, a phone held
  // upright rotates its frames itself, and the pipeline crops the centre to the pushed aspect.
  return video;
}
