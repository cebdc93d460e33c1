// A normal push, judged from outside: <live-pusher> (RTC, 9:16 vertical, 200-1000 kbit/s) with the fake
// camera and microphone files -> gateway -> nginx-rtmp; ffmpeg pulls the stream back and we read what
// really went out: the camera fixture's frame numbers, the picture size, the tone, the bitrates.
//
// Bounds, and why:
//   - state codes: 1003 (camera) before 1001 (connected) before 1002 (push begins), no negative code.
//   - frame numbers strictly increasing (the loop of the fixture file unwrapped), at least 95 % of the
//     pulled frames readable, and no gap above MAX_GAP frames. RTC may skip frames rather than queue
//     them (wasm/core/push/rate_controller.h: non-reference frames go first); on an unthrottled loopback
//     link it should skip only for CPU. MAX_GAP = 9 frames (300 ms of the 30 fps camera) is generous
//     enough for a busy 2-core machine and still fails a pipeline that stalls or reorders.
//   - picture size: 9:16 vertical rungs of the ladder (wasm/core/push/video_ladder.h) for a bitrate inside
//     [min, max] = [200, 1000]: 270x480, 360x640 or 540x960; and what netstatus reports.
//   - tone: the fake mic's 1 kHz within 1 % (AAC keeps the frequency; 44.1/48 kHz resampling too).
//   - average video bitrate over the pulled window within [0.8 * min, 1.2 * max]. The camera file has
//     temporal noise over the background (more detail than 1 Mbit/s can carry) so the encoder runs at
//     its target rather than undershooting on easy content; the target is clamped to [min, max] by the
//     rate controller. 20 % either side covers OpenH264's rate-control error over an 8 s window with
//     1 s GOPs (each IDR is several P frames' worth of bits) and FLV/NAL framing overhead.
//   - metadata: what nginx-rtmp hands a player that joins (lw-rtmp-tool, the core's AMF0 decoder) says
//     the stream's size, 30 fps, H.264 + AAC and the bitrate ceiling; ffprobe's avg_frame_rate and r_frame_rate are 30/1
//     from it (before the fix the pusher's onMetaData went out before the first picture, without them:
//     nginx said fps 0 and mpegts.js assumed 23.976).
//   - netstatus: about once a second (5-10 events in 8 s, mean interval 0.8-1.25 s), every field a
//     finite number, sizes matching the stream, fps within (5, 31], bitrates positive and plausible.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPushEnv, pusherMissing, firstIndex, sleep } from './lib/pusher_env.mjs';
import { analyzeMedia, probeStreams, readScriptData, recordLive, sequenceReport } from './lib/stream_reader.mjs';

const MIN = 200;
const MAX = 1000;
const MAX_GAP = 9;
const RECORD_S = 8;
const RUNGS_9x16_VERTICAL = ['270x480', '360x640', '540x960'];

let env;
let dir;

before(async () => {
  const missing = pusherMissing();
  if (missing) throw new Error(`the pusher cannot run: ${missing}`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'lw-push-'));
  env = await startPushEnv({ camera: { noise: 8 } });
});

after(async () => {
  if (env) console.log(`browser log:\n${env.browser.logText()}`);
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('normal push (RTC, 9:16 vertical, 200-1000 kbit/s)', () => {
  let pusher;
  let media;
  let netstatus;
  let codes;
  let scriptData;
  let probed;

  before(async () => {
    pusher = await env.addPusher({
      url: env.nginx.url('normal'), mode: 'RTC', 'min-bitrate': MIN, 'max-bitrate': MAX, aspect: '9:16', orientation: 'vertical',
    });
    const begin = await pusher.waitCode(1002, { timeoutMs: 20000 });
    await sleep(1000);  // let the first key frame and sequence headers settle at nginx
    const file = path.join(dir, 'normal.flv');
    const rec = recordLive(env.nginx.url('normal'), file, { seconds: RECORD_S });
    const t0 = await env.page.evaluate(() => performance.now());
    [scriptData, probed] = await Promise.all([readScriptData(env.nginx.url('normal')), probeStreams(env.nginx.url('normal'))]);
    const exit = await rec.done;
    const t1 = await env.page.evaluate(() => performance.now());
    assert.equal(exit.code, 0, `ffmpeg recorded the stream: ${rec.ffmpeg.stderr}`);
    netstatus = (await pusher.events('netstatus')).filter((e) => e.t >= t0 && e.t <= t1);
    codes = await pusher.codes();
    await pusher.stop();
    media = await analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height, expectHz: 1000 });
    console.log(`push began ${Math.round(begin.t)} ms; codes ${JSON.stringify(codes)}`);
    console.log(`pulled: video ${media.video?.width}x${media.video?.height} sizes ${JSON.stringify(media.video?.sizes)} ` +
      `${media.video?.frames.length} frames, ${media.video?.fps?.toFixed(1)} fps, ${media.video?.kbps?.toFixed(0)} kbit/s ` +
      `(${JSON.stringify(media.video?.kbpsPerSecond.map((s) => Math.round(s.kbps)))}), key frames at ${JSON.stringify(media.video?.keyframes)}; ` +
      `audio ${media.audio?.codec} ${media.audio?.sampleRate} Hz x${media.audio?.channels}, ${media.audio?.frequency?.toFixed(1)} Hz, ` +
      `${media.audio?.rmsDb?.toFixed(1)} dBFS, ${media.audio?.kbps?.toFixed(0)} kbit/s`);
    console.log(`netstatus: ${JSON.stringify(netstatus.map((e) => e.detail.info))}`);
    console.log(`script data to a joining player: ${JSON.stringify(scriptData)}; ffprobe: ${JSON.stringify(probed)}`);
  });

  test('metadata tells a joining player the size, 30 fps, the codecs and the bitrate; ffprobe reads 30 fps', () => {
    const meta = scriptData.find((d) => d.name === 'onMetaData')?.props;
    assert.ok(meta, `an onMetaData: ${JSON.stringify(scriptData)}`);
    const size = `${meta.width}x${meta.height}`;
    assert.ok(RUNGS_9x16_VERTICAL.includes(size), `width x height ${size}`);
    assert.equal(meta.framerate, env.cam.fps, 'framerate');
    assert.equal(meta.videocodecid, 7, 'videocodecid: AVC');
    assert.equal(meta.audiocodecid, 10, 'audiocodecid: AAC');
    assert.equal(meta.videodatarate, MAX, 'videodatarate: the ceiling the rate controller keeps under');
    assert.ok(meta.audiodatarate > 0 && meta.audiodatarate <= 320, `audiodatarate ${meta.audiodatarate}`);
    const video = probed.find((s) => s.codec_type === 'video');
    // avg_frame_rate is the metadata's framerate (FFmpeg's flvdec); r_frame_rate is guessed from the
    // timestamps, which the pusher writes on its encoder's frame grid (wasm/core/push/push_session.h
    // grid_time): capture times with a loaded machine's jitter made the guess the timebase (1000/1).
    assert.equal(video?.avg_frame_rate, `${env.cam.fps}/1`, `ffprobe takes avg_frame_rate from the metadata: ${JSON.stringify(probed)}`);
    assert.equal(video?.r_frame_rate, `${env.cam.fps}/1`, `ffprobe reads the frame rate from the timestamps: ${JSON.stringify(probed)}`);
    assert.equal(`${video.width}x${video.height}`, size, 'ffprobe\'s size is the metadata\'s');
  });

  test('state codes: 1003 before 1001 before 1002, and no error code', () => {
    const [camera, connect, begin] = firstIndex(codes, 1003, 1001, 1002);
    assert.ok(camera >= 0 && connect >= 0 && begin >= 0, `all three codes: ${codes}`);
    assert.ok(camera < connect && connect < begin, `order 1003 < 1001 < 1002: ${codes}`);
    assert.deepEqual(codes.filter((c) => c < 0), [], 'no negative code');
  });

  test(`frame numbers arrive in order, readable, with no gap above ${MAX_GAP} frames`, () => {
    const frames = media.video.frames;
    assert.ok(frames.length >= RECORD_S * 10, `enough frames pulled: ${frames.length}`);
    const seq = sequenceReport(frames, env.cam.frames);
    const where = `numbers: ${JSON.stringify(frames.map((f) => f.number))}`;
    assert.ok(seq.unreadable <= frames.length * 0.05, `readable frames: ${seq.read}/${frames.length}; ${where}`);
    assert.deepEqual(seq.backwards, [], `never backwards; ${where}`);
    assert.equal(seq.repeats, 0, `no frame twice (frame 0 twice at the camera's loop is the camera's own: ${seq.loopRepeats}); ${where}`);
    assert.ok(seq.maxGap <= MAX_GAP, `largest gap ${seq.maxGap} frames; ${where}`);
    // Media time tracks the camera: numbers advance 30 a second of pts (frame skipping lowers the
    // count of frames, not the numbers' pace).
    const read = frames.filter((f) => f.number !== null);
    const numbersPerSecond = (seq.last - seq.first) / (read.at(-1).pts - read[0].pts);
    assert.ok(Math.abs(numbersPerSecond - env.cam.fps) < env.cam.fps * 0.1, `camera frames per second of stream time: ${numbersPerSecond}`);
  });

  test('picture size is a 9:16 vertical rung of the ladder for 200-1000 kbit/s and matches netstatus', () => {
    for (const s of media.video.sizes) assert.ok(RUNGS_9x16_VERTICAL.includes(s.size), `size ${s.size} (sizes ${JSON.stringify(media.video.sizes)})`);
    const last = netstatus.at(-1)?.detail.info;
    assert.ok(last, 'netstatus arrived');
    const lastSize = media.video.sizes.at(-1).size;
    const reported = `${last.videoWidth}x${last.videoHeight}`;
    assert.ok(media.video.sizes.some((s) => s.size === reported), `netstatus size ${reported} is one the stream had (${lastSize})`);
  });

  test('the tone is the fake microphone\'s 1 kHz', () => {
    assert.ok(media.audio, 'an audio stream');
    assert.equal(media.audio.codec, 'aac', 'AAC by default');
    assert.ok(Math.abs(media.audio.frequency - 1000) < 10, `frequency ${media.audio.frequency}`);
    assert.ok(media.audio.toneDb > -3, `most of the power is in the tone: ${media.audio.toneDb} dB`);
    assert.ok(media.audio.rmsDb > -40, `audible, not silence: ${media.audio.rmsDb} dBFS`);
  });

  test(`average video bitrate within [0.8 * ${MIN}, 1.2 * ${MAX}] kbit/s`, () => {
    const kbps = media.video.kbps;
    assert.ok(kbps >= 0.8 * MIN && kbps <= 1.2 * MAX, `video ${kbps} kbit/s`);
  });

  test('netstatus about once a second, every field numeric and plausible', () => {
    const n = netstatus.length;
    assert.ok(n >= RECORD_S * 0.6 && n <= RECORD_S * 1.3, `${n} netstatus events in ${RECORD_S} s`);
    const gaps = netstatus.slice(1).map((e, i) => e.t - netstatus[i].t);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    assert.ok(mean >= 800 && mean <= 1250, `mean interval ${mean} ms`);
    const fields = ['videoBitrate', 'audioBitrate', 'videoFPS', 'videoGOP', 'netSpeed', 'netJitter', 'videoWidth', 'videoHeight'];
    for (const { detail } of netstatus) {
      const info = detail.info;
      for (const f of fields) assert.ok(typeof info[f] === 'number' && Number.isFinite(info[f]), `${f} is a finite number: ${JSON.stringify(info)}`);
      assert.ok(info.videoBitrate > 0 && info.videoBitrate <= MAX * 1.5, `videoBitrate ${info.videoBitrate}`);
      assert.ok(info.audioBitrate > 0 && info.audioBitrate <= 320, `audioBitrate ${info.audioBitrate}`);
      assert.ok(info.videoFPS > 5 && info.videoFPS <= 31, `videoFPS ${info.videoFPS}`);
      assert.ok(info.videoGOP > 0 && info.videoGOP <= 5, `videoGOP ${info.videoGOP} s`);
      assert.ok(info.netSpeed > 0, `netSpeed ${info.netSpeed}`);
      assert.ok(info.netJitter >= 0, `netJitter ${info.netJitter}`);
      assert.ok(RUNGS_9x16_VERTICAL.includes(`${info.videoWidth}x${info.videoHeight}`), `size ${info.videoWidth}x${info.videoHeight}`);
    }
    // The reported bitrate agrees with what the stream carried (within a factor of 2: the pusher
    // measures over its own window, we average the whole recording).
    const reported = netstatus.reduce((a, e) => a + e.detail.info.videoBitrate, 0) / n;
    assert.ok(reported > media.video.kbps / 2 && reported < media.video.kbps * 2, `netstatus videoBitrate ${reported} vs pulled ${media.video.kbps}`);
  });
});
