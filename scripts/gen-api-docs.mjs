#!/usr/bin/env node
// docs/api.md from the TypeScript declarations (types/*.d.ts), through the TypeScript compiler API, so
// the reference cannot drift from what TypeScript users get. tests/docs/api_reference.test.mjs checks that
// docs/api.md is up to date and that the declarations match the runtime (js-api/).
//
//   node scripts/gen-api-docs.mjs            writes docs/api.md
//   node scripts/gen-api-docs.mjs --check    exits 1 with a summary of the differences when docs/api.md is stale
//
// collectApi() is the model both this script and the test read: attributes with their @default, code
// tables, context methods, events, netstatus fields and the value exports of each entry.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const API_MD = path.join(ROOT, 'docs', 'api.md');

/** `minBitrate` -> `min-bitrate` (the runtime's rule: js-api/pusher_attributes.js). */
export const kebab = (key) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** The package's entries: the runtime module and its declarations. */
export const ENTRIES = [
  { name: 'livewasm', runtime: 'js-api/index.js', types: 'types/index.d.ts' },
  { name: 'livewasm/headless', runtime: 'js-api/headless.js', types: 'types/headless.d.ts' },
  { name: 'livewasm/pusher', runtime: 'js-api/pusher.js', types: 'types/pusher.d.ts' },
  { name: 'livewasm/player', runtime: 'js-api/player.js', types: 'types/player.d.ts' },
];

const oneLine = (s) => s.replace(/\s+/g, ' ').trim();

function makeProgram(root) {
  const entries = ENTRIES.map((e) => path.join(root, e.types));
  const program = ts.createProgram(entries, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) {
    const text = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
    throw new Error(`the declarations do not compile:\n${text}`);
  }
  return { program, checker: program.getTypeChecker(), entries };
}

// ---- JSDoc --------------------------------------------------------------------------------------

function docOf(symbol, checker) {
  const text = oneLine(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
  const tags = {};
  for (const tag of symbol.getJsDocTags(checker)) tags[tag.name] = oneLine(ts.displayPartsToString(tag.text || []));
  return { text, tags };
}

function parseDefault(text, where) {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${where}: @default ${text} is not a JSON value`);
  }
}

// ---- declarations -------------------------------------------------------------------------------

function typeText(node) {
  return node && node.type ? oneLine(node.type.getText()) : '';
}

function exportedSymbol(checker, file, name) {
  const source = file.symbol ? file.symbol : checker.getSymbolAtLocation(file);
  const found = checker.getExportsOfModule(source).find((s) => s.name === name);
  if (!found) throw new Error(`${name} is not exported by ${path.basename(file.fileName)}`);
  return found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found;
}

/** Properties of an interface (own and inherited, declaration order), with type text, doc and @default. */
// Members the interface inherits from the platform (Error's `message`, `stack` ...) are left out; members
// inherited from our own interfaces are shown with their instantiated type (`'snapshot:ok'`).
function interfaceMembers(program, checker, symbol) {
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  const own = symbol.declarations[0];
  return checker.getPropertiesOfType(type).filter((p) => !program.isSourceFileDefaultLibrary(p.declarations[0].getSourceFile())).map((p) => {
    const decl = p.declarations[0];
    const { text, tags } = docOf(p, checker);
    const inherited = decl.parent !== own;
    return {
      name: p.name,
      type: inherited ? oneLine(checker.typeToString(checker.getTypeOfSymbol(p), undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType)).replace(/^\((.*)\) \| undefined$/, '$1').replace(/ \| undefined$/, '') : typeText(decl),
      optional: !!(p.flags & ts.SymbolFlags.Optional),
      doc: text,
      default: parseDefault(tags.default, `${symbol.name}.${p.name}`),
      hasDefault: 'default' in tags,
      extension: 'extension' in tags,
      declaredIn: decl.parent && decl.parent.name ? decl.parent.name.text : '',
    };
  });
}

function signatureText(decl) {
  const params = decl.parameters.map((p) => oneLine(p.getText()));
  return { params, returns: decl.type ? oneLine(decl.type.getText()) : 'void' };
}

/** Methods and properties of a class (instance and static), in declaration order; overloads once. */
function classMembers(checker, symbol) {
  const decl = symbol.declarations.find(ts.isClassDeclaration);
  const out = [];
  const seen = new Set();
  for (const m of decl.members) {
    const isCtor = ts.isConstructorDeclaration(m);
    const name = isCtor ? 'constructor' : m.name.getText();
    const isStatic = !!(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static);
    const key = (isStatic ? 'static ' : '') + name;
    if (seen.has(key)) continue;
    seen.add(key);
    const memberSymbol = isCtor ? null : m.symbol;
    const doc = memberSymbol ? docOf(memberSymbol, checker).text : oneLine(ts.displayPartsToString(symbol.getDocumentationComment(checker)).split('\n')[0] || '');
    const paramDocs = ts.getJSDocParameterTags(m).map((t) => `${t.name.getText()}: ${oneLine(ts.getTextOfJSDocComment(t.comment) || '')}`);
    if (ts.isMethodDeclaration(m) || isCtor) {
      out.push({ kind: isCtor ? 'constructor' : 'method', name, static: isStatic, ...signatureText(m), overloads: overloadCount(decl, name), doc: isCtor ? paramDocs.join('; ') : doc });
    } else if (ts.isPropertyDeclaration(m)) {
      out.push({ kind: 'property', name, static: isStatic, type: typeText(m), readonly: !!(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Readonly), doc });
    }
  }
  return out;
}

function overloadCount(classDecl, name) {
  return classDecl.members.filter((m) => m.name && m.name.getText() === name).length;
}

function functionInfo(checker, symbol) {
  const decl = symbol.declarations[0];
  return { name: symbol.name, ...signatureText(decl), doc: docOf(symbol, checker).text };
}

/** A `declare const X: { readonly K: V; ... }` table: [{key, value, doc}] in declaration order. */
function constTable(checker, symbol) {
  const decl = symbol.declarations[0];
  const typeLiteral = decl.type;
  if (!typeLiteral || !ts.isTypeLiteralNode(typeLiteral)) throw new Error(`${symbol.name} is not declared with a type literal`);
  return typeLiteral.members.map((m) => {
    const keyText = ts.isComputedPropertyName(m.name) ? m.name.expression.getText() : m.name.getText();
    const valueText = m.type.getText();
    return {
      key: /^-?\d+$/.test(keyText) ? Number(keyText) : keyText,
      value: literalValue(valueText),
      doc: docOf(m.symbol, checker).text,
    };
  });
  function literalValue(text) {
    if (/^-?\d+$/.test(text)) return Number(text);
    if (/^'.*'$/.test(text)) return text.slice(1, -1);
    throw new Error(`${symbol.name}: ${text} is not a number or string literal`);
  }
}

function valueExports(checker, file) {
  const source = checker.getSymbolAtLocation(file);
  return checker.getExportsOfModule(source)
    .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
    .filter((s) => s.flags & ts.SymbolFlags.Value)
    .map((s) => s.name)
    .sort();
}

/** The `HTMLElementTagNameMap` augmentation of index.d.ts: {tag: class name}. */
function tagNameMap(file) {
  const out = {};
  const visit = (node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'HTMLElementTagNameMap') {
      for (const m of node.members) out[m.name.text] = m.type.getText();
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** The API as declared in types/: the one model the generator and the tests read. */
export function collectApi(root = ROOT) {
  const { program, checker, entries } = makeProgram(root);
  const files = entries.map((f) => program.getSourceFile(f));
  const [indexFile] = files;
  const sym = (name) => exportedSymbol(checker, indexFile, name);
  const iface = (name) => ({ name, doc: docOf(sym(name), checker).text, members: interfaceMembers(program, checker, sym(name)) });
  const cls = (name) => ({ name, doc: docOf(sym(name), checker).text, members: classMembers(checker, sym(name)) });
  const table = (name) => ({ name, doc: docOf(sym(name), checker).text, entries: constTable(checker, sym(name)) });
  return {
    exports: Object.fromEntries(ENTRIES.map((e, i) => [e.name, valueExports(checker, files[i])])),
    functions: ['configure', 'currentConfig', 'createLivePusherContext', 'createLivePlayerContext', 'defineLivePusher', 'defineLivePlayer']
      .map((n) => functionInfo(checker, sym(n))),
    config: iface('LivewasmConfig'),
    pusherAttributes: iface('PusherAttributes'),
    playerAttributes: iface('PlayerAttributes'),
    elements: ['LivePusherElement', 'LivePlayerElement'].map(cls),
    contexts: ['LivePusherContext', 'LivePlayerContext'].map(cls),
    engines: ['LivePusher', 'LivePlayer'].map(cls),
    results: ['OkResult', 'FailResult', 'ContextError', 'CallbackOptions', 'SnapshotResult', 'SnapshotInfo', 'SwitchCameraResult', 'MuteOptions', 'RequestFullScreenOptions'].map(iface),
    eventMaps: ['LivePusherEventMap', 'LivePlayerEventMap'].map(iface),
    elementEventMaps: ['LivePusherElementEventMap', 'LivePlayerElementEventMap'].map(iface),
    tagNames: tagNameMap(indexFile),
    eventDetails: ['StateChangeDetail', 'NetStatusDetail', 'ErrorDetail', 'FullScreenChangeDetail', 'AudioVolumeNotifyDetail', 'PreviewDetail'].map(iface),
    netstatus: ['NetStatusCommon', 'PusherNetStatus', 'PlayerNetStatus', 'PlayerStartup'].map(iface),
    codes: ['PusherCodeNames', 'PusherCodes', 'PlayerCodeNames', 'PlayerCodes', 'ErrorCodes'].map(table),
  };
}

// ---- markdown -----------------------------------------------------------------------------------

const cell = (s) => String(s).replace(/\|/g, '\\|');
const code = (s) => (s === '' ? '' : String(s).includes('`') ? '`` ' + cell(s) + ' ``' : '`' + cell(s) + '`');
const fmtDefault = (m) => (m.hasDefault ? code(JSON.stringify(m.default)) : '');
const row = (cells) => `| ${cells.join(' | ')} |`;
const header = (...names) => [row(names), row(names.map(() => '---'))];

function attributeTable(attrs) {
  return [
    ...header('attribute', 'key', 'type', 'default', 'meaning'),
    ...attrs.members.map((m) => row([code(kebab(m.name)), code(m.name), code(m.type), fmtDefault(m), cell((m.extension ? '*(livewasm extension)* ' : '') + m.doc)])),
  ];
}

function fieldTable(i, { own = false } = {}) {
  const members = own ? i.members.filter((m) => m.declaredIn === i.name) : i.members;
  const withDefault = members.some((m) => m.hasDefault);
  return [
    ...(withDefault ? header('field', 'type', 'default', 'meaning') : header('field', 'type', 'meaning')),
    ...members.map((m) => row([code(m.name + (m.optional ? '?' : '')), code(m.type), ...(withDefault ? [fmtDefault(m)] : []), cell(m.doc)])),
  ];
}

function classTable(c) {
  const props = c.members.filter((m) => m.kind === 'property');
  const methods = c.members.filter((m) => m.kind === 'method');
  const ctor = c.members.find((m) => m.kind === 'constructor');
  const out = [];
  if (ctor) out.push(`\`new ${c.name}(${cell(ctor.params.join(', '))})\`${ctor.doc ? ' — ' + ctor.doc : ''}`, '');
  if (props.length) {
    out.push(...header('property', 'type', 'meaning'));
    for (const p of props) out.push(row([code((p.static ? 'static ' : '') + (p.readonly ? 'readonly ' : '') + p.name), code(p.type), cell(p.doc)]));
    out.push('');
  }
  if (methods.length) {
    out.push(...header('method', 'parameters', 'returns', 'meaning'));
    for (const m of methods) {
      const params = m.overloads > 1 && /EventListener$/.test(m.name)
        ? 'type: a key of the event map, listener: (ev) => unknown, options?'
        : m.params.join(', ');
      out.push(row([code(m.name + '()'), code(params), code(m.returns), cell(m.doc)]));
    }
    out.push('');
  }
  return out;
}

function codeTable(names) {
  return [...header('code', 'name', 'meaning'), ...names.entries.map((e) => row([code(e.key), code(e.value), cell(e.doc)]))];
}

/** docs/api.md as a string. */
export function generateApiMarkdown(api = collectApi()) {
  const fn = Object.fromEntries(api.functions.map((f) => [f.name, f]));
  const fnLine = (f) => `### \`${f.name}(${cell(f.params.join(', '))}): ${cell(f.returns)}\`\n\n${f.doc}\n`;
  const [pusherCtx, playerCtx] = api.contexts;
  const [pusherEngine, playerEngine] = api.engines;
  const [pusherEvents, playerEvents] = api.eventMaps;
  const [pusherEl, playerEl] = api.elements;
  const [common, pusherNet, playerNet, startup] = api.netstatus;
  const codes = Object.fromEntries(api.codes.map((c) => [c.name, c]));
  const indexExports = api.exports.livewasm;
  const out = [
    '# livewasm API reference',
    '',
    '<!-- Generated by `node scripts/gen-api-docs.mjs` from types/*.d.ts; do not edit by hand. -->',
    '',
    'The TypeScript declarations (`types/*.d.ts`) are the source of this page; `tests/docs/api_reference.test.mjs`',
    'checks them against the runtime (`js-api/`, `web/`, the workers) and this page against them.',
    '',
    '## Entry points',
    '',
    '| import | runtime | values | registers |',
    '|---|---|---|---|',
    ...ENTRIES.map((e) => {
      const list = api.exports[e.name];
      const values = e.name === 'livewasm' ? list.map(code).join(', ') : `${list.length === indexExports.length ? 'all' : 'only'}: ${list.map(code).join(', ')}`;
      return row([code(e.name), code(e.runtime), values, e.name === 'livewasm' ? '`<live-pusher>`, `<live-player>` on import' : 'nothing on import']);
    }),
    '',
    'Each entry also exports the types named on this page that concern it (`PusherAttributes`, `PusherNetStatus`, `PusherCode`, ...).',
    '',
    '## Configuration',
    '',
    fnLine(fn.configure),
    fnLine(fn.currentConfig),
    `\`${api.config.name}\`: ${api.config.doc}`,
    '',
    ...fieldTable(api.config),
    '',
    '## `<live-pusher>` attributes',
    '',
    `${api.pusherAttributes.doc} HTML attributes are kebab-case, script keys camelCase. A wrong value falls back to its default and an \`error\` event (errCode 0) names it.`,
    '',
    ...attributeTable(api.pusherAttributes),
    '',
    'The element also takes `bindstatechange`, `bindnetstatus` and `binderror`: the name of a global function called with the event.',
    '',
    '## `<live-player>` attributes',
    '',
    `${api.playerAttributes.doc} HTML attributes are kebab-case, script keys camelCase.`,
    '',
    ...attributeTable(api.playerAttributes),
    '',
    'The element also takes `bindstatechange`, `bindnetstatus`, `bindfullscreenchange`, `bindaudiovolumenotify` and `binderror`.',
    '',
    '## Elements',
    '',
    ...[pusherEl, playerEl].flatMap((c) => [`### \`${c.name}\``, '', c.doc, '', ...classTable(c)]),
    fnLine(fn.defineLivePusher),
    fnLine(fn.defineLivePlayer),
    '## Contexts',
    '',
    fnLine(fn.createLivePusherContext),
    fnLine(fn.createLivePlayerContext),
    ...[pusherCtx, playerCtx].flatMap((c) => [`### \`${c.name}\``, '', c.doc, '', ...classTable(c)]),
    '### Results and options',
    '',
    ...api.results.flatMap((r) => [`#### \`${r.name}\``, '', r.doc, '', ...fieldTable(r), '']),
    '## Events',
    '',
    'DOM `CustomEvent`s on the element, on the engine and through the context\'s `addEventListener`.',
    '',
    ...[['`<live-pusher>` / `LivePusher`', pusherEvents], ['`<live-player>` / `LivePlayer`', playerEvents]].flatMap(([title, map]) => [
      `### ${title}`, '', ...header('event', 'type', 'meaning'), ...map.members.map((m) => row([code(m.name), code(m.type), cell(m.doc)])), '',
    ]),
    '### Event details',
    '',
    ...api.eventDetails.flatMap((d) => [`#### \`${d.name}\``, '', d.doc, '', ...fieldTable(d), '']),
    '## netstatus',
    '',
    `\`detail.info\` of \`netstatus\`, about once a second. ${common.doc}`,
    '',
    ...fieldTable(common),
    '',
    `### \`${pusherNet.name}\``, '', `${pusherNet.doc} The common fields, plus:`, '', ...fieldTable(pusherNet, { own: true }), '',
    `### \`${playerNet.name}\``, '', `${playerNet.doc} The common fields, plus:`, '', ...fieldTable(playerNet, { own: true }), '',
    `### \`${startup.name}\``, '', startup.doc, '', ...fieldTable(startup), '',
    '## Codes',
    '',
    '### Pusher state codes (`PusherCodes`, `PusherCodeNames`)', '', codes.PusherCodeNames.doc, codes.PusherCodes.doc, '',
    ...codeTable(codes.PusherCodeNames), '',
    '### Player state codes (`PlayerCodes`, `PlayerCodeNames`)', '', codes.PlayerCodeNames.doc, '',
    ...codeTable(codes.PlayerCodeNames), '',
    '### Error codes (`ErrorCodes`)', '', codes.ErrorCodes.doc, '',
    ...header('code', 'name', 'meaning'),
    ...codes.ErrorCodes.entries.map((e) => row([code(e.value), code(e.key), cell(e.doc)])),
    '',
    '## Engines (headless use)',
    '',
    ...[pusherEngine, playerEngine].flatMap((c) => [`### \`${c.name}\``, '', c.doc, '', ...classTable(c)]),
  ];
  return out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
}

/** A short account of how `actual` differs from `expected` (lines only in one of them). */
export function diffSummary(expected, actual, limit = 20) {
  const count = (text) => {
    const m = new Map();
    for (const line of text.split('\n')) m.set(line, (m.get(line) || 0) + 1);
    return m;
  };
  const a = count(expected);
  const b = count(actual);
  const missing = [];
  const extra = [];
  for (const [line, n] of a) for (let i = (b.get(line) || 0); i < n; i++) missing.push(line);
  for (const [line, n] of b) for (let i = (a.get(line) || 0); i < n; i++) extra.push(line);
  const show = (list, sign) => list.slice(0, limit).map((l) => `  ${sign} ${l}`).concat(list.length > limit ? [`  ... ${list.length - limit} more`] : []);
  return [`${missing.length} line(s) missing from docs/api.md, ${extra.length} stale line(s) in it:`, ...show(missing, '+'), ...show(extra, '-')].join('\n');
}

function main(argv) {
  const generated = generateApiMarkdown();
  if (argv.includes('--check')) {
    const current = fs.existsSync(API_MD) ? fs.readFileSync(API_MD, 'utf8') : '';
    if (current === generated) {
      console.log('docs/api.md is up to date');
      return 0;
    }
    console.error(`docs/api.md is stale: run node scripts/gen-api-docs.mjs\n${diffSummary(generated, current)}`);
    return 1;
  }
  fs.mkdirSync(path.dirname(API_MD), { recursive: true });
  fs.writeFileSync(API_MD, generated);
  console.log(`wrote ${path.relative(process.cwd(), API_MD)} (${generated.split('\n').length} lines)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
