// The layout of the player's sound ring: a SharedArrayBuffer the player worker writes
// (worker/audio_output.js) and the playback worklet reads (web/pcm_playback_worklet.js); the page makes
// it (js-api/live_player.js). Cross-origin isolated pages only; the others post PCM blocks instead.
//   bytes 0-7: Int32 header: [RING_WRITTEN] frames written so far (the worker), [RING_READ] frames read
//              so far (the worklet: the player's master clock); both only grow, Atomics on both sides;
//   then `channels` planes of `capacity` Float32 samples (planar), frame n of plane c at c * capacity + n % capacity.
// This file has no imports: scripts/worklet_contracts.mjs copies it into the worklet, which must stay
// self-contained (bundlers copy AudioWorklet modules as they are), and tests/package checks the copy.
export const RING_WRITTEN = 0;
export const RING_READ = 1;
export const RING_HEADER_WORDS = 2;
export const RING_HEADER_BYTES = RING_HEADER_WORDS * Int32Array.BYTES_PER_ELEMENT;
export const RING_SECONDS = 1;   // capacity: one second at the context's rate
export const RING_CHANNELS = 2;

/** The ring's size in bytes. */
export function ringBytes(capacity, channels) {
  return RING_HEADER_BYTES + capacity * channels * Float32Array.BYTES_PER_ELEMENT;
}

/** Views of a ring: {header: Int32Array, data: Float32Array, capacity, channels}. */
export function ringViews(sab, capacity, channels) {
  return {
    header: new Int32Array(sab, 0, RING_HEADER_WORDS),
    data: new Float32Array(sab, RING_HEADER_BYTES, capacity * channels),
    capacity,
    channels,
  };
}
