// A small W3C WebDriver client over fetch (what WebKitWebDriver speaks), with the one thing the tests
// need from it: pages whose goto / evaluate / screenshot / close look like Playwright's. Every request
// is bounded. The pages of one session share it, so every command is queued and switches to its
// page's window first.
//
//   const s = await openSession('http://127.0.0.1:4444', capabilities, { log });
//   const page = await s.newPage();  await page.goto(url);  await page.evaluate((a) => a + 1, 1);
//   await s.close();
import { TAKE_CONSOLE } from './page_console.mjs';

export class WebDriverError extends Error {
  constructor(status, value, what) {
    super(`WebDriver ${what}: ${status} ${value?.error ?? ''}: ${value?.message ?? JSON.stringify(value)}`.slice(0, 2000));
    this.status = status;
    this.error = value?.error;
  }
}

export async function wdRequest(base, method, path, body, { timeoutMs = 30000 } = {}) {
  const what = `${method} ${path}`;
  let res;
  try {
    res = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new Error(`WebDriver ${what}: no answer within ${timeoutMs} ms (${err.name}: ${err.message})`);
  }
  const json = await res.json().catch(() => ({ value: { error: 'not JSON' } }));
  if (!res.ok) throw new WebDriverError(res.status, json.value, what);
  return json.value;
}

// The script run by Execute Async Script: the function applied to its JSON argument, its outcome as a
// value (a rejection is {ok: false}, never a WebDriver error), plus the page console entries since last time.
const runner = (source) => `const done = arguments[arguments.length - 1];
const take = () => { try { return ${TAKE_CONSOLE}; } catch (e) { return []; } };
Promise.resolve().then(() => (${source})(arguments[0])).then(
  (v) => done({ ok: true, undef: v === undefined, value: v === undefined ? null : JSON.parse(JSON.stringify(v)), log: take() }),
  (e) => done({ ok: false, error: String(e && e.message || e), stack: String(e && e.stack || ''), log: take() }));`;

export async function openSession(base, capabilities, { log, startTimeoutMs = 30000, evaluateTimeoutMs = 30000 } = {}) {
  let s = { dead: null };
  const created = await wdRequest(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } }, { timeoutMs: startTimeoutMs });
  const sid = created.sessionId;
  // After a web process crash WebKitWebDriver deletes the session ("invalid session id: session deleted
  // because of page crash or hang"; the call in flight fails with "Could not parse script result"): every
  // later command fails, and s.dead says why. A new session (a new browser) is the only way on.
  const call = async (method, path, body, opts) => {
    if (s.dead) throw new Error(`WebDriver session gone: ${s.dead}`);
    try {
      return await wdRequest(base, method, `/session/${sid}${path}`, body, opts);
    } catch (err) {
      if (err.error === 'invalid session id') s.dead = err.message;
      if (/Could not parse script result/.test(err.message)) {
        const alive = await wdRequest(base, 'GET', `/session/${sid}/url`, undefined, { timeoutMs: 5000 }).catch((e) => e);
        if (alive?.error === 'invalid session id') s.dead = alive.message;
        if (s.dead) throw new Error(`the page's web process crashed (the session is gone): ${err.message}`);
      }
      throw err;
    }
  };
  await call('POST', '/timeouts', { script: evaluateTimeoutMs, pageLoad: 30000 });
  let queue = Promise.resolve();
  let current = await call('GET', '/window');
  let first = current;
  const serial = (fn) => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };
  s = {
    dead: null,
    sessionId: sid,
    capabilities: created.capabilities,
    call,
    async newPage() {
      // A window, not a tab: WebKit holds getUserMedia of a hidden document (a background tab) until it is shown.
      const handle = first ?? (await serial(() => call('POST', '/window/new', { type: 'window' }))).handle;
      first = null;
      const inWindow = (fn) => serial(async () => {
        if (current !== handle) { await call('POST', '/window', { handle }); current = handle; }
        return fn();
      });
      const page = {
        handle,
        goto: (url, { timeoutMs = 30000 } = {}) => inWindow(() => call('POST', '/url', { url }, { timeoutMs: timeoutMs + 5000 })),
        url: () => inWindow(() => call('GET', '/url')),
        async evaluate(fn, arg) {
          const source = typeof fn === 'function' ? fn.toString() : `() => (${fn})`;
          const r = await inWindow(() => call('POST', '/execute/async', { script: runner(source), args: [arg === undefined ? null : arg] }, { timeoutMs: evaluateTimeoutMs + 5000 }));
          for (const e of r?.log ?? []) log?.('page', e.type, e.text);
          if (!r?.ok) throw new Error(`page: ${r?.error}\n${r?.stack ?? ''}`);
          return r.undef ? undefined : r.value;
        },
        screenshot: () => inWindow(async () => Buffer.from(await call('GET', '/screenshot'), 'base64')),
        // New windows are opened from the current one, so switch to a window left open.
        close: () => inWindow(async () => {
          const left = await call('DELETE', '/window');
          current = null;
          if (Array.isArray(left) && left.length) { await call('POST', '/window', { handle: left[0] }); current = left[0]; }
        }),
      };
      return page;
    },
    close: () => serial(() => call('DELETE', '', undefined, { timeoutMs: 10000 })),
  };
  return s;
}
