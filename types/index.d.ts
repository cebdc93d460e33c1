// The livewasm package entry (runtime js-api/index.js): everything of the headless entry plus the
// custom elements <live-pusher> and <live-player>, registered on import.
import type { LivePusherElement, LivePlayerElement } from './elements.js';

export * from './headless.js';
export * from './elements.js';

declare global {
  interface HTMLElementTagNameMap {
    'live-pusher': LivePusherElement;
    'live-player': LivePlayerElement;
  }
}
