// Context methods take `{success, fail, complete}` like the original and also return a Promise.
// Results follow the original (docs/api.md): success `{errMsg: "<op>:ok", ...}`, failure
// `{errMsg: "<op>:fail <reason>"}`. The Promise rejects with an Error carrying the same fields, so
// `await` users get a stack and callback users get the plain object.

export async function settle(op, options, work) {
  const { success, fail, complete } = options || {};
  let result;
  try {
    const extra = await work();
    result = { errMsg: `${op}:ok`, ...(extra || {}) };
  } catch (err) {
    result = { errMsg: `${op}:fail ${err && err.message ? err.message : String(err)}` };
    if (typeof fail === 'function') fail(result);
    if (typeof complete === 'function') complete(result);
    throw Object.assign(new Error(result.errMsg), result);
  }
  if (typeof success === 'function') success(result);
  if (typeof complete === 'function') complete(result);
  return result;
}

// For callers using callbacks only: the returned promise must not become an unhandled rejection.
export function callbackOrPromise(op, options, work) {
  const p = settle(op, options, work);
  if (options && (typeof options.fail === 'function' || typeof options.complete === 'function')) p.catch(() => {});
  return p;
}
