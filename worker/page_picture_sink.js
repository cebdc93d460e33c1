// The last of the player's renderers (wasm/core/play/renderer_choice.h): the worker draws nothing and hands
// each picture, as it is due, to the page as a transferred VideoFrame ({type: 'picture', frame}); the
// page draws it on its own <canvas> (js-api/page_pictures.js). For engines whose workers can make no
// OffscreenCanvas context, and the fallback when a worker renderer fails while playing. Style, size and
// snapshots are the page's business here. Surface: webgl2_renderer.js.
import { FromPlayerWorker } from './player_messages.js';

export class PagePictureSink {
  /** @param {(message: object, transfer: Transferable[]) => void} post */
  constructor(post) {
    this.name = 'page';
    this.takesPlanes = false;
    this.canvas = null;
    this.post = post;
    this.inFlight = 0;  // pictures posted that the page has not said it drew ('pictureTaken')
  }

  setStyle() {}
  resize() {}

  /**
   * True while two pictures are on their way to the page: one it may be drawing, one waiting behind it.
   * A page whose main thread falls behind would otherwise get an unbounded queue of frames; the worker
   * holds the next picture instead, and a newer one due supersedes it, counted dropped (player_worker.js).
   */
  get backlogged() {
    return this.inFlight >= 2;
  }

  drawFrame(frame) {
    this.inFlight++;
    this.post({ type: FromPlayerWorker.picture, frame }, [frame]);  // transferred: the worker's handle is closed
  }

  /** The page drew one ('pictureTaken'). */
  taken() {
    if (this.inFlight > 0) this.inFlight--;
  }

  snapshot() {
    return Promise.reject(new Error('the page draws the pictures: it takes the snapshot'));
  }

  close() {}
}
