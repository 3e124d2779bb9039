/**
 * An independent linearizability oracle, for tests only: the definition, searched plainly.
 *
 * It shares nothing with src/sim/history (no model, no parser, no search tricks), so that a
 * test comparing the two can catch a mistake in either. It is meant to be read and trusted:
 *
 *   A history is linearizable iff some order of its operations exists in which
 *   - every operation that completed appears (one whose `ret` is finite);
 *   - an operation that never completed (`ret` = +Infinity) appears or does not (it may
 *     have taken effect at any time after its call, or never);
 *   - A comes before B whenever A returned before B was called (`A.ret < B.call`; touching
 *     intervals are concurrent);
 *   - each operation, applied in that order to the store, gives its recorded result (an
 *     unknown result accepts anything).
 *
 * The store is every key at once (no per-key split is assumed). Registers: a key holds a
 * value or nothing (null). kv: a key holds a string, "" when never written.
 *
 * The only addition to a brute-force search is a memo of configurations (placed set, store)
 * already known to fail, which changes no answer: the rest of the search from a
 * configuration depends on nothing else.
 */

export type OracleValue = string | null;

export type OracleOp = {
  readonly call: number;
  /** +Infinity: never completed (may take effect any time after `call`, or never). */
  readonly ret: number;
  readonly key: string;
} & (
  | { readonly kind: 'read'; readonly result?: { readonly value: OracleValue } }
  | { readonly kind: 'write'; readonly value: OracleValue }
  | { readonly kind: 'delete'; readonly result?: { readonly existed?: boolean } }
  | {
      readonly kind: 'cas';
      readonly from: OracleValue;
      readonly to: OracleValue;
      readonly result?: { readonly swapped: boolean };
    }
  | { readonly kind: 'get'; readonly result?: { readonly value: string } }
  | { readonly kind: 'put'; readonly value: string }
  | { readonly kind: 'append'; readonly value: string }
);

export interface OracleResult {
  readonly linearizable: boolean | 'unknown';
  readonly steps: number;
  /** Indexes of the ops in a valid order, when linearizable. */
  readonly order?: readonly number[];
}

type Store = Readonly<Record<string, OracleValue>>;

/** The store after `op`, or null when its recorded result is impossible in `store`. */
export function applyOp(store: Store, op: OracleOp): Store | null {
  const cur = Object.prototype.hasOwnProperty.call(store, op.key) ? (store[op.key] ?? null) : null;
  const set = (v: OracleValue): Store => ({ ...store, [op.key]: v });
  switch (op.kind) {
    case 'read':
      return op.result === undefined || op.result.value === cur ? store : null;
    case 'write':
      return set(op.value);
    case 'delete':
      if (op.result?.existed !== undefined && op.result.existed !== (cur !== null)) return null;
      return set(null);
    case 'cas':
      if (op.result === undefined) return cur === op.from ? set(op.to) : store;
      if (op.result.swapped) return cur === op.from ? set(op.to) : null;
      return cur !== op.from ? store : null;
    case 'get':
      return op.result === undefined || op.result.value === (cur ?? '') ? store : null;
    case 'put':
      return set(op.value);
    case 'append':
      return set((cur ?? '') + op.value);
  }
}

/** Up to 30 operations (a bitmask of placed ops); past `maxSteps` applications, 'unknown'. */
export function oracleLinearizable(ops: readonly OracleOp[], opts: { maxSteps?: number } = {}): OracleResult {
  const maxSteps = opts.maxSteps ?? 2_000_000;
  const n = ops.length;
  if (n > 30) throw new Error('the oracle takes at most 30 operations');
  const required = ops.reduce((m, op, i) => (op.ret === Infinity ? m : m | (1 << i)), 0);
  const failed = new Set<string>();
  const order: number[] = [];
  let steps = 0;
  let gaveUp = false;

  // i may go next iff every op that returned before i's call is already placed.
  const mayGoNext = (placed: number, i: number): boolean =>
    ops.every((other, j) => j === i || (placed & (1 << j)) !== 0 || !(other.ret < (ops[i]?.call ?? 0)));

  const search = (placed: number, store: Store): boolean => {
    if ((placed & required) === required) return true;
    const memo = `${placed}|${JSON.stringify(Object.entries(store).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
    if (failed.has(memo)) return false;
    for (let i = 0; i < n; i++) {
      const op = ops[i];
      if (op === undefined || (placed & (1 << i)) !== 0 || !mayGoNext(placed, i)) continue;
      if (steps >= maxSteps) {
        gaveUp = true;
        return false;
      }
      steps++;
      const next = applyOp(store, op);
      if (next === null) continue;
      order.push(i);
      if (search(placed | (1 << i), next)) return true;
      order.pop();
      if (gaveUp) return false;
    }
    failed.add(memo);
    return false;
  };

  if (search(0, {})) return { linearizable: true, steps, order: [...order] };
  return { linearizable: gaveUp ? 'unknown' : false, steps };
}
