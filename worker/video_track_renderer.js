// The first of the player's renderers (wasm/core/play/renderer_choice.h): the page shows a <video> whose
// source is a MediaStreamTrackGenerator's track (js-api/video_track_surface.js) and hands the
// generator's writable to this worker; each due VideoFrame is written to it (wasm-decoded I420 is
// wrapped in one: i420_frame.js). Nothing is drawn on a canvas: the browser's compositor converts and
// scales the frame, as for MSE video. `object-fit`, `orientation` and the element's size are the
// page's CSS. A write that fails (the page stopped the track, the stream errored) is a renderer
// failure: 2106, and the page draws from then on. Surface: webgl2_renderer.js.
import { errorText } from './error_text.js';

export class VideoTrackRenderer {
  /**
   * @param {WritableStream<VideoFrame>} writable the generator's, transferred from the page
   * @param {(reason: string) => void} onFailure
   */
  constructor(writable, onFailure) {
    this.name = 'video';
    this.takesPlanes = false;
    this.canvas = null;  // made for a snapshot only
    this.writer = writable.getWriter();
    this.onFailure = onFailure;
    this.failed = false;
    this.last = null;  // a clone of the frame written last, for snapshots (owned)
    // The writable's backpressure would say when the page falls behind, but Chromium 156 gives none here
    // (desiredSize stayed 1 while the page fell minutes behind): what bounds the page's work is how many
    // players may use tracks (js-api/video_track_surface.js).
    this.backlogged = false;
    this.writer.closed.catch((err) => this.fail(`the video track's stream closed: ${errorText(err).split('\n')[0]}`));
  }

  setStyle() {}
  resize() {}

  /** Shows a VideoFrame; the track's stream owns it from now on (it closes the frame once shown). */
  drawFrame(frame) {
    if (this.failed) {
      frame.close();
      throw new Error('the video track failed');
    }
    if (this.last) this.last.close();
    this.last = frame.clone();
    this.writer.write(frame).catch((err) => this.fail(`writing to the video track: ${errorText(err).split('\n')[0]}`));
  }

  fail(reason) {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(reason);
  }

  /** The last frame as a PNG, at its own size. */
  snapshot() {
    const frame = this.last;
    if (!frame) return Promise.reject(new Error('nothing is shown yet'));
    this.canvas = new OffscreenCanvas(frame.displayWidth, frame.displayHeight);
    this.canvas.getContext('2d').drawImage(frame, 0, 0);
    return this.canvas.convertToBlob({ type: 'image/png' });
  }

  close() {
    this.failed = true;  // a stream closed by us is not a failure
    if (this.last) this.last.close();
    this.last = null;
    this.writer.close().catch(() => {});
  }
}
