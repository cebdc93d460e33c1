// The player worker: a thin shell around the wasm PlaySession (wasm/core/play/play_session.h). It owns the
// module, the source (play_source.js), the decoders (video_decode_path.js, audio_decode_path.js), the
// renderer (WebGL2 or 2D on the page's transferred OffscreenCanvas, or pictures handed to the page: the
// core's chooseRenderer picks from what this engine offers, wasm/core/play/renderer_choice.h), the link to the
// sound worklet, a 10 ms tick and the display's refresh (pictures are presented there: see presentLoop).
// Every decision about buffering, catch-up, A/V sync, drops and codes is the session's. Messages:
// player_messages.js (checked while the page's init says checkMessages: message_contract.js).
import { loadCore, useThreads } from './load_core.js';
import { PlaySource } from './play_source.js';
import { VideoDecodePath } from './video_decode_path.js';
import { AudioDecodePath } from './audio_decode_path.js';
import { WebGl2Renderer } from './webgl2_renderer.js';
import { Canvas2dRenderer } from './canvas2d_renderer.js';
import { VideoTrackRenderer } from './video_track_renderer.js';
import { PagePictureSink } from './page_picture_sink.js';
import { errorText, reportViolations } from './error_text.js';
import { WORKER_2D_CANVAS_STALLS_WHEN_READ } from './engine_quirks.js';
import { AudioOutput } from './audio_output.js';
import { ToPlayerWorker as In, FromPlayerWorker as Out } from './player_messages.js';
import { startChecking } from './message_contract.js';
import { WASM_FILES, DECODER_MODULES, THREADED_DECODERS } from './player_modules.js';

const TICK_MS = 10;
const NETSTATUS_MS = 1000;
const VOLUME_MS = 200;
// The tick presents pictures itself only while the display's refresh has not come for this long (a hidden
// or throttled page, or a browser without requestAnimationFrame in workers).
const REFRESH_LOST_MS = 100;
const MAX_PICTURES = 5;  // decoded pictures waiting for their time (texture slots: MAX_PICTURES + 1)

const now = () => performance.now();
const post = (message, transfer) => self.postMessage(Out.verify(message), transfer || []);
const postState = (code, message) => post({ type: Out.state, code, message });

let core = null;
const decoderCores = {};    // decoder -> Promise of its module (livewasm_player_hevc, _mp3), once a stream needed it
let session = null;
let source = null;
let renderer = null;        // webgl2_renderer.js surface; null until the page gave its canvas (or chose 'page')
let rendering = null;       // the core's input: {webgl2, canvas2d, preference, failed: [names]}
let canvasSize = null;      // the element's size in device pixels (a resize may come before the canvas)
let output = null;
let video = null;
let audio = null;
let settings = null;        // init message: attrs, decoders
let pictures = [];          // decoded, waiting: {ptsUs, slot} | {ptsUs, frame}
let parked = { audio: null, video: null };  // a packet waiting for its decoder's new configuration
const configs = { audio: new Map(), video: new Map() };  // generation -> TrackConfig
let ticker = 0;
let refresh = 0;            // requestAnimationFrame id of presentLoop, while playing
let lastRefresh = -Infinity;
let lastNetstatus = 0;
let lastVolume = 0;
let hidden = false;
// Time to first picture by stage (ms since play()), reported in netstatus as `startup`.
let startup = null;
const mark = (stage) => { if (startup && !(stage in startup)) startup[stage] = Math.round(now() - startup.at); };

async function init(m) {
  settings = m;
  core = await loadCore(WASM_FILES, m.wasmBase);
  output = new AudioOutput(m.audio);
  rendering = { ...detectRenderers(), video: m.videoTrack === true, preference: m.renderer || 'auto', failed: [] };
  const choice = core.chooseRenderer(rendering);
  if (choice === 'page') useRenderer(new PagePictureSink(post));
  post({ type: Out.ready, simd: core.simd === true, renderer: choice });
}

// What this engine's workers can draw with, found on throwaway canvases (a canvas keeps the first kind
// of context it gives, so the page's own is not spent on the probe). A 2D renderer draws VideoFrames.
// WebGL2 rasterised on the CPU names itself in its renderer string.
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;
function detectRenderers() {
  const probe = (type) => {
    try {
      return typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1).getContext(type);
    } catch {
      return null;
    }
  };
  const gl = probe('webgl2');
  let webgl2Software = false;
  if (gl) {
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    webgl2Software = SOFTWARE_GL.test(String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)));
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();  // give the context back now, not at garbage collection
  }
  const canvas2d = !WORKER_2D_CANVAS_STALLS_WHEN_READ && typeof VideoFrame !== 'undefined' && !!probe('2d');
  return { webgl2: !!gl, webgl2Software, canvas2d };
}

// The page's canvas (transferred after 'ready' said a worker renderer): the chosen renderer on it, the
// next one if it fails to start.
function takeCanvas({ canvas }) {
  for (;;) {
    const choice = core.chooseRenderer(rendering);
    try {
      if (choice === 'webgl2') useRenderer(new WebGl2Renderer(canvas, MAX_PICTURES + 2, rendererFailed));
      else if (choice === '2d') useRenderer(new Canvas2dRenderer(canvas));
      else switchToPage(`no renderer started on the player canvas (${rendering.failed.join(', ')})`);
      return;
    } catch (err) {
      rendering.failed.push(choice);
      postState(2106, `renderer ${choice} did not start (${err.message}); trying the next`);
    }
  }
}

// The writable of the page's video track (after 'ready' said 'video'). The page keeps its canvas, so a
// track that does not start goes straight to the page's drawing.
function takeTrack({ writable }) {
  try {
    useRenderer(new VideoTrackRenderer(writable, rendererFailed));
  } catch (err) {
    rendering.failed.push('video');
    postState(2106, `renderer video did not start (${err.message}); the page draws the pictures`);
    switchToPage(err.message);
  }
}

function useRenderer(r) {
  if (renderer) renderer.close();
  renderer = r;
  renderer.setStyle({ fit: settings.attrs.objectFit, orientation: settings.attrs.orientation });
  if (canvasSize) renderer.resize(canvasSize.width, canvasSize.height);
  post({ type: Out.renderer, name: r.name });
}

// The page draws from now on; its canvas was given to this worker, so it makes a fresh one.
function switchToPage(reason) {
  useRenderer(new PagePictureSink(post));
  post({ type: Out.renderer, name: 'page', newCanvas: true, reason });
}

// A renderer failed while playing (an exception while drawing, a lost WebGL context): 2106, the
// pictures it holds are dropped (counted), and the page draws from now on: the canvas has a context of
// the failed kind, so no other worker renderer can start on it (`rendering` says so for the core).
function rendererFailed(reason) {
  if (!renderer || renderer.name === 'page') return;
  const failed = renderer.name;
  rendering.failed.push(failed);
  dropPictures();
  if (video) video.restart();
  rendering = { ...rendering, webgl2: false, canvas2d: false };  // this canvas holds a context already
  postState(2106, `renderer ${failed} failed (${reason}); the page draws the pictures`);
  switchToPage(reason);
}

// The module of a wasm decoder the player's module leaves out (VideoDecodePath, AudioDecodePath), or of one
// it has that the threads build takes where threads run (THREADED_DECODERS: H.264), loaded once per codec (a
// stream that turns from H.264 to HEVC loads the threads build a second time).
function loadDecoderCore(decoder) {
  const files = DECODER_MODULES[decoder] ?? THREADED_DECODERS[decoder];
  if (!files) return Promise.reject(new Error(`no module decodes ${decoder}`));
  // A failed load is tried again on the next stream, except the threads build's (threadsOnly): that one fails
  // the same way again, up to its 10 s start bound while packets wait, so the player's own decoder keeps it.
  if (!decoderCores[decoder]) {
    decoderCores[decoder] = loadCore(files, settings.wasmBase).catch((err) => {
      if (!files.threadsOnly) delete decoderCores[decoder];
      throw err;
    });
  }
  return decoderCores[decoder];
}

function sessionConfig(attrs) {
  return { mode: attrs.mode, minCacheMs: attrs.minCache * 1000, maxCacheMs: attrs.maxCache * 1000,
    outputRate: output.rate, outputChannels: output.channels, expectHeader: true };
}

function play({ url, gateway }) {
  stop();
  startup = { at: now() };
  session = new core.PlaySession(sessionConfig(settings.attrs));
  video = new VideoDecodePath({
    core, session, now, loadDecoderCore, renderer: () => renderer, prefer: settings.decoders.video,
    threaded: new Set(useThreads() ? Object.keys(THREADED_DECODERS) : []),
    onPicture: (p) => { mark('decoded'); pictures.push(p); },
    onDropped: (pts) => session && session.frameDropped(pts),
    onDecodeError: (reason) => session && session.reportDecodeError('video', now(), reason),
  });
  audio = new AudioDecodePath({ core, session, loadDecoderCore, prefer: settings.decoders.audio, now, onState: postState });
  output.reset();
  source = new PlaySource({
    url, gateway, core, now,
    onState: (code, message) => {
      if (code === 2001) mark('connected');
      postState(code, message);
      if (code === 2006 || code === -2301) session.endOfInput(now());
    },
    onData: feed,
    onConnection: () => session.restartInput(now()),
    onDrop: (info) => session.noteSourceDrop(now(), info),
  });
  source.start();
  if (hidden) session.setVideoEnabled(false, now());
  ticker = setInterval(tick, TICK_MS);
  if (self.requestAnimationFrame) refresh = self.requestAnimationFrame(presentLoop);
}

function feed(chunk) {
  mark('firstByte');
  const n = chunk.byteLength;
  session.inputBuffer(n).set(chunk);
  session.feed(n, now());
  events();
}

function events() {
  for (const n of session.takeNotices()) {
    if (n.code === 2003) mark('keyFrame');
    if (n.code === 2004) mark('shown');
    postState(n.code, n.message);
  }
  for (const c of session.takeTrackConfigs()) configs[c.kind].set(c.generation, c);
  const trackEvents = session.takeTrackEvents();
  if (trackEvents.length) post({ type: Out.tracks, tracks: session.tracks(), events: trackEvents });
}

// The page chose a track (LivePlayerContext.selectTrack): the core says whether the stream has it.
function selectTrack(m) {
  if (!session) {
    post({ type: Out.trackSelected, id: m.id, ok: false, error: 'not playing' });
    return;
  }
  const r = session.selectTrack(m.kind, m.track);
  post({ type: Out.trackSelected, id: m.id, ok: r.ok, error: r.ok ? undefined : r.error });
  events();
}

// A packet of a generation its decoder is not configured for: copy it, configure, then decode it.
function needsConfig(kind, path, p) {
  if (path.config && path.config.generation === p.generation) return false;
  const config = configs[kind].get(p.generation);
  if (!config) return false;
  parked[kind] = { ...p, ptr: undefined, data: p.data.slice() };
  path.configure(config).then(() => {
    const q = parked[kind];
    parked[kind] = null;
    if (q && session) path.decode(q);
  }).catch((err) => post({ type: Out.error, errCode: 0, errMsg: `${kind} decoder: ${err.message}` }));
  return true;
}

function decodeAudio() {
  while (!parked.audio) {
    const p = session.nextAudioPacket();
    if (!p) break;
    if (needsConfig('audio', audio, p)) break;
    audio.decode(p);
  }
}

function decodeVideo(t) {
  while (!parked.video && pictures.length + video.inFlight < MAX_PICTURES) {
    const p = session.nextVideoPacket(t);
    if (!p) break;
    if (needsConfig('video', video, p)) break;
    video.decode(p);
  }
}

function release(picture) {
  if (picture.frame) picture.frame.close();
  else if (renderer) renderer.release(picture.slot);
}

function present(t) {
  while (pictures.length) {
    const head = pictures[0];
    const action = session.frameAction(head.ptsUs, t);
    if (action === 'wait') break;
    const superseded = pictures.length > 1 && session.frameAction(pictures[1].ptsUs, t) === 'show';
    // A surface that has not taken the last picture (renderer.backlogged: the page behind) gets no more:
    // the due picture waits for the next refresh, where a newer one due supersedes it.
    if (action === 'show' && !superseded && renderer.backlogged) break;
    pictures.shift();
    if (action === 'drop' || superseded) {
      release(head);
      session.frameDropped(head.ptsUs);
      continue;
    }
    try {
      if (head.frame) renderer.drawFrame(head.frame);  // the renderer owns the frame now
      else renderer.drawSlot(head.slot);
    } catch (err) {
      session.frameDropped(head.ptsUs);
      rendererFailed(errorText(err).split('\n')[0]);
      break;
    }
    session.frameShown(head.ptsUs, t, head.width || 0, head.height || 0);
    break;
  }
}

// Pictures are presented on the display's refresh: one per refresh at most, and every picture due
// before it is superseded and counted dropped. Presented from the 10 ms tick instead, two pictures can
// be drawn between two refreshes (after a late tick, or while catching up), and the first is never seen
// although it was counted shown.
function presentLoop() {
  refresh = self.requestAnimationFrame(presentLoop);
  if (!session) return;
  const t = now();
  lastRefresh = t;
  present(t);
}

function tick() {
  if (!session) return;
  const t = now();
  session.setPlayedFrames(output.played(t), t);
  decodeAudio();
  while (output.wants(t)) {
    const block = output.blockFrames;
    output.write(session.renderAudio(t, block), block);
  }
  if (!hidden && renderer) decodeVideo(t);
  if (t - lastRefresh > REFRESH_LOST_MS) present(t);
  events();
  if (t - lastVolume >= VOLUME_MS) {
    lastVolume = t;
    post({ type: Out.volume, volume: output.takeVolume() });
  }
  if (t - lastNetstatus >= NETSTATUS_MS) {
    lastNetstatus = t;
    post({ type: Out.netstatus, info: { ...session.netStats(t), videoDecoder: video.name, videoDecoderThreads: video.threads, audioDecoder: audio.name, renderer: renderer ? renderer.name : 'none', wasmHeapBytes: core.HEAPU8.length + video.extraHeapBytes + audio.extraHeapBytes, startup: { ...startup, at: undefined } } });
  }
}

function dropPictures() {
  for (const p of pictures) {
    release(p);
    if (session) session.frameDropped(p.ptsUs);
  }
  pictures = [];
}

function stop() {
  clearInterval(ticker);
  ticker = 0;
  if (refresh) self.cancelAnimationFrame(refresh);
  refresh = 0;
  lastRefresh = -Infinity;
  if (source) source.stop();
  source = null;
  dropPictures();
  if (video) video.close();
  if (audio) audio.close();
  video = audio = null;
  parked = { audio: null, video: null };
  configs.audio.clear();
  configs.video.clear();
  if (session) session.delete();
  session = null;
  if (output) output.reset();
}

function setHidden(value) {
  hidden = value;
  if (!session) return;
  session.setVideoEnabled(!hidden, now());
  if (hidden) dropPictures();
  else if (video) video.restart();
}

async function snapshot(id) {
  try {
    if (!renderer) throw new Error('nothing is drawn yet');
    const blob = await renderer.snapshot();
    post({ type: Out.snapshot, id, ok: true, blob, width: renderer.canvas.width, height: renderer.canvas.height });
  } catch (err) {
    post({ type: Out.snapshot, id, ok: false, error: String(err.message || err) });
  }
}

const handlers = {
  [In.init]: init,
  [In.canvas]: takeCanvas,
  [In.track]: takeTrack,
  [In.play]: play,
  [In.stop]: () => { stop(); post({ type: Out.stopped }); },
  [In.pause]: () => session && session.pause(now()),
  [In.resume]: () => session && session.resume(now()),
  [In.hidden]: (m) => setHidden(m.hidden),
  [In.set]: (m) => {
    Object.assign(settings.attrs, m.attrs);
    if (renderer) renderer.setStyle({ fit: settings.attrs.objectFit, orientation: settings.attrs.orientation });
    if (session) session.configure(sessionConfig(settings.attrs));
  },
  [In.resize]: (m) => {
    canvasSize = { width: m.width, height: m.height };
    if (renderer) renderer.resize(m.width, m.height);
  },
  [In.audio]: (m) => output.setDevice(m, now()),
  [In.snapshot]: (m) => snapshot(m.id),
  [In.pictureTaken]: () => renderer && renderer.taken && renderer.taken(),
  [In.selectTrack]: selectTrack,
};

reportViolations((errMsg) => post({ type: Out.error, errCode: 0, errMsg }));

let queue = Promise.resolve();
self.onmessage = (e) => {
  const m = e.data;
  if (m && m.type === In.init && m.checkMessages) startChecking();
  In.verify(m);
  const handler = handlers[m.type];
  if (!handler) return;
  queue = queue.then(() => handler(m)).catch((err) => post({ type: Out.error, errCode: 0, errMsg: errorText(err) }));
};
