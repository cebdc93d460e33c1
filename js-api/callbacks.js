// Context methods take `{success, fail, complete}` like the original and also return a Promise.
// Results follow the original (docs/api.md): success `{errMsg: "<op>:ok", ...}`, failure
// `{errMsg: "<op>:fail <reason>"}`. The Promise rejects with an Error carrying the same fields, so
// `await` users get a stack and callback users get the plain object.
//
// The page's own callbacks run outside the library's control flow: one that throws is reported to the
// page as an uncaught error (reportError: window's `error` event and the console), `complete` still
// runs after a `success` or `fail` that threw, and the Promise's outcome is the operation's, not the
// callback's.

export async function settle(op, options, work) {
  const { success, fail, complete } = options || {};
  let result;
  try {
    const extra = await work();
    result = { errMsg: `${op}:ok`, ...(extra || {}) };
  } catch (err) {
    result = { errMsg: `${op}:fail ${err && err.message ? err.message : String(err)}` };
    callPage(fail, result);
    callPage(complete, result);
    throw Object.assign(new Error(result.errMsg), result);
  }
  callPage(success, result);
  callPage(complete, result);
  return result;
}

// For callers using callbacks only: the returned promise must not become an unhandled rejection.
export function callbackOrPromise(op, options, work) {
  const p = settle(op, options, work);
  if (options && (typeof options.fail === 'function' || typeof options.complete === 'function')) p.catch(() => {});
  return p;
}

/** Calls a function the page gave us; what it throws reaches the page as an uncaught error. */
export function callPage(fn, ...args) {
  if (typeof fn !== 'function') return;
  try {
    fn(...args);
  } catch (err) {
    reportToPage(err);
  }
}

export function reportToPage(err) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(err);
  else setTimeout(() => { throw err; });  // a fresh task: the engine reports it as uncaught
}
