// What an engine does wrong that cannot be detected without taking the page down: named here, and only
// here, each with what was seen, where, and the check that notices when the engine is fixed. Everything
// else the workers find by detection (typeof, isConfigSupported, a probe canvas).

const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;

// WebKit: Safari, every browser on iOS, WebKitGTK, WPE. Chromium's and Firefox's user agents name their
// own engines; WebKit's names AppleWebKit only. Gecko: Firefox (not Firefox for iOS, which is WebKit).
const WEBKIT = /AppleWebKit\//.test(ua) && !/(Chrome|Chromium|CriOS|Edg|Firefox|FxiOS)\//.test(ua);
const GECKO = /\bGecko\/\d/.test(ua) && /\bFirefox\//.test(ua) && !WEBKIT;

/**
 * WebCodecs AudioDecoder decodes, but any AudioData.copyTo() kills the page's web process
 * (`free(): invalid pointer`), even into a fresh array with no format conversion. Seen in WebKitGTK 2.50.6
 * (Debian bookworm, GStreamer media stack), in a worker and on the page. Safari (Apple's media stack) was
 * not tested here; it gets the same path, since decoding AAC or Opus in wasm costs well under 1 % of a
 * core and a crash costs the page. The player decodes audio in wasm there even when WebCodecs is asked
 * for. tests/engines/webcodecs_audio_quirk.test.mjs fails once the engine survives copyTo.
 */
export const WEBCODECS_AUDIO_COPY_CRASHES = WEBKIT;

/**
 * While a worker draws on its OffscreenCanvas with a 2D context, a page that reads that canvas (drawImage
 * of the <canvas>, which is what a page's own snapshot, effect or recorder does) blocks the worker for
 * about 10 s at a time: no data, no sound, then a burst (2104, then the buffer 11 s deep). Seen in Firefox
 * ESR 153.8 (Linux, Xvfb and headless) in 6 of 6 plays with the tests' picture probe reading the canvas,
 * none without it, none with the WebGL2 or the page renderer. The player does not draw with 2D in
 * Firefox's workers: WebGL2 there (llvmpipe here), else the page draws. tests/engines/player checks it
 * (the probe reads the canvas) and capabilities names the renderer.
 */
export const WORKER_2D_CANVAS_STALLS_WHEN_READ = GECKO;

/**
 * WebCodecs VideoEncoder says it encodes AV1 (isConfigSupported 'av01.0.04M.08': true) and the first
 * encode() kills the page's web process (libaom: an assertion in rc_pick_q_and_bounds_no_stats_cbr), with
 * either latency mode. Seen in WebKitGTK 2.50.6 (Debian bookworm) pushing <live-pusher video-codec="av1">;
 * its VP9 encoder works (about 10 fps at 640x360). The pusher takes `av1` there as a codec the browser
 * cannot encode: H.264 with the one 10005 (worker/video_encoder_ladder.js). tests/engines/pusher.test.mjs
 * checks the fallback in WebKit and AV1 itself in Firefox.
 */
export const WEBCODECS_AV1_ENCODE_CRASHES = WEBKIT;
