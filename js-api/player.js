// The player alone, registering nothing: an app that only plays imports this, and its build holds the
// player's worker and wasm and none of the pusher's. (The '.' and './headless' entries reach both
// workers, and a bundler copies every worker and wasm file that a module it reaches names, used or not.)
//
//   import { configure, defineLivePlayer } from 'livewasm/player';
//   defineLivePlayer();   // <live-player>
export { configure, currentConfig } from './config.js';
export { createLivePlayerContext, LivePlayerContext } from './player_context.js';
export { LivePlayer } from './live_player.js';
export { PlayerCodes, PlayerCodeNames, ErrorCodes } from './codes.js';
export { LivePlayerElement, defineLivePlayer } from '../web/live_player_element.js';
