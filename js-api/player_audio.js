// One AudioContext for every player on the page (browsers limit contexts, and one clock is cheaper than
// sixteen), with the playback worklet (web/pcm_playback_worklet.js) added once. Each player hangs its
// own AudioWorkletNode on it. null where the page has no Web Audio.
const WORKLET_URL = new URL('../web/pcm_playback_worklet.js', import.meta.url);

let shared = null;

/** @returns {Promise<{context: AudioContext} | null>} */
export function sharedAudio() {
  if (!shared) {
    shared = (async () => {
      if (typeof AudioContext === 'undefined' || typeof AudioWorkletNode === 'undefined') return null;
      const context = new AudioContext({ latencyHint: 'interactive' });
      await context.audioWorklet.addModule(WORKLET_URL);
      return { context };
    })().catch(() => null);
  }
  return shared;
}
