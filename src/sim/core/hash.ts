import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { compareStrings } from './dict';

/**
 * Canonical JSON: object keys in code-unit order, no whitespace, numbers as JSON writes them
 * (ECMAScript fixes that text exactly). Undefined, functions, NaN and Infinity have no place
 * in the world; meeting one is a bug, so it throws rather than hashing something ambiguous.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(v: unknown, out: string[]): void {
  if (v === null) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(JSON.stringify(v));
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`canonicalJson: non-finite number ${String(v)}`);
    out.push(JSON.stringify(v));
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      write(v[i], out);
    }
    out.push(']');
  } else if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort(compareStrings);
    out.push('{');
    let first = true;
    for (const k of keys) {
      const x = o[k];
      if (x === undefined) throw new Error(`canonicalJson: undefined at key ${JSON.stringify(k)}`);
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(x, out);
    }
    out.push('}');
  } else {
    throw new Error(`canonicalJson: cannot serialise a ${typeof v}`);
  }
}

/** SHA-256 of the canonical JSON, hex. Short prefixes are what people compare aloud. */
export function hashValue(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));
}

/** Deep copy of plain JSON data (the world, a checkpoint). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** Deep-freeze, used in tests and dev builds to prove nothing mutates a checkpoint. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    // Arrays by index: Object.keys would make a string per element, on the engine's hot path.
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const x: unknown = value[i];
        if (x !== null && typeof x === 'object') deepFreeze(x);
      }
    } else {
      for (const k of Object.keys(value)) {
        const x = (value as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object') deepFreeze(x);
      }
    }
  }
  return value;
}

/**
 * Deep copy that shares frozen parts. The engine freezes what can no longer change (a
 * completed history record, an entry of a version history), so a checkpoint copies only the
 * live parts of the world and points at the rest: seeking stays fast and checkpoints small
 * however long the history grows. Anything that tried to change a shared part would throw.
 */
export function cloneShared<T>(value: T): T {
  return cloneRec(value) as T;
}

function cloneRec(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneRec(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = cloneRec((v as Record<string, unknown>)[k]);
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}
