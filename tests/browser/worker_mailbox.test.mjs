// js-api/worker_mailbox.js with a real Worker in Chromium (one that records what it receives): messages
// posted before `init` reach the worker only after it, in the order they were posted, with their transfers
// (the page's buffer is detached when the message leaves, not when it is posted); after `init` they go
// straight through; a second `init` is refused. LivePusher and LivePlayer send everything through one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from './lib/browser.mjs';
import { startStaticServer } from './lib/static_server.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>worker mailbox</title>
<script type="module">
import { WorkerMailbox } from '/js-api/worker_mailbox.js';
import { ToPlayerWorker } from '/worker/player_messages.js';
window.WorkerMailbox = WorkerMailbox;
window.ToPlayerWorker = ToPlayerWorker;
window.lwReady = true;
</script>`;

let browser;
let srv;
let page;
before(async () => {
  srv = await startStaticServer({ pages: { '/mailbox.html': PAGE } });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(srv.url('/mailbox.html'));
  await page.waitForFunction(() => window.lwReady === true);
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

test('messages wait for init and follow it in order, transfers included; afterwards they go straight through', async () => {
  const r = await page.evaluate(async () => {
    // The worker answers 'dump' with every message it received: type and, for buffers, their length.
    const source = `const got = [];
      onmessage = (e) => {
        if (e.data.type === 'dump') { postMessage(got); return; }
        got.push(e.data.type + (e.data.bytes ? ':' + e.data.bytes.byteLength : ''));
      };`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const dump = () => new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.postMessage({ type: 'dump' });
    });
    const box = new WorkerMailbox(worker);
    const bytes = new ArrayBuffer(16);
    box.post({ type: 'set' });
    box.post({ type: 'buffer', bytes }, [bytes]);
    box.post({ type: 'hidden' });
    const beforeOpen = { opened: box.opened, received: await dump(), bufferStillHere: bytes.byteLength };
    box.open({ type: 'init' });
    box.post({ type: 'play' });
    const afterOpen = { opened: box.opened, received: await dump(), bufferStillHere: bytes.byteLength };
    let second = null;
    try {
      box.open({ type: 'init' });
    } catch (err) {
      second = err.message;
    }
    worker.terminate();
    return { beforeOpen, afterOpen, second };
  });
  assert.deepEqual(r.beforeOpen, { opened: false, received: [], bufferStillHere: 16 }, 'nothing reaches the worker before init');
  assert.deepEqual(r.afterOpen, { opened: true, received: ['init', 'set', 'buffer:16', 'hidden', 'play'], bufferStillHere: 0 },
    'init first, then the held messages in order (the buffer transferred), then the later one');
  assert.match(r.second ?? '', /init already/, 'a second init is refused');
});

// With the checks on (the test pages' LIVEWASM_CHECK_MESSAGES: worker/message_contract.js), a message that
// does not match the player's declarations is refused where it is posted, before it is held or sent, and
// init tells the worker to check too; off, the same message goes through unchecked.
test('with checks on, the mailbox refuses a message that does not match its declaration and init says checkMessages', async () => {
  const r = await page.evaluate(async () => {
    const source = `const got = [];
      onmessage = (e) => {
        if (e.data.type === 'dump') { postMessage(got); return; }
        got.push(e.data.type + (e.data.checkMessages ? '+check' : ''));
      };`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const dump = () => new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.postMessage({ type: 'dump' });
    });
    const refused = (fn) => { try { fn(); return null; } catch (err) { return err.message; } };
    const init = { type: 'init', wasmBase: '/dist/wasm/', attrs: {}, audio: { sampleRate: 48000, channels: 2, running: false }, decoders: {}, renderer: 'auto', videoTrack: false };
    const unchecked = new WorkerMailbox(worker, window.ToPlayerWorker);
    const off = refused(() => unchecked.post({ type: 'plays' }));
    window.LIVEWASM_CHECK_MESSAGES = true;
    try {
      const box = new WorkerMailbox(worker, window.ToPlayerWorker);
      const out = {
        off,
        undeclared: refused(() => box.post({ type: 'plays', url: 'x', gateway: '' })),
        missing: refused(() => box.post({ type: 'play', url: 'x' })),
        unknown: refused(() => box.post({ type: 'hidden', hidden: true, muted: true })),
        good: refused(() => box.post({ type: 'play', url: 'x', gateway: '' })),
        badInit: refused(() => box.open({ type: 'init' })),
      };
      box.waiting = [];
      box.open(init);
      out.received = await dump();
      return out;
    } finally {
      delete window.LIVEWASM_CHECK_MESSAGES;
      worker.terminate();
    }
  });
  assert.equal(r.off, null, 'checks off: nothing is refused');
  assert.match(r.undeclared ?? '', /undeclared type "plays"/);
  assert.match(r.missing ?? '', /'play' lacks its field 'gateway'/);
  assert.match(r.unknown ?? '', /'hidden' has an undeclared field 'muted'/);
  assert.equal(r.good, null, 'a declared message goes');
  assert.match(r.badInit ?? '', /'init' lacks its field 'wasmBase'/);
  assert.deepEqual(r.received, ['init+check'], 'init carries checkMessages; nothing refused reached the worker');
});
