// The attribute controls: one row per attribute of attribute_table.js, each saying when the element takes
// a change ("live", "next start"). Changing a control sets the attribute on the element at once; the
// element decides what that does (a running push takes beauty at once, mode at the next start).
import { WHEN_TEXT } from './attribute_table.js';

/**
 * @param {HTMLElement} container  where the rows go
 * @param {readonly object[]} table PUSHER_CONTROLS or PLAYER_CONTROLS
 * @param {() => HTMLElement} target the element to set (a getter: the player may be re-created)
 * @param {{startWord?: string, onChange?: (name: string, value: string | null, row: object) => void}} [o]
 */
export function buildControls(container, table, target, { startWord = 'next start', onChange } = {}) {
  const inputs = new Map();
  for (const row of table) {
    const line = document.createElement('label');
    line.className = `control when-${row.when}`;
    line.title = row.note || '';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = row.name;
    const input = makeInput(row);
    input.dataset.attr = row.name;
    const when = document.createElement('span');
    when.className = 'when';
    when.textContent = row.when === 'start' ? startWord : WHEN_TEXT[row.when];
    line.append(name, input, when);
    if (row.kind === 'range') {
      const shown = document.createElement('output');
      shown.textContent = input.value;
      input.addEventListener('input', () => { shown.textContent = input.value; });
      line.insertBefore(shown, when);
    }
    if (row.kind === 'number' && row.unit) {
      const unit = document.createElement('span');
      unit.className = 'unit';
      unit.textContent = row.unit;
      line.insertBefore(unit, when);
    }
    container.appendChild(line);
    inputs.set(row.name, input);
    input.addEventListener('change', () => {
      const value = readInput(row, input);
      applyAttribute(target(), row.name, value);
      if (onChange) onChange(row.name, value, row);
    });
  }
  return {
    inputs,
    /** Puts the element's current attributes into the controls (after the page set some from the URL). */
    syncFrom(el) {
      for (const row of table) {
        const input = inputs.get(row.name);
        const has = el.hasAttribute(row.name);
        const v = has ? el.getAttribute(row.name) : null;
        if (row.kind === 'bool') input.checked = has ? !/^(false|0|no|off)$/i.test(v.trim()) : row.value;
        else input.value = has ? v : String(row.value);
        input.dispatchEvent(new Event('input'));
      }
    },
  };
}

function makeInput(row) {
  let input;
  if (row.kind === 'select') {
    input = document.createElement('select');
    for (const o of row.options) {
      const opt = document.createElement('option');
      opt.value = o;
      opt.textContent = o === '' ? '(default)' : o;
      input.appendChild(opt);
    }
    input.value = row.value;
    return input;
  }
  input = document.createElement('input');
  switch (row.kind) {
    case 'bool':
      input.type = 'checkbox';
      input.checked = !!row.value;
      break;
    case 'number':
    case 'range':
      input.type = row.kind;
      input.min = String(row.min);
      input.max = String(row.max);
      input.step = String(row.step);
      input.value = String(row.value);
      break;
    default:
      input.type = 'text';
      input.value = row.value;
      input.placeholder = row.placeholder || '';
      input.spellcheck = false;
  }
  return input;
}

/** The attribute value a control holds: "true"/"false" for booleans, null (remove) for an empty text. */
export function readInput(row, input) {
  if (row.kind === 'bool') return input.checked ? 'true' : 'false';
  const v = String(input.value).trim();
  return v === '' ? null : v;
}

export function applyAttribute(el, name, value) {
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}
