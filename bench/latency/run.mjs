// Glass-to-glass delay and time to first picture, in one browser (one clock):
//   our pusher -> gateway -> nginx-rtmp -> gateway -> our player (RTC and live, side by side), and
//   our pusher -> gateway -> node-media-server -> gateway -> our player (RTC), beside mpegts.js playing the
//   same stream from node-media-server's HTTP-FLV.
// The camera is the barcode fixture (tests/browser/lib/fixtures.mjs): each picture carries its frame
// number. The pusher's own preview <video> is watched as the reference "glass" (when each number is first
// shown locally); a player's delay for frame n is when it first shows n minus when the preview first
// showed n. Both are read by the same page-side probe (tests/browser/lib/picture_probe.mjs), so the
// preview's own display delay cancels and what remains is encode + network + server + buffer + decode.
//
//   node bench/latency/run.mjs [--seconds 20]      (needs scripts/build.sh native + wasm)
import { cameraFixture, toneFixture } from '../../tests/browser/lib/fixtures.mjs';
import { startPlayerEnv, sleep, until } from '../../tests/browser/lib/player_env.mjs';
import { summary } from '../../tests/browser/lib/picture_probe.mjs';
import { waitNmsPublished } from '../../tests/browser/lib/node_media_server.mjs';
import { waitPublished } from '../../tests/interop/lib/gateway.mjs';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 20);
const W = 640;
const H = 360;
const cam = await cameraFixture({ width: W, height: H, fps: 30, seconds: 40 });
const mic = await toneFixture({ seconds: 20 });
const env = await startPlayerEnv({ nms: true, browserArgs: [`--use-file-for-fake-video-capture=${cam.file}`, `--use-file-for-fake-audio-capture=${mic.file}`] });
const page = env.page;

async function addPusher(id, url) {
  await page.evaluate(({ id, url }) => {
    const el = document.createElement('live-pusher');
    el.id = id;
    // horizontal + 9:16: the camera's own 16:9 picture, uncropped, so the barcode reads the same everywhere.
    for (const [k, v] of Object.entries({ url, mode: 'RTC', 'min-bitrate': 600, 'max-bitrate': 1500, aspect: '9:16', orientation: 'horizontal' })) el.setAttribute(k, String(v));
    el.style.cssText = 'width:640px;height:360px';
    document.body.appendChild(el);
    return window.livewasm.createLivePusherContext(id).start();
  }, { id, url });
  return page.evaluate((id) => {
    const video = document.getElementById(id).shadowRoot.querySelector('video');
    return window.lwProbe.watchPicture(video, { srcWidth: 640, srcHeight: 360 });
  }, id);
}

// The camera file loops (its numbers repeat every `cam.frames` frames), so a frame shown by a player at t
// is matched with the latest time the preview first showed that number before t.
function delaysAgainst(reference, frames, from) {
  const seen = new Map();  // n -> [times the preview began showing n]
  for (const f of reference) {
    if (!seen.has(f.n)) seen.set(f.n, []);
    seen.get(f.n).push(f.t);
  }
  const out = [];
  for (const f of frames) {
    if (f.t < from) continue;
    const times = (seen.get(f.n) || []).filter((r) => r <= f.t + 5);
    if (times.length) out.push(f.t - times[times.length - 1]);
  }
  return out;
}

async function measure(label, refProbe, players, peers = []) {
  await sleep(5000);  // settle: start-up bursts and catch-up are not the steady delay
  const from = await page.evaluate(() => performance.now());
  await sleep(seconds * 1000);
  const ref = (await env.probe.read(refProbe)).frames;
  const rows = [];
  for (const { name, probe, player } of [...players, ...peers]) {
    const d = delaysAgainst(ref, (await env.probe.read(probe)).frames, from);
    const ns = player ? (await player.netstatus()).at(-1) : null;
    rows.push({ run: label, player: name, delayMs: summary(d), startupMs: ns ? ns.startup : null, cacheMs: ns ? ns.cacheMs : null,
      targetMs: ns ? ns.targetMs : null, wasmHeapMB: ns && ns.wasmHeapBytes ? +(ns.wasmHeapBytes / 1048576).toFixed(1) : null,
      dropped: ns ? ns.droppedFrames : null });
  }
  return rows;
}

const results = [];
try {
  // 1. nginx: RTC and live players on the same stream.
  const nginxUrl = env.nginx.url('g2g');
  const ref1 = await addPusher('pusher1', nginxUrl);
  await waitPublished(env.nginx, 'g2g', 15000);
  const rtc = await env.addPlayer({ src: nginxUrl, mode: 'RTC', autoplay: true }, { style: 'width:640px;height:360px' });
  const live = await env.addPlayer({ src: nginxUrl, mode: 'live', 'min-cache': 1, 'max-cache': 3, autoplay: true }, { style: 'width:640px;height:360px' });
  await rtc.waitCode(2004);
  await live.waitCode(2004);
  const pr = await rtc.watchPicture({ srcWidth: W, srcHeight: H, fit: 'contain' });
  const pl = await live.watchPicture({ srcWidth: W, srcHeight: H, fit: 'contain' });
  results.push(...await measure('nginx', ref1, [{ name: 'livewasm RTC', probe: pr, player: rtc }, { name: 'livewasm live (min-cache 1, max-cache 3)', probe: pl, player: live }]));
  await rtc.remove();
  await live.remove();
  await page.evaluate(() => window.livewasm.createLivePusherContext('pusher1').stop());

  // 2. node-media-server: our RTC player through the gateway beside mpegts.js on its HTTP-FLV.
  const nmsUrl = `rtmp://127.0.0.1:${env.nms.rtmpPort}/live/g2g`;
  const ref2 = await addPusher('pusher2', nmsUrl);
  await waitNmsPublished(env.nms, 'g2g', { timeoutMs: 15000 });
  const ours = await env.addPlayer({ src: nmsUrl, mode: 'RTC', autoplay: true }, { style: 'width:640px;height:360px' });
  const peerId = await env.addMpegtsPeer(env.nms.httpFlvUrl ? env.nms.httpFlvUrl('g2g') : `http://127.0.0.1:${env.nms.httpPort}/live/g2g.flv`, { muted: true });
  await ours.waitCode(2004);
  const po = await ours.watchPicture({ srcWidth: W, srcHeight: H, fit: 'contain' });
  const peerVideoProbe = await page.evaluate((id) => window.lwProbe.watchPicture(window.lwPeers[id].video, { srcWidth: 640, srcHeight: 360 }), peerId.id || peerId);
  results.push(...await measure('node-media-server', ref2, [{ name: 'livewasm RTC (gateway rtmp://)', probe: po, player: ours }],
    [{ name: 'mpegts.js HTTP-FLV (<video>, latency chasing)', probe: peerVideoProbe }]));
} finally {
  console.log(JSON.stringify(results, null, 1));
  await env.close();
}
