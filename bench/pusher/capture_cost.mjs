// What the camera path costs an engine, step by step, without the product: the CPU time of the
// browser's processes (web, UI, network, Xvfb) over 8 s, per stage of the path the pusher takes where
// the page has no MediaStreamTrackProcessor (Firefox, WebKit: js-api/live_pusher.js sendVideo()).
//
//   stage 0  the camera track open, nothing shown
//   stage 1  + the preview: a <video> of the camera, 180x320 on the page (what <live-pusher> shows)
//   stage 2  + a second, hidden <video> and a VideoFrame from it at each requestVideoFrameCallback
//   stage 3  + each frame transferred to a worker that copies its pixels (copyTo): the pusher's path
//   stage 4  as 3, the frames grabbed from the preview <video> itself (no second element)
//   stage 5  the track transferred to a worker and read there by MediaStreamTrackProcessor, if it has one
//
//   LW_ENGINE=webkit node bench/pusher/capture_cost.mjs [--stages 0,1,2,3,4,5] [--size 1280x720]
// Prints one line per stage: CPU % of one core, frames grabbed per second, the track's settings.
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { ENGINE, launchEngine, pageSetup } from '../../tests/browser/lib/engines.mjs';
import { startStaticServer } from '../../tests/browser/lib/static_server.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const STAGES = arg('stages', '0,1,2,3,4,5').split(',').map(Number);
const [WIDTH, HEIGHT] = arg('size', '1280x720').split('x').map(Number);
const WINDOW_S = 8;

const WORKER = `
let n = 0;
const copy = async (frame) => { await frame.copyTo(new Uint8Array(frame.allocationSize())); frame.close(); n++; };
onmessage = async ({ data }) => {
  if (data.frame) { await copy(data.frame); postMessage({ n }); return; }
  if (typeof MediaStreamTrackProcessor !== 'function') { postMessage({ error: 'no MediaStreamTrackProcessor in the worker' }); return; }
  const reader = new MediaStreamTrackProcessor({ track: data.track }).readable.getReader();
  for (;;) { const { value } = await reader.read(); if (!value) return; await copy(value); postMessage({ n }); }
};`;
const PAGE = `<!doctype html><meta charset="utf-8"><body>
<video id="preview" autoplay muted playsinline style="width:180px;height:320px"></video>
<script type="module">
window.stage = async (stage, width, height) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: 30, max: 30 } } });
  const track = stream.getVideoTracks()[0];
  const info = (window.info = { settings: track.getSettings(), grabbed: 0, error: null });
  const preview = document.getElementById('preview');
  if (stage >= 1 && stage !== 5) { preview.srcObject = stream; await preview.play(); }
  if (stage < 2) return;
  const worker = new Worker('/capture_worker.js');
  worker.onmessage = ({ data }) => { if (data.error) info.error = data.error; else info.grabbed = data.n; };
  if (stage === 5) { worker.postMessage({ track }, [track]); return; }
  let video = preview;
  if (stage !== 4) {
    video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    video.play();
  }
  const grab = () => {
    if (video.readyState >= 2) {
      const frame = new VideoFrame(video, { timestamp: performance.now() * 1000 });
      if (stage >= 3) worker.postMessage({ frame }, [frame]);
      else { frame.close(); info.grabbed++; }
    }
    video.requestVideoFrameCallback(grab);
  };
  video.requestVideoFrameCallback(grab);
};
window.ready = true;
</script>`;

// CPU time (user + system, in clock ticks of 10 ms) of these processes so far.
const ticks = (pids) => pids.reduce((sum, pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + Number(f[11]) + Number(f[12]);
  } catch {
    return sum;
  }
}, 0);
const browserPids = () => execSync('pgrep -f "WebKitWebProcess|WebKitNetworkProcess|MiniBrowser|Xvfb|firefox|chromium" || true')
  .toString().trim().split('\n').filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const setup = pageSetup();
console.log(`${ENGINE}, camera asked for ${WIDTH}x${HEIGHT}, CPU over ${WINDOW_S} s after 3 s of warm-up`);
for (const stage of STAGES) {
  const srv = await startStaticServer({ inject: setup.inject, pages: { ...setup.pages, '/capture.html': PAGE, '/capture_worker.js': WORKER } });
  const browser = await launchEngine();
  try {
    const page = await browser.newPage();
    await page.goto(srv.url('/capture.html'));
    for (let i = 0; i < 50 && !(await page.evaluate(() => window.ready === true)); i++) await sleep(100);
    await page.evaluate(([s, w, h]) => window.stage(s, w, h), [stage, WIDTH, HEIGHT]);
    await sleep(3000);
    const pids = browserPids();
    const c0 = ticks(pids);
    const t0 = Date.now();
    const g0 = (await page.evaluate(() => window.info)).grabbed;
    await sleep(WINDOW_S * 1000);
    const c1 = ticks(pids);
    const seconds = (Date.now() - t0) / 1000;
    const info = await page.evaluate(() => window.info);
    const s = info.settings;
    console.log(`stage ${stage}: ${((c1 - c0) / seconds).toFixed(0)} % CPU, ${((info.grabbed - g0) / seconds).toFixed(1)} frames/s grabbed, camera ${s.width}x${s.height} at ${s.frameRate}${info.error ? `; ${info.error}` : ''}`);
  } finally {
    await browser.close();
    await srv.close();
  }
}
process.exit(0);
