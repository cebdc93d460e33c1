// The player's video decoder: the browser's WebCodecs VideoDecoder where it takes the codec, FFmpeg in
// wasm (wasm/codecs/video_decoder.h) otherwise or when forced (configure({videoDecoder: 'wasm'})).
// When a WebCodecs decoder fails (it errors on a packet, or refuses one), the session decides
// (wasm/core/play/decoder_fallback.h): a new one from the next key frame (2101), or the wasm decoder for the
// rest of the play (2106); a packet the wasm decoder cannot decode is reported to the session (2101)
// and the stream goes on from the next key frame.
//
// The wasm decoders come from the player's module (o.core: H.264) or, for a codec that module leaves out
// (HEVC: a fifth of the player's wasm, and most streams are H.264), from a decoder-only module that
// o.loadDecoderCore(decoder) loads on first use (livewasm_player_hevc; livewasm_player_av1, dav1d;
// livewasm_player_vp9, FFmpeg's VP9). Where threads run (o.threaded: the decoders the worker takes from
// the threads build livewasm_player_mt), H.264 too comes from such a module, and from o.core when that one
// does not load. The session stays in the player's module; each packet is copied
// across (a few KB per frame, HEVC, AV1 and VP9 only) and pictures are uploaded from the decoder module's
// memory. netstatus videoDecoder names the path ('webcodecs' / 'wasm'), whichever module decodes.
//
// Decoded pictures go to `onPicture({ptsUs, slot, width, height})` (wasm, for a renderer that takes planes: uploaded
// into its texture slot at once, since the decoder reuses its frame) or `onPicture({ptsUs, frame, width, height})` (a
// VideoFrame the caller closes: WebCodecs' own, or a wasm picture copied into one for the renderers that
// draw VideoFrames, i420_frame.js).
import { i420Frame } from './i420_frame.js';
import { withDeadline, DEADLINES } from './deadline.js';

// The VideoDecoderConfig for a track: its avcC / hvcC / av1C as `description`; none for VP9 (the WebCodecs
// VP9 registration takes none, and the vpcC says nothing the key frame does not).
function webCodecsConfig(config) {
  const wc = { codec: config.codec, optimizeForLatency: true };
  if (!config.codec.startsWith('vp09')) wc.description = config.description;
  return wc;
}

export class VideoDecodePath {
  /**
   * @param {{core: object, session: object, now: () => number, loadDecoderCore?: (decoder: string) => Promise<object>,
   *          threaded?: Set<string>,
   *          renderer: () => import('./webgl2_renderer.js').WebGl2Renderer, prefer: string,
   *          onPicture: (p: object) => void, onDropped: (ptsUs: number) => void,
   *          onDecodeError: (reason: string) => void}} o
   */
  constructor(o) {
    this.o = o;
    this.config = null;
    this.kind = null;       // 'webcodecs' | 'wasm'
    this.webcodecs = null;
    this.wasm = null;
    this.wasmCore = null;   // the module this.wasm lives in
    this.loading = 0;       // module loads under way (packets meanwhile are dropped)
    this.ownDecoders = new Set(o.core.decoderInfo().decoders);
    this.needKey = true;
    this.pending = 0;       // WebCodecs: packets given, pictures not yet out
    this.unforgiven = false;  // WebCodecs failed since its last picture (the session is told of the next one)
    this.forcedWasm = o.prefer === 'wasm';
  }

  get name() {
    return this.kind || 'none';
  }

  async configure(config) {
    this.config = config;
    this.needKey = true;
    if (!this.forcedWasm && typeof VideoDecoder !== 'undefined' && config.decoder !== '') {
      const wc = webCodecsConfig(config);
      let supported = false;
      try {
        supported = (await withDeadline(VideoDecoder.isConfigSupported(wc), DEADLINES.decoderCheck, 'VideoDecoder.isConfigSupported')).supported;
      } catch {
        supported = false;
      }
      if (this.config !== config) return;  // closed, or configured again, while the browser answered
      if (supported) {
        this.useWebCodecs(wc);
        return;
      }
      if (this.o.prefer === 'webcodecs') this.o.session.reportBrowserDecoderUnavailable('video', config.codec);
    }
    await this.useWasm();
  }

  useWebCodecs(wc) {
    this.closeWebCodecs();
    const decoder = new VideoDecoder({
      output: (frame) => {
        this.pending = Math.max(0, this.pending - 1);
        if (this.webcodecs !== decoder) { frame.close(); return; }
        if (this.unforgiven) {
          this.unforgiven = false;
          this.o.session.browserDecoderOutput('video');
        }
        this.o.onPicture({ ptsUs: frame.timestamp, frame, width: frame.displayWidth, height: frame.displayHeight });
      },
      error: (err) => {
        if (this.webcodecs !== decoder) return;
        this.webcodecs = null;
        this.failed(wc, `WebCodecs VideoDecoder: ${err.message}`);
      },
    });
    decoder.configure(wc);
    this.webcodecs = decoder;
    this.kind = 'webcodecs';
    this.pending = 0;
  }

  async useWasm() {
    this.closeWebCodecs();
    this.kind = 'wasm';
    this.needKey = true;
    const config = this.config;
    let core = this.o.core;
    const load = this.o.loadDecoderCore;
    const own = this.ownDecoders.has(config.decoder);
    // A decoder of the player's own module goes to the threads build where the worker says threads run
    // (o.threaded: H.264 in livewasm_player_mt), and stays here when that build does not load.
    if (load && (!own || (this.o.threaded && this.o.threaded.has(config.decoder)))) {
      this.loading++;
      try {
        core = await load(config.decoder);
      } catch (err) {
        core = own ? this.o.core : null;
        if (!own && this.config === config) this.o.onDecodeError(`video decoder: the ${config.decoder} module did not load: ${err.message}`);
      } finally {
        this.loading--;
      }
      if (this.config !== config || this.kind !== 'wasm') return;  // configured again meanwhile
    }
    if (this.wasm && this.wasmCore !== core) this.closeWasm();
    if (!core) return;
    if (!this.wasm) {
      this.wasm = new core.WasmVideoDecoder();
      this.wasmCore = core;
    }
    // threads: the decoding threads of a threads build (load_core.js: livewasm_player_mt), else 1.
    const r = this.wasm.configure({ decoder: config.decoder, description: config.description, threads: core.threads || 1 });
    if (!r.ok) this.o.onDecodeError(`video decoder: ${r.error}`);
  }

  /** netstatus videoDecoderThreads: the wasm decoder's threads (its module's, load_core.js), else 0. */
  get threads() {
    return this.kind === 'wasm' && this.wasmCore ? this.wasmCore.threads || 1 : 0;
  }

  /** The decoder module's heap when it is not the player's own (netstatus wasmHeapBytes). */
  get extraHeapBytes() {
    return this.wasmCore && this.wasmCore !== this.o.core ? this.wasmCore.HEAPU8.length : 0;
  }

  // A WebCodecs decoder closes itself on any error; the session says whether a new one gets the stream
  // from the next key frame or FFmpeg takes it from now on (and raises the code).
  failed(wc, reason) {
    this.pending = 0;
    this.unforgiven = true;
    if (this.o.session.reportBrowserDecoderFailure('video', this.o.now(), false, reason) === 'fallback') {
      this.fallBack();
      return;
    }
    this.useWebCodecs(wc);
    this.needKey = true;
  }

  fallBack() {
    this.forcedWasm = true;
    this.useWasm().catch((err) => this.o.onDecodeError(`video decoder: ${err.message}`));
  }

  /** @param {{ptr: number, size: number, data: Uint8Array, ptsUs: number, key: boolean}} p */
  decode(p) {
    if (!this.config) return;
    if (this.loading || (this.kind === 'wasm' && !this.wasm)) {  // its module is still loading, or failed to
      this.needKey = true;
      this.o.onDropped(p.ptsUs);
      return;
    }
    if (this.needKey && !p.key) {
      this.o.onDropped(p.ptsUs);
      return;
    }
    this.needKey = false;
    if (this.kind === 'webcodecs') {
      try {
        this.pending++;
        this.webcodecs.decode(new EncodedVideoChunk({ type: p.key ? 'key' : 'delta', timestamp: p.ptsUs, data: p.data }));
      } catch (err) {
        this.pending = 0;
        this.webcodecs = null;
        this.o.session.reportBrowserDecoderFailure('video', this.o.now(), true, `WebCodecs VideoDecoder refused a packet: ${err.message}`);
        this.fallBack();
        this.o.onDropped(p.ptsUs);
      }
      return;
    }
    // A packet straight from the session lies in the player module's memory (ptr): read in place by a
    // decoder of that module, copied into the other module's by its decoder (decode copies); a parked
    // copy is a Uint8Array.
    const inPlace = p.ptr !== undefined && this.wasmCore === this.o.core;
    const r = inPlace ? this.wasm.decodeAt(p.ptr, p.size, p.ptsUs, p.key) : this.wasm.decode(p.data, p.ptsUs, p.key);
    if (!r.ok) {
      this.needKey = true;
      this.o.onDecodeError(r.error);
    }
    this.drainWasm();
  }

  drainWasm() {
    const renderer = this.o.renderer();
    for (let f = this.wasm.nextFrame(); f; f = this.wasm.nextFrame()) {
      if (!renderer.takesPlanes) {
        this.o.onPicture({ ptsUs: f.ptsUs, frame: i420Frame(this.wasmCore.HEAPU8, f), width: f.width, height: f.height });
        continue;
      }
      const slot = renderer.acquire();
      if (!slot) {  // every texture holds a picture still waiting: this one cannot be kept
        this.o.onDropped(f.ptsUs);
        continue;
      }
      renderer.upload(slot, f);
      this.o.onPicture({ ptsUs: f.ptsUs, slot, width: f.width, height: f.height });
    }
  }

  /** Pictures decoding or decoded-but-not-collected (WebCodecs only; wasm is synchronous). */
  get inFlight() {
    return this.kind === 'webcodecs' ? this.pending + (this.webcodecs ? this.webcodecs.decodeQueueSize : 0) : 0;
  }

  // The next picture starts from a key frame (page visible again, or after a skip).
  restart() {
    this.needKey = true;
    if (this.webcodecs && this.webcodecs.state === 'configured') {
      this.webcodecs.reset();
      this.webcodecs.configure(webCodecsConfig(this.config));
      this.pending = 0;
    }
    if (this.wasm && this.kind === 'wasm') {  // drain what the decoder holds for reordering, unshown
      this.wasm.flush();
      for (let f = this.wasm.nextFrame(); f; f = this.wasm.nextFrame()) this.o.onDropped(f.ptsUs);
    }
  }

  closeWebCodecs() {
    const d = this.webcodecs;
    this.webcodecs = null;
    if (d && d.state !== 'closed') d.close();
  }

  closeWasm() {
    if (this.wasm) this.wasm.delete();
    this.wasm = null;
    this.wasmCore = null;
  }

  close() {
    this.closeWebCodecs();
    this.closeWasm();
    this.config = null;
  }
}
