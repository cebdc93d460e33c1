// The player on the page: the worker, the canvas it draws on, the sound worklet, the page's visibility,
// fullscreen and picture-in-picture. It is headless (an EventTarget); <live-player>
// (web/live_player_element.js) wraps one and re-dispatches its events on the element. The media work and
// every policy decision happen in the worker's wasm PlaySession.
//
// Events (CustomEvent, docs/api.md): `statechange` {code, message}, `netstatus` {info},
// `fullscreenchange` {direction, fullScreen}, `audiovolumenotify` {volume}, `error` {errMsg, errCode}.
import { currentConfig } from './config.js';
import { PlayerCodeNames } from './codes.js';
import { normalizePlayerAttributes } from './player_attributes.js';
import { sharedAudio } from './player_audio.js';
import { WorkerMailbox } from './worker_mailbox.js';
import { AttributeProblems } from './attribute_problems.js';
import { PagePictures, replaceCanvas } from './page_pictures.js';
import { VideoTrackSurface, offerVideoTrack, settleVideoTrackOffer } from './video_track_surface.js';
import { withDeadline, DEADLINES } from '../worker/deadline.js';
import { watchViolations } from './csp_violations.js';
import { ToPlayerWorker as ToWorker, FromPlayerWorker as FromWorker } from '../worker/player_messages.js';
import { ToPlaybackWorklet } from '../worker/worklet_messages.js';
import { RING_CHANNELS, RING_SECONDS, ringBytes } from '../worker/audio_ring.js';

// Attributes the worker takes while playing, without a restart.
const WORKER_ATTRIBUTES = ['mode', 'minCache', 'maxCache', 'objectFit', 'orientation'];

export class LivePlayer extends EventTarget {
  /** @param {Record<string, unknown>} attributes camelCase keys (see player_attributes.js) */
  constructor(attributes = {}) {
    super();
    this.raw = { ...attributes };
    this.attrs = normalizePlayerAttributes(this.raw).attrs;
    this.problems = new AttributeProblems((message) => this.emitError(0, message));  // attribute_problems.js
    this.videoCanvas = null;
    this.pagePictures = null;  // page_pictures.js, when the page draws (the worker's renderer is 'page')
    this.videoTrack = null;    // video_track_surface.js, when the worker writes to a <video>'s track
    this.onCanvasReplaced = null;  // (canvas) => void: the element follows a canvas the page had to replace
    this.worker = null;
    this.mailbox = null;     // messages for the worker, held until its init (worker_mailbox.js)
    this.ready = null;
    this.playing = false;
    this.paused = false;
    this.hidden = false;
    this.audioContext = null;
    this.audioNode = null;   // the AudioWorkletNode the sound comes out of (before the mute gain)
    this.gain = null;
    this.snapshots = new Map();
    this.nextSnapshot = 1;
    this.trackList = [];          // Enhanced RTMP Multitrack: the stream's tracks (the worker's 'tracks')
    this.trackRequests = new Map();
    this.nextTrackRequest = 1;
    this.pip = null;
    this.onVisibility = () => this.visibilityChanged();
    this.onPageHide = () => { if (this.attrs.autoPauseIfNavigate && this.playing) this.pause(); };
    this.onPageShow = () => { if (this.attrs.autoPauseIfNavigate && this.paused) this.resume(); };
  }

  /** The element gives its canvas; a headless player makes one (not in the document) on first play. */
  attachCanvas(canvas) {
    if (this.worker) throw new Error('the canvas is given to the worker on the first play()');
    this.videoCanvas = canvas;
  }

  set(attributes) {
    Object.assign(this.raw, attributes);
    const { attrs, problems } = normalizePlayerAttributes(this.raw);
    this.attrs = attrs;
    // Told when playback starts (the page has its listeners by then), or at once while it runs.
    if (this.playing) this.problems.report(problems);
    if (this.worker) {
      const pick = {};
      for (const k of WORKER_ATTRIBUTES) pick[k] = attrs[k];
      this.post({ type: ToWorker.set, attrs: pick });
    }
    if (this.pagePictures) this.pagePictures.setStyle(this.style());
    if (this.videoTrack) this.videoTrack.setStyle(this.style());
    this.applyGain();
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
  emitState(code, message) {
    this.emit('statechange', { code, message: message || PlayerCodeNames[code] || '' });
  }
  emitError(errCode, errMsg) {
    this.emit('error', { errCode, errMsg });
  }

  /** A message for the worker: held until its `init` has gone out (worker_mailbox.js). */
  post(m) {
    this.mailbox.post(m);
  }

  style() {
    return { fit: this.attrs.objectFit, orientation: this.attrs.orientation };
  }

  // One worker per player, however many play() calls overlap: a <live-player> in the page's markup calls
  // play() from connectedCallback and again from attributeChangedCallback while the first still waits for
  // the page's audio, and each made a worker of its own (three workers, none playing, no code at all).
  startWorker() {
    if (!this.ready) this.ready = this.launchWorker();
    return this.ready;
  }

  async launchWorker() {
    if (!this.videoCanvas) {
      this.videoCanvas = document.createElement('canvas');
      this.videoCanvas.width = 300;
      this.videoCanvas.height = 225;
    }
    // Written out in place: bundlers (Vite, webpack 5) bundle a worker only from this literal pattern.
    const worker = new Worker(new URL('../worker/player_worker.js', import.meta.url), { type: 'module', name: 'livewasm-player' });
    this.worker = worker;
    this.mailbox = new WorkerMailbox(worker, ToWorker);
    if (!this.unwatchViolations) this.unwatchViolations = watchViolations((text) => this.emitError(0, text));
    worker.onmessage = (e) => this.fromWorker(e.data);
    worker.onerror = (e) => this.emitError(0, `player worker: ${e.message}`);
    const audio = await this.openAudio();
    const config = currentConfig();
    const attrs = { ...this.attrs };
    const decoders = { video: attrs.videoDecoder || config.videoDecoder, audio: attrs.audioDecoder || config.audioDecoder };
    // The worker says which renderer the core chose (wasm/core/play/renderer_choice.h) in its 'ready': a
    // worker renderer gets the canvas, transferred; 'video' a <video>'s track in its place; 'page' keeps
    // it here.
    const ready = withDeadline(new Promise((resolve, reject) => {
      this.onReady = (m) => {
        this.settleTrackOffer();
        if (m.renderer === 'page') this.drawOnPage(false);
        else if (m.renderer === 'video') this.showVideoTrack();
        else {
          const offscreen = this.videoCanvas.transferControlToOffscreen();
          this.mailbox.post({ type: ToWorker.canvas, canvas: offscreen }, [offscreen]);
        }
        resolve();
      };
      this.onFailed = reject;
    }), DEADLINES.workerStart, 'the player worker');
    const transfer = audio.port ? [audio.port] : [];
    const renderer = typeof this.videoCanvas.transferControlToOffscreen === 'function' ? config.renderer : 'page';
    this.settleTrackOffer();
    const videoTrack = offerVideoTrack(this.videoCanvas);
    this.trackOffered = videoTrack;
    this.mailbox.open({ type: ToWorker.init, wasmBase: config.wasmBase, attrs, audio, decoders, renderer, videoTrack }, transfer);
    this.observeSize();
    return ready;
  }

  // The page's one AudioContext (shared by every player: player_audio.js), a worklet node per player,
  // then a gain for mute. Without Web Audio the worker keeps time with the wall clock.
  async openAudio() {
    const shared = await sharedAudio();
    if (!shared) return { sampleRate: 48000, channels: 2, running: false };
    const { context } = shared;
    const node = new AudioWorkletNode(context, 'livewasm-pcm-playback', { numberOfInputs: 0, outputChannelCount: [2] });
    const gain = context.createGain();
    node.connect(gain).connect(context.destination);
    this.audioContext = context;
    this.audioNode = node;
    this.gain = gain;
    this.applyGain();
    const device = { sampleRate: context.sampleRate, channels: RING_CHANNELS, running: context.state === 'running', latencyMs: latencyMs(context) };
    if (globalThis.crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined') {
      const capacity = context.sampleRate * RING_SECONDS;  // layout: worker/audio_ring.js
      const sab = new SharedArrayBuffer(ringBytes(capacity, RING_CHANNELS));
      node.port.postMessage(ToPlaybackWorklet.verify({ type: ToPlaybackWorklet.ring, sab, capacity, channels: RING_CHANNELS }));
      device.ring = { sab };
    } else {
      const channel = new MessageChannel();
      node.port.postMessage(ToPlaybackWorklet.verify({ type: ToPlaybackWorklet.port, port: channel.port1 }), [channel.port1]);
      device.port = channel.port2;
    }
    this.onAudioState = () => this.worker && this.post({ type: ToWorker.audio, running: context.state === 'running', latencyMs: latencyMs(context) });
    context.addEventListener('statechange', this.onAudioState);
    if (context.state !== 'running') context.resume().catch(() => {});
    return device;
  }

  // A <video> takes the canvas's place and the worker writes to its track. Where the page cannot make
  // one after all, the worker is given nothing to write to: it says 2106 and the page draws.
  showVideoTrack() {
    let writable = null;
    try {
      this.videoTrack = new VideoTrackSurface(this.videoCanvas, this.style());
      writable = this.videoTrack.writable;
    } catch (err) {
      if (this.videoTrack) this.videoTrack.close();
      this.videoTrack = null;
      console.warn(`livewasm: no video track (${err && err.message}); the page draws`);
    }
    this.mailbox.post({ type: ToWorker.track, writable }, writable ? [writable] : []);
  }

  // Gives back the place offerVideoTrack() held for this player (the worker chose, or the player ends).
  settleTrackOffer() {
    if (this.trackOffered) settleVideoTrackOffer();
    this.trackOffered = false;
  }

  /** What shows the pictures: the <canvas>, or the <video> of the 'video' renderer. */
  get surface() {
    return this.videoTrack ? this.videoTrack.video : this.videoCanvas;
  }

  // The page draws the pictures the worker hands over (worker/page_picture_sink.js). `newCanvas`: the
  // canvas went to the worker (or a <video> took its place) before its renderer failed, so a fresh one
  // takes the place of what showed the pictures.
  drawOnPage(newCanvas) {
    if (this.pagePictures) return;
    if (newCanvas || this.videoTrack) {
      const shown = this.surface;
      if (this.videoTrack) this.videoTrack.close();
      this.videoTrack = null;
      this.videoCanvas = replaceCanvas(shown);
      if (this.resizer) this.resizer.observe(this.videoCanvas);
      if (this.onCanvasReplaced) this.onCanvasReplaced(this.videoCanvas);
    }
    this.pagePictures = new PagePictures(this.videoCanvas, this.style());
    this.sizeCanvas();
  }

  // The canvas's pixels follow its size on the page (device pixels): drawn here or in the worker.
  sizeCanvas() {
    const dpr = globalThis.devicePixelRatio || 1;
    const width = Math.round(this.videoCanvas.clientWidth * dpr);
    const height = Math.round(this.videoCanvas.clientHeight * dpr);
    if (!width || !height) return;
    if (this.pagePictures) this.pagePictures.resize(width, height);
    else if (this.worker) this.post({ type: ToWorker.resize, width, height });
  }

  // Muted, or hidden with background-mute: nothing is heard.
  get silent() {
    return !!(this.attrs.muted || (this.hidden && this.attrs.backgroundMute));
  }

  applyGain() {
    if (!this.gain) return;
    this.gain.gain.value = this.silent ? 0 : 1;
  }

  observeSize() {
    if (typeof ResizeObserver === 'undefined' || !this.videoCanvas.isConnected) return;
    this.resizer = new ResizeObserver(() => this.sizeCanvas());
    this.resizer.observe(this.videoCanvas);
  }

  fromWorker(m) {
    switch (FromWorker.verify(m).type) {
      case FromWorker.ready: this.onReady(m); break;
      case FromWorker.renderer:
        if (m.name === 'page') this.drawOnPage(!!m.newCanvas);
        break;
      case FromWorker.picture:
        if (this.pagePictures) this.pagePictures.draw(m.frame);
        else m.frame.close();
        this.post({ type: ToWorker.pictureTaken });  // the worker sends no more than two ahead of this
        break;
      case FromWorker.state: this.emitState(m.code, m.message); if (m.code === -2301) this.playing = false; break;
      case FromWorker.netstatus: this.emit('netstatus', { info: m.info }); break;
      // The loudness heard: 0 while muted (the stream's own level goes on in netstatus audioBitrate).
      case FromWorker.volume: this.emit('audiovolumenotify', { volume: this.silent ? 0 : m.volume }); break;
      case FromWorker.error:
        this.emitError(m.errCode, m.errMsg);
        if (this.onFailed) this.onFailed(new Error(m.errMsg));
        break;
      // The stream's tracks changed: `trackchange` (detail {tracks, events}); an event of type 'gone' says
      // why the playing track changed without being chosen.
      case FromWorker.tracks:
        this.trackList = m.tracks;
        this.emit('trackchange', { tracks: m.tracks, events: m.events });
        break;
      case FromWorker.trackSelected: {
        const pending = this.trackRequests.get(m.id);
        this.trackRequests.delete(m.id);
        if (!pending) break;
        if (m.ok) pending.resolve();
        else pending.reject(new Error(m.error));
        break;
      }
      case FromWorker.snapshot: {
        const pending = this.snapshots.get(m.id);
        this.snapshots.delete(m.id);
        if (!pending) break;
        if (m.ok) pending.resolve({ tempImagePath: URL.createObjectURL(m.blob), width: m.width, height: m.height });
        else pending.reject(new Error(m.error));
        break;
      }
      default: break;
    }
  }

  async play() {
    const { attrs, problems } = normalizePlayerAttributes(this.raw);
    this.attrs = attrs;
    this.problems.report(problems);
    if (!attrs.src) throw new Error('no src');
    this.trackList = [];
    try {
      await this.startWorker();
    } catch (err) {
      // The worker or its module did not start (a page policy refused them, a file missing): the
      // error event said why; the code says the play ended.
      this.emitState(-2301, `the player did not start: ${String(err && err.message || err).split('\n')[0]}`);
      throw err;
    }
    if (this.audioContext && this.audioContext.state !== 'running') this.audioContext.resume().catch(() => {});
    this.post({ type: ToWorker.play, url: attrs.src, gateway: attrs.gateway || currentConfig().gateway });
    if (!this.playing) {
      document.addEventListener('visibilitychange', this.onVisibility);
      addEventListener('pagehide', this.onPageHide);
      addEventListener('pageshow', this.onPageShow);
    }
    this.playing = true;
    this.paused = false;
    if (document.visibilityState === 'hidden') this.visibilityChanged();
  }

  async stop() {
    if (!this.worker) return;
    this.post({ type: ToWorker.stop });
    this.playing = false;
    this.paused = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    removeEventListener('pagehide', this.onPageHide);
    removeEventListener('pageshow', this.onPageShow);
  }

  async pause() {
    if (!this.playing) throw new Error('not playing');
    this.paused = true;
    this.post({ type: ToWorker.pause });
  }

  async resume() {
    if (!this.playing) throw new Error('not playing');
    this.paused = false;
    this.post({ type: ToWorker.resume });
  }

  async mute(muted = true) {
    this.set({ muted });
  }

  visibilityChanged() {
    this.hidden = document.visibilityState === 'hidden';
    if (this.worker) this.post({ type: ToWorker.hidden, hidden: this.hidden });
    this.applyGain();
  }

  async snapshot() {
    if (!this.worker) throw new Error('not playing');
    if (this.pagePictures) {
      const { canvas } = this.pagePictures;
      const blob = await this.pagePictures.snapshot();
      return { tempImagePath: URL.createObjectURL(blob), width: canvas.width, height: canvas.height };
    }
    const id = this.nextSnapshot++;
    const result = new Promise((resolve, reject) => this.snapshots.set(id, { resolve, reject }));
    this.post({ type: ToWorker.snapshot, id });
    return result;
  }

  /** The stream's tracks as last reported (Enhanced RTMP Multitrack; a plain stream: track 0 of each kind). */
  getTracks() {
    return this.trackList.map((t) => ({ ...t }));
  }

  /**
   * Plays track `id` of `kind`: video from that track's next key frame (the old one plays until then),
   * audio from its next packet; `trackchange` says when. Rejects when the stream has no such track.
   * @param {{kind: 'video'|'audio', id: number}} choice
   */
  async selectTrack(choice) {
    const { kind, id } = choice || {};
    if (kind !== 'video' && kind !== 'audio') throw new Error(`kind must be 'video' or 'audio', not ${JSON.stringify(kind)}`);
    if (!Number.isInteger(id) || id < 0 || id > 255) throw new Error(`id must be a track id 0-255, not ${JSON.stringify(id)}`);
    if (!this.worker || !this.playing) throw new Error('not playing');
    const request = this.nextTrackRequest++;
    const result = new Promise((resolve, reject) => this.trackRequests.set(request, { resolve, reject }));
    this.post({ type: ToWorker.selectTrack, id: request, kind, track: id });
    await result;
  }

  /** @param {HTMLElement} element what goes fullscreen @param {number} direction 0, 90 or -90 */
  async requestFullScreen(element, direction = 0) {
    const target = element || this.surface;
    await target.requestFullscreen();
    if (direction && screen.orientation && screen.orientation.lock) {
      await screen.orientation.lock(direction === 0 ? 'portrait' : 'landscape').catch(() => {});
    }
    const done = () => {
      const fullScreen = !!document.fullscreenElement;
      this.emit('fullscreenchange', { direction: fullScreen ? direction : 0, fullScreen });
      if (!fullScreen) document.removeEventListener('fullscreenchange', done);
    };
    document.addEventListener('fullscreenchange', done);
    this.emit('fullscreenchange', { direction, fullScreen: true });
  }

  async exitFullScreen() {
    if (!document.fullscreenElement) throw new Error('not in full screen');
    await document.exitFullscreen();
  }

  // Picture-in-picture needs a <video>: the 'video' renderer's own, else one showing the canvas's
  // stream (what the worker draws).
  async requestPictureInPicture() {
    if (!this.videoCanvas || !document.pictureInPictureEnabled) throw new Error('picture-in-picture is not available');
    if (this.videoTrack) {
      await this.videoTrack.video.requestPictureInPicture();
      return;
    }
    if (!this.pip) {
      this.pip = document.createElement('video');
      this.pip.muted = true;
      this.pip.srcObject = this.videoCanvas.captureStream();
      await this.pip.play();
    }
    await this.pip.requestPictureInPicture();
  }

  async exitPictureInPicture() {
    if (!document.pictureInPictureElement) throw new Error('not in picture-in-picture');
    await document.exitPictureInPicture();
  }

  /** Ends the player for good (the element was removed): the worker and the audio node go. */
  destroy() {
    this.stop();
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.mailbox = null;
    this.ready = null;
    if (this.resizer) this.resizer.disconnect();
    if (this.pagePictures) this.pagePictures.close();
    this.pagePictures = null;
    if (this.videoTrack) this.videoTrack.close();
    this.videoTrack = null;
    this.settleTrackOffer();
    if (this.audioNode) this.audioNode.disconnect();
    if (this.audioContext && this.onAudioState) this.audioContext.removeEventListener('statechange', this.onAudioState);
    if (this.unwatchViolations) this.unwatchViolations();
    this.unwatchViolations = null;
  }
}

function latencyMs(context) {
  return ((context.outputLatency || 0) + (context.baseLatency || 0)) * 1000;
}
