// A realistic consumer of the livewasm declarations: it must type-check with `tsc --strict`
// (tests/docs/api_reference.test.mjs). Not run: it only has to compile.
import {
  configure, currentConfig, createLivePusherContext, createLivePlayerContext, defineLivePusher, defineLivePlayer,
  PusherCodes, PusherCodeNames, PlayerCodes, PlayerCodeNames, ErrorCodes,
  LivePusherElement, LivePlayerElement,
  type LivewasmConfig, type PusherNetStatus, type PlayerNetStatus, type PusherCode, type PlayerCode,
  type PusherAttributeName, type PlayerAttributeName, type SnapshotResult, type FailResult, type ContextError,
} from 'livewasm';

const config: LivewasmConfig = configure({ gateway: 'wss://gw.example.com', videoEncoder: 'wasm', videoDecoder: 'auto' });
const gateway: string = currentConfig().gateway + config.wasmBase;
defineLivePusher('my-pusher');
defineLivePlayer();

// Literal code constants.
const begin: 1002 = PusherCodes.PUSH_EVT_PUSH_BEGIN;
const lost: -1307 = PusherCodes.PUSH_ERR_NET_DISCONNECT;
const shown: 2004 = PlayerCodes.PLAY_EVT_PLAY_BEGIN;
const beginName: 'PUSH_EVT_PUSH_BEGIN' = PusherCodeNames[1002];
const brokenName: 'PUSH_WARNING_SERVER_DISCONNECT' = PusherCodeNames[3005];
const lostName: 'PLAY_ERR_NET_DISCONNECT' = PlayerCodeNames[-2301];
const denied: 10001 = ErrorCodes.CAMERA_DENIED;
const attr: PusherAttributeName = 'min-bitrate';
const attr2: PlayerAttributeName = 'auto-pause-if-open-native';

// The elements, typed through HTMLElementTagNameMap.
const pusherEl: LivePusherElement = document.createElement('live-pusher');
pusherEl.setAttribute('url', 'rtmp://127.0.0.1/live/me');
pusherEl.addEventListener('statechange', (e) => {
  const code: PusherCode = e.detail.code;
  if (code === PusherCodes.PUSH_EVT_PUSH_BEGIN) console.log('pushing', e.detail.message);
  if (code === -1307) console.log(PusherCodeNames[code]);
});
pusherEl.addEventListener('netstatus', (e) => {
  const info: PusherNetStatus = e.detail.info;
  console.log(info.videoBitrate, info.targetBitrate, info.backlogMs, info.droppedFrames, info.videoFPS.toFixed(1));
});
pusherEl.addEventListener('error', (e) => {
  if (e.detail.errCode === ErrorCodes.MIC_DENIED) console.log(e.detail.errMsg);
});
pusherEl.addEventListener('click', (e: MouseEvent) => console.log(e.clientX));
console.log(pusherEl.pusher.attrs.mode, pusherEl.preview.srcObject);

const playerEl = document.querySelector('live-player');
if (playerEl) {
  playerEl.addEventListener('fullscreenchange', (e) => console.log(e.detail.fullScreen, e.detail.direction));
  playerEl.addEventListener('audiovolumenotify', (e) => console.log(e.detail.volume / 100));
  playerEl.addEventListener('netstatus', (e) => {
    const info: PlayerNetStatus = e.detail.info;
    console.log(info.cacheMs - info.targetMs, info.videoDecoder, info.startup.shown ?? -1, info.operation);
  });
  const canvas: HTMLCanvasElement = playerEl.videoCanvas;
  if (playerEl.player) console.log(playerEl.player.attrs.minCache, canvas.width);
}
const viaElement: LivePlayerElement | null = document.querySelector<LivePlayerElement>('#v');
console.log(viaElement?.player?.playing);

// The pusher context: callbacks and promises.
async function push(): Promise<void> {
  const ctx = createLivePusherContext({ url: 'rtmp://127.0.0.1/live/me', mode: 'HD', 'min-bitrate': 600, maxBitrate: 1200, audioQuality: 'high' });
  ctx.addEventListener('statechange', (e) => console.log(e.detail.code satisfies PusherCode));
  ctx.addEventListener('preview', (e) => { pusherEl.preview.srcObject = e.detail.stream; });
  const started = await ctx.start();
  const ok: 'start:ok' = started.errMsg;
  ctx.stop({
    success: (r) => { const s: 'stop:ok' = r.errMsg; console.log(s); },
    fail: (r: FailResult<'stop'>) => console.log(r.errMsg.slice('stop:fail '.length)),
    complete: (r) => console.log(r.errMsg),
  });
  const { devicePosition } = await ctx.switchCamera();
  const pos: 'front' | 'back' = devicePosition;
  const shot: SnapshotResult = await ctx.snapshot({ success: (r) => console.log(r.tempImagePath) });
  console.log(ok, pos, shot.width * shot.height, shot.errMsg === 'snapshot:ok');
  await ctx.pause();
  await ctx.resume();
  ctx.pusher.set({ beauty: 5, whiteness: 2, muted: true });
  try {
    await createLivePusherContext('p').start();
  } catch (err) {
    console.log((err as ContextError<'start'>).errMsg);
  }
}

// The player context.
async function play(): Promise<void> {
  const ctx = createLivePlayerContext({ src: 'http://127.0.0.1/live/x.flv', mode: 'RTC', 'object-fit': 'fillCrop', pictureInPictureMode: ['push', 'pop'] });
  ctx.addEventListener('statechange', (e) => {
    const code: PlayerCode = e.detail.code;
    if (code === PlayerCodes.PLAY_ERR_NET_DISCONNECT) void ctx.play();
  });
  await ctx.play();
  await ctx.mute({ muted: false });
  await ctx.requestFullScreen({ direction: 90, fail: (r) => console.log(r.errMsg) });
  await ctx.exitFullScreen();
  const shot = await ctx.snapshot();
  URL.revokeObjectURL(shot.tempImagePath);
  await ctx.requestPictureInPicture();
  await ctx.exitPictureInPicture();
  await ctx.pause();
  await ctx.resume();
  await ctx.stop();
  ctx.player.set({ minCache: 3, maxCache: 5 });
  console.log(ctx.element, ctx.player.videoCanvas);
}

void push();
void play();
console.log(gateway, begin, lost, shown, beginName, brokenName, lostName, denied, attr, attr2);
