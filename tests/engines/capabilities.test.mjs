// What each engine gives the player and the pusher, measured in the engine of LW_ENGINE (engines.mjs
// configurations) on a cross-origin isolated page (COOP/COEP, as README asks of a page): the capture path
// and its pixel format, the H.264 and audio encoders the pusher chose with videoEncoder 'auto', the
// decoders and the renderer the player chose with everything 'auto' (netstatus), the sound output path,
// wasm SIMD. Prints one line `capabilities <configuration> {json}` and asserts the facts README's browser
// table states (EXPECTED below), so the table cannot drift from the engines silently: a new engine
// version that changes a path fails here and names what changed.
// One browser, one page: the pusher first (camera -> nginx, 1002, its encoders, stopped), then the
// player on a barcode stream from ffmpeg (2004, its next netstatus).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, playerMissing, nextNetstatus } from '../browser/lib/player_env.mjs';
import { publishBarcode } from '../browser/lib/publishers.mjs';
import { waitPublished, until } from '../interop/lib/gateway.mjs';
import { CONFIG, lastLog } from './lib/engine_checks.mjs';

// Measured on this machine (Debian bookworm, 2 cores, no GPU, no sound device) with the commands in
// README's browser section; `version`: the version the facts were measured with (its leading parts).
const EXPECTED = {
  chromium: {
    version: '156', trackProcessor: true, captureFormat: 'I420', videoEncoder: 'openh264', audioEncoder: 'ffmpeg aac',
    videoDecoder: 'webcodecs', audioDecoder: 'webcodecs', renderer: 'video', sound: 'ring', simd: true,
  },
  firefox: {
    version: '153', trackProcessor: false, captureFormat: 'I420', videoEncoder: 'openh264', audioEncoder: null,
    videoDecoder: 'webcodecs', audioDecoder: 'webcodecs', renderer: 'webgl2', sound: 'silent clock', simd: true,
  },
  'firefox-mockaudio': {
    version: '153', trackProcessor: false, captureFormat: 'I420', videoEncoder: 'openh264', audioEncoder: 'ffmpeg aac',
    videoDecoder: 'webcodecs', audioDecoder: 'webcodecs', renderer: 'webgl2', sound: 'ring', simd: true,
  },
  'firefox-headless': {
    version: '153', trackProcessor: false, captureFormat: 'I420', videoEncoder: 'openh264', audioEncoder: null,
    videoDecoder: 'webcodecs', audioDecoder: 'webcodecs', renderer: 'page', sound: 'silent clock', simd: true,
  },
  webkit: {
    version: '2.50', trackProcessor: false, captureFormat: 'RGBA', videoEncoder: 'webcodecs hardware h264', audioEncoder: 'ffmpeg aac',
    videoDecoder: 'webcodecs', audioDecoder: 'wasm', renderer: '2d', sound: 'posted blocks', simd: true,
  },
};

const missing = playerMissing();
let env;
let pub;
before(async () => {
  if (missing) return;
  env = await startPlayerEnv({ isolated: true });
  pub = await publishBarcode(env.nginx.url('caps'));
  await waitPublished(env.nginx, 'caps');
});
after(async () => {
  await pub?.kill().catch(() => {});
  await env?.close();
});

// In the page: what the platform offers, and the capture path the pusher takes (js-api/live_pusher.js
// sendVideo: the track processor where there is one, else frames made from a <video>) with one frame's format.
async function pageFacts() {
  const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8,
    0, 65, 0, 253, 15, 253, 98, 11]);
  const bounded = (p, ms, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(`${what}: no answer in ${ms} ms`)), ms))]);
  const facts = {
    userAgent: navigator.userAgent,
    isolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    simd: WebAssembly.validate(SIMD_PROBE),
    trackProcessor: typeof MediaStreamTrackProcessor === 'function',
  };
  const stream = await bounded(navigator.mediaDevices.getUserMedia({ video: true }), 20000, 'getUserMedia');
  const track = stream.getVideoTracks()[0];
  let frame;
  try {
    if (facts.trackProcessor) {
      const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
      frame = (await bounded(reader.read(), 10000, 'a frame from the track processor')).value;
    } else {
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      video.play().catch(() => {});
      await bounded(new Promise((r) => video.requestVideoFrameCallback(r)), 10000, 'a frame of the <video>');
      frame = new VideoFrame(video, { timestamp: 0 });
    }
    facts.captureFormat = frame.format;
    facts.captureSize = `${frame.displayWidth}x${frame.displayHeight}`;
    frame.close();
  } finally {
    track.stop();
  }
  return facts;
}

test(`capabilities of ${CONFIG.name}: capture, encoders, decoders, renderer, sound, SIMD as README states`, { skip: missing ?? false }, async () => {
  const page = env.page;
  const facts = await page.evaluate(pageFacts);
  facts.configuration = CONFIG.name;
  // Firefox and WebKit launchers name their version; Chromium's is in its user agent.
  facts.version = typeof env.browser.version === 'string' ? env.browser.version.replace(/^[a-z]+\//i, '')
    : /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(facts.userAgent)?.[1] ?? null;

  // The pusher with videoEncoder 'auto': 1002, then the encoders its worker chose.
  await env.configure({ videoEncoder: 'auto', videoDecoder: 'auto', audioDecoder: 'auto', renderer: 'auto' });
  await page.evaluate((url) => {
    const el = document.createElement('live-pusher');
    el.id = 'caps-pusher';
    el.setAttribute('url', url);
    el.setAttribute('mode', 'RTC');
    const log = (window.lwCapsPush = []);
    el.addEventListener('statechange', (e) => log.push(e.detail.code));
    document.body.appendChild(el);
    window.livewasm.createLivePusherContext('caps-pusher').start().catch((e) => log.push(`start failed: ${e && (e.errMsg || e.message)}`));
  }, env.nginx.url('caps-push'));
  await until(() => page.evaluate(() => window.lwCapsPush.includes(1002) || window.lwCapsPush.some((c) => typeof c === 'string')),
    { timeoutMs: 40000, what: 'the pusher: 1002 or a failed start' })
    .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await page.evaluate(() => window.lwCapsPush))}\n${lastLog(env)}`); });
  const push = await page.evaluate(async () => {
    const el = document.getElementById('caps-pusher');
    const r = { codes: window.lwCapsPush.slice(), encoders: el.pusher.encoders ?? null };
    await window.livewasm.createLivePusherContext('caps-pusher').stop();
    el.remove();
    return r;
  });
  facts.pushCodes = push.codes;
  facts.videoEncoder = push.encoders?.videoEncoder ?? null;
  // No sound captured (-1302: the audio context did not start) means no audio encoder in use.
  facts.audioEncoder = push.codes.includes(-1302) ? null : push.encoders?.audioEncoder ?? null;

  // The player with every choice 'auto'.
  const p = await env.addPlayer({ src: env.nginx.url('caps'), autoplay: true, mode: 'RTC' });
  try {
    await p.waitCode(2004, { timeoutMs: 30000 });
    const net = await nextNetstatus(p, { timeoutMs: 5000 });
    const audio = await page.evaluate((id) => {
      const pl = document.getElementById(id).player;
      return { state: pl.audioContext ? pl.audioContext.state : 'none' };
    }, p.id);
    facts.videoDecoder = net.videoDecoder;
    facts.audioDecoder = net.audioDecoder;
    facts.renderer = net.renderer;
    // live_player.js openAudio: a SharedArrayBuffer ring on an isolated page that has one, else blocks
    // posted to the worklet; a context that is not running leaves the worker on its silent clock.
    facts.audioContext = audio.state;
    facts.sound = audio.state !== 'running' ? 'silent clock' : facts.isolated && facts.sharedArrayBuffer ? 'ring' : 'posted blocks';
  } finally {
    await p.remove().catch(() => {});
  }

  console.log(`capabilities ${CONFIG.name} ${JSON.stringify(facts)}`);
  const want = EXPECTED[CONFIG.name];
  assert.ok(want, `no expected capabilities for ${CONFIG.name}`);
  assert.ok(facts.isolated, 'the page is cross-origin isolated (the facts are about such a page)');
  assert.ok(String(facts.version).startsWith(`${want.version}.`), `the engine version the table was measured with: ${want.version}, not ${facts.version}`);
  const got = Object.fromEntries(Object.keys(want).filter((k) => k !== 'version').map((k) => [k, facts[k]]));
  const { version, ...expected } = want;
  assert.deepEqual(got, expected, `${CONFIG.name} differs from README's browser table`);
});

// Issue 14, item 2: Firefox's and WebKit's stacks do not start with the message, so a worker that sent
// `String(err.stack)` showed the page "YuvRenderer@.../yuv_renderer.js:41:20" and never the reason. The
// workers send worker/error_text.js's text; in this engine it must carry the message and the error's name.
test(`error texts carry their message in ${CONFIG.name}`, { skip: missing ?? false }, async () => {
  const texts = await env.page.evaluate(async () => {
    const { errorText } = await import('/worker/error_text.js');
    const out = [];
    try { throw new Error('the renderer has no context'); } catch (e) { out.push(errorText(e)); }
    try { null.width; } catch (e) { out.push(errorText(e)); }
    out.push(errorText('a plain string'));
    return out;
  });
  console.log(`error texts in ${CONFIG.name}: ${JSON.stringify(texts)}`);
  assert.match(texts[0], /^the renderer has no context(\n|$)/);
  assert.match(texts[1], /^TypeError: \S/);
  assert.equal(texts[2], 'a plain string');
});
