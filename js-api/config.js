// The global configuration (docs/api.md): `configure({gateway: 'wss://…'})` names the gateway
// that rtmp:// URLs go through; an element's `gateway` attribute overrides it.

const settings = {
  gateway: '',
  // '': the package's own wasm files (dist/wasm/, found by the workers through literal URLs that
  // bundlers copy, worker/load_core.js); else a folder URL holding livewasm_{pusher,player,player_hevc}
  // {,_simd}.{mjs,wasm}, for a page that hosts them elsewhere (resolved against the page when set).
  wasmBase: '',
  // 'auto': WebCodecs (hardware first) then OpenH264 in wasm; 'wasm': OpenH264 only; 'webcodecs'.
  videoEncoder: 'auto',
  // The player's decoders: 'auto': WebCodecs where the browser takes the codec, FFmpeg in wasm
  // otherwise; 'wasm': FFmpeg only; 'webcodecs': WebCodecs (FFmpeg still for codecs it lacks).
  videoDecoder: 'auto',
  audioDecoder: 'auto',
  // The player's renderer: 'auto' (the best this engine offers: a <video> fed with a generated track
  // where the page can make one, else WebGL2, else 2D on the worker's OffscreenCanvas, else the page
  // draws), or one of 'video', 'webgl2', '2d', 'page' first (falling back in that order when the engine
  // lacks it).
  renderer: 'auto',
};

/** @param {{gateway?: string, wasmBase?: string, videoEncoder?: 'auto'|'wasm'|'webcodecs',
 *           videoDecoder?: 'auto'|'wasm'|'webcodecs', audioDecoder?: 'auto'|'wasm'|'webcodecs',
 *           renderer?: 'auto'|'video'|'webgl2'|'2d'|'page'}} options */
export function configure(options = {}) {
  for (const key of Object.keys(options)) {
    if (!(key in settings)) throw new TypeError(`configure: unknown option "${key}"`);
    settings[key] = key === 'wasmBase' ? absoluteUrl(options[key]) : String(options[key]);
  }
  return { ...settings };
}

// The workers resolve against their own URL, not the page's: a relative wasmBase is made absolute here.
function absoluteUrl(value) {
  const url = value == null ? '' : String(value);
  const base = globalThis.document ? document.baseURI : globalThis.location && globalThis.location.href;
  return url && base ? new URL(url, base).href : url;
}

export function currentConfig() {
  return { ...settings };
}
