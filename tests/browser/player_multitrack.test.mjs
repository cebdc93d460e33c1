// Enhanced RTMP v2 Multitrack over HTTP-FLV (issue 19): one FLV stream with two video tracks (the
// barcode mezzanine at 320x240 as track 0 and scaled to 240x180 as track 1, H.264 by Debian's ffmpeg)
// and two AAC tracks (1 kHz as track 0, 500 Hz as track 1), muxed as ManyTracks tags by the core's
// flv::Muxer (lw-flv-mux --video-tracks/--audio-tracks), served in real time. The player shows track 0
// (netstatus 320x240, the 1 kHz tone), getTracks lists the four tracks with the video sizes, selectTrack
// switches video (netstatus 240x180, a `trackchange` event of type 'switched', frame numbers still in
// order with no unreported gap) and audio (the 500 Hz tone), and a track the stream lacks is refused.
// And a switch between tracks of two codecs (H.264 track 0, VP9 track 1, ManyTracksManyCodecs): the
// decoder is configured anew and the pictures stay in order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { playerMissing, watchPlayback, unreportedGaps, useHttpFlvPlayer, sleep, until } from './lib/player_env.mjs';
import { FLV_MUX_TOOL, FIXTURE_DIR, barcodeMezzanine } from './lib/publishers.mjs';
import { toneReport } from './lib/picture_probe.mjs';
import { ROOT, run } from '../interop/lib/tools.mjs';

const missing = playerMissing({ gateway: false }) ?? (existsSync(FLV_MUX_TOOL) ? null : `${path.relative(ROOT, FLV_MUX_TOOL)} is not built (scripts/build.sh native)`);
const FAILURES = new Set([-2301, 2101, 2102, 2103, 2006]);
const SECONDS = 20;
const FPS = 25;

async function ffmpeg(args, what) {
  const r = await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', '-threads', '1', ...args], { timeoutMs: 300000 });
  if (r.code !== 0) throw new Error(`ffmpeg could not make ${what} (${r.code}): ${r.stderr}`);
}

const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-bf', '0', '-sc_threshold', '0', '-b:v', '500k'];
const VP9 = ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-auto-alt-ref', '0', '-b:v', '500k'];

// The two-by-two stream, cached in build/browser-fixtures/ by recipe: video track i is the barcode at
// sizes[i] encoded as codecs[i] ('h264' or 'vp9').
async function multitrackFixture({ seconds = SECONDS, sizes = ['320x240', '240x180'], codecs = ['h264', 'h264'] } = {}) {
  const recipe = { v: 1, seconds, fps: FPS, sizes, codecs, tones: [1000, 500] };
  const key = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const file = path.join(FIXTURE_DIR, `multitrack-${key}.flv`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  const tmp = path.join(FIXTURE_DIR, `.tmp-${process.pid}-multitrack-${key}`);
  const parts = [`${tmp}-0.${codecs[0] === 'vp9' ? 'ivf' : 'h264'}`, `${tmp}-1.${codecs[1] === 'vp9' ? 'ivf' : 'h264'}`, `${tmp}-0.aac`, `${tmp}-1.aac`];
  try {
    const mezz = await barcodeMezzanine({ fps: FPS });
    for (const [i, size] of recipe.sizes.entries()) {
      // The same GOP (a key frame every second, no scene-cut keys) in both: each instant is one ManyTracks tag.
      await ffmpeg(['-i', mezz.file, '-frames:v', String(seconds * FPS), '-vf', `scale=${size.replace('x', ':')}:flags=bicubic`,
        ...(codecs[i] === 'vp9' ? VP9 : X264), '-g', String(FPS), '-keyint_min', String(FPS),
        '-pix_fmt', 'yuv420p', '-f', codecs[i] === 'vp9' ? 'ivf' : 'h264', parts[i]], `video track ${i}`);
    }
    for (const [i, hz] of recipe.tones.entries()) {
      await ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=exprs=0.5*sin(2*PI*${hz}*t):sample_rate=44100:channel_layout=mono`, '-t', String(seconds),
        '-c:a', 'aac', '-b:a', '64k', '-f', 'adts', parts[2 + i]], `audio track ${i}`);
    }
    const r = await run(FLV_MUX_TOOL, ['--video-tracks', `${parts[0]},${parts[1]}`, '--audio-tracks', `${parts[2]},${parts[3]}`,
      '--fps', String(FPS), '--multitrack', codecs[0] === codecs[1] ? 'many' : 'many-codecs', '--check', '-o', tmp]);
    if (r.code !== 0) throw new Error(`lw-flv-mux failed (${r.code}): ${r.stdout} ${r.stderr}`);
    console.log(`multitrack fixture: ${r.stdout.trim()}`);
    renameSync(tmp, file);
  } finally {
    for (const f of [tmp, ...parts]) rmSync(f, { force: true });
  }
  return file;
}

describe('Enhanced RTMP v2 Multitrack over HTTP-FLV', { skip: missing ?? false }, () => {
  const http = useHttpFlvPlayer({ logLines: 30 });

  test('track 0 plays, getTracks lists all, selectTrack switches video and audio in order', async () => {
    const { env, flvServer } = http;
    flvServer.set('/mt.flv', readFileSync(await multitrackFixture()));
    const p = await env.addPlayer({ src: flvServer.url('/mt.flv'), autoplay: true, mode: 'RTC' }, { context: true });
    try {
      // trackchange is a livewasm extension event: collected here (the env's log has the standard ones).
      await env.page.evaluate((id) => {
        window.lwTrackEvents = [];
        document.getElementById(id).addEventListener('trackchange', (e) =>
          window.lwTrackEvents.push({ t: performance.now(), detail: JSON.parse(JSON.stringify(e.detail)) }));
      }, p.id);
      await p.waitCode(2004, { timeoutMs: 20000 });
      const w0 = await watchPlayback(p, { ms: 2500, audio: true });
      const net0 = w0.net.at(-1) ?? {};
      const tone0 = toneReport(w0.audio.levels, { from: w0.from });
      const listed = await p.context('getTracks');
      console.log(`before: ${net0.videoWidth}x${net0.videoHeight} tone ${JSON.stringify(tone0)} frames ${w0.order.count} tracks ${JSON.stringify(listed)}`);
      assert.equal(listed.errMsg, 'getTracks:ok');
      const brief = (t) => `${t.kind}${t.id}${t.kind === 'video' ? ` ${t.width}x${t.height}` : ''}${t.selected ? ' *' : ''}`;
      assert.deepEqual(listed.tracks.map(brief), ['video0 320x240 *', 'video1 240x180', 'audio0 *', 'audio1']);
      assert.ok(listed.tracks.every((t) => /^(avc1|mp4a)\./.test(t.codec)), 'codec strings from the sequence headers');
      assert.equal(`${net0.videoWidth}x${net0.videoHeight}`, '320x240', 'track 0 shown');
      assert.ok(Math.abs(tone0.hz - 1000) < 30 && tone0.rms > 0.1, `track 0's 1 kHz tone heard: ${JSON.stringify(tone0)}`);
      assert.ok(w0.order.count >= 25, `frames shown: ${w0.order.count}`);

      const refused = await p.context('selectTrack', { kind: 'video', id: 7 });
      console.log(`refused: ${refused.failed}`);
      assert.match(refused.failed ?? '', /^selectTrack:fail .*no video track 7 in the stream \(tracks: 0, 1\)/);

      // The picture probe runs across the switch.
      const across = watchPlayback(p, { ms: 5000 });
      await sleep(1000);
      const asked = await p.now();
      const sv = await p.context('selectTrack', { kind: 'video', id: 1 });
      const sa = await p.context('selectTrack', { kind: 'audio', id: 1 });
      assert.equal(sv.errMsg, 'selectTrack:ok');
      assert.equal(sa.errMsg, 'selectTrack:ok');
      // Video switches at track 1's next key frame (one a second), audio at its next packet.
      const switched = await until(() => env.page.evaluate((after) => {
        const evs = window.lwTrackEvents.filter((e) => e.t > after).flatMap((e) => e.detail.events);
        const kinds = new Set(evs.filter((e) => e.type === 'switched' && e.id === 1).map((e) => e.kind));
        return kinds.has('video') && kinds.has('audio') ? evs : null;
      }, asked), { timeoutMs: 5000, what: "trackchange 'switched' to video 1 and audio 1" });
      console.log(`switch events: ${JSON.stringify(switched.map((e) => e.message))}`);
      const ws = await across;
      console.log(`across the switch: frames ${ws.order.count} (${ws.order.first}..${ws.order.last}) missing ${ws.order.missing} dropped ${ws.dropped} ` +
        `sizes ${JSON.stringify([...new Set(ws.net.map((n) => `${n.videoWidth}x${n.videoHeight}`))])}`);
      assert.deepEqual(ws.picture.errors, [], 'the probe could read the canvas');
      assert.deepEqual(ws.order.backwards, [], 'frame numbers never go backwards across the switch');
      assert.equal(unreportedGaps(ws), null);
      assert.ok(ws.order.count >= 75, `frames shown across the switch: ${ws.order.count}`);

      const w1 = await watchPlayback(p, { ms: 2500, audio: true });
      const net1 = w1.net.at(-1) ?? {};
      const tone1 = toneReport(w1.audio.levels, { from: w1.from });
      const after = await p.context('getTracks');
      console.log(`after: ${net1.videoWidth}x${net1.videoHeight} tone ${JSON.stringify(tone1)} frames ${w1.order.count} ` +
        `(${w1.order.first}..${w1.order.last}) missing ${w1.order.missing} dropped ${w1.dropped} codes ${JSON.stringify(w1.codes)}`);
      assert.deepEqual(after.tracks.map(brief), ['video0 320x240', 'video1 240x180 *', 'audio0', 'audio1 *']);
      assert.equal(`${net1.videoWidth}x${net1.videoHeight}`, '240x180', 'track 1 shown');
      assert.ok(Math.abs(tone1.hz - 500) < 30 && tone1.rms > 0.1, `track 1's 500 Hz tone heard: ${JSON.stringify(tone1)}`);
      // Pictures stay in order across the switch: the number goes on from where track 0 was.
      assert.deepEqual(w1.picture.errors, [], 'the probe could read the canvas');
      assert.deepEqual(w1.order.backwards, [], 'frame numbers never go backwards');
      assert.ok(w1.order.first >= w0.order.last, `track 1 goes on after track 0's last picture (${w0.order.last} -> ${w1.order.first})`);
      assert.ok(w1.order.count >= 40, `frames shown: ${w1.order.count}`);
      assert.equal(unreportedGaps(w1), null);
      assert.deepEqual(w1.codes.filter((c) => c < 0 || FAILURES.has(c)), [], 'no failure code');
    } finally {
      await p.remove();
    }
  });

  test('a switch to a track of another codec (H.264 -> VP9) keeps pictures in order', async () => {
    const { env, flvServer } = http;
    flvServer.set('/mixed.flv', readFileSync(await multitrackFixture({ seconds: 12, sizes: ['320x240', '320x240'], codecs: ['h264', 'vp9'] })));
    const p = await env.addPlayer({ src: flvServer.url('/mixed.flv'), autoplay: true, mode: 'RTC' }, { context: true });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      const across = watchPlayback(p, { ms: 5000 });
      await sleep(1000);
      const sv = await p.context('selectTrack', { kind: 'video', id: 1 });
      assert.equal(sv.errMsg, 'selectTrack:ok');
      const ws = await across;
      const listed = await p.context('getTracks');
      const v1 = listed.tracks.find((t) => t.kind === 'video' && t.id === 1);
      console.log(`mixed: frames ${ws.order.count} (${ws.order.first}..${ws.order.last}) missing ${ws.order.missing} dropped ${ws.dropped} ` +
        `decoders ${JSON.stringify([...new Set(ws.net.map((n) => n.videoDecoder))])} track 1 ${JSON.stringify(v1)} codes ${JSON.stringify(ws.codes)}`);
      assert.ok(v1?.selected && /^vp09\./.test(v1.codec), `video track 1 (VP9) plays: ${JSON.stringify(listed.tracks)}`);
      assert.deepEqual(ws.picture.errors, [], 'the probe could read the canvas');
      assert.deepEqual(ws.order.backwards, [], 'frame numbers never go backwards across the switch');
      assert.equal(unreportedGaps(ws), null);
      assert.ok(ws.order.count >= 75, `frames shown across the switch: ${ws.order.count}`);
      assert.deepEqual(ws.codes.filter((c) => c < 0 || FAILURES.has(c)), [], 'no failure code');
    } finally {
      await p.remove();
    }
  });
});
