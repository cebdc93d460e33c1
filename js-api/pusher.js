// The pusher alone, registering nothing: an app that only pushes imports this, and its build holds the
// pusher's worker and wasm and none of the player's. (The '.' and './headless' entries reach both
// workers, and a bundler copies every worker and wasm file that a module it reaches names, used or not.)
//
//   import { configure, defineLivePusher } from 'livewasm/pusher';
//   defineLivePusher();   // <live-pusher>
export { configure, currentConfig } from './config.js';
export { createLivePusherContext, LivePusherContext } from './pusher_context.js';
export { LivePusher } from './live_pusher.js';
export { PusherCodes, PusherCodeNames, ErrorCodes } from './codes.js';
export { LivePusherElement, defineLivePusher } from '../web/live_pusher_element.js';
