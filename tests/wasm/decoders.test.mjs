// The player's FFmpeg decoders through their embind classes (wasm/bindings/decoder_bindings.cc) under
// Node, in the full module (both variants) and in the player module (dist: livewasm_player*.mjs):
// H.264 baseline and High with B-frames from the FLV vectors (every frame, pts order, right size),
// HEVC from hevc.h265 in HVCC framing (bit-identical to FFmpeg's own Annex B decode), AAC at 44.1/48 kHz
// mono/stereo (ffmpeg-made ADTS) and Opus (opus.ogg) as a 1 kHz tone, decodeAt on packets placed in wasm
// memory, corrupt packets as error values with decoding going on, and the player module carrying the
// decoders (and PlaySession once it exists) but no PusherEngine; H.264 High 10 refused with its bit
// depth named (the wasm FFmpeg decodes 8-bit H.264 only).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import { loadModule, loadThreadsModule, moduleDir, moduleVariants, root } from './load_module.mjs';

const vectors = process.env.LW_TEST_VECTORS || path.join(root, 'build/vectors');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-decoders-'));
// Not after(): the suites below are declared after awaits, and a root-level hook may run between them.
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// ---- containers, parsed by hand (the bytes the decoders get must not depend on the code under test) --

// FLV tags: [{type, timestamp, body}], legacy AVC/AAC only.
function flvTags(buf) {
  const tags = [];
  let p = 9 + 4;
  while (p + 11 <= buf.length) {
    const type = buf[p];
    const size = (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
    const ts = ((buf[p + 4] << 16) | (buf[p + 5] << 8) | buf[p + 6]) + buf[p + 7] * 2 ** 24;
    tags.push({ type, timestamp: ts, body: buf.subarray(p + 11, p + 11 + size) });
    p += 11 + size + 4;
  }
  return tags;
}

// Video tags: legacy (AVC 7, HEVC 12) and Enhanced RTMP (SequenceStart, CodedFrames, CodedFramesX).
function flvVideo(file) {
  const out = { config: null, packets: [] };
  for (const t of flvTags(readFileSync(path.isAbsolute(file) ? file : path.join(vectors, file)))) {
    if (t.type !== 9) continue;
    if (t.body[0] & 0x80) {
      const type = t.body[0] & 15, key = ((t.body[0] >> 4) & 7) === 1;
      let cts = 0, at = 5;
      if (type === 1) (cts = (t.body[5] << 16) | (t.body[6] << 8) | t.body[7]), (at = 8);
      if (type === 0) out.config = t.body.subarray(5);
      else if (type === 1 || type === 3) out.packets.push({ data: t.body.subarray(at), ptsUs: (t.timestamp + cts) * 1000, key });
      continue;
    }
    const key = t.body[0] >> 4 === 1;
    let cts = (t.body[2] << 16) | (t.body[3] << 8) | t.body[4];
    if (cts & 0x800000) cts -= 0x1000000;
    const payload = t.body.subarray(5);
    if (t.body[1] === 0) out.config = payload;
    else if (t.body[1] === 1) out.packets.push({ data: payload, ptsUs: (t.timestamp + cts) * 1000, key });
  }
  return out;
}

function flvAudio(file) {
  const out = { config: null, frames: [] };
  for (const t of flvTags(readFileSync(path.join(vectors, file)))) {
    if (t.type !== 8) continue;
    const payload = t.body.subarray(2);
    if (t.body[1] === 0) out.config = payload;
    else out.frames.push({ data: payload, ptsUs: t.timestamp * 1000 });
  }
  return out;
}

// Annex B -> NAL units (start codes of 3 or 4 bytes).
function nalUnits(s) {
  const starts = [];
  for (let i = 0; i + 3 <= s.length; i++) {
    if (s[i] === 0 && s[i + 1] === 0 && s[i + 2] === 1) starts.push(i + 3), (i += 2);
  }
  return starts.map((st, k) => {
    let end = k + 1 < starts.length ? starts[k + 1] - 3 : s.length;
    while (end > st && s[end - 1] === 0) end--;
    return s.subarray(st, end);
  });
}

function lengthPrefixed(nals) {
  const out = new Uint8Array(nals.reduce((n, x) => n + 4 + x.length, 0));
  let p = 0;
  for (const n of nals) {
    new DataView(out.buffer).setUint32(p, n.length);
    out.set(n, p + 4);
    p += 4 + n.length;
  }
  return out;
}

// HEVC access units (H.265 7.4.2.4.4) and a minimal hvcC from the first VPS/SPS/PPS (general
// profile_tier_level copied from the SPS RBSP), as tests/unit/flv_muxer_test.cc builds it.
function hevcTrack(es) {
  const type = (n) => (n[0] >> 1) & 0x3f;
  const aus = [];
  let haveVcl = false;
  for (const n of nalUnits(es)) {
    const t = type(n);
    const vcl = t < 32;
    const starts = vcl ? n.length > 2 && n[2] & 0x80 : (t >= 32 && t <= 35) || t === 39;
    if (!aus.length || (haveVcl && starts)) aus.push({ nals: [], key: false }), (haveVcl = false);
    aus.at(-1).nals.push(n);
    if (vcl) (haveVcl = true), t >= 16 && t <= 21 && (aus.at(-1).key = true);
  }
  const [vps, sps, pps] = aus[0].nals;
  const rbsp = [];
  for (let i = 0, zeros = 0; i < sps.length; i++) {
    if (zeros >= 2 && sps[i] === 3) { zeros = 0; continue; }
    zeros = sps[i] === 0 ? zeros + 1 : 0;
    rbsp.push(sps[i]);
  }
  const config = [1, ...rbsp.slice(3, 15), 0xf0, 0x00, 0xfc, 0xfd, 0xf8, 0xf8, 0x00, 0x00, 0x0f, 0x03];
  for (const n of [vps, sps, pps]) config.push(0x80 | type(n), 0, 1, n.length >> 8, n.length & 0xff, ...n);
  return {
    config: Uint8Array.from(config),
    packets: aus.map((au, i) => ({ data: lengthPrefixed(au.nals), ptsUs: Math.round((i * 1e6) / 30), key: au.key })),
  };
}

// Ogg packets (RFC 3533).
function oggPackets(s) {
  const packets = [];
  let current = [];
  for (let p = 0; p + 27 <= s.length; ) {
    const nseg = s[p + 26];
    let data = p + 27 + nseg;
    for (let k = 0; k < nseg; k++) {
      const len = s[p + 27 + k];
      current.push(s.subarray(data, data + len));
      data += len;
      if (len < 255) packets.push(Buffer.concat(current)), (current = []);
    }
    p = data;
  }
  return packets;
}

// ADTS (ffmpeg -f adts) -> AudioSpecificConfig and raw frames.
function adts(buf) {
  const frames = [];
  let asc = null;
  for (let p = 0; p + 7 <= buf.length; ) {
    assert.equal(buf[p], 0xff);
    const header = (buf[p + 1] & 1) === 1 ? 7 : 9;
    const len = ((buf[p + 3] & 3) << 11) | (buf[p + 4] << 3) | (buf[p + 5] >> 5);
    if (!asc) {
      const ot = (buf[p + 2] >> 6) + 1, fi = (buf[p + 2] >> 2) & 15;
      const ch = ((buf[p + 2] & 1) << 2) | (buf[p + 3] >> 6);
      asc = Uint8Array.from([(ot << 3) | (fi >> 1), ((fi & 1) << 7) | (ch << 3)]);
    }
    frames.push(buf.subarray(p + header, p + len));
    p += len;
  }
  return { asc, frames };
}

// Frequency from upward zero crossings (the tone is far above any DC offset).
function frequency(samples, rate) {
  let first = -1, last = -1, n = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1] < 0 && samples[i] >= 0) {
      if (first < 0) first = i;
      last = i;
      n++;
    }
  }
  return ((n - 1) * rate) / (last - first);
}

function rms(samples) {
  let s = 0;
  for (const v of samples) s += v * v;
  return Math.sqrt(s / samples.length);
}

// ---- decoding helpers ---------------------------------------------------------------------------

// Places the packet in wasm memory and decodes it from there (what the player does with PlaySession's
// ptr/size), or hands the bytes over (decode copies).
function decodeVideo(core, vd, p, { at = false } = {}) {
  if (!at) return vd.decode(p.data, p.ptsUs, p.key);
  const ptr = core._malloc(p.data.length);
  core.HEAPU8.set(p.data, ptr);
  const r = vd.decodeAt(ptr, p.data.length, p.ptsUs, p.key);
  core._free(ptr);
  return r;
}

function drain(vd, frames) {
  for (let f; (f = vd.nextFrame()); ) {
    let hash = 2166136261;  // FNV-1a over the visible luma, as Module.decodeAnnexB computes it
    for (let y = 0; y < f.height; y++) {
      const row = f.y.subarray(y * f.strideY, y * f.strideY + f.width);
      for (const v of row) hash = Math.imul(hash ^ v, 16777619) >>> 0;
    }
    assert.ok(f.u.length >= f.strideU * Math.ceil(f.height / 2));
    assert.equal(f.yPtr, f.y.byteOffset);
    frames.push({ ptsUs: f.ptsUs, width: f.width, height: f.height, hash });
  }
}

function decodeTrack(core, track, decoder, options = {}) {
  const vd = new core.WasmVideoDecoder();
  try {
    const c = vd.configure({ decoder, description: track.config, threads: options.threads ?? 1 });
    assert.ok(c.ok, c.error);
    const frames = [];
    for (const p of track.packets) {
      const r = decodeVideo(core, vd, p, options);
      assert.ok(r.ok, r.error);
      drain(vd, frames);
    }
    assert.ok(vd.flush().ok);
    drain(vd, frames);
    return frames;
  } finally {
    vd.delete();
  }
}

function decodeAudio(core, decoder, description, frames, { sampleRate, channels, at = false }) {
  const ad = new core.WasmAudioDecoder();
  try {
    const c = ad.configure({ decoder, description, sampleRate, channels });
    assert.ok(c.ok, c.error);
    const planes = [];
    let rate = 0;
    for (const fr of frames) {
      let r;
      if (at) {
        const ptr = core._malloc(fr.data.length);
        core.HEAPU8.set(fr.data, ptr);
        r = ad.decodeAt(ptr, fr.data.length, fr.ptsUs);
        core._free(ptr);
      } else {
        r = ad.decode(fr.data, fr.ptsUs);
      }
      assert.ok(r.ok, r.error);
      assert.equal(r.ptsUs, fr.ptsUs);
      rate = r.sampleRate;
      const pcm = at ? core.HEAPF32.subarray(r.pcmPtr / 4, r.pcmPtr / 4 + r.frames * r.channels) : r.pcm;
      for (let ch = 0; ch < r.channels; ch++) {
        planes[ch] ??= [];
        planes[ch].push(Float32Array.from(pcm.subarray(ch * r.frames, (ch + 1) * r.frames)));
      }
    }
    return { rate, planes: planes.map((list) => Float32Array.from(list.flatMap((a) => Array.from(a)))) };
  } finally {
    ad.delete();
  }
}

// ---- the tests ----------------------------------------------------------------------------------

const modules = moduleVariants();
// The player's module decodes no HEVC: livewasm_player_hevc (the decoder bindings with FFmpeg's HEVC
// decoder alone) does, loaded by the player worker only for an HEVC stream decoded in wasm.
const PLAYER_DECODERS = ['h264', 'aac', 'opus'];
const playerModules = [
  { name: 'player', file: 'livewasm_player.mjs', decoders: PLAYER_DECODERS },
  { name: 'player-simd', file: 'livewasm_player_simd.mjs', decoders: PLAYER_DECODERS },
]
  .map((v) => ({ ...v, path: path.join(moduleDir(), v.file) }))
  .filter((v) => existsSync(v.path));
const hevcModules = ['livewasm_player_hevc.mjs', 'livewasm_player_hevc_simd.mjs']
  .map((file) => path.join(moduleDir(), file)).filter((file) => existsSync(file));

for (const variant of [...modules, ...playerModules]) {
  const core = await loadModule(variant.path);
  describe(`decoders (${variant.name})`, () => {
    // A module without HEVC refuses it (and the HEVC tests below check only that).
    const refusesHevc = () => {
      if (!variant.decoders || variant.decoders.includes('hevc')) return false;
      const vd = new core.WasmVideoDecoder();
      const r = vd.configure({ decoder: 'hevc', description: hevcTrack(readFileSync(path.join(vectors, 'hevc.h265'))).config });
      vd.delete();
      assert.equal(r.ok, false, `${variant.name} has no HEVC decoder`);
      return true;
    };

    test('H.264 baseline: every frame, in order, 320x240, decoded from wasm memory (decodeAt)', () => {
      const track = flvVideo('h264_aac.flv');
      assert.equal(track.packets.length, 60);
      const frames = decodeTrack(core, track, 'h264', { at: true });
      assert.equal(frames.length, 60);
      const want = track.packets.map((p) => p.ptsUs).sort((a, b) => a - b);
      assert.deepEqual(frames.map((f) => f.ptsUs), want);
      for (const f of frames) assert.deepEqual([f.width, f.height], [320, 240]);
      assert.ok(new Set(frames.map((f) => f.hash)).size > 55, 'the pictures differ (testsrc2 moves)');
    });

    test('H.264 High with B-frames: pts order, all frames after flush, same pictures as baseline', () => {
      const b = flvVideo('h264_aac_bframes.flv');
      assert.ok(b.packets.some((p, i) => i > 0 && p.ptsUs < b.packets[i - 1].ptsUs), 'vector has B-frames');
      const frames = decodeTrack(core, b, 'h264');
      assert.equal(frames.length, 60);
      assert.deepEqual(frames.map((f) => f.ptsUs), b.packets.map((p) => p.ptsUs).sort((x, y) => x - y));
    });

    test('HEVC in HVCC framing: 30 frames, bit-identical to FFmpeg decoding the Annex B stream', (t) => {
      if (refusesHevc()) return;
      const es = readFileSync(path.join(vectors, 'hevc.h265'));
      const track = hevcTrack(es);
      assert.equal(track.packets.length, 30);
      const frames = decodeTrack(core, track, 'hevc', { at: true });
      assert.equal(frames.length, 30);
      for (const f of frames) assert.deepEqual([f.width, f.height], [320, 240]);
      assert.deepEqual(frames.map((f) => f.ptsUs), track.packets.map((p) => p.ptsUs));
      if (!core.decodeAnnexB) return t.skip('no decodeAnnexB in this module (player)');
      // Reference: one FNV over all frames' luma; ours hashed per frame, so re-hash the decode.
      const ref = core.decodeAnnexB('hevc', es);
      assert.ok(ref.ok, ref.error);
      assert.equal(ref.frames, 30);
      const vd = new core.WasmVideoDecoder();
      vd.configure({ decoder: 'hevc', description: track.config });
      let hash = 2166136261;
      const take = () => {
        for (let f; (f = vd.nextFrame()); ) {
          for (let y = 0; y < f.height; y++)
            for (const v of f.y.subarray(y * f.strideY, y * f.strideY + f.width)) hash = Math.imul(hash ^ v, 16777619) >>> 0;
        }
      };
      for (const p of track.packets) vd.decode(p.data, p.ptsUs, p.key), take();
      vd.flush();
      take();
      vd.delete();
      assert.equal(hash, ref.checksum);
    });

    // tools/flv_mux_tool.cc end to end: its HEVC FLV (both signallings) decodes to every frame.
    test('HEVC FLV from lw-flv-mux decodes, legacy id 12 and Enhanced hvc1', (t) => {
      const tool = [process.env.LW_FLV_MUX, path.join(root, 'build/native/tools/lw-flv-mux')].find((f) => f && existsSync(f));
      if (!tool) return t.skip('no lw-flv-mux (scripts/build.sh native)');
      if (refusesHevc()) return;
      for (const signalling of ['legacy', 'enhanced']) {
        const file = path.join(tmp, `hevc_${signalling}.flv`);
        if (!existsSync(file)) {
          const r = JSON.parse(execFileSync(tool, ['--video', path.join(vectors, 'hevc.h265'), '--signalling', signalling,
            '--check', '-o', file]));
          assert.equal(r.videoFrames, 30);
        }
        const track = flvVideo(file);
        assert.equal(track.packets.length, 30);
        const frames = decodeTrack(core, track, 'hevc');
        assert.equal(frames.length, 30, signalling);
      }
    });

    test('corrupt video packets are errors; the decoder goes on at the next key frame', () => {
      const track = flvVideo('h264_aac.flv');
      const vd = new core.WasmVideoDecoder();
      try {
        assert.ok(vd.configure({ decoder: 'h264', description: track.config }).ok);
        for (const p of track.packets.slice(0, 5)) assert.ok(vd.decode(p.data, p.ptsUs, p.key).ok), drain(vd, []);
        const cut = vd.decode(track.packets[5].data.subarray(0, 100), 1, false);
        assert.equal(cut.ok, false);
        assert.match(cut.error, /claims/);
        const noise = Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) & 0xff);
        assert.equal(vd.decode(noise, 2, false).ok, false);
        assert.equal(vd.decode(new Uint8Array(0), 3, false).ok, false);
        const frames = [];
        for (const p of track.packets.slice(30)) assert.ok(vd.decode(p.data, p.ptsUs, p.key).ok), drain(vd, frames);
        vd.flush();
        drain(vd, frames);
        assert.equal(frames.length, 30);
        assert.deepEqual(vd.configure({ decoder: 'vp8' }).ok, false);
      } finally {
        vd.delete();
      }
    });

    // The wasm builds' FFmpeg decodes 8-bit H.264 only (scripts/patches/ffmpeg-h264-8bit-only.patch): a
    // High 10 stream is refused at configure with its bit depth named, decode says it again, and a 10-bit
    // SPS arriving in-band after an 8-bit record is refused by FFmpeg itself (errors, no picture, no crash);
    // the same source at 8 bits decodes. Streams made by Debian's ffmpeg (libx264) here.
    test('H.264 High 10 is refused with its bit depth named; the same source at 8 bits decodes', () => {
      const make = (name, pixFmt, format) => {
        const file = path.join(tmp, name);
        if (!existsSync(file)) {
          execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=96x64:r=10:d=0.5',
            '-c:v', 'libx264', '-bf', '0', '-g', '5', '-pix_fmt', pixFmt, '-f', format, file]);
        }
        return file;
      };
      const ten = flvVideo(make('h264_10bit.flv', 'yuv420p10le', 'flv'));
      const eight = flvVideo(make('h264_8bit.flv', 'yuv420p', 'flv'));
      assert.equal(ten.config[1], 110, 'the 10-bit record is High 10 (profile_idc 110)');
      const vd = new core.WasmVideoDecoder();
      try {
        const refused = vd.configure({ decoder: 'h264', description: ten.config });
        assert.equal(refused.ok, false);
        assert.match(refused.error, /the stream is 10-bit H\.264 \(profile_idc 110\): not decoded in wasm, which decodes 8-bit H\.264 only/);
        const again = vd.decode(ten.packets[0].data, ten.packets[0].ptsUs, true);
        assert.equal(again.ok, false);
        assert.match(again.error, /10-bit H\.264/);
        assert.equal(vd.nextFrame(), null);
        // The decoder takes an 8-bit stream after the refusal: every picture, at its size.
        const c = vd.configure({ decoder: 'h264', description: eight.config });
        assert.ok(c.ok, c.error);
        const frames = [];
        for (const p of eight.packets) assert.ok(decodeVideo(core, vd, p).ok), drain(vd, frames);
        assert.ok(vd.flush().ok);
        drain(vd, frames);
        assert.equal(frames.length, 5);
        for (const f of frames) assert.deepEqual([f.width, f.height], [96, 64]);
        // 10-bit parameter sets in-band (Annex B with SPS/PPS before the IDR) on the 8-bit record.
        const aus = [];
        let pending = [];
        for (const n of nalUnits(readFileSync(make('h264_10bit.h264', 'yuv420p10le', 'h264')))) {
          pending.push(n);
          const type = n[0] & 31;
          if (type === 1 || type === 5) aus.push({ data: lengthPrefixed(pending), key: type === 5 }), (pending = []);
        }
        // (FFmpeg logs "Unsupported bit depth 10: this build decodes 8-bit H.264 only"; the reason carries
        // its last line, "no frame!".)
        assert.ok(vd.configure({ decoder: 'h264', description: eight.config }).ok);
        for (const au of aus) {
          const inBand = vd.decode(au.data, 0, au.key);
          assert.equal(inBand.ok, false);
          assert.match(inBand.error, /avcodec_send_packet \(h264\)/);
          assert.equal(vd.nextFrame(), null);
        }
        assert.ok(vd.flush().ok);
        assert.equal(vd.nextFrame(), null);
      } finally {
        vd.delete();
      }
    });

    test('AAC from the FLV vector: 1 kHz in both channels at 44.1 kHz (decodeAt, PCM at pcmPtr)', () => {
      const a = flvAudio('h264_aac.flv');
      const out = decodeAudio(core, 'aac', a.config, a.frames, { sampleRate: 44100, channels: 2, at: true });
      assert.equal(out.rate, 44100);
      assert.equal(out.planes.length, 2);
      for (const plane of out.planes) {
        const mid = plane.subarray(4096, 4096 + 22050);
        assert.ok(Math.abs(frequency(mid, 44100) - 1000) < 5, `frequency ${frequency(mid, 44100)}`);
        assert.ok(rms(mid) > 0.05);
      }
    });

    for (const [rate, channels] of [[44100, 1], [44100, 2], [48000, 1], [48000, 2]]) {
      test(`AAC ${rate} Hz, ${channels} channel(s) from ffmpeg: 1 kHz at its level`, () => {
        const file = path.join(tmp, `${rate}_${channels}.aac`);
        if (!existsSync(file)) {
          execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i',
            `sine=frequency=1000:sample_rate=${rate}:duration=1`, '-af', 'volume=0.5', '-ac', String(channels),
            '-c:a', 'aac', '-b:a', '96k', '-f', 'adts', file]);
        }
        const { asc, frames } = adts(readFileSync(file));
        const list = frames.map((data, i) => ({ data, ptsUs: Math.round((i * 1024 * 1e6) / rate) }));
        const out = decodeAudio(core, 'aac', asc, list, { sampleRate: rate, channels });
        assert.equal(out.rate, rate);
        assert.equal(out.planes.length, channels);
        for (const plane of out.planes) {
          const mid = plane.subarray(4096, 4096 + rate / 2);
          assert.ok(Math.abs(frequency(mid, rate) - 1000) < 5, `frequency ${frequency(mid, rate)}`);
          // sine's amplitude is 1/8, volume 0.5: RMS 0.0442; ffmpeg's mono -> stereo upmix puts 3 dB
          // less into each channel. Within 2 dB.
          const want = channels === 2 ? 0.0312 : 0.0442;
          assert.ok(Math.abs(20 * Math.log10(rms(mid) / want)) < 2, `rms ${rms(mid)}`);
        }
      });
    }

    test('Opus from the Ogg vector: 1 kHz at 48 kHz; corrupt packets are errors, decoding goes on', () => {
      const packets = oggPackets(readFileSync(path.join(vectors, 'opus.ogg')));
      const head = packets[0];
      assert.equal(String.fromCharCode(...head.subarray(0, 8)), 'OpusHead');
      const frames = packets.slice(2).map((data, i) => ({ data, ptsUs: i * 20000 }));
      const out = decodeAudio(core, 'opus', head, frames, { sampleRate: 48000, channels: head[9] });
      assert.equal(out.rate, 48000);
      const mid = out.planes[0].subarray(4800, 4800 + 24000);
      assert.ok(Math.abs(frequency(mid, 48000) - 1000) < 5);

      const ad = new core.WasmAudioDecoder();
      try {
        assert.ok(ad.configure({ decoder: 'opus', description: head, sampleRate: 48000, channels: head[9] }).ok);
        assert.equal(ad.decode(Uint8Array.from([0x03]), 0).ok, false);  // code 3 without its count byte
        assert.equal(ad.decode(new Uint8Array(0), 0).ok, false);
        // The first frame a fresh decoder outputs loses the OpusHead's pre-skip (312 samples).
        const r = ad.decode(frames[10].data, 1);
        assert.ok(r.ok && r.frames > 0 && r.frames <= 960 && r.channels === head[9], `${r.ok} ${r.frames} ${r.error}`);
        assert.equal(ad.configure({ decoder: 'vorbis' }).ok, false);  // not a decoder the player names (mp3 is, since issue 19)
      } finally {
        ad.delete();
      }
    });

    test('corrupt AAC frames are errors and the next good frame decodes', () => {
      const a = flvAudio('h264_aac.flv');
      const ad = new core.WasmAudioDecoder();
      try {
        assert.ok(ad.configure({ decoder: 'aac', description: a.config, sampleRate: 44100, channels: 2 }).ok);
        let errors = 0;
        for (const f of a.frames.slice(10, 20)) errors += ad.decode(f.data.subarray(0, f.data.length / 3 | 0), 0).ok ? 0 : 1;
        assert.ok(errors >= 9, `${errors} of 10 truncated frames refused`);
        const r = ad.decode(a.frames[30].data, 5);
        assert.ok(r.ok && r.frames === 1024 && r.channels === 2, `${r.ok} ${r.frames} ${r.channels} ${r.error}`);
      } finally {
        ad.delete();
      }
    });
  });
}

describe('the HEVC module (livewasm_player_hevc)', () => {
  test('decodes HEVC only, with no session; hevc.h265 in HVCC framing from copies: the full module\'s pictures', async (t) => {
    if (!hevcModules.length) return t.skip(`no livewasm_player_hevc*.mjs in ${moduleDir()}`);
    const track = hevcTrack(readFileSync(path.join(vectors, 'hevc.h265')));
    const full = modules.length ? decodeTrack(await loadModule(modules[0].path), track, 'hevc') : null;
    for (const file of hevcModules) {
      const core = await loadModule(file);
      assert.deepEqual(core.decoderInfo().decoders, ['hevc'], file);
      for (const absent of ['PlaySession', 'FlvDemuxer', 'PusherEngine']) assert.equal(core[absent], undefined, `${file} has ${absent}`);
      const frames = decodeTrack(core, track, 'hevc');
      assert.equal(frames.length, 30);
      if (full) assert.deepEqual(frames, full, `${file}: the same pictures as ${modules[0].path}`);
    }
  });
});

// The threads build of the video decoders (livewasm_player_mt: FFmpeg's frame threads, -pthread): H.264 with
// B-frames and HEVC give the single-thread module's pictures in the same order with 2 and 4 threads, and the
// pthread pool is as large as the factory option `threads` asks (load_core.js passes the page's cores), the
// decoders clamped to it.
const mtGlue = path.join(moduleDir(), 'livewasm_player_mt.mjs');
describe('the threads build (livewasm_player_mt)', { skip: existsSync(mtGlue) ? false : `no ${mtGlue}` }, () => {
  const tracks = () => [['h264', flvVideo('h264_aac_bframes.flv')], ['hevc', hevcTrack(readFileSync(path.join(vectors, 'hevc.h265')))]];
  test('H.264 (B-frames) and HEVC with 2 and 4 frame threads: the single-thread pictures, in order', async () => {
    const one = await loadModule(path.join(moduleDir(), 'livewasm_player_hevc_simd.mjs'));
    const h264One = await loadModule(path.join(moduleDir(), 'livewasm_player_simd.mjs'));
    const core = await loadThreadsModule(mtGlue, { threads: 4 });
    try {
      assert.deepEqual(core.decoderInfo().decoders, ['h264', 'hevc']);
      assert.equal(core.decoderInfo().threadPool, 4);
      for (const absent of ['PlaySession', 'FlvDemuxer', 'PusherEngine']) assert.equal(core[absent], undefined, `livewasm_player_mt has ${absent}`);
      for (const [codec, track] of tracks()) {
        const ref = decodeTrack(codec === 'hevc' ? one : h264One, track, codec);
        assert.equal(ref.length, track.packets.length);
        for (const threads of [2, 4]) {
          const frames = decodeTrack(core, track, codec, { threads });
          assert.deepEqual(frames, ref, `${codec}, ${threads} threads: the single-thread pictures`);
        }
      }
    } finally {
      core.PThread.terminateAllThreads();
    }
  });

  test('the pool is the factory option threads (2): 2 pthread workers, and a decoder asked for 4 runs 2', async () => {
    const core = await loadThreadsModule(mtGlue, { threads: 2 });
    try {
      assert.equal(core.threads, 2);
      assert.equal(core.decoderInfo().threadPool, 2);
      assert.equal(core.PThread.unusedWorkers.length + core.PThread.runningWorkers.length, 2, 'two pthread workers');
      const [codec, track] = tracks()[1];
      const frames = decodeTrack(core, track, codec, { threads: 4 });  // more than the pool: clamped, no deadlock
      assert.equal(frames.length, track.packets.length);
      assert.ok(core.PThread.runningWorkers.length <= 2);
    } finally {
      core.PThread.terminateAllThreads();
    }
  });
});

describe('the player module', () => {
  test('carries the decoders and PlaySession but no encoder, pusher or test-only binding', async (t) => {
    if (!playerModules.length) return t.skip(`no livewasm_player*.mjs in ${moduleDir()}`);
    for (const m of playerModules) {
      const core = await loadModule(m.path);
      assert.equal(typeof core.WasmVideoDecoder, 'function', m.name);
      assert.equal(typeof core.WasmAudioDecoder, 'function', m.name);
      assert.deepEqual(core.decoderInfo().decoders, m.decoders, m.name);
      assert.equal(typeof core.setDecoderLogLevel, 'function');
      assert.equal(typeof core.PlaySession, 'function', m.name);
      // PlaySession demuxes inside; the FLV demuxer's own binding (tests/wasm/module/) is the test module's.
      for (const absent of ['PusherEngine', 'FlvDemuxer', 'demuxFlvCount', 'h264RoundTrip', 'aacRoundTrip', 'opusRoundTrip'])
        assert.equal(core[absent], undefined, `${m.name} has ${absent}`);
    }
  });
});
