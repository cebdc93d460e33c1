// The player tests' harness checked against a real, independent player: mpegts.js (npm) playing
// node-media-server's HTTP-FLV and WS-FLV of an ffmpeg barcode publisher into a <video> through MSE.
// What it proves: the publisher's frame numbers come back from a picture in order (picture probe), the
// flash band and the beep are found (flash detector, audio worklet probe) and pair up, the delay from the
// publisher's encoder to the shown picture is measurable on one clock. It also records mpegts.js's own
// A/V skew and delay, the reference the glass-to-glass benchmark puts beside our player.
//
// Figures go to the test log (`peer ...` lines). Bounds here are loose sanity checks on the harness, not
// speed goals (those belong to bench/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayerEnv, peerMissing, sleep } from './lib/player_env.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { waitNmsPublished } from './lib/node_media_server.mjs';
import { orderReport, avSkew, delays, summary } from './lib/picture_probe.mjs';

const WATCH_MS = 6000;
let env;
let pub;

before(async () => {
  const missing = peerMissing();
  if (missing) throw new Error(missing);
  env = await startPlayerEnv({ nms: true, nginx: false, gateway: false });
  pub = await publishBarcode(env.nms.rtmpUrl('peer'), { avsync: true });
  await waitNmsPublished(env.nms, 'peer');
  await pub.waitFrames(10);
});

after(async () => {
  await pub?.stop();
  if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-30).join('\n')}`);
  await env?.close();
});

async function watchPeer(url) {
  const peer = await env.addMpegtsPeer(url);
  try {
    await peer.waitPlaying();
    const pic = await peer.watchPicture();
    const aud = await peer.watchAudio();
    await sleep(WATCH_MS);
    const picture = await peer.read(pic);
    const audio = await peer.read(aud);
    const state = await peer.state();
    return { picture, audio, state };
  } finally {
    await peer.remove();
  }
}

for (const kind of ['HTTP-FLV', 'WS-FLV']) {
  describe(`mpegts.js plays node-media-server's ${kind}`, () => {
    test('frame numbers in order, flashes and beeps paired, delay measured', async () => {
      const url = kind === 'HTTP-FLV' ? env.nms.httpFlvUrl('peer') : env.nms.wsFlvUrl('peer');
      const { picture, audio, state } = await watchPeer(url);
      const order = orderReport(picture.frames);
      const skew = avSkew(picture.flashes, audio.onsets);
      const delay = summary(delays(picture.frames, pub));
      console.log(`peer ${kind}: frames ${order.count} (${order.first}..${order.last}), missing ${order.missing} in ${order.gaps.length} gaps (${order.unexplainedMissing} beyond probe misses), ` +
        `unreadable samples ${picture.unreadable}/${picture.samples}, video dropped ${state.quality?.dropped}/${state.quality?.total}; ` +
        `A/V skew (audio - video) ms ${JSON.stringify({ median: skew.median, maxAbs: skew.maxAbs, pairs: skew.pairs })}; ` +
        `delay publisher->shown ms ${JSON.stringify(delay)}; audio ${audio.sampleRate} Hz outputLatency ${audio.outputLatency}`);
      assert.deepEqual(picture.errors, [], 'the probe could draw the <video>');
      assert.deepEqual(order.backwards, [], 'frame numbers never go backwards');
      const expected = WATCH_MS * pub.fps / 1000;
      assert.ok(order.count >= 0.8 * expected, `most frames seen: ${order.count} of ~${expected}`);
      // Skipped numbers beyond what the probe's own late samples explain (a loaded machine runs video
      // frame callbacks late) are ones the <video> did not show; it counts those as dropped.
      const dropped = state.quality?.dropped ?? 0;
      assert.ok(order.unexplainedMissing <= dropped + 0.05 * expected + 2,
        `few numbers skipped: ${order.unexplainedMissing} not explained by the probe's sampling (${order.missing} in all; the video dropped ${dropped}): ${JSON.stringify(order.unexplained.slice(0, 6))}`);
      assert.ok(picture.flashes.length >= WATCH_MS / 1000 - 2, `flashes found: ${picture.flashes.length}`);
      assert.ok(audio.onsets.length >= WATCH_MS / 1000 - 2, `beeps found: ${audio.onsets.length}`);
      assert.ok(skew.pairs >= WATCH_MS / 1000 - 2, `flash/beep pairs: ${skew.pairs}`);
      // The pairing is stable (one skew, not noise): the spread of skews stays within two video frames.
      const spread = Math.max(...skew.skews) - Math.min(...skew.skews);
      assert.ok(spread < 80, `skew spread ${spread.toFixed(1)} ms`);
      assert.ok(delay && delay.p50 > 0 && delay.p50 < 5000, `a plausible delay: ${JSON.stringify(delay)}`);
    });
  });
}
