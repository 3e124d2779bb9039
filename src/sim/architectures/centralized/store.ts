import type { JsonValue } from '../../core/json';
import type { Dict } from '../../core/dict';
import { dictDelete, dictGet, dictKeys, dictSet, dictHas } from '../../core/dict';
import { canonicalJson, cloneJson, deepFreeze } from '../../core/hash';
import type { Architecture, Effects, Holdings, OperationSpec, Reply, Request } from '../types';
import { isRecord, isRequest } from '../types';
import { checkKey, checkRollbackTarget, checkUpdates, checkValue } from '../args';

/**
 * The reference's CentralizedStateStore, in full, as a node on the simulated network: one
 * store, a FIFO request queue served one request at a time (the bottleneck, measured), a real
 * version history behind get_versioned, and snapshot/restore.
 */

export const STORE = 'store';

type CentralizedConfig = { kind: 'centralized'; serviceTime: number };

export interface Entry {
  value: JsonValue;
  /** The store version at which this value was written. */
  version: number;
  /** The tick it was written (the reference's timestamps; wall clocks have no place here). */
  writtenAt: number;
}

/** [store version, value or null when deleted, tick] */
export type KeyVersion = [number, JsonValue | null, number];

export interface Queued {
  from: string;
  req: Request;
  arrivedAt: number;
}

export interface Session {
  lastId: number;
  reply: Reply;
}

export interface StoreStats {
  served: number;
  maxQueue: number;
  /** Sums over served requests, in ticks: waiting in the queue, and arrival to reply. */
  totalWait: number;
  totalLatency: number;
  /** Requests that were queued or in service when the store crashed. */
  lostOnCrash: number;
  duplicatesIgnored: number;
  repliesResent: number;
}

export interface CentralState {
  data: Dict<Entry>;
  version: number;
  keyHistory: Dict<KeyVersion[]>;
  /** Volatile: lost on a crash. */
  queue: Queued[];
  inService: Queued | null;
  /**
   * Durable, per agent: the last request applied and its reply. An agent has one request
   * outstanding at a time and ids only grow, so a copy of the last request is answered
   * from here and anything older is a stale duplicate: never re-applied (client sessions,
   * as in RIFL or Raft's client table), in O(agents) space rather than O(operations).
   */
  sessions: Dict<Session>;
  stats: StoreStats;
}

export const centralizedOperations: readonly OperationSpec[] = [
  {
    name: 'get',
    label: 'Read',
    args: ['key'],
    result: ['value', 'version'],
    kind: 'read',
    description: 'Read one key (null when absent).',
  },
  {
    name: 'set',
    label: 'Write',
    args: ['key', 'value'],
    result: ['version'],
    kind: 'write',
    description: 'Write one key; returns the new store version.',
  },
  {
    name: 'update',
    label: 'Update many',
    args: ['updates'],
    result: ['version'],
    kind: 'write',
    description: 'Write several keys atomically, as one version.',
  },
  {
    name: 'delete',
    label: 'Delete',
    args: ['key'],
    result: ['version', 'existed'],
    kind: 'write',
    description: 'Delete one key.',
  },
  {
    name: 'get_all',
    label: 'Read all',
    args: [],
    result: ['state', 'version'],
    kind: 'read',
    description: 'Read every key at once.',
  },
  {
    name: 'get_version',
    label: 'Get version',
    args: [],
    result: ['version'],
    kind: 'admin',
    description: 'The store version.',
  },
  {
    name: 'get_versioned',
    label: 'Read as of version',
    args: ['key', 'version'],
    result: ['value'],
    kind: 'read',
    description: "A key's value as of any past store version.",
  },
  {
    name: 'snapshot',
    label: 'Snapshot',
    args: [],
    result: ['snapshot'],
    kind: 'admin',
    description: 'The whole store as JSON.',
  },
  {
    name: 'restore',
    label: 'Restore',
    args: ['snapshot'],
    result: ['version'],
    kind: 'write',
    description: 'Replace the store with a snapshot.',
  },
  {
    name: 'rollback',
    label: 'Roll back',
    args: ['key', 'version'],
    result: ['version', 'restored', 'to'],
    kind: 'write',
    description:
      'Put a key (or, without a key, every key) back to its value at an earlier store version: one more version, never a rewind.',
  },
];

function emptyStats(): StoreStats {
  return {
    served: 0,
    maxQueue: 0,
    totalWait: 0,
    totalLatency: 0,
    lostOnCrash: 0,
    duplicatesIgnored: 0,
    repliesResent: 0,
  };
}

export function initStore(): CentralState {
  return { data: {}, version: 0, keyHistory: {}, queue: [], inService: null, sessions: {}, stats: emptyStats() };
}

export function checkStoreArgs(op: string, args: { [k: string]: JsonValue }): string | null {
  switch (op) {
    case 'get':
    case 'delete':
      return checkKey(args['key']);
    case 'set':
      return checkKey(args['key']) ?? checkValue(args['value']);
    case 'update':
      return checkUpdates(args['updates']);
    case 'get_all':
    case 'get_version':
    case 'snapshot':
      return null;
    case 'get_versioned': {
      const v = args['version'];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return 'the version must be a whole number ≥ 0';
      return checkKey(args['key']);
    }
    case 'restore':
      return typeof args['snapshot'] === 'string' ? null : 'the snapshot must be text (JSON)';
    case 'rollback':
      return checkRollbackTarget(args);
    default:
      return `the centralized store has no operation "${op}"`;
  }
}

function recordWrite(s: CentralState, key: string, value: JsonValue | null, now: number): void {
  // Entries never change once written; frozen, checkpoints share them instead of copying.
  if (value === null) dictDelete(s.data, key);
  else dictSet(s.data, key, deepFreeze({ value, version: s.version, writtenAt: now }));
  const entry = deepFreeze<KeyVersion>([s.version, value, now]);
  const h = dictGet(s.keyHistory, key);
  if (h) h.push(entry);
  else dictSet(s.keyHistory, key, [entry]);
}

/** The key's value as of store version v: the last write at or before v. */
export function valueAt(s: CentralState, key: string, v: number): JsonValue | null {
  const h = dictGet(s.keyHistory, key);
  if (!h) return null;
  let lo = 0;
  let hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (h[mid]![0] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : h[lo - 1]![1];
}

type Outcome = { outcome: 'ok'; result: JsonValue } | { outcome: 'fail'; reason: string };

/** Parses a snapshot written by `snapshot` (or by hand, so treated as hostile). */
function parseSnapshot(text: string): { state: Dict<JsonValue> } | string {
  if (text.length > 1_000_000) return 'the snapshot is larger than 1,000,000 characters';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the snapshot is not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'the snapshot must be a JSON object';
  const st: unknown = (parsed as Record<string, unknown>)['state'];
  if (typeof st !== 'object' || st === null || Array.isArray(st)) return 'the snapshot has no "state" object';
  const state: Dict<JsonValue> = {};
  for (const k of Object.keys(st)) {
    const v = (st as Record<string, JsonValue>)[k]!;
    const e = checkKey(k) ?? (v === null ? 'a snapshot value may not be null' : checkValue(v));
    if (e) return `snapshot key ${JSON.stringify(k.slice(0, 40))}: ${e}`;
    dictSet(state, k, v);
  }
  return { state };
}

/** Applies one request to the store: the reference's semantics, op by op. */
export function apply(s: CentralState, op: string, args: { [k: string]: JsonValue }, now: number): Outcome {
  const bad = checkStoreArgs(op, args);
  if (bad) return { outcome: 'fail', reason: bad };
  switch (op) {
    case 'get': {
      const e = dictGet(s.data, args['key'] as string);
      return { outcome: 'ok', result: { value: e ? e.value : null, version: e ? e.version : 0 } };
    }
    case 'set':
      s.version += 1;
      recordWrite(s, args['key'] as string, args['value']!, now);
      return { outcome: 'ok', result: { version: s.version } };
    case 'update': {
      const u = args['updates'] as { [k: string]: JsonValue };
      s.version += 1;
      for (const k of Object.keys(u).sort()) recordWrite(s, k, u[k]!, now);
      return { outcome: 'ok', result: { version: s.version } };
    }
    case 'delete': {
      const key = args['key'] as string;
      // As the reference: deleting an absent key changes nothing, not even the version.
      if (!dictHas(s.data, key)) return { outcome: 'ok', result: { version: s.version, existed: false } };
      s.version += 1;
      recordWrite(s, key, null, now);
      return { outcome: 'ok', result: { version: s.version, existed: true } };
    }
    case 'get_all': {
      const state: { [k: string]: JsonValue } = {};
      for (const k of dictKeys(s.data)) dictSet(state, k, s.data[k]!.value);
      return { outcome: 'ok', result: { state, version: s.version } };
    }
    case 'get_version':
      return { outcome: 'ok', result: { version: s.version } };
    case 'get_versioned': {
      const v = args['version'] as number;
      if (v > s.version)
        return { outcome: 'fail', reason: `version ${v} does not exist yet (the store is at ${s.version})` };
      return { outcome: 'ok', result: { value: valueAt(s, args['key'] as string, v) } };
    }
    case 'snapshot':
      return { outcome: 'ok', result: { snapshot: snapshotText(s) } };
    case 'restore': {
      const parsed = parseSnapshot(args['snapshot'] as string);
      if (typeof parsed === 'string') return { outcome: 'fail', reason: parsed };
      // The reference rewinds the version counter to the snapshot's; then two different
      // states would share a version number and get_versioned would be ambiguous. Here a
      // restore is one more version: the history stays a line.
      s.version += 1;
      for (const k of dictKeys(s.data)) if (!dictHas(parsed.state, k)) recordWrite(s, k, null, now);
      for (const k of dictKeys(parsed.state)) recordWrite(s, k, parsed.state[k]!, now);
      return { outcome: 'ok', result: { version: s.version } };
    }
    case 'rollback':
      return rollback(s, typeof args['key'] === 'string' ? args['key'] : null, args['version'] as number, now);
    default:
      return { outcome: 'fail', reason: `the centralized store has no operation "${op}"` };
  }
}

/**
 * Rolls a key, or every key ever written, back to its value at store version `to`. Like
 * `restore`, a rollback is one more version (the counter never goes back, so no two states
 * share a version and get_versioned stays a function); only keys whose value differs are
 * written, and `restored` says which, with the value each got (null: absent), so the history
 * alone tells a checker what the rollback wrote. Nothing to change: no new version.
 */
function rollback(s: CentralState, key: string | null, to: number, now: number): Outcome {
  if (to > s.version)
    return { outcome: 'fail', reason: `version ${to} does not exist yet (the store is at ${s.version})` };
  const keys = key === null ? dictKeys(s.keyHistory) : [key];
  const changes: [string, JsonValue | null][] = [];
  for (const k of keys) {
    const target = valueAt(s, k, to);
    const cur = dictGet(s.data, k)?.value ?? null;
    if (canonicalJson(target) !== canonicalJson(cur)) changes.push([k, target]);
  }
  const restored: { [k: string]: JsonValue } = {};
  if (changes.length > 0) {
    s.version += 1;
    for (const [k, v] of changes) {
      recordWrite(s, k, v, now);
      dictSet(restored, k, v);
    }
  }
  return { outcome: 'ok', result: { version: s.version, restored, to } };
}

/** The reference's snapshot(): state, version and per-key timestamps (ticks here). */
export function snapshotText(s: CentralState): string {
  const state: { [k: string]: JsonValue } = {};
  const timestamps: { [k: string]: JsonValue } = {};
  for (const k of dictKeys(s.data)) {
    dictSet(state, k, s.data[k]!.value);
    dictSet(timestamps, k, s.data[k]!.writtenAt);
  }
  return canonicalJson({ state, version: s.version, timestamps });
}

/**
 * The operation ids in a queue, beside the state rather than in it (the world and its hash
 * stay as they were), keyed by the queue array itself: a copied world has new arrays and
 * rebuilds its set once. Without it every arrival scanned the whole queue, and an overloaded
 * store (200 agents) made a replay quadratic in its queue. A set whose size no longer matches
 * its queue is rebuilt, so it can only ever cost time, never change an answer.
 */
const queuedIds = new WeakMap<Queued[], Set<number>>();

function idsIn(queue: Queued[]): Set<number> {
  let ids = queuedIds.get(queue);
  if (!ids || ids.size !== queue.length) {
    ids = new Set(queue.map((q) => q.req.id));
    queuedIds.set(queue, ids);
  }
  return ids;
}

function startNext(s: CentralState, config: CentralizedConfig, now: number): Effects<CentralState>['timers'] {
  if (s.inService || s.queue.length === 0) return [];
  const ids = idsIn(s.queue);
  s.inService = s.queue.shift()!;
  ids.delete(s.inService.req.id);
  s.stats.totalWait += now - s.inService.arrivedAt;
  return [{ delay: config.serviceTime, payload: { t: 'done', id: s.inService.req.id, from: s.inService.from } }];
}

export const centralized: Architecture<CentralizedConfig, CentralState> = {
  kind: 'centralized',
  label: 'Centralized',
  promise:
    'Linearizable for every agent that can reach the store: each operation takes effect at one instant between its invocation and its reply. Operations of agents that cannot reach it time out (outcome unknown).',
  operations: centralizedOperations,
  serverIds: () => [STORE],
  initServer: () => initStore(),
  route: () => STORE,
  checkArgs: checkStoreArgs,

  onMessage(state, from, payload, config, ctx) {
    const s = state;
    const none = { state, send: [], timers: [] };
    if (!isRequest(payload)) return none;
    const session = dictGet(s.sessions, from);
    if (session && payload.id === session.lastId) {
      s.stats.repliesResent += 1;
      return { state, send: [{ to: from, payload: session.reply }], timers: [] };
    }
    if (session && payload.id < session.lastId) {
      s.stats.duplicatesIgnored += 1;
      return none;
    }
    const same = (q: Queued | null): boolean => q !== null && q.from === from && q.req.id === payload.id;
    const ids = idsIn(s.queue);
    // The set only says an id may be queued; the scan confirms it (rare: a duplicate or a retry).
    if (same(s.inService) || (ids.has(payload.id) && s.queue.some(same))) {
      s.stats.duplicatesIgnored += 1;
      return none;
    }
    // Frozen: a queued request never changes, so checkpoints share it instead of copying a
    // queue that an overloaded store grows to 100,000 entries.
    s.queue.push(
      deepFreeze({
        from,
        req: { t: 'req', id: payload.id, op: payload.op, args: cloneJson(payload.args) },
        arrivedAt: ctx.now,
      }),
    );
    ids.add(payload.id);
    s.stats.maxQueue = Math.max(s.stats.maxQueue, s.queue.length);
    return { state, send: [], timers: startNext(s, config, ctx.now) };
  },

  onTimer(state, payload, config, ctx) {
    const s = state;
    const job = s.inService;
    if (!job || !isRecord(payload) || payload['id'] !== job.req.id || payload['from'] !== job.from) {
      return { state, send: [], timers: [] };
    }
    s.inService = null;
    const r = apply(s, job.req.op, job.req.args, ctx.now);
    const reply: Reply =
      r.outcome === 'ok'
        ? { t: 'res', id: job.req.id, outcome: 'ok', result: r.result, reason: null }
        : { t: 'res', id: job.req.id, outcome: 'fail', result: null, reason: r.reason };
    dictSet(s.sessions, job.from, { lastId: job.req.id, reply });
    s.stats.served += 1;
    s.stats.totalLatency += ctx.now - job.arrivedAt;
    return { state, send: [{ to: job.from, payload: reply }], timers: startNext(s, config, ctx.now) };
  },

  onCrash(state) {
    const s = state;
    s.stats.lostOnCrash += s.queue.length + (s.inService ? 1 : 0);
    s.queue = [];
    s.inService = null;
    return state;
  },

  onRecover(state) {
    return { state, send: [], timers: [] };
  },

  onConfigure(state) {
    return { state, send: [], timers: [] };
  },

  holdings(servers) {
    const out: Holdings = {};
    for (const { id, state } of servers) {
      for (const k of dictKeys(state.data)) {
        const row = dictGet(out, k) ?? {};
        dictSet(row, id, state.data[k]!.value);
        dictSet(out, k, row);
      }
    }
    return out;
  },

  settle(state) {
    for (const k of Object.keys(state.data)) deepFreeze(state.data[k]);
    for (const k of Object.keys(state.keyHistory)) for (const e of state.keyHistory[k]!) deepFreeze(e);
    for (const q of state.queue) deepFreeze(q);
    if (state.inService) deepFreeze(state.inService);
  },
};
