// The livewasm API without custom elements (for workers of the page's own, frameworks that render their
// own UI, or tests): nothing is registered on import.
export { configure, currentConfig } from './config.js';
export { createLivePusherContext, LivePusherContext } from './pusher_context.js';
export { LivePusher } from './live_pusher.js';
export { createLivePlayerContext, LivePlayerContext } from './player_context.js';
export { LivePlayer } from './live_player.js';
export { PusherCodes, PusherCodeNames, PlayerCodes, PlayerCodeNames, ErrorCodes } from './codes.js';
