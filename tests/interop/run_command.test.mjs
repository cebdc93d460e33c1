// The main command (scripts/run.mjs, what scripts/run.sh runs after building) as a person uses it: on
// free ports (LW_RTMP_PORT, LW_STAT_PORT, LW_GATEWAY_PORT, LW_DEMO_PORT) it prints the demo's URL first,
// that URL serves the demo page, the gateway answers /healthz, nginx has the looping test stream; and
// Ctrl-C (SIGINT) stops every process it started and frees every port within a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './lib/nginx.mjs';
import { GATEWAY, httpGet, until } from './lib/gateway.mjs';
import { RTMP_TOOL, ROOT, probe, sleep } from './lib/tools.mjs';
import { alive, descendants } from './lib/processes.mjs';

const portFree = (port) => new Promise((resolve) => {
  const s = net.createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

test('run.mjs: prints the demo URL first, serves the demo, the gateway and the stream; Ctrl-C stops it all', { timeout: 120000 }, async () => {
  for (const f of [RTMP_TOOL, GATEWAY]) assert.ok(existsSync(f), `${path.relative(ROOT, f)} missing: run scripts/build.sh native`);
  const ports = { LW_RTMP_PORT: await freePort(), LW_STAT_PORT: await freePort(), LW_GATEWAY_PORT: await freePort(), LW_DEMO_PORT: await freePort() };
  const proc = spawn(process.execPath, [path.join(ROOT, 'scripts/run.mjs')], {
    cwd: ROOT,
    env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  let children = [];
  try {
    await until(() => /Press Ctrl-C/.test(out) || proc.exitCode !== null, { timeoutMs: 60000, what: 'run.mjs is up' });
    assert.equal(proc.exitCode, null, `run.mjs exited early:\n${out}\n${err}`);

    // The first URL printed is the demo, with push, play and gateway filled in.
    const first = /https?:\/\/\S+/.exec(out)[0];
    const demo = new URL(first);
    assert.equal(`${demo.host}${demo.pathname}`, `127.0.0.1:${ports.LW_DEMO_PORT}/demo/index.html`, out);
    const push = demo.searchParams.get('push');
    assert.equal(push, `rtmp://127.0.0.1:${ports.LW_RTMP_PORT}/live/pushed`);
    assert.equal(demo.searchParams.get('play'), push, 'the player plays what the pusher pushes');
    assert.equal(demo.searchParams.get('gateway'), `ws://127.0.0.1:${ports.LW_GATEWAY_PORT}`);

    const page = await httpGet(first);
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.match(page.body, /<live-pusher id="pusher"/);
    assert.match(page.body, /<script type="module" src="main.js">/);
    for (const part of ['/demo/main.js', '/demo/plots.js', '/js-api/index.js']) {
      assert.equal((await httpGet(`http://127.0.0.1:${ports.LW_DEMO_PORT}${part}`)).status, 200, part);
    }

    const health = await httpGet(`http://127.0.0.1:${ports.LW_GATEWAY_PORT}/healthz`);
    assert.equal(health.status, 200, `gateway /healthz: ${health.status} ${health.body}`);

    // nginx has the looping test stream, and serves it to a player.
    await until(async () => /<name>demo<\/name>[\s\S]*<publishing\/>/.test((await httpGet(`http://127.0.0.1:${ports.LW_STAT_PORT}/stat`)).body), { timeoutMs: 15000, what: 'nginx lists the test stream' });
    const streams = await probe(`rtmp://127.0.0.1:${ports.LW_RTMP_PORT}/live/demo`);
    assert.deepEqual(streams.map((s) => s.codec_type).sort(), ['audio', 'video'], JSON.stringify(streams));

    children = descendants(proc.pid);
    const names = children.map((c) => c.comm).join(' ');
    for (const name of ['nginx', 'livewasm-gatewa', 'lw-rtmp-tool']) assert.ok(names.includes(name), `child ${name} runs: ${names}`);
  } catch (e) {
    proc.kill('SIGKILL');
    for (const c of descendants(proc.pid)) try { process.kill(c.pid, 'SIGKILL'); } catch {}
    throw new Error(`${e.message}\nstdout:\n${out}\nstderr:\n${err}`);
  }

  // Ctrl-C: everything it started is gone and the ports are free within a few seconds.
  const t0 = Date.now();
  proc.kill('SIGINT');
  const result = await Promise.race([exited, sleep(10000).then(() => null)]);
  assert.ok(result, `run.mjs did not exit within 10 s of SIGINT\n${out}\n${err}`);
  assert.equal(result.code, 0, `exit ${JSON.stringify(result)}\n${err}`);
  await until(() => children.every((c) => !alive(c.pid)), { timeoutMs: 3000, what: 'every child gone' })
    .catch(() => assert.fail(`left running: ${JSON.stringify(children.filter((c) => alive(c.pid)))}`));
  for (const [name, port] of Object.entries(ports)) {
    await until(() => portFree(port), { timeoutMs: 3000, what: `${name} ${port} free` });
  }
  console.log(`stopped in ${Date.now() - t0} ms; children were ${children.map((c) => `${c.comm}(${c.pid})`).join(' ')}`);
  assert.match(out, /\[run\] stopped/);
});
