import type { JsonValue } from '../../core/json';
import type { Dict } from '../../core/dict';
import { compareStrings, dictDelete, dictGet, dictHas, dictKeys, dictSet } from '../../core/dict';
import { LIMITS } from '../../scenario/limits';
import type {
  Architecture,
  Effects,
  HandlerCtx,
  Holdings,
  OperationSpec,
  Reply,
  Request,
  Send,
  SetTimer,
} from '../types';
import { isRecord, isRequest } from '../types';
import type { PartitionedConfig } from './config';
import { keysMoved, replicasOf, sameSet, samePlacement, STRATEGIES, type Placement } from './placement';
import { checkKey, checkRollbackValues, checkUpdates, checkValue, isObject } from '../args';

/**
 * Partitioned state: a coordinator in front of shards (see README.md and docs/engine.md).
 *
 * The coordinator routes each key by the placement strategy, assigns every write a version
 * from its own durable counter, and waits for quorums. Shards keep, per key, the value with
 * the highest version they have seen. Rebalancing moves one key at a time (up to a batch in
 * parallel): copy from enough old replicas to meet every write quorum, install on every new
 * replica, then switch the key's placement and drop the old copies. Until the switch the old
 * replicas stay authoritative and operations on the key wait, so an acknowledged write is never
 * left behind. Cross-shard updates are either independent writes (the reference's API) or
 * two-phase commit with durable participant logs.
 */

export const COORDINATOR = 'coordinator';

// ------------------------------------------------------------------------------ state

/** A shard's copy of a key: value (null = deleted), the version that wrote it, and the
 * freshest install stamp (orders installs against drops). */
export interface Entry {
  v: JsonValue | null;
  ver: number;
  stamp: number;
}

export interface Prepared {
  writes: [string, JsonValue | null][];
  ver: number;
  stamp: number;
}

export interface ShardStats {
  reads: number;
  writes: number;
  scans: number;
  installs: number;
  drops: number;
  deferred: number;
}

export interface ShardState {
  role: 'shard';
  id: string;
  data: Dict<Entry>;
  /** Keys handed off from here, with the drop's stamp: older installs arriving late are refused. */
  gone: Dict<number>;
  /** Two-phase commit, durable: prepared transactions by id and the keys they lock. */
  prepared: Dict<Prepared>;
  locks: Dict<number>;
  /** The participant's decision log (last LOG_CAP): [txn, decision]. */
  log: [number, 'commit' | 'abort'][];
  /** Volatile: requests waiting for a lock to be released. */
  deferred: { from: string; msg: ShardMsg }[];
  stats: ShardStats;
}

type Triple = [string, JsonValue | null, number];

/** One client operation or rebalancing step in progress at the coordinator (volatile). */
export interface Op {
  rid: number;
  kind: 'read' | 'write' | 'scan' | 'move';
  /** The client, or '' for a move. */
  agent: string;
  reqId: number;
  op: string;
  keys: string[];
  deadline: number;
  /** read: replicas asked per key and how many answers are needed. */
  replicas: Dict<string[]>;
  need: number;
  got: Dict<Triple[]>;
  /** write / write-back / install: acknowledging shards per key. */
  acks: Dict<string[]>;
  ver: number;
  phase: 'read' | 'writeback' | 'copy' | 'install';
  /** The value a read chose (ABD writes it back). */
  chosen: Dict<[JsonValue | null, number]>;
  /** scan: shards asked and what each returned. */
  asked: string[];
  scans: Dict<Triple[]>;
}

export interface Move {
  from: string;
  to: string;
  startedAt: number;
  /** Installs were sent to the new replicas. Durable, unlike the move's volatile operation: a
   * move resumed after a coordinator crash starts over from the copy, yet copies installed
   * before the crash are still out there and an abort must drop them. */
  installed: boolean;
}

export interface Drop {
  key: string;
  shard: string;
  stamp: number;
  sentAt: number;
}

export interface Txn {
  id: number;
  agent: string;
  reqId: number;
  ver: number;
  writes: [string, JsonValue | null][];
  /** Participant shard → the keys it holds a replica of. */
  parts: Dict<string[]>;
  votes: string[];
  decision: 'commit' | 'abort' | null;
  acked: string[];
  deadline: number;
  sentAt: number;
}

export interface RebalanceInfo {
  at: number;
  from: string;
  to: string;
  /** Keys known when it began, and how many change primary owner under each strategy. */
  total: number;
  moving: number;
  compare: { strategy: string; moved: number }[];
  copied: number;
  doneAt: number | null;
}

export interface CoordStats {
  /** Client requests sent to each shard (load). */
  perShard: Dict<number>;
  moved: number;
  unknownWrites: number;
  aborted: number;
  committed: number;
}

export interface CoordState {
  role: 'coordinator';
  /** Durable counter for versions, request ids and stamps. */
  clock: number;
  placements: Dict<Placement>;
  target: string;
  nextPid: number;
  /** Every key ever written → the placement it lives under (durable directory). */
  keys: Dict<string>;
  moves: Dict<Move>;
  drops: Drop[];
  txns: Dict<Txn>;
  sessions: Dict<{ lastId: number; reply: Reply | null }>;
  rebalance: RebalanceInfo | null;
  /** Volatile. */
  ops: Dict<Op>;
  blocked: { from: string; req: Request; at: number }[];
  backoff: Dict<number>;
  houseArmed: boolean;
  /** The last EVENTS_CAP notable things, for the panels. */
  events: [number, string][];
  stats: CoordStats;
}

export type PartState = CoordState | ShardState;

const LOG_CAP = 256;
const EVENTS_CAP = 24;
const HOUSE_EVERY = 2;

// ------------------------------------------------------------------------------ messages

type ShardMsg =
  | { t: 'w'; rid: number; writes: [string, JsonValue | null][]; ver: number; stamp: number }
  | { t: 'r'; rid: number; keys: string[] }
  | { t: 'scan'; rid: number }
  | { t: 'prep'; txn: number; writes: [string, JsonValue | null][]; ver: number; stamp: number }
  | { t: 'decide'; txn: number; commit: boolean }
  | { t: 'drop'; key: string; stamp: number };

type CoordMsg =
  | { t: 'w-ack'; rid: number; keys: string[] }
  | { t: 'r-ack'; rid: number; entries: Triple[] }
  | { t: 'scan-ack'; rid: number; entries: Triple[] }
  | { t: 'vote'; txn: number; yes: boolean }
  | { t: 'decided'; txn: number }
  | { t: 'drop-ack'; key: string; stamp: number };

// ------------------------------------------------------------------------------ operations

export const partitionedOperations: readonly OperationSpec[] = [
  {
    name: 'get',
    label: 'Read',
    args: ['key'],
    result: ['value', 'version', 'replicas'],
    kind: 'read',
    description: 'Read one key from a read quorum of its replicas (null when absent).',
  },
  {
    name: 'set',
    label: 'Write',
    args: ['key', 'value'],
    result: ['version'],
    kind: 'write',
    description: 'Write one key to a write quorum of its replicas; the coordinator assigns the version.',
  },
  {
    name: 'update',
    label: 'Update many',
    args: ['updates'],
    result: ['version'],
    kind: 'write',
    description: 'Write several keys: independently (naive) or by two-phase commit across shards.',
  },
  {
    name: 'delete',
    label: 'Delete',
    args: ['key'],
    result: ['version'],
    kind: 'write',
    description: 'Delete one key (a versioned tombstone).',
  },
  {
    name: 'get_all',
    label: 'Read all',
    args: [],
    result: ['state', 'partial'],
    kind: 'read',
    description: 'Gather every key from every shard; partial (marked) or failed when a shard does not answer.',
  },
  {
    name: 'rollback',
    label: 'Roll back',
    args: ['values', 'to'],
    result: ['version'],
    kind: 'write',
    description:
      'Write back old values (key → value, null: absent) taken from the audit trail, as one update: no shard keeps a history, so the client names the values; new versions, never old ones.',
  },
  {
    name: 'where',
    label: 'Where is a key',
    args: ['key'],
    result: ['shard', 'replicas', 'handoff'],
    kind: 'admin',
    description: "The key's owner and replicas under the current placement.",
  },
];

export function checkPartitionedArgs(op: string, args: { [k: string]: JsonValue }): string | null {
  switch (op) {
    case 'get':
    case 'delete':
    case 'where':
      return checkKey(args['key']);
    case 'set':
      return checkKey(args['key']) ?? checkValue(args['value']);
    case 'update':
      return checkUpdates(args['updates']);
    case 'rollback':
      return checkRollbackValues(args);
    case 'get_all':
      return null;
    default:
      return `the partitioned store has no operation "${op}"`;
  }
}

// ------------------------------------------------------------------------------ helpers

export function placementOf(c: PartitionedConfig): Placement {
  return { strategy: c.strategy, shards: [...c.shards], vnodes: c.vnodes, replication: c.replication };
}

export function placementLabel(p: Placement): string {
  const n = p.replication > 1 ? `, N=${p.replication}` : '';
  return `${p.strategy} over ${p.shards.length} shard${p.shards.length === 1 ? '' : 's'}${n}`;
}

export function initCoordinator(c: PartitionedConfig): CoordState {
  const placements: Dict<Placement> = {};
  dictSet(placements, '0', placementOf(c));
  return {
    role: 'coordinator',
    clock: 0,
    placements,
    target: '0',
    nextPid: 1,
    keys: {},
    moves: {},
    drops: [],
    txns: {},
    sessions: {},
    rebalance: null,
    ops: {},
    blocked: [],
    backoff: {},
    houseArmed: false,
    events: [],
    stats: { perShard: {}, moved: 0, unknownWrites: 0, aborted: 0, committed: 0 },
  };
}

export function initShard(id: string): ShardState {
  return {
    role: 'shard',
    id,
    data: {},
    gone: {},
    prepared: {},
    locks: {},
    log: [],
    deferred: [],
    stats: { reads: 0, writes: 0, scans: 0, installs: 0, drops: 0, deferred: 0 },
  };
}

class Out {
  send: Send[] = [];
  timers: SetTimer[] = [];
  to(to: string, payload: unknown): void {
    this.send.push({ to, payload });
  }
}

function event(s: CoordState, now: number, text: string): void {
  s.events.push([now, text]);
  if (s.events.length > EVENTS_CAP) s.events.splice(0, s.events.length - EVENTS_CAP);
}

/** The placement a key lives under now (the target for keys never written). */
export function keyPlacement(s: CoordState, key: string): Placement {
  const pid = dictGet(s.keys, key) ?? s.target;
  return s.placements[pid] ?? s.placements[s.target]!;
}

/** The shards authoritative for a key right now. */
export function authoritative(s: CoordState, key: string): string[] {
  return replicasOf(key, keyPlacement(s, key));
}

function countLoad(s: CoordState, shard: string): void {
  dictSet(s.stats.perShard, shard, (dictGet(s.stats.perShard, shard) ?? 0) + 1);
}

function newOp(
  s: CoordState,
  kind: Op['kind'],
  agent: string,
  reqId: number,
  op: string,
  keys: string[],
  now: number,
  c: PartitionedConfig,
): Op {
  const rid = ++s.clock;
  const o: Op = {
    rid,
    kind,
    agent,
    reqId,
    op,
    keys,
    deadline: now + c.opTimeout,
    replicas: {},
    need: 0,
    got: {},
    acks: {},
    ver: 0,
    phase: kind === 'move' ? 'copy' : kind === 'read' ? 'read' : 'writeback',
    chosen: {},
    asked: [],
    scans: {},
  };
  dictSet(s.ops, String(rid), o);
  return o;
}

/** (Re)starts an operation's deadline: each phase of a two-phase operation gets its own. */
function armDeadline(o: Op, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  o.deadline = ctx.now + c.opTimeout;
  out.timers.push({ delay: c.opTimeout, payload: { t: 'op-timeout', rid: o.rid, at: o.deadline } });
}

function replyTo(
  s: CoordState,
  out: Out,
  agent: string,
  reqId: number,
  outcome: 'ok' | 'fail',
  result: JsonValue,
  reason: string | null,
): void {
  const reply: Reply = { t: 'res', id: reqId, outcome, result: outcome === 'ok' ? result : null, reason };
  const sess = dictGet(s.sessions, agent);
  if (sess && sess.lastId === reqId) sess.reply = reply;
  out.to(agent, reply);
}

function opKeys(op: string, args: { [k: string]: JsonValue }): string[] {
  if (op === 'update' && isObject(args['updates'])) return Object.keys(args['updates']).sort(compareStrings);
  if (op === 'rollback' && isObject(args['values'])) return Object.keys(args['values']).sort(compareStrings);
  if (typeof args['key'] === 'string' && op !== 'where') return [args['key']];
  return [];
}

/** Keys some client operation or transaction is working on: a move must wait for them. */
function busyKeys(s: CoordState): Set<string> {
  const busy = new Set<string>();
  for (const id of Object.keys(s.ops)) {
    const o = s.ops[id]!;
    if (o.kind !== 'move') for (const k of o.keys) busy.add(k);
  }
  for (const id of Object.keys(s.txns)) for (const [k] of s.txns[id]!.writes) busy.add(k);
  return busy;
}

function armHouse(s: CoordState, out: Out): void {
  if (s.houseArmed) return;
  s.houseArmed = true;
  out.timers.push({ delay: HOUSE_EVERY, payload: { t: 'house' } });
}

function remember(s: CoordState, key: string): void {
  if (!dictHas(s.keys, key)) dictSet(s.keys, key, s.target);
}

// ------------------------------------------------------------------------------ coordinator: client ops

function onClientRequest(
  s: CoordState,
  from: string,
  req: Request,
  c: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
): void {
  const sess = dictGet(s.sessions, from);
  if (sess && req.id === sess.lastId) {
    if (sess.reply) out.to(from, sess.reply);
    // Otherwise it is still in progress, or was lost in a crash: never started twice.
    return;
  }
  if (sess && req.id < sess.lastId) return;
  dictSet(s.sessions, from, { lastId: req.id, reply: null });
  const bad = checkPartitionedArgs(req.op, req.args);
  if (bad) {
    replyTo(s, out, from, req.id, 'fail', null, bad);
    return;
  }
  dispatch(s, from, req, c, ctx, out);
}

function dispatch(s: CoordState, from: string, req: Request, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  const keys = opKeys(req.op, req.args);
  if (keys.some((k) => dictHas(s.moves, k))) {
    // The key is in handoff: its old owners stay authoritative until the copy is installed;
    // the operation waits so that nothing is written behind the copy.
    s.blocked.push({ from, req, at: ctx.now });
    armHouse(s, out);
    return;
  }
  switch (req.op) {
    case 'where': {
      const key = req.args['key'] as string;
      const reps = authoritative(s, key);
      const mv = dictGet(s.moves, key);
      replyTo(
        s,
        out,
        from,
        req.id,
        'ok',
        { shard: reps[0] ?? null, replicas: reps, handoff: mv ? replicasOf(key, s.placements[mv.to]!) : null },
        null,
      );
      return;
    }
    case 'get':
      startRead(s, from, req, keys, c, ctx, out);
      return;
    case 'set':
    case 'delete': {
      const key = keys[0]!;
      const v = req.op === 'set' ? req.args['value']! : null;
      startWrite(s, from, req, [[key, v]], c, ctx, out);
      return;
    }
    case 'update':
    case 'rollback': {
      // A rollback is an update whose values may be null (absent: a versioned tombstone).
      const u = req.args[req.op === 'update' ? 'updates' : 'values'] as { [k: string]: JsonValue };
      const writes: [string, JsonValue | null][] = keys.map((k) => [k, u[k]!]);
      for (const [k] of writes) remember(s, k);
      const groups = new Set(writes.map(([k]) => authoritative(s, k).join(',')));
      if (groups.size > 1 && c.crossShard === '2pc') startTxn(s, from, req, writes, c, ctx, out);
      else startWrite(s, from, req, writes, c, ctx, out);
      return;
    }
    case 'get_all':
      startScan(s, from, req, c, ctx, out);
      return;
  }
}

function startRead(
  s: CoordState,
  from: string,
  req: Request,
  keys: string[],
  c: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
): void {
  const o = newOp(s, 'read', from, req.id, req.op, keys, ctx.now, c);
  const key = keys[0]!;
  const reps = authoritative(s, key);
  dictSet(o.replicas, key, reps);
  dictSet(o.got, key, []);
  o.need = Math.min(c.readQuorum, reps.length);
  for (const r of reps) {
    out.to(r, { t: 'r', rid: o.rid, keys: [key] } satisfies ShardMsg);
    countLoad(s, r);
  }
  armDeadline(o, c, ctx, out);
}

function startWrite(
  s: CoordState,
  from: string,
  req: Request,
  writes: [string, JsonValue | null][],
  c: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
): void {
  const o = newOp(
    s,
    'write',
    from,
    req.id,
    req.op,
    writes.map(([k]) => k),
    ctx.now,
    c,
  );
  o.ver = o.rid;
  const perShard = new Map<string, [string, JsonValue | null][]>();
  let need = Number.MAX_SAFE_INTEGER;
  for (const [k, v] of writes) {
    remember(s, k);
    const reps = authoritative(s, k);
    dictSet(o.replicas, k, reps);
    dictSet(o.acks, k, []);
    need = Math.min(need, Math.min(c.writeQuorum, reps.length));
    for (const r of reps) perShard.set(r, [...(perShard.get(r) ?? []), [k, v]]);
  }
  o.need = need;
  for (const [r, ws] of [...perShard].sort((a, b) => compareStrings(a[0], b[0]))) {
    out.to(r, { t: 'w', rid: o.rid, writes: ws, ver: o.ver, stamp: o.ver } satisfies ShardMsg);
    countLoad(s, r);
  }
  armDeadline(o, c, ctx, out);
}

function startScan(s: CoordState, from: string, req: Request, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  const o = newOp(s, 'scan', from, req.id, req.op, [], ctx.now, c);
  o.asked = [...c.shards, ...c.retired];
  for (const r of o.asked) {
    out.to(r, { t: 'scan', rid: o.rid } satisfies ShardMsg);
    countLoad(s, r);
  }
  armDeadline(o, c, ctx, out);
}

function startTxn(
  s: CoordState,
  from: string,
  req: Request,
  writes: [string, JsonValue | null][],
  c: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
): void {
  const id = ++s.clock;
  const parts: Dict<string[]> = {};
  for (const [k] of writes) for (const r of authoritative(s, k)) dictSet(parts, r, [...(dictGet(parts, r) ?? []), k]);
  const t: Txn = {
    id,
    agent: from,
    reqId: req.id,
    ver: id,
    writes,
    parts,
    votes: [],
    decision: null,
    acked: [],
    deadline: ctx.now + c.opTimeout,
    sentAt: ctx.now,
  };
  dictSet(s.txns, String(id), t);
  for (const r of dictKeys(parts)) {
    const mine = new Set(parts[r]);
    out.to(r, {
      t: 'prep',
      txn: id,
      writes: writes.filter(([k]) => mine.has(k)),
      ver: id,
      stamp: id,
    } satisfies ShardMsg);
    countLoad(s, r);
  }
  event(s, ctx.now, `2PC txn ${id}: prepare sent to ${dictKeys(parts).join(', ')}`);
  armHouse(s, out);
}

function decide(s: CoordState, t: Txn, commit: boolean, why: string, now: number, out: Out): void {
  t.decision = commit ? 'commit' : 'abort';
  t.sentAt = now;
  for (const r of dictKeys(t.parts)) out.to(r, { t: 'decide', txn: t.id, commit } satisfies ShardMsg);
  if (commit) s.stats.committed += 1;
  else s.stats.aborted += 1;
  event(s, now, `2PC txn ${t.id}: ${commit ? 'commit' : 'abort'} (${why})`);
  const sess = dictGet(s.sessions, t.agent);
  if (sess && sess.lastId === t.reqId && sess.reply === null) {
    if (commit) replyTo(s, out, t.agent, t.reqId, 'ok', { version: t.ver }, null);
    else replyTo(s, out, t.agent, t.reqId, 'fail', null, `two-phase commit aborted: ${why}; nothing was applied`);
  }
}

// ------------------------------------------------------------------------------ coordinator: replies from shards

function finishOp(s: CoordState, o: Op): void {
  dictDelete(s.ops, String(o.rid));
}

function onShardReply(s: CoordState, from: string, m: CoordMsg, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  switch (m.t) {
    case 'vote': {
      const t = dictGet(s.txns, String(m.txn));
      if (!t || t.decision !== null) return;
      if (!m.yes) {
        decide(s, t, false, `${from} voted no (a key was locked by another transaction)`, ctx.now, out);
        return;
      }
      if (!t.votes.includes(from)) t.votes.push(from);
      if (dictKeys(t.parts).every((r) => t.votes.includes(r)))
        decide(s, t, true, 'every participant voted yes', ctx.now, out);
      return;
    }
    case 'decided': {
      const t = dictGet(s.txns, String(m.txn));
      if (!t) return;
      if (!t.acked.includes(from)) t.acked.push(from);
      if (dictKeys(t.parts).every((r) => t.acked.includes(r))) {
        dictDelete(s.txns, String(t.id));
        event(s, ctx.now, `2PC txn ${t.id}: every participant applied the ${t.decision}`);
        retryBlocked(s, c, ctx, out);
      }
      return;
    }
    case 'drop-ack': {
      s.drops = s.drops.filter((d) => !(d.key === m.key && d.shard === from && d.stamp <= m.stamp));
      noteRebalanceDone(s, ctx.now);
      return;
    }
    default:
      break;
  }
  const o = dictGet(s.ops, String(m.rid));
  if (!o) return;
  if (m.t === 'r-ack') {
    if (o.kind === 'read' && o.phase === 'read') onReadAck(s, o, from, m.entries, c, ctx, out);
    else if (o.kind === 'move' && o.phase === 'copy') onCopyAck(s, o, from, m.entries, c, ctx, out);
    return;
  }
  if (m.t === 'scan-ack') {
    if (o.kind !== 'scan' || dictHas(o.scans, from)) return;
    dictSet(o.scans, from, m.entries);
    if (o.asked.every((r) => dictHas(o.scans, r))) finishScan(s, o, c, out);
    return;
  }
  // w-ack
  for (const k of m.keys) {
    const a = dictGet(o.acks, k);
    if (a && !a.includes(from)) a.push(from);
  }
  if (o.kind === 'move') {
    const key = o.keys[0]!;
    const mv = dictGet(s.moves, key);
    const want = mv ? replicasOf(key, s.placements[mv.to]!) : [];
    if (mv && o.phase === 'install' && want.every((r) => (dictGet(o.acks, key) ?? []).includes(r)))
      completeMove(s, o, key, mv, c, ctx, out);
    return;
  }
  const done = o.keys.every((k) => (dictGet(o.acks, k) ?? []).length >= o.need);
  if (!done) return;
  finishOp(s, o);
  if (o.kind === 'read') {
    // ABD's second phase is done: answer with the value written back.
    const [v, ver] = o.chosen[o.keys[0]!]!;
    replyTo(s, out, o.agent, o.reqId, 'ok', { value: v, version: ver, replicas: o.replicas[o.keys[0]!]! }, null);
  } else {
    replyTo(s, out, o.agent, o.reqId, 'ok', { version: o.ver }, null);
  }
  retryBlocked(s, c, ctx, out);
}

function latest(entries: Triple[]): [JsonValue | null, number] {
  let best: [JsonValue | null, number] = [null, 0];
  for (const [, v, ver] of entries) if (ver > best[1]) best = [v, ver];
  return best;
}

function onReadAck(
  s: CoordState,
  o: Op,
  from: string,
  entries: Triple[],
  c: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
): void {
  const key = o.keys[0]!;
  const got = o.got[key]!;
  if (got.some((g) => g[0] === from)) return;
  const e = entries.find((x) => x[0] === key);
  got.push([from, e ? e[1] : null, e ? e[2] : 0]);
  if (got.length < o.need) return;
  const [v, ver] = latest(got);
  const reps = o.replicas[key]!;
  if (!c.readWriteBack || ver === 0 || got.filter((g) => g[2] === ver).length >= Math.min(c.writeQuorum, reps.length)) {
    // Without write-back (or when a write quorum already holds it), answer now.
    finishOp(s, o);
    replyTo(s, out, o.agent, o.reqId, 'ok', { value: v, version: ver, replicas: reps }, null);
    retryBlocked(s, c, ctx, out);
    return;
  }
  o.phase = 'writeback';
  armDeadline(o, c, ctx, out);
  dictSet(o.chosen, key, [v, ver]);
  dictSet(
    o.acks,
    key,
    got.filter((g) => g[2] === ver).map((g) => g[0]),
  );
  o.need = Math.min(c.writeQuorum, reps.length);
  const stamp = ++s.clock;
  for (const r of reps)
    if (!o.acks[key]!.includes(r)) out.to(r, { t: 'w', rid: o.rid, writes: [[key, v]], ver, stamp } satisfies ShardMsg);
}

function finishScan(s: CoordState, o: Op, c: PartitionedConfig, out: Out): void {
  finishOp(s, o);
  const silent = o.asked.filter((r) => !dictHas(o.scans, r));
  const byShard = new Map<string, Map<string, [JsonValue | null, number]>>();
  for (const r of dictKeys(o.scans)) byShard.set(r, new Map(o.scans[r]!.map((e) => [e[0], [e[1], e[2]]])));
  const state: { [k: string]: JsonValue } = {};
  const missing: string[] = [];
  for (const key of dictKeys(s.keys)) {
    const reps = authoritative(s, key);
    const answered = reps.filter((r) => byShard.has(r));
    if (answered.length < Math.min(c.readQuorum, reps.length)) {
      missing.push(key);
      continue;
    }
    let best: [JsonValue | null, number] = [null, 0];
    for (const r of answered) {
      const e = byShard.get(r)!.get(key);
      if (e && e[1] > best[1]) best = e;
    }
    if (best[0] !== null) dictSet(state, key, best[0]);
  }
  if (missing.length === 0) {
    replyTo(s, out, o.agent, o.reqId, 'ok', { state, partial: false }, null);
    return;
  }
  const why = `${silent.join(', ')} did not answer; ${missing.length} key${missing.length === 1 ? '' : 's'} unavailable`;
  if (c.getAll === 'fail') {
    replyTo(s, out, o.agent, o.reqId, 'fail', null, why);
    return;
  }
  // Marked partial, and under another name than `state`: a checker reading `state` would take
  // every missing key for an absent one.
  replyTo(
    s,
    out,
    o.agent,
    o.reqId,
    'ok',
    { partial: true, available: state, missing: missing.slice(0, LIMITS.keys), unreachable: silent, reason: why },
    null,
  );
}

function onOpTimeout(s: CoordState, rid: number, at: unknown, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  const o = dictGet(s.ops, String(rid));
  if (!o || o.deadline !== at) return;
  finishOp(s, o);
  switch (o.kind) {
    case 'read': {
      const key = o.keys[0]!;
      const n = o.phase === 'read' ? o.got[key]!.length : o.acks[key]!.length;
      // A read changes nothing (a partial write-back only spreads a value some write already
      // wrote), so giving up is a definite failure.
      replyTo(
        s,
        out,
        o.agent,
        o.reqId,
        'fail',
        null,
        o.phase === 'read'
          ? `only ${n} of the ${o.need} ${o.need === 1 ? 'replica' : 'replicas'} needed answered (${o.replicas[key]!.join(', ')})${
              o.need < c.readQuorum
                ? `; R is ${c.readQuorum}, but ${key} is held by only ${o.replicas[key]!.length} ${o.replicas[key]!.length === 1 ? 'replica' : 'replicas'}`
                : ''
            }`
          : `the write-back reached ${n} of ${o.need} replicas`,
      );
      break;
    }
    case 'write': {
      // It may have been applied on some replicas: unknown, so no reply; the agent's own
      // timeout records it as info.
      s.stats.unknownWrites += 1;
      const short = o.keys.filter((k) => o.acks[k]!.length < o.need);
      event(
        s,
        ctx.now,
        `${o.op} by ${o.agent}: ${short.map((k) => `${k} reached ${o.acks[k]!.length} of ${o.need}`).join(', ')}; outcome unknown`,
      );
      break;
    }
    case 'scan':
      finishScan(s, o, c, out);
      break;
    case 'move': {
      const key = o.keys[0]!;
      abortMove(s, key, ctx.now, 'timed out', out);
      break;
    }
  }
  retryBlocked(s, c, ctx, out);
}

function retryBlocked(s: CoordState, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  if (s.blocked.length === 0) return;
  const waiting = s.blocked;
  s.blocked = [];
  for (const b of waiting) {
    if (opKeys(b.req.op, b.req.args).some((k) => dictHas(s.moves, k))) s.blocked.push(b);
    else dispatch(s, b.from, b.req, c, ctx, out);
  }
}

// ------------------------------------------------------------------------------ coordinator: rebalancing

function startMove(s: CoordState, key: string, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  const from = dictGet(s.keys, key)!;
  dictSet(s.moves, key, { from, to: s.target, startedAt: ctx.now, installed: false });
  beginCopy(s, key, c, ctx, out);
}

function beginCopy(s: CoordState, key: string, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  const mv = s.moves[key]!;
  const o = newOp(s, 'move', '', 0, 'move', [key], ctx.now, c);
  const old = replicasOf(key, s.placements[mv.from]!);
  dictSet(o.replicas, key, old);
  dictSet(o.got, key, []);
  // Enough old replicas to intersect every write quorum: the copy holds every acknowledged write.
  o.need = Math.max(1, Math.min(old.length, old.length - Math.min(c.writeQuorum, old.length) + 1));
  for (const r of old) out.to(r, { t: 'r', rid: o.rid, keys: [key] } satisfies ShardMsg);
  armDeadline(o, c, ctx, out);
}

function onCopyAck(
  s: CoordState,
  o: Op,
  from: string,
  entries: Triple[],
  c: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
): void {
  const key = o.keys[0]!;
  const got = o.got[key]!;
  if (got.some((g) => g[0] === from)) return;
  const e = entries.find((x) => x[0] === key);
  got.push([from, e ? e[1] : null, e ? e[2] : 0]);
  if (got.length < o.need) return;
  const mv = dictGet(s.moves, key);
  if (!mv) return;
  const [v, ver] = latest(got);
  mv.installed = true;
  o.phase = 'install';
  armDeadline(o, c, ctx, out);
  dictSet(o.chosen, key, [v, ver]);
  dictSet(o.acks, key, []);
  const stamp = ++s.clock;
  for (const r of replicasOf(key, s.placements[mv.to]!))
    out.to(r, { t: 'w', rid: o.rid, writes: [[key, v]], ver, stamp } satisfies ShardMsg);
}

function completeMove(
  s: CoordState,
  o: Op,
  key: string,
  mv: Move,
  c: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
): void {
  finishOp(s, o);
  const old = replicasOf(key, s.placements[mv.from]!);
  const now = replicasOf(key, s.placements[mv.to]!);
  dictSet(s.keys, key, mv.to);
  dictDelete(s.moves, key);
  s.stats.moved += 1;
  if (s.rebalance) s.rebalance.copied += 1;
  const stamp = ++s.clock;
  for (const r of old) {
    if (now.includes(r)) continue;
    s.drops.push({ key, shard: r, stamp, sentAt: ctx.now });
    out.to(r, { t: 'drop', key, stamp } satisfies ShardMsg);
  }
  event(s, ctx.now, `moved ${JSON.stringify(key)}: ${old.join('+')} → ${now.join('+')}`);
  gcPlacements(s);
  retryBlocked(s, c, ctx, out);
  armHouse(s, out);
}

function abortMove(s: CoordState, key: string, now: number, why: string, out: Out): void {
  const mv = dictGet(s.moves, key);
  if (!mv) return;
  dictDelete(s.moves, key);
  dictSet(s.backoff, key, now + 2 * HOUSE_EVERY + 4);
  if (mv.installed) {
    // Copies may have landed on the new replicas (in this attempt or one cut short by a
    // coordinator crash): drop them, visibly, like any handoff.
    const old = replicasOf(key, s.placements[mv.from]!);
    const stamp = ++s.clock;
    for (const r of replicasOf(key, s.placements[mv.to]!)) {
      if (old.includes(r)) continue;
      s.drops.push({ key, shard: r, stamp, sentAt: now });
      out.to(r, { t: 'drop', key, stamp } satisfies ShardMsg);
    }
  }
  event(
    s,
    now,
    `handoff of ${JSON.stringify(key)} ${why}; it stays on ${replicasOf(key, s.placements[mv.from]!).join('+')} and will be retried`,
  );
}

function gcPlacements(s: CoordState): void {
  const used = new Set<string>([s.target]);
  for (const k of Object.keys(s.keys)) used.add(s.keys[k]!);
  for (const k of Object.keys(s.moves)) {
    used.add(s.moves[k]!.from);
    used.add(s.moves[k]!.to);
  }
  for (const pid of Object.keys(s.placements)) if (!used.has(pid)) delete s.placements[pid];
}

function noteRebalanceDone(s: CoordState, now: number): void {
  const r = s.rebalance;
  if (!r || r.doneAt !== null) return;
  if (Object.keys(s.moves).length > 0 || s.drops.length > 0) return;
  for (const k of Object.keys(s.keys)) if (s.keys[k] !== s.target) return;
  r.doneAt = now;
}

function retryEvery(c: PartitionedConfig): number {
  return Math.max(4, Math.floor(c.opTimeout / 3));
}

/** Periodic work while there is any: moves, drops, transactions, waiting requests. */
function house(s: CoordState, c: PartitionedConfig, ctx: HandlerCtx, out: Out): void {
  s.houseArmed = false;
  const now = ctx.now;
  // Transactions: abort the undecided past their deadline; resend decisions not acknowledged.
  for (const id of dictKeys(s.txns)) {
    const t = s.txns[id]!;
    if (t.decision === null && now >= t.deadline) {
      const silent = dictKeys(t.parts).filter((r) => !t.votes.includes(r));
      decide(s, t, false, `${silent.join(', ')} did not vote in time`, now, out);
    } else if (t.decision !== null && now - t.sentAt >= retryEvery(c)) {
      t.sentAt = now;
      for (const r of dictKeys(t.parts))
        if (!t.acked.includes(r))
          out.to(r, { t: 'decide', txn: t.id, commit: t.decision === 'commit' } satisfies ShardMsg);
    }
  }
  // Drops not yet acknowledged; a shard no longer in the world cannot hold anything.
  const exists = new Set([...c.shards, ...c.retired]);
  s.drops = s.drops.filter((d) => exists.has(d.shard));
  for (const d of s.drops) {
    if (now - d.sentAt < retryEvery(c)) continue;
    d.sentAt = now;
    out.to(d.shard, { t: 'drop', key: d.key, stamp: d.stamp } satisfies ShardMsg);
  }
  // Requests waiting too long behind a handoff were never sent anywhere: a definite failure.
  const still: CoordState['blocked'] = [];
  for (const b of s.blocked) {
    if (now - b.at >= c.opTimeout)
      replyTo(
        s,
        out,
        b.from,
        b.req.id,
        'fail',
        null,
        'the key was in handoff between shards for too long; nothing was done',
      );
    else still.push(b);
  }
  s.blocked = still;
  // Moves: start new ones up to the batch.
  if (c.rebalance === 'handoff') {
    const target = s.placements[s.target]!;
    const busy = busyKeys(s);
    let active = Object.keys(s.moves).length;
    for (const key of dictKeys(s.keys)) {
      if (active >= c.rebalanceBatch) break;
      const pid = s.keys[key]!;
      if (pid === s.target || dictHas(s.moves, key)) continue;
      if (sameSet(replicasOf(key, s.placements[pid]!), replicasOf(key, target))) {
        dictSet(s.keys, key, s.target);
        continue;
      }
      if (busy.has(key) || (dictGet(s.backoff, key) ?? -1) > now) continue;
      dictDelete(s.backoff, key);
      startMove(s, key, c, ctx, out);
      active++;
    }
    gcPlacements(s);
  }
  noteRebalanceDone(s, now);
  const pending =
    Object.keys(s.txns).length > 0 ||
    s.drops.length > 0 ||
    s.blocked.length > 0 ||
    Object.keys(s.moves).length > 0 ||
    Object.keys(s.keys).some((k) => s.keys[k] !== s.target);
  if (pending) armHouse(s, out);
}

function configureCoordinator(
  s: CoordState,
  from: PartitionedConfig,
  to: PartitionedConfig,
  ctx: HandlerCtx,
  out: Out,
  crashed: boolean,
): void {
  const p = placementOf(to);
  const cur = s.placements[s.target]!;
  if (samePlacement(p, cur)) return;
  const pid = String(s.nextPid++);
  dictSet(s.placements, pid, p);
  const keys = dictKeys(s.keys);
  const compare = STRATEGIES.map((strategy) => {
    const a: typeof p = { ...placementOf(from), strategy };
    const b: typeof p = { ...p, strategy };
    return { strategy, moved: keysMoved(keys, a, b) };
  });
  s.rebalance = {
    at: ctx.now,
    from: placementLabel(cur),
    to: placementLabel(p),
    total: keys.length,
    moving: keys.filter((k) => !sameSet(authoritative(s, k), replicasOf(k, p))).length,
    compare,
    copied: 0,
    doneAt: null,
  };
  s.target = pid;
  if (to.rebalance === 'none') {
    // The reference: routing changes at once and nothing moves; keys stay stranded.
    for (const k of keys) dictSet(s.keys, k, pid);
    s.rebalance.doneAt = ctx.now;
    gcPlacements(s);
  }
  event(
    s,
    ctx.now,
    `placement now ${placementLabel(p)}${to.rebalance === 'none' ? ' (no handoff: keys stay where they were)' : ''}`,
  );
  if (!crashed) armHouse(s, out);
}

// ------------------------------------------------------------------------------ shards

function shardHandle(st: ShardState, from: string, m: ShardMsg, out: Out): void {
  switch (m.t) {
    case 'w': {
      if (m.writes.some(([k]) => dictHas(st.locks, k))) {
        st.deferred.push({ from, msg: m });
        st.stats.deferred += 1;
        return;
      }
      const accepted: string[] = [];
      for (const [k, v] of m.writes) if (install(st, k, v, m.ver, m.stamp)) accepted.push(k);
      if (m.stamp !== m.ver) st.stats.installs += 1;
      else st.stats.writes += 1;
      out.to(from, { t: 'w-ack', rid: m.rid, keys: accepted } satisfies CoordMsg);
      return;
    }
    case 'r': {
      if (m.keys.some((k) => dictHas(st.locks, k))) {
        st.deferred.push({ from, msg: m });
        st.stats.deferred += 1;
        return;
      }
      st.stats.reads += 1;
      const entries: Triple[] = [];
      for (const k of m.keys) {
        const e = dictGet(st.data, k);
        if (e) entries.push([k, e.v, e.ver]);
      }
      out.to(from, { t: 'r-ack', rid: m.rid, entries } satisfies CoordMsg);
      return;
    }
    case 'scan': {
      if (Object.keys(st.locks).length > 0) {
        st.deferred.push({ from, msg: m });
        st.stats.deferred += 1;
        return;
      }
      st.stats.scans += 1;
      const entries: Triple[] = dictKeys(st.data).map((k) => [k, st.data[k]!.v, st.data[k]!.ver]);
      out.to(from, { t: 'scan-ack', rid: m.rid, entries } satisfies CoordMsg);
      return;
    }
    case 'prep': {
      const id = String(m.txn);
      const logged = st.log.find((l) => l[0] === m.txn);
      if (dictHas(st.prepared, id) || (logged && logged[1] === 'commit')) {
        out.to(from, { t: 'vote', txn: m.txn, yes: true } satisfies CoordMsg);
        return;
      }
      if (logged || m.writes.some(([k]) => dictHas(st.locks, k))) {
        out.to(from, { t: 'vote', txn: m.txn, yes: false } satisfies CoordMsg);
        return;
      }
      // Durable before the vote: a participant that said yes can always commit.
      dictSet(st.prepared, id, { writes: m.writes, ver: m.ver, stamp: m.stamp });
      for (const [k] of m.writes) dictSet(st.locks, k, m.txn);
      out.to(from, { t: 'vote', txn: m.txn, yes: true } satisfies CoordMsg);
      return;
    }
    case 'decide': {
      const id = String(m.txn);
      const p = dictGet(st.prepared, id);
      if (p) {
        if (m.commit) for (const [k, v] of p.writes) install(st, k, v, p.ver, p.stamp);
        for (const [k] of p.writes) if (dictGet(st.locks, k) === m.txn) dictDelete(st.locks, k);
        dictDelete(st.prepared, id);
        st.stats.writes += m.commit ? 1 : 0;
      }
      if (!st.log.some((l) => l[0] === m.txn)) {
        st.log.push([m.txn, m.commit ? 'commit' : 'abort']);
        if (st.log.length > LOG_CAP) st.log.splice(0, st.log.length - LOG_CAP);
      }
      out.to(from, { t: 'decided', txn: m.txn } satisfies CoordMsg);
      if (p) {
        const waiting = st.deferred;
        st.deferred = [];
        for (const d of waiting) shardHandle(st, d.from, d.msg, out);
      }
      return;
    }
    case 'drop': {
      const e = dictGet(st.data, m.key);
      if (e && e.stamp < m.stamp) {
        dictDelete(st.data, m.key);
        st.stats.drops += 1;
      }
      if (!e || e.stamp < m.stamp) dictSet(st.gone, m.key, Math.max(dictGet(st.gone, m.key) ?? 0, m.stamp));
      out.to(from, { t: 'drop-ack', key: m.key, stamp: m.stamp } satisfies CoordMsg);
      return;
    }
  }
}

/** Keeps the highest version; refuses installs older than a drop that came first. */
function install(st: ShardState, k: string, v: JsonValue | null, ver: number, stamp: number): boolean {
  const gone = dictGet(st.gone, k);
  if (gone !== undefined && gone >= stamp) return false;
  if (gone !== undefined) dictDelete(st.gone, k);
  const e = dictGet(st.data, k);
  if (!e || e.ver < ver) dictSet(st.data, k, { v, ver, stamp: Math.max(stamp, e ? e.stamp : 0) });
  else if (e.stamp < stamp) dictSet(st.data, k, { v: e.v, ver: e.ver, stamp });
  return true;
}

function isShardMsg(p: unknown): p is ShardMsg {
  return isRecord(p) && typeof p['t'] === 'string' && ['w', 'r', 'scan', 'prep', 'decide', 'drop'].includes(p['t']);
}

function isCoordMsg(p: unknown): p is CoordMsg {
  return (
    isRecord(p) &&
    typeof p['t'] === 'string' &&
    ['w-ack', 'r-ack', 'scan-ack', 'vote', 'decided', 'drop-ack'].includes(p['t'])
  );
}

// ------------------------------------------------------------------------------ the architecture

function effects(state: PartState, out: Out): Effects<PartState> {
  return { state, send: out.send, timers: out.timers };
}

export const partitioned: Architecture<PartitionedConfig, PartState> = {
  kind: 'partitioned',
  onBehalfOf(state, payload) {
    // A shard request the coordinator sends for a client's operation names its op by rid.
    if (state.role !== 'coordinator' || !isRecord(payload) || typeof payload['rid'] !== 'number') return null;
    const o = dictGet(state.ops, String(payload['rid']));
    return o === undefined || o.agent === '' ? null : { agent: o.agent, opId: o.reqId };
  },
  label: 'Partitioned',
  promise:
    "Without replication, linearizable per key for agents that reach the key's shard; with replication N, R, W: a read overlapping no write returns the latest acknowledged write when R + W > N, and every operation is linearizable with read write-back (ABD); two-phase commit is all or nothing once everyone recovers. Rebalancing never loses an acknowledged write.",
  operations: partitionedOperations,
  serverIds: (c) => [COORDINATOR, ...c.shards, ...c.retired],
  initServer: (id, c) => (id === COORDINATOR ? initCoordinator(c) : initShard(id)),
  route: () => COORDINATOR,
  checkArgs: checkPartitionedArgs,
  links(c, agents) {
    const out: [string, string][] = agents.map((a) => [a, COORDINATOR]);
    for (const s of [...c.shards, ...c.retired]) out.push([COORDINATOR, s]);
    return out;
  },

  onMessage(state, from, payload, config, ctx) {
    const out = new Out();
    if (state.role === 'shard') {
      if (from === COORDINATOR && isShardMsg(payload)) shardHandle(state, from, payload, out);
      return effects(state, out);
    }
    if (isRequest(payload)) onClientRequest(state, from, payload, config, ctx, out);
    else if (isCoordMsg(payload)) onShardReply(state, from, payload, config, ctx, out);
    return effects(state, out);
  },

  onTimer(state, payload, config, ctx) {
    const out = new Out();
    if (state.role !== 'coordinator' || !isRecord(payload)) return effects(state, out);
    if (payload['t'] === 'op-timeout' && typeof payload['rid'] === 'number')
      onOpTimeout(state, payload['rid'], payload['at'], config, ctx, out);
    else if (payload['t'] === 'house') house(state, config, ctx, out);
    return effects(state, out);
  },

  onCrash(state) {
    if (state.role === 'shard') {
      state.deferred = [];
      return state;
    }
    state.ops = {};
    state.blocked = [];
    state.backoff = {};
    state.houseArmed = false;
    return state;
  },

  onRecover(state, config, ctx) {
    const out = new Out();
    if (state.role === 'shard') return effects(state, out);
    // Presumed abort: a transaction undecided at the crash is aborted; decided ones are
    // re-sent until every participant has applied them.
    for (const id of dictKeys(state.txns)) {
      const t = state.txns[id]!;
      if (t.decision === null) decide(state, t, false, 'the coordinator crashed before deciding', ctx.now, out);
      else {
        t.sentAt = ctx.now;
        for (const r of dictKeys(t.parts))
          if (!t.acked.includes(r))
            out.to(r, { t: 'decide', txn: t.id, commit: t.decision === 'commit' } satisfies ShardMsg);
      }
    }
    // Moves in the durable log start over from the copy: every step is idempotent.
    for (const key of dictKeys(state.moves)) beginCopy(state, key, config, ctx, out);
    // A configure while crashed may have armed a timer that was dropped with the crash.
    state.houseArmed = false;
    armHouse(state, out);
    return effects(state, out);
  },

  onConfigure(state, from, to, ctx) {
    const out = new Out();
    if (state.role === 'coordinator') configureCoordinator(state, from, to, ctx, out, false);
    return effects(state, out);
  },

  opHint(op, config) {
    if (op !== 'update') return null;
    return config.crossShard === 'naive'
      ? 'Each key is written on its own shard, independently (naive): not atomic, a fault can leave it half applied.'
      : 'Two-phase commit across shards: all or nothing once everyone recovers; a read during the commit can still see part of it.';
  },

  summary(state) {
    if (state.role === 'coordinator') {
      const moving = Object.keys(state.moves).length;
      const txns = Object.keys(state.txns).length;
      const keys = Object.keys(state.keys).length;
      const busy = [moving ? `${moving} moving` : '', txns ? `${txns} in 2PC` : ''].filter(Boolean).join(' · ');
      return {
        role: 'coordinator',
        detail: busy || `${keys} key${keys === 1 ? '' : 's'} routed`,
        version: null,
        facts: [
          ['Keys in the directory', String(keys)],
          ['Keys moved by rebalancing', String(state.stats.moved)],
          ['Writes short of W (unknown)', String(state.stats.unknownWrites)],
          ['Transactions committed / aborted', `${state.stats.committed} / ${state.stats.aborted}`],
        ],
      };
    }
    const keys = Object.keys(state.data).filter((k) => state.data[k]!.v !== null).length;
    const locked = Object.keys(state.locks).length;
    return {
      role: 'shard',
      detail: `${keys} key${keys === 1 ? '' : 's'}${locked ? ` · ${locked} locked` : ''}`,
      version: null,
      facts: [
        ['Reads / writes served', `${state.stats.reads} / ${state.stats.writes}`],
        ['Keys installed / dropped (handoffs)', `${state.stats.installs} / ${state.stats.drops}`],
        ['Prepared transactions', String(Object.keys(state.prepared).length)],
        ['Requests waiting for a lock', String(state.deferred.length)],
      ],
    };
  },

  holdings(servers) {
    // A key is held by its authoritative replicas (the coordinator's placement for it); a
    // replica that never received the key holds nothing (null), which differs from a value.
    const coord = servers.find((s) => s.state.role === 'coordinator')?.state;
    const shards = new Map<string, ShardState>();
    for (const { id, state } of servers) if (state.role === 'shard') shards.set(id, state);
    const keys = new Set<string>();
    for (const s of shards.values()) for (const k of dictKeys(s.data)) keys.add(k);
    if (coord && coord.role === 'coordinator') for (const k of dictKeys(coord.keys)) keys.add(k);
    const out: Holdings = {};
    for (const k of [...keys].sort(compareStrings)) {
      const owners = coord && coord.role === 'coordinator' ? authoritative(coord, k) : [...shards.keys()];
      const row: { [server: string]: JsonValue | null } = {};
      for (const o of owners) {
        const s = shards.get(o);
        if (s) dictSet(row, o, dictGet(s.data, k)?.v ?? null);
      }
      dictSet(out, k, row);
    }
    return out;
  },

  settle() {
    // Nothing in this state is shared between checkpoints: entries are small and replaced.
  },
};
