// The second of the player's renderers (wasm/core/play/renderer_choice.h): a 2D canvas context, on the
// worker's OffscreenCanvas (engines with no WebGL in workers: WebKit by default, headless Firefox) or,
// for the page renderer, on the page's own <canvas> (js-api/page_pictures.js). Every picture comes as a
// VideoFrame (wasm-decoded I420 is wrapped in one: i420_frame.js) and is drawn with drawImage, so the
// browser converts and scales it (on the GPU where the canvas is accelerated). `object-fit` and
// `orientation`: picture_fit.js. The last picture is kept (a VideoFrame) to draw again on a resize or a
// style change. Surface: webgl2_renderer.js.
import { FittedCanvas } from './picture_fit.js';

export class Canvas2dRenderer extends FittedCanvas {
  /** @param {OffscreenCanvas | HTMLCanvasElement} canvas @param {string} [name] what netstatus calls it */
  constructor(canvas, name = '2d') {
    super(canvas);
    this.name = name;
    this.takesPlanes = false;
    this.backlogged = false;  // draws on its own OffscreenCanvas: nothing queues behind the page
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('this engine gives no 2D context on the player canvas');
    this.ctx = ctx;
    this.last = null;  // the VideoFrame drawn last (owned)
    this.redraw();
  }

  /** Shows a VideoFrame; the renderer owns it from now on (closed when the next one comes). */
  drawFrame(frame) {
    if (this.last) this.last.close();
    this.last = frame;
    this.redraw();
  }

  redraw() {
    const { ctx, canvas } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const frame = this.last;
    if (!frame) return;
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    const p = this.place(width, height);
    ctx.translate(canvas.width / 2, canvas.height / 2);
    if (p.turned) ctx.rotate(Math.PI / 2);  // a quarter clockwise (y runs down)
    const w = width * p.scale;
    const h = height * p.scale;
    ctx.drawImage(frame, -w / 2, -h / 2, w, h);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  snapshot() {
    const { canvas } = this;
    if (typeof canvas.convertToBlob === 'function') return canvas.convertToBlob({ type: 'image/png' });
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'));
  }

  close() {
    if (this.last) this.last.close();
    this.last = null;
  }
}
