// `livewasm/player` (runtime js-api/player.js): the player alone, registering nothing; its build holds
// the player's worker and wasm and none of the pusher's. `defineLivePlayer()` registers <live-player>.
import type { LivePlayerElement } from './elements.js';

export { configure, currentConfig, createLivePlayerContext, LivePlayerContext, LivePlayer } from './headless.js';
export type {
  LivewasmConfig, OkResult, FailResult, ContextError, CallbackOptions, SnapshotInfo, SnapshotResult, MuteOptions,
  RequestFullScreenOptions, SelectTrackOptions, GetTracksResult,
} from './headless.js';
export { PlayerCodes, PlayerCodeNames, ErrorCodes } from './codes.js';
export type { PlayerCode, PlayerCodeName, ErrorCode } from './codes.js';
export type {
  PlayerAttributes, PlayerAttributeName, PlayerAttributesInit, PlayerContextInit, KebabCase, KebabKeys,
} from './attributes.js';
export type { NetStatusCommon, PlayerNetStatus, PlayerStartup } from './netstatus.js';
export type {
  StateChangeDetail, NetStatusDetail, ErrorDetail, FullScreenChangeDetail, AudioVolumeNotifyDetail, LivePlayerEventMap,
  PlayerTrack, TrackChangeDetail, TrackChangeEventInfo,
} from './events.js';
export { LivePlayerElement, defineLivePlayer } from './elements.js';
export type { LivePlayerElementEventMap } from './elements.js';

declare global {
  interface HTMLElementTagNameMap {
    'live-player': LivePlayerElement;
  }
}
