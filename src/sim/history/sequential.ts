import { compareStrings, dictGet } from '../core/dict';
import { isObject, keysOf, regValue, rollbackWrites, snapshotState } from './formats';
import type { RegValue } from './register-model';
import type { History, OpRecord } from './types';

export interface SequentialResult {
  readonly consistent: true | false | 'unknown';
  readonly steps: number;
  /** Op ids in a valid total order (when consistent); ops of unknown outcome left out never happened. */
  readonly order?: number[];
}

/** What a read of siblings expects: nothing a register holds. */
const SIBLINGS = '\u0000siblings';

/** Steps past which the answer is 'unknown': this search has no per-key split. */
export const DEFAULT_SEQUENTIAL_STEPS = 200_000;
/** Histories with more operations than this are not searched ('unknown'). */
export const DEFAULT_SEQUENTIAL_OPS = 100;

type Effect =
  | { readonly kind: 'read'; readonly values: ReadonlyMap<string, RegValue> }
  | { readonly kind: 'write'; readonly values: ReadonlyMap<string, RegValue> }
  | { readonly kind: 'delete'; readonly key: string; readonly existed: boolean | null }
  | {
      readonly kind: 'cas';
      readonly key: string;
      readonly from: RegValue;
      readonly to: RegValue;
      readonly swapped: boolean | null;
    };

interface SeqOp {
  readonly rec: OpRecord;
  readonly effect: Effect;
  /** Completed ok: must be placed. Otherwise optional (it may never have happened). */
  readonly required: boolean;
  /** Indexes of the ops that must come before it (its agent's earlier completed ops). */
  readonly after: number[];
}

/**
 * Sequential consistency: some total order of all operations that keeps each agent's own
 * order and gives every operation its recorded result, on the whole multi-key store (unlike
 * linearizability it does not compose per key). Real time across agents plays no part.
 *
 * Program order is session order (see sessions.ts). An operation of unknown outcome may be
 * placed anywhere after its agent's earlier completed operations, or nowhere; the agent's
 * later operations need not wait for it, since it may have been delayed in the network.
 * Reads of unknown outcome say nothing and are left out; failed operations did not happen.
 *
 * Depth-first search over (placed set, store state) with a memo of visited configurations;
 * meant for small histories: 'unknown' past the step budget or `maxOps` operations.
 */
export function checkSequential(history: History, opts: { maxSteps?: number; maxOps?: number } = {}): SequentialResult {
  const maxSteps = opts.maxSteps ?? DEFAULT_SEQUENTIAL_STEPS;
  // A restore whose snapshot cannot be read changed the store in ways the history hides.
  if (
    history.ops.some(
      (r) =>
        r.op === 'restore' &&
        r.outcome !== 'fail' &&
        snapshotState(isObject(r.args) ? (dictGet(r.args, 'snapshot') ?? null) : null) === null,
    )
  ) {
    return { consistent: 'unknown', steps: 0 };
  }
  // So did a rollback that may have happened but whose restored values no record shows.
  if (history.ops.some((r) => r.op === 'rollback' && r.outcome !== 'fail' && rollbackWrites(r) === null))
    return { consistent: 'unknown', steps: 0 };
  const allKeys = [...new Set(history.ops.flatMap(keysOf))].sort(compareStrings);
  const recs = history.ops.filter((r) => r.outcome !== 'fail').sort((a, b) => a.id - b.id);
  const effects = recs
    .map((r) => [r, effectOf(r, allKeys)] as const)
    .filter((e): e is readonly [OpRecord, Effect] => e[1] !== null);
  if (effects.length > (opts.maxOps ?? DEFAULT_SEQUENTIAL_OPS)) return { consistent: 'unknown', steps: 0 };
  const ops: SeqOp[] = [];
  for (const [r, effect] of effects) {
    const ok = r.outcome === 'ok' && r.completedAt !== null;
    const after: number[] = [];
    ops.forEach((p, i) => {
      const pr = p.rec;
      if (pr.agent === r.agent && p.required && pr.completedAt !== null && pr.completedAt <= r.invokedAt) after.push(i);
    });
    ops.push({ rec: r, effect, required: ok, after });
  }

  const n = ops.length;
  const placed = new Uint8Array(n);
  const order: number[] = [];
  let requiredLeft = ops.filter((o) => o.required).length;
  const seen = new Set<string>();
  let steps = 0;
  let gaveUp = false;

  const dfs = (state: ReadonlyMap<string, RegValue>): boolean => {
    if (requiredLeft === 0) return true;
    const key = `${placed.join('')}|${stateKey(state)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    for (let i = 0; i < n; i++) {
      const op = ops[i];
      if (op === undefined || placed[i] === 1 || op.after.some((j) => placed[j] !== 1)) continue;
      if (steps >= maxSteps) {
        gaveUp = true;
        return false;
      }
      steps++;
      const next = apply(state, op.effect);
      if (next === null) continue;
      placed[i] = 1;
      order.push(op.rec.id);
      if (op.required) requiredLeft--;
      if (dfs(next)) return true;
      if (op.required) requiredLeft++;
      order.pop();
      placed[i] = 0;
      if (gaveUp) return false;
    }
    return false;
  };

  const init = new Map<string, RegValue>(allKeys.map((k) => [k, null]));
  if (dfs(init)) return { consistent: true, steps, order: [...order] };
  return { consistent: gaveUp ? 'unknown' : false, steps };
}

function stateKey(state: ReadonlyMap<string, RegValue>): string {
  return JSON.stringify([...state.entries()]);
}

/** The state after `e`, or null if its recorded result is impossible in `state`. */
function apply(state: ReadonlyMap<string, RegValue>, e: Effect): ReadonlyMap<string, RegValue> | null {
  switch (e.kind) {
    case 'read':
      for (const [k, v] of e.values) if ((state.get(k) ?? null) !== v) return null;
      return state;
    case 'write': {
      const next = new Map(state);
      for (const [k, v] of e.values) next.set(k, v);
      return next;
    }
    case 'delete': {
      const had = (state.get(e.key) ?? null) !== null;
      if (e.existed !== null && e.existed !== had) return null;
      const next = new Map(state);
      next.set(e.key, null);
      return next;
    }
    case 'cas': {
      const matches = (state.get(e.key) ?? null) === e.from;
      if (e.swapped !== null && e.swapped !== matches) return null;
      if (!matches) return state;
      const next = new Map(state);
      next.set(e.key, e.to);
      return next;
    }
  }
}

function effectOf(r: OpRecord, allKeys: readonly string[]): Effect | null {
  const ok = r.outcome === 'ok' && r.completedAt !== null;
  const args = isObject(r.args) ? r.args : {};
  const result = ok && isObject(r.result) ? r.result : null;
  const key = args['key'];
  switch (r.op) {
    case 'get': {
      if (!ok || result === null || typeof key !== 'string') return null;
      const v = dictGet(result, 'value');
      // Several concurrent values at once: no sequential register returns them, so this read
      // expects a value no key ever holds (no canonical JSON begins with a NUL).
      const siblings = dictGet(result, 'siblings');
      if (Array.isArray(siblings) && siblings.length > 1) return { kind: 'read', values: new Map([[key, SIBLINGS]]) };
      return v === undefined ? null : { kind: 'read', values: new Map([[key, regValue(v)]]) };
    }
    case 'get_all': {
      const st = result === null ? undefined : dictGet(result, 'state');
      if (!ok || !isObject(st)) return null;
      return { kind: 'read', values: new Map(allKeys.map((k) => [k, regValue(dictGet(st, k) ?? null)])) };
    }
    case 'set':
      return typeof key === 'string'
        ? { kind: 'write', values: new Map([[key, regValue(dictGet(args, 'value') ?? null)]]) }
        : null;
    case 'update': {
      const u = args['updates'];
      return isObject(u)
        ? { kind: 'write', values: new Map(Object.keys(u).map((k) => [k, regValue(dictGet(u, k) ?? null)])) }
        : null;
    }
    case 'delete': {
      if (typeof key !== 'string') return null;
      const existed = result === null ? undefined : dictGet(result, 'existed');
      return { kind: 'delete', key, existed: typeof existed === 'boolean' ? existed : null };
    }
    case 'cas': {
      if (typeof key !== 'string') return null;
      const swapped =
        result === null
          ? undefined
          : (dictGet(result, 'swapped') ?? dictGet(result, 'ok') ?? dictGet(result, 'success'));
      return {
        kind: 'cas',
        key,
        from: regValue(dictGet(args, 'expected') ?? dictGet(args, 'from') ?? null),
        to: regValue(dictGet(args, 'value') ?? dictGet(args, 'to') ?? null),
        swapped: typeof swapped === 'boolean' ? swapped : null,
      };
    }
    case 'restore': {
      const snap = snapshotState(args['snapshot'] ?? null);
      return snap === null
        ? null
        : { kind: 'write', values: new Map(allKeys.map((k) => [k, regValue(dictGet(snap, k) ?? null)])) };
    }
    case 'rollback': {
      const w = rollbackWrites(r);
      return w === null
        ? null
        : { kind: 'write', values: new Map(Object.keys(w).map((k) => [k, regValue(dictGet(w, k) ?? null)])) };
    }
    default:
      return null;
  }
}
