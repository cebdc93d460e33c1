// One declaration per direction of a postMessage link (page <-> worker, worker <-> worklet): each message
// type with its fields, and the check that a message matches it. The declarations are
// player_messages.js, pusher_messages.js and worklet_messages.js; the page (js-api/) and the workers
// import the same objects, so a type is spelled in one place:
//
//   export const ToWorker = contract('player page -> worker', { play: { url: 'string', gateway: 'string' } });
//   post({ type: ToWorker.play, url, gateway });          // ToWorker.play === 'play'
//   switch (m.type) { case ToWorker.play: ... }
//   ToWorker.verify(m)   // m, unchanged; while checks are on, throws unless m matches its declaration
//
// A field's type: 'string', 'number', 'boolean', 'object', 'any', or a class of the platform checked with
// instanceof where the realm has it ('VideoFrame', 'MessagePort', 'Float32Array', ...); 'a|b' either;
// 'null' the value null; a trailing '?' the field may be left out (or undefined).
//
// Checks are a debugging aid the test harness switches on (tests/browser/lib: the page sets
// globalThis.LIVEWASM_CHECK_MESSAGES = true before the package loads; WorkerMailbox hands it to the worker
// in `init` as checkMessages). Off, verify() is one property read: nothing is allocated on the hot paths
// (pictures, PCM blocks).
export const CHECK_FLAG = 'LIVEWASM_CHECK_MESSAGES';

/** Whether messages are checked in this realm. */
export function checking() {
  return globalThis[CHECK_FLAG] === true;
}

/** Switches checks on in this realm (a worker, when its init says checkMessages). */
export function startChecking() {
  globalThis[CHECK_FLAG] = true;
}

const PRIMITIVES = new Set(['string', 'number', 'boolean']);

function matches(value, kind) {
  if (kind === 'any') return true;
  if (kind === 'null') return value === null;
  if (PRIMITIVES.has(kind)) return typeof value === kind;
  if (kind === 'object') return value !== null && typeof value === 'object';
  const cls = globalThis[kind];
  if (typeof cls !== 'function') return value !== null && typeof value === 'object';  // unknown here: any object
  return value instanceof cls;
}

/** Why `message` does not match `declared` ({type: {field: kind}}), or null. */
export function problemOf(declared, message) {
  if (message === null || typeof message !== 'object') return `not an object: ${String(message)}`;
  const { type } = message;
  if (typeof type !== 'string' || !Object.hasOwn(declared, type)) return `undeclared type ${JSON.stringify(type)}`;
  const fields = declared[type];
  for (const key of Object.keys(message)) {
    if (key !== 'type' && !Object.hasOwn(fields, key)) return `'${type}' has an undeclared field '${key}'`;
  }
  for (const [key, spec] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    const kinds = (optional ? spec.slice(0, -1) : spec).split('|');
    const value = message[key];
    if (value === undefined) {
      if (!optional) return `'${type}' lacks its field '${key}' (${spec})`;
      continue;
    }
    if (!kinds.some((k) => matches(value, k))) {
      return `'${type}'.${key} is ${value === null ? 'null' : typeof value === 'object' ? value.constructor?.name || 'an object' : typeof value}, declared ${spec}`;
    }
  }
  return null;
}

const RESERVED = new Set(['name', 'fields', 'verify', 'problem']);

/**
 * @template {Record<string, Record<string, string>>} D
 * @param {string} name which link and direction, for the error text
 * @param {D} declared
 * @returns {Readonly<{[K in keyof D]: K}> & {name: string, fields: D, verify<M>(m: M): M, problem(m: unknown): string | null}}
 */
export function contract(name, declared) {
  const types = {};
  for (const type of Object.keys(declared)) {
    if (RESERVED.has(type)) throw new Error(`${name}: '${type}' cannot be a message type`);
    types[type] = type;
    Object.freeze(declared[type]);
  }
  Object.defineProperties(types, {
    name: { value: name },
    fields: { value: Object.freeze(declared) },
    problem: { value: (message) => problemOf(declared, message) },
    verify: {
      value: (message) => {
        if (globalThis[CHECK_FLAG] !== true) return message;
        const problem = problemOf(declared, message);
        if (problem) {
          const err = new Error(`message contract (${name}): ${problem}`);
          console.error(err.message);
          throw err;
        }
        return message;
      },
    },
  });
  return Object.freeze(types);
}
