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

// A Content-Security-Policy violation (a `securitypolicyviolation` event, on the page or in a worker), for
// the `error` event: the directive first, what it refused and where, and the policy (issue 21; README's
// "Content-Security-Policy" says what the library needs).
/** @param {SecurityPolicyViolationEvent} e @returns {string} */
export function violationText(e) {
  const directive = e.effectiveDirective || e.violatedDirective || 'a directive';
  const blocked = e.blockedURI || 'inline';
  const where = e.sourceFile ? ` at ${e.sourceFile}${e.lineNumber ? `:${e.lineNumber}` : ''}` : '';
  return `Content-Security-Policy: ${directive} refused ${blocked}${where} (the page's policy: ${e.originalPolicy || 'unknown'}; README: Content-Security-Policy)`;
}

// Reports every violation in this worker (all of its code is the library's) through `report(text)`.
/** @param {(text: string) => void} report */
export function reportViolations(report) {
  if (typeof self !== 'undefined' && typeof self.addEventListener === 'function') {
    self.addEventListener('securitypolicyviolation', (e) => report(violationText(/** @type {SecurityPolicyViolationEvent} */ (e))));
  }
}
