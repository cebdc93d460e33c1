// The frame-number barcode the camera fixture carries (fixtures.mjs draws it with ffmpeg's geq filter;
// stream_reader.mjs and the test pages read it back). One definition of the layout, used by all.
//
// Layout, in the source picture (W x H): a square of side S = 4 * floor(min(W, H) / 8) (half the short
// side, a multiple of 4) centred on the picture, cut into 4 x 4 cells of side C = S / 4. Cell k (0..15)
// is row floor(k / 4), column k % 4. Bits 0..11 are the frame number n (mod 4096, least significant
// first), bits 12..15 a check nibble: (n0 + 3 n1 + 5 n2 + 7) mod 16 over the number's nibbles, so an
// all-black or all-white square is never a valid code. A 1 is white (luma 235), a 0 black (luma 16).
//
// Why a centred square of half the short side: from a 16:9 source a 9:16 vertical crop keeps only the
// central 0.5625 * H x H; 0.5 * H fits in that, and in a 3:4 crop, in either orientation.
//
// Reading: sample each cell's centre relative to the picture's centre, scaled from the source to the
// picture. A centred crop to a narrower aspect keeps the source's full height (scale = picture height /
// source height); to a wider aspect it keeps the full width (scale = picture width / source width).

export const BITS = 12;
export const MODULO = 1 << BITS;
export const GRID = 4;

export function checkNibble(n) {
  const n0 = n & 15;
  const n1 = (n >> 4) & 15;
  const n2 = (n >> 8) & 15;
  return (n0 + 3 * n1 + 5 * n2 + 7) & 15;
}

// The 16 bits of frame `n` (index k = cell k).
export function encodeBits(n) {
  n = ((n % MODULO) + MODULO) % MODULO;
  const code = n | (checkNibble(n) << BITS);
  return Array.from({ length: 16 }, (_, k) => (code >> k) & 1);
}

// Geometry of the square in the source picture.
export function squareOf(srcWidth, srcHeight) {
  const side = 4 * Math.floor(Math.min(srcWidth, srcHeight) / 8);
  const x0 = 2 * Math.floor((srcWidth - side) / 4);   // even, so chroma lines up
  const y0 = 2 * Math.floor((srcHeight - side) / 4);
  return { side, cell: side / GRID, x0, y0 };
}

// The scale from source pixels to picture pixels for a centred crop + uniform scale.
export function cropScale(srcWidth, srcHeight, width, height) {
  return width / height <= srcWidth / srcHeight ? height / srcHeight : width / srcWidth;
}

// geq expressions (lum, cb, cr) that draw the code of frame N over the input.
export function geqExpressions(srcWidth, srcHeight) {
  const { side, cell, x0, y0 } = squareOf(srcWidth, srcHeight);
  const inside = (x, y) => `between(${x},${x0},${x0 + side - 1})*between(${y},${y0},${y0 + side - 1})`;
  const n = `mod(N,${MODULO})`;
  const nib = (i) => `mod(floor(${n}/${16 ** i}),16)`;
  const check = `mod(${nib(0)}+3*${nib(1)}+5*${nib(2)}+7,16)`;
  const k = `(4*floor((Y-${y0})/${cell})+floor((X-${x0})/${cell}))`;
  const bit = `if(lt(${k},${BITS}),mod(floor(${n}/pow(2,${k})),2),mod(floor(${check}/pow(2,${k}-${BITS})),2))`;
  const lum = `if(${inside('X', 'Y')},16+219*${bit},lum(X,Y))`;
  const chroma = (plane) => `if(${inside('X/SW', 'Y/SH')},128,${plane}(X,Y))`;
  return { lum, cb: chroma('cb'), cr: chroma('cr') };
}

/**
 * Reads the code from a gray (luma) picture.
 * @param {Uint8Array} luma  width x height samples, `stride` bytes per row
 * @param {{width:number, height:number, stride?:number, srcWidth?:number, srcHeight?:number}} geo
 *   srcWidth/srcHeight: the fixture's size (default: the picture's own, i.e. no crop)
 * @returns {{number: number|null, bits: number[], contrast: number}}
 */
export function readBarcode(luma, { width, height, stride = width, srcWidth = width, srcHeight = height }) {
  const { cell } = squareOf(srcWidth, srcHeight);
  const scale = cropScale(srcWidth, srcHeight, width, height);
  const cx = width / 2;
  const cy = height / 2;
  const c = cell * scale;
  const r = Math.max(0, Math.floor(c * 0.2));  // average a patch around the cell centre
  const means = [];
  for (let k = 0; k < 16; k++) {
    const x = Math.round(cx + ((k % 4) - 1.5) * c);
    const y = Math.round(cy + (Math.floor(k / 4) - 1.5) * c);
    let sum = 0;
    let count = 0;
    for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
      for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
        sum += luma[yy * stride + xx];
        count++;
      }
    }
    means.push(count ? sum / count : 0);
  }
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  const contrast = hi - lo;
  const threshold = (lo + hi) / 2;
  const bits = means.map((m) => (m > threshold ? 1 : 0));
  let code = 0;
  for (let k = 0; k < 16; k++) code |= bits[k] << k;
  const n = code & (MODULO - 1);
  const ok = contrast >= 40 && code >> BITS === checkNibble(n);
  return { number: ok ? n : null, bits, contrast };
}

// The same reader as source text, for test pages (no imports there): defines readBarcode(...) and
// its helpers in the page's scope.
export const PAGE_SOURCE = [checkNibble, squareOf, cropScale, readBarcode]
  .map((f) => f.toString()).join('\n')
  .concat(`\nconst BITS = ${BITS}, MODULO = ${MODULO}, GRID = ${GRID};\n`);
