// The player core through the embind PlaySession (wasm/bindings/play_bindings.cc): a real FLV
// (tests/vectors/make_vectors.sh: H.264 320x240 + AAC 44.1 kHz stereo) fed in chunks, track configs
// with the codec strings WebCodecs takes, audio and video packets in time order, decoded audio (a
// stand-in tone) pushed back, output rendered and the clock advancing with it.
//
//   node --test tests/wasm/play_session.test.mjs    (LW_WASM_MODULE_DIR=... for a dev build)
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { loadModule, moduleVariants, root } from './load_module.mjs';

const vectorsDir = process.env.LW_TEST_VECTORS || path.join(root, 'build/vectors');
const flvPath = path.join(vectorsDir, 'h264_aac.flv');

for (const { name, path: glue } of moduleVariants()) {
  test(`PlaySession plays h264_aac.flv (${name})`, { skip: !existsSync(flvPath) && 'no build/vectors/h264_aac.flv' },
    async () => {
      const core = await loadModule(glue);
      const flv = readFileSync(flvPath);
      const s = new core.PlaySession({ mode: 'live', minCacheMs: 200, maxCacheMs: 1000, outputRate: 48000,
                                       outputChannels: 2, expectHeader: true });
      try {
        // Any split: 1000-byte chunks.
        let now = 1000;
        for (let off = 0; off < flv.length; off += 1000) {
          const chunk = flv.subarray(off, Math.min(flv.length, off + 1000));
          s.inputBuffer(chunk.length).set(chunk);
          s.feed(chunk.length, now);
        }
        const configs = s.takeTrackConfigs();
        const video = configs.find((c) => c.kind === 'video');
        const audio = configs.find((c) => c.kind === 'audio');
        assert.ok(video && audio, JSON.stringify(configs.map((c) => c.kind)));
        assert.match(video.codec, /^avc1\.[0-9A-F]{6}$/i);
        assert.equal(video.decoder, 'h264');
        assert.equal(video.width, 320);
        assert.equal(video.height, 240);
        assert.ok(video.description instanceof Uint8Array && video.description[0] === 1);
        assert.equal(audio.codec, 'mp4a.40.2');
        assert.equal(audio.decoder, 'aac');
        assert.equal(audio.sampleRate, 44100);
        assert.equal(audio.channels, 2);

        const codes = s.takeNotices().map((n) => n.code);
        assert.deepEqual(codes.slice(0, 2), [2007, 2003]);

        // Audio: every packet, in time order; the tone goes back as decoded PCM.
        let p;
        let last = -1;
        let audioPackets = 0;
        while ((p = s.nextAudioPacket())) {
          assert.equal(p.kind, 'audio');
          assert.ok(p.ptsUs > last, `${p.ptsUs} after ${last}`);
          assert.ok(p.size > 0 && p.data.length === p.size);
          last = p.ptsUs;
          ++audioPackets;
          const pcm = s.pcmBuffer(2 * 1024);
          for (let i = 0; i < 1024; ++i) pcm[i] = pcm[1024 + i] = 0.25 * Math.sin((2 * Math.PI * 1000 * i) / 44100);
          s.pushAudio(p.ptsUs, 1024, 2, 44100);
        }
        assert.ok(audioPackets > 30, `${audioPackets} audio packets`);

        // Before playback: the first key frame only, so the first picture comes early.
        const first = s.nextVideoPacket(now);
        assert.ok(first && first.key && first.kind === 'video');
        assert.equal(s.nextVideoPacket(now), null);
        assert.equal(s.frameAction(first.ptsUs, now), 'show');
        s.frameShown(first.ptsUs, now, 0, 0);
        assert.ok(s.takeNotices().some((n) => n.code === 2004));

        // Render 10 ms blocks; the clock starts and advances with the played frames.
        let played = 0;
        let loud = 0;
        const times = [];
        let lastDts = first.dtsUs;
        for (let i = 0; i < 50; ++i) {
          now += 10;
          const out = s.renderAudio(now, 480);
          assert.equal(out.length, 960);
          for (let k = 0; k < out.length; ++k) loud = Math.max(loud, Math.abs(out[k]));
          played += 480;
          s.setPlayedFrames(played, now);
          times.push(s.mediaTimeUs(now));
          while ((p = s.nextVideoPacket(now))) {
            assert.ok(p.dtsUs > lastDts);
            lastDts = p.dtsUs;
          }
        }
        assert.ok(loud > 0.2, `output level ${loud}`);
        const started = times.filter((t) => t >= 0);
        assert.ok(started.length > 30, `clock ran ${started.length} ticks`);
        for (let i = 1; i < started.length; ++i) assert.ok(started[i] >= started[i - 1]);
        const advanced = started[started.length - 1] - started[0];
        assert.ok(advanced > 250_000 && advanced < 600_000, `clock advanced ${advanced} us`);
        assert.ok(lastDts > first.dtsUs, 'video packets followed the clock');

        const stats = s.netStats(now);
        for (const key of ['videoBitrate', 'audioBitrate', 'videoFPS', 'videoGOP', 'netSpeed', 'netJitter',
          'videoWidth', 'videoHeight', 'cacheMs', 'targetMs', 'droppedFrames', 'shownFrames', 'accelerateMs',
          'expandMs', 'skips']) {
          assert.equal(typeof stats[key], 'number', key);
        }
        assert.equal(stats.videoWidth, 320);
        assert.equal(stats.shownFrames, 1);
      } finally {
        s.delete();
      }
    });
}
