// The demo's live plots, drawn from `netstatus` (about once a second from each element): bitrate, frame
// rate, the player's buffer against its target and the min/max-cache band, delay, and network jitter.
// Pusher series are warm colours, player series cool ones; dashed lines are targets.
import { TimePlot, finite } from './plots.js';

const PUSH = { video: '#d9480f', audio: '#f59f00', target: '#862e9c' };
const PLAY = { video: '#1971c2', audio: '#0ca678', target: '#5f3dc4' };

export const PLOT_SPECS = Object.freeze([
  { id: 'bitrate', title: 'bitrate, video and audio', unit: 'kbps', minTop: 100, series: [
    { key: 'pushVideo', label: 'push', color: PUSH.video },
    { key: 'pushAudio', label: 'audio', color: PUSH.audio },
    { key: 'pushTarget', label: 'target', color: PUSH.target, dash: [5, 3] },
    { key: 'playVideo', label: 'play', color: PLAY.video },
    { key: 'playAudio', label: 'audio', color: PLAY.audio },
  ] },
  { id: 'fps', title: 'frame rate', unit: 'fps', minTop: 10, series: [
    { key: 'pushFps', label: 'push', color: PUSH.video },
    { key: 'playFps', label: 'play', color: PLAY.video },
  ] },
  { id: 'buffer', title: 'player buffer', unit: 'ms', minTop: 500, series: [
    { key: 'cacheMs', label: 'level', color: PLAY.video },
    { key: 'targetMs', label: 'target', color: PLAY.target, dash: [5, 3] },
  ], band: { lo: 'minCacheMs', hi: 'maxCacheMs', label: 'min..max cache', color: 'rgba(25, 113, 194, 0.12)' } },
  { id: 'delay', title: 'delay', unit: 'ms', minTop: 500, series: [
    { key: 'pushBacklog', label: 'pusher queue', color: PUSH.video },
    { key: 'playDelay', label: 'player buffer', color: PLAY.video },
    { key: 'sumDelay', label: 'queue + buffer', color: '#343a40', dash: [2, 2] },
  ] },
  { id: 'jitter', title: 'network jitter', unit: 'ms', minTop: 50, series: [
    { key: 'pushJitter', label: 'push', color: PUSH.video },
    { key: 'playJitter', label: 'play', color: PLAY.video },
  ] },
]);

/** The plot values one pusher netstatus gives (missing fields stay out: no point, not a zero). */
export function pusherValues(info) {
  const i = info || {};
  return { pushVideo: i.videoBitrate, pushAudio: i.audioBitrate, pushTarget: i.targetBitrate, pushFps: i.videoFPS,
    pushBacklog: i.backlogMs, pushJitter: i.netJitter };
}

/** The plot values one player netstatus gives; `attrs` supplies the cache band (live mode only). */
export function playerValues(info, attrs) {
  const i = info || {};
  const live = attrs && attrs.mode !== 'RTC';
  return { playVideo: i.videoBitrate, playAudio: i.audioBitrate, playFps: i.videoFPS, cacheMs: i.cacheMs, targetMs: i.targetMs,
    minCacheMs: live ? finite(attrs.minCache) * 1000 : undefined, maxCacheMs: live ? finite(attrs.maxCache) * 1000 : undefined,
    playDelay: i.cacheMs, playJitter: i.netJitter };
}

export class NetstatusPlots {
  /** @param {HTMLElement} container gets one <figure><canvas> per plot @param {Node | null} [before] inserted before this child */
  constructor(container, before = null) {
    this.plots = new Map();
    this.lastBacklog = null;  // {t, v}: the pusher's queue, summed with the player's buffer
    for (const spec of PLOT_SPECS) {
      const figure = document.createElement('figure');
      figure.className = 'plot';
      const canvas = document.createElement('canvas');
      canvas.dataset.plot = spec.id;
      figure.appendChild(canvas);
      container.insertBefore(figure, before);
      this.plots.set(spec.id, new TimePlot(canvas, spec));
    }
    this.timer = setInterval(() => this.draw(), 1000);
    this.draw();
  }

  now() {
    return performance.now() / 1000;
  }

  push(values) {
    const t = this.now();
    for (const plot of this.plots.values()) plot.push(t, values);
  }

  pusher(info) {
    const v = pusherValues(info);
    if (finite(v.pushBacklog) !== null) this.lastBacklog = { t: this.now(), v: v.pushBacklog };
    this.push(v);
  }

  player(info, attrs) {
    const v = playerValues(info, attrs);
    const b = this.lastBacklog;
    if (b && this.now() - b.t < 2.5 && finite(v.playDelay) !== null) v.sumDelay = b.v + v.playDelay;
    this.push(v);
  }

  draw() {
    const t = this.now();
    for (const plot of this.plots.values()) plot.draw(t);
  }
}
