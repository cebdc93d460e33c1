// Which browser a test runs in: env LW_ENGINE (default 'chromium') names a configuration.
//   chromium            headless Debian Chromium over CDP (browser.mjs; unchanged)
//   firefox             Firefox ESR under Xvfb, no mock audio: AudioContext.resume() never settles here
//   firefox-mockaudio   the same with media.cubeb.force_mock_context (a working audio context)
//   firefox-headless    plain --headless (no WebGL at all), no mock audio
//   webkit              WebKitGTK's MiniBrowser through WebKitWebDriver under Xvfb, default feature flags
// launchEngine() returns the object the envs use: newPage() -> {goto, evaluate(fn, arg), screenshot,
// close}, logText(), errors(), close(); Chromium-only helpers (hide/show, allowDevices, newContext)
// throw "not in <engine>" elsewhere.
import { launchBrowser } from './browser.mjs';
import { launchFirefox } from './firefox.mjs';
import { launchWebKit } from './webkit.mjs';
import { chromiumOnly, CONSOLE_KEEPER, CONSOLE_SCRIPT_PATH } from './page_console.mjs';

export const CONFIGURATIONS = Object.freeze({
  chromium: { engine: 'chromium' },
  firefox: { engine: 'firefox', headless: false, mockAudio: false },
  'firefox-mockaudio': { engine: 'firefox', headless: false, mockAudio: true },
  'firefox-headless': { engine: 'firefox', headless: true, mockAudio: false },
  webkit: { engine: 'webkit' },
});

export const ENGINE = process.env.LW_ENGINE || 'chromium';

export function engineConfig(name = ENGINE) {
  const c = CONFIGURATIONS[name];
  if (!c) throw new Error(`LW_ENGINE=${name}: not one of ${Object.keys(CONFIGURATIONS).join(', ')}`);
  return { name, ...c };
}

// What the static server must add to every page for this engine's log (null: the driver has it).
export function pageSetup(name = ENGINE) {
  return engineConfig(name).engine === 'webkit'
    ? { inject: `<script src="${CONSOLE_SCRIPT_PATH}"></script>`, pages: { [CONSOLE_SCRIPT_PATH]: CONSOLE_KEEPER } }
    : { inject: null, pages: {} };
}

/**
 * @param {object} [o]
 * @param {string} [o.engine]  a configuration name (default env LW_ENGINE)
 * The other options go to the engine: Chromium takes videoFile / audioFile / args / fakeUi; Firefox and
 * WebKit use their own fake devices and ignore the files; Firefox takes mockAudio / headless overrides.
 */
export async function launchEngine({ engine = ENGINE, ...o } = {}) {
  const c = engineConfig(engine);
  if (c.engine === 'chromium') {
    const b = await launchBrowser(o);
    return Object.assign(b, { engine: 'chromium', configuration: c.name });
  }
  const b = c.engine === 'firefox'
    ? await launchFirefox({ headless: o.headless ?? c.headless, mockAudio: o.mockAudio ?? c.mockAudio, echo: o.echo })
    : await launchWebKit({ echo: o.echo });
  return Object.assign(b, { configuration: c.name }, chromiumOnly(c.engine, ['hide', 'show', 'allowDevices', 'newContext']));
}
