import type { TimeUnit } from './formats';
import type { HistOp, Model } from './model';
import { Closure, type Source } from './witness';

/** "ticks 10–12", "tick 10", "lines 3–7", "invoked at tick 10, never completed". */
export function formatInterval(call: number, ret: number, unit: TimeUnit): string {
  if (ret === Infinity) return `invoked at ${unit} ${call}, never completed`;
  if (call === ret) return `${unit} ${call}`;
  return `${unit}s ${call}–${ret}`;
}

export interface ExplainOptions {
  readonly timeUnit: TimeUnit;
  /** e.g. 'key "x"'; omitted for single-register histories. */
  readonly keyLabel?: string;
  /** Whether dropping any one op makes the rest linearizable (see shrinkWitness). */
  readonly minimal?: boolean;
}

/**
 * Plain words for why a (small, closed) non-linearizable history of one key has no valid
 * order. It looks for an operation whose result nothing could have produced: the only
 * fitting write was overwritten before it began, or the value it saw could only have come
 * from an operation that itself could not have had that effect. Failing that, it says what
 * is true of every witness and lists the operations.
 */
export function explainWitness<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly HistOp<I, O>[],
  opts: ExplainOptions,
): string {
  const closure = new Closure(model, ops);
  const say = (i: number): string => {
    const op = ops[i];
    return op === undefined
      ? '?'
      : `${op.agent} ${model.describeOp(op)} (${formatInterval(op.call, op.ret, opts.timeUnit)})`;
  };
  const needed = (i: number): string => {
    const op = ops[i];
    return op === undefined ? '?' : model.describeNeeded(op);
  };
  const agentOf = (i: number): string => ops[i]?.agent ?? '?';
  const prefix = opts.keyLabel === undefined ? '' : `On ${opts.keyLabel}: `;
  const nowhere = (y: number, s: Source, subject: string): string | null => {
    switch (s.kind) {
      case 'writers':
        return null;
      case 'overwritten':
        return (
          `the last operation that could have left ${needed(y)} — ${say(s.old)} — had already been overwritten: ` +
          `${say(s.by)} began after it ended and completed before ${subject} began`
        );
      case 'initial-overwritten':
        return `the initial state (${model.describeWritten(null)}) had already been overwritten by ${say(s.by)}, which completed before ${subject} began`;
      case 'nothing':
        return `no operation that could have come before it leaves ${needed(y)}`;
    }
  };

  const order = [...ops.keys()].sort((a, b) => (ops[a]?.call ?? 0) - (ops[b]?.call ?? 0) || a - b);
  const legality = order.filter((i) => ops[i] !== undefined && model.stateDependence(ops[i]) === 'legality');

  // 1. A result that no surviving write explains.
  for (const y of legality) {
    const reason = nowhere(y, closure.source(y, ops[y]?.ret ?? Infinity), `${agentOf(y)}'s operation`);
    if (reason !== null) return `${prefix}${say(y)}, but ${reason}.`;
  }

  // 2. Every write that could explain a result could not itself have had that effect.
  for (const y of legality) {
    const s = closure.source(y, ops[y]?.ret ?? Infinity);
    if (s.kind !== 'writers' || s.initial || s.writers.length === 0) continue;
    const reasons: string[] = [];
    for (const w of s.writers) {
      const W = ops[w];
      if (W === undefined || model.stateDependence(W) !== 'effect') break;
      const r = nowhere(w, closure.source(w, Math.min(W.ret, ops[y]?.ret ?? Infinity)), 'it');
      if (r === null) break;
      reasons.push(`${say(w)}, which could only have done so starting from ${needed(w)}, and ${r}`);
    }
    if (reasons.length === s.writers.length) {
      const only = s.writers.length === 1 ? 'the only operation' : 'the only operations';
      return `${prefix}${say(y)}, but ${only} that could have left ${needed(y)} could not have: ${reasons.join('; ')}.`;
    }
  }

  // 3. No single culprit: the combination is impossible.
  const list = order.map((i) => say(i)).join('; ');
  return (
    `${prefix}these ${ops.length} operations cannot be put in any order that respects real time ` +
    `(an operation that completed before another began must come first) and gives each its recorded result` +
    `${opts.minimal === true ? ', while without any one of them the rest can be' : ''}: ${list}.`
  );
}
