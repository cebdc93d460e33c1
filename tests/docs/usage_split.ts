// The split entries: an app that only pushes or only plays (must type-check with `tsc --strict`).
import { defineLivePusher, createLivePusherContext, PusherCodes, type PusherNetStatus, type LivePusherElement } from 'livewasm/pusher';
import { defineLivePlayer, createLivePlayerContext, PlayerCodes, type PlayerNetStatus } from 'livewasm/player';

defineLivePusher();
defineLivePlayer('my-player');
const el: LivePusherElement = document.createElement('live-pusher');
el.addEventListener('netstatus', (e) => { const info: PusherNetStatus = e.detail.info; console.log(info.targetBitrate); });
document.createElement('live-player').addEventListener('netstatus', (e) => {
  const info: PlayerNetStatus = e.detail.info;
  console.log(info.cacheMs);
});
void createLivePusherContext({ url: 'rtmp://127.0.0.1/live/a' }).start().then((r) => r.errMsg === 'start:ok');
void createLivePlayerContext({ src: 'rtmp://127.0.0.1/live/a' }).play();
console.log(PusherCodes.PUSH_EVT_PUSH_BEGIN + PlayerCodes.PLAY_EVT_PLAY_BEGIN);
