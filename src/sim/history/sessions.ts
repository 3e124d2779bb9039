import { compareStrings, dictGet } from '../core/dict';
import { formatInterval } from './explain';
import { appendEffect, isObject, keysOf, regValue, rollbackWrites, snapshotState } from './formats';
import { showValue, type RegValue } from './register-model';
import type { History, OpRecord } from './types';

/**
 * Session guarantees (Terry et al., 1994), one session per agent, over StateLab histories.
 *
 * Session order: agent A's op P precedes its op Q when P was invoked first and completed
 * no later than Q was invoked (`P.id < Q.id && P.ret <= Q.call`). StateLab agents keep one
 * operation outstanding, so an agent's op invoked at the tick its previous reply arrived
 * came after that reply. Only `ok` operations count: a failed one did nothing, an `info`
 * one may or may not have happened, so it promises nothing.
 *
 * Versions, as the centralized store reports them: a write returns the store version it
 * created; `get` returns the version at which the key's current value was written (0 when
 * absent, so absent reads carry no version); `get_all` returns the store version it read.
 * A later op's version must then be at least an earlier one's only where both speak of the
 * same thing: a get of k against a get of k or a write to k; a get_all or a write against
 * anything. When an op has no version, write order is inferred from real time instead:
 * value u is certainly older than write W when every op that could have written u
 * completed before W was invoked (the initial "no value" counts as written at the start).
 * That inference assumes writes take effect within their intervals, which a weak store need
 * not do: versions are the better evidence and are used whenever present. Where results name
 * the replica that served a read or accepted a write (gossip), a third party's read is
 * evidence about write order only if it was served by the replica that accepted the write.
 *
 * - read-your-writes: after A writes k, A's reads of k see that write or a later one.
 * - monotonic reads: A's later read never sees an older state than A's earlier read.
 * - monotonic writes: A's writes are applied in A's order.
 * - writes-follow-reads: a write A issues after reading is applied after the write A read.
 */
export type Guarantee = 'read-your-writes' | 'monotonic-reads' | 'monotonic-writes' | 'writes-follow-reads';

export interface SessionViolation {
  readonly guarantee: Guarantee;
  readonly agent: string;
  readonly keys: string[];
  readonly opIds: number[];
  readonly explanation: string;
}

export interface SessionReport {
  readonly sessions: number;
  readonly violations: SessionViolation[];
  readonly counts: Record<Guarantee, number>;
  /** Per guarantee: whether it holds for every session. */
  readonly holds: Record<Guarantee, boolean>;
}

interface SOp {
  readonly rec: OpRecord;
  readonly id: number;
  readonly agent: string;
  readonly call: number;
  readonly ret: number;
  readonly reads: Map<string, RegValue>;
  readonly writes: Map<string, RegValue>;
  /** null: no usable version. */
  readonly version: number | null;
  /** 'key': a get's per-key version; 'store': a write's or get_all's store version. */
  readonly scope: 'key' | 'store';
  /** The replica that served a read or accepted a write, when the result says (gossip's `replica`, `dot`, `dots`). */
  readonly replica: string | null;
}

export function checkSessions(
  history: History,
  opts: { timeUnit?: 'tick' | 'line'; maxPerGuarantee?: number } = {},
): SessionReport {
  const unit = opts.timeUnit ?? 'tick';
  const max = opts.maxPerGuarantee ?? 20;
  const allKeys = [...new Set(history.ops.flatMap(keysOf))].sort(compareStrings);
  const ops = history.ops.flatMap((r) => toSOp(r, allKeys));
  const counts: Record<Guarantee, number> = {
    'read-your-writes': 0,
    'monotonic-reads': 0,
    'monotonic-writes': 0,
    'writes-follow-reads': 0,
  };
  const violations: SessionViolation[] = [];
  const add = (v: SessionViolation): void => {
    counts[v.guarantee]++;
    if (counts[v.guarantee] <= max) violations.push(v);
  };
  const t = (o: SOp): string => formatInterval(o.call, o.ret, unit);

  // Every op that could have written (k, v): non-failed ops, including info ones.
  const writers = new Map<string, { call: number; ret: number; id: number }[]>();
  for (const r of history.ops) {
    if (r.outcome === 'fail') continue;
    const ret = r.outcome === 'ok' && r.completedAt !== null ? r.completedAt : Infinity;
    for (const [k, v] of writesOf(r, allKeys, true)) {
      const key = JSON.stringify([k, v]);
      writers.set(key, [...(writers.get(key) ?? []), { call: r.invokedAt, ret, id: r.id }]);
    }
  }
  const sourcesOf = (k: string, v: RegValue, before: number): { call: number; ret: number; id: number }[] =>
    (writers.get(JSON.stringify([k, v])) ?? []).filter((w) => w.call <= before);
  /** Value u of k, seen by a read ending at `readRet`, certainly predates `time`. */
  const olderThan = (k: string, u: RegValue, readRet: number, time: number): boolean => {
    const src = sourcesOf(k, u, readRet);
    if (u !== null && src.length === 0) return false;
    return src.every((w) => w.ret < time);
  };

  // Reads by (key, value), for the checks that look for a later read of a value.
  const readsOf = new Map<string, SOp[]>();
  for (const o of ops) {
    for (const [k, v] of o.reads) {
      const key = JSON.stringify([k, v]);
      const list = readsOf.get(key);
      if (list === undefined) readsOf.set(key, [o]);
      else list.push(o);
    }
  }
  /**
   * A read (by anyone) invoked after write q completed that returned (k, v), from a server
   * that certainly held q. Real time says so on a store where a completed write is everywhere
   * (the assumption of a history without replicas). Where results name replicas, only the
   * replica that accepted q certainly held it: another may simply not have heard of q yet,
   * which is staleness, not a reordering (and would contradict a causal verdict).
   */
  const laterRead = (k: string, v: RegValue, q: SOp): SOp | undefined =>
    (readsOf.get(JSON.stringify([k, v])) ?? []).find(
      (r) =>
        r.call > q.ret &&
        (r.replica === null && q.replica === null ? true : r.replica !== null && r.replica === q.replica),
    );

  // Each agent's ops in session order. Each check compares an op with the strongest earlier
  // evidence (the latest own write of a key, the highest version read so far), not with
  // every earlier op: the same verdicts in linear time.
  const agents = [...new Set(ops.map((o) => o.agent))].sort(compareStrings);
  for (const agent of agents) {
    const mine = ops.filter((o) => o.agent === agent).sort((a, b) => a.id - b.id);
    const byRet = [...mine].sort((a, b) => a.ret - b.ret || a.id - b.id);
    const lastWrite = new Map<string, SOp>();
    const lastRead = new Map<string, SOp>();
    let topRead: SOp | undefined; // highest version among reads
    const topKeyRead = new Map<string, SOp>(); // highest version among gets of a key
    let topWrite: SOp | undefined; // highest version among writes
    let released = 0;
    const pendingRelease: SOp[] = [];
    const release = (p: SOp): void => {
      for (const k of p.writes.keys()) lastWrite.set(k, p);
      for (const k of p.reads.keys()) lastRead.set(k, p);
      if (p.version !== null) {
        if (p.reads.size > 0 && (topRead === undefined || p.version > (topRead.version ?? 0))) topRead = p;
        if (p.scope === 'key') {
          for (const k of p.reads.keys()) {
            const cur = topKeyRead.get(k);
            if (cur === undefined || p.version > (cur.version ?? 0)) topKeyRead.set(k, p);
          }
        }
        if (p.writes.size > 0 && (topWrite === undefined || p.version > (topWrite.version ?? 0))) topWrite = p;
      }
    };
    for (const q of mine) {
      // Ops that completed by the time q was invoked, and were invoked before it, precede it.
      while (released < byRet.length && (byRet[released]?.ret ?? Infinity) <= q.call) {
        const p = byRet[released++];
        if (p !== undefined) pendingRelease.push(p);
      }
      for (let i = pendingRelease.length - 1; i >= 0; i--) {
        const p = pendingRelease[i];
        if (p !== undefined && p.id < q.id) {
          release(p);
          pendingRelease.splice(i, 1);
        }
      }

      // read-your-writes: the latest own write of each key q reads.
      for (const [k, u] of q.reads) {
        const p = lastWrite.get(k);
        const w = p?.writes.get(k);
        if (p === undefined || w === undefined || u === w) continue;
        const byVersion = p.version !== null && q.version !== null && (q.scope === 'store' || u !== null);
        const bad = byVersion ? (q.version ?? 0) < (p.version ?? 0) : olderThan(k, u, q.ret, p.call);
        if (!bad) continue;
        add({
          guarantee: 'read-your-writes',
          agent,
          keys: [k],
          opIds: [p.id, q.id],
          explanation:
            `${agent} wrote ${showValue(w)} to ${k} (${t(p)}${p.version === null ? '' : `, version ${p.version}`}), then read ${k} (${t(q)}) ` +
            `and got ${showValue(u)}${byVersion ? ` at version ${q.version}` : ', which was written before its own write began'}: its own write was not visible.`,
        });
        break;
      }

      // monotonic reads: against the highest version read before (store-wide reads), the
      // highest version of the same key (gets), or the last value read of each key.
      if (q.reads.size > 0) {
        const candidates = new Set<SOp>();
        if (q.version !== null && q.scope === 'store' && topRead !== undefined) candidates.add(topRead);
        if (q.version !== null && q.scope === 'key')
          for (const k of q.reads.keys()) {
            const p = topKeyRead.get(k);
            if (p !== undefined) candidates.add(p);
          }
        for (const k of q.reads.keys()) {
          const p = lastRead.get(k);
          if (p !== undefined) candidates.add(p);
        }
        for (const p of candidates) {
          const viol = monotonicReads(p, q, sourcesOf);
          if (viol === null) continue;
          add({
            guarantee: 'monotonic-reads',
            agent,
            keys: viol.keys,
            opIds: [p.id, q.id],
            explanation: `${agent} read ${viol.first} (${t(p)}), then ${viol.second} (${t(q)}): the later read saw an older state.`,
          });
          break;
        }
      }

      if (q.writes.size > 0) {
        // monotonic writes: against the highest version written before; without versions,
        // the last own write of each key q writes, and a later read of its value.
        if (
          q.version !== null &&
          topWrite !== undefined &&
          topWrite.version !== null &&
          q.version <= topWrite.version
        ) {
          const p = topWrite;
          add({
            guarantee: 'monotonic-writes',
            agent,
            keys: [...new Set([...p.writes.keys(), ...q.writes.keys()])].sort(compareStrings),
            opIds: [p.id, q.id],
            explanation: `${agent}'s write at ${t(p)} got version ${p.version}, but its later write at ${t(q)} got version ${q.version}: the store applied them out of order.`,
          });
        } else if (q.version === null) {
          for (const [k, w] of q.writes) {
            const p = lastWrite.get(k);
            const v = p?.writes.get(k);
            if (p === undefined || v === undefined || v === w) continue;
            const r = laterRead(k, v, q);
            const src = r === undefined ? [] : sourcesOf(k, v, r.ret);
            if (r === undefined || src.length !== 1 || src[0]?.id !== p.id) continue;
            add({
              guarantee: 'monotonic-writes',
              agent,
              keys: [k],
              opIds: [p.id, q.id, r.id],
              explanation:
                `${agent} wrote ${showValue(v)} to ${k} (${t(p)}) and later wrote ${showValue(w)} (${t(q)}), but ${r.agent}'s read ` +
                `(${t(r)}), which began after the second write completed, still returned ${showValue(v)}: the first write was applied last.`,
            });
            break;
          }
        }

        // writes-follow-reads: against the highest version read before; without versions,
        // the last value read of each key q writes, read again after q.
        if (q.version !== null && topRead !== undefined && topRead.version !== null && q.version <= topRead.version) {
          const p = topRead;
          add({
            guarantee: 'writes-follow-reads',
            agent,
            keys: [...new Set([...p.reads.keys(), ...q.writes.keys()])].sort(compareStrings),
            opIds: [p.id, q.id],
            explanation: `${agent} read a state at version ${p.version} (${t(p)}), then wrote (${t(q)}), but its write got version ${q.version}: it was not ordered after what ${agent} had read.`,
          });
        } else if (q.version === null) {
          for (const k of q.writes.keys()) {
            const p = lastRead.get(k);
            const v = p?.reads.get(k);
            if (p === undefined || v === undefined || v === null || q.writes.get(k) === v) continue;
            const r = laterRead(k, v, q);
            const src = r === undefined ? [] : sourcesOf(k, v, r.ret);
            if (r === undefined || src.length !== 1 || src[0]?.id === q.id) continue;
            add({
              guarantee: 'writes-follow-reads',
              agent,
              keys: [k],
              opIds: [p.id, q.id, r.id],
              explanation:
                `${agent} read ${k} = ${showValue(v)} (${t(p)}) and then wrote ${k} (${t(q)}), but ${r.agent}'s read ` +
                `(${t(r)}), which began after that write completed, returned ${showValue(v)} again: the write ${agent} had read was applied after ${agent}'s own.`,
            });
            break;
          }
        }
      }
    }
  }
  const holds = {
    'read-your-writes': counts['read-your-writes'] === 0,
    'monotonic-reads': counts['monotonic-reads'] === 0,
    'monotonic-writes': counts['monotonic-writes'] === 0,
    'writes-follow-reads': counts['writes-follow-reads'] === 0,
  };
  return { sessions: agents.length, violations, counts, holds };
}

type Sources = (k: string, v: RegValue, before: number) => { call: number; ret: number; id: number }[];

function monotonicReads(p: SOp, q: SOp, sourcesOf: Sources): { keys: string[]; first: string; second: string } | null {
  if (p.version !== null && q.version !== null) {
    // q's version bounds p's only when q is a store-wide read, or both are gets of one key.
    const [k] = [...p.reads.keys()];
    const sameKey = q.scope === 'key' && p.scope === 'key' && k !== undefined && q.reads.has(k);
    if (q.scope === 'store' || sameKey) {
      if (q.version >= p.version) return null;
      const keys = sameKey && k !== undefined ? [k] : [...q.reads.keys()];
      return { keys, first: `at version ${p.version}`, second: `at version ${q.version}` };
    }
    // Versions of different kinds say nothing about each other: compare values.
  }
  for (const [k, u1] of p.reads) {
    const u2 = q.reads.get(k);
    if (u2 === undefined || u2 === u1) continue;
    // u2 is older than u1 if every write of u2 completed before any write of u1 began. No
    // value is older than the initial one; an unexplained u1 says nothing.
    const src1 = sourcesOf(k, u1, p.ret);
    if (u1 === null || src1.length === 0) continue;
    const firstOfU1 = Math.min(...src1.map((w) => w.call));
    const src2 = sourcesOf(k, u2, q.ret);
    if (u2 !== null && src2.length === 0) continue;
    if (src2.every((w) => w.ret < firstOfU1)) {
      return { keys: [k], first: `${k} = ${showValue(u1)}`, second: `${k} = ${showValue(u2)}` };
    }
  }
  return null;
}

function toSOp(r: OpRecord, allKeys: readonly string[]): SOp[] {
  if (r.outcome !== 'ok' || r.completedAt === null) return [];
  const result = isObject(r.result) ? r.result : {};
  const v = dictGet(result, 'version');
  const version = typeof v === 'number' ? v : null;
  const reads = new Map<string, RegValue>();
  const args = isObject(r.args) ? r.args : {};
  let scope: 'key' | 'store' = 'store';
  let usable = version;
  // A read of siblings (several concurrent values) says nothing about one write order: the
  // session guarantees, defined on single values, leave it out.
  const siblings = dictGet(result, 'siblings');
  if (r.op === 'get' && Array.isArray(siblings) && siblings.length > 1) return [];
  if (r.op === 'get' && typeof args['key'] === 'string') {
    const value = regValue(dictGet(result, 'value') ?? null);
    reads.set(args['key'], value);
    scope = 'key';
    if (value === null) usable = null; // an absent key reports version 0
  }
  if (r.op === 'get_all') {
    const st = dictGet(result, 'state');
    if (isObject(st)) for (const k of allKeys) reads.set(k, regValue(dictGet(st, k) ?? null));
  }
  const writes = writesOf(r, allKeys, false);
  if (reads.size === 0 && writes.size === 0) return [];
  return [
    {
      rec: r,
      id: r.id,
      agent: r.agent,
      call: r.invokedAt,
      ret: r.completedAt,
      reads,
      writes,
      version: usable,
      scope,
      replica: replicaOf(result),
    },
  ];
}

/** Where an op happened, if its result names one replica: a read's `replica`, a write's dot(s). */
function replicaOf(result: { [k: string]: unknown }): string | null {
  const served = dictGet(result, 'replica');
  if (typeof served === 'string') return served;
  const dots = [
    dictGet(result, 'dot'),
    ...(Array.isArray(dictGet(result, 'dots')) ? (dictGet(result, 'dots') as unknown[]) : []),
  ];
  let at: string | null = null;
  for (const d of dots) {
    if (!Array.isArray(d) || typeof d[0] !== 'string') continue;
    if (at !== null && at !== d[0]) return null;
    at = d[0];
  }
  return at;
}

/** What an op wrote, key by key. `maybe`: include ops whose effect is not certain. */
function writesOf(r: OpRecord, allKeys: readonly string[], maybe: boolean): Map<string, RegValue> {
  const out = new Map<string, RegValue>();
  const args = isObject(r.args) ? r.args : {};
  const result = isObject(r.result) ? r.result : {};
  const key = args['key'];
  switch (r.op) {
    case 'set':
      if (typeof key === 'string') out.set(key, regValue(dictGet(args, 'value') ?? null));
      break;
    case 'update': {
      const u = args['updates'];
      if (isObject(u)) for (const k of Object.keys(u)) out.set(k, regValue(dictGet(u, k) ?? null));
      break;
    }
    case 'delete':
      // Deleting an absent key changes nothing, not even the version.
      if (typeof key === 'string' && (maybe || dictGet(result, 'existed') !== false)) out.set(key, null);
      break;
    case 'append': {
      const e = appendEffect(r.args);
      if (e !== null && e !== 'counter') out.set(e.key, regValue(e.write));
      break;
    }
    case 'cas': {
      const swapped = dictGet(result, 'swapped') ?? dictGet(result, 'ok') ?? dictGet(result, 'success');
      if (typeof key === 'string' && (swapped === true || (maybe && r.outcome !== 'ok'))) {
        out.set(key, regValue(dictGet(args, 'value') ?? dictGet(args, 'to') ?? null));
      }
      break;
    }
    case 'restore': {
      const snap = snapshotState(args['snapshot'] ?? null);
      if (snap !== null) for (const k of allKeys) out.set(k, regValue(dictGet(snap, k) ?? null));
      break;
    }
    case 'rollback': {
      const w = rollbackWrites(r);
      if (w !== null) for (const k of Object.keys(w)) out.set(k, regValue(dictGet(w, k) ?? null));
      break;
    }
  }
  return out;
}
