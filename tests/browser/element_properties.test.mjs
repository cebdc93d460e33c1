// The elements' declared properties (types/elements.d.ts) against the real custom elements in Chromium:
// the docs tier checks everything else of the API under Node, but an element needs a DOM to exist. Each
// instance property of LivePusherElement and LivePlayerElement must be present and hold what its type says
// (an instance of the named class, or null where the type allows it) before the element is connected,
// while it is, and after it leaves the document; `player`'s documented life (destroyed on leaving, a new
// one on connecting again) is checked as written. No media is started.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectApi } from '../../scripts/gen-api-docs.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { startStaticServer } from './lib/static_server.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>element properties</title>
<script type="module">
import * as lw from '/js-api/index.js';
window.lw = lw;
window.lwReady = true;
</script>`;

const api = collectApi();
const TAGS = Object.fromEntries(Object.entries(api.tagNames).map(([tag, cls]) => [cls, tag]));

let browser;
let srv;
let page;
before(async () => {
  srv = await startStaticServer({ pages: { '/props.html': PAGE } });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(srv.url('/props.html'));
  await page.waitForFunction(() => window.lwReady === true);
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

for (const element of api.elements) {
  const props = element.members.filter((m) => m.kind === 'property' && !m.static).map((m) => ({ name: m.name, type: m.type }));

  test(`<${TAGS[element.name]}> has every declared property, of its declared type, in and out of the document`, async () => {
    assert.ok(props.length >= 2, `declared properties of ${element.name}: ${JSON.stringify(props)}`);
    const seen = await page.evaluate(({ tag, cls, props }) => {
      // 'LivePlayer | null' -> the constructor of LivePlayer (an export of the package or a DOM class) and null allowed.
      const check = (el) => props.map(({ name, type }) => {
        const parts = type.split('|').map((s) => s.trim());
        const nullable = parts.includes('null');
        const ctorName = parts.find((p) => p !== 'null');
        const ctor = window.lw[ctorName] ?? window[ctorName];
        const value = el[name];
        const ok = name in el && (value === null ? nullable : typeof ctor === 'function' && value instanceof ctor);
        return { name, type, ok, got: value === null ? 'null' : value?.constructor?.name ?? typeof value, known: typeof ctor === 'function' };
      });
      const el = document.createElement(tag);
      const states = { isClass: el instanceof window.lw[cls], created: check(el) };
      const engines = [];
      const engine = () => ('player' in el ? el.player : el.pusher);
      engines.push(engine());
      document.body.append(el);
      states.connected = check(el);
      engines.push(engine());
      el.remove();
      states.removed = check(el);
      engines.push(engine());
      document.body.append(el);
      states.reconnected = check(el);
      engines.push(engine());
      el.remove();
      states.same = engines.map((e) => (e === null ? null : e === engines[0]));
      return states;
    }, { tag: TAGS[element.name], cls: element.name, props });
    console.log(`${element.name}: ${JSON.stringify(seen)}`);
    assert.ok(seen.isClass, `document.createElement gives a ${element.name}`);
    for (const state of ['created', 'connected', 'removed', 'reconnected']) {
      for (const p of seen[state]) {
        assert.ok(p.known, `${element.name}.${p.name}: the declared type ${p.type} names a class the page has`);
        assert.ok(p.ok, `${element.name}.${p.name} (${state}) is ${p.type}, got ${p.got}`);
      }
    }
    if (element.name === 'LivePlayerElement') {
      // Made in the constructor, kept when connected, destroyed on leaving, a new one on connecting again.
      assert.deepEqual(seen.same, [true, true, null, false], 'player: same, same, null once removed, a new one when connected again');
    } else {
      assert.deepEqual(seen.same, [true, true, true, true], 'pusher: one engine for the element\'s life');
    }
  });
}
