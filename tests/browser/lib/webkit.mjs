// WebKitGTK (Safari's engine on GStreamer) for the engine tests: Xvfb, WebKitWebDriver, and MiniBrowser
// started by it with DEFAULT feature flags (never --features=+AllowWebGLInWorkers: the product must work
// as a user's browser is). The mock camera and microphone and autoplay are machine set-up
// (TOOLCHAIN.md, "Browsers other than Chromium"). WebKitWebDriver gives no console: pages served with
// page_console.mjs's keeper report theirs through each evaluate.
import { spawnGroup } from './processes_group.mjs';
import { until } from '../../interop/lib/gateway.mjs';
import { startXvfb } from './xvfb.mjs';
import { freePort } from '../../interop/lib/nginx.mjs';
import { makeLog } from './page_console.mjs';
import { openSession, wdRequest } from './webdriver.mjs';

export const WEBKIT_DRIVER = process.env.LW_WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.LW_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const WEBKIT_ARGS = Object.freeze([
  '--automation',
  '--enable-mock-capture-devices=true',
  '--enable-media-stream=true',
  '--enable-webaudio=true',
  '--enable-webgl=true',
  '--autoplay-policy=allow',
]);

export async function launchWebKit({ args = [], startTimeoutMs = 30000, evaluateTimeoutMs = 30000, echo } = {}) {
  const out = makeLog({ echo, name: 'webkit' });
  const x = await startXvfb();
  let driver = null;
  let session = null;
  let base;
  const open = () => openSession(base, {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: [...WEBKIT_ARGS, ...args] },
  }, { log: out.log, startTimeoutMs, evaluateTimeoutMs });
  const stopAll = async () => {
    if (session) await Promise.race([session.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    await driver?.stop();
    await x.stop();
  };
  try {
    const port = await freePort();
    driver = spawnGroup(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: x.display },
    });
    // Driver and browser output (the web process's own messages, e.g. a crash's "free(): invalid pointer").
    for (const s of [driver.proc.stdout, driver.proc.stderr]) {
      s.on('data', (b) => { for (const line of String(b).split('\n')) if (line.trim()) out.log('browser', 'stderr', line); });
    }
    base = `http://127.0.0.1:${port}`;
    await until(async () => !driver.exit && (await wdRequest(base, 'GET', '/status', undefined, { timeoutMs: 2000 }).catch(() => null))?.ready,
      { timeoutMs: startTimeoutMs, intervalMs: 100, what: 'WebKitWebDriver ready' })
      .catch((e) => { throw new Error(`${e.message} (driver exit ${JSON.stringify(driver.exit)})\n${out.logText()}`); });
    session = await open();
  } catch (err) {
    await stopAll();
    throw err;
  }
  let closed = false;
  return {
    engine: 'webkit',
    version: session.capabilities.browserVersion,
    display: x.display,
    ...out,
    get session() { return session; },
    // After a web process crash the session is gone (webdriver.mjs): the next page comes from a new
    // session, that is a new MiniBrowser, and the log says so.
    async newPage() {
      if (session.dead) {
        out.log('browser', 'crash', `the web process crashed and took the session with it (${session.dead.split('\n')[0]}); a new MiniBrowser`);
        await session.close().catch(() => {});
        session = await open();
      }
      return session.newPage();
    },
    get exit() { return driver.exit; },
    async close() {
      if (closed) return;
      closed = true;
      await stopAll();
    },
  };
}
