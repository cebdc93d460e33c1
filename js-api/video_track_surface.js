// The page's side of the player's first renderer (worker/video_track_renderer.js): a <video> showing a
// MediaStreamTrackGenerator's track, in the place of the player's <canvas> (same attributes, so the
// element's `part="video"` and styles carry over). The generator's writable goes to the worker, which
// writes each due VideoFrame to it; the compositor shows the frame as it shows MSE video, with no
// canvas drawing (bench/RESULTS.md, Player cost: 0.39 cores against 0.45 for the worker's 2D canvas at
// 720p in headless Chromium). `object-fit` is CSS `contain` / `cover`; `orientation: horizontal` turns
// the <video> a quarter clockwise with a CSS transform, sized to its box turned.
//
// Offered where the engine has the generator (Chromium; Firefox and WebKit have none in the page) and
// the player's canvas is in the document (a headless player's canvas belongs to the page's own code).

import { copyAttributes } from './page_pictures.js';

// Chromium's (non-standard, so not in the DOM typings): new MediaStreamTrackGenerator({kind: 'video'}) is
// a MediaStreamTrack with a `writable` for VideoFrames.
const trackGenerator = () => /** @type {any} */ (globalThis).MediaStreamTrackGenerator;

/** @param {HTMLCanvasElement} canvas */
export function canShowVideoTrack(canvas) {
  return typeof trackGenerator() === 'function' && typeof MediaStream === 'function' && !!canvas && canvas.isConnected;
}

// How many players of one page show their pictures through tracks. Every frame written to a generator's
// writable from the worker passes through the page's main thread, and Chromium gives the worker no
// backpressure for it (the transferred writable's desiredSize stayed 1 while the page fell behind,
// measured in Chromium 156). In headless Chromium on 2 cores, 8 players of 480x360 at 25 fps played at
// 22-25 fps each with the page answering a call in 6 ms; 16 fell to 0-15 fps with the page's answer
// growing from 1.5 s to 23 s over two minutes (a queue with no bound), where 16 on the worker's WebGL2
// canvas held at 5-9 fps each with the page answering in 6-360 ms. So a page offers tracks to at most 4
// players per core; the rest draw on their own canvas in their worker (the core's next renderer).
const TRACKS_PER_CORE = 4;
let tracksOpen = 0;     // VideoTrackSurfaces on this page
let tracksOffered = 0;  // players that offered a track to their worker and have not heard its choice

/** The most players of this page that may show pictures through tracks. */
export function mostVideoTracks() {
  const cores = (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2;
  return TRACKS_PER_CORE * Math.max(1, cores);
}

/**
 * Whether a starting player may offer its worker a track: the engine has the generator, the canvas is in
 * the document, and the page is under mostVideoTracks(). A true answer holds a place until
 * settleVideoTrackOffer() (the worker chose, or the start failed).
 * @param {HTMLCanvasElement} canvas
 */
export function offerVideoTrack(canvas) {
  if (!canShowVideoTrack(canvas) || tracksOpen + tracksOffered >= mostVideoTracks()) return false;
  tracksOffered++;
  return true;
}

export function settleVideoTrackOffer() {
  if (tracksOffered > 0) tracksOffered--;
}

export class VideoTrackSurface {
  /** @param {HTMLCanvasElement} canvas replaced in the document @param {{fit: string, orientation: string}} style */
  constructor(canvas, style) {
    const Generator = trackGenerator();
    this.generator = new Generator({ kind: 'video' });
    tracksOpen++;
    this.open = true;
    const video = document.createElement('video');
    copyAttributes(canvas, video, ['width', 'height']);
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.disableRemotePlayback = true;
    video.srcObject = new MediaStream([this.generator]);
    canvas.replaceWith(video);
    this.video = video;
    this.style = { fit: 'contain', orientation: 'vertical' };
    this.setStyle(style);
    // A muted video may always play; play() settles once the first frame is written.
    video.play().catch(() => {});
    if (typeof ResizeObserver !== 'undefined' && video.parentNode) {
      this.resizer = new ResizeObserver(() => this.place());
      const box = video.parentNode.host || video.parentNode;
      if (box instanceof Element) this.resizer.observe(box);
    }
  }

  /** The generator's writable, for the worker (transferred). */
  get writable() {
    return this.generator.writable;
  }

  setStyle({ fit, orientation } = {}) {
    if (fit) this.style.fit = fit;
    if (orientation) this.style.orientation = orientation;
    this.place();
  }

  // object-fit, and the quarter turn: the <video> is laid out in its box turned (its width the box's
  // height), moved back to the box's origin, and turned about its centre.
  place() {
    const s = this.video.style;
    s.objectFit = this.style.fit === 'fillCrop' ? 'cover' : 'contain';
    s.background = '#000';
    if (this.style.orientation !== 'horizontal') {
      s.transform = s.width = s.height = s.marginBottom = '';
      return;
    }
    const box = this.video.parentNode && (this.video.parentNode.host || this.video.parentNode);
    const w = box && box.clientWidth;
    const h = box && box.clientHeight;
    if (!w || !h) return;
    s.width = `${h}px`;
    s.height = `${w}px`;
    s.marginBottom = `${h - w}px`;  // the flow keeps the box's own height
    s.transform = `translate(${(w - h) / 2}px, ${(h - w) / 2}px) rotate(90deg)`;
  }

  close() {
    if (this.open) tracksOpen--;
    this.open = false;
    if (this.resizer) this.resizer.disconnect();
    const st = this.video.style;
    st.objectFit = st.background = st.transform = st.width = st.height = st.marginBottom = '';
    this.generator.stop();
    this.video.srcObject = null;
  }
}
