// What an engine does wrong that cannot be detected without taking the page down: named here, and only
// here, each with what was seen, where, and the check that notices when the engine is fixed. Everything
// else the workers find by detection (typeof, isConfigSupported, a probe canvas).

const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;

// WebKit: Safari, every browser on iOS, WebKitGTK, WPE. Chromium's and Firefox's user agents name their
// own engines; WebKit's names AppleWebKit only.
const WEBKIT = /AppleWebKit\//.test(ua) && !/(Chrome|Chromium|CriOS|Edg|Firefox|FxiOS)\//.test(ua);

/**
 * WebCodecs AudioDecoder decodes, but any AudioData.copyTo() kills the page's web process
 * (`free(): invalid pointer`), even into a fresh array with no format conversion. Seen in WebKitGTK 2.50.6
 * (Debian bookworm, GStreamer media stack), in a worker and on the page. Safari (Apple's media stack) was
 * not tested here; it gets the same path, since decoding AAC or Opus in wasm costs well under 1 % of a
 * core and a crash costs the page. The player decodes audio in wasm there even when WebCodecs is asked
 * for. tests/engines/webcodecs_audio_quirk.test.mjs fails once the engine survives copyTo.
 */
export const WEBCODECS_AUDIO_COPY_CRASHES = WEBKIT;
