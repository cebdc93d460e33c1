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

export class VideoTrackSurface {
  /** @param {HTMLCanvasElement} canvas replaced in the document @param {{fit: string, orientation: string}} style */
  constructor(canvas, style) {
    const Generator = trackGenerator();
    this.generator = new Generator({ kind: 'video' });
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
    if (this.resizer) this.resizer.disconnect();
    const st = this.video.style;
    st.objectFit = st.background = st.transform = st.width = st.height = st.marginBottom = '';
    this.generator.stop();
    this.video.srcObject = null;
  }
}
