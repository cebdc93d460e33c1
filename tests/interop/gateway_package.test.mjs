// The operator's package: scripts/package-gateway.sh builds the .deb (dpkg-deb) from the gateway in
// BUILD_DIR; it is installed with dpkg into a scratch root (its own dpkg database: nothing on this
// machine changes), and the installed binary is run with the installed config file and the unit's
// open-file limit, serving a player from a real nginx-rtmp. systemd is not PID 1 here, so the unit
// is checked offline: `systemd-analyze verify` (every key known, the command executable) and
// `systemd-analyze security` (the hardening it applies).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNginxRtmp } from './lib/nginx.mjs';
import { BUILD_DIR, ROOT, run } from './lib/tools.mjs';
import { startGateway, openStream, publishLive, waitPublished, assertClose } from './lib/gateway.mjs';

const PKG = 'livewasm-gateway';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lw-gateway-package-'));
const scratch = path.join(tmp, 'root');
let deb;
let nginx;
let publisher;
const cleanup = [];

const sh = async (cmd, args, what) => {
  const r = await run(cmd, args, { timeoutMs: 120000 });
  assert.equal(r.code, 0, `${what ?? cmd}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};

before(async () => {
  const r = await sh(path.join(ROOT, 'scripts/package-gateway.sh'), ['--build-dir', BUILD_DIR, '--out', tmp], 'package-gateway.sh');
  deb = r.stdout.trim().split('\n').at(-1);
  // An empty dpkg database in the scratch root.
  mkdirSync(path.join(scratch, 'var/lib/dpkg/info'), { recursive: true });
  mkdirSync(path.join(scratch, 'var/lib/dpkg/updates'), { recursive: true });
  writeFileSync(path.join(scratch, 'var/lib/dpkg/status'), '');
});

after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await publisher?.stop();
  await nginx?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('the .deb: control fields, dependencies this machine satisfies, the config as a conffile, dpkg -i into a scratch root', async () => {
  assert.match(path.basename(deb), /^livewasm-gateway_\d+\.\d+\.\d+_[a-z0-9]+\.deb$/, `package file name ${deb}`);
  const field = async (f) => (await sh('dpkg-deb', ['-f', deb, f])).stdout.trim();
  assert.equal(await field('Package'), PKG);
  assert.equal(await field('Architecture'), (await sh('dpkg', ['--print-architecture'])).stdout.trim());
  const depends = await field('Depends');
  assert.match(depends, /libc6/, `Depends from dpkg-shlibdeps: ${depends}`);
  assert.match(depends, /libssl3/, `the gateway links OpenSSL: ${depends}`);
  // Every dependency is installed here at a version the package accepts (what `dpkg -i` on this
  // machine would check).
  for (const dep of depends.split(',').map((d) => d.trim())) {
    const m = /^([\w.+-]+)(?::\w+)?(?: \((>=|<=|>>|<<|=) ([^)]+)\))?$/.exec(dep);
    assert.ok(m, `a plain dependency: ${dep}`);
    const have = await run('dpkg-query', ['-W', '-f=${Version}', m[1]]);
    assert.equal(have.code, 0, `${m[1]} is installed (${dep})`);
    if (m[2]) {
      const op = { '>=': 'ge', '<=': 'le', '>>': 'gt', '<<': 'lt', '=': 'eq' }[m[2]];
      const ok = await run('dpkg', ['--compare-versions', have.stdout.trim(), op, m[3]]);
      assert.equal(ok.code, 0, `${m[1]} ${have.stdout.trim()} satisfies ${dep}`);
    }
  }
  const info = (await sh('dpkg-deb', ['-I', deb, 'conffiles'])).stdout;
  assert.match(info, /^\/etc\/livewasm-gateway\/gateway\.conf$/m, 'the config file is a conffile (kept over upgrades)');

  await sh('dpkg', ['--root', scratch, '--force-depends', '--force-not-root', '--log=/dev/null', '-i', deb], 'dpkg -i');
  const status = (await sh('dpkg', ['--root', scratch, '-s', PKG])).stdout;
  assert.match(status, /^Status: install ok installed$/m, `dpkg says installed:\n${status}`);
  const bin = path.join(scratch, 'usr/bin', PKG);
  assert.ok(statSync(bin).mode & 0o111, `${bin} is executable`);
  for (const f of ['etc/livewasm-gateway/gateway.conf', 'lib/systemd/system/livewasm-gateway.service',
    'usr/share/doc/livewasm-gateway/README.md', 'usr/share/doc/livewasm-gateway/copyright']) {
    assert.ok(existsSync(path.join(scratch, f)), `installed: /${f}`);
  }
  const help = await run(bin, ['--help']);
  assert.match(help.stdout + help.stderr, /--config FILE/, 'the installed binary runs (--help)');
});

// The unit as installed, with its two absolute paths pointed into the scratch root.
function unitText() {
  return readFileSync(path.join(scratch, 'lib/systemd/system/livewasm-gateway.service'), 'utf8');
}

test('the systemd unit: systemd-analyze verify knows every key; the hardening systemd-analyze security rates', async (t) => {
  const unit = unitText();
  const exec = /^ExecStart=(\S+) --config (\S+)$/m.exec(unit);
  assert.ok(exec, 'ExecStart runs the binary with --config');
  assert.equal(exec[1], `/usr/bin/${PKG}`, 'ExecStart is the packaged binary');
  assert.ok(existsSync(path.join(scratch, exec[2])), `the unit's config file is in the package: ${exec[2]}`);
  const want = ['NoNewPrivileges=yes', 'PrivateTmp=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'DynamicUser=yes',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX', 'CapabilityBoundingSet=', 'MemoryDenyWriteExecute=yes'];
  for (const line of want) assert.match(unit, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), `the unit sets ${line}`);
  assert.match(unit, /^LimitNOFILE=\d+$/m, 'the unit sets LimitNOFILE');

  if ((await run('sh', ['-c', 'command -v systemd-analyze'])).code !== 0) {
    t.skip('systemd-analyze not installed');
    return;
  }
  const dir = path.join(tmp, 'unit');
  mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, `${PKG}.service`);
  writeFileSync(copy, unit.replace(`/usr/bin/${PKG}`, path.join(scratch, 'usr/bin', PKG))
    .replace('/etc/livewasm-gateway/', path.join(scratch, 'etc/livewasm-gateway/')));
  const v = await run('systemd-analyze', ['verify', copy]);
  assert.equal(v.code, 0, `systemd-analyze verify: ${v.stderr}`);
  assert.equal(v.stderr.trim(), '', `systemd-analyze verify says nothing (an unknown key would be named): ${v.stderr}`);

  const s = await run('systemd-analyze', ['security', '--offline=true', `--root=${scratch}`, `${PKG}.service`]);
  const m = /Overall exposure level for livewasm-gateway\.service: ([\d.]+) (\w+)/.exec(s.stdout + s.stderr);
  assert.ok(m, `systemd-analyze security rated the unit: ${s.stdout.slice(-400)} ${s.stderr}`);
  console.log(`# systemd-analyze security: exposure ${m[1]} ${m[2]}`);
  assert.ok(Number(m[1]) <= 2.0, `exposure ${m[1]} ${m[2]} (0 = locked down, 10 = none): at most 2.0`);
});

test('the installed binary with the installed config and the unit\'s LimitNOFILE serves a player; config values apply; SIGTERM exits 0', async () => {
  nginx = await startNginxRtmp();
  publisher = publishLive(nginx.url('pkg'));
  await waitPublished(nginx, 'pkg', 15000);
  const bin = path.join(scratch, 'usr/bin', PKG);
  const conf = path.join(scratch, 'etc/livewasm-gateway/gateway.conf');
  const limit = Number(/^LimitNOFILE=(\d+)$/m.exec(unitText())[1]);
  // The unit's open-file limit, as systemd would set it; a container may cap the hard limit below it
  // (raising it needs CAP_SYS_RESOURCE), and then the gateway must say it lowered max-connections.
  const hard = Number((await sh('sh', ['-c', 'ulimit -Hn'])).stdout.trim()) || limit;
  const nofile = Math.min(limit, hard);
  const wrap = ['prlimit', `--nofile=${nofile}:${nofile}`, '--'];
  // The config listens on 0.0.0.0:8090 and allows 127.0.0.1:1935; here: a free loopback port and
  // this test's nginx (flags after --config override it; allow-upstream adds to it).
  const gw = await startGateway({ binary: bin, config: conf, wrap, upstreams: [`127.0.0.1:${nginx.port}`] });
  cleanup.push(() => gw.stop());
  const listening = gw.events('listening')[0];
  assert.match(listening.allow_upstream, /127\.0\.0\.1:1935/, `the config's allow-upstream applies: ${listening.allow_upstream}`);
  const cores = Number((await sh('nproc', [])).stdout.trim());
  assert.equal(listening.threads, cores, 'the config leaves threads at its default: one per core');
  // Two descriptors per stream, 64 reserved, up to 256 for the HTTP phase (gateway/README.md).
  if (nofile >= 2 * 10000 + 64 + 256) {
    assert.equal(listening.max_connections, 10000, `with LimitNOFILE=${nofile}, the config's max-connections 10000 fits`);
    assert.deepEqual(gw.events('max-connections-lowered'), [], 'not lowered');
  } else {
    console.log(`# open-file limit here ${nofile} (the unit asks ${limit}): max-connections ${listening.max_connections}`);
    assert.ok(listening.max_connections < 10000 && listening.max_connections * 2 + 64 <= nofile,
      `max-connections ${listening.max_connections} fits ${nofile} descriptors`);
    assert.equal(gw.events('max-connections-lowered').length, 1, 'the gateway says it lowered max-connections');
  }
  // The config allows only http://localhost:* pages: the default's http://127.0.0.1:* is refused.
  const refused = openStream(gw, 'play', nginx.url('pkg'), { origin: 'http://127.0.0.1:8080' });
  assertClose(await refused.waitClose(), 4403, null, 'a page origin the config does not allow');
  const c = openStream(gw, 'play', nginx.url('pkg'), { origin: 'http://localhost:8080' });
  await c.waitStatus(2002, 10000);
  await c.waitFor(() => c.flv.media('video').length >= 25 && c.flv.media('audio').length >= 10,
    { timeoutMs: 15000, what: 'media through the installed gateway' });
  assert.deepEqual(c.flv.errors, []);
  const exit = await gw.stop();
  assert.equal(exit.code, 0, `SIGTERM drains and exits 0 (${JSON.stringify(exit)})`);
  assertClose(await c.waitClose(), 1001, null, 'the player on drain');
});
