// The console of a page kept by the page itself, for engines whose driver gives none (WebKitWebDriver
// returns no console log and no page errors): CONSOLE_KEEPER, run before the page's own scripts (the
// static server puts it first in every HTML page it serves when asked: startStaticServer({ inject })),
// wraps console.* and window's error / unhandledrejection into window.lwConsole. Each evaluate of the
// WebDriver page takes the entries added since the last one (TAKE_CONSOLE), so the harness's log is
// current up to the last call.
//
// makeLog() is the log object every engine's launcher returns: logs, logText(), errors().
export const CONSOLE_KEEPER = `(() => {
  if (window.lwConsole) return;
  const log = (window.lwConsole = []);
  const text = (x) => {
    if (typeof x === 'string') return x;
    if (x instanceof Error) return x.name + ': ' + x.message + (x.stack ? '\\n' + x.stack : '');
    try { return JSON.stringify(x); } catch { return String(x); }
  };
  for (const type of ['log', 'info', 'warn', 'error', 'debug']) {
    const original = console[type].bind(console);
    console[type] = (...args) => { log.push({ type, text: args.map(text).join(' ') }); original(...args); };
  }
  addEventListener('error', (e) => log.push({ type: 'pageerror', text: (e.error ? text(e.error) : e.message) + ' at ' + e.filename + ':' + e.lineno }));
  addEventListener('unhandledrejection', (e) => log.push({ type: 'pageerror', text: 'unhandled rejection: ' + text(e.reason) }));
})();`;

// An expression: the entries of window.lwConsole not taken yet.
export const TAKE_CONSOLE = `(() => { const l = window.lwConsole; if (!l) return []; const out = l.slice(window.lwConsoleTaken || 0); window.lwConsoleTaken = l.length; return out; })()`;

export const CONSOLE_SCRIPT_PATH = '/lw_console.js';

export function makeLog({ echo = !!process.env.LW_BROWSER_ECHO, name = 'browser' } = {}) {
  const logs = [];  // {at, source, type, text}
  const t0 = Date.now();
  const log = (source, type, text) => {
    const entry = { at: Date.now() - t0, source, type, text };
    logs.push(entry);
    if (echo) console.log(`[${name} ${entry.at} ms] ${source} ${type}: ${text}`);
  };
  return {
    logs,
    log,
    logText: (filter = () => true) => logs.filter(filter).map((l) => `${l.at} ${l.source} ${l.type}: ${l.text}`).join('\n'),
    errors: () => logs.filter((l) => l.type === 'error' || l.type === 'pageerror' || l.type === 'crash'),
  };
}

// Helpers a harness offers only in Chromium (CDP, Playwright contexts): elsewhere they throw, so a test
// that needs one fails loudly instead of passing without it.
export function chromiumOnly(engine, names) {
  const out = {};
  for (const name of names) out[name] = async () => { throw new Error(`${name}() is not in ${engine} (Chromium only: CDP / Playwright contexts)`); };
  return out;
}

/** The log lines where a message did not match its declaration (worker/message_contract.js), or ''. */
export function contractProblems(browser) {
  return browser.logText((l) => String(l.text).includes('message contract ('));
}
