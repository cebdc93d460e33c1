// scripts/node-tests.mjs, the runner of the timing tiers: a test that fails once and then passes is
// counted as passed and named as "passed on a rerun"; a test that always fails fails the run after its
// reruns; only the failed tests are rerun (with their suite's hooks); a file that dies before reporting
// counts as a failure and is rerun whole; with no reruns a first failure is final.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/tools.mjs';

const RUNNER = path.join(ROOT, 'scripts/node-tests.mjs');

// Each test appends its name to runs.log, so which tests ran in which attempt can be read back.
const FILES = {
  'mixed.test.mjs': `import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
const dir = process.env.FIXTURE_DIR;
const ran = (n) => appendFileSync(dir + '/runs.log', n + '\\n');
describe('suite # one', () => {
  before(() => ran('before'));
  test('flaky (once) [x]', () => {
    ran('flaky');
    if (!existsSync(dir + '/flaky.marker')) { writeFileSync(dir + '/flaky.marker', ''); assert.fail('first attempt'); }
  });
  test('steady', () => ran('steady'));
});
test('always broken', () => { ran('broken'); assert.fail('broken every time'); });
test('fine', () => ran('fine'));
`,
  'dies.test.mjs': `import { test } from 'node:test';
import { appendFileSync } from 'node:fs';
appendFileSync(process.env.FIXTURE_DIR + '/runs.log', 'dies\\n');
test('never reached', () => {});
process.exit(3);
`,
};

function runner(dir, args) {
  const r = spawnSync(process.execPath, [RUNNER, '--log', path.join(dir, 'tap.log'), ...args], {
    cwd: dir, encoding: 'utf8', timeout: 120000, env: { ...process.env, FIXTURE_DIR: dir },
  });
  const last = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(r.stdout)?.[1]);
  const runs = readFileSync(path.join(dir, 'runs.log'), 'utf8').trim().split('\n');
  return { status: r.status, out: r.stdout, pass: last('pass'), fail: last('fail'), rerunPassed: last('rerun-passed'), runs };
}

// Runs fn(dir) over a fresh copy of the fixture files, removed afterwards.
function withFixture(fn) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-runner-'));
  try {
    for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);
    writeFileSync(path.join(dir, 'runs.log'), '');
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reruns only what failed; a test healed by a rerun passes and is named, one broken every time fails', () => withFixture((dir) => {
  const r = runner(dir, ['--reruns', '2', 'mixed.test.mjs']);
  assert.equal(r.status, 1, r.out);
  assert.deepEqual([r.pass, r.fail, r.rerunPassed], [3, 1, 1], r.out);
  assert.match(r.out, /^# passed on a rerun: mixed\.test\.mjs: flaky \(once\) \[x\]$/m);
  assert.match(r.out, /attempt 1 failed 2: flaky \(once\) \[x\] \| always broken; the machine over the attempt: /);
  assert.match(r.out, /attempt 3 failed 1: always broken;/);
  // Attempt 1 ran every test; attempt 2 the two failures (not 'steady', not 'fine'); attempt 3 the one left.
  assert.deepEqual(r.runs.filter((n) => n !== 'before'), ['flaky', 'steady', 'broken', 'fine', 'flaky', 'broken', 'broken']);
  const second = r.runs.indexOf('flaky', r.runs.indexOf('flaky') + 1);
  assert.ok(r.runs.slice(r.runs.indexOf('fine'), second).includes('before'), `the rerun test's suite hook ran again: ${r.runs}`);
  assert.match(readFileSync(path.join(dir, 'tap.log.failures'), 'utf8'), /not ok \d+ - always broken/);
}));

test('without reruns the first failure is final', () => withFixture((dir) => {
  const r = runner(dir, ['--reruns', '0', 'mixed.test.mjs']);
  assert.deepEqual([r.status, r.pass, r.fail, r.rerunPassed], [1, 2, 2, 0], r.out);
  assert.deepEqual(r.runs, ['before', 'flaky', 'steady', 'broken', 'fine']);
}));

test('a file that dies before reporting is a failure, rerun whole', () => withFixture((dir) => {
  const r = runner(dir, ['--reruns', '1', 'dies.test.mjs']);
  assert.equal(r.status, 1, r.out);
  assert.equal(r.fail, 1, r.out);
  assert.deepEqual(r.runs, ['dies', 'dies']);
  assert.match(r.out, /dies\.test\.mjs: attempt 2 failed 1: .*dies\.test\.mjs;/);
  assert.match(readFileSync(path.join(dir, 'tap.log.failures'), 'utf8'), /exitCode: 3/);
}));

// Two lanes side by side on one lock (scripts/lane_lock.mjs): a file marked `lw-runner: alone in chromium`
// runs with nothing of the other lane beside it; unmarked files of both lanes run side by side.
test('lanes: a file marked alone runs while the other lane waits; the others run side by side', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-lanes-'));
  const file = (name, header) => {
    writeFileSync(path.join(dir, name), `${header}import { test } from 'node:test';
import { appendFileSync } from 'node:fs';
test('${name}', async () => {
  appendFileSync(process.env.FIXTURE_DIR + '/spans.log', JSON.stringify({ name: '${name}', at: 'start', t: Date.now() }) + '\\n');
  await new Promise((r) => setTimeout(r, 1500));
  appendFileSync(process.env.FIXTURE_DIR + '/spans.log', JSON.stringify({ name: '${name}', at: 'end', t: Date.now() }) + '\\n');
});
`);
    return name;
  };
  try {
    const laneA = [file('a1.test.mjs', ''), file('a2.test.mjs', '// lw-runner: alone in chromium, webkit\n'), file('a3.test.mjs', '')];
    const laneB = [file('b1.test.mjs', ''), file('b2.test.mjs', '// lw-runner: alone in webkit\n'), file('b3.test.mjs', ''), file('b4.test.mjs', '')];
    writeFileSync(path.join(dir, 'spans.log'), '');
    const env = { ...process.env, FIXTURE_DIR: dir, LW_LANE_LOCK: path.join(dir, 'lanes.lock'), LW_ENGINE: 'chromium' };
    const lane = (files, log) => new Promise((resolve) => {
      const child = spawn(process.execPath, [RUNNER, '--log', path.join(dir, log), ...files], { cwd: dir, env, stdio: 'ignore' });
      child.on('exit', resolve);
    });
    const codes = await Promise.all([lane(laneA, 'a.log'), lane(laneB, 'b.log')]);
    assert.deepEqual(codes, [0, 0]);
    const spans = {};
    for (const line of readFileSync(path.join(dir, 'spans.log'), 'utf8').trim().split('\n')) {
      const e = JSON.parse(line);
      (spans[e.name] ??= {})[e.at] = e.t;
    }
    const overlap = (x, y) => spans[x].start < spans[y].end && spans[y].start < spans[x].end;
    for (const other of laneB) assert.ok(!overlap('a2.test.mjs', other), `a2 (alone in chromium) ran beside ${other}: ${JSON.stringify(spans)}`);
    // b2 is marked for webkit only: in chromium it is an ordinary file. Lane B's four files take 6 s and
    // lane A's first one starts with them, so some pair of unmarked files ran side by side.
    const pairs = ['a1.test.mjs', 'a3.test.mjs'].flatMap((a) => ['b1.test.mjs', 'b2.test.mjs', 'b3.test.mjs', 'b4.test.mjs'].map((b) => [a, b]));
    assert.ok(pairs.some(([a, b]) => overlap(a, b)), `unmarked files never overlapped: ${JSON.stringify(spans)}`);
    assert.match(readFileSync(path.join(dir, 'a.log'), 'utf8'), /a2\.test\.mjs: alone \(the other lane waits\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Two runners given the same files and one LW_CLAIM_DIR (how the second lane helps with Chromium's files):
// each file runs once, in whichever runner claimed it, and each runner counts only what it ran.
test('claims: two runners share one list of files, each file runs once', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-claims-'));
  try {
    const files = ['c1', 'c2', 'c3', 'c4'].map((n) => {
      writeFileSync(path.join(dir, `${n}.test.mjs`), `import { test } from 'node:test';
import { appendFileSync } from 'node:fs';
test('${n}', async () => { appendFileSync(process.env.FIXTURE_DIR + '/runs.log', '${n}\\n'); await new Promise((r) => setTimeout(r, 1000)); });
`);
      return `${n}.test.mjs`;
    });
    writeFileSync(path.join(dir, 'runs.log'), '');
    const env = { ...process.env, FIXTURE_DIR: dir, LW_CLAIM_DIR: path.join(dir, 'claims') };
    delete env.LW_LANE_LOCK;
    const run = (log) => new Promise((resolve) => {
      const child = spawn(process.execPath, [RUNNER, '--log', path.join(dir, log), ...files], { cwd: dir, env, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.on('exit', (code) => resolve({ code, pass: Number(/^# pass (\d+)$/m.exec(out)?.[1]) }));
    });
    const [a, b] = await Promise.all([run('a.log'), run('b.log')]);
    const runs = readFileSync(path.join(dir, 'runs.log'), 'utf8').trim().split('\n').sort();
    assert.deepEqual(runs, ['c1', 'c2', 'c3', 'c4'], 'each file ran once');
    assert.deepEqual([a.code, b.code, a.pass + b.pass], [0, 0, 4]);
    assert.match(readFileSync(path.join(dir, a.pass < 4 ? 'a.log' : 'b.log'), 'utf8'), /run by the other lane/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
