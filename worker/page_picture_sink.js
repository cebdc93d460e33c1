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
  }

  setStyle() {}
  resize() {}

  drawFrame(frame) {
    this.post({ type: FromPlayerWorker.picture, frame }, [frame]);  // transferred: the worker's handle is closed
  }

  snapshot() {
    return Promise.reject(new Error('the page draws the pictures: it takes the snapshot'));
  }

  close() {}
}
