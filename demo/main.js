// The demo page: a <live-pusher> and a <live-player> side by side, built on the package entry as any page
// would be. The query names the URLs (the main command, scripts/run.mjs, fills them):
//   ?push=rtmp://…/live/pushed   what the pusher pushes to
//   &play=rtmp://…               what the player plays (default: the push URL)
//   &gateway=ws://…              the WebSocket gateway rtmp:// goes through
import * as livewasm from '../js-api/index.js';
import { PUSHER_CONTROLS, PLAYER_CONTROLS } from './attribute_table.js';
import { buildControls } from './controls.js';
import { buildMethodButtons } from './methods.js';
import { EventLog } from './event_log.js';
import { NetstatusPlots } from './netstatus_plots.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const host = location.hostname || '127.0.0.1';
const pushUrl = params.get('push') || `rtmp://${host}:1935/live/pushed`;
const playUrl = params.get('play') || pushUrl;
const gateway = params.get('gateway') || `ws://${host}:8090`;
$('push-url').textContent = pushUrl;
$('play-url').textContent = playUrl;
$('gateway-url').textContent = gateway;
livewasm.configure({ gateway });

const log = new EventLog($('log'));
$('clear-log').addEventListener('click', () => { $('log').textContent = ''; });
const plots = new NetstatusPlots($('plots'), $('events'));
// For tests and the curious: the page's parts.
window.demo = { livewasm, log, plots };

// ---- the pusher -------------------------------------------------------------------------------------
const pusher = $('pusher');
pusher.setAttribute('url', pushUrl);
pusher.setAttribute('gateway', gateway);
pusher.addEventListener('statechange', (e) => {
  log.state('pusher', e.detail);
  if (e.detail.code === 1002 && $('follow').checked) playWhenPushing();
});
pusher.addEventListener('error', (e) => log.error('pusher', e.detail));
pusher.addEventListener('netstatus', (e) => plots.pusher(e.detail.info));
const pusherControls = buildControls($('pusher-controls'), PUSHER_CONTROLS, () => pusher);
pusherControls.syncFrom(pusher);
const pusherContext = () => livewasm.createLivePusherContext('pusher');
buildMethodButtons($('pusher-methods'), $('pusher-result'),
  ['start', 'stop', 'pause', 'resume', 'switchCamera', 'snapshot'].map((name) => ({ name })),
  pusherContext, (r) => log.result('pusher', r));
// switchCamera flips device-position on the running pusher: show it in the control.
pusher.addEventListener('statechange', () => {
  const position = pusher.pusher && pusher.pusher.attrs.devicePosition;
  if (position) pusherControls.inputs.get('device-position').value = position;
});

// ---- the player -------------------------------------------------------------------------------------
// Re-created when a decoder attribute changes (decoders are chosen when its worker starts).
let player = null;
function mountPlayer(attributes) {
  const el = document.createElement('live-player');
  el.id = 'player';
  for (const [name, value] of attributes) el.setAttribute(name, value);
  el.addEventListener('statechange', (e) => log.state('player', e.detail));
  el.addEventListener('error', (e) => log.error('player', e.detail));
  el.addEventListener('fullscreenchange', (e) => log.add('player', `fullscreenchange ${JSON.stringify(e.detail)}`));
  el.addEventListener('netstatus', (e) => plots.player(e.detail.info, el.player ? el.player.attrs : null));
  if (player) player.replaceWith(el);
  else $('player-slot').appendChild(el);
  player = el;
  return el;
}
mountPlayer([['src', playUrl], ['gateway', gateway], ['mode', 'live'], ['min-cache', '1'], ['max-cache', '3']]);
let played = false;
const playerControls = buildControls($('player-controls'), PLAYER_CONTROLS, () => player, {
  startWord: 'next play',
  onChange(name, value, row) {
    if (row.when !== 'first' || !played) return;
    const attributes = [...player.attributes].filter((a) => a.name !== 'id').map((a) => [a.name, a.value]);
    mountPlayer(attributes);
    played = false;
    log.add('player', `${name} changed: the <live-player> was re-created; press play`);
  },
});
playerControls.syncFrom(player);
const playerContext = () => livewasm.createLivePlayerContext('player');
const logPlayer = (r) => log.result('player', r);
buildMethodButtons($('player-methods'), $('player-result'), [
  { name: 'play' }, { name: 'stop' }, { name: 'pause' }, { name: 'resume' },
  { name: 'mute', label: 'mute / unmute', args: () => ({ muted: !(player.player && player.player.attrs.muted) }) },
  { name: 'requestFullScreen', args: () => ({ direction: 0 }) }, { name: 'exitFullScreen' },
  { name: 'snapshot' }, { name: 'requestPictureInPicture', label: 'PiP' }, { name: 'exitPictureInPicture', label: 'exit PiP' },
], () => {
  played = true;
  return playerContext();
}, logPlayer);
// mute() sets the element's state, not its attribute: keep the checkbox honest.
$('player-methods').addEventListener('click', (e) => {
  if (e.target.dataset && e.target.dataset.method === 'mute') {
    setTimeout(() => { playerControls.inputs.get('muted').checked = !!(player.player && player.player.attrs.muted); }, 0);
  }
});

function playWhenPushing() {
  played = true;
  playerContext().play({ success: logPlayer, fail: logPlayer });
}
