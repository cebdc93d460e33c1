// AMF0 decode, wasm beside native, on the real wire bytes of bench/amf0_wire_samples.h (read from that
// header, so both sides decode the same bytes): the module's amf0ToString (copy in, decode_all,
// to_string of each value, a JS array of strings out) against lw_bench's BM_Amf0DecodeToString*, the
// same C++ work without the JS boundary. Messages are a few hundred bytes, so the per-call crossing
// is a visible part of the wasm figure; that is the point of measuring it.
//
//   node --no-experimental-fetch bench/wasm/amf0_decode.bench.mjs [--native-json FILE]
//        [--module build/wasm/wasm/bindings/livewasm_core.mjs] [--samples 15]
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { measure, markdownTable } from './measure.mjs';
import { readNativeResults } from './native_results.mjs';
import { loadOurModule } from './our_module.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    'native-json': { type: 'string' },
    module: { type: 'string' },
    samples: { type: 'string', default: '15' },
  },
});

// kName[] = { 0x02, 0x00, ... }; in the header -> { Name: Uint8Array }
function wireSamples() {
  const text = readFileSync(path.join(root, 'bench/amf0_wire_samples.h'), 'utf8');
  const out = {};
  for (const m of text.matchAll(/constexpr uint8_t k(\w+)\[\] = \{([^}]*)\}/g)) {
    out[m[1]] = Uint8Array.from(m[2].match(/0x[0-9a-f]{2}/gi).map(Number));
  }
  return out;
}

const samples = wireSamples();
const expectedValues = { OnMetaData: 2, ConnectPublish: 3, ConnectPlay: 3 };
const nativeResults = args['native-json'] && existsSync(args['native-json'])
  ? readNativeResults(args['native-json']) : undefined;
const ourModule = await loadOurModule(args.module, root);
const failures = [];
const rows = [];
for (const [name, bytes] of Object.entries(samples)) {
  const b = nativeResults?.benchmarks.get(`BM_Amf0DecodeToString${name}`);
  const nativeRate = b && !b.error_occurred ? b.items_per_second : undefined;
  let wasmRate;
  if (!ourModule.error && typeof ourModule.module.amf0ToString === 'function') {
    const got = ourModule.module.amf0ToString(bytes);
    if (!got.ok || got.values.length !== expectedValues[name]) {
      failures.push(`${name}: ${JSON.stringify(got)}`);
    } else {
      const r = measure(() => ourModule.module.amf0ToString(bytes), { samples: Number(args.samples) });
      wasmRate = 1e3 / r.msPerCall;
    }
  }
  const k = (x) => (x === undefined ? 'n/a' : `${(x / 1e3).toFixed(0)}k`);
  rows.push([name, bytes.length, k(nativeRate), k(wasmRate),
    nativeRate && wasmRate ? (wasmRate / nativeRate).toFixed(2) : 'n/a']);
}
console.log('\nAMF0 decode + to_string, messages per second (median)\n');
console.log(markdownTable(['message', 'bytes', 'native', 'wasm (amf0ToString)', 'wasm / native'], rows));
if (ourModule.error) console.log(`\nwasm: ${ourModule.error}`);
if (failures.length) {
  console.error(`FAILED checks:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
