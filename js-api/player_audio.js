// One AudioContext for every player on the page (browsers limit contexts, and one clock is cheaper than
// sixteen), with the playback worklet (web/pcm_playback_worklet.js) added once. Each player hangs its
// own AudioWorkletNode on it. null where the page has no Web Audio.
import { withDeadline, DEADLINES } from '../worker/deadline.js';

const WORKLET_URL = new URL('../web/pcm_playback_worklet.js', import.meta.url);

let shared = null;

/** @returns {Promise<{context: AudioContext} | null>} */
export function sharedAudio() {
  if (!shared) {
    shared = (async () => {
      if (typeof AudioContext === 'undefined' || typeof AudioWorkletNode === 'undefined') return null;
      const context = new AudioContext({ latencyHint: 'interactive' });
      await withDeadline(context.audioWorklet.addModule(WORKLET_URL), DEADLINES.audioStart, 'the playback worklet');
      if (context.state !== 'running') resumeOnFirstGesture(context);
      return { context };
    })().catch(() => null);
  }
  return shared;
}

// A page without a user gesture yet gets a suspended context (autoplay policy): players show pictures on
// a wall clock meanwhile, and the first click, tap or key anywhere on the page starts the sound (the
// worker follows the context's statechange).
const GESTURES = ['pointerdown', 'keydown', 'touchend'];
function resumeOnFirstGesture(context) {
  const resume = () => {
    context.resume().then(() => {
      if (context.state === 'running') for (const type of GESTURES) removeEventListener(type, resume, true);
    }).catch(() => {});
  };
  for (const type of GESTURES) addEventListener(type, resume, true);
}
