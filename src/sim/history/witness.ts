import type { HistOp, Model, OpView, StateDependence } from './model';
import { searchPartition } from './search';

/**
 * Shrinking a non-linearizable history of one key to a small sub-history that still is not
 * linearizable, and that still proves the whole history is not.
 *
 * Plain subset shrinking is unsound: drop the write of 3 and "read 3" alone is not
 * linearizable, though the history may well be. So a candidate must be closed:
 *
 *   every *relevant* operation comes with every write that could have been the last to
 *   change the state before it (its requirements). Operations whose recorded result depends
 *   on the state ('legality': a read, a cas with known outcome) are relevant; so is an
 *   operation whose effect depends on the state ('effect': an append, a cas with unknown
 *   outcome) when it is a requirement of a relevant operation in the candidate.
 *
 * Why that suffices: take any linearization L of the whole history and keep only the
 * candidate's operations. By induction along L, each relevant op's last write in L is kept
 * and everything kept between them changed nothing in L and still changes nothing, so the
 * relevant op sees the same state and gets the same result; irrelevant ops have unknown
 * results or no observed effect, and real-time order is inherited. So a closed candidate
 * that is not linearizable means the whole history is not.
 *
 * "Could have been the last write before Y": a write X that fits Y's recorded result
 * (`Model.couldFeed`), is not certainly overwritten before Y begins (no write Z that surely
 * took effect with X.ret < Z.call and Z.ret < Y.call), and may come before Y in L:
 * X.call <= bound(Y). For a legality op the bound is Y.ret. An effect op U matters only as
 * the last write before some relevant op K that requires it, so U and U's own last write
 * come before K in L: U's bound is min(U.ret, the largest bound among the candidate's
 * relevant ops that require it). Without that, a pending cas (ret = +Infinity) that fed one
 * read would drag in every write to the end of the history.
 *
 * When no write could have been the last before Y, Y alone already proves the history
 * wrong, but would convince nobody; so Y then requires the evidence instead: the latest
 * write that fits Y but was overwritten, and the write that overwrote it. Those two are
 * never relevant themselves.
 */
/**
 * Where the state an op saw could have come from: some `writers` (and/or the initial state);
 * or nowhere, because the only fitting write (`old`) or the initial state was certainly
 * overwritten (`by`) before the op began; or `nothing` ever fits.
 */
export type Source =
  | { readonly kind: 'writers'; readonly writers: readonly number[]; readonly initial: boolean }
  | { readonly kind: 'overwritten'; readonly old: number; readonly by: number }
  | { readonly kind: 'initial-overwritten'; readonly by: number }
  | { readonly kind: 'nothing' };

export class Closure<S, I, O> {
  private readonly dep: StateDependence[];
  /** Writes that fit op y's result and are not certainly overwritten before it, by call. */
  private readonly cand: number[][];
  /**
   * For an op with no possible last write: the latest write that fits it but was
   * overwritten (-1: none), and the write that overwrote it (-1: nothing surely did).
   */
  private readonly overwritten: number[];
  private readonly overwriter: number[];
  private readonly initFits: boolean[];

  constructor(
    model: Model<S, I, O>,
    private readonly ops: readonly HistOp<I, O>[],
  ) {
    const n = ops.length;
    const kinds = ops.map((op) => model.writeKind(op));
    this.dep = ops.map((op) => model.stateDependence(op));
    const feeds = model.refineFeeds?.(ops) ?? ((w: OpView<I, O> | null, r: OpView<I, O>) => model.couldFeed(w, r));
    const definite: number[] = [];
    const writers: number[] = [];
    ops.forEach((op, i) => {
      if (kinds[i] !== 'none') writers.push(i);
      if (kinds[i] === 'definite' && op.ret !== Infinity) definite.push(i);
    });
    writers.sort((a, b) => (ops[a]?.call ?? 0) - (ops[b]?.call ?? 0));
    this.cand = [];
    this.overwritten = [];
    this.overwriter = [];
    this.initFits = [];
    for (let y = 0; y < n; y++) {
      const Y = ops[y];
      const mine: number[] = [];
      this.cand.push(mine);
      let latest = -1;
      let overwritten = -1;
      if (Y !== undefined && this.dep[y] !== 'none') {
        // X is certainly overwritten before Y iff some definite write Z with Z.ret < Y.call
        // began after X returned; the one that began last decides.
        let latestCall = -Infinity;
        for (const z of definite) {
          const Z = ops[z];
          if (Z !== undefined && Z.ret < Y.call && Z.call > latestCall) {
            latestCall = Z.call;
            latest = z;
          }
        }
        for (const x of writers) {
          const X = ops[x];
          if (x === y || X === undefined || !feeds(X, Y)) continue;
          if (X.ret >= latestCall) mine.push(x);
          else if (overwritten === -1 || X.ret > (ops[overwritten]?.ret ?? -Infinity)) overwritten = x;
        }
      }
      this.overwritten.push(overwritten);
      this.overwriter.push(latest);
      this.initFits.push(Y !== undefined && feeds(null, Y));
    }
  }

  /** Why op y saw what it saw, as far as the ops at hand tell (see `Source`). */
  source(y: number, bound: number): Source {
    const writers: number[] = [];
    for (const x of this.cand[y] ?? []) {
      if ((this.ops[x]?.call ?? Infinity) > bound) break;
      writers.push(x);
    }
    const latest = this.overwriter[y] ?? -1;
    if (writers.length > 0 || latest === -1) {
      return writers.length === 0 && this.initFits[y] !== true
        ? { kind: 'nothing' }
        : { kind: 'writers', writers, initial: latest === -1 && this.initFits[y] === true };
    }
    const old = this.overwritten[y] ?? -1;
    if (old !== -1) return { kind: 'overwritten', old, by: latest };
    return this.initFits[y] === true ? { kind: 'initial-overwritten', by: latest } : { kind: 'nothing' };
  }

  /**
   * What op y requires, given its bound: the writes that could have been the last before
   * it; or, when there is none and the initial state was surely overwritten, the evidence.
   */
  required(y: number, bound: number): readonly number[] {
    const s = this.source(y, bound);
    switch (s.kind) {
      case 'writers':
        return s.writers;
      case 'overwritten':
        return [s.old, s.by];
      case 'initial-overwritten':
        return [s.by];
      case 'nothing':
        return [];
    }
  }

  /** The relevant ops of `set`, with their bounds. */
  relevant(set: ReadonlySet<number>): Map<number, number> {
    const bound = new Map<number, number>();
    const work: number[] = [];
    for (const y of set) {
      if (this.dep[y] === 'legality') {
        bound.set(y, this.ops[y]?.ret ?? Infinity);
        work.push(y);
      }
    }
    while (work.length > 0) {
      const y = work.pop() ?? 0;
      const by = bound.get(y) ?? -Infinity;
      const src = this.source(y, by);
      // Evidence ops need nothing themselves: when y has no possible source at all, the
      // whole history already has no linearization, and inside the witness the overwriting
      // write rules out the old one whatever state it started from.
      if (src.kind !== 'writers') continue;
      for (const x of src.writers) {
        if (!set.has(x) || this.dep[x] !== 'effect') continue;
        const b = Math.min(this.ops[x]?.ret ?? Infinity, Math.max(bound.get(x) ?? -Infinity, by));
        if (b > (bound.get(x) ?? -Infinity)) {
          bound.set(x, b);
          work.push(x);
        }
      }
    }
    return bound;
  }

  /** A closed subset of `set`: drops relevant ops missing a requirement until none is. */
  closeDown(set: ReadonlySet<number>): Set<number> {
    const out = new Set(set);
    for (;;) {
      let removed = false;
      for (const [y, b] of this.relevant(out)) {
        if (this.required(y, b).some((x) => !out.has(x))) {
          out.delete(y);
          removed = true;
        }
      }
      if (!removed) return out;
    }
  }

  isClosed(set: ReadonlySet<number>): boolean {
    for (const [y, b] of this.relevant(set)) if (this.required(y, b).some((x) => !set.has(x))) return false;
    return true;
  }
}

export interface ShrinkOptions {
  /** Steps for all the re-checks together. */
  readonly maxSteps: number;
  /** Steps for one re-check; a re-check cut short keeps the ops it was testing. */
  readonly stepsPerCheck: number;
}

export interface ShrinkResult<I, O> {
  readonly ops: HistOp<I, O>[];
  readonly steps: number;
  /** False when the step budget ran out, or a re-check was cut short, on the way. */
  readonly minimal: boolean;
}

/**
 * Greedy delta debugging (Zeller's ddmin, complement steps only) over closed subsets of a
 * non-linearizable history of one key, after cutting it to the shortest prefix (by call
 * time) that still fails. The result is 1-minimal: removing any single op (and whatever
 * depended on it) leaves a linearizable history.
 */
export function shrinkWitness<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly HistOp<I, O>[],
  opts: ShrinkOptions,
): ShrinkResult<I, O> {
  const closure = new Closure(model, ops);
  let steps = 0;
  let exhausted = false;
  // A re-check cut short keeps its ops, so the result may not be 1-minimal.
  let undecided = false;
  const fails = (set: ReadonlySet<number>): boolean => {
    if (set.size === 0) return false;
    const left = opts.maxSteps - steps;
    if (left <= 0) {
      exhausted = true;
      return false;
    }
    const sub = [...set]
      .sort((a, b) => a - b)
      .map((i) => ops[i])
      .filter((o): o is HistOp<I, O> => o !== undefined);
    const r = searchPartition(model, sub, Math.min(left, opts.stepsPerCheck));
    steps += r.steps;
    if (r.verdict === 'unknown') undecided = true;
    return r.verdict === false;
  };

  let current = new Set(ops.keys());

  // Start from where the search got stuck: every op invoked by then, and their writes.
  const full = searchPartition(model, ops, Math.min(opts.stepsPerCheck, opts.maxSteps));
  steps += full.steps;
  if (full.stuckAt !== undefined) {
    const t = full.stuckAt;
    const cand = closure.closeDown(new Set([...current].filter((i) => (ops[i]?.call ?? Infinity) <= t)));
    if (cand.size < current.size && fails(cand)) current = cand;
  }

  // Then the shortest failing prefix, by binary search over call times. Failure need not
  // be monotone in the prefix, so this only ever moves to a prefix it has checked.
  const calls = [...new Set([...current].map((i) => ops[i]?.call ?? 0))].sort((a, b) => a - b);
  let lo = 0;
  let hi = calls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = calls[mid] ?? Infinity;
    const cand = closure.closeDown(new Set([...current].filter((i) => (ops[i]?.call ?? Infinity) <= t)));
    if (fails(cand)) {
      hi = mid;
      current = cand;
    } else lo = mid + 1;
  }

  // ddmin: remove chunks, halving the chunk size when nothing can go.
  let parts = 2;
  while (current.size >= 2 && !exhausted) {
    const list = [...current].sort((a, b) => a - b);
    const size = Math.ceil(list.length / parts);
    let reduced = false;
    for (let start = 0; start < list.length; start += size) {
      const chunk = new Set(list.slice(start, start + size));
      const cand = closure.closeDown(new Set(list.filter((i) => !chunk.has(i))));
      if (cand.size < current.size && fails(cand)) {
        current = cand;
        parts = Math.max(parts - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size <= 1) break;
      parts = Math.min(parts * 2, list.length);
    }
  }
  const out = [...current]
    .sort((a, b) => a - b)
    .map((i) => ops[i])
    .filter((o): o is HistOp<I, O> => o !== undefined);
  return { ops: out, steps, minimal: !exhausted && !undecided };
}
