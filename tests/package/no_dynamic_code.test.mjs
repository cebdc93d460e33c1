// No string becomes code in anything the npm package ships (issue 21): a page whose Content-Security-Policy
// allows 'wasm-unsafe-eval' and not 'unsafe-eval' refuses `new Function`, `eval` and string timers, so one
// of them anywhere in js-api/, web/, worker/ or the Emscripten glue of dist/wasm/ breaks such pages. The
// files are those `npm pack` ships (package.json "files"), each parsed as a module with acorn (webpack's,
// a devDependency) and walked: a call or `new` of Function or eval (also as globalThis.eval / window.Function
// and the like), the Function constructor passed as a value (the 3.1.6 glue's `new_(Function, args)`), and
// setTimeout / setInterval given a string. tests/engines/csp.test.mjs runs the pages under the policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../interop/lib/tools.mjs';

const acorn = createRequire(createRequire(import.meta.url).resolve('webpack'))('acorn');

const CODE_FROM_STRING = new Set(['Function', 'eval']);
const TIMERS = new Set(['setTimeout', 'setInterval']);
const nameOf = (node) => (node?.type === 'Identifier' ? node.name
  : node?.type === 'SequenceExpression' ? nameOf(node.expressions.at(-1))  // (0, eval)(src): an indirect eval
  : node?.type === 'MemberExpression' && !node.computed ? node.property.name
    : node?.type === 'MemberExpression' && node.property.type === 'Literal' ? String(node.property.value) : null);
const stringy = (node) => node && ((node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateLiteral' ||
  (node.type === 'BinaryExpression' && node.operator === '+' && (stringy(node.left) || stringy(node.right))));

/** Where `source` makes code from a string: [{line, what}]. */
export function findDynamicCode(source) {
  const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true });
  const found = [];
  const at = (node, what) => found.push({ line: node.loc.start.line, what });
  const visit = (node, parent, key) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      const callee = nameOf(node.callee);
      if (CODE_FROM_STRING.has(callee)) at(node, `${node.type === 'NewExpression' ? 'new ' : ''}${callee}(...)`);
      if (TIMERS.has(callee) && stringy(node.arguments[0])) at(node, `${callee} with a string`);
    }
    // The Function constructor as a value (new_(Function, ...), const F = Function), but not `x instanceof Function`.
    if (node.type === 'Identifier' && node.name === 'Function' && !(parent?.type === 'BinaryExpression' && parent.operator === 'instanceof' && key === 'right') &&
        !((parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && key === 'callee') &&
        !(parent?.type === 'MemberExpression' && key === 'property' && !parent.computed) && !(parent?.type === 'Property' && key === 'key')) {
      at(node, 'the Function constructor as a value');
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc') continue;
      if (Array.isArray(v)) for (const c of v) visit(c, node, k);
      else if (v && typeof v === 'object') visit(v, node, k);
    }
  };
  visit(ast, null, null);
  return found;
}

test('the check finds what the old glue held and leaves alone what only looks like it', () => {
  const bad = [
    'const f = new Function("body", "return function " + name + "() {}")(body);',  // 3.1.6 createNamedFunction
    'var invokerFunction = new_(Function, args1).apply(null, args2);',             // 3.1.6 craftInvokerFunction
    'export const g = (function () { return Function; })()("return this")();',   // 3.1.6 emval_get_global
    'var g = { importScripts: function (f) { (0, eval)(fs.readFileSync(f, "utf8")); } };',  // 3.1.6 pthread worker (Node)
    'eval(s);', 'globalThis.eval(s);', 'window["Function"]("x")();', 'setTimeout("tick()", 10);', 'setInterval(`go(${n})`, 10);',
    'self.setTimeout("a" + b, 1);',
  ];
  for (const s of bad) assert.ok(findDynamicCode(s).length > 0, `found in: ${s}`);
  const good = [
    'if (!(c instanceof Function)) throw new TypeError("Function \'" + n + "\' called");',
    'setTimeout(() => tick(), 10); setInterval(tick, 5); x.evaluate("a"); const o = { Function: 1, eval: 2 }; o.Function; o.eval;',
    'const text = "new Function(x) and eval(y) in a string"; // new Function(z) in a comment',
  ];
  for (const s of good) assert.deepEqual(findDynamicCode(s), [], `nothing in: ${s}`);
});

test('no new Function, eval or string timer in any file the package ships, the wasm glue included', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `npm pack --dry-run: ${r.stderr}`);
  const files = JSON.parse(r.stdout)[0].files.map((f) => f.path).filter((f) => /\.(m?js)$/.test(f)).sort();
  const glue = files.filter((f) => f.startsWith('dist/wasm/'));
  assert.ok(glue.length >= 6 && ['js-api/index.js', 'worker/player_worker.js', 'web/pcm_playback_worklet.js'].every((f) => files.includes(f)),
    `the shipped JS includes the API, the workers, the worklets and the glue (build the wasm first: scripts/build.sh wasm): ${files.join(', ')}`);
  const problems = [];
  for (const f of files) {
    assert.ok(existsSync(path.join(ROOT, f)), f);
    for (const hit of findDynamicCode(readFileSync(path.join(ROOT, f), 'utf8'))) problems.push(`${f}:${hit.line}: ${hit.what}`);
  }
  console.log(`${files.length} shipped JS files checked (${glue.length} of them wasm glue)`);
  assert.deepEqual(problems, [], 'code made from strings in a shipped file');
});
