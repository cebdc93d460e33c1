// Debian's nginx as a plain TCP balancer (the `stream {}` module, package libnginx-mod-stream) in front
// of several gateways: its own config, pid and log in a fresh folder, a free loopback port, round-robin
// over the backends; a backend that refuses the connection is passed over (proxy_next_upstream, on by
// default) and left out for fail_timeout. It knows nothing about WebSocket or HTTP: what an operator
// puts in front of gateways on several machines (or any L4 balancer: HAProxy in tcp mode, a cloud NLB).
//
//   const lb = await startTcpBalancer([gwA.port, gwB.port]);   // {port, wsUrl(p), httpUrl(p), stop()}
//   openStream(lb, 'play', nginx.url('a'));                    // lb stands in for a gateway in openStream
//   await lb.stop();
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './nginx.mjs';

export const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

export function balancerConfig({ dir, port, backends, failTimeout = '10s' }) {
  return `load_module ${STREAM_MODULE};
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 1024; }
stream {
  upstream gateways {
${backends.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=${failTimeout};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    proxy_pass gateways;
    proxy_connect_timeout 2s;
    proxy_timeout 1h;
  }
}
`;
}

export async function startTcpBalancer(backends, { port, dir } = {}) {
  if (!existsSync(STREAM_MODULE)) throw new Error(`${STREAM_MODULE} missing: apt-get install libnginx-mod-stream (scripts/setup.sh)`);
  dir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'lw-balancer-'));
  port = port ?? (await freePort());
  writeFileSync(path.join(dir, 'nginx.conf'), balancerConfig({ dir, port, backends }));
  const proc = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const early = exited.then((r) => { throw new Error(`balancer nginx exited (${JSON.stringify(r)}): ${stderr}`); });
  await Promise.race([waitForPort(port), early]);
  early.catch(() => {});
  let stopped = false;
  return {
    port,
    dir,
    pid: proc.pid,
    wsUrl: (p) => `ws://127.0.0.1:${port}${p}`,
    httpUrl: (p) => `http://127.0.0.1:${port}${p}`,
    errorLog: () => { try { return readFileSync(path.join(dir, 'error.log'), 'utf8'); } catch { return ''; } },
    async stop() {
      if (stopped) return;
      stopped = true;
      const group = (signal) => { try { process.kill(-proc.pid, signal); } catch {} };
      proc.kill('SIGQUIT');
      const timer = setTimeout(() => group('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      group('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
