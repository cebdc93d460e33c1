// The player's audio decoder: WebCodecs AudioDecoder where the browser takes the codec (AAC, Opus),
// FFmpeg in wasm (wasm/media/audio_decoder.h) otherwise or when forced (configure({audioDecoder:
// 'wasm'})). Audio is decoded as soon as it arrives: decoded PCM is what the session's jitter buffer
// holds (PlaySession::push_audio). The wasm decoder's PCM goes to the session without leaving wasm
// memory (pushAudioAt); WebCodecs' AudioData is copied once, plane by plane, into the session. Where an
// engine cannot copy AudioData out without crashing (engine_quirks.js), audio is always decoded in wasm.
import { WEBCODECS_AUDIO_COPY_CRASHES } from './engine_quirks.js';
import { withDeadline, DEADLINES } from './deadline.js';

export class AudioDecodePath {
  /**
   * @param {{core: object, session: object, prefer: string, now: () => number,
   *          onState: (code: number, message: string) => void}} o
   */
  constructor(o) {
    this.o = o;
    this.config = null;
    this.kind = null;
    this.webcodecs = null;
    this.wasm = null;
    this.forcedWasm = o.prefer === 'wasm' || WEBCODECS_AUDIO_COPY_CRASHES;
  }

  get name() {
    return this.kind || 'none';
  }

  async configure(config) {
    this.config = config;
    if (!this.forcedWasm && typeof AudioDecoder !== 'undefined') {
      const wc = { codec: config.codec, sampleRate: config.sampleRate, numberOfChannels: config.channels };
      if (config.description && config.description.length) wc.description = config.description;
      let supported = false;
      try {
        supported = (await withDeadline(AudioDecoder.isConfigSupported(wc), DEADLINES.decoderCheck, 'AudioDecoder.isConfigSupported')).supported;
      } catch {
        supported = false;
      }
      if (supported) {
        this.useWebCodecs(wc);
        return;
      }
    }
    this.useWasm();
  }

  useWebCodecs(wc) {
    this.closeWebCodecs();
    const decoder = new AudioDecoder({
      output: (data) => {
        try {
          if (this.webcodecs === decoder) this.deliver(data);
        } finally {
          data.close();
        }
      },
      error: (err) => {
        if (this.webcodecs !== decoder) return;
        this.webcodecs = null;
        this.o.session.reportDecodeError('audio', this.o.now(), `WebCodecs AudioDecoder failed: ${err.message}`);
        this.forcedWasm = true;
        this.useWasm();
      },
    });
    decoder.configure(wc);
    this.webcodecs = decoder;
    this.kind = 'webcodecs';
  }

  deliver(data) {
    const frames = data.numberOfFrames;
    const channels = data.numberOfChannels;
    const pcm = this.o.session.pcmBuffer(frames * channels);
    for (let c = 0; c < channels; c++) {
      data.copyTo(pcm.subarray(c * frames, (c + 1) * frames), { planeIndex: c, format: 'f32-planar' });
    }
    this.o.session.pushAudio(data.timestamp, frames, channels, data.sampleRate);
  }

  useWasm() {
    this.closeWebCodecs();
    if (!this.wasm) this.wasm = new this.o.core.WasmAudioDecoder();
    const c = this.config;
    const r = this.wasm.configure({ decoder: c.decoder, description: c.description, sampleRate: c.sampleRate, channels: c.channels });
    this.kind = 'wasm';
    if (!r.ok) this.o.session.reportDecodeError('audio', this.o.now(), `audio decoder: ${r.error}`);
  }

  /** @param {{ptr: number, size: number, data: Uint8Array, ptsUs: number}} p */
  decode(p) {
    if (!this.config) return;
    if (this.kind === 'webcodecs') {
      try {
        this.webcodecs.decode(new EncodedAudioChunk({ type: 'key', timestamp: p.ptsUs, data: p.data }));
      } catch (err) {
        this.o.session.reportDecodeError('audio', this.o.now(), `WebCodecs AudioDecoder refused a packet: ${err.message}`);
      }
      return;
    }
    // A packet straight from the session lies in wasm memory (ptr); a parked copy is a Uint8Array.
    const r = p.ptr !== undefined ? this.wasm.decodeAt(p.ptr, p.size, p.ptsUs) : this.wasm.decode(p.data, p.ptsUs);
    if (!r.ok) {
      this.o.session.reportDecodeError('audio', this.o.now(), r.error);
      return;
    }
    if (r.frames > 0) this.o.session.pushAudioAt(r.pcmPtr, r.ptsUs, r.frames, r.channels, r.sampleRate);
  }

  closeWebCodecs() {
    const d = this.webcodecs;
    this.webcodecs = null;
    if (d && d.state !== 'closed') d.close();
  }

  close() {
    this.closeWebCodecs();
    if (this.wasm) this.wasm.delete();
    this.wasm = null;
  }
}
