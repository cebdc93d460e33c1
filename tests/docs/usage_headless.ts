// The headless entry: the same API without the elements (must type-check with `tsc --strict`).
import { LivePusher, LivePlayer, LivePusherContext, LivePlayerContext, PusherCodes, configure } from 'livewasm/headless';

configure({ audioDecoder: 'webcodecs' });
const pusher = new LivePusher({ url: 'rtmp://127.0.0.1/live/a', enableCamera: false });
pusher.addEventListener('netstatus', (e) => console.log(e.detail.info.netSpeed));
pusher.addEventListener('statechange', (e) => {
  if (e.detail.code === PusherCodes.PUSH_WARNING_NET_BUSY) pusher.set({ maxBitrate: 500 });
});
const pc = new LivePusherContext(pusher);
void pc.start().then((r) => r.errMsg);

const player = new LivePlayer({ src: 'ws://127.0.0.1/live/a.flv' });
player.attachCanvas(document.createElement('canvas'));
const ctx = new LivePlayerContext(player, null);
void ctx.play({ complete: (r) => console.log(r.errMsg) });
