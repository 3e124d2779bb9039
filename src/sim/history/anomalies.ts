import { compareStrings, dictGet } from '../core/dict';
import { partitionByKey } from './linearizability';
import { formatInterval } from './explain';
import { isObject, keysOf, regValue, rollbackWrites, type TimeUnit } from './formats';
import type { KvInput, KvOutput } from './kv-model';
import { UNKNOWN, type HistOp } from './model';
import {
  readValue,
  registerModel,
  regWriteKind,
  showValue,
  writtenValue,
  type RegInput,
  type RegOutput,
  type RegValue,
} from './register-model';
import type { History, OpRecord } from './types';

/**
 * Named anomalies, as Jepsen names them, each with the smallest set of operations that
 * proves it. These are sufficient conditions, chosen never to fire on a linearizable
 * history; a history can be non-linearizable without any of them (the linearizability
 * witness covers the rest).
 */
export type AnomalyType = 'stale-read' | 'lost-write' | 'lost-update' | 'fractured-read';

export interface Anomaly {
  readonly type: AnomalyType;
  readonly keys: string[];
  /** The operations that prove it, by id, in invocation order. */
  readonly opIds: number[];
  readonly explanation: string;
}

export interface AnomalyOptions {
  readonly timeUnit: TimeUnit;
  /** Per type; the rest are counted, not listed (default 20). */
  readonly maxPerType?: number;
  /** Name keys in explanations (false for a single register). */
  readonly showKeys?: boolean;
}

export interface AnomalyReport {
  readonly anomalies: Anomaly[];
  /** How many of each were found, listed or not. */
  readonly counts: Record<AnomalyType, number>;
}

type RegOp = HistOp<RegInput, RegOutput>;
type KvOp = HistOp<KvInput, KvOutput>;

const reg = registerModel();

class Collector {
  readonly anomalies: Anomaly[] = [];
  readonly counts: Record<AnomalyType, number> = {
    'stale-read': 0,
    'lost-write': 0,
    'lost-update': 0,
    'fractured-read': 0,
  };
  constructor(private readonly max: number) {}
  add(a: Anomaly): void {
    this.counts[a.type]++;
    if (this.counts[a.type] <= this.max) this.anomalies.push(a);
  }
  report(): AnomalyReport {
    return { anomalies: this.anomalies, counts: this.counts };
  }
}

const byCall = <T extends { call: number; id: number }>(a: T, b: T): number => a.call - b.call || a.id - b.id;

function idsOf(ops: readonly { id: number; call: number }[]): number[] {
  return [...new Map(ops.map((o) => [o.id, o])).values()]
    .sort((a, b) => a.call - b.call || a.id - b.id)
    .map((o) => o.id);
}

/**
 * Register histories (StateLab per key, Jepsen etcd).
 *
 * Stale read. A read R returned v, and some write W' (of another value) completed before R
 * was invoked, after every operation that could have written v had completed (so W' is
 * certainly later than any write of v, and R must come after W'). Writes of v that never
 * completed, or that were invoked after R ended, count as "could have written v" only if
 * they could precede R; an unfinished write of v can land any time, so it spoils the proof.
 * For v = no value, the initial state counts as a write of it completed at the start.
 *
 * Lost write. An acknowledged write W of a value no other operation writes, that no read
 * ever returned, while a read invoked after W completed returned a value certainly older
 * than W (all its writes completed before W was invoked). Conservative on purpose: a value
 * written twice, or an unacknowledged write, never makes a lost write.
 *
 * Lost update. Two compare-and-sets from the same value a both swapped (to values other
 * than a), and no operation that writes a could fall between them: every write of a
 * certainly precedes both or certainly follows both. One of the two read-modify-writes was
 * applied to a state the other had already replaced.
 */
export function registerAnomalies(ops: readonly RegOp[], opts: AnomalyOptions): AnomalyReport {
  const out = new Collector(opts.maxPerType ?? 20);
  const byKey = partitionByKey(ops);
  const t = (op: RegOp): string => formatInterval(op.call, op.ret, opts.timeUnit);
  const say = (op: RegOp): string => `${op.agent} ${reg.describeOp(op)} (${t(op)})`;

  for (const key of [...byKey.keys()].sort(compareStrings)) {
    const kops = [...(byKey.get(key) ?? [])].sort(byCall);
    const on = opts.showKeys === false ? '' : ` on ${key}`;
    const kind = kops.map(regWriteKind);
    const wrote = kops.map(writtenValue);
    const read = kops.map(readValue);

    // Possible writers of each value, by call, with the running maximum of their returns:
    // the sources of (v, before R.ret) are a prefix, and their last return is its maximum.
    const writersByValue = new Map<RegValue, { ops: RegOp[]; maxRet: number[] }>();
    kops.forEach((o, i) => {
      const v = wrote[i];
      if (kind[i] === 'none' || v === undefined) return;
      const e = writersByValue.get(v) ?? { ops: [], maxRet: [] };
      e.maxRet.push(Math.max(e.maxRet[e.maxRet.length - 1] ?? -Infinity, o.ret));
      e.ops.push(o);
      writersByValue.set(v, e);
    });
    const sourcesOf = (v: RegValue, before: number): { ops: RegOp[]; lastRet: number } => {
      const e = writersByValue.get(v);
      if (e === undefined) return { ops: [], lastRet: -Infinity };
      const m = upperBound(e.ops, before, (o) => o.call);
      return { ops: e.ops.slice(0, m), lastRet: m === 0 ? -Infinity : (e.maxRet[m - 1] ?? -Infinity) };
    };

    // Definite writes by return, with the one invoked last among each prefix.
    const definite = kops.filter((_, i) => kind[i] === 'definite').filter((o) => o.ret !== Infinity);
    definite.sort((a, b) => a.ret - b.ret || a.id - b.id);
    const latestBy: RegOp[] = [];
    for (const w of definite) {
      const prev = latestBy[latestBy.length - 1];
      latestBy.push(prev === undefined || w.call > prev.call ? w : prev);
    }
    /** The definite write invoked last among those that returned before t. */
    const latestBefore = (t: number): RegOp | undefined => latestBy[lowerBound(definite, t, (o) => o.ret) - 1];

    // Stale reads. The write W' invoked last among those completed before R began is the
    // best candidate: if even it began before the last write of v returned, none did.
    const explained: { r: RegOp; v: RegValue; lastRet: number }[] = [];
    kops.forEach((r, i) => {
      const v = read[i];
      if (v === undefined) return;
      const src = sourcesOf(v, r.ret);
      if (v !== null && src.ops.length === 0) return; // never written: not staleness
      explained.push({ r, v, lastRet: src.lastRet });
      const newer = latestBefore(r.call);
      if (newer === undefined || newer.call <= src.lastRet) return;
      const only = src.ops.length === 1;
      const what = opts.showKeys === false ? showValue(v) : `${key} = ${showValue(v)}`;
      out.add({
        type: 'stale-read',
        keys: [key],
        opIds: idsOf([r, newer, ...src.ops]),
        explanation:
          src.ops.length === 0
            ? `${r.agent} read ${what} at ${t(r)}, but ${newer.agent}'s ${noun(newer)} (${t(newer)}) had completed before the read began, and nothing removed the value in between.`
            : `${r.agent} read ${what} at ${t(r)}, but ${only ? 'the only write' : 'every write'} of ${showValue(v)} ` +
              `(${src.ops.map((o) => `${o.agent}, ${t(o)}`).join('; ')}) was overwritten by ${newer.agent}'s ${noun(newer)} (${t(newer)}), ` +
              `which completed before the read began.`,
      });
    });

    // Lost writes: reads by call, with the smallest "last source return" from each on.
    explained.sort((a, b) => a.r.call - b.r.call || a.r.id - b.r.id);
    const minFrom: number[] = new Array<number>(explained.length + 1).fill(Infinity);
    for (let j = explained.length - 1; j >= 0; j--)
      minFrom[j] = Math.min(minFrom[j + 1] ?? Infinity, explained[j]?.lastRet ?? Infinity);
    const readValues = new Set(read.filter((v): v is RegValue => v !== undefined));
    for (const w of definite) {
      if (w.input.f !== 'write' || w.input.value === null) continue;
      const v = w.input.value;
      if (readValues.has(v) || (writersByValue.get(v)?.ops.length ?? 0) > 1) continue;
      const from = upperBound(explained, w.ret, (e) => e.r.call);
      if ((minFrom[from] ?? Infinity) >= w.call) continue;
      for (let j = from; j < explained.length; j++) {
        const e = explained[j];
        if (e === undefined || e.lastRet >= w.call) continue;
        const src = sourcesOf(e.v, e.r.ret).ops;
        out.add({
          type: 'lost-write',
          keys: [key],
          opIds: idsOf([w, e.r, ...src]),
          explanation:
            `${say(w)} was acknowledged, but no read ever returned ${v}, and ${say(e.r)}, which began after the write completed, ` +
            `returned ${showValue(e.v)}, which ${src.length === 0 ? 'is the initial state' : `was written before the write began (${src.map(say).join('; ')})`}.`,
        });
        break;
      }
    }

    // Lost updates.
    const swapped = kops.filter(
      (o) => o.input.f === 'cas' && o.output !== UNKNOWN && o.output.f === 'cas' && o.output.swapped,
    );
    for (let i = 0; i < swapped.length; i++) {
      for (let j = i + 1; j < swapped.length; j++) {
        const c1 = swapped[i];
        const c2 = swapped[j];
        if (c1 === undefined || c2 === undefined || c1.input.f !== 'cas' || c2.input.f !== 'cas') continue;
        const a = c1.input.from;
        if (c2.input.from !== a || c1.input.to === a || c2.input.to === a) continue;
        const between = (writersByValue.get(a)?.ops ?? []).some(
          (x) => x !== c1 && x !== c2 && !(x.ret < c1.call && x.ret < c2.call) && !(x.call > c1.ret && x.call > c2.ret),
        );
        if (between) continue;
        out.add({
          type: 'lost-update',
          keys: [key],
          opIds: idsOf([c1, c2]),
          explanation:
            `${say(c1)} and ${say(c2)} both swapped from ${showValue(a)}, but no operation could have put ${showValue(a)} back${on} between them, ` +
            `so one of the two updates was applied to a value the other had already replaced.`,
        });
      }
    }
  }
  return out.report();
}

/** "write of 5", "delete", "compare-and-set 1 → 5": what a writing op did, as a noun. */
function noun(op: RegOp): string {
  switch (op.input.f) {
    case 'write':
      return `write of ${showValue(op.input.value)}`;
    case 'delete':
      return 'delete';
    case 'cas':
      return `compare-and-set ${showValue(op.input.from)} → ${showValue(op.input.to)}`;
    case 'read':
      return 'read';
  }
}

/** The number of items whose key is <= x (items sorted by key). */
function upperBound<T>(items: readonly T[], x: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = items[mid];
    if (m !== undefined && key(m) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The number of items whose key is < x (items sorted by key). */
function lowerBound<T>(items: readonly T[], x: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = items[mid];
    if (m !== undefined && key(m) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Porcupine kv histories (append / put / get).
 *
 * Stale read: a get returned a string that lacks the value of an append acknowledged before
 * the get was invoked, with no put that could have come between them to erase it.
 * Lost write: such an append that no get ever shows at all.
 */
export function kvAnomalies(ops: readonly KvOp[], opts: AnomalyOptions): AnomalyReport {
  const out = new Collector(opts.maxPerType ?? 20);
  const t = (op: KvOp): string => formatInterval(op.call, op.ret, opts.timeUnit);
  const describe = (op: KvOp): string => {
    const { input, output } = op;
    if (input.f === 'get')
      return output === UNKNOWN || output.f !== 'get' ? 'got an unknown result' : `got ${JSON.stringify(output.value)}`;
    return `${input.f === 'put' ? 'put' : 'appended'} ${JSON.stringify(input.value)}`;
  };
  const say = (op: KvOp): string => `${op.agent} ${describe(op)} (${t(op)})`;
  const byKey = partitionByKey(ops);
  for (const key of [...byKey.keys()].sort(compareStrings)) {
    const kops = [...(byKey.get(key) ?? [])].sort(byCall);
    const gets = kops.filter((o) => o.input.f === 'get' && o.output !== UNKNOWN && o.output.f === 'get');
    const seen = (op: KvOp): string => (op.output !== UNKNOWN && op.output.f === 'get' ? op.output.value : '');
    const puts = kops.filter((o) => o.input.f === 'put');
    const lostReported = new Set<number>();
    for (const g of gets) {
      const s = seen(g);
      // A put that may come before the get can erase any append invoked before the put
      // returned; only appends invoked after the latest such return must show.
      let erasedUpTo = -Infinity;
      for (const p of puts) if (p.call <= g.ret && p.ret > erasedUpTo) erasedUpTo = p.ret;
      // The latest acknowledged append the get should show but does not.
      let missing: KvOp | undefined;
      for (const a of kops) {
        if (
          a.input.f !== 'append' ||
          a.input.value === '' ||
          a.output === UNKNOWN ||
          a.ret >= g.call ||
          a.call <= erasedUpTo
        )
          continue;
        if (missing !== undefined && a.ret <= missing.ret) continue;
        if (!s.includes(a.input.value)) missing = a;
      }
      if (missing === undefined || missing.input.f !== 'append') continue;
      const value = missing.input.value;
      out.add({
        type: 'stale-read',
        keys: [key],
        opIds: idsOf([g, missing]),
        explanation: `${say(g)} on key ${JSON.stringify(key)} lacks ${JSON.stringify(value)}, though ${say(missing)} completed before the get began and no put could have removed it in between.`,
      });
      if (!lostReported.has(missing.id) && !gets.some((x) => seen(x).includes(value))) {
        lostReported.add(missing.id);
        out.add({
          type: 'lost-write',
          keys: [key],
          opIds: idsOf([missing, g]),
          explanation: `${say(missing)} on key ${JSON.stringify(key)} was acknowledged, but no get ever shows it, though ${say(g)} began after it completed with no put in between.`,
        });
      }
    }
  }
  return out.report();
}

/**
 * Fractured read (StateLab): a get_all saw a multi-key `update` on one key but not on
 * another, where what it saw on the other key is certainly older than the update (every
 * write of that value completed before the update was invoked). The update's value on the
 * first key must be one no other operation writes to it, so seeing it means seeing this
 * update. Failed operations are left out; an `info` update counts, because one that may
 * have been partly applied is exactly what this detects.
 */
export function fracturedReads(history: History, opts: AnomalyOptions): AnomalyReport {
  const out = new Collector(opts.maxPerType ?? 20);
  const ops = history.ops.filter((o) => o.outcome !== 'fail');
  const t = (o: OpRecord): string =>
    formatInterval(o.invokedAt, o.outcome === 'ok' && o.completedAt !== null ? o.completedAt : Infinity, opts.timeUnit);
  const ret = (o: OpRecord): number => (o.outcome === 'ok' && o.completedAt !== null ? o.completedAt : Infinity);
  // Every (op, key, value) write, values canonical.
  interface KeyWrite {
    readonly op: OpRecord;
    readonly key: string;
    readonly value: RegValue;
    /** A restore: any value. */
    readonly any?: boolean;
  }
  const allKeys = [...new Set(history.ops.flatMap(keysOf))].sort(compareStrings);
  const writes: KeyWrite[] = [];
  for (const o of ops) {
    const args = isObject(o.args) ? o.args : {};
    if (o.op === 'set' && typeof args['key'] === 'string')
      writes.push({ op: o, key: args['key'], value: regValue(dictGet(args, 'value') ?? null) });
    if (o.op === 'delete' && typeof args['key'] === 'string') writes.push({ op: o, key: args['key'], value: null });
    const u = args['updates'];
    if (o.op === 'update' && isObject(u))
      for (const k of Object.keys(u)) writes.push({ op: o, key: k, value: regValue(dictGet(u, k) ?? null) });
    if (o.op === 'cas' && typeof args['key'] === 'string') {
      writes.push({ op: o, key: args['key'], value: regValue(dictGet(args, 'value') ?? dictGet(args, 'to') ?? null) });
    }
    if (o.op === 'restore') for (const k of allKeys) writes.push({ op: o, key: k, value: null, any: true });
    if (o.op === 'rollback') {
      const w = rollbackWrites(o);
      if (w === null) for (const k of allKeys) writes.push({ op: o, key: k, value: null, any: true });
      else for (const k of Object.keys(w)) writes.push({ op: o, key: k, value: regValue(dictGet(w, k) ?? null) });
    }
  }
  const byKeyValue = new Map<string, KeyWrite[]>();
  const anyByKey = new Map<string, KeyWrite[]>();
  for (const w of writes) {
    const index = w.any === true ? anyByKey : byKeyValue;
    const id = w.any === true ? w.key : JSON.stringify([w.key, w.value]);
    const list = index.get(id);
    if (list === undefined) index.set(id, [w]);
    else list.push(w);
  }
  const writersOf = (key: string, v: RegValue, before: number): KeyWrite[] =>
    [...(byKeyValue.get(JSON.stringify([key, v])) ?? []), ...(anyByKey.get(key) ?? [])].filter(
      (w) => w.op.invokedAt <= before,
    );

  // Each get_all's view, canonical values, computed once.
  const reads = ops
    .filter(
      (o) =>
        o.op === 'get_all' &&
        o.outcome === 'ok' &&
        o.completedAt !== null &&
        isObject(o.result) &&
        isObject(dictGet(o.result, 'state')),
    )
    .map((g) => {
      const st = isObject(g.result) ? dictGet(g.result, 'state') : undefined;
      const view = new Map<string, RegValue>();
      for (const k of allKeys) view.set(k, regValue((isObject(st) ? dictGet(st, k) : undefined) ?? null));
      return { g, view };
    });
  for (const u of ops) {
    const args = isObject(u.args) ? u.args : {};
    const updates = args['updates'];
    if (u.op !== 'update' || !isObject(updates) || Object.keys(updates).length < 2) continue;
    const ukeys = Object.keys(updates).sort(compareStrings);
    const mine = new Map(ukeys.map((k) => [k, regValue(dictGet(updates, k) ?? null)]));
    for (const { g, view } of reads) {
      if (g.completedAt === null || g.completedAt < u.invokedAt) continue;
      const seenValue = (k: string): RegValue => view.get(k) ?? null;
      const sawIt = ukeys.find((k) => {
        const v = mine.get(k) ?? null;
        return seenValue(k) === v && writersOf(k, v, ret(g)).every((w) => w.op === u);
      });
      if (sawIt === undefined) continue;
      for (const k of ukeys) {
        const v = seenValue(k);
        if (v === (mine.get(k) ?? null)) continue;
        const sources = writersOf(k, v, ret(g));
        if (v !== null && sources.length === 0) continue;
        if (!sources.every((w) => ret(w.op) < u.invokedAt)) continue;
        const older =
          sources.length === 0
            ? 'its initial state'
            : `written before the update began (${sources.map((w) => `${w.op.agent}, ${t(w.op)}`).join('; ')})`;
        out.add({
          type: 'fractured-read',
          keys: [sawIt, k],
          opIds: [...new Set([u, g, ...sources.map((w) => w.op)])]
            .sort((a, b) => a.invokedAt - b.invokedAt || a.id - b.id)
            .map((o) => o.id),
          explanation:
            `${g.agent}'s get_all (${t(g)}) saw ${u.agent}'s update (${t(u)}) on ${sawIt} (= ${showValue(seenValue(sawIt))}) but not on ${k}: ` +
            `it read ${k} = ${showValue(v)}, ${older}.`,
        });
        break;
      }
    }
  }
  return out.report();
}

export function mergeReports(...reports: AnomalyReport[]): AnomalyReport {
  const counts: Record<AnomalyType, number> = {
    'stale-read': 0,
    'lost-write': 0,
    'lost-update': 0,
    'fractured-read': 0,
  };
  const anomalies: Anomaly[] = [];
  for (const r of reports) {
    anomalies.push(...r.anomalies);
    for (const k of Object.keys(counts) as AnomalyType[]) counts[k] += r.counts[k];
  }
  return { anomalies, counts };
}
