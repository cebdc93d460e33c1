// Misuses the declarations must refuse: each line under `@ts-expect-error` has to be an error, or tsc
// reports the unused directive (so the types are not `any`).
import {
  createLivePusherContext, createLivePlayerContext, configure, PusherCodes, PlayerCodes, PusherCodeNames,
  type PusherCode, type PusherAttributeName,
} from 'livewasm';
import { createLivePlayerContext as playerOnly } from 'livewasm/player';
// @ts-expect-error: the pusher entry has no player code table
import { PlayerCodes as NotInPusher } from 'livewasm/pusher';

const pusher = createLivePusherContext();
const player = createLivePlayerContext();

// @ts-expect-error: not a mode of the pusher
createLivePusherContext({ mode: 'UHD' });
// @ts-expect-error: not an aspect
createLivePusherContext({ aspect: '16:10' });
// @ts-expect-error: a number attribute given a boolean
createLivePusherContext({ 'min-bitrate': true });
// @ts-expect-error: the player's mode is live or RTC
createLivePlayerContext({ mode: 'fast' });
// @ts-expect-error: object-fit takes fillCrop, not cover
createLivePlayerContext({ objectFit: 'cover' });
// @ts-expect-error: no such method (start is the pusher's)
void player.start();
// @ts-expect-error: no such method on the pusher context
void pusher.requestFullScreen();
// @ts-expect-error: no such code name
console.log(PusherCodes.PUSH_EVT_PLAY_BEGIN);
// @ts-expect-error: 1002 is the pusher's begin, not 1003
const wrong: 1003 = PusherCodes.PUSH_EVT_PUSH_BEGIN;
// @ts-expect-error: 2005 is not a player code
console.log(PlayerCodes[2005]);
// @ts-expect-error: 1004 is not a pusher code
const code: PusherCode = 1004;
// @ts-expect-error: no such code
console.log(PusherCodeNames[1004]);
// @ts-expect-error: attributes are kebab-case
const name: PusherAttributeName = 'minBitrate';
// @ts-expect-error: unknown configure option
configure({ gatway: 'wss://x' });
// @ts-expect-error: a full screen direction is 0, 90 or -90
void player.requestFullScreen({ direction: 45 });
pusher.addEventListener('statechange', (e) => {
  // @ts-expect-error: detail.code is a number
  const s: string = e.detail.code;
  console.log(s);
});
player.addEventListener('netstatus', (e) => {
  // @ts-expect-error: the player's netstatus has no backlogMs (the pusher's does)
  console.log(e.detail.info.backlogMs);
});
void pusher.start({
  // @ts-expect-error: the success result of start is 'start:ok'
  success: (r) => { const m: 'stop:ok' = r.errMsg; console.log(m); },
});
void pusher.snapshot().then((r) => {
  // @ts-expect-error: a snapshot has no url field (it is tempImagePath)
  console.log(r.url);
});
// @ts-expect-error: the player entry's contexts have no start()
void playerOnly().start();
console.log(wrong, code, name, NotInPusher);
