import type { JsonValue } from '../../core/json';
import type { Dict } from '../../core/dict';
import { compareStrings, dictDelete, dictGet, dictKeys, dictSet } from '../../core/dict';
import { canonicalJson, deepFreeze } from '../../core/hash';
import { LIMITS } from '../../scenario/limits';
import type { Architecture, Effects, HandlerCtx, Holdings, OperationSpec, Reply, Send } from '../types';
import { isRecord, isRequest } from '../types';
import type { GossipConfig } from './config';
import type { Doc, Dot, LwwEntry, VV } from './crdt';
import {
  collect,
  emptyDoc,
  gIncrement,
  gValue,
  knows,
  lwwWrite,
  mergeDocs,
  mvSiblings,
  mvWrite,
  pnAdd,
  pnValue,
  setAdd,
  setMembers,
  setRemove,
  vvGet,
  vvLeq,
  vvMerge,
  vvMin,
  compareStamps,
  tombstones,
} from './crdt';
import type { RefFlaw, RefStore } from './reference';
import { refAccept, refWrite } from './reference';
import { checkKey, checkRollbackValues, checkUpdates, checkValue } from '../args';

/**
 * Gossip replication on the simulated network. Every replica holds the whole data set and
 * answers its attached agents at once (writes are local and always accepted). Every `period`
 * ticks each live replica contacts `fanout` peers drawn (seeded, uniform) from the membership
 * it knows, not from those it can reach, so a message to a cut or crashed peer is lost; it
 * pushes its state, pulls the peer's, or both. Exchanges carry state as of the round's start,
 * so with latency below the period a round is the synchronous round of the literature.
 *
 * What the data is and how it merges lives in crdt.ts (and reference.ts for the reference's
 * GossipNode); this file decides who exchanges what, when, and keeps the numbers the view
 * shows: messages and bytes per round, when each replica reached each version, the flaws and
 * dropped writes it saw.
 */

export const RING = 32;
const SHORT = 16;

export interface RoundStat {
  round: number;
  /** Messages and bytes (canonical JSON) this replica sent for that round, replies included. */
  sent: number;
  bytes: number;
}

export interface WriteNote {
  dot: Dot;
  op: string;
  key: string;
  value: JsonValue | null;
  tick: number;
}

/** A write LWW discarded because a concurrent one had a later stamp. */
export interface LwwDrop {
  key: string;
  tick: number;
  kept: JsonValue | null;
  lost: JsonValue | null;
  keptDot: Dot;
  lostDot: Dot;
}

export interface Session {
  lastId: number;
  reply: Reply;
}

export interface GossipState {
  id: string;
  /** This incarnation's name in version vectors: the id, or id~tick for one added later. */
  origin: string;
  doc: Doc;
  /** The document as of this replica's last round start: what its exchanges carry. */
  snap: Doc;
  ref: RefStore;
  refSnap: RefStore;
  /** Per member: the version vector it last reported (in a state it sent) and its incarnation. */
  heard: Dict<{ origin: string; vv: VV }>;
  /** Round timers of an older generation (before a reconfigure or a crash) are ignored. */
  gen: number;
  /**
   * The tick of the last mode switch, which started the data afresh under a new incarnation
   * (`id~tick`): exchanges from incarnations older than it carry the old mode's state and
   * version vectors, and are ignored. Absent until a switch happens.
   */
  modeSince?: number;
  round: number;
  sessions: Dict<Session>;
  rounds: RoundStat[];
  totals: { sent: number; bytes: number; received: number; ignored: number; collected: number };
  /** origin → [count, tick at which this replica first knew that many of its operations]. */
  vvLog: Dict<[number, number][]>;
  writes: WriteNote[];
  flaws: RefFlaw[];
  flawCount: number;
  dropped: LwwDrop[];
  droppedCount: number;
}

// ------------------------------------------------------------------ operations

const readArgs = ['key', 'replica'] as const;

export const gossipOperations: readonly OperationSpec[] = [
  {
    name: 'get',
    label: 'Read',
    args: readArgs,
    result: ['value', 'replica', 'local', 'siblings', 'note'],
    kind: 'read',
    description: 'Read one key at your replica (or at `replica`, which may be stale).',
  },
  {
    name: 'set',
    label: 'Write',
    args: ['key', 'value'],
    result: ['dot'],
    kind: 'write',
    description: 'Write one key at your replica: accepted at once, spread by gossip.',
  },
  {
    name: 'update',
    label: 'Update many',
    args: ['updates'],
    result: ['dots'],
    kind: 'write',
    description: 'Write several keys at your replica (one write per key).',
  },
  {
    name: 'rollback',
    label: 'Roll back',
    args: ['values', 'to'],
    result: ['dots'],
    kind: 'write',
    description:
      'Write back old values (key → value, null: absent) taken from the audit trail, at your replica: new writes that gossip spreads, merged like any other (a concurrent write elsewhere may win).',
  },
  {
    name: 'delete',
    label: 'Delete',
    args: ['key'],
    result: ['existed', 'dot'],
    kind: 'write',
    description: 'Delete one key: leaves a tombstone until every member has seen it.',
  },
  {
    name: 'get_all',
    label: 'Read all',
    args: ['replica'],
    result: ['state', 'replica', 'local'],
    kind: 'read',
    description: 'Every key at your replica (or at `replica`).',
  },
  {
    name: 'increment',
    label: 'Increment (PN-Counter)',
    args: ['key', 'by'],
    result: ['value'],
    kind: 'write',
    description: 'Add to a PN-Counter (not in the reference mode).',
  },
  {
    name: 'decrement',
    label: 'Decrement (PN-Counter)',
    args: ['key', 'by'],
    result: ['value'],
    kind: 'write',
    description: 'Subtract from a PN-Counter (not in the reference mode).',
  },
  {
    name: 'grow',
    label: 'Grow (G-Counter)',
    args: ['key', 'by'],
    result: ['value'],
    kind: 'write',
    description: 'Add to a grow-only counter (not in the reference mode).',
  },
  {
    name: 'counter',
    label: 'Read counters',
    args: readArgs,
    result: ['value', 'grow', 'replica', 'local'],
    kind: 'read',
    description: "A key's PN-Counter and G-Counter values.",
  },
  {
    name: 'add',
    label: 'Add to set',
    args: ['key', 'element'],
    result: ['members'],
    kind: 'write',
    description: 'Add an element to an OR-Set (add wins over a concurrent remove).',
  },
  {
    name: 'remove',
    label: 'Remove from set',
    args: ['key', 'element'],
    result: ['members', 'existed'],
    kind: 'write',
    description: 'Remove the adds of an element this replica has seen.',
  },
  {
    name: 'members',
    label: 'Read set',
    args: readArgs,
    result: ['members', 'replica', 'local'],
    kind: 'read',
    description: "An OR-Set's elements.",
  },
  {
    name: 'version_vector',
    label: 'Version vector',
    args: ['replica'],
    result: ['vv', 'replica'],
    kind: 'admin',
    description: "A replica's version vector (what it has seen of each replica's operations).",
  },
];

const REFERENCE_OPS = new Set(['get', 'set', 'update', 'delete', 'get_all', 'version_vector', 'rollback']);

function checkReplica(r: JsonValue | undefined): string | null {
  if (r === undefined || r === null || r === '') return null;
  return typeof r === 'string' && r.length <= LIMITS.idLength ? null : 'the replica must be a replica id';
}

function checkBy(b: JsonValue | undefined): string | null {
  if (b === undefined) return null;
  return typeof b === 'number' && Number.isInteger(b) && b >= 1 && b <= 1_000_000
    ? null
    : '`by` must be a whole number from 1 to 1,000,000';
}

export function checkGossipArgs(op: string, args: { [k: string]: JsonValue }): string | null {
  switch (op) {
    case 'get':
    case 'counter':
    case 'members':
      return checkKey(args['key']) ?? checkReplica(args['replica']);
    case 'delete':
      return checkKey(args['key']);
    case 'set':
      return checkKey(args['key']) ?? checkValue(args['value']);
    case 'update':
      return checkUpdates(args['updates']);
    case 'rollback':
      return checkRollbackValues(args);
    case 'get_all':
    case 'version_vector':
      return checkReplica(args['replica']);
    case 'increment':
    case 'decrement':
    case 'grow':
      return checkKey(args['key']) ?? checkBy(args['by']);
    case 'add':
    case 'remove': {
      const e = args['element'];
      if (typeof e !== 'string' || e.length === 0 || e.length > LIMITS.keyLength)
        return `the element must be text of 1 to ${LIMITS.keyLength} characters`;
      return checkKey(args['key']);
    }
    default:
      return `gossip has no operation "${op}"`;
  }
}

// ------------------------------------------------------------------ routing

/**
 * The replica an agent is attached to: `attach[agent]` if the config names one; else, for
 * an id ending in a number N (agent1, agent2, …), replicas[(N-1) mod n], round-robin; else
 * a stable hash of the id. Deterministic, and the same in the diagram's links.
 */
export function attachedReplica(config: GossipConfig, agent: string): string {
  const a = config.attach ? dictGet(config.attach, agent) : undefined;
  if (a !== undefined && config.replicas.includes(a)) return a;
  const n = config.replicas.length;
  const m = /(\d+)$/.exec(agent);
  if (m) return config.replicas[(Number(m[1]) - 1 + n * 1000) % n]!;
  let h = 0x811c9dc5;
  for (let i = 0; i < agent.length; i++) h = Math.imul(h ^ agent.charCodeAt(i), 0x01000193) >>> 0;
  return config.replicas[h % n]!;
}

// ------------------------------------------------------------------ state

export function initGossip(id: string): GossipState {
  const doc = deepFreeze(emptyDoc());
  return {
    id,
    origin: id,
    doc,
    snap: doc,
    ref: {},
    refSnap: {},
    heard: {},
    gen: 0,
    round: 0,
    sessions: {},
    rounds: [],
    totals: { sent: 0, bytes: 0, received: 0, ignored: 0, collected: 0 },
    vvLog: {},
    writes: [],
    flaws: [],
    flawCount: 0,
    dropped: [],
    droppedCount: 0,
  };
}

function pushCapped<T>(xs: T[], x: T, cap: number): void {
  xs.push(x);
  if (xs.length > cap) xs.splice(0, xs.length - cap);
}

/** Notes, per origin, the tick at which this replica's knowledge of it grew. */
function logVv(s: GossipState, before: VV, after: VV, now: number): void {
  for (const o of Object.keys(after)) {
    const c = after[o]!;
    if (c <= vvGet(before, o)) continue;
    const log = dictGet(s.vvLog, o);
    if (log) pushCapped(log, [c, now], SHORT);
    else dictSet(s.vvLog, o, [[c, now]]);
  }
}

function setDoc(s: GossipState, d: Doc, now: number): void {
  logVv(s, s.doc.vv, d.vv, now);
  s.doc = deepFreeze(d);
}

/** The reference's store has no version vector; its shadow per-key vectors stand in for the plot. */
function refVv(r: RefStore): VV {
  // A frozen store never changes: its vector is computed once (frozen too, as it is shared).
  const frozen = Object.isFrozen(r);
  if (frozen) {
    const hit = refVvs.get(r);
    if (hit) return hit;
  }
  let vv: VV = {};
  for (const k of Object.keys(r)) vv = vvMerge(vv, r[k]!.who);
  if (frozen) refVvs.set(r, deepFreeze(vv));
  return vv;
}

const refVvs = new WeakMap<RefStore, VV>();

function setRef(s: GossipState, r: RefStore, now: number): void {
  const before = refVv(s.ref);
  s.ref = deepFreeze(r);
  logVv(s, before, refVv(s.ref), now);
}

/** An LWW write that loses to a concurrent one disappears: note each one, as it happens. */
function noteLwwDrops(s: GossipState, theirs: Doc, now: number): void {
  const mine = s.doc;
  for (const k of Object.keys(theirs.lww)) {
    const t: LwwEntry = theirs.lww[k]!;
    const m = dictGet(mine.lww, k);
    if (!m || (m.dot[0] === t.dot[0] && m.dot[1] === t.dot[1])) continue;
    if (knows(theirs.vv, m.dot) || knows(mine.vv, t.dot)) continue;
    const [kept, lost] = compareStamps(m.ts, t.ts) >= 0 ? [m, t] : [t, m];
    s.droppedCount += 1;
    pushCapped(
      s.dropped,
      { key: k, tick: now, kept: kept.v, lost: lost.v, keptDot: kept.dot, lostDot: lost.dot },
      SHORT,
    );
  }
}

// ------------------------------------------------------------------ local operations

type Outcome = { outcome: 'ok'; result: JsonValue } | { outcome: 'fail'; reason: string };

function noteWrite(s: GossipState, op: string, key: string, value: JsonValue | null, now: number, dot: Dot): void {
  pushCapped(s.writes, { dot, op, key, value, tick: now }, SHORT);
}

function lastDot(s: GossipState, config: GossipConfig): Dot {
  const vv = config.mode === 'reference' ? refVv(s.ref) : s.doc.vv;
  return [s.origin, vvGet(vv, s.origin)];
}

/** One write of a key, in the configured mode. */
function writeKey(
  s: GossipState,
  config: GossipConfig,
  op: string,
  key: string,
  value: JsonValue | null,
  now: number,
): Dot {
  if (config.mode === 'reference') setRef(s, refWrite(s.ref, s.origin, key, value), now);
  else if (config.mode === 'lww') setDoc(s, lwwWrite(s.doc, s.origin, now, key, value), now);
  else setDoc(s, mvWrite(s.doc, s.origin, key, value), now);
  const dot = lastDot(s, config);
  noteWrite(s, op, key, value, now, dot);
  return dot;
}

/** A key's current value (null: absent or deleted) and, in the multi-value mode, its siblings. */
export function readKey(
  s: GossipState,
  config: GossipConfig,
  key: string,
): { value: JsonValue | null; siblings: (JsonValue | null)[] | null } {
  if (config.mode === 'reference') return { value: dictGet(s.ref, key)?.v ?? null, siblings: null };
  if (config.mode === 'lww') return { value: dictGet(s.doc.lww, key)?.v ?? null, siblings: null };
  const sib = mvSiblings(s.doc, key);
  const live = sib.filter((x) => x.v !== null);
  // Several siblings: `value` is the one with the greatest dot (a deterministic pick, so every
  // replica that holds the same siblings answers the same); `siblings` has them all.
  // A delete sibling is not shown: once stable it is collected, at each replica in its own
  // round, and replicas that have seen the same updates must read the same (SEC).
  return {
    value: live.length ? live[live.length - 1]!.v : null,
    siblings: live.length > 1 ? live.map((x) => x.v) : null,
  };
}

/**
 * What reads can observe at a replica, as canonical JSON: every key's value (or siblings),
 * counter and set. Tombstones are left out (collected at different rounds on different
 * replicas, they are not observable); the version vector is in, so two replicas compare
 * equal only when they have also seen the same operations.
 */
export function observable(s: GossipState, config: GossipConfig): string {
  if (config.mode === 'reference') {
    const vals: Dict<JsonValue> = {};
    for (const k of Object.keys(s.ref).sort()) dictSet(vals, k, s.ref[k]!.v);
    return canonicalJson(vals);
  }
  const kv: Dict<JsonValue> = {};
  const keys = config.mode === 'lww' ? Object.keys(s.doc.lww) : Object.keys(s.doc.mv);
  for (const k of keys) {
    const r = readKey(s, config, k);
    if (r.value !== null || r.siblings) dictSet(kv, k, r.siblings ?? r.value);
  }
  const counters: Dict<JsonValue> = {};
  for (const k of Object.keys(s.doc.pn)) dictSet(counters, k, pnValue(s.doc, k));
  const grow: Dict<JsonValue> = {};
  for (const k of Object.keys(s.doc.g)) dictSet(grow, k, gValue(s.doc, k));
  const sets: Dict<JsonValue> = {};
  for (const k of Object.keys(s.doc.sets)) dictSet(sets, k, setMembers(s.doc, k));
  return canonicalJson({ kv, counters, grow, sets, vv: s.doc.vv });
}

export function readAll(s: GossipState, config: GossipConfig): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  const keys =
    config.mode === 'reference'
      ? Object.keys(s.ref)
      : config.mode === 'lww'
        ? Object.keys(s.doc.lww)
        : Object.keys(s.doc.mv);
  for (const k of keys.sort()) {
    const v = readKey(s, config, k).value;
    if (v !== null) dictSet(out, k, v);
  }
  return out;
}

/** `local`: the caller is an agent attached to this replica (else its read may be stale). */
export function applyOp(
  s: GossipState,
  config: GossipConfig,
  op: string,
  args: { [k: string]: JsonValue },
  now: number,
  local = true,
): Outcome {
  const bad = checkGossipArgs(op, args);
  if (bad) return { outcome: 'fail', reason: bad };
  if (config.mode === 'reference' && !REFERENCE_OPS.has(op)) {
    return {
      outcome: 'fail',
      reason: `the reference's GossipNode is a plain map: it has no ${op} (switch the mode to lww or mv-register for counters and sets)`,
    };
  }
  const elsewhere = local
    ? {}
    : { note: `read at ${s.id}, not at your own replica: it may not have your latest writes yet (stale)` };
  const key = args['key'] as string;
  switch (op) {
    case 'get': {
      const r = readKey(s, config, key);
      return {
        outcome: 'ok',
        result: { value: r.value, replica: s.id, local, ...(r.siblings ? { siblings: r.siblings } : {}), ...elsewhere },
      };
    }
    case 'get_all':
      return { outcome: 'ok', result: { state: readAll(s, config), replica: s.id, local, ...elsewhere } };
    case 'set':
      return { outcome: 'ok', result: { dot: writeKey(s, config, op, key, args['value']!, now) } };
    case 'update': {
      const u = args['updates'] as { [k: string]: JsonValue };
      const dots: JsonValue[] = [];
      for (const k of Object.keys(u).sort()) dots.push(writeKey(s, config, op, k, u[k]!, now));
      return { outcome: 'ok', result: { dots } };
    }
    case 'rollback': {
      const u = args['values'] as { [k: string]: JsonValue };
      const dots: JsonValue[] = [];
      for (const k of Object.keys(u).sort()) dots.push(writeKey(s, config, op, k, u[k]!, now));
      return { outcome: 'ok', result: { dots } };
    }
    case 'delete': {
      const existed = readKey(s, config, key).value !== null;
      return { outcome: 'ok', result: { existed, dot: writeKey(s, config, op, key, null, now) } };
    }
    case 'increment':
    case 'decrement': {
      const by = typeof args['by'] === 'number' ? args['by'] : 1;
      setDoc(s, pnAdd(s.doc, s.origin, key, op === 'increment' ? by : -by), now);
      noteWrite(s, op, key, op === 'increment' ? by : -by, now, lastDot(s, config));
      return { outcome: 'ok', result: { value: pnValue(s.doc, key) } };
    }
    case 'grow': {
      const by = typeof args['by'] === 'number' ? args['by'] : 1;
      setDoc(s, gIncrement(s.doc, s.origin, key, by), now);
      noteWrite(s, op, key, by, now, lastDot(s, config));
      return { outcome: 'ok', result: { value: gValue(s.doc, key) } };
    }
    case 'counter':
      return {
        outcome: 'ok',
        result: { value: pnValue(s.doc, key), grow: gValue(s.doc, key), replica: s.id, local, ...elsewhere },
      };
    case 'add':
    case 'remove': {
      const e = args['element'] as string;
      const existed = setMembers(s.doc, key).includes(e);
      setDoc(s, op === 'add' ? setAdd(s.doc, s.origin, key, e) : setRemove(s.doc, s.origin, key, e), now);
      noteWrite(s, op, key, e, now, lastDot(s, config));
      return { outcome: 'ok', result: { members: setMembers(s.doc, key), ...(op === 'remove' ? { existed } : {}) } };
    }
    case 'members':
      return { outcome: 'ok', result: { members: setMembers(s.doc, key), replica: s.id, local, ...elsewhere } };
    case 'version_vector':
      return { outcome: 'ok', result: { vv: config.mode === 'reference' ? refVv(s.ref) : s.doc.vv, replica: s.id } };
    default:
      return { outcome: 'fail', reason: `gossip has no operation "${op}"` };
  }
}

// ------------------------------------------------------------------ gossip

/** What replicas send each other. `doc`/`ref` is the sender's state as of its round start. */
export interface GossipMsg {
  t: 'gossip';
  kind: 'push' | 'pull' | 'pushpull' | 'reply';
  round: number;
  origin: string;
  vv: VV;
  doc: Doc | null;
  ref: RefStore | null;
}

function isGossip(p: unknown): p is GossipMsg {
  return isRecord(p) && p['t'] === 'gossip' && typeof p['round'] === 'number' && typeof p['kind'] === 'string';
}

function roundStat(s: GossipState, round: number): RoundStat {
  const last = s.rounds[s.rounds.length - 1];
  if (last && last.round === round) return last;
  // The ring is sorted by round, and rounds mostly arrive in order: a round after the last
  // is new, and appending it keeps the ring sorted.
  const inOrder = last === undefined || last.round < round;
  if (!inOrder) {
    const found = s.rounds.find((r) => r.round === round);
    if (found) return found;
  }
  const r = { round, sent: 0, bytes: 0 };
  pushCapped(s.rounds, r, RING);
  if (!inOrder) s.rounds.sort((a, b) => a.round - b.round);
  return r;
}

function message(s: GossipState, config: GossipConfig, kind: GossipMsg['kind'], round: number): GossipMsg {
  const seq = config.round === 'sequential';
  const withState = kind !== 'pull';
  const doc = config.mode === 'reference' ? null : seq ? s.doc : s.snap;
  const ref = config.mode === 'reference' ? (seq ? s.ref : s.refSnap) : null;
  return {
    t: 'gossip',
    kind,
    round,
    origin: s.origin,
    vv: config.mode === 'reference' ? refVv(ref ?? {}) : doc!.vv,
    doc: withState ? doc : null,
    ref: withState ? ref : null,
  };
}

// JSON lengths of frozen states (documents and stores are deep-frozen when set), so a round
// that sends the same snapshot to many peers, or a state that stays put for rounds, is
// serialised once. Holds nothing the world depends on.
const frozenLengths = new WeakMap<object, number>();

function jsonLength(x: object | null): number {
  if (x === null) return 4;
  const frozen = Object.isFrozen(x);
  if (frozen) {
    const n = frozenLengths.get(x);
    if (n !== undefined) return n;
  }
  const n = JSON.stringify(x).length;
  if (frozen) frozenLengths.set(x, n);
  return n;
}

/**
 * JSON.stringify(m).length, exactly: a property's text does not depend on the others, so the
 * message's own fields are serialised with the states as null ("null", 4 characters each)
 * and each state's length is added in their place.
 */
export function messageBytes(m: GossipMsg): number {
  // {"t":"gossip","kind":"","round":,"origin":,"vv":null,"doc":null,"ref":null} is 75
  // characters; the kind is plain ASCII and the round a whole number.
  const shell = 75 + m.kind.length + String(m.round).length + JSON.stringify(m.origin).length;
  return shell - 12 + jsonLength(m.vv) + jsonLength(m.doc) + jsonLength(m.ref);
}

function sendCounted(s: GossipState, out: Send[], to: string, m: GossipMsg): void {
  // The length of JSON text does not depend on key order: the native serialiser is exact here.
  const bytes = messageBytes(m);
  const r = roundStat(s, m.round);
  r.sent += 1;
  r.bytes += bytes;
  s.totals.sent += 1;
  s.totals.bytes += bytes;
  out.push({ to, payload: m });
}

/** Incarnation tick of an origin: plain ids are the scenario's own (−1), id~t came at t. */
function incarnation(origin: string): number {
  const i = origin.lastIndexOf('~');
  return i < 0 ? -1 : Number(origin.slice(i + 1));
}

function hear(s: GossipState, from: string, m: GossipMsg): void {
  const h = dictGet(s.heard, from);
  if (!h || incarnation(m.origin) > incarnation(h.origin)) dictSet(s.heard, from, { origin: m.origin, vv: m.vv });
  else if (h.origin === m.origin) h.vv = vvMerge(h.vv, m.vv);
}

function absorb(s: GossipState, config: GossipConfig, from: string, m: GossipMsg, now: number): void {
  if (config.mode === 'reference') {
    if (!m.ref) return;
    const r = refAccept(s.ref, m.ref, s.id, now);
    for (const f of r.flaws) {
      s.flawCount += 1;
      pushCapped(s.flaws, f, SHORT);
    }
    // A store that took nothing comes back as it was: nothing to freeze, nothing new to log.
    if (r.store !== s.ref) setRef(s, r.store, now);
    return;
  }
  if (!m.doc) return;
  hear(s, from, m);
  noteLwwDrops(s, m.doc, now);
  const merged = mergeDocs(s.doc, m.doc);
  // A merge that changes nothing (the same data in the same key order: most merges, once a
  // write has spread) keeps the document it had, already frozen and already measured.
  if (!sameJson(merged, s.doc)) setDoc(s, merged, now);
}

/** Equal as JSON text: the same values, and the same keys in the same order at every level. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Tombstones every member has seen, collected: each member's last reported vector must cover
 * the tombstone, and this replica must already know everything each member knew when it
 * reported (so any write made before a member saw the delete is here already, and the merge
 * rule of crdt.ts keeps it from coming back). Any member not heard from blocks collection.
 */
export function stableVector(s: GossipState, config: GossipConfig): VV | null {
  const reports: VV[] = [s.doc.vv];
  for (const m of config.replicas) {
    if (m === s.id) continue;
    const h = dictGet(s.heard, m);
    if (!h || !vvLeq(h.vv, s.doc.vv)) return null;
    reports.push(h.vv);
  }
  return vvMin(reports);
}

function gc(s: GossipState, config: GossipConfig): void {
  if (config.mode === 'reference' || tombstones(s.doc) === 0) return;
  const stable = stableVector(s, config);
  if (!stable) return;
  const r = collect(s.doc, stable);
  if (r.collected > 0) {
    s.totals.collected += r.collected;
    s.doc = deepFreeze(r.doc);
  }
}

interface Members {
  /** replica id → index in config.replicas */
  at: Map<string, number>;
  /** replica id → index in sorted order (the sequential round's turns) */
  turn: Map<string, number>;
}

// A memo per configuration object (configs are immutable values), so a 10,000-replica round
// is not 10,000 scans of the membership; it holds nothing the world depends on.
const membersMemo = new WeakMap<GossipConfig, Members>();

// The configuration last asked about (one is held): a round asks several times per replica, always of
// the same configuration, and a pointer compare is cheaper than the WeakMap.
let lastConfig: GossipConfig | null = null;
let lastMembers: Members | null = null;

function members(config: GossipConfig): Members {
  if (config === lastConfig && lastMembers) return lastMembers;
  let m = membersMemo.get(config);
  if (!m) {
    m = {
      at: new Map(config.replicas.map((r, i) => [r, i])),
      turn: new Map([...config.replicas].sort().map((r, i) => [r, i])),
    };
    membersMemo.set(config, m);
  }
  lastConfig = config;
  lastMembers = m;
  return m;
}

export function isMember(config: GossipConfig, id: string): boolean {
  return members(config).at.has(id);
}

function memberIndex(config: GossipConfig, id: string): number {
  return members(config).turn.get(id) ?? 0;
}

/** Turn offset within a round: 0 when synchronous; the replicas take turns when sequential. */
export function roundOffset(config: GossipConfig, id: string): number {
  if (config.round !== 'sequential') return 0;
  return Math.floor((memberIndex(config, id) * config.period) / config.replicas.length);
}

/** The next round tick after `now` for this replica (rounds 1, 2, … at k·period + offset). */
export function nextRoundTick(config: GossipConfig, id: string, now: number): number {
  const off = roundOffset(config, id);
  const k = Math.max(1, Math.floor((now - off) / config.period) + 1);
  return k * config.period + off;
}

function roundTimer(s: GossipState, config: GossipConfig, now: number): Effects<GossipState>['timers'] {
  return [{ delay: nextRoundTick(config, s.id, now) - now, payload: { t: 'round', gen: s.gen } }];
}

/** `f` distinct peers, uniformly, from the membership (rejection of repeats; f is small). */
function pickPeers(config: GossipConfig, self: string, ctx: HandlerCtx): string[] {
  const r = config.replicas;
  const me = members(config).at.get(self) ?? -1;
  const others = me < 0 ? r.length : r.length - 1;
  const f = Math.min(config.fanout, others);
  const picked: number[] = [];
  while (picked.length < f) {
    let j = ctx.draw(0, others - 1);
    if (me >= 0 && j >= me) j += 1;
    if (!picked.includes(j)) picked.push(j);
  }
  return picked.map((j) => r[j]!);
}

function runRound(s: GossipState, config: GossipConfig, ctx: HandlerCtx): Effects<GossipState> {
  const round = Math.floor((ctx.now - roundOffset(config, s.id)) / config.period);
  s.round = round;
  gc(s, config);
  s.snap = s.doc;
  s.refSnap = s.ref;
  roundStat(s, round);
  const send: Send[] = [];
  const kind = config.exchange === 'push' ? 'push' : config.exchange === 'pull' ? 'pull' : 'pushpull';
  for (const p of pickPeers(config, s.id, ctx)) sendCounted(s, send, p, message(s, config, kind, round));
  return { state: s, send, timers: roundTimer(s, config, ctx.now) };
}

function onGossip(
  s: GossipState,
  from: string,
  m: GossipMsg,
  config: GossipConfig,
  ctx: HandlerCtx,
): Effects<GossipState> {
  // Members only: a replica that was removed (or a stale message from before) does not write
  // into the cluster; when it is added back it starts empty and resyncs.
  if (
    !isMember(config, from) ||
    !isMember(config, s.id) ||
    (s.modeSince !== undefined && incarnation(m.origin) < s.modeSince)
  ) {
    s.totals.ignored += 1;
    return { state: s, send: [], timers: [] };
  }
  s.totals.received += 1;
  const send: Send[] = [];
  if (m.kind === 'pull' || m.kind === 'pushpull') sendCounted(s, send, from, message(s, config, 'reply', m.round));
  if (m.kind !== 'pull') absorb(s, config, from, m, ctx.now);
  return { state: s, send, timers: [] };
}

function ok(s: GossipState): Effects<GossipState> {
  return { state: s, send: [], timers: [] };
}

export const gossip: Architecture<GossipConfig, GossipState> = {
  kind: 'gossip',
  label: 'Gossip (CRDTs)',
  promise:
    'Local operations always complete. Replicas that have received the same updates are equal (strong eventual consistency), and after a heal with no new writes every replica converges within a bounded number of rounds. The reference mode is excluded: tied counters never converge and concurrent writes are silently dropped.',
  operations: gossipOperations,
  serverIds: (config) => [...config.replicas],
  initServer: (id) => initGossip(id),
  route(config, agent, _op, args) {
    const r = args['replica'];
    if (typeof r === 'string' && isMember(config, r)) return r;
    return attachedReplica(config, agent);
  },
  checkArgs: checkGossipArgs,
  // Every replica holds all the data and answers every operation locally.
  alternatives: (config, _agent, _op, _args, current) => config.replicas.filter((r) => r !== current),
  links(config, agents) {
    const out: [string, string][] = agents.map((a): [string, string] => [a, attachedReplica(config, a)]);
    const r = config.replicas;
    // A full mesh up to 8 replicas; beyond that a ring plus chords, so the diagram stays
    // readable (gossip still picks any member: a pair not drawn is simply not cuttable here).
    if (r.length <= 8) {
      for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) out.push([r[i]!, r[j]!]);
    } else {
      for (let i = 0; i < r.length; i++) {
        out.push([r[i]!, r[(i + 1) % r.length]!]);
        if (i < r.length / 2) out.push([r[i]!, r[(i + Math.floor(r.length / 2)) % r.length]!]);
      }
    }
    return out;
  },

  onStart(state, config, ctx) {
    if (ctx.now >= 0) state.origin = `${state.id}~${ctx.now}`;
    return { state, send: [], timers: roundTimer(state, config, ctx.now) };
  },

  onMessage(state, from, payload, config, ctx) {
    const s = state;
    if (isGossip(payload)) return onGossip(s, from, payload, config, ctx);
    if (!isRequest(payload)) return ok(s);
    const session = dictGet(s.sessions, from);
    if (session && payload.id === session.lastId)
      return { state: s, send: [{ to: from, payload: session.reply }], timers: [] };
    if (session && payload.id < session.lastId) return ok(s);
    const r = applyOp(s, config, payload.op, payload.args, ctx.now, attachedReplica(config, from) === s.id);
    const reply: Reply =
      r.outcome === 'ok'
        ? { t: 'res', id: payload.id, outcome: 'ok', result: r.result, reason: null }
        : { t: 'res', id: payload.id, outcome: 'fail', result: null, reason: r.reason };
    dictSet(s.sessions, from, { lastId: payload.id, reply: deepFreeze(reply) });
    return { state: s, send: [{ to: from, payload: reply }], timers: [] };
  },

  onTimer(state, payload, config, ctx) {
    if (!isRecord(payload) || payload['t'] !== 'round' || payload['gen'] !== state.gen) return ok(state);
    return runRound(state, config, ctx);
  },

  onCrash(state) {
    // Storage survives a crash; the round timer is cancelled by the engine.
    state.gen += 1;
    return state;
  },

  onRecover(state, config, ctx) {
    state.gen += 1;
    state.snap = state.doc;
    state.refSnap = state.ref;
    return { state, send: [], timers: roundTimer(state, config, ctx.now) };
  },

  onConfigure(state, from, to, ctx) {
    const s = state;
    s.gen += 1;
    if (from.mode !== to.mode) {
      // Switching mode starts the data afresh: the modes' states do not translate. A new
      // incarnation name keeps the new dots apart from the old ones, and lets exchanges
      // still in flight from before the switch be told apart and ignored (else an old
      // version vector claims to know the new mode's first writes, and drops them).
      s.origin = `${s.id}~${ctx.now}`;
      s.modeSince = ctx.now;
      s.doc = deepFreeze(emptyDoc());
      s.snap = s.doc;
      s.ref = {};
      s.refSnap = {};
      s.heard = {};
      s.vvLog = {};
      s.writes = [];
    }
    for (const m of dictKeys(s.heard)) if (!to.replicas.includes(m)) dictDelete(s.heard, m);
    if (!to.replicas.includes(s.id)) return ok(s);
    return { state: s, send: [], timers: roundTimer(s, to, ctx.now) };
  },

  checkConfig(config, network) {
    // Below the latency, an exchange started in one round lands in a later one: rounds stop
    // being the synchronous rounds the theory (and the spread plot) describes.
    return config.period < network.latency
      ? `the gossip period (${config.period} ticks) must be at least the link latency (${network.latency} ticks)`
      : null;
  },

  summary(state, config) {
    const vv = config.mode === 'reference' ? refVv(state.ref) : state.doc.vv;
    const keys = Object.keys(readAll(state, config)).length;
    const vector = Object.keys(vv)
      .sort()
      .slice(0, 8)
      .map((k) => `${k}:${vv[k]}`)
      .join(' ');
    return {
      role: 'replica',
      detail: `${keys} key${keys === 1 ? '' : 's'} · round ${state.round}`,
      version: null,
      facts: [
        ['Mode', config.mode],
        ['Round', String(state.round)],
        ['Version vector', vector || 'empty'],
        ['Messages sent', String(state.totals.sent)],
        ['Bytes sent', String(state.totals.bytes)],
      ],
    };
  },

  holdings(servers, config) {
    // Every replica holds every key; what a read there sees (all siblings in mv-register).
    const keys = new Set<string>();
    for (const { state } of servers) {
      const held: string[] =
        config.mode === 'reference'
          ? dictKeys(state.ref)
          : config.mode === 'lww'
            ? dictKeys(state.doc.lww)
            : dictKeys(state.doc.mv);
      for (const k of held) keys.add(k);
    }
    const out: Holdings = {};
    for (const k of [...keys].sort(compareStrings)) {
      const row: { [server: string]: JsonValue | null } = {};
      for (const { id, state } of servers) {
        const r = readKey(state, config, k);
        dictSet(row, id, r.siblings ?? r.value);
      }
      dictSet(out, k, row);
    }
    return out;
  },

  settle(state) {
    deepFreeze(state.doc);
    deepFreeze(state.snap);
    deepFreeze(state.ref);
    deepFreeze(state.refSnap);
    for (const k of Object.keys(state.sessions)) deepFreeze(state.sessions[k]!.reply);
  },
};
