// The browser's own video encoder (WebCodecs VideoEncoder) as the pusher's external encoder: I420 from
// the engine in, chunks (and the decoder config record when the encoder gives one and it changes) back to
// the engine. H.264 constrained baseline as AVCC; with the video-codec attribute AV1, VP9 or HEVC (hvcC
// form), which the engine muxes as Enhanced RTMP (wasm/core/push/coded_video.h makes the av1C / vpcC
// the browser does not give). Realtime latency mode, key frames on the engine's request and every
// `gopFrames` frames.
//
// Where it stands in the encoder ladder (pusher_worker.js): a hardware start is tried first; when the
// browser has no hardware H.264 encoder the pusher raises 1103 and uses OpenH264 in wasm; when wasm
// cannot keep up at the size the bitrate asks for, it switches here with hardwareAcceleration
// 'prefer-software' (the browser's native software encoder) and raises 1107.
import { withDeadline, DEADLINES } from './deadline.js';

// Constrained baseline; the level must allow the picture size and rate (H.264 Table A-1).
function avcCodecString(width, height, fps) {
  const macroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  const rate = macroblocks * fps;
  const level = rate <= 40500 && macroblocks <= 1620 ? 0x1f       // 3.1: 720p30
    : rate <= 108000 && macroblocks <= 3600 ? 0x20                // 3.2
      : rate <= 245760 && macroblocks <= 8192 ? 0x28 : 0x33;      // 4.0 / 5.1
  return `avc1.42e0${level.toString(16).padStart(2, '0')}`;
}

// The lowest of four steps that takes the picture (about 360p, 480p, 720p, 1080p at 30 fps), as each
// codec names its levels: AV1 seq_level_idx 2.1 / 3.0 / 3.1 / 4.0 (AV1 Annex A), VP9 level 2.1 / 3.0 /
// 3.1 / 4.0, HEVC Main level 3.0 / 3.1 / 4.0 / 4.1 (level_idc = 30 * level).
const LEVELS = { av1: ['01', '04', '05', '08'], vp9: ['21', '30', '31', '40'], hevc: ['90', '93', '120', '123'] };
function levelStep(width, height) {
  const samples = width * height;
  return samples <= 640 * 360 ? 0 : samples <= 854 * 480 ? 1 : samples <= 1280 * 720 ? 2 : 3;
}

/** The WebCodecs codec string for `videoCodec` ('h264' | 'av1' | 'vp9' | 'hevc') at this size and rate. */
export function codecString(videoCodec, width, height, fps) {
  const step = levelStep(width, height);
  switch (videoCodec) {
    case 'av1': return `av01.0.${LEVELS.av1[step]}M.08`;
    case 'vp9': return `vp09.00.${LEVELS.vp9[step]}.08`;
    case 'hevc': return `hvc1.1.6.L${LEVELS.hevc[step]}.B0`;
    default: return avcCodecString(width, height, fps);
  }
}

export function webCodecsAvailable() {
  return typeof VideoEncoder === 'function' && typeof VideoFrame === 'function';
}

export function encoderConfig({ width, height, kbps, fps, hardware, videoCodec = 'h264' }) {
  const config = {
    codec: codecString(videoCodec, width, height, fps),
    width, height,
    bitrate: kbps * 1000,
    framerate: fps,
    bitrateMode: 'variable',
    latencyMode: 'realtime',
    hardwareAcceleration: hardware ? 'prefer-hardware' : 'prefer-software',
  };
  if (videoCodec === 'h264') config.avc = { format: 'avc' };
  if (videoCodec === 'hevc') config.hevc = { format: 'hevc' };  // length-prefixed NAL units and an hvcC
  return config;
}

// Whether the browser can encode this; false (not a throw) when it cannot or does not answer in time.
export async function webCodecsSupports(config) {
  if (!webCodecsAvailable()) return false;
  try {
    const { supported } = await withDeadline(VideoEncoder.isConfigSupported(config), DEADLINES.encoderCheck, 'VideoEncoder.isConfigSupported');
    return !!supported;
  } catch {
    return false;
  }
}

export class WebCodecsVideo {
  /**
   * @param {{hardware: boolean, videoCodec?: string, onChunk: (avcc: Uint8Array, key: boolean, timestampMs: number,
   *          config: Uint8Array | null) => void, onError: (error: Error) => void}} options
   */
  constructor(options) {
    this.options = options;
    this.videoCodec = options.videoCodec || 'h264';
    this.encoder = null;
    this.config = null;
    this.description = null;
    this.frames = 0;
    this.lastKeyMs = 0;
  }

  get name() {
    return `webcodecs ${this.options.hardware ? 'hardware' : 'software'} ${this.videoCodec}`;
  }

  get queueSize() {
    return this.encoder ? this.encoder.encodeQueueSize : 0;
  }

  // (Re)configures for a size, bitrate and rate. A new size or rate starts a new stream (key frame).
  configure({ width, height, kbps, fps }) {
    const config = encoderConfig({ width, height, kbps, fps, hardware: this.options.hardware, videoCodec: this.videoCodec });
    const same = this.config && this.config.width === width && this.config.height === height &&
      this.config.framerate === fps;
    if (same && this.config.bitrate === config.bitrate) return;
    if (!this.encoder || this.encoder.state === 'closed') {
      this.encoder = new VideoEncoder({
        output: (chunk, metadata) => this.output(chunk, metadata),
        error: (e) => this.options.onError(e),
      });
    }
    this.encoder.configure(config);
    if (!same) this.frames = 0;
    this.config = config;
  }

  output(chunk, metadata) {
    let config = null;
    const description = metadata && metadata.decoderConfig && metadata.decoderConfig.description;
    if (description) {
      const bytes = new Uint8Array(description instanceof ArrayBuffer ? description : description.buffer.slice(
        description.byteOffset, description.byteOffset + description.byteLength));
      if (!this.description || !sameBytes(bytes, this.description)) {
        this.description = bytes;
        config = bytes;
      }
    }
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    this.options.onChunk(data, chunk.type === 'key', chunk.timestamp / 1000, config);
  }

  /**
   * @param {Uint8Array} i420 tightly packed @param {number} timestampMs @param {boolean} key
   * @param {number} gopFrames the key frame interval in frames at the configured rate
   * Key frames go by time, not by count: an encoder that takes fewer frames than the rate (skipped
   * while it is behind: WebKitGTK's took 3 of 23 a second) would otherwise space them 10-20 s apart,
   * and a player that joins waits that long for its first picture.
   */
  encode(i420, width, height, timestampMs, key, gopFrames) {
    const frame = new VideoFrame(i420, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: Math.round(timestampMs * 1000) });
    const gopMs = (gopFrames * 1000) / (this.config.framerate || 30);
    const keyFrame = key || this.frames === 0 || timestampMs - this.lastKeyMs >= gopMs - 1;
    this.encoder.encode(frame, { keyFrame });
    frame.close();
    if (keyFrame) this.lastKeyMs = timestampMs;
    this.frames += 1;
  }

  close() {
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    this.encoder = null;
  }
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
