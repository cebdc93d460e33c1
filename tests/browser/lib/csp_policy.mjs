// The Content-Security-Policy of issue 21, word for word (README's "Content-Security-Policy" section):
// what a site behind `helmet` or a similar default sends. tests/engines/csp.test.mjs serves the player and
// pusher pages with it; tests/browser/demo.test.mjs the demo.
export const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
  "connect-src 'self' ws://127.0.0.1:*; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'";
