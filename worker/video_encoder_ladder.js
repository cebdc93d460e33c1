// The pusher's video encoder ladder: which H.264 encoder turns the engine's pictures into frames.
// 'auto' (the default) asks the browser for a hardware VideoEncoder first; without one it raises 1103
// and OpenH264 in wasm (inside the engine) encodes. Whether wasm keeps up is the core's verdict
// (wasm/core/push/push_session.h, engine.wasmFrameEncoded): this file times each wasm encode and, on
// 'switch', hands over to the browser's software encoder (webcodecs_encoder.js) and tells the core,
// which raises 1107; with videoEncoder pinned to wasm the core says 1101 once per slow spell and the
// encoder stays. A browser encoder that errors falls back to wasm with 1103.
// Every picture goes to the one encoder in use: a stream must not mix two encoders' parameter sets.
// The video-codec attribute's AV1, VP9 or HEVC come from the browser's encoder only (hardware first, then
// software), muxed as Enhanced RTMP by the engine; where the browser encodes none at the start size (or
// video-encoder pins wasm), the core falls back to H.264 before the push begins and the page hears it
// once (onCodecFallback: the error event 10005); so it does when that encoder fails before its first frame
// went out. One that fails later raises -1303: the stream cannot change codec on the way.
import { WebCodecsVideo, encoderConfig, webCodecsSupports } from './webcodecs_encoder.js';
import { WEBCODECS_AV1_ENCODE_CRASHES } from './engine_quirks.js';

const MAX_EXTERNAL_QUEUE = 2;  // frames waiting in the browser's encoder before we skip (realtime)

export class VideoEncoderLadder {
  /**
   * @param {{engine: object, cameraRate: number, now: () => number, serial: (fn: Function) => void,
   *          flush: () => void, onState: (code: number, message: string) => void,
   *          onError: (message: string) => void, onEncoder: (name: string) => void,
   *          onCodecFallback: (message: string) => void}} options
   */
  constructor(options) {
    Object.assign(this, options);
    this.external = null;  // null: OpenH264 in the engine
    this.preference = 'auto';
    this.switching = false;
    this.videoCodec = 'h264';
    this.failed = false;   // an AV1/VP9/HEVC encoder failed: nothing encodes any more (-1303 said so)
  }

  get name() {
    return this.external ? this.external.name : this.engine.videoEncoderName();
  }

  async choose(preference) {
    this.preference = preference;
    this.videoCodec = this.engine.videoCodec();
    this.engine.setEncoder(preference, false);
    const t = this.engine.target();
    if (!t.width) return;
    if (this.videoCodec !== 'h264' && await this.chooseCodec(preference, t)) return;
    if (preference === 'wasm') return;
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

  // AV1, VP9 or HEVC from the browser's encoder (hardware, else software); false after the fallback to H.264.
  async chooseCodec(preference, t) {
    const codec = this.videoCodec;
    let why = 'video-encoder=wasm encodes H.264 only';
    if (codec === 'av1' && WEBCODECS_AV1_ENCODE_CRASHES) {
      why = 'this engine\'s AV1 encoder takes the page down on its first frame (WebKit: worker/engine_quirks.js)';
    } else if (preference !== 'wasm') {
      for (const hardware of [true, false]) {
        if (await webCodecsSupports(encoderConfig({ ...t, hardware, videoCodec: codec }))) {
          this.useBrowser(hardware);
          return true;
        }
      }
      why = `the browser has no ${codec.toUpperCase()} encoder for ${t.width}x${t.height} (VideoEncoder.isConfigSupported ${encoderConfig({ ...t, hardware: false, videoCodec: codec }).codec}: false)`;
    }
    const r = this.engine.fallBackToH264();
    if (!r.ok) throw new Error(`video-codec ${codec}: ${r.error}`);
    this.videoCodec = 'h264';
    this.onCodecFallback(`video-codec ${codec}: ${why}; pushing H.264 instead`);
    return false;
  }

  // `camera`: a camera frame (the keep-up measure counts only those, not the waiting image).
  encode(described, ts, camera = false) {
    if (this.failed) return;
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
    const external = new WebCodecsVideo({
      hardware,
      videoCodec: this.videoCodec,
      onChunk: (avcc, key, ts, config) => this.serial(() => {
        const r = this.engine.pushEncodedVideo(avcc, key, ts, config);
        if (!r.ok) this.onError(r.error);
        this.flush();
      }),
      onError: (err) => this.serial(() => {
        if (this.external !== external) return;
        external.close();
        this.external = null;
        if (this.videoCodec !== 'h264') {
          // Before its first frame went out the stream can still be H.264 (WebKitGTK 2.50.6 says yes to
          // hvc1 with prefer-hardware and then fails the first frame: 'Encoding failed'); after, OpenH264
          // cannot continue an AV1/VP9/HEVC stream.
          const codec = this.videoCodec;
          if (!this.engine.fallBackToH264().ok) {
            this.failed = true;
            this.onState(-1303, `${external.name} failed (${err.message}): the ${codec} stream has no other encoder`);
            return;
          }
          this.videoCodec = 'h264';
          this.engine.setEncoder(this.preference, false);
          this.onCodecFallback(`video-codec ${codec}: ${external.name} failed before its first frame (${err.message}); pushing H.264 (${this.engine.videoEncoderName()}) instead`);
          this.engine.requestKeyFrame();
          this.onEncoder(this.name);
          return;
        }
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
