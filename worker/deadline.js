// A bound on every await on the platform: a promise the engine may never settle (Firefox's
// AudioContext.resume() with no sound device, a permission prompt nobody answers, a worker whose script
// never arrives) is raced against a timer, so the caller goes on with what it has and says so with a code.

export class DeadlineError extends Error {
  constructor(what, ms) {
    super(`${what} did not settle within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/**
 * @template T @param {Promise<T>} promise @param {number} ms @param {string} what for the message
 * @returns {Promise<T>} the promise's outcome, or a DeadlineError after `ms`
 */
export function withDeadline(promise, ms, what) {
  let timer = 0;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// The bounds, in one place (ms). Generous where a person may be answering a prompt.
export const DEADLINES = Object.freeze({
  permissionPrompt: 60000,   // getUserMedia: a person reads the prompt
  audioStart: 3000,          // AudioContext.resume(), audioWorklet.addModule()
  workerStart: 30000,        // a worker's script and wasm module loaded over a slow network
  encoderCheck: 5000,        // VideoEncoder/AudioEncoder.isConfigSupported
  decoderCheck: 5000,        // VideoDecoder/AudioDecoder.isConfigSupported
});
