/**
 * Random small histories in the three formats the checker reads (a Jepsen etcd log, a
 * Porcupine kv log, a StateLab history), for comparing the checker with the independent
 * oracle (src/sim/oracle). Half come from a simulated linearizable store, perturbed or not,
 * so that both verdicts are common; the other half have random results.
 *
 * What each outcome means is written down here once, in `toOracle`, apart from the parsers
 * in formats.ts: that is the specification the parsers are tested against.
 */
import fc from 'fast-check';
import type { OracleOp } from '../oracle/oracle.testkit';
import type { History, OpRecord, Outcome } from './types';

export type Dialect = 'etcd' | 'kv' | 'statelab';
type Kind = 'read' | 'write' | 'delete' | 'cas' | 'get' | 'put' | 'append';
export type GenOutcome = 'ok' | 'fail' | 'info' | 'pending';

/** One operation as it happened: what was asked, how it ended, and when (event positions). */
export interface GenOp {
  /** Invocation order, which is also the id every reader gives it. */
  readonly id: number;
  readonly proc: number;
  readonly key: string;
  readonly kind: Kind;
  readonly value: string | null;
  readonly from: string | null;
  readonly to: string | null;
  outcome: GenOutcome;
  /** The recorded result of an ok op (and of an etcd cas that failed: not swapped). */
  result?: { value?: string | null; swapped?: boolean; existed?: boolean };
  /** Times of invocation and completion (null: never completed). */
  call: number;
  done: number | null;
}

export interface GenHistory {
  readonly dialect: Dialect;
  readonly simulated: boolean;
  readonly perturbed: boolean;
  readonly ops: GenOp[];
  /** The log as text (etcd, kv) or the StateLab history. */
  readonly text?: string;
  readonly history?: History;
}

const KINDS: Record<Dialect, readonly Kind[]> = {
  etcd: ['read', 'write', 'cas'],
  kv: ['get', 'put', 'append'],
  statelab: ['read', 'write', 'delete', 'cas'],
};
const VALUES: Record<Dialect, readonly string[]> = {
  etcd: ['0', '1', '2'],
  kv: ['a', 'b', 'ab'],
  statelab: ['1', '2'],
};
const KEYS: Record<Dialect, readonly string[]> = { etcd: ['register'], kv: ['0', '1'], statelab: ['x', 'y'] };

interface Plan {
  readonly dialect: Dialect;
  readonly procs: number;
  readonly simulated: boolean;
  readonly perturb: boolean;
  readonly ties: boolean;
  readonly ops: readonly {
    proc: number;
    kind: number;
    key: number;
    v: number;
    w: number;
    outcome: GenOutcome;
    applied: boolean;
    r: number;
  }[];
  readonly schedule: readonly number[];
  readonly perturbAt: number;
  readonly perturbBy: number;
}

export const planArb: fc.Arbitrary<Plan> = fc.record({
  dialect: fc.constantFrom<Dialect>('etcd', 'kv', 'statelab'),
  procs: fc.integer({ min: 2, max: 5 }),
  simulated: fc.boolean(),
  perturb: fc.boolean(),
  ties: fc.boolean(),
  ops: fc.array(
    fc.record({
      proc: fc.nat(4),
      kind: fc.nat(3),
      key: fc.nat(1),
      v: fc.nat(2),
      w: fc.nat(2),
      outcome: fc.constantFrom<GenOutcome>('ok', 'ok', 'ok', 'ok', 'fail', 'info', 'pending'),
      applied: fc.boolean(),
      r: fc.nat(3),
    }),
    { minLength: 2, maxLength: 10, size: 'medium' },
  ),
  schedule: fc.array(fc.nat(99), { minLength: 8, maxLength: 40 }),
  perturbAt: fc.nat(20),
  perturbBy: fc.nat(3),
});

export const historyArb: fc.Arbitrary<GenHistory> = planArb.map(build);

/** Runs the plan: processes invoke, take effect (in the simulated store) and complete. */
export function build(plan: Plan): GenHistory {
  const { dialect } = plan;
  const kinds = KINDS[dialect];
  const values = VALUES[dialect];
  const keys = KEYS[dialect];
  const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

  interface Task {
    readonly spec: Plan['ops'][number];
    readonly kind: Kind;
    readonly key: string;
    readonly value: string | null;
    readonly from: string | null;
    readonly to: string | null;
  }
  const queues: Task[][] = Array.from({ length: plan.procs }, () => []);
  plan.ops.forEach((spec, i) => {
    const kind = pick(kinds, spec.kind);
    const key = pick(keys, spec.key);
    // A cas may expect "no value" in StateLab; etcd's and kv's values are always values.
    const maybeNull = (i: number): string | null => (dialect === 'statelab' && i === 2 ? null : pick(values, i));
    // The first two ops go to two processes, so every history has at least two.
    queues[(i < 2 ? i : spec.proc) % plan.procs]?.push({
      spec,
      kind,
      key,
      value: kind === 'read' || kind === 'get' || kind === 'delete' || kind === 'cas' ? null : pick(values, spec.v),
      from: kind === 'cas' ? maybeNull(spec.v) : null,
      to: kind === 'cas' ? pick(values, spec.w) : null,
    });
  });

  const store = new Map<string, string | null>();
  const ops: GenOp[] = [];
  const events: { op: GenOp; type: 'call' | 'done' }[] = [];
  type Active = { op: GenOp; task: Task; applied: boolean; mustApply: boolean };
  const active: (Active | null)[] = Array.from({ length: plan.procs }, () => null);
  const stopped: boolean[] = Array.from({ length: plan.procs }, () => false);

  const apply = (a: Active): void => {
    const { task, op } = a;
    const cur = store.get(task.key) ?? null;
    const res: NonNullable<GenOp['result']> = {};
    switch (task.kind) {
      case 'read':
        res.value = cur;
        break;
      case 'get':
        res.value = cur ?? '';
        break;
      case 'write':
      case 'put':
        store.set(task.key, task.value);
        break;
      case 'append':
        store.set(task.key, (cur ?? '') + (task.value ?? ''));
        break;
      case 'delete':
        res.existed = cur !== null;
        store.set(task.key, null);
        break;
      case 'cas':
        res.swapped = cur === task.from;
        if (res.swapped) store.set(task.key, task.to);
        break;
    }
    if (plan.simulated) op.result = res;
    a.applied = true;
  };

  let guard = 0;
  for (let k = 0; guard < 1000; k++, guard++) {
    // Every move any process can make now, in process order.
    const moves: { p: number; move: 'call' | 'apply' | 'done' }[] = [];
    for (let p = 0; p < plan.procs; p++) {
      const a = active[p];
      if (a === null || a === undefined) {
        if (!stopped[p] && (queues[p]?.length ?? 0) > 0) moves.push({ p, move: 'call' });
        continue;
      }
      if (a.mustApply && !a.applied) moves.push({ p, move: 'apply' });
      else if (a.op.outcome !== 'pending') moves.push({ p, move: 'done' });
    }
    if (moves.length === 0) break;
    const m = moves[(plan.schedule[k % plan.schedule.length] ?? 0) % moves.length];
    if (m === undefined) break;
    if (m.move === 'call') {
      const task = queues[m.p]?.shift();
      if (task === undefined) continue;
      const op: GenOp = {
        id: ops.length,
        proc: m.p,
        key: task.key,
        kind: task.kind,
        value: task.value,
        from: task.from,
        to: task.to,
        outcome: task.spec.outcome,
        call: -1,
        done: null,
      };
      // Which outcomes take effect: ok always; fail never (except a cas, judged by the store,
      // and etcd's timed-out read, which changes nothing either way); info and pending maybe.
      const mustApply =
        op.outcome === 'ok' ||
        (op.outcome === 'fail' && op.kind === 'cas' && dialect === 'etcd') ||
        (op.outcome !== 'fail' && task.spec.applied);
      ops.push(op);
      events.push({ op, type: 'call' });
      active[m.p] = { op, task, applied: false, mustApply };
    } else if (m.move === 'apply') {
      const a = active[m.p];
      if (a === null || a === undefined) continue;
      apply(a);
      if (a.op.outcome === 'pending') {
        // It took effect but its reply never arrives: the process is stuck from now on.
        active[m.p] = { ...a, mustApply: false };
        stopped[m.p] = true;
      }
    } else {
      const a = active[m.p];
      if (a === null || a === undefined) continue;
      finishOutcome(dialect, a.op);
      events.push({ op: a.op, type: 'done' });
      active[m.p] = null;
      // After an info, Jepsen's and Porcupine's process is gone (a new one would take its
      // place); StateLab's agent carries on after a timeout.
      if (a.op.outcome === 'info' && dialect !== 'statelab') stopped[m.p] = true;
    }
  }
  // Whatever is still open never completed.
  for (const a of active) if (a !== null && a !== undefined) a.op.outcome = 'pending';
  // The pending ops that did not take effect stay open too, which is the same thing.

  if (!plan.simulated) {
    for (const op of ops) op.result = randomResult(dialect, op, plan.ops[op.id]?.r ?? 0);
    for (const op of ops) finishOutcome(dialect, op);
  }
  let perturbed = false;
  if (plan.simulated && plan.perturb) perturbed = perturb(dialect, ops, plan.perturbAt, plan.perturbBy);

  // Times: one line per event (etcd, kv), one tick per event or per two (StateLab, where
  // two events in one tick are concurrent).
  events.forEach((e, i) => {
    const t = dialect === 'statelab' ? (plan.ties ? i >> 1 : i) : i + 1;
    if (e.type === 'call') e.op.call = t;
    else e.op.done = t;
  });
  if (dialect === 'statelab') return { dialect, simulated: plan.simulated, perturbed, ops, history: toStateLab(ops) };
  const text = events.map((e) => (dialect === 'etcd' ? etcdLine(e.op, e.type) : kvLine(e.op, e.type))).join('\n');
  return { dialect, simulated: plan.simulated, perturbed, ops, text: `${text}\n` };
}

/** In etcd a completed cas is `:ok` when it swapped and `:fail` when it did not. */
function finishOutcome(dialect: Dialect, op: GenOp): void {
  if (dialect !== 'etcd' || op.kind !== 'cas' || (op.outcome !== 'ok' && op.outcome !== 'fail')) return;
  if (op.result?.swapped === undefined) return;
  op.outcome = op.result.swapped ? 'ok' : 'fail';
}

function randomResult(dialect: Dialect, op: GenOp, r: number): NonNullable<GenOp['result']> {
  const values = VALUES[dialect];
  switch (op.kind) {
    case 'read':
      return { value: r === 0 ? null : (values[(r - 1) % values.length] ?? null) };
    case 'get':
      return { value: ['', ...values][r % (values.length + 1)] ?? '' };
    case 'cas':
      return { swapped: r % 2 === 0 };
    case 'delete':
      return { existed: r % 2 === 0 };
    default:
      return {};
  }
}

/** Changes one recorded result of an ok op (or an etcd cas's outcome); false if none has one. */
function perturb(dialect: Dialect, ops: GenOp[], at: number, by: number): boolean {
  const observed = ops.filter(
    (o) =>
      (o.outcome === 'ok' || (dialect === 'etcd' && o.kind === 'cas' && o.outcome === 'fail')) &&
      (o.kind === 'read' || o.kind === 'get' || o.kind === 'cas' || o.kind === 'delete'),
  );
  const op = observed[at % Math.max(1, observed.length)];
  if (op === undefined || op.result === undefined) return false;
  const values = VALUES[dialect];
  if (op.kind === 'read') {
    const choices = [null, ...values].filter((v) => v !== op.result?.value);
    op.result = { value: choices[by % choices.length] ?? null };
  } else if (op.kind === 'get') {
    const choices = ['', ...values].filter((v) => v !== op.result?.value);
    op.result = { value: choices[by % choices.length] ?? '' };
  } else if (op.kind === 'cas') {
    op.result = { swapped: op.result.swapped !== true };
    finishOutcome(dialect, op);
  } else {
    op.result = { existed: op.result.existed !== true };
  }
  return true;
}

function etcdLine(op: GenOp, type: 'call' | 'done'): string {
  const pre = `INFO  jepsen.util - ${op.proc}\t`;
  const arg = op.kind === 'read' ? 'nil' : op.kind === 'write' ? (op.value ?? '0') : `[${op.from} ${op.to}]`;
  if (type === 'call') return `${pre}:invoke\t:${op.kind}\t${arg}`;
  if (op.outcome === 'info') return `${pre}:info\t:${op.kind}\t:timed-out`;
  if (op.outcome === 'fail') return `${pre}:fail\t:${op.kind}\t${op.kind === 'read' ? ':timed-out' : arg}`;
  if (op.kind === 'read') return `${pre}:ok\t:read\t${op.result?.value ?? 'nil'}`;
  return `${pre}:ok\t:${op.kind}\t${arg}`;
}

function kvLine(op: GenOp, type: 'call' | 'done'): string {
  const quote = (v: string | null | undefined): string => (v === null || v === undefined ? 'nil' : `"${v}"`);
  const t = type === 'call' ? 'invoke' : op.outcome;
  const value =
    op.kind === 'get' ? (type === 'call' || op.outcome !== 'ok' ? 'nil' : quote(op.result?.value)) : quote(op.value);
  return `{:process ${op.proc}, :type :${t}, :f :${op.kind}, :key "${op.key}", :value ${value}}`;
}

function toStateLab(ops: readonly GenOp[]): History {
  const records: OpRecord[] = ops.map((o) => {
    const num = (v: string | null): number | null => (v === null ? null : Number(v));
    const args =
      o.kind === 'read'
        ? { key: o.key }
        : o.kind === 'write'
          ? { key: o.key, value: num(o.value) }
          : o.kind === 'delete'
            ? { key: o.key }
            : { key: o.key, expected: num(o.from), value: num(o.to) };
    const outcome: Outcome | null = o.outcome === 'pending' ? null : o.outcome;
    const ok = outcome === 'ok';
    const result =
      !ok || o.result === undefined
        ? null
        : o.kind === 'read'
          ? { value: num(o.result.value ?? null) }
          : o.kind === 'delete'
            ? { existed: o.result.existed ?? false }
            : o.kind === 'cas'
              ? { swapped: o.result.swapped ?? false }
              : {};
    return {
      id: o.id,
      agent: `agent${o.proc}`,
      op: o.kind === 'read' ? 'get' : o.kind === 'write' ? 'set' : o.kind,
      args,
      invokedAt: o.call,
      completedAt: outcome === null ? null : o.done,
      outcome,
      result,
      reason: ok ? null : outcome === null ? null : outcome === 'fail' ? 'refused' : 'timed out',
    };
  });
  return { ops: records };
}

/**
 * The specification: what each outcome of each format says about an operation, as the
 * oracle takes it. Left out: what definitely did not happen. ret = +Infinity: may take
 * effect any time after its call, or never. No result: an unknown one.
 */
export function toOracle(h: GenHistory, only?: ReadonlySet<number>): OracleOp[] {
  const out: OracleOp[] = [];
  for (const o of h.ops) {
    if (only !== undefined && !only.has(o.id)) continue;
    const completed = o.done !== null && o.outcome !== 'pending';
    // fail: did not happen. Except in etcd, where a failed cas completed without swapping
    // and a failed read timed out (completed, result unknown).
    if (o.outcome === 'fail' && !(h.dialect === 'etcd' && (o.kind === 'cas' || o.kind === 'read'))) continue;
    const known = completed && (o.outcome === 'ok' || (o.outcome === 'fail' && o.kind === 'cas'));
    const ret = known || (completed && o.outcome === 'fail') ? (o.done ?? Infinity) : Infinity;
    const base = { call: o.call, ret, key: o.key };
    const r = known ? o.result : undefined;
    switch (o.kind) {
      case 'read':
        out.push(
          r === undefined ? { ...base, kind: 'read' } : { ...base, kind: 'read', result: { value: r.value ?? null } },
        );
        break;
      case 'get':
        out.push(
          r === undefined ? { ...base, kind: 'get' } : { ...base, kind: 'get', result: { value: r.value ?? '' } },
        );
        break;
      case 'write':
      case 'put':
      case 'append':
        out.push({ ...base, kind: o.kind, value: o.value ?? '' });
        break;
      case 'delete':
        out.push(
          r === undefined
            ? { ...base, kind: 'delete' }
            : { ...base, kind: 'delete', result: { existed: r.existed ?? false } },
        );
        break;
      case 'cas': {
        const swapped = h.dialect === 'etcd' ? o.outcome === 'ok' : r?.swapped;
        out.push(
          r === undefined || swapped === undefined
            ? { ...base, kind: 'cas', from: o.from, to: o.to }
            : { ...base, kind: 'cas', from: o.from, to: o.to, result: { swapped } },
        );
        break;
      }
    }
  }
  return out;
}
