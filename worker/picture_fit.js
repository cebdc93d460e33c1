// Where a picture goes on a canvas, for every renderer (webgl2_renderer.js, canvas2d_renderer.js, and the
// page's, js-api/page_pictures.js): `object-fit` `contain` letterboxes with black bars, `fillCrop` fills
// the canvas and crops the overflow; `orientation` `horizontal` turns the picture a quarter clockwise.
// The result is centred on the canvas. FittedCanvas holds the style and the canvas size the renderers
// share; each draws with its own redraw().

/**
 * @param {number} canvasWidth @param {number} canvasHeight @param {number} width @param {number} height
 * @param {string} fit 'contain' | 'fillCrop' @param {string} orientation 'vertical' | 'horizontal'
 * @returns {{turned: boolean, scale: number, width: number, height: number}} width/height: the picture's
 *   size on the canvas after turning and scaling (may exceed the canvas with fillCrop)
 */
export function placement(canvasWidth, canvasHeight, width, height, fit, orientation) {
  const turned = orientation === 'horizontal';
  const dw = turned ? height : width;
  const dh = turned ? width : height;
  const scale = fit === 'fillCrop' ? Math.max(canvasWidth / dw, canvasHeight / dh) : Math.min(canvasWidth / dw, canvasHeight / dh);
  return { turned, scale, width: dw * scale, height: dh * scale };
}

/** A renderer's canvas with the player's style; subclasses draw in redraw(). */
export class FittedCanvas {
  /** @param {OffscreenCanvas | HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.fit = 'contain';
    this.orientation = 'vertical';
  }

  setStyle({ fit, orientation }) {
    if (fit) this.fit = fit;
    if (orientation) this.orientation = orientation;
    this.redraw();
  }

  resize(width, height) {
    if (width > 0 && height > 0 && (this.canvas.width !== width || this.canvas.height !== height)) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.redraw();
    }
  }

  /** placement() of a width x height picture on this canvas, in this style. */
  place(width, height) {
    return placement(this.canvas.width, this.canvas.height, width, height, this.fit, this.orientation);
  }

  redraw() {}
}
