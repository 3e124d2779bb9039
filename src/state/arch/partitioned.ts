import type { Scenario, World } from '../../sim/index';
import type { PartitionedConfig } from '../../sim/architectures/partitioned/config';
import {
  COORDINATOR,
  placementLabel,
  type CoordState,
  type ShardState,
} from '../../sim/architectures/partitioned/partitioned';
import { rangeLabel, replicasOf, sameSet } from '../../sim/architectures/partitioned/placement';
import { compareStrings, dictGet, dictHas } from '../../sim/core/dict';
import { canonicalJson } from '../../sim/core/hash';
import type { OpRecord } from '../../sim/history/types';

/** Keys listed per shard column; the rest are counted. */
export const KEYS_SHOWN = 10;
const HANDOFFS_SHOWN = 12;
const ROUTES_SHOWN = 24;
const TXNS_SHOWN = 6;
const EVENTS_SHOWN = 8;
/** The checker runs over the last ops only, so a frame stays bounded. */
export const CHECKED_OPS = 300;

export interface ShardKeyView {
  key: string;
  value: string;
  version: number;
  /** owner: primary; replica: a further replica; incoming: copied in during a handoff;
   * leaving: an old copy waiting to be dropped. */
  role: 'owner' | 'replica' | 'incoming' | 'leaving';
  locked: boolean;
}

export interface ShardColumnView {
  id: string;
  retired: boolean;
  crashed: boolean;
  /** The coordinator cannot reach it, or it cannot answer (either direction cut). */
  cut: boolean;
  /** Its letters under key ranges, e.g. "A-F"; else null. */
  range: string | null;
  keys: ShardKeyView[];
  total: number;
  /** Requests the coordinator sent it (load). */
  load: number;
  locked: number;
  prepared: number[];
  /** Retired shards: entries still held (tombstones included) and keys still placed on it;
   * both 0 means drained (safe to decommission). Null for active shards. */
  drain: { entries: number; placed: number } | null;
}

export interface HandoffView {
  key: string;
  from: string[];
  to: string[];
  phase: 'copy' | 'drop';
  /** How far the key has travelled: reading the old copy, installing the new, dropping the old. */
  step: 'read' | 'install' | 'drop';
}

export interface RouteView {
  id: number;
  to: string;
  kind: string;
  key: string | null;
  /** 0..1 along the arrow. */
  progress: number;
  back: boolean;
}

export interface TxnView {
  id: number;
  decision: 'commit' | 'abort' | null;
  parts: string[];
  votes: string[];
  acked: string[];
}

export interface PartitionedView {
  kind: 'partitioned';
  config: PartitionedConfig;
  placement: string;
  coordinatorCrashed: boolean;
  shards: ShardColumnView[];
  maxLoad: number;
  handoffs: HandoffView[];
  handoffCount: number;
  rebalance: CoordState['rebalance'];
  txns: TxnView[];
  routes: RouteView[];
  events: [number, string][];
  quorum: 'strict' | 'sloppy' | 'single';
  /** The checker's counts over the last CHECKED_OPS operations. */
  checked: { ops: number; stale: number; examples: string[] };
  unknownWrites: number;
}

function short(v: unknown): string {
  const t = v === null ? '(deleted)' : typeof v === 'string' ? v : canonicalJson(v);
  return t.length > 24 ? `${t.slice(0, 23)}…` : t;
}

interface KeyWrite {
  value: string;
  op: OpRecord;
}

/**
 * Stale reads among the last CHECKED_OPS operations, by the checker's definition (see
 * src/sim/history/anomalies.ts): a get returned v although a write of another value was
 * acknowledged before the get began, after every write of v had completed. A bounded scan
 * here; the full checker is too slow to run on every frame.
 */
export function staleReads(ops: readonly OpRecord[], fromStart: boolean): { count: number; examples: string[] } {
  const writes = new Map<string, KeyWrite[]>();
  const add = (key: string, value: unknown, op: OpRecord): void => {
    const list = writes.get(key) ?? [];
    list.push({ value: value === null ? 'null' : canonicalJson(value), op });
    writes.set(key, list);
  };
  for (const op of ops) {
    if (op.outcome === 'fail') continue;
    const a = op.args as { key?: unknown; value?: unknown; updates?: unknown };
    if (op.op === 'set' && typeof a.key === 'string') add(a.key, a.value ?? null, op);
    if (op.op === 'delete' && typeof a.key === 'string') add(a.key, null, op);
    if (op.op === 'update' && typeof a.updates === 'object' && a.updates !== null) {
      for (const k of Object.keys(a.updates)) add(k, (a.updates as Record<string, unknown>)[k] ?? null, op);
    }
  }
  const done = (o: OpRecord): number => (o.outcome === 'ok' && o.completedAt !== null ? o.completedAt : Infinity);
  let count = 0;
  const examples: string[] = [];
  for (const r of ops) {
    if (r.op !== 'get' || r.outcome !== 'ok') continue;
    const key = (r.args as { key?: unknown }).key;
    if (typeof key !== 'string') continue;
    const got = (r.result as { value?: unknown } | null)?.value;
    const v = got === undefined || got === null ? 'null' : canonicalJson(got);
    const ws = writes.get(key) ?? [];
    const sources = ws.filter((w) => w.value === v && w.op.invokedAt <= done(r));
    // Reading "nothing" with no write of it in the window: the key may have been written before it.
    if (sources.length === 0 && (v !== 'null' || !fromStart)) continue;
    const newest = Math.max(...sources.map((w) => done(w.op)), v === 'null' && sources.length === 0 ? -1 : -Infinity);
    if (newest === Infinity) continue;
    const later = ws.find(
      (w) => w.value !== v && w.op.outcome === 'ok' && w.op.invokedAt > newest && done(w.op) < r.invokedAt,
    );
    if (!later) continue;
    count++;
    if (examples.length < 3)
      examples.push(
        `${r.agent} read ${key} = ${v.length > 20 ? v.slice(0, 19) + '…' : v} at tick ${r.invokedAt}, after ${later.op.agent}'s write of ${later.value.length > 20 ? later.value.slice(0, 19) + '…' : later.value} was acknowledged at tick ${done(later.op)}`,
      );
  }
  return { count, examples };
}

// Memoised on the history array itself, its length and its completions: the scan reruns only
// when an operation starts or ends (or the cursor moved to another world).
let lastCheck: { arr: readonly OpRecord[]; len: number; done: number; result: PartitionedView['checked'] } | null =
  null;

function checked(w: World): PartitionedView['checked'] {
  const h = w.history;
  let done = 0;
  for (let i = Math.max(0, h.length - CHECKED_OPS); i < h.length; i++) if (h[i]!.outcome !== null) done++;
  if (lastCheck && lastCheck.arr === h && lastCheck.len === h.length && lastCheck.done === done)
    return lastCheck.result;
  const ops = h.slice(-CHECKED_OPS);
  const r = staleReads(ops, h.length <= CHECKED_OPS);
  const result = { ops: ops.length, stale: r.count, examples: r.examples };
  lastCheck = { arr: h, len: h.length, done, result };
  return result;
}

/** Keys whose authoritative replicas (or handoff target) include `shard`. Retired shards only. */
function placedOn(c: CoordState, shard: string): number {
  let n = 0;
  for (const key of Object.keys(c.keys)) {
    const p = dictGet(c.placements, c.keys[key]!);
    const mv = dictGet(c.moves, key);
    const to = mv ? dictGet(c.placements, mv.to) : undefined;
    if ((p && replicasOf(key, p).includes(shard)) || (to && replicasOf(key, to).includes(shard))) n++;
  }
  return n + c.drops.filter((d) => d.shard === shard).length;
}

export function buildPartitionedView(w: World, _s: Scenario): PartitionedView {
  const config = w.arch as PartitionedConfig;
  const coordNode = dictGet(w.servers, COORDINATOR);
  const c = coordNode?.state as CoordState | undefined;
  const crashed = (id: string): boolean => dictHas(w.net.crashed, id);
  const cut = (a: string, b: string): boolean => dictHas(w.net.cut, `${a}>${b}`);
  const shardIds = [...config.shards, ...config.retired];
  const moves = c ? c.moves : {};
  const drops = c ? c.drops : [];
  const shards: ShardColumnView[] = shardIds.map((id) => {
    const st = dictGet(w.servers, id)?.state as ShardState | undefined;
    const keys = st ? Object.keys(st.data).sort(compareStrings) : [];
    const list: ShardKeyView[] = [];
    for (const key of keys) {
      if (list.length >= KEYS_SHOWN) break;
      const e = st!.data[key]!;
      if (e.v === null) continue;
      let role: ShardKeyView['role'] = 'owner';
      if (c) {
        const pid = dictGet(c.keys, key);
        const p = pid === undefined ? undefined : dictGet(c.placements, pid);
        const auth = p ? replicasOf(key, p) : [];
        const mv = dictGet(moves, key);
        const to = mv ? dictGet(c.placements, mv.to) : undefined;
        if (auth[0] === id) role = 'owner';
        else if (auth.includes(id)) role = 'replica';
        else if (to && replicasOf(key, to).includes(id)) role = 'incoming';
        else role = 'leaving';
      }
      list.push({ key, value: short(e.v), version: e.ver, role, locked: dictHas(st!.locks, key) });
    }
    const live = st ? keys.filter((k) => st.data[k]!.v !== null).length : 0;
    return {
      id,
      retired: config.retired.includes(id),
      crashed: crashed(id),
      cut: cut(COORDINATOR, id) || cut(id, COORDINATOR),
      range:
        config.strategy === 'ranges' && config.shards.includes(id)
          ? rangeLabel(config.shards.indexOf(id), config.shards.length)
          : null,
      keys: list,
      total: live,
      load: c ? (dictGet(c.stats.perShard, id) ?? 0) : 0,
      locked: st ? Object.keys(st.locks).length : 0,
      prepared: st ? Object.keys(st.prepared).map(Number).slice(0, 6) : [],
      drain: config.retired.includes(id) ? { entries: keys.length, placed: c ? placedOn(c, id) : 0 } : null,
    };
  });
  const handoffs: HandoffView[] = [];
  let handoffCount = 0;
  if (c) {
    for (const key of Object.keys(moves).sort(compareStrings)) {
      handoffCount++;
      const mv = moves[key]!;
      const from = c.placements[mv.from];
      const to = c.placements[mv.to];
      const work = Object.values(c.ops).find((o) => o.kind === 'move' && o.keys[0] === key);
      const step = work && work.phase === 'install' ? 'install' : 'read';
      if (handoffs.length < HANDOFFS_SHOWN && from && to)
        handoffs.push({ key, from: replicasOf(key, from), to: replicasOf(key, to), phase: 'copy', step });
    }
    for (const d of drops) {
      handoffCount++;
      if (handoffs.length >= HANDOFFS_SHOWN) continue;
      const pid = dictGet(c.keys, d.key);
      const p = pid === undefined ? undefined : dictGet(c.placements, pid);
      const to = p ? replicasOf(d.key, p) : [];
      const same = handoffs.find((h) => h.key === d.key && h.phase === 'drop' && sameSet(h.to, to));
      if (same) same.from.push(d.shard);
      else handoffs.push({ key: d.key, from: [d.shard], to, phase: 'drop', step: 'drop' });
    }
  }
  const routes: RouteView[] = [];
  for (const m of w.net.inFlight) {
    if (routes.length >= ROUTES_SHOWN) break;
    const down = m.from === COORDINATOR && shardIds.includes(m.to);
    const up = m.to === COORDINATOR && shardIds.includes(m.from);
    if (!down && !up) continue;
    const p = m.payload as { t?: unknown; keys?: unknown; key?: unknown; writes?: unknown };
    let key: string | null = null;
    if (typeof p.key === 'string') key = p.key;
    else if (Array.isArray(p.keys) && typeof p.keys[0] === 'string') key = p.keys[0];
    else if (Array.isArray(p.writes) && Array.isArray(p.writes[0]) && typeof p.writes[0][0] === 'string')
      key = p.writes[0][0];
    const span = Math.max(1, m.deliverAt - m.sentAt);
    routes.push({
      id: m.id,
      to: down ? m.to : m.from,
      kind: typeof p.t === 'string' ? p.t : '?',
      key,
      progress: Math.min(1, Math.max(0, (w.now - m.sentAt) / span)),
      back: up,
    });
  }
  const n = Math.min(config.replication, config.shards.length);
  const R = Math.min(config.readQuorum, n);
  const W = Math.min(config.writeQuorum, n);
  return {
    kind: 'partitioned',
    config: structuredClone(config),
    placement: c && dictGet(c.placements, c.target) ? placementLabel(c.placements[c.target]!) : '',
    coordinatorCrashed: crashed(COORDINATOR),
    shards,
    maxLoad: Math.max(1, ...shards.map((s) => s.load)),
    handoffs,
    handoffCount,
    rebalance: c?.rebalance ? structuredClone(c.rebalance) : null,
    txns: c
      ? Object.keys(c.txns)
          .slice(0, TXNS_SHOWN)
          .map((id) => {
            const t = c.txns[id]!;
            return {
              id: t.id,
              decision: t.decision,
              parts: Object.keys(t.parts).sort(compareStrings),
              votes: [...t.votes],
              acked: [...t.acked],
            };
          })
      : [],
    routes,
    events: c ? c.events.slice(-EVENTS_SHOWN).map((e) => [e[0], e[1]] as [number, string]) : [],
    quorum: n === 1 ? 'single' : R + W > n ? 'strict' : 'sloppy',
    checked: checked(w),
    unknownWrites: c ? c.stats.unknownWrites : 0,
  };
}
