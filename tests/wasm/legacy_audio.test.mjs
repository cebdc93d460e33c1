// The legacy FLV sound formats of issue 19 through the player's embind decoder (WasmAudioDecoder,
// wasm/bindings/decoder_bindings.cc) under Node: G.711 A-law/µ-law and PCM by the core's decoder in
// livewasm_player (every sample as ffmpeg decodes the same FLV: build/vectors/*.s16), MP3 by FFmpeg's
// decoder in livewasm_player_mp3, which holds that decoder alone (48 kHz stereo, a 1 kHz tone); the
// player's module itself has no MP3 decoder.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { loadModule, moduleDir, root } from './load_module.mjs';

const vectors = process.env.LW_TEST_VECTORS || path.join(root, 'build/vectors');
const dir = moduleDir();

// The audio tags of an FLV, parsed by hand: [{soundFormat, payload}].
function audioTags(file) {
  const b = readFileSync(file);
  const out = [];
  for (let i = 9 + 4; i + 11 <= b.length;) {
    const size = b.readUIntBE(i + 1, 3);
    if (b[i] === 8) out.push({ soundFormat: b[i + 11] >> 4, payload: new Uint8Array(b.subarray(i + 12, i + 11 + size)) });
    i += 11 + size + 4;
  }
  return out;
}

// Upward zero crossings per second.
function frequency(x, rate) {
  let n = 0, first = 0, last = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1] < 0 && x[i] >= 0) { if (n++ === 0) first = i; last = i; }
  return n < 2 ? 0 : (n - 1) * rate / (last - first);
}

const have = (f) => existsSync(path.join(dir, f));

describe('G.711 and PCM in livewasm_player (the core decoder)', { skip: !have('livewasm_player.mjs') || !existsSync(path.join(vectors, 'alaw_8k.s16')) }, () => {
  for (const [name, decoder, rate] of [['alaw_8k', 'alaw', 8000], ['mulaw_8k', 'mulaw', 8000], ['pcm_s16le_22k', 'pcm_s16le', 22050], ['pcm_u8_22k', 'pcm_u8', 22050]]) {
    test(`${name}: every sample as ffmpeg decodes it`, async () => {
      const core = await loadModule(path.join(dir, 'livewasm_player.mjs'));
      assert.ok(core.decoderInfo().coreDecoders.includes(decoder));
      assert.ok(!core.decoderInfo().decoders.includes('mp3'), 'no MP3 decoder in the player module');
      const dec = new core.WasmAudioDecoder();
      assert.deepEqual(dec.configure({ decoder, sampleRate: rate, channels: 1 }), { ok: true });
      const pcm = [];
      for (const t of audioTags(path.join(vectors, `${name}.flv`))) {
        const r = dec.decode(t.payload, 0);
        assert.ok(r.ok, r.error);
        assert.equal(r.sampleRate, rate);
        pcm.push(...r.pcm);
      }
      const ref = readFileSync(path.join(vectors, `${name}.s16`));
      assert.equal(pcm.length * 2, ref.length);
      let differing = 0;
      for (let i = 0; i < pcm.length; i++) if (Math.round(pcm[i] * 32768) !== ref.readInt16LE(2 * i)) differing++;
      assert.equal(differing, 0);
      assert.ok(Math.abs(frequency(pcm, rate) - 1000) < 5);
      dec.delete();
    });
  }
});

describe('MP3 in livewasm_player_mp3', { skip: !have('livewasm_player_mp3.mjs') || !existsSync(path.join(vectors, 'mp3_48k.flv')) }, () => {
  for (const file of ['livewasm_player_mp3.mjs', 'livewasm_player_mp3_simd.mjs'].filter(have)) {
    test(`${file}: FFmpeg's MP3 decoder alone, a 1 kHz tone at 48 kHz stereo`, async () => {
      const core = await loadModule(path.join(dir, file));
      assert.deepEqual(core.decoderInfo().decoders, ['mp3']);
      assert.ok(!('PlaySession' in core), 'decoders only');
      const dec = new core.WasmAudioDecoder();
      assert.deepEqual(dec.configure({ decoder: 'mp3', sampleRate: 48000, channels: 2 }), { ok: true });
      const left = [];
      let frames = 0;
      for (const t of audioTags(path.join(vectors, 'mp3_48k.flv'))) {
        assert.equal(t.soundFormat, 2);
        const r = dec.decode(t.payload, 0);
        assert.ok(r.ok, r.error);
        if (!r.frames) continue;
        assert.equal(r.sampleRate, 48000);
        assert.equal(r.channels, 2);
        left.push(...r.pcm.subarray(0, r.frames));
        frames += r.frames;
      }
      assert.ok(frames > 40000, `about a second decoded: ${frames} frames`);
      const middle = left.slice(4800, 40000);  // the sine is 1 s; the encoder pads the end
      assert.ok(Math.abs(frequency(middle, 48000) - 1000) < 5, `the tone: ${frequency(middle, 48000)} Hz`);
      // A corrupt frame is an error value (or silence), and decoding goes on.
      dec.decode(new Uint8Array(200).fill(0x55), 0);
      const again = dec.decode(audioTags(path.join(vectors, 'mp3_48k.flv'))[10].payload, 0);
      assert.ok(again.ok, again.error);
      dec.delete();
    });
  }
});
