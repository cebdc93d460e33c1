// The player's sound: an AudioWorkletProcessor that plays the PCM the player worker renders
// (PlaySession::render_audio: already resampled to the context's rate, time-stretched, planar) and
// tells the worker how far it has played, since that position is the player's master clock.
//
// Two ways in, chosen by the page:
// - a SharedArrayBuffer ring (cross-origin isolated pages): Int32 header [written, read] in frames, then
//   `channels` planes of `capacity` floats; the worker writes, this reads; the read index is the clock,
//   read by the worker whenever it likes (Atomics), so no messages at all on the audio path;
// - messages (every other page): {type: 'pcm', planes: Float32Array (planar), frames} with the buffer
//   transferred (40 ms each: worker/audio_output.js); this posts {type: 'played', played} about every
//   40 ms (the worker extrapolates between reports). Every message is a task on the page's real-time
//   audio thread, which all players' worklets share: few and large.
// Either way an empty ring plays silence and does not advance the position: the clock stops with the
// sound (the worker renders silence itself while it buffers, so that happens only if it falls behind).

const REPORT_QUANTA = 16;  // 16 x 128 frames: about 43 ms at 48 kHz
// Posted blocks queued beyond this are dropped, oldest first, and counted as played: the worker keeps
// about 80 ms queued, so more means this thread fell behind (a starved machine), and a queue without a
// bound would only make the sound later and every later block dearer.
const MAX_QUEUED_SECONDS = 0.5;

class PcmPlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];       // message mode: [{planes, frames, offset}], from this.head on
    this.head = 0;
    this.queued = 0;       // frames in the queue not played yet
    this.ring = null;      // ring mode: {header: Int32Array, data: Float32Array, capacity, channels}
    this.played = 0;
    this.quanta = 0;
    this.worker = null;    // MessagePort to the player worker
    this.port.onmessage = (e) => this.control(e.data);
  }

  control(m) {
    if (m.type === 'port') {
      this.worker = m.port;
      this.worker.onmessage = (e) => this.control(e.data);
    } else if (m.type === 'ring') {
      const { sab, capacity, channels } = m;
      this.ring = { header: new Int32Array(sab, 0, 2), data: new Float32Array(sab, 8, capacity * channels), capacity, channels };
    } else if (m.type === 'pcm') {
      this.queue.push({ planes: m.planes, frames: m.frames, offset: 0 });
      this.queued += m.frames;
      while (this.queued > MAX_QUEUED_SECONDS * sampleRate && this.head < this.queue.length - 1) {
        const old = this.queue[this.head++];
        const left = old.frames - old.offset;
        this.queued -= left;
        this.played += left;  // skipped: the clock moves on as if heard
      }
      this.compact();
    } else if (m.type === 'flush') {  // a new play: the worker counts from 0 again
      this.queue.length = 0;
      this.head = 0;
      this.queued = 0;
      this.played = 0;
    }
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const frames = out[0].length;
    const got = this.ring ? this.fromRing(out, frames) : this.fromQueue(out, frames);
    for (let c = 0; c < out.length; c++) out[c].fill(0, got);
    this.played += got;
    if (!this.ring && this.worker && ++this.quanta % REPORT_QUANTA === 0) {
      this.worker.postMessage({ type: 'played', played: this.played });
    }
    return true;
  }

  // Entries before `head` are spent: dropped from the array now and then, never one by one (shift() on
  // every block is linear in the queue's length).
  compact() {
    if (this.head > 32 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  fromQueue(out, frames) {
    let done = 0;
    while (done < frames && this.head < this.queue.length) {
      const head = this.queue[this.head];
      const n = Math.min(frames - done, head.frames - head.offset);
      const channels = head.planes.length / head.frames;
      for (let c = 0; c < out.length; c++) {
        const plane = Math.min(c, channels - 1) * head.frames + head.offset;
        out[c].set(head.planes.subarray(plane, plane + n), done);
      }
      head.offset += n;
      done += n;
      this.queued -= n;
      if (head.offset === head.frames) this.head++;
    }
    this.compact();
    return done;
  }

  fromRing(out, frames) {
    const { header, data, capacity, channels } = this.ring;
    const written = Atomics.load(header, 0);
    const read = Atomics.load(header, 1);
    const n = Math.min(frames, written - read);
    if (n <= 0) return 0;
    for (let i = 0; i < n; i++) {
      const at = (read + i) % capacity;
      for (let c = 0; c < out.length; c++) out[c][i] = data[Math.min(c, channels - 1) * capacity + at];
    }
    Atomics.store(header, 1, read + n);
    return n;
  }
}

registerProcessor('livewasm-pcm-playback', PcmPlaybackProcessor);
