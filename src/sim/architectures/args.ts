import type { JsonValue } from '../core/json';
import { canonicalJson } from '../core/hash';
import { LIMITS } from '../scenario/limits';

/**
 * The checks every architecture makes of the key-value arguments the workloads send (get,
 * set, delete, update), in one place: the same request is refused with the same words
 * whichever architecture receives it.
 */

export function isObject(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkKey(k: JsonValue | undefined): string | null {
  if (typeof k !== 'string' || k.length === 0) return 'the key must be non-empty text';
  if (k.length > LIMITS.keyLength) return `the key is longer than ${LIMITS.keyLength} characters`;
  return null;
}

export function checkValue(v: JsonValue | undefined): string | null {
  if (v === undefined) return 'a value is required';
  if (canonicalJson(v).length > LIMITS.valueBytes) return `the value is larger than ${LIMITS.valueBytes} characters of JSON`;
  return null;
}

/** `update`'s argument: an object of key → value, one key at least, each key and value valid. */
export function checkUpdates(u: JsonValue | undefined): string | null {
  if (!isObject(u)) return 'updates must be an object of key → value';
  const keys = Object.keys(u);
  if (keys.length === 0) return 'updates must name at least one key';
  if (keys.length > LIMITS.keys) return `updates may name at most ${LIMITS.keys} keys`;
  for (const k of keys) {
    const e = checkKey(k) ?? checkValue(u[k]);
    if (e) return e;
  }
  return null;
}
