// Where the player worker's rendered sound goes, and the master clock that comes back: how many output
// frames have been heard. Three ways, chosen by what the page could set up:
// - 'ring': a SharedArrayBuffer ring read by the worklet (web/pcm_playback_worklet.js); the position is
//   the ring's read index, exact to a render quantum;
// - 'port': PCM blocks posted to the worklet, which reports its position about every 40 ms; between
//   reports the position is extrapolated with the wall clock (never past what was written);
// - 'wall': no running AudioContext (none allowed, or still suspended by an autoplay policy): the sound
//   is dropped and the wall clock plays the part of the device, so pictures still keep time.
// The context's output latency is taken off the position, so the clock is what is heard, not what the
// worklet has handed on. The ring's layout: audio_ring.js; the worklet's messages: worklet_messages.js.
import { RING_READ, RING_SECONDS, RING_WRITTEN, ringViews } from './audio_ring.js';
import { FromPlaybackWorklet, ToPlaybackWorklet } from './worklet_messages.js';

const LEAD_MS = { ring: 50, port: 80, wall: 30 };
// How much is rendered at a time. Posted blocks go in 40 ms: each message is a task on the page's one
// real-time audio thread, shared by every player's worklet; at 10 ms, 16 players made 1,600 messages a
// second there (plus their position reports), and in headless Chromium on 2 cores that thread took
// 0.85 cores and starved the sound, which stops the clock (bench/RESULTS.md, Player cost). The ring
// needs no messages and keeps 10 ms (less delay).
const BLOCK_MS = { ring: 10, port: 40, wall: 10 };
const MAX_SPARE = 16;         // buffers kept for reuse (about 0.64 s of 40 ms blocks)
const EXTRAPOLATE_MS = 100;  // the worklet reports about every 43 ms

export class AudioOutput {
  /** @param {{sampleRate: number, channels: number, port?: MessagePort, ring?: {sab: SharedArrayBuffer},
   *           running?: boolean, latencyMs?: number} | null} device the page's (init's audio: player_messages.js) */
  constructor(device) {
    this.rate = (device && device.sampleRate) || 48000;
    this.channels = (device && device.channels) || 2;
    this.port = (device && device.port) || null;
    this.ring = null;
    if (device && device.ring) {
      this.ring = ringViews(device.ring.sab, this.rate * RING_SECONDS, this.channels);
    }
    this.latencyFrames = 0;
    this.running = false;
    this.reported = { played: 0, at: 0 };
    this.spare = [];  // port mode: block buffers the worklet gave back, filled again (see write)
    if (this.port) this.port.onmessage = (e) => {
      const m = FromPlaybackWorklet.verify(e.data);
      if (m.type !== FromPlaybackWorklet.played) return;
      this.reported = { played: m.played, at: performance.now() };
      if (m.spent) for (const b of m.spent) if (this.spare.length < MAX_SPARE) this.spare.push(b);
    };
    this.peak = 0;
    this.setDevice({ running: !!(device && device.running), latencyMs: device ? device.latencyMs : 0 }, performance.now());
  }

  get mode() {
    if (!this.running) return 'wall';
    return this.ring ? 'ring' : this.port ? 'port' : 'wall';
  }

  // The device's own count of frames played (not yet corrected for latency).
  devicePlayed(t) {
    switch (this.mode) {
      case 'ring': return Atomics.load(this.ring.header, RING_READ);
      case 'port': {
        // Extrapolated from the last report, for at most two report intervals: reports that stop mean
        // the audio thread stopped too, and a position that ran on would make the worker queue more.
        const { played, at } = this.reported;
        const since = at ? Math.min(Math.max(0, t - at), EXTRAPOLATE_MS) : 0;
        return Math.min(this.written, played + Math.floor((since * this.rate) / 1000));
      }
      default: return Math.floor(((t - this.wallAnchor) * this.rate) / 1000);
    }
  }

  /** Output frames heard so far, on the player's own count (continuous across device changes). */
  played(t) {
    return Math.max(0, this.base + this.devicePlayed(t) - this.latencyFrames);
  }

  /** Frames to render at a time. */
  get blockFrames() {
    return Math.round((BLOCK_MS[this.mode] * this.rate) / 1000);
  }

  /** Does the device need another block now? */
  wants(t) {
    return this.rendered - (this.base + this.devicePlayed(t)) < (LEAD_MS[this.mode] * this.rate) / 1000;
  }

  /** @param {Float32Array} planar `channels` planes of `frames` (a view of wasm memory: copied here) */
  write(planar, frames) {
    for (let i = 0; i < planar.length; i += 7) {
      const v = Math.abs(planar[i]);
      if (v > this.peak) this.peak = v;
    }
    this.rendered += frames;
    switch (this.mode) {
      case 'ring': {
        const { header, data, capacity } = this.ring;
        const w = Atomics.load(header, RING_WRITTEN);
        for (let c = 0; c < this.channels; c++) {
          const plane = planar.subarray(c * frames, (c + 1) * frames);
          const at = w % capacity;
          const first = Math.min(frames, capacity - at);
          data.set(plane.subarray(0, first), c * capacity + at);
          if (first < frames) data.set(plane.subarray(first), c * capacity);
        }
        Atomics.store(header, RING_WRITTEN, w + frames);
        break;
      }
      case 'port': {
        // A buffer the worklet handed back, else a new one. Each new buffer is memory the worklet's
        // realm takes over, and in Chromium that memory drives its garbage collections: a major
        // collection on the page's real-time audio thread, whose sweep then waits for the browser's
        // busy thread pool, took that thread (which every player's worklet shares) to 0.6-0.9 cores
        // with 16 players on 2 cores (bench/RESULTS.md, Player cost). Passed back and forth, the same
        // few buffers serve the whole play.
        let copy = null;
        while (this.spare.length && !copy) {
          const b = this.spare.pop();
          if (b.length === planar.length) copy = b;
        }
        if (!copy) copy = new Float32Array(planar.length);
        copy.set(planar);
        this.port.postMessage(ToPlaybackWorklet.verify({ type: ToPlaybackWorklet.pcm, planes: copy, frames }), [copy.buffer]);
        this.written += frames;
        break;
      }
      default: break;  // wall clock: no sound
    }
  }

  /** 0-100 from the peak since the last call (audiovolumenotify). */
  takeVolume() {
    const v = Math.round(Math.min(1, this.peak) * 100);
    this.peak = 0;
    return v;
  }

  // The page says whether its AudioContext runs (it may start suspended) and its output latency.
  setDevice({ running, latencyMs = 0 }, t) {
    const before = this.mode;
    const heard = this.base === undefined ? 0 : this.base + this.devicePlayed(t);
    this.running = !!running && !!(this.ring || this.port);
    this.latencyFrames = Math.round(((latencyMs || 0) * this.rate) / 1000);
    if (this.base === undefined || before !== this.mode) {
      this.wallAnchor = t;
      this.written = 0;
      this.reported = { played: 0, at: 0 };
      if (this.ring) {
        Atomics.store(this.ring.header, RING_WRITTEN, Atomics.load(this.ring.header, RING_READ));
      }
      if (this.port && before === 'port') this.port.postMessage(ToPlaybackWorklet.verify({ type: ToPlaybackWorklet.flush }));
      this.base = heard - this.devicePlayedAtStart(t);
      this.rendered = heard;
    }
  }

  devicePlayedAtStart(t) {
    return this.mode === 'ring' ? Atomics.load(this.ring.header, RING_READ) : this.mode === 'port' ? 0 : Math.floor(((t - this.wallAnchor) * this.rate) / 1000);
  }

  // A new play: whatever is queued for the device is dropped and the count starts again.
  reset() {
    const t = performance.now();
    if (this.port) this.port.postMessage(ToPlaybackWorklet.verify({ type: ToPlaybackWorklet.flush }));
    if (this.ring) Atomics.store(this.ring.header, RING_WRITTEN, Atomics.load(this.ring.header, RING_READ));
    this.wallAnchor = t;
    this.written = 0;
    this.reported = { played: 0, at: 0 };
    this.base = -this.devicePlayedAtStart(t);
    this.rendered = 0;
  }
}
