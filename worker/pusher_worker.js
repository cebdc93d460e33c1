// The pusher worker: a thin shell around the wasm PusherEngine (wasm/codecs/pusher_engine.h). It owns the
// module, the camera's frame stream, the microphone's port, the link to the gateway and the timers;
// every decision about bitrate, size, drops, pacing, the encoder's keep-up, the hidden page's limit and
// codes is the core's PushSession (wasm/core/push/push_session.h), reconnects its ReconnectPolicy.
// Messages: pusher_messages.js (checked while the page's init says checkMessages: message_contract.js).
import { loadCore } from './load_core.js';
import { ToPusherWorker as In, FromPusherWorker as Out } from './pusher_messages.js';
import { FromCaptureWorklet } from './worklet_messages.js';
import { startChecking } from './message_contract.js';
import { PushLink } from './push_link.js';
import { VideoEncoderLadder } from './video_encoder_ladder.js';
import { errorText, reportViolations } from './error_text.js';

// The pusher's wasm (encoders, no decoders), each file a literal URL so that bundlers copy it (load_core.js).
// mt*: the threads build (OpenH264's slice threads, one slice per thread), loaded on cross-origin isolated
// pages where SharedArrayBuffer exists (useThreads()), the SIMD build when it does not start.
const WASM_FILES = {
  name: 'livewasm_pusher',
  glue: new URL('../dist/wasm/livewasm_pusher.mjs', import.meta.url),
  wasm: new URL('../dist/wasm/livewasm_pusher.wasm', import.meta.url),
  simdGlue: new URL('../dist/wasm/livewasm_pusher_simd.mjs', import.meta.url),
  simdWasm: new URL('../dist/wasm/livewasm_pusher_simd.wasm', import.meta.url),
  mtGlue: new URL('../dist/wasm/livewasm_pusher_mt.mjs', import.meta.url),
  mtWasm: new URL('../dist/wasm/livewasm_pusher_mt.wasm', import.meta.url),
  // ?no-inline: Vite would inline the 3 KB pthread worker as a data: URL, from which it cannot import the
  // glue (and which worker-src 'self' refuses); servers and webpack ignore the query (player_modules.js).
  mtWorker: new URL('../dist/wasm/livewasm_pusher_mt.worker.js?no-inline', import.meta.url),
};

const LINK_SAMPLE_MS = 100;
const NETSTATUS_MS = 1000;
const STILL_INTERVAL_MS = 500;      // the waiting image, while hidden: 2 frames a second
const PAUSE_REPEAT_MS = 1000;       // paused: the frozen picture once a second keeps the push alive

const origin = performance.now();
const now = () => performance.now() - origin;  // the media clock: FLV timestamps start near 0

let core = null;
let engine = null;
let link = null;
let audioFormat = null;
let captureOffset = null;  // VideoFrame.timestamp (us) -> media clock (ms)
const state = { paused: false, hidden: false, muted: false, backgroundMute: false, still: null };
const periodic = new Map();  // id -> {ms, fn, due}: see every()
let nextPeriodic = 1;
let video = null;  // VideoEncoderLadder: which H.264 encoder is in use

// Every engine call goes through one queue: VideoFrame.copyTo() awaits, and nothing else may touch wasm
// memory (which could grow and detach the view being written) until it is done.
let queue = Promise.resolve();
const serial = (fn) => (queue = queue.then(fn).catch((err) => post({ type: Out.error, errCode: 0, errMsg: errorText(err) })));

const post = (message, transfer) => self.postMessage(Out.verify(message), transfer || []);
const postState = (code, message) => post({ type: Out.state, code, message });

function flush() {
  const out = engine.output();
  // The threads build's memory is a SharedArrayBuffer, whose views WebSocket.send() refuses ("must not be
  // shared"): a copy there (slice() makes an unshared one), the view itself otherwise.
  if (out.length && link && link.open) link.send(core.variant === 'mt' ? out.slice() : out);
  engine.clearOutput();
  for (const ev of engine.takeEvents()) postState(ev.code, ev.message);
}

// Periodic jobs (link samples, netstatus, the paused and the hidden pictures), each due every `ms`. They
// are run from a timer and also from the media messages themselves: WebKit's worker does not fire
// timers while messages keep coming (WebKitGTK 2.50.6 pushing its 1280x720 camera: 1,750 camera and
// microphone jobs and no netstatus in 17 s, so the page saw 1002 and then nothing).
const PERIODIC_MS = 50;
function every(ms, fn) {
  const id = nextPeriodic++;
  periodic.set(id, { ms, fn, due: performance.now() + ms });
  return id;
}
function cancel(id) {
  periodic.delete(id);
}
function runDue() {
  const t = performance.now();
  for (const job of periodic.values()) {
    if (t < job.due) continue;
    job.due = Math.max(job.due + job.ms, t);  // on time on average; no burst after a stall
    serial(job.fn);
  }
}
setInterval(runDue, PERIODIC_MS);

function pushing() {
  return !!(engine && link && link.open);
}

async function handleFrame(frame) {
  try {
    if (!pushing() || state.paused || state.hidden) return;
    if (captureOffset === null) captureOffset = now() - frame.timestamp / 1000;
    const ts = Math.max(0, frame.timestamp / 1000 + captureOffset);
    const rect = frame.visibleRect;
    let described;
    if (frame.format) {
      // copyTo's default rect is the visible rect, tightly packed: the coded size of what we copy.
      const size = frame.allocationSize();
      await frame.copyTo(engine.frameBuffer(size));
      described = { format: frame.format, codedWidth: rect.width, codedHeight: rect.height, size };
    } else {
      described = await drawToRgba(frame, rect.width, rect.height);  // opaque (e.g. GPU) frames
    }
    video.encode(described, ts, true);
    flush();
  } finally {
    frame.close();
  }
}

let canvas = null;
async function drawToRgba(source, width, height) {
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, width, height);
  const pixels = ctx.getImageData(0, 0, width, height).data;
  engine.frameBuffer(pixels.length).set(pixels);
  return { format: 'RGBA', codedWidth: width, codedHeight: height, size: pixels.length };
}

function handleAudio({ pcm, frames }) {
  if (!pushing() || state.paused) return;
  const buffer = engine.audioBuffer(pcm.length);
  if (state.muted || (state.hidden && state.backgroundMute)) buffer.fill(0);
  else buffer.set(pcm);
  const ts = Math.max(0, now() - (frames / audioFormat.sampleRate) * 1000);
  const r = engine.pushAudio(frames, ts);
  if (!r.ok) post({ type: Out.error, errCode: 0, errMsg: r.error });
  flush();
}

// Frames posted by the page (the <video> path: no MediaStreamTrackProcessor, so no back-pressure) wait
// in one slot: a frame that comes while the one before is still waiting replaces it, as the track
// processor drops what a busy reader does not read. Queued one by one behind a slow encoder they grew
// without bound, and the queue held netstatus and the audio behind them (WebKit: 1002, then no
// netstatus for 15 s and no picture for the player).
let waitingFrame = null;
function takeFrame(frame) {
  runDue();
  if (waitingFrame) {
    waitingFrame.close();
    waitingFrame = frame;
    return;
  }
  waitingFrame = frame;
  serial(() => {
    const f = waitingFrame;
    waitingFrame = null;
    return f ? handleFrame(f) : undefined;
  });
}

async function readVideo(readable) {
  const reader = readable.getReader();
  for (;;) {
    const { value: frame, done } = await reader.read();
    if (done) return;
    runDue();
    await serial(() => handleFrame(frame));
  }
}

async function decodeStill(bytes, hash) {
  const actual = core.md5Hex(new Uint8Array(bytes));
  if (hash && actual !== hash.toLowerCase()) {
    post({ type: Out.error, errCode: 10004, errMsg: `waiting-image-hash mismatch: the image's md5 is ${actual}, the page says ${hash}; the waiting image is not used` });
    return;
  }
  const bitmap = await createImageBitmap(new Blob([bytes]));
  const surface = new OffscreenCanvas(bitmap.width - (bitmap.width % 2), bitmap.height - (bitmap.height % 2));
  const ctx = surface.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0);
  state.still = { pixels: ctx.getImageData(0, 0, surface.width, surface.height).data, width: surface.width, height: surface.height };
}

let stillTimer = 0;
function pushStill() {
  if (!pushing() || !state.still) return;
  if (engine.stillDue(now()) === 'stop') {  // the core's limit: 5000 after 3 minutes hidden
    cancel(stillTimer);
    flush();
    stop();
    return;
  }
  const { pixels, width, height } = state.still;
  engine.frameBuffer(pixels.length).set(pixels);
  video.encode({ format: 'RGBA', codedWidth: width, codedHeight: height, size: pixels.length }, now());
  flush();
}

let pauseTimer = 0;
function repeatPicture() {
  if (!pushing()) return;
  video.repeat(now());
  flush();
}

function sampleLink() {
  if (!pushing()) return;
  engine.updateLink(link.sample(now()));
  flush();
}

function netStatus() {
  if (!pushing()) return;
  post({ type: Out.netstatus, info: engine.netStatus(now()) });
}

function stop() {
  periodic.clear();
  if (link) link.stop();
  link = null;
  post({ type: Out.stopped });
}

const handlers = {
  async [In.init]({ wasmBase, attrs, audio, cameraFps, videoEncoder }) {
    core = await loadCore(WASM_FILES, wasmBase);
    engine = new core.PusherEngine();
    audioFormat = audio;
    video = new VideoEncoderLadder({
      engine, cameraRate: cameraFps || 30, now, serial, flush,
      onState: postState,
      onError: (errMsg) => post({ type: Out.error, errCode: 0, errMsg }),
      onEncoder: (name) => post({ type: Out.encoder, video: name }),
      // video-codec's codec cannot be encoded here: told once, as ErrorCodes.VIDEO_CODEC_UNSUPPORTED.
      onCodecFallback: (errMsg) => post({ type: Out.error, errCode: 10005, errMsg }),
    });
    const r = engine.open({
      mode: attrs.mode, aspect: attrs.aspect, orientation: attrs.orientation,
      minKbps: attrs.minBitrate, maxKbps: attrs.maxBitrate,
      video: attrs.enableCamera, audio: !!audio,
      audioCodec: attrs.audioCodec, audioQuality: attrs.audioQuality,
      sampleRate: audio ? audio.sampleRate : 48000, channels: audio ? audio.channels : 1,
      cameraFps: cameraFps || 30, videoCodec: attrs.videoCodec || 'h264',
      // OpenH264's threads: the cores load_core.js found (1..4); the engine bounds them by its module's
      // pthread pool (1 but in the threads build).
      encoderThreads: core.threads,
    });
    engine.setBeauty(attrs.beauty);
    engine.setWhiteness(attrs.whiteness);
    state.muted = attrs.muted;
    state.backgroundMute = attrs.backgroundMute;
    for (const ev of engine.takeEvents()) postState(ev.code, ev.message);
    if (r.ok && attrs.enableCamera) await video.choose(attrs.videoEncoder || videoEncoder || 'auto');
    post({ type: Out.ready, ok: r.ok, error: r.error, videoEncoder: video.name,
      audioEncoder: engine.audioEncoderName(), videoCodec: engine.videoCodec() });
  },
  [In.video]({ readable }) {
    readVideo(readable).catch((err) => post({ type: Out.error, errCode: 0, errMsg: 'camera stream: ' + err }));
  },
  [In.frame]({ frame }) {
    takeFrame(frame);
  },
  [In.audio]({ port }) {
    port.onmessage = (event) => {
      runDue();
      const block = FromCaptureWorklet.verify(event.data);
      if (block.type === FromCaptureWorklet.pcm) serial(() => handleAudio(block));
    };
  },
  [In.start]({ url, gateway }) {
    if (link) return;
    link = new PushLink({
      url, gateway, core, now,
      onState: (code, message) => {
        postState(code, message);
        if (code === -1307) stop();
      },
      onOpen: () => serial(() => {
        engine.beginConnection(now());
        flush();
      }),
    });
    link.connect();
    every(LINK_SAMPLE_MS, sampleLink);
    every(NETSTATUS_MS, netStatus);
  },
  [In.stop]() {
    serial(stop);
  },
  [In.pause]() {
    state.paused = true;
    serial(() => engine.setPaused(true));
    pauseTimer = every(PAUSE_REPEAT_MS, repeatPicture);
  },
  [In.resume]() {
    state.paused = false;
    cancel(pauseTimer);
    serial(() => engine.setPaused(false));  // the core asks for a key frame
  },
  [In.set](values) {
    serial(() => {
      if ('beauty' in values) engine.setBeauty(values.beauty);
      if ('whiteness' in values) engine.setWhiteness(values.whiteness);
      if ('muted' in values) state.muted = values.muted;
    });
  },
  [In.waitingImage]({ bytes, hash }) {
    serial(() => decodeStill(bytes, hash));
  },
  [In.hidden]({ hidden, backgroundMute }) {
    state.backgroundMute = backgroundMute;
    state.hidden = hidden;
    const at = now();
    serial(() => engine.setHidden(hidden, at));  // shown again: the core asks for a key frame
    cancel(stillTimer);
    if (hidden && state.still) stillTimer = every(STILL_INTERVAL_MS, pushStill);
  },
  [In.snapshot]({ id }) {
    serial(async () => {
      const r = engine ? engine.snapshot() : { ok: false, error: 'not started' };
      if (!r.ok) return post({ type: Out.snapshot, id, ok: false, error: r.error });
      const surface = new OffscreenCanvas(r.width, r.height);
      surface.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(r.data.buffer), r.width, r.height), 0, 0);
      const blob = await surface.convertToBlob({ type: 'image/png' });
      post({ type: Out.snapshot, id, ok: true, blob, width: r.width, height: r.height });
    });
  },
};

// Everything waits for `init` (the module loads asynchronously); messages keep their order.
let initialized = Promise.resolve();
self.onmessage = (event) => {
  const message = event.data;
  if (message && message.type === In.init && message.checkMessages) startChecking();
  In.verify(message);
  const handler = handlers[message && message.type];
  if (!handler) return;
  const run = () => handler(message);
  const done = message.type === In.init ? (initialized = initialized.then(run)) : initialized.then(run);
  // A failed init is start()'s failure (the page says it with -1307 and an error event), not a stray error.
  done.catch((err) => post(message.type === In.init ? { type: Out.ready, ok: false, error: errorText(err) } : { type: Out.error, errCode: 0, errMsg: errorText(err) }));
};
reportViolations((errMsg) => post({ type: Out.error, errCode: 0, errMsg }));
