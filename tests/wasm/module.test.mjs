// The embind module under Node: versions, codec round trips that would fail if a codec were broken,
// AMF0 decoding of known bytes, and FLV demuxing of a real file against ffprobe's count.
//
//   node --test tests/wasm/            (module from build/wasm; LW_WASM_MODULE_DIR=... for another)
//
// FLV and elementary-stream vectors come from tests/vectors/make_vectors.sh (build/vectors, or
// LW_TEST_VECTORS); when they are missing the test makes small ones with Debian's ffmpeg.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadModule, moduleDir, moduleVariants, root } from './load_module.mjs';

const variants = moduleVariants();
test('the module is built', () => {
  assert.ok(variants.length > 0, `no livewasm_core*.mjs in ${moduleDir()} (run scripts/build.sh wasm)`);
});

// ---- vectors ---------------------------------------------------------------------------------------

const vectorsDir = process.env.LW_TEST_VECTORS || path.join(root, 'build/vectors');
let tmp;
function scratch() {
  tmp ??= mkdtempSync(path.join(os.tmpdir(), 'lw-wasm-test-'));
  return tmp;
}
after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

function ffmpeg(...args) {
  execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-threads', '1', ...args]);
}

// A vector from make_vectors.sh, else `make(outPath)` builds a stand-in with ffmpeg.
function vector(name, make) {
  const made = path.join(vectorsDir, name);
  if (existsSync(made)) return made;
  const out = path.join(scratch(), name);
  if (!existsSync(out)) make(out);
  return out;
}

const testsrc = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=1'];
const h264AacFlv = () =>
  vector('h264_aac.flv', (out) =>
    ffmpeg(...testsrc, '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100:duration=1',
      '-c:v', 'libx264', '-g', '30', '-bf', '0', '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', out));
const hevcStream = () =>
  vector('hevc.h265', (out) =>
    ffmpeg(...testsrc, '-c:v', 'libx265', '-x265-params', 'log-level=error:pools=none:frame-threads=1',
      '-f', 'hevc', out));
const h264Stream = () =>
  vector('h264_bframes.h264', (out) =>
    ffmpeg(...testsrc, '-c:v', 'libx264', '-profile:v', 'high', '-bf', '2', '-f', 'h264', out));

// ffprobe's packets of a file: [{type: 'video' | 'audio', key}]
function ffprobePackets(file) {
  const csv = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'packet=codec_type,flags',
    '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return csv.trim().split('\n').map((line) => {
    const [type, flags] = line.split(',');
    return { type, key: flags.startsWith('K') };
  });
}

function ffprobeFrames(file) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0',
    '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'json', file], { encoding: 'utf8' });
  const s = JSON.parse(out).streams[0];
  return { frames: Number(s.nb_read_frames), width: s.width, height: s.height };
}

// ---- per variant -----------------------------------------------------------------------------------

for (const variant of variants) {
  describe(`livewasm_core (${variant.name})`, () => {
    let core;
    before(async () => {
      core = await loadModule(variant.path);
    });

    test('reports the libraries it was built with, FFmpeg LGPL-only', () => {
      const v = core.versions();
      assert.equal(v.openh264, '2.3.1');
      assert.equal(v.opus, 'libopus 1.3.1');
      assert.match(v.ffmpeg, /^5\.1/);
      assert.match(v.avcodec, /^59\./);
      assert.match(v.swresample, /^4\./);
      assert.match(v.libyuv, /^\d{4}$/);
      assert.equal(v.ffmpegLicense, 'LGPL version 2.1 or later');
      assert.doesNotMatch(v.ffmpegConfiguration, /--enable-(gpl|nonfree|version3|libx264)/);
      assert.equal(v.simd, variant.simd);
    });

    describe('H.264: RGBA -> libyuv -> OpenH264 -> decoder -> PSNR', () => {
      const base = () => ({ ...core.defaultVideoRoundTripOptions(), width: 640, height: 360, frames: 30 });

      test('FFmpeg decodes every frame of OpenH264 at 1 Mbit/s above 30 dB', () => {
        const r = core.h264RoundTrip({ ...base(), bitrate: 1_000_000 });
        assert.equal(r.ok, true, r.error);
        assert.equal(r.encodedFrames, 30);
        assert.equal(r.decodedFrames, 30);
        assert.equal(r.idrFrames, 1);
        assert.deepEqual([r.decodedWidth, r.decodedHeight], [640, 360]);
        assert.ok(r.psnrYAvg > 30, `PSNR-Y ${r.psnrYAvg}`);
        assert.ok(r.psnrYMin > 28, `worst frame PSNR-Y ${r.psnrYMin}`);
        // 1 s at 1 Mbit/s is 125 kB; rate control must be in the neighbourhood.
        assert.ok(r.encodedBytes > 40_000 && r.encodedBytes < 250_000, `${r.encodedBytes} bytes`);
      });

      test('OpenH264 decodes the same stream to the same pictures as FFmpeg', () => {
        const viaFfmpeg = core.h264RoundTrip({ ...base(), bitrate: 300_000 });
        const viaOpenh264 = core.h264RoundTrip({ ...base(), bitrate: 300_000, decoder: 'openh264' });
        assert.equal(viaOpenh264.ok, true, viaOpenh264.error);
        assert.equal(viaOpenh264.decoder, 'openh264 2.3.1');
        assert.equal(viaOpenh264.decodedFrames, 30);
        assert.equal(viaOpenh264.encodedBytes, viaFfmpeg.encodedBytes);
        // Two decoders of one bitstream must reconstruct bit-identical pictures.
        assert.equal(viaOpenh264.psnrAvg, viaFfmpeg.psnrAvg);
      });

      test('quality follows the bitrate (the encoder really encodes)', () => {
        const low = core.h264RoundTrip({ ...base(), bitrate: 60_000 });
        const high = core.h264RoundTrip({ ...base(), bitrate: 2_000_000 });
        assert.ok(low.encodedBytes < high.encodedBytes / 2, `${low.encodedBytes} vs ${high.encodedBytes}`);
        assert.ok(low.psnrYAvg < high.psnrYAvg - 3, `${low.psnrYAvg} vs ${high.psnrYAvg}`);
      });

      test('bad options come back as an error value', () => {
        const r = core.h264RoundTrip({ ...base(), width: 641 });
        assert.equal(r.ok, false);
        assert.match(r.error, /width/);
      });
    });

    describe('audio: 1 s of a 1 kHz sine through each codec', () => {
      const audio = (o) => ({ ...core.defaultAudioRoundTripOptions(), ...o });
      // Correlation with the input sine after the best delay, and the gain: a decoder that returned
      // silence, noise, a wrong pitch or a wrong level fails these.
      function assertSine(r, { minCorrelation = 0.98, minSnrDb = 15 } = {}) {
        assert.equal(r.ok, true, r.error);
        assert.ok(r.match.correlation > minCorrelation, `correlation ${r.match.correlation}`);
        assert.ok(r.match.snrDb > minSnrDb, `SNR ${r.match.snrDb} dB`);
        assert.ok(r.match.gain > 0.8 && r.match.gain < 1.25, `gain ${r.match.gain}`);
      }

      test('FFmpeg AAC encoder -> FFmpeg AAC decoder, mono 48 kHz', () => {
        const r = core.aacRoundTrip(audio({ sampleRate: 48000, channels: 1, bitrate: 64000 }));
        assertSine(r);
        assert.equal(r.decodedRate, 48000);
        assert.equal(r.decodedChannels, 1);
        assert.ok(r.decodedSamples >= r.inputSamples, `${r.decodedSamples} < ${r.inputSamples}`);
        assert.equal(r.packets, Math.ceil(48000 / 1024) + 1);  // + the priming frame
      });

      test('FFmpeg AAC encoder -> FFmpeg AAC decoder, stereo 44.1 kHz', () => {
        const r = core.aacRoundTrip(audio({ sampleRate: 44100, channels: 2, bitrate: 128000 }));
        assertSine(r);
        assert.equal(r.decodedRate, 44100);
        assert.equal(r.decodedChannels, 2);
      });

      test('libopus -> FFmpeg Opus decoder, 48 kHz', () => {
        const r = core.opusRoundTrip(audio({ sampleRate: 48000, channels: 1, bitrate: 32000 }));
        assertSine(r);
        assert.equal(r.packets, 50);  // 20 ms frames
        assert.equal(r.decodedRate, 48000);
        assert.ok(r.encodedBytes < 32000 / 8 * 1.5, `${r.encodedBytes} bytes for 1 s at 32 kbit/s`);
      });

      test('libopus at 16 kHz -> FFmpeg Opus decoder at 48 kHz', () => {
        const r = core.opusRoundTrip(audio({ sampleRate: 16000, channels: 2, bitrate: 48000 }));
        // 16 kHz input puts Opus in SILK (speech) mode, which codes a pure tone less exactly.
        assertSine(r, { minCorrelation: 0.95, minSnrDb: 10 });
        assert.equal(r.decodedRate, 48000);
        assert.equal(r.decodedChannels, 2);
      });

      test('swresample 48 kHz -> 44.1 kHz keeps the sine', () => {
        const r = core.resampleSine({ ...core.defaultResampleOptions(), inRate: 48000, outRate: 44100 });
        assert.equal(r.ok, true, r.error);
        assert.ok(Math.abs(r.outputSamples - r.expectedSamples) <= 2, `${r.outputSamples} vs ${r.expectedSamples}`);
        assert.ok(r.match.correlation > 0.999, `correlation ${r.match.correlation}`);
        assert.ok(r.match.snrDb > 40, `SNR ${r.match.snrDb} dB`);
      });
    });

    describe('elementary streams made by Debian ffmpeg (libx264, libx265)', () => {
      for (const [codec, file] of [['hevc', hevcStream], ['h264', h264Stream]]) {
        test(`${codec}: FFmpeg parser + decoder give ffprobe's frame count and size`, () => {
          const f = file();
          const expected = ffprobeFrames(f);
          const r = core.decodeAnnexB(codec, new Uint8Array(readFileSync(f)));
          assert.equal(r.ok, true, r.error);
          assert.equal(r.frames, expected.frames);
          assert.deepEqual([r.width, r.height], [expected.width, expected.height]);
        });
      }
      test('an unknown codec is an error value', () => {
        const r = core.decodeAnnexB('vp9', new Uint8Array(16));
        assert.equal(r.ok, false);
        assert.match(r.error, /codec/);
      });
    });

    describe('AMF0', () => {
      // "onMetaData" string, ECMA array {duration: 2.5, encoder: 'Lavf59'}, object {ok: true},
      // strict array [null, undefined], date 1600000000000.
      const s = (t) => [0, t.length, ...new TextEncoder().encode(t)];
      const bytes = new Uint8Array([
        0x02, ...s('onMetaData'),
        0x08, 0, 0, 0, 2, ...s('duration'), 0x00, 0x40, 0x04, 0, 0, 0, 0, 0, 0,
        ...s('encoder'), 0x02, ...s('Lavf59'), 0, 0, 0x09,
        0x03, ...s('ok'), 0x01, 0x01, 0, 0, 0x09,
        0x0a, 0, 0, 0, 2, 0x05, 0x06,
        0x0b, 0x42, 0x77, 0x48, 0x76, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x00,
      ]);

      test('decodes every value of a known byte string', () => {
        const r = core.amf0ToString(bytes);
        assert.equal(r.ok, true, r.error);
        assert.equal(r.values.length, 5);
        assert.equal(r.values[0], "'onMetaData'");
        assert.match(r.values[1], /duration: 2\.5/);
        assert.match(r.values[1], /encoder: 'Lavf59'/);
        assert.match(r.values[2], /ok: true/);
        assert.match(r.values[3], /null.*undefined/);
        assert.match(r.values[4], /1600000000000/);
      });

      test('a truncated string is an error that names it', () => {
        const r = core.amf0ToString(new Uint8Array([0x02, 0x00, 0x0a, 0x6f]));
        assert.equal(r.ok, false);
        assert.match(r.error, /string/);
      });
    });

    describe('FLV demuxer', () => {
      test("tag count and key frames match ffprobe's packets", () => {
        const file = h264AacFlv();
        const bytes = new Uint8Array(readFileSync(file));
        const packets = ffprobePackets(file);

        const demux = new core.FlvDemuxer();
        const events = [];
        // Uneven chunks: the demuxer must not care where the input is split.
        for (let pos = 0, n = 1; pos < bytes.length; pos += n, n = (n * 7 + 3) % 5000 + 1) {
          assert.equal(demux.feed(bytes.subarray(pos, pos + n)), Math.min(n, bytes.length - pos));
          events.push(...demux.drain());
        }
        demux.finish();
        events.push(...demux.drain());
        assert.equal(demux.bytesFed(), bytes.length);
        demux.delete();

        assert.deepEqual(events.filter((e) => e.kind === 'error' || e.kind === 'warning'), []);
        assert.equal(events[0].kind, 'header');
        // ffprobe's packets are the coded frames: not the sequence headers, not the AVC end of sequence.
        const media = events.filter((e) => ['frames', 'frames-x'].includes(e.packetType));
        assert.equal(media.length, packets.length);
        assert.equal(media.filter((e) => e.kind === 'video').length, packets.filter((p) => p.type === 'video').length);
        assert.equal(
          media.filter((e) => e.kind === 'video' && e.key).length,
          packets.filter((p) => p.type === 'video' && p.key).length);
        assert.ok(media.every((e) => e.codec === (e.kind === 'video' ? 'avc' : 'aac')));
        assert.equal(events.filter((e) => e.kind === 'script')[0]?.name, 'onMetaData');

        // The whole-buffer call (no JS crossing per tag) counts the same, in any chunk size.
        const all = events.filter((e) => ['audio', 'video', 'script'].includes(e.kind));
        for (const chunk of [0, 1, 4096]) {
          const c = core.demuxFlvCount(bytes, chunk);
          assert.equal(c.tags, all.length, `chunk ${chunk}`);
          assert.equal(c.videoTags, all.filter((e) => e.kind === 'video').length);
          assert.equal(c.bytes, bytes.length);
          assert.equal(c.tagBytes, all.reduce((sum, e) => sum + e.size, 0));
          assert.equal(c.errors + c.warnings, 0);
        }
      });

      test('a truncated file ends with an error event, not a throw', () => {
        const bytes = new Uint8Array(readFileSync(h264AacFlv()));
        const c = core.demuxFlvCount(bytes.subarray(0, bytes.length - 100), 0);
        assert.equal(c.errors, 1);
      });
    });
  });
}
