// The first of the player's renderers (wasm/core/play/renderer_choice.h): WebGL2 on the worker's
// OffscreenCanvas. I420 planes straight from wasm memory (the FFmpeg path: Y, U, V as R8 textures,
// BT.601 limited range to RGB in the shader) or a WebCodecs VideoFrame (uploaded as an RGBA texture, the
// browser converts). `object-fit` and `orientation` (picture_fit.js) are one vertex transform.
//
// Decoded wasm frames live only until the decoder's next call, so each is uploaded at once into a slot of
// a small texture pool and drawn from there when its time comes (`takesPlanes`): the upload is the one
// copy a picture needs anyway. The other renderers take every picture as a VideoFrame.
//
// Every renderer has this surface: name, takesPlanes, canvas (or null), acquire/release/upload (planes
// only), drawSlot (planes only), drawFrame(frame) (takes the frame: the renderer closes it), setStyle,
// resize, snapshot() -> Blob, close(), and backlogged (true while the surface has not taken the last
// picture: the worker then holds the next). A renderer that throws is replaced by the next (player_worker.js).
import { FittedCanvas } from './picture_fit.js';

const VERTEX = `#version 300 es
in vec2 position;
in vec2 texcoord;
out vec2 uv;
void main() { uv = texcoord; gl_Position = vec4(position, 0.0, 1.0); }`;

const FRAGMENT_I420 = `#version 300 es
precision mediump float;
in vec2 uv;
uniform sampler2D planeY, planeU, planeV;
out vec4 color;
void main() {
  float y = 1.1643836 * (texture(planeY, uv).r - 0.0627451);
  float u = texture(planeU, uv).r - 0.5019608;
  float v = texture(planeV, uv).r - 0.5019608;
  color = vec4(y + 1.5960268 * v, y - 0.3917623 * u - 0.8129676 * v, y + 2.0172321 * u, 1.0);
}`;

const FRAGMENT_RGB = `#version 300 es
precision mediump float;
in vec2 uv;
uniform sampler2D picture;
out vec4 color;
void main() { color = vec4(texture(picture, uv).rgb, 1.0); }`;

export class WebGl2Renderer extends FittedCanvas {
  /**
   * @param {OffscreenCanvas} canvas @param {number} slots size of the texture pool
   * @param {(reason: string) => void} onLost the context was lost (the GPU process went, a driver reset)
   */
  constructor(canvas, slots = 6, onLost = () => {}) {
    super(canvas);
    this.name = 'webgl2';
    this.takesPlanes = true;
    this.backlogged = false;  // draws on its own OffscreenCanvas: nothing queues behind the page
    const gl = canvas.getContext('webgl2', { alpha: false, antialias: false, depth: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error('this engine gives no WebGL2 context on the worker\'s OffscreenCanvas');
    this.gl = gl;
    this.onLost = (e) => { e.preventDefault(); onLost('the WebGL2 context was lost'); };
    canvas.addEventListener('webglcontextlost', this.onLost);
    this.i420 = this.program(FRAGMENT_I420);
    this.rgb = this.program(FRAGMENT_RGB);
    this.buffer = gl.createBuffer();
    this.free = [];
    for (let i = 0; i < slots; i++) this.free.push({ index: i, planes: [0, 1, 2].map(() => this.texture()), width: 0, height: 0 });
    this.rgbTexture = this.texture();
    this.last = null;  // what was drawn last: {kind: 'slot', slot} | {kind: 'rgb', width, height}
    this.clear();
  }

  program(fragmentSource) {
    const gl = this.gl;
    const compile = (type, source) => {
      const shader = gl.createShader(type);
      gl.shaderSource(shader, source);
      gl.compileShader(shader);
      if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(shader));
      return shader;
    };
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, compile(gl.FRAGMENT_SHADER, fragmentSource));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(program));
    program.locations = {
      position: gl.getAttribLocation(program, 'position'),
      texcoord: gl.getAttribLocation(program, 'texcoord'),
      planes: ['planeY', 'planeU', 'planeV'].map((name) => gl.getUniformLocation(program, name)),
      picture: gl.getUniformLocation(program, 'picture'),
    };
    return program;
  }

  texture() {
    const gl = this.gl;
    const t = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, t);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    return t;
  }

  /** A texture slot for one decoded picture, or null when all are waiting to be shown. */
  acquire() {
    return this.free.pop() || null;
  }
  release(slot) {
    if (slot && (!this.last || this.last.slot !== slot)) this.free.push(slot);
  }

  /** Uploads an I420 frame ({width, height, y, u, v, strideY, strideU, strideV}: views) into `slot`. */
  upload(slot, f) {
    const gl = this.gl;
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    const cw = (f.width + 1) >> 1;
    const ch = (f.height + 1) >> 1;
    const planes = [[f.y, f.strideY, f.width, f.height], [f.u, f.strideU, cw, ch], [f.v, f.strideV, cw, ch]];
    const resized = slot.width !== f.width || slot.height !== f.height;
    planes.forEach(([data, stride, w, h], i) => {
      gl.bindTexture(gl.TEXTURE_2D, slot.planes[i]);
      gl.pixelStorei(gl.UNPACK_ROW_LENGTH, stride);
      if (resized) gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8, w, h, 0, gl.RED, gl.UNSIGNED_BYTE, data);
      else gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, w, h, gl.RED, gl.UNSIGNED_BYTE, data);
    });
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
    slot.width = f.width;
    slot.height = f.height;
  }

  /** Shows an uploaded slot; the slot shown before goes back to the pool. */
  drawSlot(slot) {
    const previous = this.last && this.last.slot;
    this.last = { kind: 'slot', slot, width: slot.width, height: slot.height };
    if (previous && previous !== slot) this.free.push(previous);
    this.redraw();
  }

  /** Shows a VideoFrame and closes it (its pixels now live in the texture). */
  drawFrame(frame) {
    try {
      const gl = this.gl;
      gl.bindTexture(gl.TEXTURE_2D, this.rgbTexture);
      gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, frame);
      const previous = this.last && this.last.slot;
      if (previous) this.free.push(previous);
      this.last = { kind: 'rgb', slot: null, width: frame.displayWidth, height: frame.displayHeight };
    } finally {
      frame.close();
    }
    this.redraw();
  }

  snapshot() {
    return this.canvas.convertToBlob({ type: 'image/png' });
  }

  close() {
    this.canvas.removeEventListener('webglcontextlost', this.onLost);
    this.last = null;
  }

  clear() {
    const gl = this.gl;
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
  }

  // The quad: picture size after rotation, scaled by object-fit, centred; texture corners rotated.
  quad(width, height) {
    const W = this.canvas.width;
    const H = this.canvas.height;
    const { turned, width: dw, height: dh } = this.place(width, height);
    const x = dw / W;
    const y = dh / H;
    // Corners: bottom-left, bottom-right, top-left, top-right (triangle strip); texture v runs down.
    const uv = turned ? [[1, 1], [1, 0], [0, 1], [0, 0]] : [[0, 1], [1, 1], [0, 0], [1, 0]];
    const pos = [[-x, -y], [x, -y], [-x, y], [x, y]];
    return new Float32Array(pos.flatMap((p, i) => [...p, ...uv[i]]));
  }

  redraw() {
    this.clear();
    const last = this.last;
    if (!last || !last.width) return;
    const gl = this.gl;
    const program = last.kind === 'slot' ? this.i420 : this.rgb;
    gl.useProgram(program);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    // The quad changes only with the sizes and the style: no upload (and no garbage) per picture.
    const key = `${this.canvas.width} ${this.canvas.height} ${last.width} ${last.height} ${this.fit} ${this.orientation}`;
    if (key !== this.quadKey) {
      gl.bufferData(gl.ARRAY_BUFFER, this.quad(last.width, last.height), gl.DYNAMIC_DRAW);
      this.quadKey = key;
    }
    const at = program.locations;
    gl.enableVertexAttribArray(at.position);
    gl.vertexAttribPointer(at.position, 2, gl.FLOAT, false, 16, 0);
    gl.enableVertexAttribArray(at.texcoord);
    gl.vertexAttribPointer(at.texcoord, 2, gl.FLOAT, false, 16, 8);
    if (last.kind === 'slot') {
      for (let i = 0; i < 3; i++) {
        gl.activeTexture(gl.TEXTURE0 + i);
        gl.bindTexture(gl.TEXTURE_2D, last.slot.planes[i]);
        gl.uniform1i(at.planes[i], i);
      }
    } else {
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, this.rgbTexture);
      gl.uniform1i(at.picture, 0);
    }
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }
}
