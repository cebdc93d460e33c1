// AudioWorklet processor 'lw-pcm-capture': the microphone's PCM, interleaved float, in blocks of
// `blockFrames` (10 ms), posted to the pusher worker through a MessagePort the page hands over (so audio
// never passes through the page's main thread). Each block's buffer is transferred, not copied.
class PcmCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { channels, blockFrames } = options.processorOptions;
    this.channels = channels;
    this.blockFrames = blockFrames;
    this.block = new Float32Array(blockFrames * channels);
    this.filled = 0;
    this.target = null;
    this.port.onmessage = (event) => {
      if (event.data && event.data.port) this.target = event.data.port;
    };
  }

  process(inputs) {
    const input = inputs[0];
    if (!this.target || !input || input.length === 0) return true;
    const frames = input[0].length;
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < this.channels; c++) {
        const plane = input[Math.min(c, input.length - 1)];
        this.block[this.filled * this.channels + c] = plane[i];
      }
      if (++this.filled === this.blockFrames) {
        this.target.postMessage({ pcm: this.block, frames: this.blockFrames }, [this.block.buffer]);
        this.block = new Float32Array(this.blockFrames * this.channels);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('lw-pcm-capture', PcmCapture);
