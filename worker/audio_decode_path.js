// The player's audio decoder: WebCodecs AudioDecoder where the browser takes the codec (AAC, Opus, MP3,
// FLAC, G.711 'alaw'/'ulaw', 'pcm-s16'/'pcm-u8' in Chromium; 'ac-3' / 'ec-3' where the platform has them),
// wasm otherwise or when forced (configure({audioDecoder: 'wasm'})): FFmpeg's AAC and Opus
// (wasm/codecs/audio_decoder.h) and the core's G.711 and PCM (wasm/core/codec/raw_audio.h) in the player's
// module; FFmpeg's MP3 in livewasm_player_mp3 and its FLAC, AC-3 and E-AC-3 in livewasm_player_flac_ac3,
// which o.loadDecoderCore(decoder) loads on first use (packets wait in the session meanwhile). FLAC's
// description ("fLaC" + STREAMINFO, from the core) goes to both paths. Audio is decoded
// as soon as it arrives: decoded PCM is what the session's jitter buffer holds (PlaySession::push_audio).
// The player's own wasm decoder's PCM goes to the session without leaving wasm memory (pushAudioAt);
// another module's PCM and WebCodecs' AudioData are copied once into the session. Where an engine cannot
// copy AudioData out without crashing (engine_quirks.js), audio is always decoded in wasm.
import { WEBCODECS_AUDIO_COPY_CRASHES } from './engine_quirks.js';
import { withDeadline, DEADLINES } from './deadline.js';

export class AudioDecodePath {
  /**
   * @param {{core: object, session: object, prefer: string, now: () => number,
   *          loadDecoderCore?: (decoder: string) => Promise<object>,
   *          onState: (code: number, message: string) => void}} o
   */
  constructor(o) {
    this.o = o;
    this.config = null;
    this.kind = null;
    this.webcodecs = null;
    this.wasm = null;
    this.wasmCore = null;  // the module this.wasm lives in
    const info = o.core.decoderInfo();
    this.ownDecoders = new Set([...info.decoders, ...(info.coreDecoders || [])]);
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
    await this.useWasm();
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
        // The session decides (wasm/core/play/decoder_fallback.h: audio goes to wasm at once) and says 2102.
        if (this.o.session.reportBrowserDecoderFailure('audio', this.o.now(), false, `WebCodecs AudioDecoder failed: ${err.message}`) === 'retry') {
          this.useWebCodecs(wc);
          return;
        }
        this.forcedWasm = true;
        this.useWasm().catch((e) => this.o.session?.reportDecodeError('audio', this.o.now(), `audio decoder: ${e.message}`));
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

  async useWasm() {
    this.closeWebCodecs();
    this.kind = 'wasm';
    const c = this.config;
    let core = this.o.core;
    if (!this.ownDecoders.has(c.decoder) && this.o.loadDecoderCore) {
      try {
        core = await this.o.loadDecoderCore(c.decoder);
      } catch (err) {
        core = null;
        if (this.config === c) this.o.session.reportDecodeError('audio', this.o.now(), `audio decoder: the ${c.decoder} module did not load: ${err.message}`);
      }
      if (this.config !== c || this.kind !== 'wasm') return;  // configured again meanwhile
    }
    if (this.wasm && this.wasmCore !== core) this.closeWasm();
    if (!core) return;
    if (!this.wasm) {
      this.wasm = new core.WasmAudioDecoder();
      this.wasmCore = core;
    }
    const r = this.wasm.configure({ decoder: c.decoder, description: c.description, sampleRate: c.sampleRate, channels: c.channels });
    if (!r.ok) {
      // Said once: without a decoder the packets are dropped (decode), not each reported again.
      this.o.session.reportDecodeError('audio', this.o.now(), `audio decoder: ${r.error}`);
      this.closeWasm();
    }
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
    if (!this.wasm) return;  // its module did not load, or its decoder refused the configuration (said once)
    // A packet straight from the session lies in the player's wasm memory (ptr); a parked copy is a
    // Uint8Array, and another module's decoder copies the bytes in (decode).
    const own = this.wasmCore === this.o.core;
    const r = own && p.ptr !== undefined ? this.wasm.decodeAt(p.ptr, p.size, p.ptsUs) : this.wasm.decode(p.data, p.ptsUs);
    if (!r.ok) {
      this.o.session.reportDecodeError('audio', this.o.now(), r.error);
      return;
    }
    if (r.frames <= 0) return;
    if (own) {
      this.o.session.pushAudioAt(r.pcmPtr, r.ptsUs, r.frames, r.channels, r.sampleRate);
    } else {
      this.o.session.pcmBuffer(r.frames * r.channels).set(r.pcm);
      this.o.session.pushAudio(r.ptsUs, r.frames, r.channels, r.sampleRate);
    }
  }

  /** The decoder module's heap when it is not the player's own (netstatus wasmHeapBytes). */
  get extraHeapBytes() {
    return this.wasmCore && this.wasmCore !== this.o.core ? this.wasmCore.HEAPU8.length : 0;
  }

  closeWasm() {
    if (this.wasm) this.wasm.delete();
    this.wasm = null;
    this.wasmCore = null;
  }

  closeWebCodecs() {
    const d = this.webcodecs;
    this.webcodecs = null;
    if (d && d.state !== 'closed') d.close();
  }

  close() {
    this.closeWebCodecs();
    this.closeWasm();
  }
}
