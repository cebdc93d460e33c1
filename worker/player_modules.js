// The player's wasm modules: the main one (session, H.264/AAC/Opus decoders) and the decoders loaded on
// first use (player_worker.js loadDecoder). Each file is a literal URL so that bundlers copy it (load_core.js);
// one entry per module that scripts/build.sh ships (SHIPPED_MODULES) and package.json lists.
// The player's wasm (decoders, no encoders), each file a literal URL so that bundlers copy it (load_core.js).
export const WASM_FILES = {
  name: 'livewasm_player',
  glue: new URL('../dist/wasm/livewasm_player.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_player.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_player_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_player_simd.wasm', import.meta.url),
};
// The player's video decoders with FFmpeg's frame threads (H.264 and HEVC, no session), for cross-origin
// isolated pages (load_core.js useThreads), with Emscripten's pthread worker, which the module starts from
// this URL (locateFile). ?no-inline: the worker is 3 KB, and Vite inlines an asset under 4 KB as a data:
// URL, which worker-src 'self' refuses and from which the worker could not import the glue (servers and
// webpack ignore the query).
const THREADS_FILES = {
  mtName: 'livewasm_player_mt',
  mtGlue: new URL('../dist/wasm/livewasm_player_mt.mjs', import.meta.url),
  mtWasm: new URL('../dist/wasm/livewasm_player_mt.wasm', import.meta.url),
  mtWorker: new URL('../dist/wasm/livewasm_player_mt.worker.js?no-inline', import.meta.url),
};
// H.264 with threads: only the threads build (the single-thread decoder is the player's own module's, which
// video_decode_path.js keeps when this one does not load).
const H264_THREADS_FILES = { name: 'livewasm_player', threadsOnly: true, ...THREADS_FILES };
// The player's module has no HEVC decoder (most streams are H.264, and the browser's WebCodecs may take
// HEVC): this module (FFmpeg's HEVC decoder and the decoder bindings, no session) is loaded only when an
// HEVC stream is decoded in wasm (video_decode_path.js), or the threads build where threads run.
// configure({wasmBase}): the same folder.
const HEVC_WASM_FILES = {
  name: 'livewasm_player_hevc',
  glue: new URL('../dist/wasm/livewasm_player_hevc.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_player_hevc.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_player_hevc_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_player_hevc_simd.wasm', import.meta.url),
  ...THREADS_FILES,
};
// FFmpeg's MP3 decoder alone, likewise: loaded only when an MP3 stream's audio is decoded in wasm
// (audio_decode_path.js; WebCodecs takes MP3 in Chromium).
const MP3_WASM_FILES = {
  name: 'livewasm_player_mp3',
  glue: new URL('../dist/wasm/livewasm_player_mp3.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_player_mp3.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_player_mp3_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_player_mp3_simd.wasm', import.meta.url),
};
// dav1d (AV1) behind the same decoder surface, likewise: loaded only when an AV1 stream is decoded in wasm
// (WebCodecs takes AV1 in Chromium).
const AV1_WASM_FILES = {
  name: 'livewasm_player_av1',
  glue: new URL('../dist/wasm/livewasm_player_av1.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_player_av1.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_player_av1_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_player_av1_simd.wasm', import.meta.url),
};
// FFmpeg's VP9 decoder alone, likewise: loaded only when a VP9 stream is decoded in wasm (WebCodecs takes VP9
// wherever VideoDecoder exists).
const VP9_WASM_FILES = {
  name: 'livewasm_player_vp9',
  glue: new URL('../dist/wasm/livewasm_player_vp9.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_player_vp9.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_player_vp9_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_player_vp9_simd.wasm', import.meta.url),
};
// FFmpeg's FLAC, AC-3 and E-AC-3 decoders in one module, likewise: loaded only when an Enhanced RTMP 'fLaC',
// 'ac-3' or 'ec-3' stream's audio is decoded in wasm (WebCodecs takes FLAC in Chromium and Firefox).
const FLAC_AC3_WASM_FILES = {
  name: 'livewasm_player_flac_ac3',
  glue: new URL('../dist/wasm/livewasm_player_flac_ac3.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_player_flac_ac3.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_player_flac_ac3_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_player_flac_ac3_simd.wasm', import.meta.url),
};
// The decoders video_decode_path.js takes from another module than the player's; THREADED_DECODERS: those of
// the player's own module that it takes from the threads build where threads run (loaded on first use).
export const THREADED_DECODERS = { h264: H264_THREADS_FILES };
export const DECODER_MODULES = {
  hevc: HEVC_WASM_FILES, mp3: MP3_WASM_FILES, av1: AV1_WASM_FILES, vp9: VP9_WASM_FILES,
  flac: FLAC_AC3_WASM_FILES, ac3: FLAC_AC3_WASM_FILES, eac3: FLAC_AC3_WASM_FILES,
};
