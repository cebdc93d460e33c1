// The messages between the page (js-api/live_player.js) and the player worker (worker/player_worker.js),
// declared once and imported by both (message_contract.js says how a field is written and checked).
// Large things are transferred, never copied: the OffscreenCanvas, the <video>'s track writable, the
// sound worklet's MessagePort, pictures for the page (VideoFrames), snapshot Blobs. The worklet's own
// messages: worklet_messages.js.
import { contract } from './message_contract.js';

export const ToPlayerWorker = contract('player page -> worker', {
  // audio: {sampleRate, channels, running, latencyMs?, port?: MessagePort (transferred, it reaches
  // web/pcm_playback_worklet.js), ring?: {sab}} (audio_ring.js); decoders: {video, audio}: 'auto'|'wasm'|'webcodecs';
  // renderer: configure()'s preference, 'page' where the canvas cannot go to a worker; videoTrack: the
  // page can show a <video>'s track (video_track_surface.js); checkMessages: message_contract.js.
  init: { wasmBase: 'string', attrs: 'object', audio: 'object', decoders: 'object', renderer: 'string',
    videoTrack: 'boolean', checkMessages: 'boolean?' },
  canvas: { canvas: 'OffscreenCanvas' },          // after 'ready' named a worker renderer (transferred)
  track: { writable: 'WritableStream|null' },     // after 'ready' named 'video'; null: the page could not make one
  play: { url: 'string', gateway: 'string' },
  stop: {},
  pause: {},
  resume: {},
  hidden: { hidden: 'boolean' },
  set: { attrs: 'object' },                       // {mode, minCache, maxCache, objectFit, orientation}
  resize: { width: 'number', height: 'number' },  // device pixels
  audio: { running: 'boolean', latencyMs: 'number' },
  snapshot: { id: 'number' },
  pictureTaken: {},                               // renderer 'page': a 'picture' was drawn (page_picture_sink.js)
  // Enhanced RTMP v2 Multitrack: play track `id` of `kind` ('video'|'audio'); answered by 'trackSelected'.
  selectTrack: { id: 'number', kind: 'string', track: 'number' },
});

export const FromPlayerWorker = contract('player worker -> page', {
  ready: { simd: 'boolean', renderer: 'string' },  // the core's choice: 'webgl2'|'2d'|'video'|'page'
  // The renderer in use; newCanvas: the page draws from now on, on a fresh canvas (its own went to the
  // worker, whose renderer failed).
  renderer: { name: 'string', newCanvas: 'boolean?', reason: 'string?' },
  picture: { frame: 'VideoFrame' },                // renderer 'page': draw it now (transferred)
  state: { code: 'number', message: 'string' },
  netstatus: { info: 'object' },                   // PlaySession::net_stats + decoders in use
  volume: { volume: 'number' },                    // 0-100, about five times a second
  error: { errCode: 'number', errMsg: 'string' },
  snapshot: { id: 'number', ok: 'boolean', blob: 'Blob?', width: 'number?', height: 'number?', error: 'string?' },
  stopped: {},
  // The stream's tracks changed (list, switch, gone): tracks [{kind, id, codec, width?, height?, selected,
  // pending}] (PlaySession::tracks), events [{type: 'list'|'switched'|'gone', kind, id, message}].
  tracks: { tracks: 'object', events: 'object' },
  trackSelected: { id: 'number', ok: 'boolean', error: 'string?' },
});
