// `detail.info` of the `netstatus` event, about once a second. The first eight fields are the original's
// (docs/api.md); the rest are livewasm's own.

/** The netstatus fields the pusher and the player share (the original's). */
export interface NetStatusCommon {
  /** Current video bitrate, kbps (pusher: video payload written; player: received). */
  videoBitrate: number;
  /** Current audio bitrate, kbps. */
  audioBitrate: number;
  /** Current frame rate, frames per second (pusher: written; player: shown). */
  videoFPS: number;
  /** Key-frame interval, seconds (between the last two key frames). */
  videoGOP: number;
  /** Current send (pusher) / receive (player) speed, kbps. */
  netSpeed: number;
  /** Network jitter, ms; 0 means none, larger is less stable. */
  netJitter: number;
  /** Picture width, pixels. */
  videoWidth: number;
  /** Picture height, pixels. */
  videoHeight: number;
}

/** `detail.info` of the pusher's `netstatus` event. */
export interface PusherNetStatus extends NetStatusCommon {
  /** The rate adaptation's video bitrate target now, kbps (between `min-bitrate` and `max-bitrate`). */
  targetBitrate: number;
  /** Data waiting to be sent (socket buffer, gateway queue, unacknowledged bytes), ms at the current bitrate. */
  backlogMs: number;
  /** Video frames the rate control dropped so far (skips, non-reference drops, waits for a key frame). */
  droppedFrames: number;
  /** Extension: the video codec pushed, `video-codec`'s or `h264` after its fallback (error event 10005). */
  videoCodec: 'h264' | 'av1' | 'vp9' | 'hevc';
}

/** Milliseconds from `play()` to each stage of the first picture; a stage not reached yet is absent. */
export interface PlayerStartup {
  /** Connected to the server (2001). */
  connected?: number;
  /** First byte of the stream received. */
  firstByte?: number;
  /** First key frame received (2003). */
  keyFrame?: number;
  /** First picture decoded. */
  decoded?: number;
  /** First picture shown (2004). */
  shown?: number;
}

/** `detail.info` of the player's `netstatus` event. */
export interface PlayerNetStatus extends NetStatusCommon {
  /** Delay now: newest received media time minus the media time heard, ms. */
  cacheMs: number;
  /** The delay the jitter buffer aims for now, ms (within `min-cache`..`max-cache` in live mode). */
  targetMs: number;
  /** Video frames received but never shown (late, skipped, hidden page, failed to decode). */
  droppedFrames: number;
  /** Video frames shown. */
  shownFrames: number;
  /** Media time removed by time-stretching to catch up, ms (total). */
  accelerateMs: number;
  /** Media time added by time-stretching (sender clock slower than ours), ms (total). */
  decelerateMs: number;
  /** Silence played because no audio was there (after the start), ms (total). */
  expandMs: number;
  /** Jumps to a key frame to catch up (far behind: about twice `max-cache`). */
  skips: number;
  /** Bytes of media held by the jitter buffer. */
  storedBytes: number;
  /** The jitter buffer's last decision. */
  operation: 'normal' | 'buffering' | 'expand' | 'accelerate' | 'decelerate' | 'skip';
  /** The video decoder in use: `webcodecs`, `wasm` (FFmpeg), or `none` before the first video packet. */
  videoDecoder: 'webcodecs' | 'wasm' | 'none';
  /**
   * Threads the wasm video decoder runs: 1, or 2-4 with the threads build `livewasm_player_mt` on a
   * cross-origin isolated page (README "Threads"); 0 when the video decoder is not the wasm one.
   */
  videoDecoderThreads: number;
  /** The audio decoder in use: `webcodecs`, `wasm` (FFmpeg), or `none` before the first audio packet. */
  audioDecoder: 'webcodecs' | 'wasm' | 'none';
  /**
   * What draws the pictures: `video` (a `<video>` showing the track the worker writes to), `webgl2` or `2d`
   * (on the worker's OffscreenCanvas), `page` (the page draws the pictures the worker hands over), or
   * `none` before the page gave its canvas or track.
   */
  renderer: 'video' | 'webgl2' | '2d' | 'page' | 'none';
  /** Size of the player worker's wasm heap, bytes. */
  wasmHeapBytes: number;
  /** Time to the first picture by stage. */
  startup: PlayerStartup;
}
