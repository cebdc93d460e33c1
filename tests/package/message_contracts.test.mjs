// Every message between the page, the workers and the AudioWorklets is declared once (worker/player_messages.js,
// worker/pusher_messages.js, worker/worklet_messages.js: worker/message_contract.js) and the code uses the
// declarations: each file the package ships under js-api/, worker/ and web/ is parsed with acorn (as
// no_dynamic_code.test.mjs does) and
//   - every object literal posted (postMessage, post, mailbox open, verify) names its type with a declared
//     constant (`{ type: ToWorker.play, ... }`), never a string, and its fields are the declared ones
//     (none unknown; the required ones present unless the literal spreads another object);
//   - every `Contract.name` read is a declared type (a receive site's `case FromWorker.ready`, a handler's key);
//   - no `.type` is compared with a string in a file that speaks a contract;
//   - every declared type is sent somewhere (a declaration nobody sends has drifted);
//   - the worklets' copies of the shared declarations (they cannot import) equal the sources
//     (scripts/worklet_contracts.mjs), and the sound ring's layout (worker/audio_ring.js) is what the page,
//     the worker and the worklet use: no header index, header size or view written by hand.
// The checks at run time (the same declarations, switched on by the test pages) are in message_contract.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../interop/lib/tools.mjs';
import { WORKLETS, regenerated } from '../../scripts/worklet_contracts.mjs';

const acorn = createRequire(createRequire(import.meta.url).resolve('webpack'))('acorn');
const load = (f) => import(pathToFileURL(path.join(ROOT, f)).href);
const MESSAGE_MODULES = ['worker/player_messages.js', 'worker/pusher_messages.js', 'worker/worklet_messages.js'];
const CONTRACT_MEMBERS = new Set(['verify', 'problem', 'fields', 'name']);
const SENDS = new Set(['postMessage', 'post', 'open', 'verify']);

/** Every contract the declaration modules export: name -> contract. */
async function allContracts() {
  const out = {};
  for (const f of MESSAGE_MODULES) Object.assign(out, await load(f));
  return out;
}

function walk(node, visit, parent = null) {
  if (!node || typeof node.type !== 'string') return;
  visit(node, parent);
  for (const [k, v] of Object.entries(node)) {
    if (k === 'loc') continue;
    if (Array.isArray(v)) for (const c of v) walk(c, visit, node);
    else if (v && typeof v === 'object') walk(v, visit, node);
  }
}

/**
 * The contract problems of one file's source. `contracts`: exported name -> contract. Local names bound to a
 * contract: imports from a *_messages.js module, and (worklets) `const X = Object.freeze({...})` named as an
 * exported contract. `sent` collects "contract.type" for every literal sent.
 */
export function contractProblems(source, contracts, sent = new Set()) {
  const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  const local = new Map();  // local name -> contract
  const problems = [];
  const at = (node, what) => problems.push(`${node.loc.start.line}: ${what}`);
  walk(ast, (node) => {
    if (node.type === 'ImportDeclaration' && /_messages\.js$/.test(node.source.value)) {
      for (const s of node.specifiers) {
        const c = contracts[s.imported?.name];
        if (c) local.set(s.local.name, c);
      }
    }
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && contracts[node.id.name] &&
        node.init?.type === 'CallExpression' && node.init.callee.property?.name === 'freeze') {
      local.set(node.id.name, contracts[node.id.name]);
    }
  });
  const contractOf = (node) => (node?.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' ? local.get(node.object.name) : undefined);
  const literals = (node) => (node?.type === 'ObjectExpression' ? [node]
    : node?.type === 'ConditionalExpression' ? [...literals(node.consequent), ...literals(node.alternate)]
      : node?.type === 'CallExpression' && node.callee.property?.name === 'verify' ? literals(node.arguments[0]) : []);
  walk(ast, (node) => {
    // A contract's member: a declared type (or one of the contract's own helpers).
    const c = contractOf(node);
    if (c && !CONTRACT_MEMBERS.has(node.property.name) && !Object.hasOwn(c.fields, node.property.name)) {
      at(node, `${node.object.name}.${node.property.name}: '${node.property.name}' is not declared in ${c.name}`);
    }
    // `x.type === 'literal'` and `case 'literal':` in a switch on `.type`.
    if (local.size && node.type === 'BinaryExpression' && /^[!=]==?$/.test(node.operator)) {
      const [a, b] = [node.left, node.right];
      const isType = (n) => n.type === 'MemberExpression' && !n.computed && n.property.name === 'type';
      const isString = (n) => n.type === 'Literal' && typeof n.value === 'string';
      if ((isType(a) && isString(b)) || (isType(b) && isString(a))) at(node, `.type compared with the string ${JSON.stringify(isString(a) ? a.value : b.value)}: use the declared constant`);
    }
    if (local.size && node.type === 'SwitchStatement' && /\.type\b|\btype\b/.test(source.slice(node.discriminant.start, node.discriminant.end))) {
      for (const k of node.cases) if (k.test?.type === 'Literal') at(k, `case ${JSON.stringify(k.test.value)} on a message type: use the declared constant`);
    }
    // What is sent.
    if (node.type !== 'CallExpression') return;
    const name = node.callee.type === 'Identifier' ? node.callee.name : node.callee.property?.name;
    if (!SENDS.has(name)) return;
    for (const lit of literals(node.arguments[0])) {
      const typeProp = lit.properties.find((p) => p.type === 'Property' && !p.computed && (p.key.name ?? p.key.value) === 'type');
      if (!typeProp) {
        if (name === 'postMessage' && local.size) at(lit, 'a message without a type');
        continue;
      }
      const tc = contractOf(typeProp.value);
      if (!tc) {
        at(typeProp, `a message's type is ${typeProp.value.type === 'Literal' ? JSON.stringify(typeProp.value.value) : source.slice(typeProp.value.start, typeProp.value.end)}, not a declared constant`);
        continue;
      }
      const type = typeProp.value.property.name;
      const fields = tc.fields[type];
      if (!fields) continue;  // reported above
      sent.add(`${tc.name}.${type}`);
      const keys = new Set();
      let spread = false;
      for (const p of lit.properties) {
        if (p.type === 'SpreadElement' || p.computed) { spread = true; continue; }
        const key = p.key.name ?? p.key.value;
        if (key === 'type') continue;
        keys.add(key);
        if (!Object.hasOwn(fields, key)) at(p, `'${type}' (${tc.name}) has an undeclared field '${key}'`);
      }
      if (!spread) {
        for (const [key, spec] of Object.entries(fields)) {
          if (!spec.endsWith('?') && !keys.has(key)) at(lit, `'${type}' (${tc.name}) lacks its field '${key}'`);
        }
      }
    }
  }, null);
  return problems;
}

const SHIPPED = ['js-api', 'worker', 'web'].flatMap((d) => readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.js')).map((f) => `${d}/${f}`));

test('the check finds a drifted message and passes a declared one', async () => {
  const contracts = await allContracts();
  const imports = "import { FromPusherWorker as Out, ToPusherWorker as In } from './pusher_messages.js';\n";
  const bad = {
    "post({ type: 'ready', ok: true });": "not a declared constant",
    'post({ type: Out.ready, ok: true, encoders: [] });': "undeclared field 'encoders'",
    'post({ type: Out.ready });': "lacks its field 'ok'",
    'post({ type: Out.readyy, ok: true });': "'readyy' is not declared",
    "if (m.type === 'init') go();": 'compared with the string "init"',
    "switch (m.type) { case 'stop': break; }": 'case "stop"',
    "self.postMessage(m.type === In.init ? { type: Out.ready, ok: false, err: 'x' } : { type: Out.stopped });": "undeclared field 'err'",
    'const handlers = { [In.unknown]() {} };': "'unknown' is not declared",
  };
  for (const [snippet, want] of Object.entries(bad)) {
    const found = contractProblems(imports + snippet, contracts);
    assert.ok(found.some((p) => p.includes(want)), `${snippet}: ${JSON.stringify(found)} should say ${want}`);
  }
  const good = [
    'post({ type: Out.ready, ok: true, videoEncoder: name, audioEncoder: a });',
    'post({ type: Out.state, ...rest });',
    'switch (m.type) { case In.stop: break; }',
    "canvas.convertToBlob({ type: 'image/png' });",
  ];
  for (const snippet of good) assert.deepEqual(contractProblems(imports + snippet, contracts), [], snippet);
});

test('every message sent in js-api/, worker/ and web/ is declared, and every declared message is sent', async () => {
  const contracts = await allContracts();
  const sent = new Set();
  const problems = [];
  for (const f of SHIPPED) {
    for (const p of contractProblems(readFileSync(path.join(ROOT, f), 'utf8'), contracts, sent)) problems.push(`${f}:${p}`);
  }
  assert.deepEqual(problems, [], 'messages that do not match their declarations');
  const unsent = Object.values(contracts).flatMap((c) => Object.keys(c.fields).map((t) => `${c.name}.${t}`)).filter((t) => !sent.has(t));
  assert.deepEqual(unsent, [], 'declared messages that nothing sends');
  console.log(`${SHIPPED.length} files, ${sent.size} message types sent, all declared`);
});

test('the run-time check refuses an undeclared type, a missing field, an unknown field and a wrong kind', async () => {
  const { ToPlayerWorker, FromPusherWorker } = await allContracts();
  const { CHECK_FLAG } = await load('worker/message_contract.js');
  const bad = { type: 'play', url: 'rtmp://x' };
  assert.equal(ToPlayerWorker.verify(bad), bad, 'off: passes through');
  globalThis[CHECK_FLAG] = true;
  try {
    assert.throws(() => ToPlayerWorker.verify(bad), /'play' lacks its field 'gateway'/);
    assert.throws(() => ToPlayerWorker.verify({ type: 'plays' }), /undeclared type "plays"/);
    assert.throws(() => FromPusherWorker.verify({ type: 'ready', ok: true, encoders: {} }), /undeclared field 'encoders'/);
    assert.throws(() => ToPlayerWorker.verify({ type: 'resize', width: '3', height: 2 }), /width is string, declared number/);
    const good = { type: 'play', url: 'rtmp://x', gateway: '' };
    assert.equal(ToPlayerWorker.verify(good), good);
  } finally {
    delete globalThis[CHECK_FLAG];
  }
});

test('the worklets hold the current copy of the shared declarations', async () => {
  for (const f of Object.keys(WORKLETS)) {
    assert.equal(readFileSync(path.join(ROOT, f), 'utf8'), await regenerated(f), `${f} is stale: run node scripts/worklet_contracts.mjs`);
  }
});

test('the sound ring is laid out by worker/audio_ring.js alone: the page, the worker and the worklet use it', () => {
  const RING_USERS = ['js-api/live_player.js', 'worker/audio_output.js', 'web/pcm_playback_worklet.js'];
  const ringSource = readFileSync(path.join(ROOT, 'worker/audio_ring.js'), 'utf8');
  for (const f of RING_USERS) {
    let source = readFileSync(path.join(ROOT, f), 'utf8');
    if (f.startsWith('web/')) {
      assert.ok(source.includes(ringSource.split('\n').find((l) => l.startsWith('export function ringViews')).replace('export ', '')), `${f} holds the ring's copy`);
      source = source.replace(/\/\/ ---- begin: generated[\s\S]*?\/\/ ---- end: generated ----/, '');  // the copy itself
    } else {
      assert.match(source, /from '\.\.?\/(worker\/)?audio_ring\.js'/, `${f} imports the ring's layout`);
    }
    const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
    const problems = [];
    walk(ast, (node) => {
      if (node.type === 'CallExpression' && node.callee.object?.name === 'Atomics' && node.arguments[1] && node.arguments[1].type !== 'Identifier') {
        problems.push(`${node.loc.start.line}: Atomics.${node.callee.property.name} at ${source.slice(node.arguments[1].start, node.arguments[1].end)}, not RING_READ / RING_WRITTEN`);
      }
      if (node.type === 'NewExpression' && ['SharedArrayBuffer', 'Int32Array'].includes(node.callee.name)) {
        const arg = node.arguments[0];
        if (!(node.callee.name === 'SharedArrayBuffer' && arg?.type === 'CallExpression' && arg.callee.name === 'ringBytes')) {
          problems.push(`${node.loc.start.line}: new ${node.callee.name}(...) by hand (use ringBytes / ringViews)`);
        }
      }
    });
    assert.deepEqual(problems, [], `${f} lays the ring out by hand`);
  }
});
