// Prepended (--extern-pre-js) to the ES-module glue of Debian's Emscripten 3.1.6 so that Node loads it
// with a plain `import` and no flags. That glue's Node branch calls require() and reads __dirname,
// which ES modules do not have, and hands the wasm's file: URL to path.normalize(), which cannot read
// it. Later Emscripten releases do the same thing themselves. In browsers and workers this block does
// nothing (the import('module') is never reached there).
var require, __dirname;
if (typeof process == 'object' && typeof process.versions == 'object' &&
    typeof process.versions.node == 'string') {
  const { createRequire } = await import('module');
  const nodeRequire = createRequire(import.meta.url);
  const path = nodeRequire('path');
  const url = nodeRequire('url');
  const nodePath = {
    ...path,
    normalize: (p) => (p.startsWith('file:') ? url.fileURLToPath(p) : path.normalize(p)),
  };
  require = (id) => (id === 'path' ? nodePath : nodeRequire(id));
  __dirname = path.dirname(url.fileURLToPath(import.meta.url));
}
