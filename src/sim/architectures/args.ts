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
  if (canonicalJson(v).length > LIMITS.valueBytes)
    return `the value is larger than ${LIMITS.valueBytes} characters of JSON`;
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

/**
 * `rollback {key?, version}` where the server keeps the history (the centralized store, the
 * event log): an optional key (absent: the whole store) and the version to go back to.
 */
export function checkRollbackTarget(args: { [k: string]: JsonValue }): string | null {
  const v = args['version'];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    return 'the version to roll back to must be a whole number ≥ 0';
  const k = args['key'];
  return k === undefined || k === null ? null : checkKey(k);
}

/**
 * `rollback {values, to?}` where no server keeps a history (partitioned, gossip): the old
 * values the client read from the audit trail, key → value, or null for "absent" (a delete),
 * and, for the record, the tick they were read as of.
 */
export function checkRollbackValues(args: { [k: string]: JsonValue }): string | null {
  const to = args['to'];
  if (to !== undefined && to !== null && (typeof to !== 'number' || !Number.isSafeInteger(to) || to < -1))
    return '`to` (the tick rolled back to) must be a whole number';
  const u = args['values'];
  if (!isObject(u)) return 'values must be an object of key → old value (null: absent)';
  const keys = Object.keys(u);
  if (keys.length === 0) return 'values must name at least one key';
  if (keys.length > LIMITS.keys) return `values may name at most ${LIMITS.keys} keys`;
  for (const k of keys) {
    const v = u[k];
    const e = checkKey(k) ?? (v === null ? null : checkValue(v));
    if (e) return e;
  }
  return null;
}
