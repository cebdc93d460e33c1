// The messages between the page (js-api/live_pusher.js) and the pusher worker (worker/pusher_worker.js),
// declared in one place. Large things are transferred, never copied: the camera's ReadableStream of
// VideoFrames, single VideoFrames (fallback), the microphone's MessagePort, snapshot Blobs.
//
// page -> worker
/**
 * @typedef {{type: 'init', wasmBase: string, attrs: object, audio: {sampleRate: number, channels: number} | null,
 *            cameraFps: number}} InitMessage
 * @typedef {{type: 'video', readable: ReadableStream<VideoFrame>}} VideoStreamMessage   transferred
 * @typedef {{type: 'frame', frame: VideoFrame}} VideoFrameMessage                         transferred (fallback)
 * @typedef {{type: 'audio', port: MessagePort}} AudioPortMessage                          transferred; the port
 *            delivers {pcm: Float32Array (interleaved), frames: number}, pcm's buffer transferred
 * @typedef {{type: 'start', url: string, gateway: string}} StartMessage
 * @typedef {{type: 'stop'}} StopMessage
 * @typedef {{type: 'pause'} | {type: 'resume'}} PauseMessage
 * @typedef {{type: 'set', beauty?: number, whiteness?: number, muted?: boolean}} SetMessage
 * @typedef {{type: 'hidden', hidden: boolean, backgroundMute: boolean}} HiddenMessage
 * @typedef {{type: 'waiting-image', bytes: ArrayBuffer, hash: string}} WaitingImageMessage  transferred
 * @typedef {{type: 'snapshot', id: number}} SnapshotMessage
 */
// worker -> page
/**
 * @typedef {{type: 'ready', videoEncoder: string, audioEncoder: string}} ReadyMessage
 * @typedef {{type: 'state', code: number, message: string}} StateMessage
 * @typedef {{type: 'netstatus', info: object}} NetStatusMessage
 * @typedef {{type: 'error', errCode: number, errMsg: string}} ErrorMessage
 * @typedef {{type: 'snapshot', id: number, ok: boolean, blob?: Blob, width?: number, height?: number,
 *            error?: string}} SnapshotResult
 * @typedef {{type: 'stopped'}} StoppedMessage
 */
export const PUSHER_MESSAGE_TYPES = Object.freeze([
  'init', 'video', 'frame', 'audio', 'start', 'stop', 'pause', 'resume', 'set', 'hidden', 'waiting-image',
  'snapshot', 'ready', 'state', 'netstatus', 'error', 'stopped',
]);
