// A static file server on loopback for the browser tests: serves a root folder (the repo root by
// default) on 127.0.0.1 with a free port, the MIME types a page needs (ES modules and wasm must come
// with the right Content-Type or the browser refuses them), optional COOP/COEP headers for a
// cross-origin isolated page (SharedArrayBuffer), extra in-memory pages a test provides, and nothing
// outside the root (no `..`, no symlink escape).
//
//   const srv = await startStaticServer({ isolated: true, pages: { '/t.html': '<!doctype html>...' } });
//   await page.goto(srv.url('/t.html'));
//   srv.requests            // [{method, path, status}]
//   await srv.close();
// `inject` (HTML, e.g. a <script> tag) is put first in every HTML page served, just after its doctype:
// the page console keeper of page_console.mjs for engines whose driver gives no console.
// `compress` (opt-in, off by default): files of the root that compress (.wasm, .js, .mjs, .json, .html,
// .css) are sent with Content-Encoding br (Brotli quality 11, as a server sending files compressed
// ahead of time would) or gzip (level 6) when the request accepts it, br first; true for both, or a
// list such as ['gzip'] to offer only those. Each file is compressed once (kept while its size and
// mtime stay); requests record the encoding sent (`encoding`) and the bytes (`bytes`).
import http from 'node:http';
import { createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { ROOT } from '../../interop/lib/tools.mjs';

export const MIME = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.y4m': 'video/x-yuv4mpeg',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.flv': 'video/x-flv',
});

// `path` of a URL -> an absolute file path inside `root`, or null when it would leave the root.
export function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  // A symlink inside the root must not lead outside it.
  let real;
  try {
    real = realpathSync(file);
  } catch {
    return file;  // missing: the caller answers 404
  }
  if (real !== root && !real.startsWith(root + path.sep)) return null;
  return real;
}

// The page with `inject` first (after a leading doctype, so the page keeps its standards mode).
export function injectFirst(html, inject) {
  const m = /^\s*<!doctype[^>]*>/i.exec(html);
  return m ? m[0] + inject + html.slice(m[0].length) : inject + html;
}

const COMPRESSIBLE = new Set(['.wasm', '.js', '.mjs', '.json', '.html', '.css']);
const ENCODERS = {
  br: (data) => brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  gzip: (data) => gzipSync(data, { level: 6 }),
};

// The encoding to send: the first of `offered` that the Accept-Encoding header accepts (q > 0), or null.
export function chooseEncoding(acceptEncoding, offered) {
  const accepted = new Map();
  for (const part of String(acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  return offered.find((e) => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0) ?? null;
}

export async function startStaticServer({ root = ROOT, isolated = false, pages = {}, headers = {}, port: listenPort = 0, inject = null, compress = false } = {}) {
  root = realpathSync(path.resolve(root));
  const requests = [];
  const offered = compress === true ? ['br', 'gzip'] : Array.isArray(compress) ? compress.filter((e) => e in ENCODERS) : [];
  const compressed = new Map();  // `${encoding} ${file}` -> {size, mtimeMs, body}
  const compressedBody = (file, st, encoding) => {
    const key = `${encoding} ${file}`;
    const hit = compressed.get(key);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.body;
    const body = ENCODERS[encoding](readFileSync(file));
    compressed.set(key, { size: st.size, mtimeMs: st.mtimeMs, body });
    return body;
  };
  const extra = new Map(Object.entries(pages));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const record = (status) => requests.push({ method: req.method, path: url.pathname, status });
    const common = { 'Cache-Control': 'no-store', ...headers };
    if (isolated) {
      common['Cross-Origin-Opener-Policy'] = 'same-origin';
      common['Cross-Origin-Embedder-Policy'] = 'require-corp';
      common['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    const fail = (status, text) => {
      record(status);
      res.writeHead(status, { ...common, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text + '\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
    if (url.pathname === '/favicon.ico' && !extra.has(url.pathname)) {  // keeps 404s out of the console log
      record(204);
      res.writeHead(204, common);
      return res.end();
    }
    if (extra.has(url.pathname)) {
      const type = MIME[path.extname(url.pathname).toLowerCase()] ?? 'text/html; charset=utf-8';
      const text = extra.get(url.pathname);
      const body = Buffer.from(inject && type.startsWith('text/html') ? injectFirst(String(text), inject) : text);
      record(200);
      res.writeHead(200, { ...common, 'Content-Type': type, 'Content-Length': body.length });
      return res.end(req.method === 'HEAD' ? undefined : body);
    }
    const file = resolveInside(root, url.pathname);
    if (!file) return fail(403, 'outside the served folder');
    let st;
    try {
      st = statSync(file);
    } catch {
      return fail(404, `not found: ${url.pathname}`);
    }
    if (!st.isFile()) return fail(404, `not a file: ${url.pathname}`);
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    if (inject && type.startsWith('text/html')) {
      const body = Buffer.from(injectFirst(readFileSync(file, 'utf8'), inject));
      record(200);
      res.writeHead(200, { ...common, 'Content-Type': type, 'Content-Length': body.length });
      return res.end(req.method === 'HEAD' ? undefined : body);
    }
    const encoding = offered.length && COMPRESSIBLE.has(path.extname(file).toLowerCase()) ? chooseEncoding(req.headers['accept-encoding'], offered) : null;
    if (encoding) {
      const body = compressedBody(file, st, encoding);
      requests.push({ method: req.method, path: url.pathname, status: 200, encoding, bytes: body.length });
      res.writeHead(200, { ...common, 'Content-Type': type, 'Content-Encoding': encoding, Vary: 'Accept-Encoding', 'Content-Length': body.length });
      return res.end(req.method === 'HEAD' ? undefined : body);
    }
    record(200);
    res.writeHead(200, { ...common, 'Content-Type': type, 'Content-Length': st.size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  return {
    port,
    root,
    requests,
    origin: `http://127.0.0.1:${port}`,
    url: (p = '/') => `http://127.0.0.1:${port}${p.startsWith('/') ? p : '/' + p}`,
    // Adds or replaces an in-memory page (e.g. a test page built from the ports of this run).
    setPage: (p, body) => extra.set(p, body),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
