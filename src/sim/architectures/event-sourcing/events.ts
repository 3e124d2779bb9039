import type { JsonValue } from '../../core/json';
import type { Dict } from '../../core/dict';
import { dictDelete, dictGet, dictKeys, dictSet } from '../../core/dict';
import { deepFreeze } from '../../core/hash';
import { LIMITS } from '../../scenario/limits';
import { EVENT_TYPES, type EventType } from './constants';
import { checkKey, checkValue, isObject } from '../args';
export { checkKey, checkValue };

/**
 * Events, their schema, and the pure functions over a log: apply, replay (optionally by
 * type), state as of a version, snapshots and the StateView. No node or network here: the
 * log and projection nodes (log.ts) and the bench call these.
 *
 * Versions are 1-based: event v is the v-th event of the log, and "the log at version v" is
 * its first v events (the reference numbers events from 0 and its `_version` counts them, so
 * its "state as of version" is off by one against its own event numbers).
 */

/** One event as the log stores it: written once, frozen, shared by every copy of the world. */
export interface StoredEvent {
  /** Its position in the log (1-based). */
  v: number;
  type: EventType;
  /** The schema version its data was written with (old events stay as written; see upcast). */
  schema: number;
  data: { [k: string]: JsonValue };
  /** The agent whose operation appended it, and that operation's id. */
  agent: string;
  op: number;
  /** The tick it was appended. */
  at: number;
  /** The last version of the atomic batch it was appended in (== v when appended alone). */
  commit: number;
  /**
   * Set only on a compensating event (a `rollback`): the log version its batch brings the
   * key back to. The log is never rewritten; a rollback is new events that undo old ones.
   */
  compensates?: number;
}

/** A key's value in a state: [value, commit version of the event that wrote it, tick]. */
export type Entry = readonly [JsonValue, number, number];
export type KvState = Dict<Entry>;

type FieldKind = 'key' | 'json' | 'int' | 'number' | 'text';

/** Declared fields of each type's current schema, and the older schemas an upcaster reads. */
export interface EventSchema {
  current: number;
  fields: { [version: number]: Readonly<Record<string, FieldKind>> };
  description: string;
}

export const EVENT_SCHEMAS: Readonly<Record<EventType, EventSchema>> = {
  key_set: { current: 1, fields: { 1: { key: 'key', value: 'json' } }, description: 'A key was given a value.' },
  key_deleted: { current: 1, fields: { 1: { key: 'key' } }, description: 'A key was removed.' },
  counter_incremented: {
    current: 1,
    fields: { 1: { key: 'key', by: 'int' } },
    description: 'A numeric key grew by `by` (an absent or non-numeric key counts as 0).',
  },
  update_position: {
    current: 2,
    fields: { 1: { x: 'number', y: 'number' }, 2: { key: 'key', x: 'number', y: 'number' } },
    description:
      'A position. v1 is the reference\'s (one global "position"); v2 names the key, so each robot has its own.',
  },
  change_status: {
    current: 2,
    fields: { 1: { status: 'text' }, 2: { key: 'key', status: 'text' } },
    description: 'A status. v1 is the reference\'s (one global "status"); v2 names the key.',
  },
};

export function isEventType(t: unknown): t is EventType {
  return typeof t === 'string' && (EVENT_TYPES as readonly string[]).includes(t);
}

/** Why `data` does not fit `type`'s schema `schema`, or null. Extra fields are refused too. */
export function checkEventData(
  type: JsonValue | undefined,
  data: JsonValue | undefined,
  schema: number,
): string | null {
  if (!isEventType(type)) return `the event type must be one of ${EVENT_TYPES.join(', ')}`;
  const fields = EVENT_SCHEMAS[type].fields[schema];
  if (!fields)
    return `${type} has no schema version ${schema} (it has ${Object.keys(EVENT_SCHEMAS[type].fields).join(', ')})`;
  if (!isObject(data)) return 'the event data must be an object';
  for (const k of Object.keys(data))
    if (!Object.hasOwn(fields, k)) return `${type} v${schema} has no field "${k.slice(0, 40)}"`;
  for (const [name, kind] of Object.entries(fields)) {
    const v = dictGet(data, name);
    const bad =
      kind === 'key'
        ? checkKey(v)
        : kind === 'json'
          ? checkValue(v)
          : kind === 'int'
            ? typeof v === 'number' && Number.isSafeInteger(v)
              ? null
              : 'must be a whole number'
            : kind === 'number'
              ? typeof v === 'number' && Number.isFinite(v)
                ? null
                : 'must be a number'
              : typeof v === 'string' && v.length <= LIMITS.keyLength
                ? null
                : `must be text of at most ${LIMITS.keyLength} characters`;
    if (bad) return `${type} field "${name}": ${bad}`;
  }
  return null;
}

/**
 * Reads an event written under an older schema as the current one. Events are immutable:
 * the log keeps what was written and every replay upcasts on the way in, so logs written by
 * old code still replay after the schema moves on.
 */
export function upcast(e: Pick<StoredEvent, 'type' | 'schema' | 'data'>): { [k: string]: JsonValue } {
  if (e.schema >= EVENT_SCHEMAS[e.type].current) return e.data;
  switch (e.type) {
    case 'update_position':
      return { key: 'position', x: e.data['x'] ?? 0, y: e.data['y'] ?? 0 };
    case 'change_status':
      return { key: 'status', status: e.data['status'] ?? '' };
    default:
      return e.data;
  }
}

/** The key an event changes (after upcasting). */
export function eventKey(e: StoredEvent): string {
  const k = upcast(e)['key'];
  return typeof k === 'string' ? k : '';
}

/**
 * Applies one event to a state in place. Entries are frozen: copies of the state share them.
 * Reads old schemas as `upcast` does, without building the upcast object: replay runs this
 * once per event of the log, and the reference's own two types are schema 1.
 */
export function applyEvent(state: KvState, e: StoredEvent): void {
  applyTo(state, e, true);
}

/**
 * `applyEvent`, with the entry frozen or not. Only a state nobody else can see yet may hold
 * unfrozen entries (a replay building its result), and it freezes them before it is seen:
 * freezing is most of the cost of an event, and most entries of a replay are overwritten.
 */
function applyTo(state: KvState, e: StoredEvent, freeze: boolean): void {
  const d = e.data;
  switch (e.type) {
    case 'key_set':
      put(state, keyOf(d), d['value'] ?? null, e, freeze);
      return;
    case 'key_deleted':
      dictDelete(state, keyOf(d));
      return;
    case 'counter_incremented': {
      const key = keyOf(d);
      const cur = dictGet(state, key)?.[0];
      const by = typeof d['by'] === 'number' ? d['by'] : 0;
      put(state, key, (typeof cur === 'number' ? cur : 0) + by, e, freeze);
      return;
    }
    case 'update_position': {
      const key = e.schema < EVENT_SCHEMAS.update_position.current ? 'position' : keyOf(d);
      put(state, key, { x: d['x'] ?? 0, y: d['y'] ?? 0 }, e, freeze);
      return;
    }
    case 'change_status': {
      const key = e.schema < EVENT_SCHEMAS.change_status.current ? 'status' : keyOf(d);
      put(state, key, d['status'] ?? '', e, freeze);
      return;
    }
  }
}

function keyOf(d: { [k: string]: JsonValue }): string {
  const k = d['key'];
  return typeof k === 'string' ? k : '';
}

function put(state: KvState, key: string, value: JsonValue, e: StoredEvent, freeze: boolean): void {
  const entry: Entry = [value, e.commit, e.at];
  dictSet(state, key, freeze ? deepFreeze(entry) : entry);
}

export function copyState(s: KvState): KvState {
  const out: KvState = {};
  for (const k of Object.keys(s)) dictSet(out, k, s[k]!);
  return out;
}

/** The reference's replay(event_type): every event (or only those of one type) from scratch. */
export function replay(
  events: readonly StoredEvent[],
  type: EventType | null = null,
  upTo = Infinity,
): { state: KvState; applied: number } {
  const state: KvState = {};
  let applied = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.v > upTo) break;
    if (type !== null && e.type !== type) continue;
    applyTo(state, e, false);
    applied += 1;
  }
  // The entries that survived, frozen as applyEvent would have left them, before anyone sees the state.
  for (const k of Object.keys(state)) deepFreeze(state[k]);
  return { state, applied };
}

/** Plain {key: value} of a state, keys in code-unit order. */
export function plainState(s: KvState, max = Infinity): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  let n = 0;
  for (const k of dictKeys(s)) {
    if (n++ >= max) break;
    dictSet(out, k, s[k]![0]);
  }
  return out;
}

/** Index of the first event with version > v in a list sorted by version (lists may skip versions). */
export function indexAfter(events: readonly { v: number }[], v: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.v <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The log version at the end of tick t: events appended at or before t. */
export function versionAtTick(events: readonly StoredEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : events[lo - 1]!.v;
}

// ---------------------------------------------------------------- the StateView

export type ViewMode = 'rebuild' | 'snapshot';

export interface Snapshot {
  /** The log version it was taken at (its state is the first `version` events applied). */
  version: number;
  state: KvState;
}

/**
 * A node's read model over its copy of the log. `rebuild` is the reference's StateView: a
 * cache that is thrown away and rebuilt from the first event whenever the log has moved (at
 * the next read). `snapshot` applies each event once, as it arrives, and saves the state every
 * `snapshotEvery` events, so a rebuild or a temporal query starts from the nearest snapshot.
 */
export interface ViewState {
  cached: KvState;
  /** The log version the cache reflects. */
  cachedVersion: number;
  /** Frozen; in version order. Only in snapshot mode. */
  snapshots: Snapshot[];
  /** Events applied to build this view, over its life: the cost the two modes compare. */
  eventsApplied: number;
  /** Times the cache was rebuilt from scratch. */
  rebuilds: number;
}

export function initView(): ViewState {
  return { cached: {}, cachedVersion: 0, snapshots: [], eventsApplied: 0, rebuilds: 0 };
}

/**
 * New events reached the node (its log now ends at `version`). Snapshot mode applies them
 * now, once each; rebuild mode waits for a read, as the reference does.
 */
export function viewAdvance(
  view: ViewState,
  fresh: readonly StoredEvent[],
  version: number,
  mode: ViewMode,
  snapshotEvery: number,
): void {
  if (mode === 'rebuild') return;
  for (const e of fresh) {
    // Snapshots fall at multiples of snapshotEvery even when a filtered log skips versions.
    const before = view.cachedVersion;
    applyEvent(view.cached, e);
    view.eventsApplied += 1;
    view.cachedVersion = e.v;
    if (Math.floor(e.v / snapshotEvery) > Math.floor(before / snapshotEvery)) takeSnapshot(view, e.v);
  }
  view.cachedVersion = version;
}

function takeSnapshot(view: ViewState, version: number): void {
  view.snapshots.push(deepFreeze({ version, state: copyState(view.cached) }));
}

/** The state at the node's version: the cache, rebuilt first in rebuild mode if stale. */
export function viewRead(view: ViewState, events: readonly StoredEvent[], version: number, mode: ViewMode): KvState {
  if (mode === 'rebuild' && view.cachedVersion !== version) {
    const r = replay(events, null, version);
    view.cached = r.state;
    view.cachedVersion = version;
    view.eventsApplied += r.applied;
    view.rebuilds += 1;
  }
  return view.cached;
}

/** The latest snapshot at or before v, or null. */
export function snapshotAtOrBefore(snaps: readonly Snapshot[], v: number): Snapshot | null {
  let lo = 0;
  let hi = snaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (snaps[mid]!.version <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : snaps[lo - 1]!;
}

/**
 * The state as of version v, without touching the cache: from scratch in rebuild mode, from
 * the nearest snapshot plus the tail in snapshot mode. Says how many events it applied.
 */
export function stateAsOf(
  events: readonly StoredEvent[],
  snapshots: readonly Snapshot[],
  v: number,
  mode: ViewMode,
): { state: KvState; applied: number; from: number } {
  const snap = mode === 'snapshot' ? snapshotAtOrBefore(snapshots, v) : null;
  const state = snap ? copyState(snap.state) : {};
  let applied = 0;
  for (let i = indexAfter(events, snap ? snap.version : 0); i < events.length; i++) {
    const e = events[i]!;
    if (e.v > v) break;
    applyEvent(state, e);
    applied += 1;
  }
  return { state, applied, from: snap ? snap.version : 0 };
}

/** Rebuilds a view's snapshots and cache from a whole log (a mode switch, a new projection). */
export function rebuildView(
  events: readonly StoredEvent[],
  version: number,
  mode: ViewMode,
  snapshotEvery: number,
  view: ViewState,
): void {
  view.cached = {};
  view.cachedVersion = 0;
  view.snapshots = [];
  if (mode === 'snapshot') {
    viewAdvance(view, events, version, mode, snapshotEvery);
    view.rebuilds += 1;
  } else viewRead(view, events, version, mode);
}
