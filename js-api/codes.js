// Every state code of docs/api.md (sections 1 and 2) with its name, as the original documents them. The one
// table the pusher, the player, the debug overlay and the demo read.

/** @type {Readonly<Record<number, string>>} */
export const PusherCodeNames = Object.freeze({
  1001: 'PUSH_EVT_CONNECT_SUCC',
  1002: 'PUSH_EVT_PUSH_BEGIN',
  1003: 'PUSH_EVT_OPEN_CAMERA_SUCC',
  [-1301]: 'PUSH_ERR_OPEN_CAMERA_FAIL',
  [-1302]: 'PUSH_ERR_OPEN_MIC_FAIL',
  [-1303]: 'PUSH_ERR_VIDEO_ENCODE_FAIL',
  [-1304]: 'PUSH_ERR_AUDIO_ENCODE_FAIL',
  [-1305]: 'PUSH_ERR_UNSUPPORTED_RESOLUTION',
  [-1306]: 'PUSH_ERR_UNSUPPORTED_SAMPLERATE',
  [-1307]: 'PUSH_ERR_NET_DISCONNECT',
  1101: 'PUSH_WARNING_NET_BUSY',
  1102: 'PUSH_WARNING_RECONNECT',
  1103: 'PUSH_WARNING_HW_ACCELERATION_FAIL',
  1107: 'PUSH_WARNING_SWITCH_SWENC',
  3001: 'PUSH_WARNING_DNS_FAIL',
  3002: 'PUSH_WARNING_SEVER_CONN_FAIL',
  3003: 'PUSH_WARNING_SHAKE_FAIL',
  3004: 'PUSH_WARNING_SERVER_DISCONNECT',
  3005: 'PUSH_WARNING_SERVER_DISCONNECT',
  5000: 'PUSH_WARNING_HANDUP_STOP',
});

/** @type {Readonly<Record<number, string>>} */
export const PlayerCodeNames = Object.freeze({
  2001: 'PLAY_EVT_CONNECT_SUCC',
  2002: 'PLAY_EVT_RTMP_STREAM_BEGIN',
  2003: 'PLAY_EVT_RCV_FIRST_I_FRAME',
  2004: 'PLAY_EVT_PLAY_BEGIN',
  2006: 'PLAY_EVT_PLAY_END',
  2007: 'PLAY_EVT_PLAY_LOADING',
  [-2301]: 'PLAY_ERR_NET_DISCONNECT',
  2101: 'PLAY_WARNING_VIDEO_DECODE_FAIL',
  2102: 'PLAY_WARNING_AUDIO_DECODE_FAIL',
  2103: 'PLAY_WARNING_RECONNECT',
  2104: 'PLAY_WARNING_RECV_DATA_LAG',
  2105: 'PLAY_WARNING_VIDEO_PLAY_LAG',
  2106: 'PLAY_WARNING_HW_ACCELERATION_FAIL',
  2107: 'PLAY_WARNING_VIDEO_DISCONTINUITY',
  3001: 'PLAY_WARNING_DNS_FAIL',
  3002: 'PLAY_WARNING_SEVER_CONN_FAIL',
  3003: 'PLAY_WARNING_SHAKE_FAIL',
});

// Name -> code, e.g. PusherCodes.PUSH_EVT_PUSH_BEGIN === 1002 (3005 shares its name with 3004: the
// name maps to 3004, as in the original's constant tables).
function invert(names) {
  const out = {};
  for (const [code, name] of Object.entries(names)) if (!(name in out)) out[name] = Number(code);
  return Object.freeze(out);
}
export const PusherCodes = invert(PusherCodeNames);
export const PlayerCodes = invert(PlayerCodeNames);

// `error` event codes (binderror of the original): the resource problems that are not state codes.
export const ErrorCodes = Object.freeze({
  CAMERA_DENIED: 10001,
  MIC_DENIED: 10002,
  WAITING_IMAGE_INVALID: 10004,
  // Extension: <live-pusher video-codec> names a codec the browser cannot encode; H.264 is pushed.
  VIDEO_CODEC_UNSUPPORTED: 10005,
});
