// The messages between the page (js-api/live_pusher.js) and the pusher worker (worker/pusher_worker.js),
// declared once and imported by both (message_contract.js says how a field is written and checked).
// Large things are transferred, never copied: the camera's ReadableStream of VideoFrames, single
// VideoFrames (fallback), the microphone worklet's MessagePort, the waiting image, snapshot Blobs. The
// capture worklet's own messages: worklet_messages.js.
import { contract } from './message_contract.js';

export const ToPusherWorker = contract('pusher page -> worker', {
  // audio: {sampleRate, channels}, null without sound; videoEncoder: configure()'s, the attribute's wins;
  // checkMessages: message_contract.js.
  init: { wasmBase: 'string', videoEncoder: 'string', attrs: 'object', audio: 'object|null', cameraFps: 'number',
    checkMessages: 'boolean?' },
  video: { readable: 'ReadableStream' },          // transferred
  frame: { frame: 'VideoFrame' },                 // transferred (no MediaStreamTrackProcessor)
  audio: { port: 'MessagePort' },                 // transferred; the capture worklet posts on it
  start: { url: 'string', gateway: 'string' },
  stop: {},
  pause: {},
  resume: {},
  set: { beauty: 'number', whiteness: 'number', muted: 'boolean' },
  hidden: { hidden: 'boolean', backgroundMute: 'boolean' },
  waitingImage: { bytes: 'ArrayBuffer', hash: 'string?' },  // bytes transferred
  snapshot: { id: 'number' },
});

export const FromPusherWorker = contract('pusher worker -> page', {
  // The engine opened (ok) or not (error: start() fails); the encoders in use and the video codec pushed
  // (video-codec's, or 'h264' after its fallback).
  ready: { ok: 'boolean', error: 'string?', videoEncoder: 'string|null?', audioEncoder: 'string?', videoCodec: 'string?' },
  encoder: { video: 'string' },                   // the video encoder changed (video_encoder_ladder.js)
  state: { code: 'number', message: 'string' },
  netstatus: { info: 'object' },
  error: { errCode: 'number', errMsg: 'string' },
  snapshot: { id: 'number', ok: 'boolean', blob: 'Blob?', width: 'number?', height: 'number?', error: 'string?' },
  stopped: {},
});
