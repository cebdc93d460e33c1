// E-RTMP v2 ReconnectRequest end to end (issue 19): a <live-player> plays rtmp:// through the gateway
// from lw-rtmp-reconnect-server (a live relay made of our core, tests/gateway/rtmp_reconnect_server.cc,
// listening on two ports; ffmpeg publishes the barcode stream to it). The server sends
// NetConnection.Connect.ReconnectRequest with tcUrl = its other port: the gateway connects there on the
// same WebSocket, the page raises 2103 then 2001/2002 again, and the frame numbers shown keep going
// forward (never backwards, the gap no longer than a GOP). Then a ReconnectRequest to a host that is not
// on --allow-upstream: the gateway closes with 4404 and its reason reaches the page.
// And a <live-pusher> (fake camera) publishing through the gateway to the relay: the relay asks the
// publisher to reconnect to its other port; the page raises 1102 then 1001/1002 again, the new server
// gets the sequence headers first, and ffmpeg reading the stream there sees the camera's frame numbers
// in order from a key frame.
// node-media-server v4 (4.4.3, npm) sends no ReconnectRequest (its sources name none), and no Debian
// RTMP server does: our relay is the only server here that sends it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { startPlayerEnv, playerMissing, sleep, until } from './lib/player_env.mjs';
import { startPushEnv, pusherMissing } from './lib/pusher_env.mjs';
import { analyzeMedia, recordLive, sequenceReport } from './lib/stream_reader.mjs';
import { publishBarcode } from './lib/publishers.mjs';
import { orderReport } from './lib/picture_probe.mjs';
import { startGateway } from '../interop/lib/gateway.mjs';
import { freePort } from '../interop/lib/nginx.mjs';
import { BUILD_DIR, ROOT } from '../interop/lib/tools.mjs';

const SERVER = path.join(BUILD_DIR, 'gateway/lw-rtmp-reconnect-server');
const missing = playerMissing() ?? (existsSync(SERVER) ? null : `${path.relative(ROOT, SERVER)} is not built (scripts/build.sh native)`);

async function startRelay(ports) {
  const proc = spawn(SERVER, ports.map(String), { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  readline.createInterface({ input: proc.stdout }).on('line', (l) => lines.push(l));
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => proc.once('exit', r));
  await until(() => ports.every((p) => lines.includes(`listening ${p}`)), { timeoutMs: 5000, what: `relay listening: ${stderr}` });
  return {
    lines,
    send: (cmd) => proc.stdin.write(`${cmd}\n`),
    wait: (re, what, timeoutMs = 10000) => until(() => lines.find((l) => re.test(l)), { timeoutMs, what: `${what}; relay said ${JSON.stringify(lines.slice(-10))}` }),
    async stop() {
      proc.stdin.end();
      const t = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
    },
  };
}

describe('ReconnectRequest through the gateway', { skip: missing ?? false }, () => {
  let env, relay, gw, pub, portA, portB;
  before(async () => {
    portA = await freePort();
    portB = await freePort();
    relay = await startRelay([portA, portB]);
    gw = await startGateway({ upstreams: [`127.0.0.1:${portA}`, `127.0.0.1:${portB}`] });
    env = await startPlayerEnv({ nginx: false, nms: false, gateway: false });
    await env.configure({ gateway: `ws://127.0.0.1:${gw.port}` });
    pub = await publishBarcode(`rtmp://127.0.0.1:${portA}/live/rr`, { audio: false, label: 'publish barcode to the relay' });
    await relay.wait(/^publish \d+ rr port=\d+$/, 'ffmpeg publishing');
  });
  after(async () => {
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-30).join('\n')}`);
    await pub?.stop();
    await env?.close();
    await gw?.stop({ signal: 'SIGKILL' });
    await relay?.stop();
  });

  test('the player keeps playing across the switch, sees 2103 then 2001/2002, frames go on in order', async () => {
    const p = await env.addPlayer({ src: `rtmp://127.0.0.1:${portA}/live/rr?token=t1`, autoplay: true, mode: 'RTC' });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      const play = await relay.wait(new RegExp(`^play \\d+ rr port=${portA}$`), 'the gateway plays rr');
      const connect = relay.lines.find((l) => l.startsWith(`connect ${play.split(' ')[1]} `));
      assert.match(connect, /capsEx=1$/, 'the gateway announces CapsExMask.Reconnect in connect');
      const pic = await p.watchPicture();
      await sleep(2000);
      const tSwitch = await p.now();
      relay.send(`reconnect rtmp://127.0.0.1:${portB}/live`);
      await relay.wait(new RegExp(`^play \\d+ rr port=${portB}$`), 'the gateway plays rr on the other port');
      const r2103 = await p.waitCode(2103, { timeoutMs: 10000, after: tSwitch });
      const r2002 = await p.waitCode(2002, { timeoutMs: 10000, after: r2103.t });
      await sleep(3000);
      const picture = await p.read(pic);
      const order = orderReport(picture.frames);
      const codes = await p.codes();
      const before = picture.frames.filter((f) => f.t < tSwitch);
      const afterSwitch = picture.frames.filter((f) => f.t > r2002.t + 500);
      const jump = order.gaps.filter((g) => g.t > tSwitch).reduce((m, g) => Math.max(m, g.missing), 0);
      console.log(`codes ${JSON.stringify(codes)}; frames ${order.count} (${order.first}..${order.last}), ${before.length} before the request, ` +
        `${afterSwitch.length} from 0.5 s after the new 2002; largest gap after the request ${jump}; backwards ${JSON.stringify(order.backwards)}`);
      console.log(`gateway: ${JSON.stringify(gw.events('reconnect'))}`);
      const after2103 = codes.slice(codes.lastIndexOf(2103));
      assert.ok(after2103.indexOf(2001) > 0 && after2103.indexOf(2002) > after2103.indexOf(2001), `2103, then 2001 and 2002: ${JSON.stringify(codes)}`);
      assert.deepEqual(codes.filter((c) => c < 0 || c === 2006 || (c >= 3001 && c <= 3005)), [], 'no failure code');
      assert.deepEqual(order.backwards, [], 'frame numbers never go backwards');
      assert.ok(before.length >= 20, `frames shown before the request: ${before.length}`);
      assert.ok(afterSwitch.length >= 30, `frames shown after the switch: ${afterSwitch.length}`);
      assert.ok(afterSwitch[0].n > before.at(-1).n, 'the numbers after the switch follow the ones before');
      assert.ok(jump <= 50, `the switch costs at most two GOPs of frames: ${jump}`);
      assert.equal(gw.events('reconnect').length, 1, 'the gateway logged one switch');
      assert.match(gw.events('reconnect')[0].to, new RegExp(`127\\.0\\.0\\.1:${portB}/live$`));
      assert.equal(await gw.metric('lw_gateway_upstream_reconnects_total'), 1, 'counted in /metrics');
    } finally {
      await p.remove();
    }
  });

  test('a ReconnectRequest to a server off the allowlist closes with 4404 and says why', async () => {
    const p = await env.addPlayer({ src: `rtmp://127.0.0.1:${portA}/live/rr`, autoplay: true, mode: 'RTC' });
    try {
      await p.waitCode(2004, { timeoutMs: 20000 });
      const switches = gw.events('reconnect').length;
      const t = await p.now();
      relay.send(`reconnect rtmp://localhost:${portB}/live`);  // names are allowed by name: 'localhost' is not listed
      const fatal = await p.waitEvent((e) => e.type === 'statechange' && e.t > t && (e.detail.code === -2301 || e.detail.code === 2103) &&
        /not allowed/.test(e.detail.message ?? ''), { timeoutMs: 10000, what: 'the 4404 reason on the page' });
      console.log(`page: ${JSON.stringify(fatal.detail)}`);
      const close = await until(() => gw.events('close').find((l) => l.code === 4404), { timeoutMs: 5000, what: 'the gateway closed with 4404' });
      assert.match(close.reason, /ReconnectRequest to localhost:\d+ refused/);
      assert.equal(gw.events('reconnect').length, switches, 'no switch to it');
    } finally {
      await p.remove();
    }
  });
});

describe('ReconnectRequest to a pusher through the gateway', { skip: missing ?? pusherMissing() ?? false }, () => {
  let env, relay, portA, portB, dir;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lw-reconnect-request-'));
    portA = await freePort();
    portB = await freePort();
    relay = await startRelay([portA, portB]);
    env = await startPushEnv({ gatewayArgs: ['--allow-upstream', `127.0.0.1:${portA}`, '--allow-upstream', `127.0.0.1:${portB}`] });
  });
  after(async () => {
    if (env) console.log(`browser log (last lines):\n${env.browser.logText().split('\n').slice(-30).join('\n')}`);
    await env?.close();
    await relay?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the pusher moves to the new server: 1102, then 1001/1002, sequence headers first, frames in order', async () => {
    const p = await env.addPusher({ url: `rtmp://127.0.0.1:${portA}/live/pp`, mode: 'RTC', 'min-bitrate': 300, 'max-bitrate': 600 });
    try {
      await p.waitCode(1002);
      await relay.wait(new RegExp(`^publish \\d+ pp port=${portA}$`), 'the gateway publishes on the first port');
      await sleep(1500);
      relay.send(`reconnect-publishers rtmp://127.0.0.1:${portB}/live`);
      const pub = await relay.wait(new RegExp(`^publish \\d+ pp port=${portB}$`), 'the gateway publishes pp on the other port', 15000);
      const id = pub.split(' ')[1];
      const first = await relay.wait(new RegExp(`^first-video ${id} `), 'video on the new connection');
      await until(async () => (await p.codes()).filter((c) => c === 1002).length >= 2, { timeoutMs: 10000, what: 'a second 1002' });
      const codes = await p.codes();
      console.log(`pusher codes ${JSON.stringify(codes)}; relay: ${first}; gateway: ${JSON.stringify(env.gw.events('reconnect'))}`);
      const at = codes.indexOf(1102);
      assert.ok(at > 0, `1102 for the server's request: ${JSON.stringify(codes)}`);
      assert.deepEqual(codes.slice(at).filter((c) => c === 1001 || c === 1002), [1001, 1002], 'connected and publishing again after it');
      assert.deepEqual(codes.filter((c) => c < 0 || (c >= 3001 && c <= 3005)), [], 'no failure code');
      assert.equal(first, `first-video ${id} config`, 'the new server gets the sequence header first');
      assert.equal(env.gw.events('reconnect').length, 1);

      const file = path.join(dir, 'pp.flv');
      await recordLive(`rtmp://127.0.0.1:${portB}/live/pp`, file, { seconds: 3 }).done;
      const media = await analyzeMedia(file, { srcWidth: env.cam.width, srcHeight: env.cam.height });
      const seq = sequenceReport(media.video.frames, env.cam.frames);
      console.log(`on the new server: ${media.video.frames.length} frames, ${JSON.stringify({ read: seq.read, maxGap: seq.maxGap, backwards: seq.backwards.length })}`);
      assert.ok(media.video.frames.length >= 3 * 15, `the stream goes on: ${media.video.frames.length} frames in 3 s`);
      assert.deepEqual(seq.backwards, [], 'camera frame numbers in order');
      assert.ok(media.video.keyframes.length > 0 && media.video.keyframes[0] <= media.video.frames[0].pts + 0.001, 'a key frame first');
    } finally {
      await p.remove();
    }
  });
});
