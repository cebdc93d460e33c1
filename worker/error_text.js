// What an exception says, for the page's `error` event, in every engine: the message first (Chromium's
// stack starts with it, Firefox's and WebKit's do not: there a stack alone shows only
// `YuvRenderer@.../yuv_renderer.js:41:20` and never the reason), then where it came from.

/** @param {unknown} err @returns {string} */
export function errorText(err) {
  if (!(err instanceof Error) && !(err && typeof err === 'object' && 'message' in err)) return String(err);
  const e = /** @type {Error} */ (err);
  const head = e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : String(e.message);
  const stack = typeof e.stack === 'string' ? e.stack.trim() : '';
  if (!stack) return head;
  // Chromium's stack repeats "Name: message" as its first line: keep only the frames.
  const frames = stack.startsWith(head) || stack.startsWith(`Error: ${e.message}`) ? stack.split('\n').slice(1).join('\n') : stack;
  return frames ? `${head}\n${frames}` : head;
}
