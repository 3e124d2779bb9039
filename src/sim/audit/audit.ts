import type { JsonValue } from '../core/json';
import type { Dict } from '../core/dict';
import { compareStrings, dictGet, dictKeys, dictSet } from '../core/dict';
import { canonicalJson } from '../core/hash';
import type { World } from '../engine/types';
import type { OpRecord } from '../history/types';
import { rollbackWrites, snapshotState } from '../history/writes';
import type { CentralState } from '../architectures/centralized/store';
import type { LogState } from '../architectures/event-sourcing/log';
import {
  applyEvent,
  upcast,
  versionAtTick,
  type KvState,
  type StoredEvent,
} from '../architectures/event-sourcing/events';

/**
 * The audit trail: every change of every key, across architectures: who (agent and
 * operation id), when (tick), what (old → new value) and at which version. A pure function
 * of the world. Each architecture's trail comes from the best record it has:
 *
 * - centralized: the store's per-key version history (server-side, complete), with each
 *   version attributed to the operation that made it from the agents' history;
 * - event sourcing: the log itself (every event names its agent and operation);
 * - partitioned and gossip: no server keeps a history of writes (shards keep the highest
 *   version of each key, replicas a merged document), so the trail is the agents' history:
 *   acknowledged writes are certain, writes with an unknown outcome are listed as such.
 */

export type AuditSource = 'server' | 'history';

export interface AuditEntry {
  key: string;
  /** The agent whose operation made the change; null when no record can say which. */
  agent: string | null;
  /** That operation's id in the history; null when unknown. */
  op: number | null;
  /** The operation's name (set, update, delete, restore, rollback, append, ...). */
  opName: string;
  /** The tick the change took effect (server records), or the operation's completion (history). */
  tick: number;
  /** The value before and after; null: absent. */
  old: JsonValue | null;
  new: JsonValue | null;
  /** The store or log version it made; the coordinator's version (partitioned); null for gossip. */
  version: number | null;
  /**
   * False for a write whose outcome is unknown (partitioned, gossip): it may or may not have
   * taken effect. True for everything a server recorded or acknowledged.
   */
  certain: boolean;
  /**
   * True when the operation was matched to the server's record by its arguments rather than
   * by its reply (its reply was lost: the agent saw it time out, the store applied it).
   */
  inferred: boolean;
  /** For a rollback's changes: the version (or tick, partitioned and gossip) it went back to. */
  rollbackTo?: number;
}

export interface AuditTrail {
  kind: World['arch']['kind'];
  source: AuditSource;
  /** Every change, oldest first. */
  entries: AuditEntry[];
}

function isObject(v: unknown): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const WRITE_OPS = new Set(['set', 'update', 'delete', 'restore', 'rollback', 'append']);

function same(a: JsonValue | null | undefined, b: JsonValue | null | undefined): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/** The history record with this id: the history is in id order (ids grow with invocation). */
export function findOp(w: World, id: number): OpRecord | undefined {
  const h = w.history;
  let lo = 0;
  let hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (h[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return h[lo]?.id === id ? h[lo] : undefined;
}

/**
 * The audit trail of the world, whatever its architecture; with `key`, that key's entries
 * only, at the cost of that key (the Inspect panel asks every frame for the selected key).
 */
export function auditTrail(w: World, key?: string): AuditTrail {
  switch (w.arch.kind) {
    case 'centralized':
      return { kind: w.arch.kind, source: 'server', entries: centralizedTrail(w, key) };
    case 'event-sourcing':
      return { kind: w.arch.kind, source: 'server', entries: eventSourcingTrail(w, key) };
    case 'partitioned':
    case 'gossip':
      return { kind: w.arch.kind, source: 'history', entries: historyTrail(w, w.arch.kind, key) };
  }
}

/**
 * One key's newest `last` entries (what a panel shows) and how many it has in all, without
 * building the older ones where the server keeps the key's history.
 */
export function keyTrail(w: World, key: string, last: number): AuditTrail & { total: number } {
  switch (w.arch.kind) {
    case 'centralized': {
      const store = w.servers['store']?.state as CentralState | undefined;
      const total = store ? (dictGet(store.keyHistory, key)?.length ?? 0) : 0;
      return { kind: w.arch.kind, source: 'server', entries: centralizedTrail(w, key, last), total };
    }
    case 'event-sourcing': {
      const log = w.servers['log']?.state as LogState | undefined;
      const total = log && log.role === 'log' ? (dictGet(log.keyIndex, key)?.length ?? 0) : 0;
      return { kind: w.arch.kind, source: 'server', entries: eventSourcingTrail(w, key, last), total };
    }
    case 'partitioned':
    case 'gossip': {
      const entries = historyTrail(w, w.arch.kind, key);
      return { kind: w.arch.kind, source: 'history', entries: entries.slice(-last), total: entries.length };
    }
  }
}

/** One key's entries, oldest first. */
export function keyAudit(trail: AuditTrail, key: string): AuditEntry[] {
  return trail.entries.filter((e) => e.key === key);
}

/**
 * The state the trail's certain entries fold to (each key's last new value; null: absent,
 * left out). For the centralized store and the event log this is the state itself.
 */
export function foldTrail(entries: readonly AuditEntry[]): Dict<JsonValue> {
  const st: Dict<JsonValue | null> = {};
  for (const e of entries) if (e.certain) dictSet(st, e.key, e.new);
  const out: Dict<JsonValue> = {};
  for (const k of dictKeys(st)) {
    const v = st[k]!;
    if (v !== null) dictSet(out, k, v);
  }
  return out;
}

// ----------------------------------------------------------------------- centralized

/** What a write op would write to `key` (undefined: it does not name the key; 'any': unknown). */
function intended(r: OpRecord, key: string): JsonValue | null | undefined | 'any' {
  const args = isObject(r.args) ? r.args : {};
  switch (r.op) {
    case 'set':
      return args['key'] === key ? (dictGet(args, 'value') ?? null) : undefined;
    case 'delete':
      return args['key'] === key ? null : undefined;
    case 'update': {
      const u = args['updates'];
      return isObject(u) && Object.hasOwn(u, key) ? (dictGet(u, key) ?? null) : undefined;
    }
    case 'restore': {
      const snap = snapshotState(args['snapshot'] ?? null);
      return snap === null ? 'any' : (dictGet(snap, key) ?? null);
    }
    case 'rollback': {
      const w = rollbackWrites(r);
      if (w !== null) return Object.hasOwn(w, key) ? (dictGet(w, key) ?? null) : undefined;
      const k = args['key'];
      return typeof k === 'string' && k !== key ? undefined : 'any';
    }
    default:
      return undefined;
  }
}

function centralizedTrail(w: World, only?: string, last?: number): AuditEntry[] {
  const store = w.servers['store']?.state as CentralState | undefined;
  if (!store) return [];
  // Each store version's writes, in version order: [key, value, tick].
  const byVersion = new Map<number, [string, JsonValue | null, number][]>();
  const raw: { key: string; version: number; old: JsonValue | null; value: JsonValue | null; tick: number }[] = [];
  for (const key of only === undefined ? dictKeys(store.keyHistory) : [only]) {
    const h = dictGet(store.keyHistory, key) ?? [];
    // Only the newest `last` (for one key): the entry before them gives the first old value.
    const from = last === undefined ? 0 : Math.max(0, h.length - last);
    let old: JsonValue | null = from === 0 ? null : h[from - 1]![1];
    for (const [version, value, tick] of h.slice(from)) {
      raw.push({ key, version, old, value, tick });
      const list = byVersion.get(version);
      if (list) list.push([key, value, tick]);
      else byVersion.set(version, [[key, value, tick]]);
      old = value;
    }
  }
  // Which operation made each version: the one whose reply says so; else (its reply lost)
  // the one unanswered write, invoked before the version's tick, whose arguments fit.
  const who = new Map<number, { r: OpRecord; inferred: boolean }>();
  const claimed = new Set<number>();
  const replies = storeReplies(w.history);
  for (const v of byVersion.keys()) {
    const r = replies.byVersion(v);
    if (r) who.set(v, { r, inferred: false });
  }
  const open = replies.open;
  for (const [v, writes] of [...byVersion].sort((a, b) => a[0] - b[0])) {
    if (who.has(v)) continue;
    const tick = writes[0]![2];
    const fits = open.filter(
      (r) =>
        !claimed.has(r.id) &&
        r.invokedAt < tick &&
        writes.every(([k, value]) => {
          const x = intended(r, k);
          return x === 'any' || (x !== undefined && same(x, value));
        }),
    );
    if (fits.length === 1) {
      who.set(v, { r: fits[0]!, inferred: true });
      claimed.add(fits[0]!.id);
    }
  }
  raw.sort((a, b) => a.version - b.version || compareStrings(a.key, b.key));
  return raw.map((x) => {
    const by = who.get(x.version);
    const e: AuditEntry = {
      key: x.key,
      agent: by ? by.r.agent : null,
      op: by ? by.r.id : null,
      opName: by ? by.r.op : 'write',
      tick: x.tick,
      old: x.old,
      new: x.value,
      version: x.version,
      certain: true,
      inferred: by ? by.inferred : false,
    };
    const to = by?.r.op === 'rollback' && isObject(by.r.args) ? by.r.args['version'] : undefined;
    return typeof to === 'number' ? { ...e, rollbackTo: to } : e;
  });
}

/** The store version a write's reply says it made; null when it made none (or is no write). */
function versionClaimed(r: OpRecord): number | null {
  if (r.outcome !== 'ok' || !WRITE_OPS.has(r.op) || !isObject(r.result)) return null;
  const v = r.result['version'];
  if (typeof v !== 'number') return null;
  // A delete of an absent key or a rollback that changed nothing answers the version it saw.
  if (r.op === 'delete' && r.result['existed'] === false) return null;
  const restored = r.result['restored'];
  if (r.op === 'rollback' && isObject(restored) && Object.keys(restored).length === 0) return null;
  return v;
}

interface Replies {
  /** Records before this index are complete and taken into account. */
  done: number;
  byVersion: Map<number, OpRecord>;
  /** Writes whose outcome is unknown (info), in id order. */
  open: OpRecord[];
}

/**
 * The scan of the history behind the store's attribution, kept per history array: a
 * world's history only grows and a record completes once, so what is complete is scanned
 * once, and each call scans only from the first record still pending. Inspect asks for the
 * selected key's trail on every frame; without this, every frame would read the whole run.
 * A cache of a pure function: the answer is the same with or without it (tested).
 */
const repliesCache = new WeakMap<readonly OpRecord[], Replies>();

function storeReplies(h: readonly OpRecord[]): { byVersion: (v: number) => OpRecord | undefined; open: OpRecord[] } {
  let c = repliesCache.get(h);
  if (!c || c.done > h.length) {
    c = { done: 0, byVersion: new Map(), open: [] };
    repliesCache.set(h, c);
  }
  const take = (r: OpRecord, byVersion: Map<number, OpRecord>, open: OpRecord[]): void => {
    if (!WRITE_OPS.has(r.op) || r.outcome === 'fail') return;
    if (r.outcome !== 'ok') {
      open.push(r);
      return;
    }
    const v = versionClaimed(r);
    if (v !== null && !byVersion.has(v)) byVersion.set(v, r);
  };
  while (c.done < h.length && h[c.done]!.outcome !== null) take(h[c.done++]!, c.byVersion, c.open);
  const base = c;
  if (base.done === h.length) return { byVersion: (v) => base.byVersion.get(v), open: base.open };
  const tail = new Map<number, OpRecord>();
  const open = [...base.open];
  for (let i = base.done; i < h.length; i++) take(h[i]!, tail, open);
  return { byVersion: (v) => base.byVersion.get(v) ?? tail.get(v), open };
}

// ----------------------------------------------------------------------- event sourcing

function eventSourcingTrail(w: World, only?: string, last?: number): AuditEntry[] {
  const log = w.servers['log']?.state as LogState | undefined;
  if (!log || log.role !== 'log') return [];
  const state: KvState = {};
  const out: AuditEntry[] = [];
  // Each event changes one key: that key's own events (its index) are its whole story.
  const events = only === undefined ? log.events : (dictGet(log.keyIndex, only) ?? []).map((v) => log.events[v - 1]!);
  // Only the newest `last` get entries; the events before them are folded for the old value
  // (an increment's value depends on every event before it).
  const from = last === undefined ? 0 : Math.max(0, events.length - last);
  for (let i = 0; i < from; i++) applyEvent(state, events[i]!);
  for (const e of events.slice(from)) {
    const d = upcast(e);
    const key = typeof d['key'] === 'string' ? d['key'] : '';
    const old = dictGet(state, key)?.[0] ?? null;
    applyEvent(state, e);
    const entry: AuditEntry = {
      key,
      agent: e.agent,
      op: e.op,
      opName: findOp(w, e.op)?.op ?? eventOpName(e),
      tick: e.at,
      old,
      new: dictGet(state, key)?.[0] ?? null,
      version: e.v,
      certain: true,
      inferred: false,
    };
    out.push(e.compensates === undefined ? entry : { ...entry, rollbackTo: e.compensates });
  }
  return out;
}

function eventOpName(e: StoredEvent): string {
  return e.compensates !== undefined ? 'rollback' : e.type;
}

// ----------------------------------------------------------------------- partitioned, gossip

/** What a kv write op wrote, key → value (null: absent); null for ops that write no kv key. */
function kvWrites(r: OpRecord): Dict<JsonValue | null> | null {
  const args = isObject(r.args) ? r.args : {};
  const out: Dict<JsonValue | null> = {};
  switch (r.op) {
    case 'set':
      if (typeof args['key'] !== 'string') return null;
      dictSet(out, args['key'], dictGet(args, 'value') ?? null);
      return out;
    case 'delete':
      if (typeof args['key'] !== 'string') return null;
      dictSet(out, args['key'], null);
      return out;
    case 'update': {
      const u = args['updates'];
      if (!isObject(u)) return null;
      for (const k of Object.keys(u).sort(compareStrings)) dictSet(out, k, dictGet(u, k) ?? null);
      return out;
    }
    case 'rollback': {
      const rw = rollbackWrites(r);
      if (rw === null) return null;
      for (const k of Object.keys(rw).sort(compareStrings)) dictSet(out, k, dictGet(rw, k) ?? null);
      return out;
    }
    default:
      return null;
  }
}

function historyTrail(w: World, kind: 'partitioned' | 'gossip', only?: string): AuditEntry[] {
  type Row = { r: OpRecord; writes: Dict<JsonValue | null>; certain: boolean; version: number | null; tick: number };
  const rows: Row[] = [];
  for (const r of w.history) {
    if (r.outcome === 'fail') continue;
    if (!WRITE_OPS.has(r.op)) continue;
    const writes = kvWrites(r);
    if (writes === null || (only !== undefined && !Object.hasOwn(writes, only))) continue;
    const certain = r.outcome === 'ok';
    const v = certain && isObject(r.result) ? r.result['version'] : undefined;
    rows.push({
      r,
      writes,
      certain,
      version: kind === 'partitioned' && typeof v === 'number' ? v : null,
      tick: r.completedAt ?? r.invokedAt,
    });
  }
  // Acknowledged partitioned writes in the coordinator's version order (the shards keep the
  // highest); gossip's in completion order. Uncertain writes are merged in where they were
  // given up on.
  const byTick = (a: Row, b: Row): number => a.tick - b.tick || a.r.id - b.r.id;
  const sure = rows.filter((x) => x.certain).sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || byTick(a, b));
  const unsure = rows.filter((x) => !x.certain).sort(byTick);
  const ordered: Row[] = [];
  let j = 0;
  for (const x of sure) {
    while (j < unsure.length && byTick(unsure[j]!, x) < 0) ordered.push(unsure[j++]!);
    ordered.push(x);
  }
  ordered.push(...unsure.slice(j));
  const current: Dict<JsonValue | null> = {};
  const out: AuditEntry[] = [];
  for (const row of ordered) {
    for (const key of dictKeys(row.writes)) {
      if (only !== undefined && key !== only) continue;
      const value = row.writes[key]!;
      const old = dictGet(current, key) ?? null;
      const e: AuditEntry = {
        key,
        agent: row.r.agent,
        op: row.r.id,
        opName: row.r.op,
        tick: row.tick,
        old,
        new: value,
        version: row.version,
        certain: row.certain,
        inferred: false,
      };
      const to = row.r.op === 'rollback' && isObject(row.r.args) ? row.r.args['to'] : undefined;
      out.push(typeof to === 'number' ? { ...e, rollbackTo: to } : e);
      if (row.certain) dictSet(current, key, value);
    }
  }
  return out;
}

// ----------------------------------------------------------------------- rollback requests

/**
 * The `rollback` operation that takes a key (or, key null, the whole store) back to where it
 * was at `target`: an entry of the trail (the key's value just after it) or a tick (every
 * key as of the end of that tick). Centralized and event sourcing name a version and the
 * server computes the values from its history; partitioned and gossip have no such history,
 * so the values come from the trail (the client's view: acknowledged writes only).
 * Null when there is nothing to name (a tick before any key, with no key now either).
 */
export function rollbackRequest(
  w: World,
  trail: AuditTrail,
  key: string | null,
  target: { entry: AuditEntry } | { tick: number },
): { op: 'rollback'; args: { [k: string]: JsonValue } } | null {
  const withKey = (args: { [k: string]: JsonValue }): { [k: string]: JsonValue } =>
    key === null ? args : { key, ...args };
  if (w.arch.kind === 'centralized' || w.arch.kind === 'event-sourcing') {
    if ('entry' in target)
      return target.entry.version === null
        ? null
        : { op: 'rollback', args: withKey({ version: target.entry.version }) };
    return { op: 'rollback', args: withKey({ version: versionAtTickOf(w, trail, target.tick) }) };
  }
  const values: { [k: string]: JsonValue } = {};
  if ('entry' in target) {
    dictSet(values, target.entry.key, target.entry.new);
    return { op: 'rollback', args: { values, to: target.entry.tick } };
  }
  const certain = trail.entries.filter((e) => e.certain && (key === null || e.key === key));
  const then = foldTrail(certain.filter((e) => e.tick <= target.tick));
  const now = foldTrail(certain);
  for (const k of [...new Set([...dictKeys(then), ...dictKeys(now)])].sort(compareStrings)) {
    const a = dictGet(then, k) ?? null;
    if (!same(a, dictGet(now, k) ?? null)) dictSet(values, k, a);
  }
  if (Object.keys(values).length === 0) return null;
  return { op: 'rollback', args: { values, to: target.tick } };
}

/** The store or log version at the end of tick t. */
function versionAtTickOf(w: World, trail: AuditTrail, t: number): number {
  if (w.arch.kind === 'event-sourcing') {
    const log = w.servers['log']?.state as LogState | undefined;
    return log && log.role === 'log' ? versionAtTick(log.events, t) : 0;
  }
  let v = 0;
  for (const e of trail.entries) if (e.tick <= t && e.version !== null && e.version > v) v = e.version;
  return v;
}

/**
 * Every key the trail would name, without building it (cheap enough for every frame): the
 * store's and the log's key indexes; the agents' kv writes for partitioned and gossip.
 */
export function auditKeys(w: World): string[] {
  if (w.arch.kind === 'centralized') {
    const store = w.servers['store']?.state as CentralState | undefined;
    return store ? dictKeys(store.keyHistory) : [];
  }
  if (w.arch.kind === 'event-sourcing') {
    const log = w.servers['log']?.state as LogState | undefined;
    return log && log.role === 'log' ? dictKeys(log.keyIndex).filter((k) => k !== '') : [];
  }
  const keys = new Set<string>();
  for (const r of w.history) {
    if (r.outcome === 'fail' || !WRITE_OPS.has(r.op)) continue;
    const writes = kvWrites(r);
    if (writes) for (const k of Object.keys(writes)) keys.add(k);
  }
  return [...keys].sort(compareStrings);
}
