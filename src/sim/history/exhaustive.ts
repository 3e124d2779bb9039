import { ILLEGAL, type HistOp, type Model } from './model';

export interface ExhaustiveResult {
  readonly linearizable: boolean | 'unknown';
  /** Model steps tried. */
  readonly steps: number;
  /** Op ids in a valid order (when linearizable); ops left out never took effect. */
  readonly order?: readonly number[];
}

/**
 * The definition, tried by brute force: is there an order of the operations in which every
 * operation that completed appears, operations that never completed appear or not, an
 * operation that returned before another was called comes first (`a.ret < b.call`), and
 * every step is legal in the model? No memo, no list tricks, nothing shared with search.ts,
 * so it can referee it. Exponential: meant for histories of about 8 operations; past
 * `maxSteps` model steps it answers 'unknown'.
 */
export function exhaustiveCheck<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly HistOp<I, O>[],
  opts: { maxSteps?: number } = {},
): ExhaustiveResult {
  const maxSteps = opts.maxSteps ?? 20_000_000;
  const n = ops.length;
  const placed = new Array<boolean>(n).fill(false);
  const order: number[] = [];
  let required = ops.filter((o) => o.ret !== Infinity).length;
  let steps = 0;
  let gaveUp = false;

  const mayGoNext = (i: number): boolean => {
    const op = ops[i];
    if (op === undefined) return false;
    for (let j = 0; j < n; j++) {
      if (j !== i && !placed[j] && (ops[j]?.ret ?? Infinity) < op.call) return false;
    }
    return true;
  };

  const dfs = (state: S): boolean => {
    if (required === 0) return true;
    for (let i = 0; i < n; i++) {
      if (placed[i] || !mayGoNext(i)) continue;
      const op = ops[i];
      if (op === undefined) continue;
      if (steps >= maxSteps) {
        gaveUp = true;
        return false;
      }
      steps++;
      const next = model.step(state, op.input, op.output);
      if (next === ILLEGAL) continue;
      placed[i] = true;
      order.push(op.id);
      if (op.ret !== Infinity) required--;
      if (dfs(next)) return true;
      if (op.ret !== Infinity) required++;
      order.pop();
      placed[i] = false;
      if (gaveUp) return false;
    }
    return false;
  };

  if (dfs(model.init())) return { linearizable: true, steps, order: [...order] };
  return { linearizable: gaveUp ? 'unknown' : false, steps };
}
