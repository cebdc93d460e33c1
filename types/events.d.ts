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

/**
 * A track of the stream (Enhanced RTMP v2 Multitrack: several renditions or languages in one FLV stream; a
 * plain stream has track 0 of each kind it carries). A livewasm extension.
 */
export interface PlayerTrack {
  kind: 'video' | 'audio';
  /** The track id of the stream (0: the default track). */
  id: number;
  /** The decoder configuration's codec string once its sequence header came (`avc1.64001f`, `mp4a.40.2`), else the FLV codec name. */
  codec: string;
  /** Video: the picture size from the track's sequence header (0 while unknown). */
  width?: number;
  height?: number;
  /** The track that plays. */
  selected: boolean;
  /** Chosen with `selectTrack`, playing from its next key frame (video) or packet (audio). */
  pending: boolean;
}

/** What changed in a `trackchange` event. */
export interface TrackChangeEventInfo {
  /**
   * `list`: a track appeared or its codec or size became known; `switched`: track `id` plays now (after
   * `selectTrack`, or the default taking over); `gone`: the playing track `id` stopped arriving (1.5 s of
   * media without it while another track of its kind goes on), the default among the others takes over; or
   * the chosen track `id` went away before its switch point, and the playing one stays.
   */
  type: 'list' | 'switched' | 'gone';
  kind: 'video' | 'audio';
  id: number;
  /** Says what happened, e.g. "video track 1 stopped arriving ...: switching to track 0". */
  message: string;
}

/** `trackchange`: the stream's tracks now, and the changes since the last event. */
export interface TrackChangeDetail {
  tracks: PlayerTrack[];
  events: TrackChangeEventInfo[];
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
  /** The stream's tracks changed (Enhanced RTMP v2 Multitrack; a livewasm extension): a track appeared, a switch happened, the playing track went away. */
  trackchange: CustomEvent<TrackChangeDetail>;
}
