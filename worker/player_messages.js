// The messages between the page (js-api/live_player.js) and the player worker (worker/player_worker.js),
// declared in one place. Large things are transferred, never copied: the OffscreenCanvas, the sound
// worklet's MessagePort, PCM blocks to the worklet, pictures for the page (VideoFrames), snapshot Blobs.
//
// page -> worker
/**
 * @typedef {{type: 'init', wasmBase: string, renderer: 'auto'|'webgl2'|'2d'|'page', attrs: object,
 *            audio: {sampleRate: number, channels: number, running: boolean, latencyMs?: number,
 *                    port?: MessagePort, ring?: {sab: SharedArrayBuffer}},
 *            decoders: {video: 'auto'|'wasm'|'webcodecs', audio: 'auto'|'wasm'|'webcodecs'}}} InitMessage
 *            port transferred; it reaches web/pcm_playback_worklet.js
 * @typedef {{type: 'canvas', canvas: OffscreenCanvas}} CanvasMessage   after 'ready' named a worker renderer
 * @typedef {{type: 'play', url: string, gateway: string}} PlayMessage
 * @typedef {{type: 'stop'} | {type: 'pause'} | {type: 'resume'}} ControlMessage
 * @typedef {{type: 'hidden', hidden: boolean}} HiddenMessage
 * @typedef {{type: 'set', attrs: {mode?: string, minCache?: number, maxCache?: number, objectFit?: string,
 *            orientation?: string}}} SetMessage
 * @typedef {{type: 'resize', width: number, height: number}} ResizeMessage   device pixels
 * @typedef {{type: 'audio', running: boolean, latencyMs: number}} AudioStateMessage
 * @typedef {{type: 'snapshot', id: number}} SnapshotMessage
 */
// worker -> page
/**
 * @typedef {{type: 'ready', simd: boolean, renderer: 'webgl2'|'2d'|'page'}} ReadyMessage   the core's choice
 * @typedef {{type: 'renderer', name: 'webgl2'|'2d'|'page', newCanvas?: boolean, reason?: string}} RendererMessage
 *            the renderer in use; newCanvas: the page draws from now on, on a fresh canvas (its own went to
 *            the worker, whose renderer failed)
 * @typedef {{type: 'picture', frame: VideoFrame}} PictureMessage   renderer 'page': draw it now (transferred)
 * @typedef {{type: 'state', code: number, message: string}} StateMessage
 * @typedef {{type: 'netstatus', info: object}} NetStatusMessage   PlaySession::net_stats + decoders in use
 * @typedef {{type: 'volume', volume: number}} VolumeMessage       0-100, about five times a second
 * @typedef {{type: 'error', errCode: number, errMsg: string}} ErrorMessage
 * @typedef {{type: 'snapshot', id: number, ok: boolean, blob?: Blob, width?: number, height?: number,
 *            error?: string}} SnapshotResult
 * @typedef {{type: 'stopped'}} StoppedMessage
 */
export const PLAYER_MESSAGE_TYPES = Object.freeze([
  'init', 'canvas', 'play', 'stop', 'pause', 'resume', 'hidden', 'set', 'resize', 'audio', 'snapshot',
  'ready', 'renderer', 'picture', 'state', 'netstatus', 'volume', 'error', 'stopped',
]);
