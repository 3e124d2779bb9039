import type { JsonObject, JsonValue } from '../core/json';
import { dictGet } from '../core/dict';
import type { OpRecord } from './types';

/**
 * What the operations that replace values wholesale wrote, read from their records: small
 * and apart from the readers in formats.ts, so the app's first page (the audit trail in
 * Inspect) needs none of the log parsers.
 */

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `state` object of a snapshot's text (see the centralized store), or null. */
export function snapshotState(snapshot: JsonValue): JsonObject | null {
  if (typeof snapshot !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(snapshot);
    if (!isObject(parsed)) return null;
    const st = dictGet(parsed, 'state');
    return isObject(st) ? st : null;
  } catch {
    return null;
  }
}

/**
 * What a `rollback` wrote, key → value (null: absent): the `restored` of an ok result (the
 * centralized store and the event log compute it from their history), else the `values` the
 * client sent (partitioned and gossip, where the client names them). Null when unknown: a
 * rollback to a version that timed out or failed to answer.
 */
export function rollbackWrites(r: OpRecord): JsonObject | null {
  if (r.op !== 'rollback') return null;
  if (r.outcome === 'ok' && isObject(r.result)) {
    const restored = r.result['restored'];
    if (isObject(restored)) return restored;
  }
  const args = isObject(r.args) ? r.args : {};
  const values = args['values'];
  return isObject(values) ? values : null;
}
