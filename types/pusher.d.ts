// `livewasm/pusher` (runtime js-api/pusher.js): the pusher alone, registering nothing; its build holds
// the pusher's worker and wasm and none of the player's. `defineLivePusher()` registers <live-pusher>.
import type { LivePusherElement } from './elements.js';

export { configure, currentConfig, createLivePusherContext, LivePusherContext, LivePusher } from './headless.js';
export type {
  LivewasmConfig, OkResult, FailResult, ContextError, CallbackOptions, SnapshotInfo, SnapshotResult, SwitchCameraResult,
} from './headless.js';
export { PusherCodes, PusherCodeNames, ErrorCodes } from './codes.js';
export type { PusherCode, PusherCodeName, ErrorCode } from './codes.js';
export type {
  PusherAttributes, PusherAttributeName, PusherAttributesInit, PusherContextInit, KebabCase, KebabKeys,
} from './attributes.js';
export type { NetStatusCommon, PusherNetStatus } from './netstatus.js';
export type { StateChangeDetail, NetStatusDetail, ErrorDetail, PreviewDetail, LivePusherEventMap } from './events.js';
export { LivePusherElement, defineLivePusher } from './elements.js';
export type { LivePusherElementEventMap } from './elements.js';

declare global {
  interface HTMLElementTagNameMap {
    'live-pusher': LivePusherElement;
  }
}
