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
window.WorkerMailbox = WorkerMailbox;
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
