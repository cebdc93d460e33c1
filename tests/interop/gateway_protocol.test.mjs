// gateway/protocol.json is the one source of the wire constants (the gateway's generated header and
// the JavaScript side both use it); PROTOCOL.md documents them for people. This keeps the two from
// drifting: every close code and message type in the JSON is in the document with the same number,
// and the running gateway's /metrics lists exactly the JSON's close codes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { ROOT } from './lib/tools.mjs';
import { startGateway } from './lib/gateway.mjs';

const protocol = JSON.parse(readFileSync(path.join(ROOT, 'gateway/protocol.json'), 'utf8'));
const doc = readFileSync(path.join(ROOT, 'gateway/PROTOCOL.md'), 'utf8');

test('every close code in protocol.json is documented in PROTOCOL.md with its name', () => {
  const section = doc.slice(doc.indexOf('## Close codes'), doc.indexOf('## Back-pressure'));
  const documented = new Map();
  for (const m of section.matchAll(/^\| (\d{4}) \| (\w+) \|/gm)) documented.set(m[2], Number(m[1]));
  for (const [name, code] of Object.entries(protocol.close)) {
    // 1008 is a standard code the gateway itself never sends; the rest must be explained.
    if (name === 'policyViolation') continue;
    assert.equal(documented.get(name), code, `close code ${name} (${code}) in PROTOCOL.md`);
  }
  for (const [name, code] of documented) assert.equal(protocol.close[name], code, `documented ${name} ${code} in protocol.json`);
});

test('every message type and path in protocol.json appears in PROTOCOL.md', () => {
  for (const type of Object.values(protocol.message)) assert.match(doc, new RegExp('`' + type + '`'), type);
  for (const p of Object.values(protocol.paths)) assert.ok(doc.includes(p), p);
  assert.ok(doc.includes(`${protocol.paths.play}?${protocol.query.url}=`));
});

test('the gateway was built from this protocol.json: /metrics counts exactly its close codes', async () => {
  const gw = await startGateway();
  try {
    const text = await gw.metrics();
    const codes = [...text.matchAll(/^lw_gateway_closes_total\{code="(\d+)",name="(\w+)"\}/gm)]
      .map((m) => [m[2], Number(m[1])]);
    assert.deepEqual(Object.fromEntries(codes), protocol.close);
  } finally {
    await gw.stop();
  }
});
