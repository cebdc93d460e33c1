// Headless Debian Chromium for the browser tests, driven by npm playwright-core (TOOLCHAIN.md, Browser).
//
// We start Chromium ourselves (own process group, a fresh --user-data-dir in a temp folder removed at
// close) and attach playwright with connectOverCDP, for two reasons found by experiment on Chromium 156:
//   - Hidden page: Playwright's own launch() turns on `Emulation.setFocusEmulationEnabled` for every
//     page it creates, and in Chromium that also holds the WebContents visible (it counts as a capturer),
//     so neither minimising the window nor switching tabs ever makes document.visibilityState 'hidden'.
//     Pages of the *default* context of a browser reached with connectOverCDP(..., {noDefaults: true})
//     get no such override, and there minimising the window through CDP (`Browser.setWindowBounds`
//     windowState 'minimized') fires `visibilitychange` -> 'hidden', and 'normal' fires it back to
//     'visible'. (Switching tabs works too there.) That is `hide()`/`show()`.
//   - Denial: with --use-fake-ui-for-media-stream every getUserMedia is accepted whatever the
//     permissions say (and `=deny` refuses both devices). Without it, the context's permissions decide:
//     granting only 'camera' makes getUserMedia({audio}) reject with NotAllowedError "Permission
//     denied", granting only 'microphone' does the same to {video}. That is `allowDevices()`.
//
//   const b = await launchBrowser({ videoFile, audioFile });   // camera + mic allowed for every origin
//   const page = await b.newPage();                            // console/page errors go to b.logs
//   await page.goto(url);
//   await b.allowDevices({ camera: false });                   // the next getUserMedia({video}) fails
//   await b.hide(page); await b.show(page);                    // real visibilitychange both ways
//   await b.close();
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';
import { groupAlive } from '../../interop/lib/processes.mjs';

export const CHROMIUM = process.env.LW_CHROMIUM ?? '/usr/bin/chromium';

// The flags of TOOLCHAIN.md that work here (the fake UI flag is left out on purpose: see above).
export const BASE_FLAGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  '--disable-dev-shm-usage',
  '--password-store=basic',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--mute-audio',
]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {object} [o]
 * @param {string} [o.videoFile]  y4m for the fake camera (loops; restarts at frame 0 on each getUserMedia)
 * @param {string} [o.audioFile]  wav for the fake microphone
 * @param {boolean} [o.fakeUi]    pass --use-fake-ui-for-media-stream (accepts every request; no denial)
 * @param {string[]} [o.args]     more Chromium flags
 * @param {boolean} [o.echo]      print console lines as they come (default: env LW_BROWSER_ECHO)
 */
// A test process stopped by a signal (the test runner's timeout, Ctrl-C, pkill) does not run 'exit'
// handlers by default, and Chromium runs in its own process group: it would be left running, with its
// fake camera, loading the machine for whatever runs next. Turning the signal into an exit runs them.
let signalsHandled = false;
export function exitOnSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(signal, () => process.exit(code));
  }
}

export async function launchBrowser({ videoFile, audioFile, fakeUi = false, args = [], echo = !!process.env.LW_BROWSER_ECHO, startTimeoutMs = 20000 } = {}) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'lw-chromium-'));
  // A test's own --autoplay-policy (or other switch of BASE_FLAGS) replaces the default one.
  const own = new Set(args.map((a) => a.split('=')[0]));
  const base = BASE_FLAGS.filter((f) => !own.has(f.split('=')[0]));
  const flags = [...base, `--user-data-dir=${profile}`, '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1'];
  if (fakeUi) flags.push('--use-fake-ui-for-media-stream');
  if (videoFile) flags.push(`--use-file-for-fake-video-capture=${videoFile}`);
  if (audioFile) flags.push(`--use-file-for-fake-audio-capture=${audioFile}`);
  flags.push(...args, 'about:blank');
  const proc = spawn(CHROMIUM, flags, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const stderr = [];
  let exit = null;
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); }));
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium did not start within ${startTimeoutMs} ms:\n${stderr.join('\n')}`)), startTimeoutMs);
    readline.createInterface({ input: proc.stderr }).on('line', (line) => {
      if (stderr.length < 500) stderr.push(line);
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then((r) => { clearTimeout(timer); reject(new Error(`chromium exited at start (${JSON.stringify(r)}):\n${stderr.join('\n')}`)); });
  });
  const group = (signal) => { try { process.kill(-proc.pid, signal); } catch {} };
  // If this process dies without close() (an uncaught error, process.exit), take Chromium with it.
  const onExit = () => { group('SIGKILL'); try { rmSync(profile, { recursive: true, force: true }); } catch {} };
  process.once('exit', onExit);
  exitOnSignals();
  let browser;
  try {
    // noDefaults: the default context's pages get no focus emulation (see the top of this file).
    browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
  } catch (err) {
    group('SIGKILL');
    await exited;
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const context = browser.contexts()[0];
  const logs = [];  // {at, source, type, text}
  const t0 = Date.now();
  const log = (source, type, text) => {
    const entry = { at: Date.now() - t0, source, type, text };
    logs.push(entry);
    if (echo) console.log(`[browser ${entry.at} ms] ${source} ${type}: ${text}`);
  };
  const watch = (page) => {
    page.on('console', (m) => log('page', m.type(), m.text()));
    page.on('pageerror', (e) => log('page', 'pageerror', `${e.name}: ${e.message}\n${e.stack ?? ''}`));
    page.on('crash', () => log('page', 'crash', 'the page crashed'));
    page.on('requestfailed', (r) => log('page', 'requestfailed', `${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('worker', (w) => {
      log('page', 'worker', `started ${w.url()}`);
      if (typeof w.on === 'function') {
        w.on('console', (m) => log('worker', m.type(), m.text()));
        w.on('close', () => log('page', 'worker', `closed ${w.url()}`));
      }
    });
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  let closed = false;
  await context.grantPermissions(['camera', 'microphone']);

  const b = {
    browser,
    context,
    endpoint,
    profile,
    pid: proc.pid,
    logs,
    flags,
    get exit() { return exit; },
    // Console lines (and page errors) so far, one per line, for a failure message.
    logText: (filter = () => true) => logs.filter(filter).map((l) => `${l.at} ${l.source} ${l.type}: ${l.text}`).join('\n'),
    errors: () => logs.filter((l) => l.type === 'error' || l.type === 'pageerror' || l.type === 'crash'),

    // A page in the default context (the one where hide()/show() work).
    newPage: () => context.newPage(),

    // Which of camera / microphone getUserMedia may open (for every origin, or only `origin`: a page,
    // a URL or an origin); the other is refused with NotAllowedError "Permission denied". Applies to
    // the next getUserMedia call.
    async allowDevices({ camera = true, microphone = true, origin } = {}) {
      await context.clearPermissions();
      const perms = [];
      if (camera) perms.push('camera');
      if (microphone) perms.push('microphone');
      if (!perms.length) return;
      if (origin) {
        const url = typeof origin === 'string' ? origin : origin.url();
        await context.grantPermissions(perms, { origin: new URL(url).origin });
      } else {
        await context.grantPermissions(perms);
      }
    },

    // The page's window minimised: document.visibilityState 'hidden' and a visibilitychange event.
    async hide(page, { waitMs = 3000 } = {}) {
      await setWindowState(page, 'minimized');
      await waitVisibility(page, 'hidden', waitMs);
    },
    async show(page, { waitMs = 3000 } = {}) {
      await setWindowState(page, 'normal');
      await waitVisibility(page, 'visible', waitMs);
    },

    // A context with its own permissions (Playwright's newContext). Note: hide()/show() do not work on
    // its pages (Playwright's focus emulation keeps them visible); use newPage() for those.
    newContext: (options) => browser.newContext(options),

    async close() {
      if (closed) return;
      closed = true;
      await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
      group('SIGTERM');
      const timer = setTimeout(() => group('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      group('SIGKILL');  // a leftover zygote or utility process must not outlive the test
      // Children may still be writing into the profile for a moment: wait until the group is gone.
      for (let i = 0; i < 100 && groupAlive(proc.pid); i++) await sleep(20);
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      process.removeListener('exit', onExit);
    },
  };
  return b;
}

async function setWindowState(page, windowState) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { windowId } = await cdp.send('Browser.getWindowForTarget');
    await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState } });
  } finally {
    await cdp.detach().catch(() => {});
  }
}

async function waitVisibility(page, state, waitMs) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = await page.evaluate(() => document.visibilityState);
    if (now === state) return;
    if (Date.now() > deadline) throw new Error(`document.visibilityState is still '${now}' ${waitMs} ms after asking for '${state}'`);
    await sleep(20);
  }
}
