// The pusher's video encoder ladder: which H.264 encoder turns the engine's pictures into frames.
// 'auto' (the default) asks the browser for a hardware VideoEncoder first; without one it raises 1103
// and OpenH264 in wasm (inside the engine) encodes. Whether wasm keeps up is the core's verdict
// (wasm/core/push/push_session.h, engine.wasmFrameEncoded): this file times each wasm encode and, on
// 'switch', hands over to the browser's software encoder (webcodecs_encoder.js) and tells the core,
// which raises 1107; with videoEncoder pinned to wasm the core says 1101 once per slow spell and the
// encoder stays. A browser encoder that errors falls back to wasm with 1103.
// Every picture goes to the one encoder in use: a stream must not mix two encoders' parameter sets.
import { WebCodecsH264, encoderConfig, webCodecsSupports } from './webcodecs_encoder.js';

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
    this.preference = 'auto';
    this.switching = false;
  }

  get name() {
    return this.external ? this.external.name : this.engine.videoEncoderName();
  }

  async choose(preference) {
    this.preference = preference;
    this.engine.setEncoder(preference, false);
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

  // The core judges whether wasm keeps up from each camera frame's encode time (the waiting image does not count).
  encodeInWasm(described, ts, camera) {
    const started = performance.now();
    const r = this.engine.pushVideo(described, ts);
    if (!r.ok) this.onError(r.error);
    const verdict = this.engine.wasmFrameEncoded(ts, camera, !!r.written, performance.now() - started, this.now());
    if (verdict === 'switch' && !this.switching) this.switchToBrowser();
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
        this.engine.setEncoder(this.preference, false);
        this.onState(1103, `${external.name} failed (${err.message}): OpenH264 in wasm encodes`);
        this.engine.requestKeyFrame();
        this.onEncoder(this.name);
      }),
    });
    this.external = external;
    this.engine.setEncoder(this.preference, true);
    this.engine.requestKeyFrame();
    this.onEncoder(external.name);
  }

  async switchToBrowser() {
    this.switching = true;
    try {
      const t = this.engine.target();
      if (!(await webCodecsSupports(encoderConfig({ ...t, hardware: false })))) return;
      this.serial(() => {
        if (this.external) return;
        this.useBrowser(false);
        this.engine.encoderSwitched();  // 1107, with the core's reason
        this.flush();
      });
    } finally {
      this.switching = false;
    }
  }
}
