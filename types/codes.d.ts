// The state codes of the `statechange` event and the codes of the `error` event, as literal constant
// tables (runtime: js-api/codes.js). `PusherCodes.PUSH_EVT_PUSH_BEGIN` has the type `1002`.

/** Code -> name of every pusher state code (`statechange` of `<live-pusher>`, `detail.code`). */
export declare const PusherCodeNames: {
  /** Connected to the server. */
  readonly 1001: 'PUSH_EVT_CONNECT_SUCC';
  /** Handshake with the server done; the upstream begins. */
  readonly 1002: 'PUSH_EVT_PUSH_BEGIN';
  /** The camera opened (the message names the size and frame rate). */
  readonly 1003: 'PUSH_EVT_OPEN_CAMERA_SUCC';
  /** The camera failed to open (denied, busy or absent); the push does not start. */
  readonly [-1301]: 'PUSH_ERR_OPEN_CAMERA_FAIL';
  /** The microphone failed to open; the push does not start. */
  readonly [-1302]: 'PUSH_ERR_OPEN_MIC_FAIL';
  /** Video encoding failed. */
  readonly [-1303]: 'PUSH_ERR_VIDEO_ENCODE_FAIL';
  /** Audio encoding failed. */
  readonly [-1304]: 'PUSH_ERR_AUDIO_ENCODE_FAIL';
  /** Unsupported video resolution. */
  readonly [-1305]: 'PUSH_ERR_UNSUPPORTED_RESOLUTION';
  /** Unsupported audio sample rate. */
  readonly [-1306]: 'PUSH_ERR_UNSUPPORTED_SAMPLERATE';
  /** Disconnected and three reconnects failed; the push stopped and the page may start it again. */
  readonly [-1307]: 'PUSH_ERR_NET_DISCONNECT';
  /** The uplink is too slow for the stream, even at `min-bitrate`. */
  readonly 1101: 'PUSH_WARNING_NET_BUSY';
  /** Disconnected, reconnecting (after 1 s, 2 s, 4 s; gives up after three failures with -1307). */
  readonly 1102: 'PUSH_WARNING_RECONNECT';
  /** The hardware encoder failed or is absent; switched to software (OpenH264 in wasm). */
  readonly 1103: 'PUSH_WARNING_HW_ACCELERATION_FAIL';
  /** Switched encoder for performance reasons (wasm could not keep up: the browser's encoder is used). */
  readonly 1107: 'PUSH_WARNING_SWITCH_SWENC';
  /** Name resolution failed, retrying. */
  readonly 3001: 'PUSH_WARNING_DNS_FAIL';
  /** Server connection failed, retrying. */
  readonly 3002: 'PUSH_WARNING_SEVER_CONN_FAIL';
  /** Server handshake failed, retrying. */
  readonly 3003: 'PUSH_WARNING_SHAKE_FAIL';
  /** The server closed the connection (e.g. bad signature, or the stream name is in use by another publisher). */
  readonly 3004: 'PUSH_WARNING_SERVER_DISCONNECT';
  /** The socket link broke abnormally, retrying (shares its name with 3004). */
  readonly 3005: 'PUSH_WARNING_SERVER_DISCONNECT';
  /** The page was hidden (suspended by the user). */
  readonly 5000: 'PUSH_WARNING_HANDUP_STOP';
};

/**
 * Name -> code of every pusher state code. 3005 shares its name with 3004: the name maps to 3004, as in
 * the original's constant tables.
 */
export declare const PusherCodes: {
  /** 1001: connected to the server. */
  readonly PUSH_EVT_CONNECT_SUCC: 1001;
  /** 1002: handshake with the server done; the upstream begins. */
  readonly PUSH_EVT_PUSH_BEGIN: 1002;
  /** 1003: the camera opened. */
  readonly PUSH_EVT_OPEN_CAMERA_SUCC: 1003;
  /** -1301: the camera failed to open (denied, busy or absent). */
  readonly PUSH_ERR_OPEN_CAMERA_FAIL: -1301;
  /** -1302: the microphone failed to open. */
  readonly PUSH_ERR_OPEN_MIC_FAIL: -1302;
  /** -1303: video encoding failed. */
  readonly PUSH_ERR_VIDEO_ENCODE_FAIL: -1303;
  /** -1304: audio encoding failed. */
  readonly PUSH_ERR_AUDIO_ENCODE_FAIL: -1304;
  /** -1305: unsupported video resolution. */
  readonly PUSH_ERR_UNSUPPORTED_RESOLUTION: -1305;
  /** -1306: unsupported audio sample rate. */
  readonly PUSH_ERR_UNSUPPORTED_SAMPLERATE: -1306;
  /** -1307: disconnected and three reconnects failed; the push stopped. */
  readonly PUSH_ERR_NET_DISCONNECT: -1307;
  /** 1101: the uplink is too slow for the stream. */
  readonly PUSH_WARNING_NET_BUSY: 1101;
  /** 1102: disconnected, reconnecting. */
  readonly PUSH_WARNING_RECONNECT: 1102;
  /** 1103: hardware encoder failed or absent; switched to software. */
  readonly PUSH_WARNING_HW_ACCELERATION_FAIL: 1103;
  /** 1107: switched encoder for performance reasons. */
  readonly PUSH_WARNING_SWITCH_SWENC: 1107;
  /** 3001: name resolution failed, retrying. */
  readonly PUSH_WARNING_DNS_FAIL: 3001;
  /** 3002: server connection failed, retrying. */
  readonly PUSH_WARNING_SEVER_CONN_FAIL: 3002;
  /** 3003: server handshake failed, retrying. */
  readonly PUSH_WARNING_SHAKE_FAIL: 3003;
  /** 3004: the server closed the connection (3005, a broken socket, has the same name). */
  readonly PUSH_WARNING_SERVER_DISCONNECT: 3004;
  /** 5000: the page was hidden. */
  readonly PUSH_WARNING_HANDUP_STOP: 5000;
};

/** Code -> name of every player state code (`statechange` of `<live-player>`, `detail.code`). */
export declare const PlayerCodeNames: {
  /** Connected to the server. */
  readonly 2001: 'PLAY_EVT_CONNECT_SUCC';
  /** The server began sending media. */
  readonly 2002: 'PLAY_EVT_RTMP_STREAM_BEGIN';
  /** The first key frame was received. */
  readonly 2003: 'PLAY_EVT_RCV_FIRST_I_FRAME';
  /** Playback began: the first picture is shown (show a placeholder until then). */
  readonly 2004: 'PLAY_EVT_PLAY_BEGIN';
  /** Playback ended: the RTMP publisher stopped (HTTP-FLV and WS-FLV have no end message and never give it). */
  readonly 2006: 'PLAY_EVT_PLAY_END';
  /** Buffering: waiting for or accumulating data (at the start and after a stall). */
  readonly 2007: 'PLAY_EVT_PLAY_LOADING';
  /** Disconnected and three reconnects did not recover; playback stopped. */
  readonly [-2301]: 'PLAY_ERR_NET_DISCONNECT';
  /** A video frame failed to decode; video goes on from the next key frame. */
  readonly 2101: 'PLAY_WARNING_VIDEO_DECODE_FAIL';
  /** An audio frame failed to decode. */
  readonly 2102: 'PLAY_WARNING_AUDIO_DECODE_FAIL';
  /** Disconnected, reconnecting (after 1 s, 2 s, 4 s; the third failure gives -2301). */
  readonly 2103: 'PLAY_WARNING_RECONNECT';
  /** The incoming stream is unsteady (the viewer's bandwidth). */
  readonly 2104: 'PLAY_WARNING_RECV_DATA_LAG';
  /** Playback stuttered (a stall while playing). */
  readonly 2105: 'PLAY_WARNING_VIDEO_PLAY_LAG';
  /** Hardware (WebCodecs) decoding failed; the wasm decoder is used for the rest of the play. */
  readonly 2106: 'PLAY_WARNING_HW_ACCELERATION_FAIL';
  /** Frames are not continuous (timestamps jump, or the source or gateway dropped frames). */
  readonly 2107: 'PLAY_WARNING_VIDEO_DISCONTINUITY';
  /** Name resolution failed (rtmp:// only). */
  readonly 3001: 'PLAY_WARNING_DNS_FAIL';
  /** Server connection failed (rtmp:// only). */
  readonly 3002: 'PLAY_WARNING_SEVER_CONN_FAIL';
  /** Server handshake failed (rtmp:// only). */
  readonly 3003: 'PLAY_WARNING_SHAKE_FAIL';
};

/** Name -> code of every player state code. */
export declare const PlayerCodes: {
  /** 2001: connected to the server. */
  readonly PLAY_EVT_CONNECT_SUCC: 2001;
  /** 2002: the server began sending media. */
  readonly PLAY_EVT_RTMP_STREAM_BEGIN: 2002;
  /** 2003: the first key frame was received. */
  readonly PLAY_EVT_RCV_FIRST_I_FRAME: 2003;
  /** 2004: playback began (first picture shown). */
  readonly PLAY_EVT_PLAY_BEGIN: 2004;
  /** 2006: playback ended (RTMP publisher stopped). */
  readonly PLAY_EVT_PLAY_END: 2006;
  /** 2007: buffering. */
  readonly PLAY_EVT_PLAY_LOADING: 2007;
  /** -2301: disconnected and reconnecting did not recover; stopped. */
  readonly PLAY_ERR_NET_DISCONNECT: -2301;
  /** 2101: a video frame failed to decode. */
  readonly PLAY_WARNING_VIDEO_DECODE_FAIL: 2101;
  /** 2102: an audio frame failed to decode. */
  readonly PLAY_WARNING_AUDIO_DECODE_FAIL: 2102;
  /** 2103: disconnected, reconnecting. */
  readonly PLAY_WARNING_RECONNECT: 2103;
  /** 2104: the incoming stream is unsteady. */
  readonly PLAY_WARNING_RECV_DATA_LAG: 2104;
  /** 2105: playback stuttered. */
  readonly PLAY_WARNING_VIDEO_PLAY_LAG: 2105;
  /** 2106: hardware decoding failed, software used. */
  readonly PLAY_WARNING_HW_ACCELERATION_FAIL: 2106;
  /** 2107: frames not continuous. */
  readonly PLAY_WARNING_VIDEO_DISCONTINUITY: 2107;
  /** 3001: name resolution failed (rtmp:// only). */
  readonly PLAY_WARNING_DNS_FAIL: 3001;
  /** 3002: server connection failed (rtmp:// only). */
  readonly PLAY_WARNING_SEVER_CONN_FAIL: 3002;
  /** 3003: server handshake failed (rtmp:// only). */
  readonly PLAY_WARNING_SHAKE_FAIL: 3003;
};

/**
 * Codes of the `error` event (`detail.errCode`) that are not state codes: resource problems. A bad
 * attribute value (which falls back to its default) and worker failures have `errCode` 0.
 */
export declare const ErrorCodes: {
  /** The camera permission was denied or the camera could not be opened (with state code -1301). */
  readonly CAMERA_DENIED: 10001;
  /** The microphone permission was denied or it could not be opened (with state code -1302). */
  readonly MIC_DENIED: 10002;
  /** `waiting-image` could not be loaded, or its md5 differs from `waiting-image-hash`; it is not used. */
  readonly WAITING_IMAGE_INVALID: 10004;
  /**
   * Extension: `video-codec` names a codec (`av1`, `vp9`, `hevc`) the browser cannot encode (or `video-encoder`
   * pins wasm, which encodes H.264 only); the push goes on in H.264. Told once, at start().
   */
  readonly VIDEO_CODEC_UNSUPPORTED: 10005;
};

/** Every pusher state code (the keys of `PusherCodeNames`). */
export type PusherCode = keyof typeof PusherCodeNames;
/** Every pusher state code name. */
export type PusherCodeName = (typeof PusherCodeNames)[PusherCode];
/** Every player state code (the keys of `PlayerCodeNames`). */
export type PlayerCode = keyof typeof PlayerCodeNames;
/** Every player state code name. */
export type PlayerCodeName = (typeof PlayerCodeNames)[PlayerCode];
/** `detail.errCode` of an `error` event: 0 (a bad attribute value, a worker failure) or one of `ErrorCodes`. */
export type ErrorCode = 0 | (typeof ErrorCodes)[keyof typeof ErrorCodes];
