// The API reference cannot drift: docs/api.md is what scripts/gen-api-docs.mjs makes from types/*.d.ts,
// the declarations match the runtime (js-api/, web/, the worker's netstatus), and a consumer file that uses
// the whole API type-checks under --strict while deliberate misuses do not.
//
//   node --test tests/docs/api_reference.test.mjs
//
// The runtime is imported under Node. js-api/index.js defines the custom elements on import, so the test
// stubs the two browser globals that import touches (HTMLElement as an empty class, customElements as a
// registry that records define()); nothing else of the DOM is needed until a pusher or player starts.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { collectApi, generateApiMarkdown, diffSummary, kebab, ROOT, API_MD, ENTRIES } from '../../scripts/gen-api-docs.mjs';

const defined = new Map();
globalThis.HTMLElement ??= class HTMLElement {};
globalThis.customElements ??= { get: (name) => defined.get(name), define: (name, cls) => defined.set(name, cls) };

const api = collectApi();
const index = await import('../../js-api/index.js');
const headless = await import('../../js-api/headless.js');
const pusherAttributes = await import('../../js-api/pusher_attributes.js');
const playerAttributes = await import('../../js-api/player_attributes.js');

const read = (rel) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const sorted = (list) => [...list].sort();
const byName = (list, name) => list.find((x) => x.name === name);
const names = (members, kind) => members.filter((m) => !kind || m.kind === kind).map((m) => m.name);

test('docs/api.md is what scripts/gen-api-docs.mjs generates from the declarations', () => {
  const generated = generateApiMarkdown(api);
  const current = fs.existsSync(API_MD) ? fs.readFileSync(API_MD, 'utf8') : '';
  assert.ok(current === generated, `docs/api.md is stale: run node scripts/gen-api-docs.mjs\n${diffSummary(generated, current)}`);
});

test('the code tables are declared with the runtime codes and names, and nothing else', () => {
  for (const table of api.codes) {
    const runtime = Object.entries(headless[table.name]).map(([k, v]) => `${k} => ${v}`);
    const declared = table.entries.map((e) => `${e.key} => ${e.value}`);
    assert.deepEqual(sorted(declared), sorted(runtime), table.name);
    for (const e of table.entries) assert.ok(e.doc, `${table.name}[${e.key}] has no meaning in its JSDoc`);
  }
});

for (const [label, declared, runtime] of [
  ['pusher', api.pusherAttributes, pusherAttributes],
  ['player', api.playerAttributes, playerAttributes],
]) {
  const defaults = runtime.PUSHER_DEFAULTS || runtime.PLAYER_DEFAULTS;
  const attributeNames = runtime.PUSHER_ATTRIBUTES || runtime.PLAYER_ATTRIBUTES;
  const normalize = runtime.normalizePusherAttributes || runtime.normalizePlayerAttributes;
  const source = read(`js-api/${label}_attributes.js`);

  test(`the ${label} attributes and their @default are the runtime's`, () => {
    assert.deepEqual(names(declared.members), Object.keys(defaults), 'camelCase keys, in order');
    assert.deepEqual(declared.members.map((m) => kebab(m.name)), attributeNames, 'kebab-case attributes');
    for (const m of declared.members) {
      assert.ok(m.hasDefault, `${m.name} has no @default`);
      assert.deepEqual(m.default, defaults[m.name], `@default of ${m.name}`);
      assert.ok(m.doc, `${m.name} has no JSDoc`);
      assert.equal(typeof m.default, literalKind(m.type), `${m.name}: the type ${m.type} does not hold its default`);
    }
  });

  test(`every value of the ${label}'s declared attribute unions is accepted, others are not`, () => {
    for (const m of declared.members) {
      const literals = stringLiterals(m.type);
      if (!literals) continue;
      for (const value of literals) {
        const { attrs, problems } = normalize({ [m.name]: value });
        assert.deepEqual(problems, [], `${m.name}=${JSON.stringify(value)}`);
        assert.equal(attrs[m.name], value, `${m.name}=${JSON.stringify(value)} is kept`);
      }
      const { problems } = normalize({ [m.name]: 'no-such-value' });
      assert.equal(problems.length, 1, `${m.name}="no-such-value" must be refused (the declared union is ${m.type})`);
      // The other way: every string the runtime's check for this key names, and accepts as is, is declared.
      for (const value of runtimeLiterals(source, m.name)) {
        const { attrs, problems: p } = normalize({ [m.name]: value });
        if (p.length === 0 && attrs[m.name] === value) assert.ok(literals.includes(value), `${m.name}: the runtime takes ${JSON.stringify(value)}, the union ${m.type} lacks it`);
      }
    }
  });
}

test('the elements observe exactly the declared attributes and register the declared tags', () => {
  assert.deepEqual(index.LivePusherElement.observedAttributes, api.pusherAttributes.members.map((m) => kebab(m.name)));
  assert.deepEqual(index.LivePlayerElement.observedAttributes, api.playerAttributes.members.map((m) => kebab(m.name)));
  assert.deepEqual(sorted(defined.keys()), sorted(Object.keys(api.tagNames)), 'tags defined on import vs HTMLElementTagNameMap');
  for (const [tag, cls] of Object.entries(api.tagNames)) assert.equal(defined.get(tag), index[cls], `<${tag}> is ${cls}`);
});

test('every export of each entry (js-api/index.js, headless.js, pusher.js, player.js) is declared, and vice versa', async () => {
  for (const entry of ENTRIES) {
    const runtime = await import(path.join(ROOT, entry.runtime));
    assert.deepEqual(sorted(Object.keys(runtime)), api.exports[entry.name], `${entry.runtime} vs ${entry.types}`);
  }
  for (const f of api.functions) assert.equal(typeof index[f.name], 'function', f.name);
});

test('the context methods are the declared ones, and vice versa', () => {
  for (const ctx of api.contexts) {
    const runtime = Object.getOwnPropertyNames(headless[ctx.name].prototype).filter((n) => n !== 'constructor');
    assert.deepEqual(sorted(names(ctx.members, 'method')), sorted(runtime), ctx.name);
    for (const m of ctx.members.filter((x) => x.kind === 'method')) assert.ok(m.doc, `${ctx.name}.${m.name} has no JSDoc`);
  }
  const pusherCtx = headless.createLivePusherContext({ 'min-bitrate': 300, maxBitrate: 900 });
  const playerCtx = headless.createLivePlayerContext({ 'object-fit': 'fillCrop' });
  for (const [ctx, declared] of [[pusherCtx, api.contexts[0]], [playerCtx, api.contexts[1]]]) {
    for (const p of declared.members.filter((m) => m.kind === 'property')) assert.ok(p.name in ctx, `${declared.name}.${p.name}`);
  }
  assert.equal(pusherCtx.pusher.attrs.minBitrate, 300, 'kebab-case keys reach the pusher');
  assert.equal(playerCtx.player.attrs.objectFit, 'fillCrop', 'kebab-case keys reach the player');
});

test('the context results have the declared shape (errMsg forms, callbacks, rejection)', async () => {
  const ctx = headless.createLivePusherContext({ enableCamera: false });
  const seen = [];
  const ok = await ctx.switchCamera({ success: (r) => seen.push(['success', r]), complete: (r) => seen.push(['complete', r.errMsg]) })
    .catch((err) => err);
  // A disabled camera cannot switch: the failure form, through fail/complete and the rejection.
  assert.match(ok.errMsg, /^switchCamera:fail /);
  assert.ok(ok instanceof Error);
  assert.deepEqual(seen, [['complete', ok.errMsg]]);
  const stopped = await headless.createLivePusherContext().stop();
  assert.deepEqual(stopped, { errMsg: 'stop:ok' });
  const camera = await headless.createLivePusherContext().switchCamera();
  assert.deepEqual(Object.keys(camera).sort(), names(byName(api.results, 'SwitchCameraResult').members).sort());
  assert.equal(camera.errMsg, 'switchCamera:ok');
});

test('the engines have every declared member', () => {
  for (const [engine, instance] of [[api.engines[0], new headless.LivePusher()], [api.engines[1], new headless.LivePlayer()]]) {
    const proto = Object.getPrototypeOf(instance);
    for (const m of engine.members) {
      if (m.kind === 'method') assert.equal(typeof proto[m.name], 'function', `${engine.name}.${m.name}()`);
      if (m.kind === 'property') assert.ok(m.name in instance, `${engine.name}.${m.name}`);
      if (m.kind !== 'constructor') assert.ok(m.doc, `${engine.name}.${m.name} has no JSDoc`);
    }
    assert.deepEqual(Object.keys(instance.attrs), names(engine === api.engines[0] ? api.pusherAttributes.members : api.playerAttributes.members));
  }
});

test('configure() and currentConfig() have the declared options and defaults', () => {
  const config = headless.currentConfig();
  assert.deepEqual(sorted(Object.keys(config)), sorted(names(api.config.members)));
  for (const m of api.config.members) if (m.hasDefault) assert.deepEqual(config[m.name], m.default, `@default of ${m.name}`);
  assert.throws(() => headless.configure({ gatway: 'x' }), /unknown option/);
});

test('the events are the ones the engines emit and the elements relay', () => {
  const emitted = (file) => new Set([...read(file).matchAll(/\bemit\('(\w+)'/g)].map((m) => m[1]));
  assert.deepEqual(sorted(emitted('js-api/live_pusher.js')), sorted(names(api.eventMaps[0].members)), 'LivePusherEventMap');
  assert.deepEqual(sorted(emitted('js-api/live_player.js')), sorted(names(api.eventMaps[1].members)), 'LivePlayerEventMap');
  for (const [file, map] of [['web/live_pusher_element.js', api.elementEventMaps[0]], ['web/live_player_element.js', api.elementEventMaps[1]]]) {
    assert.deepEqual(sorted(relayedEvents(read(file))), sorted(names(map.members)), `${file} vs ${map.name}`);
  }
});

test('the netstatus fields are the ones the workers send', () => {
  const pusherFields = setKeys(read('wasm/bindings/pusher_bindings.cc'), 'val net_status(');
  assert.deepEqual(sorted(pusherFields), sorted(names(byName(api.netstatus, 'PusherNetStatus').members)), 'PusherNetStatus');
  const worker = read('worker/player_worker.js');
  const post = worker.match(/type: \w+\.netstatus, info: \{ \.\.\.session\.netStats\(t\),(.*)\} \}\);/);
  assert.ok(post, 'worker/player_worker.js: the netstatus message was not found');
  const extras = [...post[1].matchAll(/(\w+): /g)].map((m) => m[1]).filter((k) => k !== 'at');
  const playerFields = [...setKeys(read('wasm/bindings/play_bindings.cc'), 'val net_stats('), ...extras];
  assert.deepEqual(sorted(playerFields), sorted(names(byName(api.netstatus, 'PlayerNetStatus').members)), 'PlayerNetStatus');
  const stages = [...worker.matchAll(/mark\('(\w+)'\)/g)].map((m) => m[1]);
  assert.deepEqual(sorted(new Set(stages)), sorted(names(byName(api.netstatus, 'PlayerStartup').members)), 'PlayerStartup');
  for (const i of api.netstatus) for (const m of i.members) assert.ok(m.doc, `${i.name}.${m.name} has no JSDoc`);
});

test('a consumer using the whole API type-checks under --strict, and the misuses are refused', () => {
  const run = runTsc;
  // usage.ts, usage_headless.ts and usage_errors.ts (every `@ts-expect-error` there must meet an error).
  assert.equal(run(path.join(ROOT, 'tests/docs/tsconfig.json')), '');

  // Without the directives each misuse must be an error of its own line: not `any`, not a neighbour's error.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-types-'));
  try {
    const lines = read('tests/docs/usage_errors.ts').split('\n');
    const expected = [];
    const stripped = lines.map((line, i) => {
      if (!/^\s*\/\/ @ts-expect-error/.test(line)) return line;
      expected.push(i + 2);
      return '';
    });
    fs.writeFileSync(path.join(dir, 'errors.ts'), stripped.join('\n'));
    const config = JSON.parse(read('tests/docs/tsconfig.json'));
    config.compilerOptions.baseUrl = path.join(ROOT, 'tests/docs');
    config.compilerOptions.typeRoots = [];
    config.files = [path.join(dir, 'errors.ts')];
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    const out = run(path.join(dir, 'tsconfig.json'));
    const errorLines = new Set([...out.matchAll(/errors\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
    assert.ok(expected.length >= 15, `only ${expected.length} misuses`);
    assert.deepEqual(expected.filter((l) => !errorLines.has(l)), [], `misuses that type-check:\n${out}`);
    assert.deepEqual([...errorLines].filter((l) => !expected.includes(l)), [], `errors outside the misuses:\n${out}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the consumer files type-check through the package\'s own exports (bundler and nodenext resolution)', () => {
  // As an app sees the package: node_modules/livewasm -> this repository, no `paths`.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-types-pkg-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'livewasm'), 'dir');
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}');
    const files = JSON.parse(read('tests/docs/tsconfig.json')).files;
    for (const f of files) fs.copyFileSync(path.join(ROOT, 'tests/docs', f), path.join(dir, f));
    for (const [module, moduleResolution] of [['esnext', 'bundler'], ['nodenext', 'nodenext']]) {
      const compilerOptions = { strict: true, noEmit: true, target: 'es2022', module, moduleResolution, lib: ['es2022', 'dom', 'dom.iterable'], types: [], preserveSymlinks: true };
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
      assert.equal(runTsc(path.join(dir, 'tsconfig.json')), '', moduleResolution);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---- helpers ------------------------------------------------------------------------------------

/** tsc -p `project`: '' when it passes, its output otherwise. */
function runTsc(project) {
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (err) {
    return (err.stdout || '') + (err.stderr || '') || String(err);
  }
}

function literalKind(type) {
  if (type === 'boolean') return 'boolean';
  if (type === 'number') return 'number';
  return 'string';
}

/** `'a' | 'b'` -> ['a', 'b']; null when the type is not a union of string literals. */
function stringLiterals(type) {
  const parts = type.split('|').map((s) => s.trim());
  return parts.every((p) => /^'[^']*'$/.test(p)) ? parts.map((p) => p.slice(1, -1)) : null;
}

/** The string literals of the runtime's `pick('key', ...)` call (and of the constant arrays it names). */
function runtimeLiterals(source, key) {
  const start = source.indexOf(`pick('${key}',`);
  assert.ok(start >= 0, `no pick('${key}', ...) in the attribute parser`);
  const end = source.indexOf('pick(', start + 5);
  let text = source.slice(start + `pick('${key}',`.length, end < 0 ? undefined : end);
  for (const [, name] of text.matchAll(/\b([A-Z][A-Z_]+)\b/g)) {
    const constant = source.match(new RegExp(`const ${name} = \\[([^\\]]*)\\]`));
    if (constant) text += constant[1];
  }
  return [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]);
}

/** The `o.set("key", ...)` keys of the C++ function starting at `signature` (up to its `return o;`). */
function setKeys(source, signature) {
  const start = source.indexOf(signature);
  assert.ok(start >= 0, `${signature} not found`);
  const body = source.slice(start, source.indexOf('return o;', start));
  return [...body.matchAll(/o\.set\("(\w+)"/g)].map((m) => m[1]);
}

/** The events an element re-dispatches: the array literal of event names in its source that holds 'statechange'. */
function relayedEvents(source) {
  for (const m of source.matchAll(/\[([^\]]*'statechange'[^\]]*)\]/g)) {
    return [...m[1].matchAll(/'(\w+)'/g)].map((x) => x[1]);
  }
  assert.fail('no list of relayed events found');
}
