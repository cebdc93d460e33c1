// A wasm decoder's I420 picture (planes in the module's memory, valid until its next call) as a
// VideoFrame, for the renderers that draw VideoFrames (canvas2d_renderer.js, the page's). The
// constructor copies the three planes out of wasm memory: the one copy the picture needs anyway (the
// WebGL2 renderer's plane upload is the same copy). The browser converts to RGB when it draws.
//
// Chromium wants an even coded size for I420; FFmpeg's planes are padded (strides and rows: it aligns
// both for its own motion compensation), so the coded size is rounded up to even and the visible rect
// keeps the real size.

/**
 * @param {Uint8Array} heap the decoder module's memory (HEAPU8)
 * @param {{ptsUs: number, width: number, height: number, yPtr: number, uPtr: number, vPtr: number,
 *          strideY: number, strideU: number, strideV: number}} f a WasmVideoDecoder frame
 */
export function i420Frame(heap, f) {
  const codedWidth = (f.width + 1) & ~1;
  const codedHeight = (f.height + 1) & ~1;
  const chromaRows = codedHeight >> 1;
  const planes = [[f.yPtr, f.strideY, codedHeight], [f.uPtr, f.strideU, chromaRows], [f.vPtr, f.strideV, chromaRows]];
  const base = Math.min(f.yPtr, f.uPtr, f.vPtr);
  const end = Math.max(...planes.map(([ptr, stride, rows]) => ptr + stride * rows));
  return new VideoFrame(new Uint8Array(heap.buffer, base, end - base), {
    format: 'I420', codedWidth, codedHeight, timestamp: f.ptsUs,
    visibleRect: { x: 0, y: 0, width: f.width, height: f.height },
    layout: planes.map(([ptr, stride]) => ({ offset: ptr - base, stride })),
  });
}
