// The global configuration (SPEC.md section 4): `configure({gateway: 'wss://…'})` names the gateway
// that rtmp:// URLs go through; an element's `gateway` attribute overrides it.

const settings = {
  gateway: '',
  // Where the wasm module lives; by default next to the package (dist/wasm/).
  wasmBase: new URL('../dist/wasm/', import.meta.url).href,
  // 'auto': WebCodecs (hardware first) then OpenH264 in wasm; 'wasm': OpenH264 only; 'webcodecs'.
  videoEncoder: 'auto',
  // The player's decoders: 'auto': WebCodecs where the browser takes the codec, FFmpeg in wasm
  // otherwise; 'wasm': FFmpeg only; 'webcodecs': WebCodecs (FFmpeg still for codecs it lacks).
  videoDecoder: 'auto',
  audioDecoder: 'auto',
};

/** @param {{gateway?: string, wasmBase?: string, videoEncoder?: 'auto'|'wasm'|'webcodecs',
 *           videoDecoder?: 'auto'|'wasm'|'webcodecs', audioDecoder?: 'auto'|'wasm'|'webcodecs'}} options */
export function configure(options = {}) {
  for (const key of Object.keys(options)) {
    if (!(key in settings)) throw new TypeError(`configure: unknown option "${key}"`);
    settings[key] = String(options[key]);
  }
  return { ...settings };
}

export function currentConfig() {
  return { ...settings };
}
