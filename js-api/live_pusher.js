// The pusher on the page: devices, the worker, the microphone worklet and the page's visibility. It is
// headless (an EventTarget); <live-pusher> (web/live_pusher_element.js) wraps one and re-dispatches its
// events on the element. The media work and every policy decision happen in the worker's wasm engine.
//
// Events (CustomEvent, docs/api.md "Events", "netstatus", "Codes"): `statechange` {code, message}, `netstatus` {info},
// `error` {errMsg, errCode}, and `preview` {stream} for whoever shows the camera.
import { currentConfig } from './config.js';
import { PusherCodeNames, ErrorCodes } from './codes.js';
import { normalizePusherAttributes, cameraConstraints, pushUrlProblem } from './pusher_attributes.js';
import { WorkerMailbox } from './worker_mailbox.js';
import { AttributeProblems } from './attribute_problems.js';
import { withDeadline, DEADLINES } from '../worker/deadline.js';
import { watchViolations } from './csp_violations.js';
import { ToPusherWorker as ToWorker, FromPusherWorker as FromWorker } from '../worker/pusher_messages.js';
import { ToCaptureWorklet } from '../worker/worklet_messages.js';

const WORKLET_URL = new URL('../web/pcm_capture_worklet.js', import.meta.url);
const AUDIO_BLOCK_MS = 10;

export class LivePusher extends EventTarget {
  /** @param {Record<string, unknown>} attributes camelCase keys (see pusher_attributes.js) */
  constructor(attributes = {}) {
    super();
    this.raw = { ...attributes };
    this.attrs = normalizePusherAttributes(this.raw).attrs;
    this.problems = new AttributeProblems((message) => this.emitError(0, message));  // attribute_problems.js
    this.worker = null;
    this.mailbox = null;     // messages for the worker, held until its init (worker_mailbox.js)
    this.videoStream = null;
    this.audioStream = null;
    this.audio = null;       // {context, node, source}
    this.running = false;
    this.paused = false;
    this.snapshots = new Map();
    this.nextSnapshot = 1;
    this.onVisibility = () => this.visibilityChanged();
  }

  /** Updates attributes; beauty, whiteness and muted apply at once to a running push. */
  set(attributes) {
    Object.assign(this.raw, attributes);
    const { attrs, problems } = normalizePusherAttributes(this.raw);
    this.attrs = attrs;
    // Told when playback starts (the page has its listeners by then), or at once while it runs.
    if (this.running) this.problems.report(problems);
    if (this.mailbox) this.mailbox.post({ type: ToWorker.set, beauty: attrs.beauty, whiteness: attrs.whiteness, muted: attrs.muted });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
  emitState(code, message) {
    this.emit('statechange', { code, message: message || PusherCodeNames[code] || '' });
  }
  emitError(errCode, errMsg) {
    this.emit('error', { errCode, errMsg });
  }

  async start() {
    if (this.running) return;
    const { attrs, problems } = normalizePusherAttributes(this.raw);
    this.attrs = attrs;
    this.problems.report(problems);
    if (!attrs.url) {
      // A URL the page can judge by itself fails here, before the camera opens (the error event above
      // said why); what only the server can judge keeps its codes (3002, -1307, ...).
      if (this.raw.url) throw new Error(`url ${JSON.stringify(String(this.raw.url))} ${pushUrlProblem(String(this.raw.url).trim()) || 'is not a push URL'}`);
      throw new Error('no url');
    }
    this.running = true;
    this.unwatchViolations = watchViolations((text) => this.emitError(0, text));
    try {
      await this.openDevices();
      await this.startWorker().catch((err) => {
        // The worker or its module did not start (a page policy refused them, a file missing).
        this.emitError(0, `pusher worker: ${err.message}`);
        this.emitState(-1307, `the push did not start: ${String(err.message).split('\n')[0]}`);
        throw err;
      });
    } catch (err) {
      this.release();
      this.running = false;
      throw err;
    }
    document.addEventListener('visibilitychange', this.onVisibility);
    if (document.visibilityState === 'hidden') this.visibilityChanged();
  }

  // Camera then microphone, asked separately so a denial names the right device (-1301 / -1302).
  async openDevices() {
    const attrs = this.attrs;
    if (attrs.enableCamera) {
      try {
        this.videoStream = await withDeadline(navigator.mediaDevices.getUserMedia({ video: cameraConstraints(attrs) }),
          DEADLINES.permissionPrompt, 'the camera (getUserMedia)');
      } catch (err) {
        this.emitState(-1301, `camera: ${err.name}: ${err.message}`);
        this.emitError(ErrorCodes.CAMERA_DENIED, `camera: ${err.name}: ${err.message}`);
        throw new Error(`camera: ${err.name}`);
      }
      await this.applyCameraOptions(this.videoStream.getVideoTracks()[0]);
      const s = this.videoStream.getVideoTracks()[0].getSettings();
      this.emitState(1003, `camera opened: ${s.width}x${s.height} at ${s.frameRate} fps`);
      this.emit('preview', { stream: this.videoStream });
    }
    try {
      this.audioStream = await withDeadline(navigator.mediaDevices.getUserMedia({
        audio: { channelCount: { ideal: attrs.audioQuality === 'high' ? 2 : 1 }, echoCancellation: attrs.audioQuality !== 'high',
          noiseSuppression: attrs.audioQuality !== 'high', autoGainControl: attrs.audioQuality !== 'high' },
      }), DEADLINES.permissionPrompt, 'the microphone (getUserMedia)');
    } catch (err) {
      this.emitState(-1302, `microphone: ${err.name}: ${err.message}`);
      this.emitError(ErrorCodes.MIC_DENIED, `microphone: ${err.name}: ${err.message}`);
      throw new Error(`microphone: ${err.name}`);
    }
  }

  // zoom and auto-focus where the track offers them (many desktop cameras offer neither).
  async applyCameraOptions(track) {
    const caps = typeof track.getCapabilities === 'function' ? track.getCapabilities() : {};
    const advanced = {};
    if (caps.focusMode && caps.focusMode.length) {
      const wanted = this.attrs.autoFocus ? 'continuous' : 'manual';
      if (caps.focusMode.includes(wanted)) advanced.focusMode = wanted;
    }
    if (caps.zoom && this.attrs.zoom) advanced.zoom = Math.min(caps.zoom.max, Math.max(caps.zoom.min, 2));
    if (Object.keys(advanced).length) await track.applyConstraints({ advanced: [advanced] }).catch(() => {});
  }

  async startWorker() {
    // Written out in place: bundlers (Vite, webpack 5) bundle a worker only from this literal pattern.
    const worker = new Worker(new URL('../worker/pusher_worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.mailbox = new WorkerMailbox(worker, ToWorker);
    const ready = new Promise((resolve, reject) => {
      worker.onerror = (event) => reject(new Error(`pusher worker failed to load: ${event.message || 'unknown error'}`));
      worker.onmessage = (event) => {
        if (FromWorker.verify(event.data).type === FromWorker.ready) {
          if (event.data.ok) resolve(event.data);
          else reject(new Error(event.data.error));
        } else {
          this.onWorkerMessage(event.data);
        }
      };
    });
    const audioFormat = await this.openAudio().catch((err) => this.withoutSound(err));
    const videoTrack = this.videoStream && this.videoStream.getVideoTracks()[0];
    // The attributes as they are now (a `set` posted while the audio opened waits and repeats them).
    this.mailbox.open({
      type: ToWorker.init, wasmBase: currentConfig().wasmBase, videoEncoder: currentConfig().videoEncoder, attrs: this.attrs, audio: audioFormat,
      cameraFps: videoTrack ? videoTrack.getSettings().frameRate || 30 : 30,
    });
    const info = await withDeadline(ready, DEADLINES.workerStart, 'the pusher worker');
    worker.onmessage = (event) => this.onWorkerMessage(event.data);
    // From now on an error the worker throws is the page's to see (before, it went to the settled start).
    worker.onerror = (event) => this.emitError(0, `pusher worker: ${event.message || 'unknown error'}`);
    this.encoders = info;
    if (videoTrack) this.sendVideo(videoTrack);
    if (this.audio) {
      const channel = new MessageChannel();
      this.audio.node.port.postMessage(ToCaptureWorklet.verify({ type: ToCaptureWorklet.port, port: channel.port1 }), [channel.port1]);
      this.mailbox.post({ type: ToWorker.audio, port: channel.port2 }, [channel.port2]);
    }
    const { attrs } = this;
    if (attrs.waitingImage) this.loadWaitingImage();
    this.mailbox.post({ type: ToWorker.start, url: attrs.url, gateway: attrs.gateway || currentConfig().gateway });
  }

  // Microphone PCM through an AudioWorklet; its port goes straight to the worker.
  async openAudio() {
    const track = this.audioStream && this.audioStream.getAudioTracks()[0];
    if (!track) return null;
    const settings = track.getSettings();
    const context = new AudioContext(settings.sampleRate ? { sampleRate: settings.sampleRate } : {});
    this.audio = { context, node: null, source: null };  // closed by release() or withoutSound()
    await withDeadline(context.audioWorklet.addModule(WORKLET_URL), DEADLINES.audioStart, 'the capture worklet');
    const channels = Math.min(2, settings.channelCount || 1);
    const node = new AudioWorkletNode(context, 'lw-pcm-capture', {
      numberOfInputs: 1, numberOfOutputs: 1, channelCount: channels, channelCountMode: 'explicit',
      processorOptions: { channels, blockFrames: Math.round(context.sampleRate * AUDIO_BLOCK_MS / 1000) },
    });
    const source = context.createMediaStreamSource(this.audioStream);
    const silence = context.createGain();
    silence.gain.value = 0;  // the graph must reach the destination to be pulled; nothing is heard
    source.connect(node).connect(silence).connect(context.destination);
    // An engine with no sound device may never start the context (Firefox: resume() never settles).
    if (context.state !== 'running') await withDeadline(context.resume(), DEADLINES.audioStart, 'the audio context (resume)');
    if (context.state !== 'running') throw new Error(`the audio context is ${context.state}`);
    this.audio = { context, node, source };
    return { sampleRate: context.sampleRate, channels };
  }

  // The microphone opened but its sound cannot be captured (the audio context did not start): the push
  // goes on with video alone, and -1302 says why.
  withoutSound(err) {
    if (this.audio) this.audio.context.close().catch(() => {});
    this.audio = null;
    if (this.audioStream) for (const t of this.audioStream.getTracks()) t.stop();
    this.audioStream = null;
    this.emitState(-1302, `microphone: ${err.message}; pushing video without sound`);
    return null;
  }

  // Frames go to the worker as transferred VideoFrames: the track processor's stream where the browser
  // has MediaStreamTrackProcessor, else frames grabbed from a <video> as it presents them.
  sendVideo(track) {
    if (typeof MediaStreamTrackProcessor === 'function') {
      const processor = new MediaStreamTrackProcessor({ track });
      this.mailbox.post({ type: ToWorker.video, readable: processor.readable }, [processor.readable]);
      return;
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => {});
    const grab = () => {
      if (track.readyState === 'ended' || !this.worker) return;
      if (video.readyState >= 2) {
        const frame = new VideoFrame(video, { timestamp: performance.now() * 1000 });
        this.mailbox.post({ type: ToWorker.frame, frame }, [frame]);
      }
      video.requestVideoFrameCallback(grab);
    };
    video.requestVideoFrameCallback(grab);
  }

  async loadWaitingImage() {
    try {
      const response = await fetch(this.attrs.waitingImage);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = await response.arrayBuffer();
      if (this.mailbox) this.mailbox.post({ type: ToWorker.waitingImage, bytes, hash: this.attrs.waitingImageHash }, [bytes]);
    } catch (err) {
      this.emitError(ErrorCodes.WAITING_IMAGE_INVALID, `waiting-image ${this.attrs.waitingImage}: ${err.message}`);
    }
  }

  onWorkerMessage(message) {
    switch (FromWorker.verify(message).type) {
      case FromWorker.state:
        this.emitState(message.code, message.message);
        if (message.code === -1307) this.release();
        break;
      case FromWorker.netstatus:
        this.emit('netstatus', { info: message.info });
        break;
      case FromWorker.error:
        this.emitError(message.errCode, message.errMsg);
        break;
      case FromWorker.encoder:
        this.encoders = { ...this.encoders, videoEncoder: message.video };
        break;
      case FromWorker.snapshot: {
        const pending = this.snapshots.get(message.id);
        this.snapshots.delete(message.id);
        if (pending) pending(message);
        break;
      }
      case FromWorker.stopped:
        this.release();
        break;
      default:
        break;
    }
  }

  visibilityChanged() {
    // Not held like the other messages: start() looks at the visibility itself once the worker has its
    // init, and a held `hidden` would be a second 5000.
    if (!this.mailbox || !this.mailbox.opened) return;
    const hidden = document.visibilityState === 'hidden';
    if (hidden) this.emitState(5000, 'the page was hidden');
    this.mailbox.post({ type: ToWorker.hidden, hidden, backgroundMute: this.attrs.backgroundMute });
  }

  async stop() {
    if (!this.running) return;
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise((resolve) => {
        worker.addEventListener('message', (e) => { if (e.data.type === FromWorker.stopped) resolve(); });
        setTimeout(resolve, 1000);
      });
      this.mailbox.post({ type: ToWorker.stop });
      await stopped;
    }
    this.release();
  }

  // Devices, audio graph and worker; idempotent.
  release() {
    document.removeEventListener('visibilitychange', this.onVisibility);
    for (const stream of [this.videoStream, this.audioStream]) if (stream) for (const t of stream.getTracks()) t.stop();
    this.videoStream = null;
    this.audioStream = null;
    if (this.audio) this.audio.context.close().catch(() => {});
    this.audio = null;
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.mailbox = null;
    this.running = false;
    this.paused = false;
    if (this.unwatchViolations) this.unwatchViolations();
    this.unwatchViolations = null;
  }

  // Pause keeps the connection (the worker repeats the last picture) and releases the devices.
  async pause() {
    if (!this.running) throw new Error('not pushing');
    if (this.paused) return;
    this.paused = true;
    this.mailbox.post({ type: ToWorker.pause });
    for (const stream of [this.videoStream, this.audioStream]) if (stream) for (const t of stream.getTracks()) t.stop();
  }

  async resume() {
    if (!this.running) throw new Error('not pushing');
    if (!this.paused) return;
    await this.reopenDevices();
    this.paused = false;
    this.mailbox.post({ type: ToWorker.resume });
  }

  async reopenDevices() {
    const attrs = this.attrs;
    if (attrs.enableCamera) {
      this.videoStream = await navigator.mediaDevices.getUserMedia({ video: cameraConstraints(attrs) });
      this.emit('preview', { stream: this.videoStream });
      this.sendVideo(this.videoStream.getVideoTracks()[0]);
    }
    if (this.audio) {
      this.audioStream = await navigator.mediaDevices.getUserMedia({ audio: true });
      this.audio.source.disconnect();
      this.audio.source = this.audio.context.createMediaStreamSource(this.audioStream);
      this.audio.source.connect(this.audio.node);
    }
  }

  async switchCamera() {
    if (!this.attrs.enableCamera) throw new Error('the camera is disabled');
    this.raw.devicePosition = this.attrs.devicePosition === 'front' ? 'back' : 'front';
    this.attrs = normalizePusherAttributes(this.raw).attrs;
    if (!this.running || this.paused) return { devicePosition: this.attrs.devicePosition };
    const old = this.videoStream;
    this.videoStream = await navigator.mediaDevices.getUserMedia({ video: cameraConstraints(this.attrs) });
    if (old) for (const t of old.getTracks()) t.stop();
    this.emit('preview', { stream: this.videoStream });
    this.sendVideo(this.videoStream.getVideoTracks()[0]);
    return { devicePosition: this.attrs.devicePosition };
  }

  // The picture being pushed (after beauty/whiteness) from the worker; before the push has a picture,
  // the camera's current frame.
  async snapshot() {
    if (this.worker) {
      const id = this.nextSnapshot++;
      const result = await new Promise((resolve) => {
        this.snapshots.set(id, resolve);
        this.mailbox.post({ type: ToWorker.snapshot, id });
      });
      if (result.ok) return { tempImagePath: URL.createObjectURL(result.blob), width: result.width, height: result.height };
    }
    const track = this.videoStream && this.videoStream.getVideoTracks()[0];
    if (!track || typeof ImageCapture !== 'function') throw new Error('no picture to snapshot');
    const bitmap = await new ImageCapture(track).grabFrame();
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return { tempImagePath: URL.createObjectURL(blob), width: bitmap.width, height: bitmap.height };
  }
}
