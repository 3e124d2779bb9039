import type { JsonValue } from '../sim/index';

/**
 * Text for values, operations and results, as a student reads them. Everything here is
 * plain text: React renders it as text nodes, never as HTML, whatever a key or value holds.
 */

/** JSON text of a value, shortened to `max` characters with an ellipsis. */
export function shortJson(v: unknown, max = 40): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A key shown as itself when it is plain, quoted when it has spaces or looks odd. */
export function keyText(k: string, max = 32): string {
  const plain = /^[A-Za-z0-9_.:-]+$/.test(k);
  const s = plain ? k : JSON.stringify(k);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function isObj(v: unknown): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One line for an operation: `set x = "v"`, `get x`, `update {a, b}`. */
export function opSummary(op: string, args: unknown): string {
  const a = isObj(args) ? args : {};
  const key = typeof a['key'] === 'string' ? keyText(a['key']) : null;
  switch (op) {
    case 'get':
      return `get ${key ?? '?'}`;
    case 'set':
      return `set ${key ?? '?'} = ${shortJson(a['value'], 24)}`;
    case 'delete':
      return `delete ${key ?? '?'}`;
    case 'update': {
      const u = isObj(a['updates']) ? a['updates'] : {};
      const parts = Object.keys(u).map((k) => `${keyText(k, 16)} = ${shortJson(u[k], 14)}`);
      const shown = parts.slice(0, 3).join(', ');
      return `update ${shown}${parts.length > 3 ? `, +${parts.length - 3} more` : ''}`;
    }
    case 'get_versioned':
      return `get ${key ?? '?'} as of v${shortJson(a['version'], 8)}`;
    case 'rollback': {
      if (typeof a['version'] === 'number') return `roll back ${key ?? 'the store'} to v${a['version']}`;
      const vals = isObj(a['values']) ? Object.keys(a['values']) : [];
      const what = vals.length === 1 ? keyText(vals[0]!) : `${vals.length} keys`;
      return `roll back ${what}${typeof a['to'] === 'number' ? ` to tick ${a['to']}` : ''}`;
    }
    default: {
      const keys = Object.keys(a);
      return keys.length ? `${op} ${shortJson(a, 30)}` : op;
    }
  }
}

/** The result of an ok operation, in a few words. */
export function resultSummary(op: string, result: unknown): string {
  if (!isObj(result)) return result === null || result === undefined ? '' : shortJson(result, 30);
  // Not every architecture numbers versions (a gossip replica has a version vector instead).
  const v = result['version'];
  const at = v === undefined ? '' : ` (v${shortJson(v)})`;
  switch (op) {
    case 'get': {
      // A multi-value register answers every concurrent sibling: show them all, not the one
      // `value` picks (docs/engine.md, gossip).
      const siblings = result['siblings'];
      if (Array.isArray(siblings) && siblings.length > 1) {
        return `siblings {${siblings.map((s) => (s === null ? 'deleted' : shortJson(s, 16))).join(' | ')}}${at}`;
      }
      const value = result['value'];
      return value === null ? 'absent' : `${shortJson(value, 24)}${at}`;
    }
    case 'set':
    case 'update':
    case 'restore':
      return v === undefined ? 'done' : `now v${shortJson(v)}`;
    case 'delete':
      return result['existed'] === false ? 'was absent' : v === undefined ? 'done' : `now v${shortJson(v)}`;
    case 'get_all': {
      const st = result['state'];
      return `${isObj(st) ? Object.keys(st).length : 0} keys${v === undefined ? '' : ` at v${shortJson(v)}`}`;
    }
    case 'get_versioned':
      return result['value'] === null ? 'absent' : shortJson(result['value'], 24);
    case 'snapshot':
      return 'snapshot taken';
    case 'rollback': {
      const r = result['restored'];
      if (!isObj(r)) return 'done';
      const n = Object.keys(r).length;
      return n === 0 ? 'nothing to change' : `${n} key${n === 1 ? '' : 's'} restored${at}`;
    }
    default:
      return shortJson(result, 30);
  }
}

export const OUTCOME_TEXT = { ok: 'ok', fail: 'failed', info: 'timed out' } as const;

/**
 * What a person typed in the Value field: JSON when it parses (42, true, {"x":1}, "text"),
 * otherwise the text itself. So `blue` and `"blue"` both write the string blue.
 */
export function parseValueInput(text: string): JsonValue {
  const t = text.trim();
  if (t === '') return '';
  try {
    return JSON.parse(t) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * Lines of `key = value` (or `key: value`) for Update many. Returns the updates or the
 * first problem, in words.
 */
export function parseUpdates(text: string): { updates: { [k: string]: JsonValue } } | { error: string } {
  const updates: { [k: string]: JsonValue } = {};
  let n = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) return { error: `line ${i + 1}: write it as key = value` };
    const key = m[1]!.trim();
    if (!key) return { error: `line ${i + 1}: the key is empty` };
    // defineProperty: a key called __proto__ is data, not the object's prototype.
    Object.defineProperty(updates, key, {
      value: parseValueInput(m[2]!),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    n++;
  }
  if (n === 0) return { error: 'write at least one line: key = value' };
  return { updates };
}

// One formatter, made once: `n.toLocaleString('en')` builds a new ICU formatter each call,
// about 0.35 ms in Chromium, which adds up in tables rendered every frame.
const COUNT = new Intl.NumberFormat('en');

/** A count with thousands separators: 549,342. */
export function countText(n: number): string {
  return COUNT.format(n);
}

/**
 * A store's queue in words: those waiting, and the request in service beside them (never
 * folded into one count, which the diagram and Inspect once counted differently).
 */
export function queueWords(waiting: number, inService: boolean): string {
  return `${waiting} waiting${inService ? ' + 1 in service' : ''}`;
}
