// The pusher's video encoder ladder: which H.264 encoder turns the engine's pictures into frames, and
// when to change it. 'auto' (the default) asks the browser for a hardware VideoEncoder first; without one
// it raises 1103 and OpenH264 in wasm (inside the engine) encodes. If wasm cannot keep up for
// SLOW_HOLD_MS it raises 1107 and hands over to the browser's software encoder (webcodecs_encoder.js).
// A browser encoder that errors falls back to wasm with 1103. 'wasm' and 'webcodecs' pin one encoder:
// a pinned wasm encoder that cannot keep up stays (frames are skipped) and says so with 1101 once per
// slow spell, never 1107.
// Every picture goes to the one encoder in use: a stream must not mix two encoders' parameter sets.
import { WebCodecsH264, encoderConfig, webCodecsSupports } from './webcodecs_encoder.js';

const SLOW_HOLD_MS = 3000;     // wasm slower than the camera this long -> 1107
const MAX_EXTERNAL_QUEUE = 2;  // frames waiting in the browser's encoder before we skip (realtime)

export class VideoEncoderLadder {
  /**
   * @param {{engine: object, cameraRate: number, now: () => number, serial: (fn: Function) => void,
   *          flush: () => void, onState: (code: number, message: string) => void,
   *          onError: (message: string) => void, onEncoder: (name: string) => void}} options
   */
  constructor(options) {
    Object.assign(this, options);
    this.external = null;  // null: OpenH264 in the engine
    this.encodeMs = 0;     // moving average of the wasm encode time per frame
    this.slowSince = -1;
    this.arrivals = [];    // capture times (ms) of camera frames that reached the worker, last 3 s
    this.preference = 'auto';
    this.warnedSlow = false;  // 1101 said for this slow spell (pinned wasm)
  }

  get name() {
    return this.external ? this.external.name : this.engine.videoEncoderName();
  }

  async choose(preference) {
    this.preference = preference;
    const t = this.engine.target();
    if (!t.width || preference === 'wasm') return;
    if (preference === 'webcodecs') {
      if (await webCodecsSupports(encoderConfig({ ...t, hardware: false }))) this.useBrowser(false);
      else this.onError(`the browser cannot encode H.264 at ${t.width}x${t.height}: OpenH264 in wasm encodes`);
      return;
    }
    const hardware = encoderConfig({ ...t, hardware: true });
    if (await webCodecsSupports(hardware)) {
      this.useBrowser(true);
      return;
    }
    this.onState(1103, `no hardware H.264 encoder for ${t.width}x${t.height} (${hardware.codec}): OpenH264 in wasm encodes`);
  }

  // `camera`: a camera frame (the keep-up measure counts only those, not the waiting image).
  encode(described, ts, camera = false) {
    if (this.external) this.encodeExternally(described, ts);
    else this.encodeInWasm(described, ts, camera);
  }

  // The last picture again (pause keeps the push alive with it).
  repeat(ts) {
    if (!this.external) {
      this.engine.pushRepeat(ts);
      return;
    }
    const t = this.engine.target();
    const picture = this.engine.picture();
    if (picture.length === (t.width * t.height * 3) / 2) this.external.encode(picture, t.width, t.height, ts, false, t.gopFrames);
  }

  // A gap in the camera's frames (pause, hidden page) is not slowness.
  forgetPace() {
    this.arrivals.length = 0;
    this.slowSince = -1;
  }

  // Whether wasm keeps up: a frame takes longer than 90 % of the frame interval, or frames reach the
  // worker measurably slower than the camera makes them (the track processor drops what a busy worker
  // does not read) while encoding takes a large share of the interval.
  encodeInWasm(described, ts, camera) {
    const started = performance.now();
    const r = this.engine.pushVideo(described, ts);
    if (!r.ok) this.onError(r.error);
    if (!camera) return;
    const arrivals = this.arrivals;
    arrivals.push(ts);
    while (arrivals.length > 2 && arrivals[0] < ts - 3000) arrivals.shift();
    if (!r.written) return;
    const spent = performance.now() - started;
    this.encodeMs = this.encodeMs ? this.encodeMs * 0.9 + spent * 0.1 : spent;
    const t = this.engine.target();
    const interval = 1000 / t.fps;
    const span = (arrivals.at(-1) - arrivals[0]) / 1000;
    const arriving = span >= 2 ? (arrivals.length - 1) / span : t.fps;
    const expected = Math.min(t.fps, this.cameraRate);
    const behind = this.encodeMs > interval * 0.9 || (arriving < expected * 0.85 && this.encodeMs > interval * 0.6);
    if (!behind) {
      this.slowSince = -1;
      this.warnedSlow = false;
    } else if (this.slowSince < 0) {
      this.slowSince = this.now();
    } else if (this.now() - this.slowSince > SLOW_HOLD_MS) {
      this.slowSince = -1;
      const why = `OpenH264 in wasm cannot keep up: ${this.encodeMs.toFixed(1)} ms a frame at ${t.width}x${t.height}, ` +
        `${arriving.toFixed(1)} of ${expected.toFixed(0)} camera frames a second taken`;
      if (this.preference === 'wasm') {
        if (!this.warnedSlow) this.onState(1101, `${why}; videoEncoder is pinned to wasm, so it stays (frames are skipped)`);
        this.warnedSlow = true;
      } else {
        this.switchToBrowser(why);
      }
    }
  }

  encodeExternally(described, ts) {
    if (this.external.queueSize > MAX_EXTERNAL_QUEUE) return;  // realtime: skip rather than queue
    const r = this.engine.prepareVideo(described, ts);
    if (!r.ok) this.onError(r.error);
    if (!r.written) return;
    const t = this.engine.target();
    this.external.configure(t);
    this.external.encode(this.engine.picture(), t.width, t.height, ts, this.engine.takeKeyFrameRequest(), t.gopFrames);
  }

  useBrowser(hardware) {
    const external = new WebCodecsH264({
      hardware,
      onChunk: (avcc, key, ts, config) => this.serial(() => {
        const r = this.engine.pushEncodedVideo(avcc, key, ts, config);
        if (!r.ok) this.onError(r.error);
        this.flush();
      }),
      onError: (err) => this.serial(() => {
        if (this.external !== external) return;
        external.close();
        this.external = null;
        this.onState(1103, `${external.name} failed (${err.message}): OpenH264 in wasm encodes`);
        this.engine.requestKeyFrame();
        this.onEncoder(this.name);
      }),
    });
    this.external = external;
    this.engine.requestKeyFrame();
    this.onEncoder(external.name);
  }

  async switchToBrowser(why) {
    const t = this.engine.target();
    if (!(await webCodecsSupports(encoderConfig({ ...t, hardware: false })))) return;
    this.useBrowser(false);
    this.onState(1107, `${why}: switched to the browser's software H.264 encoder`);
  }
}
