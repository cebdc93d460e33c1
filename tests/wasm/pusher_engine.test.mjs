// The pusher's wasm pipeline (wasm/codecs/pusher_engine.h through its embind class) under Node, without
// a browser: synthetic camera frames (I420 with a coded size larger than the visible rect, like
// Chromium's fake camera, and RGBA) and a 1 kHz tone go in; the FLV that comes out must be what
// ffprobe accepts (H.264 at the ladder's size, AAC or Opus), carry every frame with rising timestamps,
// and survive a reconnect (header and sequence headers again, a key frame first, timestamps going on).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { loadModule, moduleVariants } from './load_module.mjs';

const variants = moduleVariants();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-pusher-engine-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// A 640x480-coded I420 frame whose top 640x360 is the picture (Chromium's fake camera layout).
function fakeCameraFrame(index, codedWidth = 640, codedHeight = 480) {
  const y = new Uint8Array(codedWidth * codedHeight);
  for (let row = 0; row < codedHeight; row++) {
    for (let col = 0; col < codedWidth; col++) y[row * codedWidth + col] = row < 360 ? (col + row + index * 4) & 0xff : 0;
  }
  const chroma = new Uint8Array((codedWidth / 2) * (codedHeight / 2)).fill(128);
  const out = new Uint8Array(y.length + chroma.length * 2);
  out.set(y, 0);
  out.set(chroma, y.length);
  out.set(chroma, y.length + chroma.length);
  return out;
}

function tone(frames, sampleRate, channels, startFrame) {
  const pcm = new Float32Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const v = 0.3 * Math.sin((2 * Math.PI * 1000 * (startFrame + i)) / sampleRate);
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = v;
  }
  return pcm;
}

function ffprobe(file) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-count_frames', '-of', 'json', file]);
  return JSON.parse(String(out)).streams;
}

// Runs a push of `seconds` through one engine; returns the FLV bytes per connection.
function push(core, options, { seconds = 2, reconnectAt = -1 } = {}) {
  const engine = new core.PusherEngine();
  try {
    const opened = engine.open(options);
    assert.ok(opened.ok, opened.error);
    const connections = [[]];
    const take = () => {
      const out = engine.output();
      if (out.length) connections[connections.length - 1].push(out.slice());
      engine.clearOutput();
    };
    assert.ok(engine.beginConnection(0).ok);
    take();
    const fps = 30;
    const rate = options.sampleRate;
    const block = rate / 100;  // 10 ms of audio, as the worklet delivers it
    let audioFrames = 0;
    for (let f = 0; f < seconds * fps; f++) {
      const ts = (f * 1000) / fps;
      if (f === reconnectAt) {
        connections.push([]);
        assert.ok(engine.beginConnection(ts).ok);
        take();
      }
      if (options.video !== false) {
        const frame = fakeCameraFrame(f);
        engine.frameBuffer(frame.length).set(frame);
        const r = engine.pushVideo({ format: 'I420', codedWidth: 640, codedHeight: 480, x: 0, y: 0, width: 640, height: 360, size: frame.length }, ts);
        assert.ok(r.ok, r.error);
      }
      while ((audioFrames * 1000) / rate < ts + 1000 / fps) {
        const pcm = tone(block, rate, options.channels, audioFrames);
        engine.audioBuffer(pcm.length).set(pcm);
        assert.ok(engine.pushAudio(block, (audioFrames * 1000) / rate).ok);
        audioFrames += block;
      }
      take();
    }
    assert.deepEqual(engine.takeEvents(), []);
    return { connections: connections.map((parts) => Buffer.concat(parts)), status: engine.netStatus(seconds * 1000) };
  } finally {
    engine.delete();
  }
}

function demux(core, bytes) {
  const d = new core.FlvDemuxer();
  try {
    d.feed(bytes);
    d.finish();
    return d.drain();
  } finally {
    d.delete();
  }
}

const base = { mode: 'RTC', aspect: '9:16', orientation: 'vertical', minKbps: 300, maxKbps: 800, video: true, audio: true,
  audioCodec: 'aac', audioQuality: 'low', sampleRate: 48000, channels: 1, cameraFps: 30 };

for (const { name, path: glue } of variants) {
  describe(`PusherEngine (${name})`, () => {
    let core;
    test('loads', async () => {
      core = await loadModule(glue);
    });

    test('a push is H.264 at the ladder size plus AAC that ffprobe accepts, every frame with rising timestamps', () => {
      const { connections, status } = push(core, base);
      const file = path.join(tmp, `push-${name}.flv`);
      writeFileSync(file, connections[0]);
      const streams = ffprobe(file);
      const video = streams.find((s) => s.codec_type === 'video');
      const audio = streams.find((s) => s.codec_type === 'audio');
      assert.equal(video.codec_name, 'h264');
      // RTC, 9:16 vertical, starting at the midpoint of 300..800 kbit/s: the 360 rung.
      assert.deepEqual([video.width, video.height], [status.videoWidth, status.videoHeight]);
      assert.equal(video.width, 360);
      assert.equal(video.height, 640);
      assert.ok(Number(video.nb_read_frames) >= 55, `video frames ${video.nb_read_frames}`);
      assert.equal(audio.codec_name, 'aac');
      assert.equal(Number(audio.sample_rate), 48000);
      const events = demux(core, connections[0]);
      const videoTags = events.filter((e) => e.kind === 'video' && e.packetType === 'frames');
      assert.ok(videoTags[0].key, 'the first video frame is a key frame');
      for (let i = 1; i < videoTags.length; i++) assert.ok(videoTags[i].timestamp > videoTags[i - 1].timestamp);
      assert.ok(status.videoBitrate > 0 && status.audioBitrate > 0, JSON.stringify(status));
    });

    test('a reconnect sends the header and sequence headers again, starts on a key frame, timestamps go on', () => {
      const { connections } = push(core, base, { seconds: 2, reconnectAt: 31 });
      assert.equal(connections.length, 2);
      const first = demux(core, connections[0]).filter((e) => e.kind === 'video');
      const second = demux(core, connections[1]);
      assert.equal(second[0].kind, 'header');
      const kinds = second.map((e) => `${e.kind}:${e.packetType || e.name || ''}`);
      assert.ok(kinds.some((k) => k.startsWith('script')), kinds.join(' '));
      const secondVideo = second.filter((e) => e.kind === 'video');
      assert.equal(secondVideo[0].packetType, 'seq-start');
      assert.ok(secondVideo[1].key, 'the first frame after the reconnect is a key frame');
      assert.ok(secondVideo[1].timestamp >= first[first.length - 1].timestamp, 'timestamps continue');
      const file = path.join(tmp, `reconnect-${name}.flv`);
      writeFileSync(file, connections[1]);
      assert.equal(ffprobe(file).find((s) => s.codec_type === 'video').codec_name, 'h264');
    });

    test('enable-camera=false is an audio-only stream; Opus goes out as Enhanced RTMP', () => {
      const audioOnly = push(core, { ...base, video: false }).connections[0];
      const events = demux(core, audioOnly);
      assert.equal(events.filter((e) => e.kind === 'video').length, 0);
      assert.equal(events[0].hasVideo, false);
      assert.ok(events.filter((e) => e.kind === 'audio').length > 90);
      const opus = push(core, { ...base, audioCodec: 'opus', audioQuality: 'high', channels: 2 }).connections[0];
      const audio = demux(core, opus).filter((e) => e.kind === 'audio');
      assert.ok(audio.every((e) => e.codec === 'opus' && e.enhanced), JSON.stringify(audio[0]));
    });

    test('a sample rate the pipeline cannot take is -1306, not a crash', () => {
      const engine = new core.PusherEngine();
      const r = engine.open({ ...base, sampleRate: 1000 });
      assert.equal(r.ok, false);
      assert.deepEqual(engine.takeEvents().map((e) => e.code), [-1306]);
      engine.delete();
    });

    test('a frame whose data is shorter than its layout is an error value', () => {
      const engine = new core.PusherEngine();
      assert.ok(engine.open(base).ok);
      engine.beginConnection(0);
      engine.frameBuffer(100);
      const r = engine.pushVideo({ format: 'I420', codedWidth: 640, codedHeight: 480, width: 640, height: 360, size: 100 }, 0);
      assert.equal(r.ok, false);
      assert.match(r.error, /^invalid: frame data holds 100 bytes/);
      engine.delete();
    });

    test('a camera picture the pipeline cannot take is -1305, once, and the push goes on without video', () => {
      const engine = new core.PusherEngine();
      assert.ok(engine.open(base).ok);
      engine.beginConnection(0);
      const size = 5000 * 8 * 4;
      engine.frameBuffer(size);
      const r = engine.pushVideo({ format: 'RGBA', codedWidth: 5000, codedHeight: 8, size }, 0);
      assert.equal(r.ok, false);
      assert.deepEqual(engine.takeEvents().map((e) => e.code), [-1305]);
      const again = engine.pushVideo({ format: 'RGBA', codedWidth: 5000, codedHeight: 8, size }, 40);
      assert.equal(again.written, false);
      assert.deepEqual(engine.takeEvents(), []);
      engine.delete();
    });

    test('md5Hex matches RFC 1321', () => {
      assert.equal(core.md5Hex(new TextEncoder().encode('abc')), '900150983cd24fb0d6963f7d28e17f72');
    });
  });
}

// The shipped modules (dist/wasm, scripts/build.sh wasm): the policy the workers ask is in them.
const dist = path.join(path.dirname(new URL(import.meta.url).pathname), '../../dist/wasm');
const shipped = (file) => (existsSync(path.join(dist, file)) ? path.join(dist, file) : null);

describe('the shipped modules carry the core policies', { skip: !shipped('livewasm_pusher.mjs') && 'no dist/wasm' }, () => {
  for (const [file, role, retry, stopCode] of [['livewasm_pusher.mjs', 'pusher', 1102, -1307], ['livewasm_player.mjs', 'player', 2103, -2301]]) {
    test(`${file}: ReconnectPolicy('${role}') retries 1, 2, 4 s with ${retry}, then ${stopCode}`, async () => {
      const core = await loadModule(shipped(file));
      const policy = new core.ReconnectPolicy(role);
      try {
        const delays = [];
        for (let i = 0; i < 3; i++) {
          policy.connecting();
          const v = policy.closed(1000 * i, 1006);
          assert.equal(v.retry, true);
          assert.equal(v.code, retry);
          delays.push(v.delayMs);
        }
        assert.deepEqual(delays, [1000, 2000, 4000]);
        policy.connecting();
        assert.equal(policy.closed(0, 1006).code, stopCode);
        const refused = new core.ReconnectPolicy(role);
        const v = refused.closed(0, 4403);  // origin not allowed: no retry
        assert.deepEqual([v.code, v.fatal, v.retry], [stopCode, true, false]);
        refused.delete();
      } finally {
        policy.delete();
      }
    });
  }

  test('livewasm_pusher.mjs: the PushSession decides keep-up (1107 once the browser took over) and the hidden limit (5000)', async () => {
    const core = await loadModule(shipped('livewasm_pusher.mjs'));
    const engine = new core.PusherEngine();
    try {
      assert.ok(engine.open(base).ok);
      engine.setEncoder('auto', false);
      let verdict = 'fine';
      let t = 0;
      for (; t < 10000 && verdict === 'fine'; t += 66) verdict = engine.wasmFrameEncoded(t, true, true, 40, t + 40);
      assert.equal(verdict, 'switch');
      assert.ok(t > 3000, `after 3 s of slow pictures (${t} ms)`);
      assert.deepEqual(engine.takeEvents(), []);
      engine.setEncoder('auto', true);
      engine.encoderSwitched();
      assert.deepEqual(engine.takeEvents().map((e) => e.code), [1107]);
      engine.setHidden(true, 1000);
      assert.equal(engine.stillDue(1000 + 179000), 'push');
      assert.equal(engine.stillDue(1000 + 180001), 'stop');
      assert.deepEqual(engine.takeEvents().map((e) => e.code), [5000]);
    } finally {
      engine.delete();
    }
  });
});

// The workers' links ask the core (worker/push_link.js, worker/play_source.js): a socket that never opens
// and a fetch that always fails, on the shipped modules' ReconnectPolicy, with Node's mocked timers.
describe('the links keep the sockets and timers, the core decides', { skip: !shipped('livewasm_player.mjs') && 'no dist/wasm' }, () => {
  test('PushLink: 3002 and 1102 three times after 1, 2, 4 s, then -1307; PlaySource: 2103 three times, then -2301', async (t) => {
    const pusherCore = await loadModule(shipped('livewasm_pusher.mjs'));
    const playerCore = await loadModule(shipped('livewasm_player.mjs'));
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let clock = 0;
    const opened = [];
    class FakeSocket {
      static OPEN = 1;
      constructor(url) {
        this.url = url;
        this.readyState = 0;
        opened.push(clock);
        queueMicrotask(() => this.onclose({ code: 1006, reason: 'refused' }));
      }
      close() {}
    }
    const saved = globalThis.WebSocket;
    globalThis.WebSocket = FakeSocket;
    try {
      const { PushLink } = await import('../../worker/push_link.js');
      const pushStates = [];
      const link = new PushLink({ url: 'rtmp://h/app/s', gateway: 'ws://g', core: pusherCore, now: () => clock,
        onState: (code) => pushStates.push(code), onOpen() {} });
      link.connect();
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setImmediate(r));
        for (let ms = 0; ms < 4000 && opened.length <= i + 1; ms += 100) {
          clock += 100;
          t.mock.timers.tick(100);
          await new Promise((r) => setImmediate(r));
        }
      }
      assert.deepEqual(pushStates, [3002, 1102, 3002, 1102, 3002, 1102, 3002, -1307]);
      assert.deepEqual(opened.slice(1).map((at, i) => at - opened[i]), [1000, 2000, 4000]);
      assert.equal(link.stopped, true);
    } finally {
      globalThis.WebSocket = saved;
    }

    const savedFetch = globalThis.fetch;
    const fetched = [];
    globalThis.fetch = async () => {
      fetched.push(clock);
      throw new Error('connection refused');
    };
    try {
      const { PlaySource } = await import('../../worker/play_source.js');
      const playStates = [];
      const source = new PlaySource({ url: 'http://h/live.flv', core: playerCore, now: () => clock,
        onState: (code) => playStates.push(code), onData() {}, onConnection() {}, onDrop() {} });
      source.start();
      for (let ms = 0; ms < 10000 && !source.stopped; ms += 100) {
        await new Promise((r) => setImmediate(r));
        clock += 100;
        t.mock.timers.tick(100);
      }
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(playStates, [2103, 2103, 2103, -2301]);
      assert.deepEqual(fetched.slice(1).map((at, i) => at - fetched[i]), [1000, 2000, 4000]);
      assert.equal(source.policy, null, 'the policy is freed when the source stops');
    } finally {
      globalThis.fetch = savedFetch;
    }
  });
});
