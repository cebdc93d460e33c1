// The events of the pusher and the player: DOM CustomEvents whose `detail` is typed here. The same
// events are dispatched on the engines (LivePusher / LivePlayer, and their contexts' addEventListener)
// and re-dispatched on the elements; `bind<event>="fnName"` attributes call a global function with them.
import type { PusherCode, PlayerCode, ErrorCode } from './codes.js';
import type { PusherNetStatus, PlayerNetStatus } from './netstatus.js';

/** `detail` of `statechange`: a state code and a message a person can read. */
export interface StateChangeDetail<C extends number = number> {
  /** The state code (see the code tables). */
  code: C;
  /** What happened; the code's name when there is nothing more to say. */
  message: string;
}

/** `detail` of `netstatus`. */
export interface NetStatusDetail<I> {
  /** The metrics, about once a second. */
  info: I;
}

/** `detail` of `error`. */
export interface ErrorDetail {
  /** 0 (a bad attribute value that fell back to its default, a worker failure) or one of `ErrorCodes`. */
  errCode: ErrorCode;
  /** What went wrong. */
  errMsg: string;
}

/** `detail` of the player's `fullscreenchange`. */
export interface FullScreenChangeDetail {
  /** The direction asked for in `requestFullScreen` (0 when full screen ends). */
  direction: number;
  /** true while the element is full screen. */
  fullScreen: boolean;
}

/** `detail` of the player's `audiovolumenotify`. */
export interface AudioVolumeNotifyDetail {
  /** Loudness of the sound heard, 0-100 (five times a second); 0 while muted (or hidden with `background-mute`). */
  volume: number;
}

/** `detail` of the pusher's `preview` (engine only, not re-dispatched on the element). */
export interface PreviewDetail {
  /** The camera stream to show (the element shows it in its `<video>`). */
  stream: MediaStream;
}

/** Events of a pusher (LivePusher and its context). */
export interface LivePusherEventMap {
  /** A state code (`PusherCodes`): connected, push began, warnings, errors. */
  statechange: CustomEvent<StateChangeDetail<PusherCode>>;
  /** The pusher's metrics, once a second while pushing. */
  netstatus: CustomEvent<NetStatusDetail<PusherNetStatus>>;
  /** A problem that is not a state code: device denied (10001, 10002), waiting image (10004), bad attribute (0). */
  error: CustomEvent<ErrorDetail>;
  /** A new camera stream to preview (start, resume, switchCamera). */
  preview: CustomEvent<PreviewDetail>;
}

/** Events of a player (LivePlayer and its context). */
export interface LivePlayerEventMap {
  /** A state code (`PlayerCodes`): connected, first picture, buffering, warnings, errors. */
  statechange: CustomEvent<StateChangeDetail<PlayerCode>>;
  /** The player's metrics, once a second while playing. */
  netstatus: CustomEvent<NetStatusDetail<PlayerNetStatus>>;
  /** Full screen began or ended. */
  fullscreenchange: CustomEvent<FullScreenChangeDetail>;
  /** The loudness of the sound, five times a second while playing. */
  audiovolumenotify: CustomEvent<AudioVolumeNotifyDetail>;
  /** A problem that is not a state code: a bad attribute value, a decoder or worker failure (errCode 0). */
  error: CustomEvent<ErrorDetail>;
}
