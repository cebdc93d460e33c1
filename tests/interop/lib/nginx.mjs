// A private nginx with the RTMP module (Debian libnginx-mod-rtmp) on loopback, for tests and the demo
// command: config, pid and temp paths in a fresh folder, free ports, stopped with SIGQUIT and awaited
// (a script's child answers `kill -0` for a while after exiting, so we wait on the process itself).
//
//   const server = await startNginxRtmp();          // {port, httpPort, dir, url(name), stat(), stop()}
//   ... rtmp://127.0.0.1:${server.port}/live/NAME ...
//   await server.stop();
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { httpGet } from './tools.mjs';

export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port, timeoutMs = 10000, host = '127.0.0.1') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const c = net.connect({ port, host });
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function config(dir, port, httpPort, chunkSize, workerConnections) {
  const t = (n) => path.join(dir, 'tmp', n);
  return `load_module ${RTMP_MODULE};
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections ${workerConnections}; }
rtmp {
  server {
    listen 127.0.0.1:${port};
    chunk_size ${chunkSize};
    application live { live on; record off; }
  }
}
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${t('body')}; proxy_temp_path ${t('proxy')}; fastcgi_temp_path ${t('fastcgi')};
  uwsgi_temp_path ${t('uwsgi')}; scgi_temp_path ${t('scgi')};
  server { listen 127.0.0.1:${httpPort}; location /stat { rtmp_stat all; } }
}
`;
}

function errorTail(dir) {
  try {
    return readFileSync(path.join(dir, 'error.log'), 'utf8').trim().split('\n').slice(-4).join('\n');
  } catch {
    return '(none)';
  }
}

// Ports it chose itself that someone else took between freePort() and nginx's bind (another test tier
// runs beside this one): once more on fresh ports.
export async function startNginxRtmp(options = {}) {
  try {
    return await startOnce(options);
  } catch (e) {
    if (options.port || options.httpPort || options.dir || !/bind\(\) to \S+ failed/.test(e.message)) throw e;
    console.log(`nginx: its ports were taken (${e.message.split('\n')[0]}); starting again on fresh ports`);
    return startOnce(options);
  }
}

async function startOnce({ port, httpPort, chunkSize = 4096, dir, workerConnections = 256 } = {}) {
  const ownDir = !dir;
  dir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'lw-nginx-'));
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  port = port ?? (await freePort());
  httpPort = httpPort ?? (await freePort());
  while (httpPort === port) httpPort = await freePort();  // measured: 2 of 20000 freePort() pairs gave one port twice
  writeFileSync(path.join(dir, 'nginx.conf'), config(dir, port, httpPort, chunkSize, workerConnections));
  // Its own process group (detached), so master and workers can be signalled together.
  const proc = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const early = exited.then((r) => { throw new Error(`nginx exited (${JSON.stringify(r)}): ${stderr}`); });
  // Connectable ports do not prove the start: when one bind fails (the port was taken since freePort),
  // nginx keeps its other socket listening and retries for 2.5 s before it exits, and a port someone
  // else listens on connects too (then ffmpeg's publish failed and no publisher was ever listed). /stat
  // answering is nginx's worker: every bind succeeded.
  let gone = false;
  exited.then(() => { gone = true; });
  const statAnswers = async () => {
    const deadline = Date.now() + 10000;
    while (!gone) {  // gone: `early` says why
      const body = await httpGet(`http://127.0.0.1:${httpPort}/stat`, { timeoutMs: 1000 }).then((r) => r.body, () => '');
      if (body.includes('<rtmp>')) return;
      if (Date.now() > deadline) throw new Error(`nginx's /stat on ${httpPort} did not answer in 10 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const started = Promise.all([waitForPort(port), waitForPort(httpPort)]).then(statAnswers);
  started.catch(() => {});  // after `early` won the race
  try {
    await Promise.race([started, early]);
  } catch (e) {
    try { process.kill(-proc.pid, 'SIGKILL'); } catch {}
    await exited;
    const why = `${e.message}; error.log: ${errorTail(dir)}`;
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw new Error(why);
  }
  early.catch(() => {});
  let stopped = false;
  return {
    port,
    httpPort,
    dir,
    pid: proc.pid,
    url: (name, app = 'live') => `rtmp://127.0.0.1:${port}/${app}/${name}`,
    errorLog: () => readFileSync(path.join(dir, 'error.log'), 'utf8'),
    // nginx-rtmp's XML statistics (streams, clients, codecs).
    stat: async () => (await httpGet(`http://127.0.0.1:${httpPort}/stat`)).body,
    // Graceful stop (SIGQUIT), or `{kill: true}` to take it down at once, as a crash would.
    async stop({ kill = false, keepDir = false } = {}) {
      if (stopped) return;
      stopped = true;
      const group = (signal) => { try { process.kill(-proc.pid, signal); } catch {} };
      // SIGKILL to the whole group at once: killing only the master lets the workers (which hold the
      // client sockets) live on, and killing a worker first makes the master respawn it.
      if (kill) group('SIGKILL');
      else proc.kill('SIGQUIT');
      const timer = setTimeout(() => group('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      group('SIGKILL');  // a worker still finishing a graceful shutdown must not outlive the test
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
