import { ILLEGAL, type HistOp, type Model } from './model';

export type Validation = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Checks a claimed linearization of one key's history on its own terms, sharing nothing with
 * the search: each op id appears at most once, every op that completed appears, no op comes
 * after one that was invoked after it returned (`b.ret < a.call` puts b first), and
 * replaying the order through the model gives every op its recorded result. Ops that never
 * completed may be left out (they never took effect).
 */
export function validateLinearization<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly HistOp<I, O>[],
  order: readonly number[],
): Validation {
  const byId = new Map<number, HistOp<I, O>>();
  for (const op of ops) {
    if (byId.has(op.id)) return { ok: false, reason: `op id ${op.id} appears twice in the history of one key` };
    byId.set(op.id, op);
  }
  const seen = new Set<number>();
  for (const id of order) {
    if (!byId.has(id)) return { ok: false, reason: `op ${id} is not in this key's history` };
    if (seen.has(id)) return { ok: false, reason: `op ${id} appears twice in the order` };
    seen.add(id);
  }
  for (const op of ops) {
    if (op.ret !== Infinity && !seen.has(op.id))
      return { ok: false, reason: `op ${op.id} completed but is missing from the order` };
  }
  // Real time: for each position, the smallest return among later ops must not precede
  // this op's call.
  let minRetAfter = Infinity;
  let minRetOp = -1;
  for (let k = order.length - 1; k >= 0; k--) {
    const op = byId.get(order[k] ?? -1);
    if (op === undefined) continue;
    if (minRetAfter < op.call) {
      return {
        ok: false,
        reason: `op ${minRetOp} returned at ${minRetAfter}, before op ${op.id} was invoked at ${op.call}, but comes after it`,
      };
    }
    if (op.ret < minRetAfter) {
      minRetAfter = op.ret;
      minRetOp = op.id;
    }
  }
  let state = model.init();
  for (const id of order) {
    const op = byId.get(id);
    if (op === undefined) continue;
    const next = model.step(state, op.input, op.output);
    if (next === ILLEGAL)
      return { ok: false, reason: `op ${id} (${model.describeOp(op)}) is impossible at its place in the order` };
    state = next;
  }
  return { ok: true };
}
