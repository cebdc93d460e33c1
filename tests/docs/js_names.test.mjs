// Every name the shipped JavaScript uses resolves: the TypeScript checker reads js-api/, web/, worker/ and
// demo/ as JavaScript and reports names that are not declared anywhere in reach (TS2304 "Cannot find
// name", TS2552 / TS2662 / TS2663 "... did you mean"), and names used before their declaration (TS2448, TS2454). These are
// ReferenceErrors waiting for the path that runs them (a `const attrs` that moved in a refactor failed
// a push at start). Type errors in general are not checked here: the JavaScript is not typed throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const NAME_ERRORS = /error (TS2304|TS2552|TS2662|TS2663|TS2448|TS2454):/;
// The AudioWorkletGlobalScope's own names (TypeScript's lib has no worklet scope).
const WORKLET_GLOBALS = new Set(['AudioWorkletProcessor', 'registerProcessor', 'sampleRate', 'currentFrame', 'currentTime']);

test('every name in js-api/, web/, worker/ and demo/ resolves', () => {
  const files = ['js-api', 'web', 'worker', 'demo'].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.js')).map((f) => path.join(dir, f)));
  assert.ok(files.length > 30, `${files.length} files`);
  const r = spawnSync(process.execPath, [TSC, '--noEmit', '--allowJs', '--checkJs', '--skipLibCheck', '--target', 'es2022',
    '--module', 'esnext', '--moduleResolution', 'bundler', '--resolveJsonModule', '--lib', 'es2022,dom,webworker', ...files],
  { cwd: ROOT, encoding: 'utf8' });
  assert.ok(r.status !== null, `tsc ran: ${r.error}`);
  const problems = r.stdout.split('\n').filter((l) => NAME_ERRORS.test(l))
    .filter((l) => !/^web\/pcm_\w+_worklet\.js/.test(l) || !WORKLET_GLOBALS.has(/Cannot find name '(\w+)'/.exec(l)?.[1]));
  assert.deepEqual(problems, [], 'undeclared names');
});
