// The page's side of the player's last renderer (worker/page_picture_sink.js): pictures the worker hands
// over as transferred VideoFrames, drawn on the player's own <canvas> with a 2D context (the same drawing
// as the worker's 2D renderer, worker/canvas2d_renderer.js). Used where the engine's workers can make no
// OffscreenCanvas context, when configure({renderer: 'page'}) asks for it, and after a worker renderer
// failed while playing.
import { Canvas2dRenderer } from '../worker/canvas2d_renderer.js';

export class PagePictures {
  /** @param {HTMLCanvasElement} canvas @param {{fit: string, orientation: string}} style */
  constructor(canvas, style) {
    this.renderer = new Canvas2dRenderer(canvas, 'page');
    this.renderer.setStyle(style);
  }

  get canvas() {
    return this.renderer.canvas;
  }

  /** @param {VideoFrame} frame owned from here on */
  draw(frame) {
    this.renderer.drawFrame(frame);
  }

  setStyle(style) {
    this.renderer.setStyle(style);
  }

  resize(width, height) {
    this.renderer.resize(width, height);
  }

  snapshot() {
    return this.renderer.snapshot();
  }

  close() {
    this.renderer.close();
  }
}

// A canvas that was transferred to a worker cannot be drawn on by the page: a fresh one takes its place
// in the document (same attributes), for the page to draw on.
export function replaceCanvas(old) {
  const fresh = document.createElement('canvas');
  copyAttributes(old, fresh);
  fresh.width = old.width || 300;
  fresh.height = old.height || 225;
  if (old.parentNode) old.replaceWith(fresh);
  return fresh;
}

/** Gives `to` the attributes of `from` (part, class, style...: what the page styles it by), but `except`. */
export function copyAttributes(from, to, except = []) {
  for (const { name, value } of Array.from(from.attributes)) if (!except.includes(name)) to.setAttribute(name, value);
}
