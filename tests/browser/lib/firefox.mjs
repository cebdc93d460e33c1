// Debian's Firefox ESR for the engine tests, driven by npm puppeteer-core over WebDriver BiDi (a stock
// Firefox; Playwright's Firefox needs a patched build). Under its own Xvfb display by default, where
// llvmpipe gives WebGL2 (also in workers); `headless` is plain --headless, which has no WebGL at all.
// `mockAudio` sets media.cubeb.force_mock_context: without it, on a machine with no sound output,
// AudioContext.resume() never settles (the "plain" configuration the product must survive).
// Fake camera and microphone (Firefox's own: a test pattern and a tone) and autoplay by prefs
// (TOOLCHAIN.md, "Browsers other than Chromium").
import puppeteer from 'puppeteer-core';
import { startXvfb } from './xvfb.mjs';
import { makeLog } from './page_console.mjs';

export const FIREFOX = process.env.LW_FIREFOX ?? '/usr/bin/firefox-esr';
export const FIREFOX_PREFS = Object.freeze({
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'media.autoplay.block-webaudio': false,
});

const within = (promise, ms, what) => {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); }),
  ]);
};

export async function launchFirefox({ headless = false, mockAudio = false, prefs = {}, startTimeoutMs = 45000, evaluateTimeoutMs = 30000, echo } = {}) {
  const out = makeLog({ echo, name: 'firefox' });
  const x = headless ? null : await startXvfb();
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless,
      timeout: startTimeoutMs,
      protocolTimeout: evaluateTimeoutMs + 10000,
      env: { ...process.env, ...(x ? { DISPLAY: x.display } : {}) },
      extraPrefsFirefox: { ...FIREFOX_PREFS, ...(mockAudio ? { 'media.cubeb.force_mock_context': true } : {}), ...prefs },
    });
  } catch (err) {
    await x?.stop();
    throw err;
  }
  const proc = browser.process();
  const version = await within(browser.version(), 10000, 'firefox version').catch(() => 'unknown');
  const wrap = (page) => {
    page.on('console', (m) => out.log('page', m.type(), m.text()));
    page.on('pageerror', (e) => out.log('page', 'pageerror', `${e.name}: ${e.message}\n${e.stack ?? ''}`));
    page.on('requestfailed', (r) => out.log('page', 'requestfailed', `${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('close', () => out.log('page', 'close', 'the page closed'));
    return {
      raw: page,
      goto: (url, { timeoutMs = 30000 } = {}) => within(page.goto(url, { timeout: timeoutMs }), timeoutMs + 5000, `goto ${url}`),
      evaluate: (fn, arg) => within(page.evaluate(fn, arg), evaluateTimeoutMs, 'evaluate'),
      screenshot: async () => Buffer.from(await within(page.screenshot(), 30000, 'screenshot')),
      close: () => within(page.close(), 10000, 'page close').catch(() => {}),
    };
  };
  let closed = false;
  return {
    engine: 'firefox',
    version,
    display: x?.display ?? null,
    pid: proc?.pid,
    ...out,
    newPage: async () => wrap(await within(browser.newPage(), 30000, 'new page')),
    get exit() { return proc?.exitCode ?? null; },
    async close() {
      if (closed) return;
      closed = true;
      await within(browser.close(), 10000, 'firefox close').catch(() => {});
      if (proc?.pid) { try { process.kill(-proc.pid, 'SIGKILL'); } catch {} }
      await x?.stop();
    },
  };
}
