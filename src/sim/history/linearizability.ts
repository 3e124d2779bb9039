import { compareStrings } from '../core/dict';
import { explainWitness, formatInterval } from './explain';
import type { TimeUnit } from './formats';
import type { HistOp, Model } from './model';
import { PartitionSearch, type Verdict } from './search';
import { shrinkWitness } from './witness';

export type { Verdict } from './search';

/** Enough for every history in the corpus, 30 times over (the hardest key needs ~63,000). */
export const DEFAULT_MAX_STEPS = 2_000_000;
/** Steps for shrinking a witness, all re-checks together. */
export const DEFAULT_WITNESS_STEPS = 2_000_000;
/** Keys take turns in slices of this many steps, so one hard key cannot starve the rest. */
const SLICE = 5_000;

export interface LinearizabilityOptions {
  /** Search steps for all keys together; past it, undecided keys are 'unknown'. */
  readonly maxSteps?: number;
  /** Shrink and explain a witness when not linearizable (default true). */
  readonly witness?: boolean;
  readonly witnessMaxSteps?: number;
  /** Keep checking the other keys after one is found not linearizable (default false). */
  readonly allKeys?: boolean;
  readonly timeUnit?: TimeUnit;
  /** Name keys in explanations (false for a single register). */
  readonly showKeys?: boolean;
}

export interface KeyVerdict {
  readonly key: string;
  readonly linearizable: Verdict;
  readonly steps: number;
  readonly ops: number;
  /** Why a key is 'unknown'. */
  readonly note?: string;
}

export interface WitnessOp {
  readonly id: number;
  readonly agent: string;
  readonly description: string;
  readonly call: number;
  /** null: never completed. */
  readonly ret: number | null;
  readonly interval: string;
}

export interface Witness {
  readonly key: string;
  /** Op ids, in invocation order. */
  readonly opIds: number[];
  readonly explanation: string;
  readonly ops: WitnessOp[];
  /** True when removing any one op (with what depended on it) makes the rest linearizable. */
  readonly minimal: boolean;
  readonly steps: number;
}

export interface LinearizabilityResult {
  readonly linearizable: Verdict;
  /** Search steps, all keys (not counting witness shrinking). */
  readonly steps: number;
  readonly perKey: KeyVerdict[];
  /** Per key, op ids in a valid order (when linearizable). Pending ops that never took effect come last. */
  readonly linearization?: Record<string, number[]>;
  readonly witness?: Witness;
}

/**
 * Linearizability of a history, key by key (P-compositionality: a history is linearizable
 * iff each key's sub-history is, for models whose keys are independent).
 */
export function checkLinearizability<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly HistOp<I, O>[],
  opts: LinearizabilityOptions = {},
): LinearizabilityResult {
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const byKey = partitionByKey(ops);
  const keys = [...byKey.keys()].sort(compareStrings);

  interface Job {
    readonly key: string;
    readonly ops: HistOp<I, O>[];
    readonly search: PartitionSearch<S, I, O>;
    verdict: Verdict | null;
    order?: readonly number[];
  }
  const jobs: Job[] = keys.map((key) => {
    const keyOps = byKey.get(key) ?? [];
    return { key, ops: keyOps, search: new PartitionSearch(model, keyOps), verdict: null };
  });

  let spent = 0;
  let stop = false;
  while (!stop && jobs.some((j) => j.verdict === null) && spent < maxSteps) {
    for (const job of jobs) {
      if (job.verdict !== null) continue;
      const before = job.search.steps;
      const r = job.search.run(Math.min(SLICE, maxSteps - spent));
      spent += job.search.steps - before;
      if (r !== null) {
        job.verdict = r.verdict;
        if (r.order !== undefined) job.order = r.order;
        if (r.verdict === false && opts.allKeys !== true) {
          stop = true;
          break;
        }
      }
      if (spent >= maxSteps) break;
    }
  }

  const anyFalse = jobs.some((j) => j.verdict === false);
  const perKey: KeyVerdict[] = jobs.map((j) => {
    const base = { key: j.key, steps: j.search.steps, ops: j.ops.length };
    if (j.verdict === true || j.verdict === false) return { ...base, linearizable: j.verdict };
    const note =
      anyFalse && spent < maxSteps
        ? 'not finished: another key was found not linearizable first'
        : 'step budget exhausted';
    return { ...base, linearizable: 'unknown', note };
  });
  const linearizable: Verdict = anyFalse ? false : jobs.every((j) => j.verdict === true) ? true : 'unknown';
  const result: { -readonly [K in keyof LinearizabilityResult]: LinearizabilityResult[K] } = {
    linearizable,
    steps: spent,
    perKey,
  };

  if (linearizable === true) {
    const lin: Record<string, number[]> = {};
    for (const j of jobs) {
      Object.defineProperty(lin, j.key, {
        value: (j.order ?? []).map((i) => j.ops[i]?.id ?? -1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    result.linearization = lin;
  }
  const failed = jobs.find((j) => j.verdict === false);
  if (failed !== undefined && opts.witness !== false) {
    result.witness = buildWitness(model, failed.key, failed.ops, opts);
  }
  return result;
}

export function buildWitness<S, I, O>(
  model: Model<S, I, O>,
  key: string,
  ops: readonly HistOp<I, O>[],
  opts: LinearizabilityOptions = {},
): Witness {
  const budget = opts.witnessMaxSteps ?? DEFAULT_WITNESS_STEPS;
  const shrunk = shrinkWitness(model, ops, { maxSteps: budget, stepsPerCheck: Math.max(100_000, budget / 10) });
  const unit = opts.timeUnit ?? 'tick';
  const wops = [...shrunk.ops].sort((a, b) => a.call - b.call || a.id - b.id);
  return {
    key,
    opIds: wops.map((o) => o.id),
    explanation: explainWitness(model, wops, {
      timeUnit: unit,
      minimal: shrunk.minimal,
      ...(opts.showKeys === false ? {} : { keyLabel: `key ${JSON.stringify(key)}` }),
    }),
    ops: wops.map((o) => ({
      id: o.id,
      agent: o.agent,
      description: model.describeOp(o),
      call: o.call,
      ret: o.ret === Infinity ? null : o.ret,
      interval: formatInterval(o.call, o.ret, unit),
    })),
    minimal: shrunk.minimal,
    steps: shrunk.steps,
  };
}

export function partitionByKey<T extends { readonly key: string }>(ops: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const op of ops) {
    const list = out.get(op.key);
    if (list === undefined) out.set(op.key, [op]);
    else list.push(op);
  }
  return out;
}
